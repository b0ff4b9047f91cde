//! One compile run over many inputs: the shared source cache, the search
//! path and the feature sets, and the step from one input to its blob.

use super::{CompileOptions, Stage, Stats, compile_policy_counted};
use crate::dfa::BuildOptions;
use crate::diagnostics::Diagnostic;
use crate::features::{FeatureError, FeatureSet, FeatureSources, Features, builtin};
use crate::model::Policy;
use crate::resolve::{self, Found, Input, Loaded, SourceCache};
use crate::syntax::IncludeTarget;
use std::path::PathBuf;

/// Shared state of a run. `compile_input` may be called from many threads.
#[derive(Debug)]
pub struct Session {
    pub resolve: resolve::Options,
    pub cache: SourceCache,
    pub features: FeatureSources,
    /// Used when the command line names no kernel features (the running
    /// kernel's, when it lists any).
    pub default_kernel: Option<FeatureSet>,
    /// Stage times and automaton sizes of every compile of the session.
    pub stats: Stats,
    /// Limits on DFA construction (`--max-states`).
    pub build: BuildOptions,
}

/// What compiling one input gave.
#[derive(Debug)]
pub struct Compiled {
    /// The blob; `None` when any error diagnostic was reported.
    pub blob: Option<Vec<u8>>,
    /// Every diagnostic, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Every include met and what it resolved to (for the policy cache).
    pub includes: Vec<(IncludeTarget, Found)>,
    /// The file's `abi` rule, if any (for the policy cache).
    pub abi: Option<String>,
}

impl Compiled {
    /// A blob taken from the policy cache: no diagnostics (they were
    /// reported when it was compiled), no include record.
    pub fn reused(blob: Vec<u8>) -> Compiled {
        Compiled {
            blob: Some(blob),
            diagnostics: Vec::new(),
            includes: Vec::new(),
            abi: None,
        }
    }
}

impl Session {
    pub fn new(resolve: resolve::Options, features: FeatureSources) -> Session {
        Session {
            // The encoder checks dbus/unix patterns against the target.
            resolve: resolve::Options {
                defer_ipc_patterns: true,
                ..resolve
            },
            cache: SourceCache::new(),
            features,
            default_kernel: None,
            stats: Stats::default(),
            build: BuildOptions::default(),
        }
    }

    /// Loads, checks and compiles one input.
    pub fn compile_input(&self, input: &Input) -> Compiled {
        self.compile_input_with_model(input).0
    }

    /// [`Session::compile_input`], also returning the resolved policy and
    /// the features it was compiled for when it compiled (for `query` and
    /// `diff`, which name the rules behind an answer).
    pub fn compile_input_with_model(
        &self,
        input: &Input,
    ) -> (Compiled, Option<(Policy, Features)>) {
        let Loaded {
            policy,
            mut diagnostics,
            includes,
            ..
        } = self.stats.time(Stage::Load, || {
            resolve::load(input, &self.resolve, &self.cache)
        });
        let abi = policy.abi.clone();
        let done = |blob, diagnostics| Compiled {
            blob,
            diagnostics,
            includes,
            abi,
        };
        if diagnostics.iter().any(Diagnostic::is_error) {
            return (done(None, diagnostics), None);
        }
        let features = match self.features_for(policy.abi.as_deref()) {
            Ok(features) => features,
            Err(message) => {
                diagnostics.push(Diagnostic::error("features", message, None));
                return (done(None, diagnostics), None);
            }
        };
        diagnostics.extend(self.unenforced_warnings(&policy, &features));
        let policy_features_given =
            self.features.pinned.is_some() || self.features.override_abi.is_some();
        diagnostics.extend(super::missing_abi_warning(
            &policy,
            input,
            policy_features_given,
            self,
        ));
        let options = CompileOptions {
            build: self.build.clone(),
            ..CompileOptions::new(features)
        };
        match compile_policy_counted(&policy, &options, &self.stats) {
            Ok(blob) => (
                done(Some(blob), diagnostics),
                Some((policy, options.features)),
            ),
            Err(error) => {
                diagnostics.push(self.compile_error(&error));
                (done(None, diagnostics), None)
            }
        }
    }

    /// The kernel feature set: the command line's, else the running
    /// kernel's, else what apparmor_parser 5.0.2 assumes for a kernel that
    /// lists none (`builtin:apparmor-5.0-no-kernel`: kabi 5, no network).
    pub fn kernel_features(&self) -> FeatureSet {
        self.features
            .kernel
            .as_ref()
            .or(self.default_kernel.as_ref())
            .cloned()
            .unwrap_or_else(builtin::no_kernel)
    }

    /// The kernel and policy feature sets for a file whose first `abi`
    /// rule names `abi` (if any). A file without one gets the pinned set
    /// (`--policy-features`, `-M`), else 5.0.2's compiled-in default ABI
    /// (never the kernel set: `--kernel-features` alone does not pin).
    pub(crate) fn features_for(&self, abi: Option<&str>) -> Result<Features, String> {
        let kernel = self.kernel_features();
        let abi_set = match abi {
            Some("kernel") | None => None,
            // 5.0.2's built-in default ABI, not the kernel's (conformance
            // abi/ok_24: no network_v8 mediation on a 6.12 kernel).
            Some("default") => Some(builtin::default_abi()),
            Some(name) => Some(self.load_abi(name).map_err(|e| e.to_string())?),
        };
        let default_abi = match &self.features.pinned {
            Some(pinned) => pinned.clone(),
            None => builtin::default_abi(),
        };
        Ok(self
            .features
            .for_file(abi_set.as_ref(), &kernel, &default_abi)
            .0)
    }

    /// Reads the features file an `abi` rule names (searched like an
    /// include: `<name>` through the search path, else as a path).
    fn load_abi(&self, name: &str) -> Result<FeatureSet, FeatureError> {
        FeatureSet::load(&self.abi_path(name))
    }

    /// The file an `abi` rule naming `name` reads (searched like an
    /// include: `<name>` through the search path, else as a path).
    pub fn abi_path(&self, name: &str) -> PathBuf {
        for target in [
            IncludeTarget::Angle(name.to_string()),
            IncludeTarget::Path(name.to_string()),
        ] {
            if let Found::File(path) = resolve::locate(&target, &self.resolve) {
                return path;
            }
        }
        PathBuf::from(name)
    }
}
