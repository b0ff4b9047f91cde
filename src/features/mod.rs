//! Kernel and policy feature sets (`--features-file`, `abi` rules).
