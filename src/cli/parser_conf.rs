//! parser.conf, read as apparmor_parser reads it: one long option per
//! line (`option`, `option value` or `option=value`, without the leading
//! `--`), `#` comment lines, read before the command line so the command
//! line overrides single-valued options and appends to `Include`.

use super::common::PolicyConfig;
use std::path::PathBuf;

/// apparmor_parser's long options that aaprof accepts in parser.conf but
/// that change nothing it computes (they concern loading, the kernel,
/// caching policy or verbosity). Unknown names get a `config` warning, as
/// apparmor_parser gives ("unknown option (NAME) in config file").
const ACCEPTED: &[&str] = &[
    "add",
    "replace",
    "remove",
    "Complain",
    "binary",
    "names",
    "stdout",
    "ofile",
    "subdomainfs",
    "match-string",
    "namespace",
    "readimpliesX",
    "show-cache",
    "skip-cache",
    "skip-read-cache",
    "write-cache",
    "skip-bad-cache",
    "purge-cache",
    "debug-cache",
    "print-cache-dir",
    "cache-loc",
    "verbose",
    "skip-kernel-load",
    "version",
    "debug",
    "preprocess",
    "dump",
    "help",
    "jobs",
    "max-jobs",
    "abort-on-error",
    "skip-bad-cache-rebuild",
    "config-file",
    "print-config",
];

/// Applies the text of a parser.conf (named `file` in messages) to
/// `config`. Errors (a missing value, an unknown warning class) make the
/// run a usage error; unknown option names are only warned about, in
/// `config.conf_warnings`.
pub fn apply_parser_conf(text: &str, config: &mut PolicyConfig) -> Result<(), String> {
    apply_named(text, "parser.conf", config)
}

pub(super) fn apply_named(text: &str, file: &str, config: &mut PolicyConfig) -> Result<(), String> {
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once(|c: char| c == '=' || c.is_whitespace()) {
            Some((k, v)) => (k.trim(), Some(v.trim()).filter(|v| !v.is_empty())),
            None => (line, None),
        };
        let at = || format!("{file}:{}", n + 1);
        let need = || {
            value
                .map(PathBuf::from)
                .ok_or_else(|| format!("{}: `{key}` needs a value", at()))
        };
        match key {
            "Include" | "I" => config.options.include_dirs.push(need()?),
            "base" | "b" => config.options.base_dir = need()?,
            "features-file" | "M" => config.features_file = Some(need()?),
            "kernel-features" => config.kernel_features = Some(need()?),
            "policy-features" => config.policy_features = Some(need()?),
            "override-policy-abi" => config.override_policy_abi = Some(need()?),
            "warn" => {
                let value = value.ok_or_else(|| format!("{}: `warn` needs a value", at()))?;
                config
                    .warnings
                    .warn(value)
                    .map_err(|e| format!("{}: {e}", at()))?;
            }
            "Werror" => config
                .warnings
                .werror(value)
                .map_err(|e| format!("{}: {e}", at()))?,
            "quiet" => config.warnings.quiet(),
            "Optimize" | "O" => {
                let value = value.ok_or_else(|| format!("{}: `Optimize` needs a value", at()))?;
                config.optimize.push(value.to_string());
                if !value.starts_with("compress") {
                    // Every other -O flag changes apparmor_parser's DFA;
                    // aaprof always builds the default one.
                    config.conf_warnings.push(format!(
                        "{}: Optimize={value} is not supported: aaprof builds the default automaton",
                        at()
                    ));
                }
            }
            _ if ACCEPTED.contains(&key) => {}
            _ => config
                .conf_warnings
                .push(format!("{}: unknown option ({key}) in config file", at())),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::WarnClass;

    #[test]
    fn sets_includes_features_and_warnings() {
        let mut c = PolicyConfig::default();
        apply_parser_conf(
            "# c\nInclude /a\nInclude=/b\npolicy-features /p\nwrite-cache\nwarn=abi\nOptimize=compress-fast\nOptimize no-expr-simplify\n",
            &mut c,
        )
        .unwrap();
        assert_eq!(
            c.options.include_dirs,
            [PathBuf::from("/a"), PathBuf::from("/b")]
        );
        assert_eq!(c.policy_features, Some(PathBuf::from("/p")));
        assert!(c.warnings.shows(WarnClass::Abi));
        assert_eq!(c.optimize, ["compress-fast", "no-expr-simplify"]);
        assert_eq!(c.conf_warnings.len(), 1, "{:?}", c.conf_warnings);
        assert!(apply_parser_conf("Include\n", &mut c).is_err());
        assert!(apply_parser_conf("warn=nonsense\n", &mut c).is_err());
    }

    #[test]
    fn unknown_options_are_warnings_with_their_line() {
        let mut c = PolicyConfig::default();
        apply_named("\n# x\nbogus-option\n", "/etc/p.conf", &mut c).unwrap();
        assert_eq!(
            c.conf_warnings,
            ["/etc/p.conf:3: unknown option (bogus-option) in config file"]
        );
    }
}
