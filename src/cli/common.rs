//! Options shared by every command that reads policy source, with
//! apparmor_parser's spelling and meaning, and their resolution into
//! [`PolicyConfig`] (parser.conf first, then the command line).

use crate::diagnostics::{Diagnostic, render_human, render_json};
use crate::resolve::{Input, Options, is_ignored_name};
use clap::{Args, ValueEnum};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Args, Default)]
pub struct PolicyInputArgs {
    /// Profile files or directories; `-` or none reads standard input.
    pub files: Vec<PathBuf>,
    /// Add a directory to the include search path (repeatable, searched in order).
    #[arg(short = 'I', long = "Include", value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Base directory for relative includes and profiles.
    #[arg(short = 'b', long = "base", value_name = "DIR")]
    pub base: Option<PathBuf>,
    /// Read options from this parser.conf instead of /etc/apparmor/parser.conf.
    #[arg(long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// Features file describing both kernel and policy features.
    #[arg(short = 'M', long = "features-file", value_name = "FILE")]
    pub features_file: Option<PathBuf>,
    /// Features file describing the kernel only.
    #[arg(long = "kernel-features", value_name = "FILE")]
    pub kernel_features: Option<PathBuf>,
    /// Features file describing the policy ABI only.
    #[arg(long = "policy-features", value_name = "FILE")]
    pub policy_features: Option<PathBuf>,
    /// Use this policy ABI, ignoring `abi` rules.
    #[arg(long = "override-policy-abi", value_name = "FILE")]
    pub override_policy_abi: Option<PathBuf>,
}

/// Everything the input flags and parser.conf say, merged: parser.conf
/// first, then the command line (which appends include directories and
/// overrides single-valued settings).
#[derive(Debug, Clone, Default)]
pub struct PolicyConfig {
    pub options: Options,
    pub features_file: Option<PathBuf>,
    pub kernel_features: Option<PathBuf>,
    pub policy_features: Option<PathBuf>,
    pub override_policy_abi: Option<PathBuf>,
}

/// The default parser.conf, read when present and no `--config-file` is given.
const DEFAULT_CONFIG: &str = "/etc/apparmor/parser.conf";

impl PolicyInputArgs {
    /// Merges parser.conf and the flags. Errors are usage/I-O errors.
    pub fn config(&self) -> Result<PolicyConfig, String> {
        let mut config = PolicyConfig::default();
        let conf_path = match &self.config_file {
            Some(p) => Some(p.clone()),
            None => Some(PathBuf::from(DEFAULT_CONFIG)).filter(|p| p.exists()),
        };
        if let Some(path) = conf_path {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
            apply_parser_conf(&text, &mut config)?;
        }
        config
            .options
            .include_dirs
            .extend(self.include.iter().cloned());
        if let Some(b) = &self.base {
            config.options.base_dir = b.clone();
        }
        let pick = |cli: &Option<PathBuf>, conf: &mut Option<PathBuf>| {
            if cli.is_some() {
                *conf = cli.clone();
            }
        };
        pick(&self.features_file, &mut config.features_file);
        pick(&self.kernel_features, &mut config.kernel_features);
        pick(&self.policy_features, &mut config.policy_features);
        pick(&self.override_policy_abi, &mut config.override_policy_abi);
        for f in [
            &config.features_file,
            &config.kernel_features,
            &config.policy_features,
            &config.override_policy_abi,
        ]
        .into_iter()
        .flatten()
        {
            if !f.exists() {
                return Err(format!("features file {} does not exist", f.display()));
            }
        }
        Ok(config)
    }

    /// The inputs named on the command line: files, every file of each
    /// directory (dot files and packaging leftovers skipped), or stdin.
    pub fn inputs(&self) -> Result<Vec<Input>, String> {
        let files: Vec<&Path> = self.files.iter().map(PathBuf::as_path).collect();
        if files.is_empty() || files == [Path::new("-")] {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            return Ok(vec![Input::Text {
                name: "-".into(),
                text,
            }]);
        }
        let mut inputs = Vec::new();
        for f in files {
            let meta =
                std::fs::metadata(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
            if meta.is_dir() {
                let mut entries: Vec<PathBuf> = std::fs::read_dir(f)
                    .map_err(|e| format!("cannot read directory {}: {e}", f.display()))?
                    .filter_map(|e| e.ok())
                    .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
                    .map(|e| e.path())
                    .filter(|p| {
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| !is_ignored_name(n))
                    })
                    .collect();
                entries.sort();
                inputs.extend(entries.into_iter().map(Input::Path));
            } else {
                inputs.push(Input::Path(f.to_path_buf()));
            }
        }
        Ok(inputs)
    }
}

/// Applies parser.conf lines: `option [value]` or `option=value`, with the
/// long option names of apparmor_parser. Options that do not concern
/// reading policy (cache, output, warnings) are accepted and ignored.
pub fn apply_parser_conf(text: &str, config: &mut PolicyConfig) -> Result<(), String> {
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once(|c: char| c == '=' || c.is_whitespace()) {
            Some((k, v)) => (k.trim(), Some(v.trim()).filter(|v| !v.is_empty())),
            None => (line, None),
        };
        let need = || {
            value
                .map(PathBuf::from)
                .ok_or_else(|| format!("parser.conf line {}: `{key}` needs a value", n + 1))
        };
        match key {
            "Include" | "I" => config.options.include_dirs.push(need()?),
            "base" | "b" => config.options.base_dir = need()?,
            "features-file" | "M" => config.features_file = Some(need()?),
            "kernel-features" => config.kernel_features = Some(need()?),
            "policy-features" => config.policy_features = Some(need()?),
            "override-policy-abi" => config.override_policy_abi = Some(need()?),
            _ => {}
        }
    }
    Ok(())
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// miette's report: position, source line, caret, include chain.
    #[default]
    Human,
    /// One JSON object per diagnostic, one per line, on stdout.
    Json,
}

/// Writes diagnostics in the chosen format (human to stderr, JSON to stdout).
pub fn emit(diagnostics: &[Diagnostic], format: DiagnosticFormat) {
    match format {
        DiagnosticFormat::Human => render_human(diagnostics),
        DiagnosticFormat::Json => print!("{}", render_json(diagnostics)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_conf_sets_includes_and_features() {
        let mut c = PolicyConfig::default();
        apply_parser_conf(
            "# c\nInclude /a\nInclude=/b\npolicy-features /p\nwrite-cache\n",
            &mut c,
        )
        .unwrap();
        assert_eq!(
            c.options.include_dirs,
            [PathBuf::from("/a"), PathBuf::from("/b")]
        );
        assert_eq!(c.policy_features, Some(PathBuf::from("/p")));
        assert!(apply_parser_conf("Include\n", &mut c).is_err());
    }
}
