//! What a submission changes: unified diffs classified for display, the files marked added, changed or unchanged.

use super::*;

/// One line of a unified diff, classified for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct DiffLine {
    /// `file` (the `---`/`+++` headers), `hunk` (`@@`), `add`, `del`, `ctx` or `note`
    /// (`\ No newline at end of file`).
    pub(super) kind: &'static str,
    /// Line number in the published version.
    pub(super) old: Option<u32>,
    /// Line number in the submitted version.
    pub(super) new: Option<u32>,
    /// The line as in the diff, its `+`/`-`/space prefix kept.
    pub(super) text: String,
}

/// The start lines of a hunk header `@@ -old[,n] +new[,n] @@ ...`.
pub(super) fn hunk_start(line: &str) -> Option<(u32, u32)> {
    let rest = line.strip_prefix("@@ -")?;
    let (old, rest) = rest.split_once(" +")?;
    let (new, _) = rest.split_once(" @@")?;
    let first = |range: &str| range.split(',').next()?.parse().ok();
    Some((first(old)?, first(new)?))
}

/// Classifies the lines of a unified diff and numbers them on both sides.
pub(super) fn diff_lines(unified: &str) -> Vec<DiffLine> {
    let (mut old, mut new) = (0u32, 0u32);
    let mut in_hunk = false;
    let mut out = Vec::new();
    for text in unified.lines() {
        let (kind, o, n) = if let Some((o, n)) = hunk_start(text) {
            in_hunk = true;
            (old, new) = (o, n);
            ("hunk", None, None)
        } else if !in_hunk && (text.starts_with("--- ") || text.starts_with("+++ ")) {
            ("file", None, None)
        } else {
            match text.as_bytes().first() {
                Some(b'+') => {
                    new += 1;
                    ("add", None, Some(new - 1))
                }
                Some(b'-') => {
                    old += 1;
                    ("del", Some(old - 1), None)
                }
                Some(b'\\') => ("note", None, None),
                _ => {
                    (old, new) = (old + 1, new + 1);
                    ("ctx", Some(old - 1), Some(new - 1))
                }
            }
        };
        out.push(DiffLine {
            kind,
            old: o,
            new: n,
            text: text.to_string(),
        });
    }
    out
}

/// A changed file's diff, ready for the page.
#[derive(Debug, Serialize)]
pub(super) struct ChangeView {
    pub(super) path: String,
    pub(super) change: &'static str,
    /// Whether the file is in the submitted version (so the viewer can open it).
    pub(super) viewable: bool,
    pub(super) lines: Vec<DiffLine>,
    pub(super) added: usize,
    pub(super) removed: usize,
    pub(super) has_diff: bool,
    pub(super) truncated: bool,
}

pub(super) fn change_name(c: &ChangeKind) -> &'static str {
    match c {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

pub(super) fn change_view(c: FileChange) -> ChangeView {
    let lines: Vec<DiffLine> = c
        .text_diff
        .as_deref()
        .map(diff_lines)
        .unwrap_or_default()
        .into_iter()
        .filter(|l| l.kind != "file")
        .collect();
    ChangeView {
        change: change_name(&c.change),
        viewable: c.change != ChangeKind::Removed,
        added: lines.iter().filter(|l| l.kind == "add").count(),
        removed: lines.iter().filter(|l| l.kind == "del").count(),
        has_diff: c.text_diff.is_some(),
        truncated: c.truncated,
        lines,
        path: c.path,
    }
}

/// A file of the submitted version (or one it removed), with how it compares with the base.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub(super) struct FileRow {
    pub(super) path: String,
    pub(super) size: i64,
    pub(super) change: &'static str,
    pub(super) viewable: bool,
}

/// Every file of the submitted version marked added/changed/unchanged, then the removed ones.
pub(super) fn file_rows(files: &[FileEntry], diff: &[FileChange]) -> Vec<FileRow> {
    let changes: HashMap<&str, &FileChange> = diff.iter().map(|c| (c.path.as_str(), c)).collect();
    let mut rows: Vec<FileRow> = files
        .iter()
        .map(|f| FileRow {
            path: f.path.clone(),
            size: f.size,
            change: changes
                .get(f.path.as_str())
                .map_or("unchanged", |c| change_name(&c.change)),
            viewable: true,
        })
        .collect();
    rows.extend(
        diff.iter()
            .filter(|c| c.change == ChangeKind::Removed)
            .map(|c| FileRow {
                path: c.path.clone(),
                size: c.old_size.unwrap_or(0),
                change: "removed",
                viewable: false,
            }),
    );
    rows
}
