//! `aaprof names`: one profile name per line (apparmor_parser `-N`):
//! `name`, `name//hat`, `name//child`, `:ns:name` for namespaced ones.

use super::common::{DiagnosticFormat, emit};
use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::model::Profile;
use crate::resolve::{SourceCache, load};
use clap::Args;

#[derive(Debug, Args)]
pub struct NamesArgs {
    #[command(flatten)]
    pub input: PolicyInputArgs,
}

pub fn run(args: NamesArgs) -> u8 {
    let (config, inputs) = match args
        .input
        .config()
        .and_then(|c| Ok((c, args.input.inputs()?)))
    {
        Ok(x) => x,
        Err(e) => {
            eprintln!("aaprof names: {e}");
            return EXIT_USAGE;
        }
    };
    let cache = SourceCache::new();
    let mut status = EXIT_OK;
    for input in &inputs {
        let loaded = load(input, &config.options, &cache);
        if loaded.has_errors() {
            emit(&loaded.diagnostics, DiagnosticFormat::Human);
            status = EXIT_POLICY_ERROR;
            continue;
        }
        let mut out = Vec::new();
        for p in &loaded.policy.profiles {
            let top = match &p.namespace {
                Some(ns) => format!(":{ns}:{}", p.name),
                None => p.name.clone(),
            };
            names(p, &top, &mut out);
        }
        for n in out {
            println!("{n}");
        }
    }
    status
}

/// The profile's full name, then its children's, depth first.
pub fn names(profile: &Profile, full: &str, out: &mut Vec<String>) {
    out.push(full.to_string());
    for child in &profile.children {
        names(child, &format!("{full}//{}", child.name), out);
    }
}
