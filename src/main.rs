use std::process::ExitCode;

fn main() -> ExitCode {
    // Like other command-line tools, end quietly when the reader of our
    // output goes away (`aaprof dump x | head`): Rust ignores SIGPIPE, which
    // would turn the failed write into a panic.
    // SAFETY: called before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    aaprof::cli::main()
}
