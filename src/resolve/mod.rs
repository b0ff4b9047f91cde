//! Resolution: includes, variables, conditionals and aliases, from the AST
//! to the [`crate::model`].
//!
//! Entry point: [`load`]. It reads one input (a file or stdin text) through
//! a shared [`SourceCache`], walks it with includes inlined ([`walk`]),
//! then types every rule ([`build`]), collecting every diagnostic on the
//! way rather than stopping at the first.

pub(crate) mod build;
mod cache;
mod compare;
mod include;
mod preprocess;
mod vars;
mod walk;

pub use cache::{CachedFile, SourceCache};
pub use include::{Found, directory_files, is_ignored_name, locate};
pub use preprocess::preprocess;
pub use vars::{VarError, VarTable};

use crate::diagnostics::Diagnostic;
use crate::model::Policy;
use crate::syntax::{ParsedFile, Source, parse};
use std::path::PathBuf;
use std::sync::Arc;

/// Where and how to look for included files.
#[derive(Debug, Clone)]
pub struct Options {
    /// `-I` directories, searched in order for `<name>` includes.
    pub include_dirs: Vec<PathBuf>,
    /// `-b`: searched after the include directories (default
    /// `/etc/apparmor.d`).
    pub base_dir: PathBuf,
    /// Directory that relative `"path"` includes start from; `None` = the
    /// process's working directory.
    pub cwd: Option<PathBuf>,
    /// Leave the glob syntax of `dbus`, `unix` and `network` rules to the encoder,
    /// which checks it only where the kernel mediates the class (5.0.2
    /// compiles a bad dbus pattern for a kernel without dbus). `false`
    /// (the default, for `check`) rejects it here, as for a kernel with
    /// every class.
    pub defer_ipc_patterns: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            include_dirs: Vec::new(),
            base_dir: PathBuf::from("/etc/apparmor.d"),
            cwd: None,
            defer_ipc_patterns: false,
        }
    }
}

/// One policy input.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file to read.
    Path(PathBuf),
    /// Text already read (stdin): its display name (usually `-`) and text.
    Text { name: String, text: String },
}

/// The result of loading one input: the policy model and every diagnostic.
/// A policy with any error diagnostic must not be compiled.
#[derive(Debug, Default)]
pub struct Loaded {
    pub policy: Policy,
    /// Profile names as declared, variables unexpanded, in
    /// apparmor_parser `-N` order (`a`, `a//hat`, `:ns://b`). The model's
    /// names are expanded, as they are in the compiled policy.
    pub names: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every include the walk met and what it resolved to, in walk order
    /// (the files this input read, for the policy cache).
    pub includes: Vec<(crate::syntax::IncludeTarget, Found)>,
    /// The variables and booleans as the walk left them (the end of the
    /// preamble and every included tunable): what `aaprof lsp` shows for
    /// a variable and offers in completion.
    pub vars: VarTable,
}

impl Loaded {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses the input itself (through the cache for files).
pub fn parse_input(input: &Input, cache: &SourceCache) -> Result<Arc<ParsedFile>, Diagnostic> {
    match input {
        Input::Path(path) => cache.get(path).map_err(|e| {
            Diagnostic::error("io", format!("cannot read {}: {e}", path.display()), None)
        }),
        Input::Text { name, text } => Ok(Arc::new(parse(Arc::new(Source::new(
            name.as_str(),
            None,
            text.as_str(),
        ))))),
    }
}

/// Loads one input: parse, includes, variables, conditionals, aliases,
/// typed rules. Never panics; every problem is a diagnostic.
pub fn load(input: &Input, options: &Options, cache: &SourceCache) -> Loaded {
    let file = match parse_input(input, cache) {
        Ok(f) => f,
        Err(d) => {
            return Loaded {
                diagnostics: vec![d],
                ..Loaded::default()
            };
        }
    };
    let mut walked = walk::Walker::new(options, cache).run(&file);
    let includes = std::mem::take(&mut walked.includes);
    let vars = walked.vars.clone();
    let (policy, names, mut diagnostics) = build::build(walked, options.defer_ipc_patterns);
    diagnostics.sort_by_key(Diagnostic::input_position);
    Loaded {
        policy,
        names,
        diagnostics,
        includes,
        vars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExecMode, RuleKind};

    fn load_text(text: &str) -> Loaded {
        load(
            &Input::Text {
                name: "t".into(),
                text: text.into(),
            },
            &Options::default(),
            &SourceCache::new(),
        )
    }

    fn paths(p: &crate::model::Profile) -> Vec<String> {
        p.rules
            .iter()
            .filter_map(|r| match &r.kind {
                RuleKind::File(f) => f.path.clone(),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn expands_variables_and_predefined_names() {
        let l = load_text(
            "@{A} = /x /y\nprofile a /usr/bin/a {\n @{A}/z r,\n /run/@{profile_name}/ r,\n @{exec_path} r,\n profile b {\n  /b/@{profile_name} r,\n }\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let a = &l.policy.profiles[0];
        assert_eq!(paths(a), ["{/x,/y}/z", "/run/a/", "/usr/bin/a"]);
        assert_eq!(paths(&a.children[0]), ["/b/a//b"]);
    }

    #[test]
    fn only_a_preamble_abi_selects_features() {
        // 5.0.2 accepts `abi` in a profile body and ignores it (abi/ok_20).
        let l = load_text("profile a {\n abi <kernel>,\n}\n");
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        assert_eq!(l.policy.abi, None);
        let l = load_text("abi <kernel>,\nprofile a {\n}\n");
        assert_eq!(l.policy.abi.as_deref(), Some("kernel"));
    }

    #[test]
    fn identities_with_spaces_must_be_paths() {
        let bad = load_text("profile p + identities=(\"a a\" \"b\") {\n}\n");
        assert!(bad.has_errors());
        let ok = load_text("profile p + identities=(\"/foo bar\", \"/tac tic\") {\n}\n");
        assert!(!ok.has_errors(), "{:?}", ok.diagnostics);
    }

    #[test]
    fn evaluates_conditionals_and_aliases() {
        let l = load_text(
            "alias /usr/ -> /opt/,\n${B} = false\n@{DE} = gnome kde\nprofile a {\n if ${B} {\n  /no r,\n } else if \"kde\" in @{DE} {\n  /usr/yes r,\n }\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        assert_eq!(paths(&l.policy.profiles[0]), ["/usr/yes", "/opt/yes"]);
    }

    #[test]
    fn conditional_block_rules_move_to_the_front() {
        // 5.0.2 numbers the exec target of a taken `if` block after those
        // of later plain rules (apparmor.d `tecla`): the block's rules sit
        // before the profile's others, each block before the earlier ones.
        let l = load_text(
            "${T} = true\nprofile a {\n /a r,\n if ${T} {\n  /b r,\n  /c r,\n }\n /d r,\n if ${T} {\n  /e r,\n }\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        assert_eq!(paths(&l.policy.profiles[0]), ["/e", "/b", "/c", "/a", "/d"]);
    }

    #[test]
    fn network_rules_before_a_block_are_marked_file_wide() {
        // 5.0.2 empties its old network table at every block it reads, in
        // any profile of the file, taken or not, conditional or qualifier.
        let l = load_text(
            "profile a {\n network inet,\n}\nprofile b {\n network ax25,\n if false {\n }\n network ipx,\n audit {\n  /x r,\n }\n network inet6,\n ^h {\n  network unix,\n }\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let marks = |p: &crate::model::Profile| -> Vec<(String, bool)> {
            p.rules
                .iter()
                .filter_map(|r| match &r.kind {
                    RuleKind::Network(n) => Some((n.domain.clone()?, n.before_a_block)),
                    _ => None,
                })
                .collect()
        };
        let p = &l.policy.profiles;
        assert_eq!(marks(&p[0]), [("inet".into(), true)]);
        assert_eq!(
            marks(&p[1]),
            [
                ("ax25".into(), true),
                ("ipx".into(), true),
                ("inet6".into(), false)
            ]
        );
        assert_eq!(marks(&p[1].children[0]), [("unix".into(), false)]);
    }

    #[test]
    fn aliases_copy_link_rules_moving_each_side_that_matches() {
        let l = load_text(
            "alias /usr/ -> /b/,\nalias /c -> /d,\nprofile a {\n link /usr/x -> /usr/y,\n link /c -> /usr/z,\n /usr/e px -> /usr/f,\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let rules: Vec<String> = l.policy.profiles[0]
            .rules
            .iter()
            .map(|r| match &r.kind {
                RuleKind::Link(k) => format!("{} -> {}", k.link, k.target),
                RuleKind::File(f) => format!(
                    "{} -> {}",
                    f.path.as_deref().unwrap_or(""),
                    f.exec_target.as_deref().unwrap_or("")
                ),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            rules,
            [
                "/usr/x -> /usr/y",
                "/b/x -> /b/y",
                "/c -> /usr/z",
                "/c -> /b/z",
                "/d -> /usr/z",
                "/usr/e -> /usr/f",
                "/b/e -> /usr/f",
            ]
        );
    }

    #[test]
    fn aliases_give_attachments_alternative_names() {
        // apparmor.d's tunables/alias.d: `whoami` also attaches to gnuwhoami
        // (5.0.2 output accepts both in the xmatch DFA).
        let l = load_text(
            "alias /{,usr/}bin/whoami -> /usr/bin/gnuwhoami,\nalias /{,usr/}bin/ -> /b/,\nalias /opt/ -> /o/,\nprofile whoami /{,usr/}bin/whoami {\n}\n/opt/x {\n}\nprofile n {\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let p = &l.policy.profiles;
        assert_eq!(p[0].alt_names, ["/usr/bin/gnuwhoami", "/b/whoami"]);
        assert_eq!(p[1].alt_names, ["/o/x"]);
        assert!(p[2].alt_names.is_empty());
    }

    #[test]
    fn defined_on_a_boolean_is_false_as_in_5_0_2() {
        let l = load_text(
            "$FOO=true\n@{V}=/v\nprofile a {\n if defined $FOO {\n  /bool r,\n }\n if defined @{V} {\n  /var r,\n }\n if $FOO {\n  /set r,\n }\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        // Later taken blocks come first (see conditional_block_rules_move_to_the_front).
        assert_eq!(paths(&l.policy.profiles[0]), ["/set", "/var"]);
    }

    #[test]
    fn debug_flag_counts_only_when_first() {
        let l =
            load_text("profile a flags=(audit,debug) {\n}\nprofile b flags=(debug,audit) {\n}\n");
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let p = &l.policy.profiles;
        assert!(p[0].flags.audit && !p[0].flags.debug);
        assert!(p[1].flags.audit && p[1].flags.debug);
    }

    #[test]
    fn unsafe_keyword_marks_inherit() {
        let l = load_text("profile a {\n unsafe ix /u,\n safe ix /s,\n ix /p,\n}\n");
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let modes: Vec<_> = l.policy.profiles[0]
            .rules
            .iter()
            .map(|r| match &r.kind {
                RuleKind::File(f) => f.access.exec,
                _ => None,
            })
            .collect();
        assert_eq!(
            modes,
            [
                Some(ExecMode::InheritUnsafe),
                Some(ExecMode::Inherit),
                Some(ExecMode::Inherit)
            ]
        );
    }

    #[test]
    fn lone_mount_path_is_a_mount_point_only_for_options_equals() {
        let l = load_text(
            "profile a {\n mount options=private /1,\n mount options in (private) /2,\n mount fstype={procfs,sysfs} /3,\n mount fstype=ext3,ext4 detached -> /4,\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let rules: Vec<_> = l.policy.profiles[0]
            .rules
            .iter()
            .filter_map(|r| match &r.kind {
                RuleKind::Mount(m) => Some(m),
                _ => None,
            })
            .collect();
        assert_eq!(rules[0].mountpoint.as_deref(), Some("/1"));
        assert_eq!(rules[0].source, None);
        assert_eq!(rules[1].source.as_deref(), Some("/2"));
        assert_eq!(rules[1].mountpoint, None);
        assert_eq!(rules[2].fstype[0].values, ["{procfs,sysfs}"]);
        assert_eq!(rules[3].fstype[0].values, ["ext3,ext4"]);
        assert_eq!(rules[3].source.as_deref(), Some(""));
    }

    #[test]
    fn network_skb_conditions_are_noted() {
        let l = load_text(
            "profile a {\n network receive interface=lo,\n network send peer=(label=foo),\n network inet,\n}\n",
        );
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let skb: Vec<_> = l.policy.profiles[0]
            .rules
            .iter()
            .map(|r| matches!(&r.kind, RuleKind::Network(n) if n.skb_conditions))
            .collect();
        assert_eq!(skb, [true, false, false]);
    }

    #[test]
    fn deprecated_link_exec_target_is_the_transition() {
        let l = load_text("profile t {\n /l/** lix -> /target,\n /m/** lpx -> /t2,\n}\n");
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let rules = &l.policy.profiles[0].rules;
        assert_eq!(rules.len(), 2);
        let RuleKind::File(f) = &rules[0].kind else {
            panic!("not a file rule")
        };
        assert!(f.access.link);
        assert_eq!(f.exec_target.as_deref(), Some("/target"));
        assert_eq!(
            f.access.exec,
            Some(ExecMode::Profile {
                safe: true,
                fallback: crate::model::ExecFallback::Inherit
            })
        );
        let RuleKind::File(g) = &rules[1].kind else {
            panic!("not a file rule")
        };
        assert_eq!(g.exec_target.as_deref(), Some("/t2"));
    }

    #[test]
    fn dbus_and_unix_patterns_are_left_to_the_encoder() {
        let ipc = "profile a {\n dbus bus=s{ession,\n unix addr=@x{a,b,\n}\n";
        let input = |text: &str| Input::Text {
            name: "t".into(),
            text: text.into(),
        };
        let deferred = Options {
            defer_ipc_patterns: true,
            ..Options::default()
        };
        let l = load(&input(ipc), &deferred, &SourceCache::new());
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        assert!(load_text(ipc).has_errors());
        let file = "profile a {\n /x{a,b r,\n}\n";
        assert!(load(&input(file), &deferred, &SourceCache::new()).has_errors());
    }

    #[test]
    fn hats_and_exec_modes() {
        let l = load_text("/usr/bin/a {\n /bin/b Pix,\n ^h {\n  /h r,\n }\n}\n");
        assert!(!l.has_errors(), "{:?}", l.diagnostics);
        let a = &l.policy.profiles[0];
        assert!(a.children[0].is_hat);
        let RuleKind::File(f) = &a.rules[0].kind else {
            panic!("not a file rule")
        };
        assert!(matches!(
            f.access.exec,
            Some(ExecMode::Profile { safe: true, .. })
        ));
    }

    #[test]
    fn reports_every_error_of_a_file() {
        let l =
            load_text("profile a {\n capability nope,\n /x ixpx,\n @{U} r,\n}\nprofile a {\n}\n");
        let errors: Vec<_> = l.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
    }

    /// apparmor_parser 5.0.2's qualifier rules, each verdict as it gives
    /// it: no `quiet` qualifier at all, no priority on network and `all`
    /// rules nor on rule blocks; priority everywhere else.
    #[test]
    fn quiet_and_misplaced_priority_are_errors_as_in_5_0_2() {
        let verdicts = [
            ("quiet /a r,", false),
            ("audit quiet capability,", false),
            ("quiet {\n /a r,\n }", false),
            ("priority=1 network,", false),
            ("priority=-3 deny network inet stream,", false),
            ("priority=1 all,", false),
            ("priority=1 audit {\n /a r,\n }", false),
            ("priority=1 {\n capability,\n }", false),
            ("audit {\n priority=1 /a r,\n }", true),
            ("priority=1 unix,", true),
            ("priority=1 capability,", true),
            ("priority=1 file,", true),
            ("priority=1 mount,", true),
            ("priority=1 audit deny /a r,", true),
            ("prompt /a r,", true),
            ("other /a r,", true),
            ("network,", true),
            ("all,", true),
            ("audit {\n priority=1 network,\n }", false),
            ("audit {\n owner capability,\n }", false),
            ("audit {\n set rlimit nofile <= 10,\n }", true),
        ];
        for (rule, valid) in verdicts {
            let l = load_text(&format!("profile p {{\n {rule}\n}}\n"));
            assert_eq!(!l.has_errors(), valid, "{rule}: {:?}", l.diagnostics);
        }
    }

    /// 5.0.2 checks, then ignores, the non-file rules of a qualifier block
    /// (capability, network, unix, dbus, mount, pivot_root, ptrace, signal,
    /// rlimit, userns, mqueue, io_uring, all), also through an `if` inside
    /// one; file, link and change_profile rules stay. (Its blobs for these
    /// profiles equal its blob for the profile without them, under every
    /// features file, debian-6.12's userns and io_uring included.)
    #[test]
    fn qualifier_blocks_keep_only_some_classes_as_in_5_0_2() {
        let kinds = |text: &str| -> Vec<String> {
            let l = load_text(text);
            assert!(!l.has_errors(), "{:?}", l.diagnostics);
            l.policy.profiles[0]
                .rules
                .iter()
                .map(|r| {
                    format!("{:?}", r.kind)
                        .split(['(', ' '])
                        .next()
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        };
        let block = "$B = true\nprofile p {\n audit {\n  capability chown,\n  network,\n  unix,\n  dbus,\n  mount,\n  umount,\n  remount /a/,\n  pivot_root,\n  ptrace,\n  signal,\n  set rlimit nofile <= 10,\n  all,\n  /a r,\n  link /a -> /b,\n  change_profile -> foo,\n  userns,\n  mqueue,\n  io_uring,\n  if $B {\n   capability chown,\n  }\n }\n}\n";
        // In reverse order, as 5.0.2 moves them out of the block.
        assert_eq!(kinds(block), ["ChangeProfile", "Link", "File"]);
        // A bare `{ ... }` is a block too.
        assert_eq!(
            kinds("profile p {\n {\n  userns,\n  /a r,\n }\n}\n"),
            ["File"]
        );
        assert_eq!(
            kinds("profile p {\n capability chown,\n}\n"),
            ["Capability"]
        );
        // Checked all the same.
        assert!(load_text("profile p {\n deny {\n  capability foo,\n }\n}\n").has_errors());
    }
}
