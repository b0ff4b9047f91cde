//! Profiles and blocks: headers (name, attachment, `xattrs=`, `flags=`),
//! bodies, child profiles and hats, conditionals and qualifier blocks.

use super::Gen;
use super::rules::Exec;
use std::fmt::Write;

impl Gen<'_, '_> {
    /// `profile NAME [ATTACHMENT] [xattrs=(...)] [flags=(...)] { body }`
    /// at `depth`; top-level profiles may be named by their attachment
    /// alone, nested ones may be hats (`^name` or `hat name`).
    pub(super) fn profile(&mut self, name: &str, depth: usize, top: bool) {
        let indent = "  ".repeat(depth);
        let hat = !top && self.one_in(2);
        let by_path = top && self.one_in(6);
        let mut header = match (hat, by_path) {
            (true, _) => match self.one_in(3) {
                true => format!("{indent}hat {name}"),
                false => format!("{indent}^{name}"),
            },
            (false, true) => format!("{indent}/usr/bin/{name}"),
            (false, false) => format!("{indent}profile {name}"),
        };
        if !hat && !by_path && self.one_in(2) {
            header.push(' ');
            header.push_str(&self.attachment());
        }
        if !hat && self.one_in(8) {
            let xattrs = self.xattrs();
            let _ = write!(header, " xattrs=({xattrs})");
        }
        if self.one_in(3) {
            let flags = self.flags();
            let _ = write!(header, " flags=({flags})");
        }
        let _ = writeln!(self.out, "{header} {{");
        self.body(depth, name);
        let _ = writeln!(self.out, "{indent}}}");
    }

    /// Rules, conditionals, qualifier blocks, then child profiles and hats.
    fn body(&mut self, depth: usize, name: &str) {
        let indent = "  ".repeat(depth + 1);
        for _ in 0..self.range(0, self.options.max_rules) {
            match self.range(0, 15) {
                0 if depth < self.options.max_depth && self.v5() => self.conditional(depth + 1),
                1 if depth < self.options.max_depth => self.qualifier_block(depth + 1),
                _ => {
                    let rule = self.rule();
                    let _ = writeln!(self.out, "{indent}{rule}");
                }
            }
        }
        if depth < self.options.max_depth {
            for n in 0..self.range(0, 1) {
                self.profile(&format!("{name}_c{n}"), depth + 1, false);
            }
        }
    }

    /// A few plain rules (no blocks) at `depth`.
    fn rules_block(&mut self, depth: usize) {
        let indent = "  ".repeat(depth + 1);
        for _ in 0..self.range(0, 3) {
            let rule = self.rule();
            let _ = writeln!(self.out, "{indent}{rule}");
        }
    }

    /// `if EXPR { ... } [else if EXPR { ... }] [else { ... }]`.
    fn conditional(&mut self, depth: usize) {
        let indent = "  ".repeat(depth);
        let condition = self.condition(0);
        let _ = writeln!(self.out, "{indent}if {condition} {{");
        self.rules_block(depth);
        if self.one_in(3) {
            let condition = self.condition(0);
            let _ = writeln!(self.out, "{indent}}} else if {condition} {{");
            self.rules_block(depth);
        }
        if self.one_in(2) {
            let _ = writeln!(self.out, "{indent}}} else {{");
            self.rules_block(depth);
        }
        let _ = writeln!(self.out, "{indent}}}");
    }

    /// A condition: booleans, `defined`, comparisons, `not`, `and`, `or`
    /// and parentheses.
    fn condition(&mut self, nesting: usize) -> String {
        match self.range(0, 9) {
            0 | 1 if nesting < 2 => {
                let op = self.pick(&["and", "or"]);
                // 5.0.2's grammar takes parentheses only around booleans
                // (`(defined @{V} or $B)`, `($B and 1 == 1)` and
                // `(1 == 1)` are syntax errors).
                if self.one_in(3) && !self.bools.is_empty() {
                    let (a, b) = (self.range(0, self.bools.len() - 1), self.bools.len() - 1);
                    return format!("(${} {op} ${})", self.bools[a], self.bools[b]);
                }
                let left = self.condition(nesting + 1);
                let right = self.condition(nesting + 1);
                format!("{left} {op} {right}")
            }
            2 if nesting < 2 => format!("not {}", self.condition(nesting + 1)),
            3 | 4 => self.comparison(),
            5 => {
                let var = self.any_var();
                format!("defined {var}")
            }
            _ => match self.bools.is_empty() {
                // An undefined boolean is an error: reached now and then.
                true => "defined @{V9}".into(),
                false => {
                    let n = self.range(0, self.bools.len() - 1);
                    let name = self.bools[n].clone();
                    match self.one_in(2) {
                        true => format!("${{{name}}}"),
                        false => format!("${name}"),
                    }
                }
            },
        }
    }

    /// `A OP B` over numbers, words, paths and variables; `<`-like
    /// operators mostly over numbers (on strings they are an error).
    fn comparison(&mut self) -> String {
        let op = self.pick(&["==", "!=", "in", "<", "<=", ">", ">="]);
        let numeric = matches!(op, "<" | "<=" | ">" | ">=");
        let operand = |g: &mut Self| -> String {
            if numeric && !g.one_in(30) {
                match g.numbers.is_empty() || g.one_in(2) {
                    true => g.pick(&["0", "1", "3", "10", "42"]).to_string(),
                    false => format!("@{{{}}}", g.numbers[0]),
                }
            } else {
                match g.range(0, 3) {
                    0 => g.pick(&["1", "10", "foo", "/tmp/"]).to_string(),
                    1 => g.component(),
                    _ => g.any_var(),
                }
            }
        };
        let left = operand(self);
        let right = operand(self);
        format!("{left} {op} {right}")
    }

    /// Some defined `@{...}` variable (or an undefined one if none is).
    fn any_var(&mut self) -> String {
        let all: Vec<String> = self.vars.iter().chain(&self.numbers).cloned().collect();
        match all.is_empty() {
            true => "@{V9}".into(),
            false => format!("@{{{}}}", all[self.range(0, all.len() - 1)]),
        }
    }

    /// `audit { ... }`, `deny { ... }`, `priority=2 allow { ... }`.
    fn qualifier_block(&mut self, depth: usize) {
        let indent = "  ".repeat(depth);
        let mut qualifiers = self.qualifiers();
        // Blocks take no priority (now and then they get one anyway).
        if qualifiers.starts_with("priority=") && !self.one_in(20) {
            qualifiers = qualifiers
                .split_once(' ')
                .map_or("", |(_, r)| r)
                .to_string();
        }
        if qualifiers.is_empty() {
            qualifiers = "audit ".into();
        }
        // A block's `deny` does not reach the rules' exec check: no exec
        // permission fits in a deny block.
        let exec = match qualifiers.contains("deny") {
            true => Exec::None,
            false => Exec::Modes,
        };
        let _ = writeln!(self.out, "{indent}{qualifiers}{{");
        let inner = "  ".repeat(depth + 1);
        self.in_block = true;
        for _ in 0..self.range(1, 3) {
            let rule = self.unqualified_rule(exec);
            let _ = writeln!(self.out, "{inner}{rule}");
        }
        self.in_block = false;
        let _ = writeln!(self.out, "{indent}}}");
    }

    fn attachment(&mut self) -> String {
        match self.range(0, 3) {
            0 => format!("/usr/bin/{}", self.pick(&["foo", "bar", "ls"])),
            1 => self.path(),
            2 => format!("\"/opt/{} x/**\"", self.pick(&["a", "b"])),
            _ => format!("/opt/{}/**", self.pick(&["a", "b"])),
        }
    }

    /// `security.apparmor=trusted user.foo="bar*"`.
    fn xattrs(&mut self) -> String {
        let mut xattrs = Vec::new();
        for _ in 0..self.range(1, 2) {
            let name = self.pick(&["security.apparmor", "user.foo", "trusted.bar"]);
            let value = self.pick(&["trusted", "\"bar*\"", "on", "\"a b\"", "{x,y}"]);
            let xattr = format!("{name}={value}");
            if !xattrs.iter().any(|x: &String| x.starts_with(name)) {
                xattrs.push(xattr);
            }
        }
        xattrs.join(" ")
    }

    fn flags(&mut self) -> String {
        let mut flags = Vec::new();
        if self.one_in(2) {
            let modes: &[&str] = match self.v5() {
                true => &[
                    "complain",
                    "enforce",
                    "kill",
                    "unconfined",
                    "default_allow",
                    "prompt",
                ],
                false => &["complain", "enforce", "kill", "unconfined"],
            };
            flags.push(self.pick(modes));
        }
        for flag in [
            "attach_disconnected",
            "mediate_deleted",
            "audit",
            "debug",
            "interruptible",
        ] {
            if self.one_in(6) {
                flags.push(flag);
            }
        }
        if self.one_in(6) {
            flags.push(self.pick(&[
                "chroot_relative",
                "namespace_relative",
                "attach_disconnected.path=/foo",
                "kill.signal=hup",
                "error=EPERM",
                "error=eacces",
            ]));
        }
        if flags.is_empty() {
            flags.push("complain");
        }
        let separator = self.pick(&[",", ", ", " "]);
        flags.join(separator)
    }
}
