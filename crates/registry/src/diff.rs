//! What changed between two versions of a widget, for moderators: which files were added,
//! removed or changed (from the file indexes, by SHA-256), and a unified line diff of a
//! text file's two contents. Pure: no storage, no I/O; the caller fetches the bytes.

use crate::FileEntry;
use serde::Serialize;
use similar::{Algorithm, TextDiff};
use std::collections::BTreeMap;
use std::time::Duration;

/// The most lines a text diff has (headers included); longer diffs are cut and marked
/// truncated.
pub const MAX_DIFF_LINES: usize = 2_000;

/// Lines of unchanged context around each change.
const CONTEXT_LINES: usize = 3;

/// How long the diff algorithm may look for the smallest diff of two large texts before it
/// settles for a correct but coarser one.
const DIFF_TIMEOUT: Duration = Duration::from_millis(500);

/// How a file differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with other bytes.
    Changed,
}

/// One file that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    /// Path inside the package.
    pub path: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// SHA-256 in the old version (`None` when added).
    pub old_sha256: Option<String>,
    /// SHA-256 in the new version (`None` when removed).
    pub new_sha256: Option<String>,
    /// Size in bytes in the old version (`None` when added).
    pub old_size: Option<i64>,
    /// Size in bytes in the new version (`None` when removed).
    pub new_size: Option<i64>,
    /// A unified diff of the two contents, when the caller computed one ([`text_diff`]).
    pub text_diff: Option<String>,
    /// The text diff was cut at [`MAX_DIFF_LINES`].
    pub truncated: bool,
}

/// Files added, removed and changed between two file indexes, sorted by path; unchanged
/// files (same SHA-256) are left out. `text_diff` is `None`: the caller fills it in from
/// the bytes with [`text_diff`].
pub fn file_changes(old: &[FileEntry], new: &[FileEntry]) -> Vec<FileChange> {
    let old: BTreeMap<&str, &FileEntry> = old.iter().map(|f| (f.path.as_str(), f)).collect();
    let new: BTreeMap<&str, &FileEntry> = new.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut paths: Vec<&str> = old.keys().chain(new.keys()).copied().collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .filter_map(|path| {
            let (before, after) = (old.get(path), new.get(path));
            let change = match (before, after) {
                (Some(b), Some(a)) if b.sha256 == a.sha256 => return None,
                (Some(_), Some(_)) => ChangeKind::Changed,
                (Some(_), None) => ChangeKind::Removed,
                (None, Some(_)) => ChangeKind::Added,
                (None, None) => return None,
            };
            Some(FileChange {
                path: path.to_string(),
                change,
                old_sha256: before.map(|f| f.sha256.clone()),
                new_sha256: after.map(|f| f.sha256.clone()),
                old_size: before.map(|f| f.size),
                new_size: after.map(|f| f.size),
                text_diff: None,
                truncated: false,
            })
        })
        .collect()
}

/// Whether a path is a text file worth a line diff, by its extension (json, js, css, html,
/// twig, md, txt, svg and the like): the validator's own list.
pub fn is_text_path(path: &str) -> bool {
    widgetry_validator::is_text_file(path)
}

/// A unified line diff of two texts (3 lines of context, headers `--- a/<path>` and
/// `+++ b/<path>`), or `None` when either side is not UTF-8 text (binary: invalid UTF-8 or
/// a NUL byte). For an added file pass `b""` as `old`, for a removed one `b""` as `new`.
/// Identical texts give an empty diff. The output is cut at [`MAX_DIFF_LINES`] lines;
/// returns the diff and whether it was cut.
pub fn text_diff(path: &str, old: &[u8], new: &[u8]) -> Option<(String, bool)> {
    let old = as_text(old)?;
    let new = as_text(new)?;
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(DIFF_TIMEOUT)
        .diff_lines(old, new);
    let mut unified = diff.unified_diff();
    unified.context_radius(CONTEXT_LINES);
    let mut out = String::new();
    let mut lines = 0;
    for hunk in unified.iter_hunks() {
        if lines == 0 {
            out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
            lines = 2;
        }
        for line in hunk.to_string().split_inclusive('\n') {
            if lines >= MAX_DIFF_LINES {
                return Some((out, true));
            }
            out.push_str(line);
            lines += 1;
        }
    }
    Some((out, false))
}

/// The bytes as text, unless they are binary.
fn as_text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|s| !s.contains('\0'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn entry(path: &str, sha: &str, size: i64) -> FileEntry {
        FileEntry {
            path: path.to_string(),
            sha256: sha.to_string(),
            size,
            content_type: "application/octet-stream".to_string(),
        }
    }

    #[test]
    fn added_removed_changed_and_unchanged_files() {
        let old = [
            entry("script.js", "s1", 10),
            entry("i18n/en.json", "e1", 5),
            entry("images/old.png", "p1", 300),
            entry("manifest.json", "m1", 50),
        ];
        let new = [
            entry("manifest.json", "m1", 50),
            entry("script.js", "s2", 12),
            entry("i18n/en.json", "e1", 5),
            entry("images/new.png", "p2", 400),
        ];
        let changes = file_changes(&old, &new);
        let summary: Vec<(&str, &ChangeKind)> = changes
            .iter()
            .map(|c| (c.path.as_str(), &c.change))
            .collect();
        assert_eq!(
            summary,
            [
                ("images/new.png", &ChangeKind::Added),
                ("images/old.png", &ChangeKind::Removed),
                ("script.js", &ChangeKind::Changed),
            ]
        );
        assert_eq!(changes[0].old_sha256, None);
        assert_eq!(changes[0].new_sha256.as_deref(), Some("p2"));
        assert_eq!(
            (changes[0].old_size, changes[0].new_size),
            (None, Some(400))
        );
        assert_eq!(changes[1].new_sha256, None);
        assert_eq!(
            (changes[1].old_size, changes[1].new_size),
            (Some(300), None)
        );
        assert_eq!(
            (
                changes[2].old_sha256.as_deref(),
                changes[2].new_sha256.as_deref()
            ),
            (Some("s1"), Some("s2"))
        );
        assert!(
            changes
                .iter()
                .all(|c| c.text_diff.is_none() && !c.truncated)
        );
        assert!(file_changes(&old, &old).is_empty());
        assert!(file_changes(&[], &[]).is_empty());
    }

    #[test]
    fn changes_serialise_in_snake_case() {
        let changes = file_changes(&[], &[entry("a.js", "x", 1)]);
        let json = serde_json::to_value(&changes[0]).unwrap();
        assert_eq!(json["change"], "added");
        assert_eq!(json["old_sha256"], serde_json::Value::Null);
        assert_eq!(json["truncated"], false);
    }

    #[test]
    fn a_changed_line_with_context_and_headers() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        let (diff, truncated) = text_diff("script.js", old.as_bytes(), new.as_bytes()).unwrap();
        assert!(!truncated);
        assert_eq!(
            diff,
            "--- a/script.js\n+++ b/script.js\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn added_removed_and_identical_texts() {
        let (added, _) = text_diff("i18n/es.json", b"", b"{\n}\n").unwrap();
        assert_eq!(
            added,
            "--- a/i18n/es.json\n+++ b/i18n/es.json\n@@ -0,0 +1,2 @@\n+{\n+}\n"
        );
        let (removed, _) = text_diff("old.css", b"x {}\n", b"").unwrap();
        assert!(removed.ends_with("@@ -1 +0,0 @@\n-x {}\n"), "{removed}");
        assert_eq!(
            text_diff("same.js", b"x\n", b"x\n"),
            Some((String::new(), false))
        );
    }

    #[test]
    fn binary_sides_give_no_diff() {
        assert_eq!(
            text_diff("logo.png", b"\x89PNG\r\n\x1a\n\xff", b"text\n"),
            None
        );
        assert_eq!(text_diff("a.txt", b"text\n", b"with\0nul\n"), None);
        assert!(!is_text_path("images/logo.png"));
        assert!(is_text_path("i18n/en.json"));
        assert!(is_text_path("templates/card.twig"));
        assert!(is_text_path("images/icon.SVG"));
    }

    #[test]
    fn line_endings_are_part_of_the_line() {
        let (diff, _) = text_diff("a.js", b"x\r\ny\r\n", b"x\r\ny\n").unwrap();
        assert!(diff.contains("-y\r\n+y\n"), "{diff:?}");
        assert!(diff.contains("\n x\r\n"), "{diff:?}");
        assert_eq!(
            text_diff("a.js", b"x\r\ny\r\n", b"x\r\ny\r\n"),
            Some((String::new(), false))
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let (diff, _) = text_diff("a.js", b"x\n", b"x").unwrap();
        assert!(diff.contains("\\ No newline at end of file"), "{diff}");
    }

    #[test]
    fn long_diffs_are_cut() {
        let old: String = (0..5_000).map(|i| format!("line {i}\n")).collect();
        let new: String = (0..5_000).map(|i| format!("LINE {i}\n")).collect();
        let (diff, truncated) = text_diff("big.js", old.as_bytes(), new.as_bytes()).unwrap();
        assert!(truncated);
        assert_eq!(diff.lines().count(), MAX_DIFF_LINES);
        assert!(diff.ends_with('\n'));
        let (diff, truncated) = text_diff("big.js", b"", b"one\n").unwrap();
        assert!(!truncated);
        assert_eq!(diff.lines().count(), 4);
    }
}
