//! The compile driver: a resolved [`Policy`] and the target's [`Features`]
//! in, the blob `apparmor_parser -Q -S` writes out.
//!
//! It connects the back-end stages: [`crate::encode`] gives each profile's
//! rule lists, [`crate::dfa`] builds their automata, [`tables`] maps state
//! records to accept words or permission tables ([`accept`]) and packs the
//! DFA, and [`crate::blob`] serializes the records.

mod accept;
mod error;
mod session;
mod stats;
mod warnings;

pub use error::CompileError;
pub use session::{Compiled, Session};
pub use stats::{Stage, Stats};
pub use warnings::missing_abi_warning;

use crate::blob::{self, Caps, Pdb, ProfileRecord, RecordFlags};
use crate::dfa::{self, Accept, BuildOptions, Dfa};
use crate::encode::{self, EncodeTarget, EncodedProfile, MediatedClasses, ProfileOptions};
use crate::expr::Expr;
use crate::features::{Features, KernelFacts};
use crate::model::Policy;
use crate::tables::{self, WriteOptions};
use accept::{file_accept, policy_accept, xmatch_accept};

/// Everything that decides the bytes of a compile besides the policy.
#[derive(Debug, Clone)]
pub struct CompileOptions {
    pub features: Features,
    pub build: BuildOptions,
    /// Set the force-complain bit in every record's version word.
    pub force_complain: bool,
}

impl CompileOptions {
    pub fn new(features: Features) -> CompileOptions {
        CompileOptions {
            features,
            build: BuildOptions::default(),
            force_complain: false,
        }
    }
}

/// The decisions derived once per compile from the features.
struct Target {
    kernel: KernelFacts,
    encode: EncodeTarget,
    profile: ProfileOptions,
    write: WriteOptions,
    version: u32,
    kill_signal: bool,
    error_flag: bool,
}

impl Target {
    fn new(options: &CompileOptions) -> Target {
        let kernel = options.features.kernel_facts();
        let rules = options.features.rule_facts();
        let encode = EncodeTarget {
            kabi: kernel.kabi,
            mediates: MediatedClasses {
                mount: rules.mount,
                dbus: rules.dbus,
                signal: rules.signal,
                ptrace: rules.ptrace,
                network_v8: rules.network_v8,
                network_v9_skb: false,
                unix_v9: false,
                unix_v7: rules.unix,
                posix_mqueue: rules.posix_mqueue,
                sysv_mqueue: rules.sysv_mqueue,
                userns: rules.userns,
                io_uring: rules.io_uring,
            },
            permstable: kernel.permstable32(),
            permsv3: kernel.permsv(),
            xattr_attach: rules.domain_xattr,
            out_of_band: kernel.oob,
            stacking: rules.stacking,
            network_legacy: rules.network && !rules.network_v8,
            inet_fine: rules.inet,
            caps_as_sys_admin: crate::encode::caps_as_sys_admin(
                &options.features.kernel.words("caps/mask"),
            ),
        };
        Target {
            encode,
            profile: ProfileOptions {
                interruptible: rules.flag_interruptible,
            },
            write: WriteOptions {
                state32: kernel.state32,
            },
            version: kernel.version_word(options.force_complain),
            kill_signal: rules.flag_kill_signal,
            error_flag: rules.flag_error,
            kernel,
        }
    }
}

/// The encoder's view of a target: what `compile_policy` encodes rules
/// for under these features (used to encode single rules alike, e.g. to
/// name the rules behind a `query` answer).
pub fn encode_target(features: &Features) -> EncodeTarget {
    Target::new(&CompileOptions::new(features.clone())).encode
}

/// Compiles every profile of `policy` (hats and children flattened) into
/// one blob. An input without profiles gives an empty blob.
pub fn compile_policy(policy: &Policy, options: &CompileOptions) -> Result<Vec<u8>, CompileError> {
    compile_policy_counted(policy, options, &Stats::default())
}

/// [`compile_policy`], adding stage times and DFA sizes to `stats`.
pub fn compile_policy_counted(
    policy: &Policy,
    options: &CompileOptions,
    stats: &Stats,
) -> Result<Vec<u8>, CompileError> {
    let target = Target::new(options);
    let encoded = stats.time(Stage::Encode, || {
        encode::encode_policy(policy, &target.encode, target.profile)
    })?;
    // By value: each profile's rule expressions are freed as soon as its
    // automata are built, which bounds peak memory on large profiles.
    let records = encoded
        .into_iter()
        .map(|profile| {
            stats.profile();
            profile_record(profile, &target, &options.build, stats)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(stats.time(Stage::Write, || blob::write_records(&records))?)
}

fn profile_record(
    mut profile: EncodedProfile,
    target: &Target,
    build: &BuildOptions,
    stats: &Stats,
) -> Result<ProfileRecord, CompileError> {
    let name = &profile.name;
    let xmatch = match profile.xmatch.take() {
        Some(xmatch) => {
            let dfa = build_dfa(name, "attachment", xmatch.rules, build, stats)?.dfa;
            let (accept, accept2) = xmatch_accept(&dfa);
            Some(blob::Xmatch {
                pdb: Pdb::packed(write_dfa(
                    name,
                    &dfa,
                    &accept,
                    Some(&accept2),
                    target,
                    stats,
                )?),
                len: xmatch.len,
            })
        }
        None => None,
    };
    let xtable = (!profile.file.xtable.is_empty()).then(|| profile.file.xtable.entries());
    let policy_rules = std::mem::take(&mut profile.policy_rules);
    let policydb = if policy_rules.is_empty() {
        None
    } else {
        let Built { dfa, unminimized } = build_dfa(name, "policy", policy_rules, build, stats)?;
        let accept = policy_accept(&dfa, &unminimized, target.kernel.permstable32());
        let mut pdb = pdb(name, &dfa, accept, target, stats)?;
        if target.kernel.permstable32() {
            pdb.xtable = xtable.clone();
        }
        Some(pdb)
    };
    let file_rules = std::mem::take(&mut profile.file.rules);
    let file = if file_rules.is_empty() {
        None
    } else {
        let Built { dfa, unminimized } = build_dfa(name, "file", file_rules, build, stats)?;
        let permstable = target.kernel.permstable32();
        let accept = file_accept(&dfa, &unminimized, permstable, target.kernel.permsv());
        let mut pdb = pdb(name, &dfa, accept, target, stats)?;
        pdb.xtable = xtable;
        Some(pdb)
    };
    let text = |value: &Option<String>| value.as_ref().map(|v| v.as_bytes().to_vec());
    Ok(ProfileRecord {
        version: target.version,
        namespace: text(&profile.namespace),
        name: name.as_bytes().to_vec(),
        xmatch,
        disconnected: text(&profile.disconnected_path),
        disconnected_ipc: None,
        kill: profile.kill_signal.filter(|_| target.kill_signal),
        error: profile.error.filter(|_| target.error_flag),
        flags: RecordFlags {
            flags: profile.flags.flags,
            mode: profile.flags.mode,
            audit: profile.flags.audit,
        },
        path_flags: profile.path_flags,
        caps: Caps {
            allow: profile.caps.allow,
            audit: profile.caps.audit,
            quiet: profile.caps.quiet,
            reserved: [0, 0],
            caps64: true,
        },
        xattrs: (!profile.xattr_names.is_empty()).then(|| {
            profile
                .xattr_names
                .iter()
                .map(|n| n.as_bytes().to_vec())
                .collect()
        }),
        rlimits: profile.rlimits.as_ref().map(|limits| blob::Rlimits {
            mask: limits.mask,
            values: limits.values.to_vec(),
        }),
        net_allowed_af: profile.net_allowed_af.clone(),
        policydb,
        file,
        ..ProfileRecord::default()
    })
}

/// The accept side of one DFA: packed words, or a permission table with
/// per-state indices.
pub(crate) struct AcceptTables {
    pub accept: Vec<u32>,
    pub accept2: Option<Vec<u32>>,
    pub perms: Option<Vec<blob::PermsEntry>>,
    pub permsv: Option<u32>,
}

fn pdb<R>(
    profile: &str,
    dfa: &Dfa<R>,
    tables: AcceptTables,
    target: &Target,
    stats: &Stats,
) -> Result<Pdb, CompileError> {
    let accept2 = tables.accept2.as_deref();
    let bytes = write_dfa(profile, dfa, &tables.accept, accept2, target, stats)?;
    Ok(Pdb {
        perms: tables.perms.map(|entries| blob::PermsTable {
            version: 1,
            entries,
        }),
        permsv: tables.permsv,
        dfa: bytes,
        ..Pdb::default()
    })
}

/// A built automaton and the records of every state it had before
/// minimisation (the parser indexes permission tables from those).
struct Built<R> {
    dfa: Dfa<R>,
    unminimized: Vec<R>,
}

fn build_dfa<R: Accept<Error = encode::CombineError>>(
    profile: &str,
    which: &'static str,
    rules: Vec<(Expr, R)>,
    options: &BuildOptions,
    stats: &Stats,
) -> Result<Built<R>, CompileError> {
    let built = stats
        .time(Stage::Build, || dfa::build::build_states(rules, options))
        .map_err(|source| CompileError::Dfa {
            profile: profile.to_string(),
            which,
            source,
        })?;
    let dfa = stats.time(Stage::Minimize, || {
        dfa::number::number(dfa::minimize::minimize(&built))
    });
    let unminimized = built.records;
    stats.dfa(unminimized.len(), dfa.states.len());
    Ok(Built { dfa, unminimized })
}

fn write_dfa<R>(
    profile: &str,
    dfa: &Dfa<R>,
    accept: &[u32],
    accept2: Option<&[u32]>,
    target: &Target,
    stats: &Stats,
) -> Result<Vec<u8>, CompileError> {
    stats
        .time(Stage::Tables, || {
            tables::write_dfa(dfa, accept, accept2, &target.write)
        })
        .map_err(|source| CompileError::Tables {
            profile: profile.to_string(),
            source,
        })
}
