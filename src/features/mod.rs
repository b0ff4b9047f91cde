//! Kernel and policy feature sets (`--features-file`, `abi` rules).
//!
//! * [`FeatureSet`]: one features text with libapparmor's lookups
//!   ([`FeatureSet::supports`], quirks included, see [`lookup`]) and its
//!   cache id ([`FeatureSet::id`], MurmurHash3 of the verbatim text).
//! * [`Features`]: the kernel set and the policy set of one compile, with
//!   apparmor_parser's rules for which decision uses which set
//!   ([`KernelFacts`], [`RuleFacts`]).
//! * [`FeatureSources`]: which files the command line selects.
//! * [`FeatureNode`]: the text as a tree, for display.
//! * [`builtin`]: the sets compiled in (`builtin:NAME`), among them
//!   apparmor_parser 5.0.2's fallbacks when the kernel exposes none.

pub mod builtin;
mod facts;
pub mod lookup;
mod murmur;
mod set;
mod sources;
mod tree;

pub use facts::{FORCE_COMPLAIN_BIT, Features, KernelFacts, PARSER_ABI, POLICY_VERSION, RuleFacts};
pub use murmur::murmur3_x86_32;
pub use set::{FeatureError, FeatureSet, KERNEL_FEATURES_DIR, MAX_TEXT};
pub use sources::{FeatureSources, PolicySource};
pub use tree::FeatureNode;
