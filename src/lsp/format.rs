//! Formatting through `aaprof fmt`'s code: the whole buffer replaced by
//! its canonical layout, or an error when the formatter refuses the file.

use super::text::LineIndex;
use super::workspace::Workspace;
use crate::format::{FormatError, FormatOptions, format_text};
use lsp_types::{FormattingOptions, Range, TextEdit, Uri};

pub fn format(
    ws: &Workspace,
    uri: &Uri,
    options: &FormattingOptions,
) -> Result<Vec<TextEdit>, String> {
    let doc = ws.docs.get(uri).ok_or("the document is not open")?;
    let indent = if options.insert_spaces {
        options.tab_size.max(1) as usize
    } else {
        2
    };
    match format_text(
        uri.as_str(),
        &doc.text,
        FormatOptions {
            indent_width: indent,
        },
    ) {
        Ok(formatted) if formatted == doc.text => Ok(Vec::new()),
        Ok(formatted) => {
            let index = LineIndex::new(&doc.text);
            let end = index.position(doc.text.len());
            Ok(vec![TextEdit::new(
                Range::new(Default::default(), end),
                formatted,
            )])
        }
        Err(FormatError::Syntax(_)) => Err("aaprof fmt: the file has syntax errors".into()),
        Err(e) => Err(format!("aaprof fmt: {e}")),
    }
}
