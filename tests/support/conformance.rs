//! Upstream's parser test cases in `../shared/conformance`, run exactly as
//! the reference was run (see that directory's README): the case on standard
//! input with its control lines removed, the working directory `tst/`, and
//! `-I <abs>/tst/simple_tests`.

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
