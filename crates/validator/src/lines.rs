//! Byte offsets to 1-based line and column (columns count Unicode characters), for every
//! kind of file the validator points into.

/// The start offset of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes a text.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line and character column of a byte offset in the indexed `text`. An
    /// offset past the end or inside a character is clamped, never a panic.
    pub fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let mut end = offset.min(text.len()).max(start);
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text.get(start..end).map_or(0, |s| s.chars().count());
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }

    /// The byte offset of a 1-based line and 1-based byte column (as `serde_json` reports
    /// them), clamped to the line; `None` for line 0 or a line past the end.
    pub fn offset(&self, text: &str, line: usize, byte_column: usize) -> Option<usize> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .map_or(text.len(), |e| e.saturating_sub(1));
        Some((start + byte_column.saturating_sub(1)).min(end.max(start)))
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(text.len(), |e| e - 1);
        text.get(start..end)
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_lines() {
        let text = "ab\r\nцд\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 4), (2, 1));
        assert_eq!(idx.position(text, 6), (2, 2));
        assert_eq!(idx.position(text, 5), (2, 1)); // inside a character: clamped
        assert_eq!(idx.position(text, 999), (3, 2));
        assert_eq!(idx.line_text(text, 1), Some("ab"));
        assert_eq!(idx.line_text(text, 2), Some("цд"));
        assert_eq!(idx.line_text(text, 3), Some("x"));
        assert_eq!(idx.line_text(text, 4), None);
        assert_eq!(idx.offset(text, 2, 3), Some(6));
        assert_eq!(idx.offset(text, 2, 99), Some(8));
        assert_eq!(idx.offset(text, 0, 1), None);
        assert_eq!(idx.offset(text, 9, 1), None);
    }
}
