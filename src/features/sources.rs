//! Which feature files a command line selects, with apparmor_parser's
//! precedence (see [`super::Features`] for the semantics).

use super::facts::Features;
use super::set::{FeatureError, FeatureSet};
use std::path::Path;

/// The feature sets named on the command line.
///
/// apparmor_parser applies options in command-line order (a later `-M`
/// replaces an earlier `--kernel-features`); with clap's unordered
/// options this type gives the specific options precedence over `-M`.
#[derive(Debug, Clone, Default)]
pub struct FeatureSources {
    /// `--kernel-features`, else `-M`.
    pub kernel: Option<FeatureSet>,
    /// `--policy-features`, else `-M` ("pinned" in apparmor_parser).
    pub pinned: Option<FeatureSet>,
    /// `--override-policy-abi`: replaces every `abi` rule.
    pub override_abi: Option<FeatureSet>,
}

/// Where a file's policy feature set came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicySource {
    Override,
    AbiRule,
    Pinned,
    /// No abi rule and no option: the caller's default ABI was used;
    /// apparmor_parser warns "missing feature abi" here.
    Default,
}

impl FeatureSources {
    /// One set as both kernel and policy features: what `-M FILE`
    /// (`--features-file`) alone selects.
    pub fn both(set: FeatureSet) -> FeatureSources {
        FeatureSources {
            kernel: Some(set.clone()),
            pinned: Some(set),
            override_abi: None,
        }
    }

    /// Loads the files of `-M`, `--kernel-features`, `--policy-features`
    /// and `--override-policy-abi`.
    pub fn load(
        features_file: Option<&Path>,
        kernel_features: Option<&Path>,
        policy_features: Option<&Path>,
        override_policy_abi: Option<&Path>,
    ) -> Result<FeatureSources, FeatureError> {
        let load = |p: Option<&Path>| p.map(FeatureSet::load).transpose();
        let both = load(features_file)?;
        Ok(FeatureSources {
            kernel: load(kernel_features)?.or_else(|| both.clone()),
            pinned: load(policy_features)?.or(both),
            override_abi: load(override_policy_abi)?,
        })
    }

    /// The features of one policy file: `abi_rule` is the set named by the
    /// file's first `abi` rule before its first profile (if any), `kernel`
    /// the kernel set to use when none was given on the command line (the
    /// running kernel's), `default_abi` the fallback policy ABI.
    pub fn for_file(
        &self,
        abi_rule: Option<&FeatureSet>,
        kernel: &FeatureSet,
        default_abi: &FeatureSet,
    ) -> (Features, PolicySource) {
        let (policy, source) = if let Some(set) = &self.override_abi {
            (set, PolicySource::Override)
        } else if let Some(set) = abi_rule {
            (set, PolicySource::AbiRule)
        } else if let Some(set) = &self.pinned {
            (set, PolicySource::Pinned)
        } else {
            (default_abi, PolicySource::Default)
        };
        let kernel = self.kernel.as_ref().unwrap_or(kernel);
        (
            Features {
                kernel: kernel.clone(),
                policy: policy.clone(),
            },
            source,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> FeatureSet {
        FeatureSet::from_text(text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn precedence_override_then_abi_then_pinned_then_default() {
        let a = set("a {yes\n}\n");
        let b = set("b {yes\n}\n");
        let c = set("c {yes\n}\n");
        let d = set("d {yes\n}\n");
        let k = set("k {yes\n}\n");
        let mut sources = FeatureSources {
            kernel: Some(k.clone()),
            pinned: Some(b.clone()),
            override_abi: Some(a.clone()),
        };
        let (f, s) = sources.for_file(Some(&c), &d, &d);
        assert_eq!((f.policy, s), (a, PolicySource::Override));
        assert_eq!(f.kernel, k);
        sources.override_abi = None;
        assert_eq!(sources.for_file(Some(&c), &d, &d).1, PolicySource::AbiRule);
        assert_eq!(sources.for_file(None, &d, &d).0.policy, b);
        sources.pinned = None;
        sources.kernel = None;
        let (f, s) = sources.for_file(None, &k, &d);
        assert_eq!((f.kernel, f.policy, s), (k, d, PolicySource::Default));
    }
}
