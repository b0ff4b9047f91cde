//! Upstream's parser test cases in `../shared/conformance`, run exactly as
//! the reference was run (see that directory's README): the case on standard
//! input with its control lines removed, the working directory `tst/`, and
//! `-I <abs>/tst/simple_tests`.

use aaprof::compile::Session;
use aaprof::features::{FeatureSet, FeatureSources};
use aaprof::resolve::{self, Input};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// One row of `expected.tsv`: a case under one features file.
#[derive(Debug, Clone)]
pub struct Case {
    /// Path below `tst/simple_tests`, e.g. `file/ok_1.sd`.
    pub name: String,
    /// Features file stem in `../shared/features`.
    pub features: String,
    /// apparmor_parser 5.0.2 accepted the case (rc == 0).
    pub accepted: bool,
    /// sha256 of the reference blob, when accepted.
    pub sha256: Option<String>,
}

/// What compiling one case gave, beside the reference's answer.
pub struct Outcome {
    pub case: Case,
    /// aaprof accepted the case.
    pub accepted: bool,
    /// aaprof's blob has the reference's sha256.
    pub identical: bool,
    /// aaprof's first error message, when it rejected the case.
    pub first_error: Option<String>,
}

impl Outcome {
    /// aaprof's verdict is the reference's.
    pub fn verdict_agrees(&self) -> bool {
        self.accepted == self.case.accepted
    }

    /// The case's first directory below `simple_tests` (`file`,
    /// `generated_dbus`, ...).
    pub fn directory(&self) -> &str {
        self.case.name.split('/').next().unwrap_or("")
    }
}

/// The conformance data set's directories.
pub struct Conformance {
    pub root: PathBuf,
}

impl Conformance {
    pub fn new(shared: &Path) -> Conformance {
        Conformance {
            root: shared.join("conformance"),
        }
    }

    /// The working directory the reference ran in.
    pub fn tst_dir(&self) -> PathBuf {
        self.root.join("tst")
    }

    /// The include directory the reference was given with `-I`.
    pub fn include_dir(&self) -> PathBuf {
        self.root.join("tst/simple_tests")
    }

    pub fn features_file(&self, features: &str) -> PathBuf {
        self.root
            .join("../features")
            .join(format!("{features}.txt"))
    }

    pub fn reference_blob(&self, sha256: &str) -> PathBuf {
        self.root.join("blobs").join(format!("{sha256}.bin"))
    }

    /// Every row of `expected.tsv`, optionally only those of one features file.
    pub fn cases(&self, features: Option<&str>) -> Vec<Case> {
        self.cases_in("expected.tsv", features)
    }

    /// Every row of one of the data set's tables (`expected.tsv`, or
    /// `generated.tsv` for upstream's generated tests), optionally only
    /// those of one features file. An unreadable table gives no rows.
    pub fn cases_in(&self, table_name: &str, features: Option<&str>) -> Vec<Case> {
        let Ok(table) = std::fs::read_to_string(self.root.join(table_name)) else {
            eprintln!("note: conformance/{table_name} not readable; no cases");
            return Vec::new();
        };
        table
            .lines()
            .skip(1)
            .filter_map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let [name, _exresult, _todo, case_features, rc, sha256, _size] = fields[..] else {
                    return None;
                };
                if features.is_some_and(|wanted| wanted != case_features) {
                    return None;
                }
                Some(Case {
                    name: name.to_string(),
                    features: case_features.to_string(),
                    accepted: rc == "0",
                    sha256: (sha256 != "-").then(|| sha256.to_string()),
                })
            })
            .collect()
    }

    /// A compile session as the reference was run: the include path, the
    /// working directory, and `features` as both kernel and policy
    /// features (`-M`).
    pub fn session(&self, features: &str) -> Session {
        let set = FeatureSet::load(&self.features_file(features)).expect("features file");
        let options = resolve::Options {
            include_dirs: vec![self.include_dir()],
            cwd: Some(self.tst_dir()),
            ..resolve::Options::default()
        };
        Session::new(options, FeatureSources::both(set))
    }

    /// Compiles one case with `session` and compares it with the
    /// reference's verdict and sha256.
    pub fn run_case(&self, session: &Session, case: Case) -> Outcome {
        let text = String::from_utf8_lossy(&self.input(&case.name)).into_owned();
        let compiled = session.compile_input(&Input::Text {
            name: "-".into(),
            text,
        });
        let identical = match (&compiled.blob, &case.sha256) {
            (Some(blob), Some(expected)) => {
                let hex: String = Sha256::digest(blob)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                &hex == expected
            }
            _ => false,
        };
        Outcome {
            accepted: compiled.blob.is_some(),
            identical,
            first_error: compiled
                .diagnostics
                .iter()
                .find(|d| d.is_error())
                .map(|d| d.message.clone()),
            case,
        }
    }

    /// The text the reference read on standard input for this case.
    pub fn input(&self, case_name: &str) -> Vec<u8> {
        let raw = std::fs::read(self.include_dir().join(case_name)).expect("case file is readable");
        strip_control_lines(&raw)
    }
}

/// Removes the test-harness control lines: `#=DESCRIPTION`, `#=EXRESULT`
/// and `#=TODO` lines go, and `#=DISABLED` ends the input.
pub fn strip_control_lines(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for line in raw.split_inclusive(|&byte| byte == b'\n') {
        if line.starts_with(b"#=DISABLED") {
            break;
        }
        let control = [&b"#=DESCRIPTION"[..], b"#=EXRESULT", b"#=TODO"]
            .iter()
            .any(|prefix| line.starts_with(prefix));
        if !control {
            out.extend_from_slice(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_lines_are_removed_and_disabled_truncates() {
        let text = b"#\n#=DESCRIPTION x\n#=EXRESULT PASS\nprofile a {}\n#=DISABLED\nprofile b {}\n";
        assert_eq!(strip_control_lines(text), b"#\nprofile a {}\n");
    }
}
