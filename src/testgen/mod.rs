//! A generator of valid-ish AppArmor profiles, driven by arbitrary bytes
//! (issue 7).
//!
//! One generator serves two consumers: the `compile_structured` fuzz target
//! in `fuzz/` (libFuzzer's bytes steer every choice, so coverage feedback
//! explores the language) and `tests/differential.rs` (bytes from a seeded
//! PRNG, so the sample is fixed). Output is mostly well-formed policy:
//! file rules with globs, alternations and variables, every rule class,
//! qualifiers, flags, child profiles and hats. Each rule is well-formed on
//! its own, but combinations can still be invalid (two rules giving one
//! path different exec modes, a protocol its family lacks), so error paths
//! are reached too.
//!
//! Guarantee: [`profile_text`] never fails and never panics on any input;
//! exhausted input only makes the remaining choices default to the first
//! option, so short inputs give short profiles.

mod paths;
mod rules;

use arbitrary::Unstructured;
use std::fmt::Write;

/// Which language the generated text may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Everything aaprof targets (AppArmor 5.0).
    V5,
    /// Only what apparmor_parser 4.1 also accepts (no `priority=`,
    /// `quiet`, `prompt`), for the differential test.
    V41,
}

/// Size limits for one generated policy.
#[derive(Debug, Clone, Copy)]
pub struct GenOptions {
    pub language: Language,
    /// Rules per profile body, at most.
    pub max_rules: usize,
    /// Nesting of child profiles and hats, at most.
    pub max_depth: usize,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions {
            language: Language::V5,
            max_rules: 12,
            max_depth: 2,
        }
    }
}

/// One generated policy text: variables, then one or two profiles.
pub fn profile_text(u: &mut Unstructured, options: &GenOptions) -> String {
    let mut g = Gen {
        u,
        options: *options,
        vars: Vec::new(),
        out: String::new(),
    };
    g.preamble();
    let profiles = g.range(1, 2);
    for n in 0..profiles {
        g.profile(&format!("p{n}"), 0, true);
    }
    g.out
}

/// A policy from a 64-bit seed: the same seed gives the same text on every
/// machine (the bytes come from a fixed SplitMix64 stream).
pub fn profile_from_seed(seed: u64, options: &GenOptions) -> String {
    let mut state = seed;
    let bytes: Vec<u8> = (0..512)
        .flat_map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)).to_le_bytes()
        })
        .collect();
    profile_text(&mut Unstructured::new(&bytes), options)
}

/// The generator's state: the input bytes, the variables defined so far,
/// and the text written.
struct Gen<'a, 'b> {
    u: &'a mut Unstructured<'b>,
    options: GenOptions,
    vars: Vec<String>,
    out: String,
}

impl Gen<'_, '_> {
    /// A number in `lo..=hi`; `lo` once the input is exhausted.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        self.u.int_in_range(lo..=hi).unwrap_or(lo)
    }

    fn pick<'s>(&mut self, options: &[&'s str]) -> &'s str {
        options[self.range(0, options.len() - 1)]
    }

    /// True with probability about `1 / n`; false once the input is
    /// exhausted.
    fn one_in(&mut self, n: usize) -> bool {
        n > 1 && self.range(1, n) == n
    }

    /// `@{V0} = a b {c,d}` lines; the names go to `vars` for paths to use.
    fn preamble(&mut self) {
        for n in 0..self.range(0, 2) {
            let name = format!("V{n}");
            let mut values = Vec::new();
            for _ in 0..self.range(1, 3) {
                values.push(self.component());
            }
            let _ = writeln!(self.out, "@{{{name}}} = {}", values.join(" "));
            if self.one_in(4) {
                let extra = self.component();
                let _ = writeln!(self.out, "@{{{name}}} += {extra}");
            }
            self.vars.push(name);
        }
    }

    /// `profile NAME [ATTACHMENT] [flags=(...)] { rules }` at `depth`;
    /// top-level profiles may have an attachment, nested ones may be hats.
    fn profile(&mut self, name: &str, depth: usize, top: bool) {
        let indent = "  ".repeat(depth);
        let hat = !top && self.one_in(2);
        let mut header = match hat {
            true => format!("{indent}^{name}"),
            false => format!("{indent}profile {name}"),
        };
        if top && self.one_in(2) {
            header.push(' ');
            header.push_str(&self.attachment());
        }
        if self.one_in(3) {
            let flags = self.flags();
            let _ = write!(header, " flags=({flags})");
        }
        let _ = writeln!(self.out, "{header} {{");
        for _ in 0..self.range(0, self.options.max_rules) {
            let rule = self.rule();
            let _ = writeln!(self.out, "{indent}  {rule}");
        }
        if depth < self.options.max_depth {
            for n in 0..self.range(0, 1) {
                self.profile(&format!("{name}_c{n}"), depth + 1, false);
            }
        }
        let _ = writeln!(self.out, "{indent}}}");
    }

    fn attachment(&mut self) -> String {
        match self.range(0, 2) {
            0 => format!("/usr/bin/{}", self.pick(&["foo", "bar", "ls"])),
            1 => self.path(),
            _ => format!("/opt/{}/**", self.pick(&["a", "b"])),
        }
    }

    fn flags(&mut self) -> String {
        let mut flags = Vec::new();
        if self.one_in(2) {
            flags.push(self.pick(&["complain", "enforce", "kill", "unconfined"]));
        }
        for flag in ["attach_disconnected", "mediate_deleted", "audit"] {
            if self.one_in(4) {
                flags.push(flag);
            }
        }
        if self.one_in(4) {
            flags.push(self.pick(&["chroot_relative", "namespace_relative"]));
        }
        if flags.is_empty() {
            flags.push("complain");
        }
        flags.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::{Input, Options, SourceCache, load};

    #[test]
    fn a_seed_gives_the_same_text_every_time() {
        let options = GenOptions::default();
        assert_eq!(
            profile_from_seed(7, &options),
            profile_from_seed(7, &options)
        );
        assert_ne!(
            profile_from_seed(7, &options),
            profile_from_seed(8, &options)
        );
    }

    #[test]
    fn empty_input_gives_a_minimal_profile() {
        let text = profile_text(&mut Unstructured::new(&[]), &GenOptions::default());
        assert_eq!(text, "profile p0 {\n}\n");
    }

    #[test]
    fn most_generated_profiles_are_valid_policy() {
        let options = GenOptions::default();
        let valid = (0..200)
            .filter(|&seed| {
                let text = profile_from_seed(seed, &options);
                let input = Input::Text {
                    name: "-".into(),
                    text,
                };
                let loaded = load(&input, &Options::default(), &SourceCache::new());
                !loaded.diagnostics.iter().any(|d| d.is_error())
            })
            .count();
        assert!(
            valid >= 190,
            "only {valid} of 200 generated profiles are valid"
        );
    }

    #[test]
    fn the_4_1_language_has_no_5_0_qualifiers() {
        let options = GenOptions {
            language: Language::V41,
            ..GenOptions::default()
        };
        for seed in 0..300 {
            let text = profile_from_seed(seed, &options);
            assert!(
                !text.contains("priority=") && !text.contains("quiet "),
                "{text}"
            );
        }
    }
}
