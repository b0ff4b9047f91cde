//! `aaprof check --cache DIR`: is a shipped policy cache current?

use super::{EXIT_OK, EXIT_POLICY_ERROR, EXIT_USAGE, PolicyInputArgs};
use crate::cache::Store;
use crate::cache::store::Role;
use crate::compile::Session;
use crate::features::FeatureSet;
use crate::resolve::Input;
use rayon::prelude::*;
use std::path::Path;

/// Prints `PATH: current` or `PATH: stale` per input file (stdin has no
/// cache entry, so it is never current); 0 when all are current, 1 when
/// any is stale, 2 on usage errors. Reads the cache, never writes it.
pub fn run(args: &PolicyInputArgs, loc: &Path) -> u8 {
    match check(args, loc) {
        Ok(status) => status,
        Err(message) => {
            eprintln!("aaprof check: {message}");
            EXIT_USAGE
        }
    }
}

fn check(args: &PolicyInputArgs, loc: &Path) -> Result<u8, String> {
    let config = args.config()?;
    let inputs = args.inputs()?;
    let features = config.feature_sources()?;
    let mut session = Session::new(config.options, features);
    if session.features.kernel.is_none() {
        session.default_kernel = FeatureSet::from_running_kernel().ok();
    }
    let kernel = session
        .features
        .kernel
        .clone()
        .or_else(|| session.default_kernel.clone())
        .ok_or("checking a cache needs kernel features: pass --features-file")?;
    let store = Store::inspect(loc, &kernel, &session).map_err(|e| e.to_string())?;
    let roles = Role::of_run(inputs.iter().map(|input| match input {
        Input::Path(path) => Some(path.as_path()),
        Input::Text { .. } => None,
    }));
    let verdicts: Vec<(String, bool)> = inputs
        .par_iter()
        .zip(&roles)
        .map(|(input, role)| match input {
            Input::Path(path) => (
                path.display().to_string(),
                store.lookup(path, *role, &session).is_some(),
            ),
            Input::Text { name, .. } => (name.clone(), false),
        })
        .collect();
    let mut status = EXIT_OK;
    for (name, current) in verdicts {
        println!("{name}: {}", if current { "current" } else { "stale" });
        if !current {
            status = EXIT_POLICY_ERROR;
        }
    }
    Ok(status)
}
