//! Options shared by every command that reads policy source, with
//! apparmor_parser's spelling and meaning.

use clap::Args;
use std::path::PathBuf;

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
