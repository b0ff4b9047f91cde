//! The features text as a tree, for display and for tools that want exact
//! key paths. The compiler's decisions must use
//! [`super::FeatureSet::supports`], which reproduces libapparmor's textual
//! lookup; this tree is the straightforward reading of the same text.

use serde::Serialize;

/// One block: its plain value words and its named sub-blocks, both in text
/// order. The text `mask {chown kill}` gives a node `mask` with values
/// `chown`, `kill`; `versions {v5 {yes}}` gives `versions` with a child
/// `v5` whose value is `yes`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct FeatureNode {
    pub values: Vec<String>,
    pub children: Vec<(String, FeatureNode)>,
}

impl FeatureNode {
    /// Parses features text leniently, as libapparmor does: any whitespace
    /// separates words, a stray `}` at the top level is ignored, and blocks
    /// left open at the end are closed. Non-UTF-8 bytes are replaced.
    pub fn parse(text: &[u8]) -> FeatureNode {
        let text = String::from_utf8_lossy(text);
        let tokens = tokenize(&text);
        let mut stack: Vec<(String, FeatureNode)> = vec![(String::new(), FeatureNode::default())];
        let mut i = 0;
        while i < tokens.len() {
            match tokens[i] {
                "{" => {
                    // A `{` without a preceding word opens an anonymous block.
                    stack.push((String::new(), FeatureNode::default()));
                }
                "}" => {
                    if stack.len() > 1 {
                        close(&mut stack);
                    }
                }
                word if tokens.get(i + 1) == Some(&"{") => {
                    stack.push((word.to_string(), FeatureNode::default()));
                    i += 1;
                }
                word => {
                    if let Some((_, node)) = stack.last_mut() {
                        node.values.push(word.to_string());
                    }
                }
            }
            i += 1;
        }
        while stack.len() > 1 {
            close(&mut stack);
        }
        stack.pop().map(|(_, node)| node).unwrap_or_default()
    }

    /// The first child named `key`.
    pub fn child(&self, key: &str) -> Option<&FeatureNode> {
        self.children
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, node)| node)
    }

    /// The node at an exact `/`-separated key path (no libapparmor quirks).
    pub fn get(&self, path: &str) -> Option<&FeatureNode> {
        path.split('/')
            .filter(|c| !c.is_empty())
            .try_fold(self, |node, key| node.child(key))
    }

    /// Every `key/path` with its values, depth first, for listings.
    pub fn flatten(&self) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        self.flatten_into("", &mut out);
        out
    }

    fn flatten_into(&self, prefix: &str, out: &mut Vec<(String, Vec<String>)>) {
        for (name, node) in &self.children {
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            out.push((path.clone(), node.values.clone()));
            node.flatten_into(&path, out);
        }
    }
}

fn close(stack: &mut Vec<(String, FeatureNode)>) {
    if let Some((name, node)) = stack.pop()
        && let Some((_, parent)) = stack.last_mut()
    {
        parent.children.push((name, node));
    }
}

fn tokenize(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c == '{' || c == '}' || c.is_whitespace() {
            if let Some(s) = start.take() {
                tokens.push(&text[s..i]);
            }
            if c == '{' || c == '}' {
                tokens.push(&text[i..i + 1]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        tokens.push(&text[s..]);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_blocks_values_and_whitespace_variants() {
        let text = b"caps {mask {chown kill\n}\n}\npolicy\t{ versions {v5 {yes}  v7 {yes\n}\n}\nset_load {yes}}";
        let tree = FeatureNode::parse(text);
        assert_eq!(tree.get("caps/mask").unwrap().values, ["chown", "kill"]);
        assert_eq!(tree.get("policy/versions/v7").unwrap().values, ["yes"]);
        assert_eq!(tree.get("policy/set_load").unwrap().values, ["yes"]);
        assert!(tree.get("policy/versions/v6").is_none());
        let paths: Vec<String> = tree.flatten().into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            [
                "caps",
                "caps/mask",
                "policy",
                "policy/versions",
                "policy/versions/v5",
                "policy/versions/v7",
                "policy/set_load"
            ]
        );
    }

    #[test]
    fn unbalanced_braces_do_not_fail() {
        let tree = FeatureNode::parse(b"a {x {1}\n}\n}\nb {2\n");
        assert_eq!(tree.get("a/x").unwrap().values, ["1"]);
        assert_eq!(tree.get("b").unwrap().values, ["2"]);
    }
}
