//! The server's settings: the same inputs as `aaprof check`'s flags
//! (include path, base directory, parser.conf, features), given on the
//! command line of `aaprof lsp` and overridden by the client's
//! `initializationOptions` or its `workspace/configuration` section
//! `aaprof`.

use crate::cli::PolicySettingsArgs;
use serde::Deserialize;
use std::path::PathBuf;

/// The settings a client may send (camelCase JSON). Unset fields keep
/// the command line's value.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// `-I` directories, searched in order.
    pub include_paths: Option<Vec<PathBuf>>,
    /// `-b`: the base directory (default `/etc/apparmor.d`).
    pub base_dir: Option<PathBuf>,
    /// parser.conf to read (`/dev/null` for none; default
    /// `/etc/apparmor/parser.conf` when it exists).
    pub config_file: Option<PathBuf>,
    /// `-M`: features file or `builtin:NAME` for kernel and policy.
    pub features_file: Option<PathBuf>,
    /// `--kernel-features` (default the running kernel's, else 5.0.2's
    /// built-in fallback).
    pub kernel_features: Option<PathBuf>,
    /// `--policy-features`.
    pub policy_features: Option<PathBuf>,
    /// Milliseconds between the last change and the diagnostic refresh.
    pub debounce_ms: Option<u64>,
}

impl Settings {
    /// Reads the settings from a client's JSON: the object itself, or its
    /// `aaprof` member (how editors nest a server's section). Anything
    /// unreadable gives the defaults and a message.
    pub fn from_json(value: &serde_json::Value) -> Result<Settings, String> {
        let value = value.get("aaprof").unwrap_or(value);
        if value.is_null() {
            return Ok(Settings::default());
        }
        serde_json::from_value(value.clone()).map_err(|e| format!("aaprof settings: {e}"))
    }

    /// The command-line arguments these settings amount to, on top of
    /// `base` (the flags `aaprof lsp` was started with).
    pub fn apply(&self, base: &PolicySettingsArgs) -> PolicySettingsArgs {
        let mut args = base.clone();
        if let Some(dirs) = &self.include_paths {
            args.include = dirs.clone();
        }
        let pick = |from: &Option<PathBuf>, to: &mut Option<PathBuf>| {
            if from.is_some() {
                *to = from.clone();
            }
        };
        pick(&self.base_dir, &mut args.base);
        pick(&self.config_file, &mut args.config_file);
        pick(&self.features_file, &mut args.features_file);
        pick(&self.kernel_features, &mut args.kernel_features);
        pick(&self.policy_features, &mut args.policy_features);
        args
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_flat_or_nested_and_override_the_flags() {
        let flat = serde_json::json!({"includePaths": ["/a"], "featuresFile": "builtin:x"});
        let nested = serde_json::json!({"aaprof": flat.clone()});
        let s = Settings::from_json(&flat).unwrap();
        assert_eq!(s, Settings::from_json(&nested).unwrap());
        let base = PolicySettingsArgs {
            include: vec!["/b".into()],
            config_file: Some("/dev/null".into()),
            ..PolicySettingsArgs::default()
        };
        let args = s.apply(&base);
        assert_eq!(args.include, vec![PathBuf::from("/a")]);
        assert_eq!(args.features_file, Some(PathBuf::from("builtin:x")));
        assert_eq!(args.config_file, Some(PathBuf::from("/dev/null")));
        assert!(Settings::from_json(&serde_json::json!({"includePaths": 3})).is_err());
        assert_eq!(
            Settings::from_json(&serde_json::Value::Null).unwrap(),
            Settings::default()
        );
    }
}
