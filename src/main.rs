use std::process::ExitCode;

fn main() -> ExitCode {
    aaprof::cli::main()
}
