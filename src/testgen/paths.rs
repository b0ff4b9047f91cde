//! Paths and globs: literal components, `*`, `**`, `?`, character classes,
//! (nested) alternations and variable references.

use super::Gen;

const WORDS: &[&str] = &[
    "etc", "usr", "bin", "lib", "tmp", "home", "proc", "a", "b", "foo", "x.conf", "dev", "run",
];

impl Gen<'_, '_> {
    /// A literal path component (also a variable value).
    pub(super) fn component(&mut self) -> String {
        self.pick(WORDS).to_string()
    }

    /// One component that may be a pattern.
    fn glob_component(&mut self, nesting: usize) -> String {
        match self.range(0, 11) {
            0 => "*".into(),
            1 => "**".into(),
            2 => format!("{}?", self.component()),
            3 => format!("[{}]", self.pick(&["a-c", "^x", "0-9", "ab"])),
            4 if nesting < 2 => {
                let mut alternatives = Vec::new();
                for _ in 0..self.range(2, 3) {
                    alternatives.push(self.glob_component(nesting + 1));
                }
                format!("{{{}}}", alternatives.join(","))
            }
            5 if !self.vars.is_empty() => {
                let n = self.range(0, self.vars.len() - 1);
                format!("@{{{}}}", self.vars[n])
            }
            6 => format!("{}*", self.component()),
            _ => self.component(),
        }
    }

    /// An absolute path of one to five components, sometimes ending in `/`.
    pub(super) fn path(&mut self) -> String {
        let mut path = String::new();
        for _ in 0..self.range(1, 5) {
            path.push('/');
            let part = self.glob_component(0);
            path.push_str(&part);
        }
        if self.one_in(4) {
            path.push('/');
        }
        path
    }

    /// A literal absolute path (for peers, mount points and the like).
    pub(super) fn literal_path(&mut self) -> String {
        let mut path = String::new();
        for _ in 0..self.range(1, 3) {
            path.push('/');
            let part = self.component();
            path.push_str(&part);
        }
        path
    }
}
