//! `aaprof man`: the roff man page generated from the clap definitions:
//! `aaprof(1)` with every subcommand and option (`man -l <(aaprof man)`).

use super::{Cli, EXIT_OK, EXIT_USAGE};
use clap::{Args, CommandFactory};
use std::io::Write;

#[derive(Debug, Args)]
pub struct ManArgs {}

/// Writes `aaprof(1)` and, after it, one page section per subcommand
/// (`aaprof-check(1)`, ...) to stdout.
pub fn run(_args: ManArgs) -> u8 {
    match render() {
        Ok(page) => {
            let mut out = std::io::stdout().lock();
            if out.write_all(&page).is_err() {
                return EXIT_USAGE;
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("aaprof man: {e}");
            EXIT_USAGE
        }
    }
}

/// The page text: the top-level page, then each subcommand's page.
pub fn render() -> std::io::Result<Vec<u8>> {
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("aaprof-{}", sub.get_name());
        let sub = sub.clone().name(name.clone()).bin_name(name);
        clap_mangen::Man::new(sub).render(&mut page)?;
    }
    Ok(page)
}
