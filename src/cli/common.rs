//! Options shared by every command that reads policy source, with
//! apparmor_parser's spelling and meaning, and their resolution into
//! [`PolicyConfig`] (parser.conf first, then the command line).

use crate::diagnostics::Location;
use crate::diagnostics::{
    Diagnostic, WarnClass, WarnSettings, render_github, render_human, render_json, render_sarif,
};
use crate::features::FeatureSources;
use crate::resolve::{Input, Options, SourceCache, directory_files};
use clap::{Args, ValueEnum};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where policy comes from and what it is compiled for: the search path,
/// parser.conf and the feature sets. Shared by every command that reads
/// policy (`lsp` and `test` too, which take no profile files).
#[derive(Debug, Clone, Args, Default)]
pub struct PolicySettingsArgs {
    /// Add a directory to the include search path (repeatable, searched in order).
    #[arg(short = 'I', long = "Include", value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Base directory for relative includes and profiles.
    #[arg(short = 'b', long = "base", value_name = "DIR")]
    pub base: Option<PathBuf>,
    /// Read options from this parser.conf instead of /etc/apparmor/parser.conf.
    #[arg(long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// Features file (or `builtin:NAME`, see `aaprof features list`)
    /// describing both kernel and policy features.
    #[arg(short = 'M', long = "features-file", value_name = "FILE")]
    pub features_file: Option<PathBuf>,
    /// Features file or `builtin:NAME` describing the kernel only
    /// (default: the running kernel's, else apparmor_parser 5.0.2's
    /// fallback `builtin:apparmor-5.0-no-kernel`).
    #[arg(long = "kernel-features", value_name = "FILE")]
    pub kernel_features: Option<PathBuf>,
    /// Features file or `builtin:NAME` describing the policy ABI of files
    /// without an `abi` rule (default: `builtin:apparmor-5.0-default-abi`).
    #[arg(long = "policy-features", value_name = "FILE")]
    pub policy_features: Option<PathBuf>,
    /// Use this policy ABI, ignoring `abi` rules.
    #[arg(long = "override-policy-abi", value_name = "FILE")]
    pub override_policy_abi: Option<PathBuf>,
}

/// The profile files of a command, with the [`PolicySettingsArgs`] they
/// are read under.
#[derive(Debug, Clone, Args, Default)]
pub struct PolicyInputArgs {
    /// Profile files or directories; `-` or none reads standard input.
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub settings: PolicySettingsArgs,
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
    /// `warn`, `Werror` and `quiet` lines of parser.conf; the command's
    /// [`WarnArgs`] are applied on top.
    pub warnings: WarnSettings,
    /// `Optimize` values of parser.conf, in order (recorded; aaprof
    /// always builds apparmor_parser's default automaton).
    pub optimize: Vec<String>,
    /// parser.conf problems that are not errors (`config` warnings:
    /// unknown options, unsupported `Optimize`), `FILE:LINE: message`.
    pub conf_warnings: Vec<String>,
}

impl PolicyConfig {
    /// The features this configuration names (features file, kernel and
    /// policy features, ABI override), loaded.
    pub fn feature_sources(&self) -> Result<FeatureSources, String> {
        FeatureSources::load(
            self.features_file.as_deref(),
            self.kernel_features.as_deref(),
            self.policy_features.as_deref(),
            self.override_policy_abi.as_deref(),
        )
        .map_err(|e| e.to_string())
    }

    /// Prints the parser.conf warnings to stderr when the `config` class
    /// is shown; with `--Werror=config` they are errors (`Err`).
    pub fn report_conf_warnings(&self, command: &str) -> Result<(), String> {
        if self.warnings.is_error(WarnClass::Config) && !self.conf_warnings.is_empty() {
            return Err(self.conf_warnings.join("; "));
        }
        if self.warnings.shows(WarnClass::Config) {
            for warning in &self.conf_warnings {
                eprintln!("aaprof {command}: warning: {warning}");
            }
        }
        Ok(())
    }
}

/// apparmor_parser's policy-cache options (`-K -T -W -L -k`), the same for
/// `compile` and `load`.
#[derive(Debug, Clone, Args)]
pub struct CacheArgs {
    /// Neither read nor write the policy cache (overrides --write-cache).
    #[arg(short = 'K', long = "skip-cache")]
    pub skip_cache: bool,
    /// Reuse no cache entry: compile every file (with --write-cache, every
    /// entry is written again).
    #[arg(short = 'T', long = "skip-read-cache")]
    pub skip_read_cache: bool,
    /// Keep apparmor_parser's policy cache up to date: one blob per profile
    /// file in <cache-loc>/<features-id>.<N>/, written after a fresh compile
    /// (for `load`, once the kernel took it); an entry whose inputs
    /// (profile, includes, features, options) are unchanged is reused.
    #[arg(short = 'W', long = "write-cache")]
    pub write_cache: bool,
    /// Where the cache lives.
    #[arg(short = 'L', long = "cache-loc", value_name = "DIR", default_value = crate::cache::DEFAULT_CACHE_LOC)]
    pub cache_loc: PathBuf,
    /// Report cache hits and misses on stderr.
    #[arg(short = 'k', long = "show-cache")]
    pub show_cache: bool,
}

/// apparmor_parser's warning options (`--help=warn` names the classes).
#[derive(Debug, Clone, Args, Default)]
pub struct WarnArgs {
    /// Show warnings of CLASS (`no-CLASS` hides them; `all`, `no-all`;
    /// `show` prints the shown classes and exits). Shown by default:
    /// config, cache, jobs, unexpected, override.
    #[arg(long = "warn", value_name = "CLASS")]
    pub warn: Vec<String>,
    /// Hide warnings of CLASS (same as --warn=no-CLASS).
    #[arg(long = "no-warn", value_name = "CLASS")]
    pub no_warn: Vec<String>,
    /// Make warnings errors (exit 1): every class, or only CLASS
    /// (repeatable). Applies whether or not the class is shown.
    #[arg(
        long = "Werror",
        value_name = "CLASS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "all"
    )]
    pub werror: Vec<String>,
    /// Show no warnings (errors, including --Werror ones, still are).
    #[arg(short = 'q', long = "quiet")]
    pub quiet: bool,
}

impl WarnArgs {
    /// Applies the flags on top of parser.conf's settings: `--warn` in
    /// order, then `--no-warn`, then `--Werror`, then `-q`. With
    /// `--warn=show`, prints the shown classes as apparmor_parser does
    /// (`warn=config, cache, ...`) and returns `Ok(true)`: the command
    /// then exits 0 without doing anything else.
    pub fn apply(&self, settings: &mut WarnSettings) -> Result<bool, String> {
        let mut show = false;
        for value in &self.warn {
            if value == "show" {
                show = true;
                continue;
            }
            settings.warn(value).map_err(|e| e.to_string())?;
        }
        for value in &self.no_warn {
            let value = value.strip_prefix("no-").unwrap_or(value);
            settings
                .warn(&format!("no-{value}"))
                .map_err(|e| e.to_string())?;
        }
        for value in &self.werror {
            settings.werror(Some(value)).map_err(|e| e.to_string())?;
        }
        if self.quiet {
            settings.quiet();
        }
        if show {
            println!("warn={}", settings.shown_names().join(", "));
        }
        Ok(show)
    }
}

/// The default parser.conf, read when present and no `--config-file` is given.
const DEFAULT_CONFIG: &str = "/etc/apparmor/parser.conf";

impl PolicySettingsArgs {
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
            super::parser_conf::apply_named(&text, &path.display().to_string(), &mut config)?;
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
            if !f.exists() && !crate::features::FeatureSet::is_builtin(f) {
                return Err(format!("features file {} does not exist", f.display()));
            }
        }
        Ok(config)
    }
}

impl PolicyInputArgs {
    /// [`PolicySettingsArgs::config`] of these inputs.
    pub fn config(&self) -> Result<PolicyConfig, String> {
        self.settings.config()
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
                let entries = directory_files(f)
                    .map_err(|e| format!("cannot read directory {}: {e}", f.display()))?;
                inputs.extend(entries.into_iter().map(Input::Path));
            } else {
                inputs.push(Input::Path(f.to_path_buf()));
            }
        }
        Ok(inputs)
    }
}

/// Gives the diagnostics that have no place (features and back-end errors,
/// which concern the whole input) the input file without a line
/// ([`Location::file`]), so every format names the file without
/// pretending line 1 is at fault. Standard input and unreadable files
/// stay unplaced.
pub fn place_on_input(diagnostics: &mut [Diagnostic], input: &Input, cache: &SourceCache) {
    let Input::Path(path) = input else {
        return;
    };
    if diagnostics.iter().all(|d| d.location.is_some()) {
        return;
    }
    let Ok(parsed) = cache.get(path) else {
        return;
    };
    for d in diagnostics.iter_mut().filter(|d| d.location.is_none()) {
        d.location = Some(Location::file(parsed.source.clone()));
    }
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// miette's report: position, source line, caret, include chain.
    #[default]
    Human,
    /// One JSON object per diagnostic, one per line, on stdout.
    Json,
    /// One SARIF 2.1.0 log for the whole run, on stdout (GitHub code
    /// scanning, other SARIF viewers).
    Sarif,
    /// GitHub Actions annotation lines (`::error file=...::message`) on
    /// stdout.
    Github,
}

/// Writes the diagnostics of one input in the chosen format (human to
/// stderr, the others to stdout). SARIF is one document per run: pass
/// every diagnostic of the run at once.
/// Prints the diagnostics of several inputs: one SARIF log for them all
/// (a log is one JSON document), else each input's in turn.
pub fn emit_per_input(per_input: Vec<(bool, Vec<Diagnostic>)>, format: DiagnosticFormat) {
    if format == DiagnosticFormat::Sarif {
        let all: Vec<Diagnostic> = per_input.into_iter().flat_map(|(_, d)| d).collect();
        emit(&all, format);
    } else {
        for (_, diagnostics) in &per_input {
            emit(diagnostics, format);
        }
    }
}

pub fn emit(diagnostics: &[Diagnostic], format: DiagnosticFormat) {
    match format {
        DiagnosticFormat::Human => render_human(diagnostics),
        DiagnosticFormat::Json => print!("{}", render_json(diagnostics)),
        DiagnosticFormat::Sarif => print!("{}", render_sarif(diagnostics)),
        DiagnosticFormat::Github => print!("{}", render_github(diagnostics)),
    }
}
