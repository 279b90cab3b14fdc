//! A validation report shaped for a page: findings grouped by file (request-field findings
//! under the submission), each with its line, column, hint, and the offending source lines
//! with two lines of context, the line itself marked.

use serde::Serialize;
use std::collections::BTreeMap;
use widgetry_validator::{Diagnostic, Severity};

/// Lines of context shown above and below a finding's line.
const CONTEXT: u32 = 2;
/// Longest source line shown (characters); longer ones are cut with an ellipsis.
const MAX_LINE_CHARS: usize = 240;

/// One source line in a snippet.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Line {
    pub n: u32,
    pub text: String,
    pub hit: bool,
}

/// One finding.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Finding {
    pub code: String,
    pub severity: &'static str,
    pub message: String,
    pub hint: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub pointer: Option<String>,
    pub snippet: Vec<Line>,
}

/// The findings about one file (or about the request: `file` is `None`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Group {
    pub file: Option<String>,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "info",
    }
}

fn snippet(source: &str, line: u32) -> Vec<Line> {
    let first = line.saturating_sub(CONTEXT).max(1);
    source
        .lines()
        .enumerate()
        .filter_map(|(i, text)| {
            let n = u32::try_from(i + 1).ok()?;
            (first..=line + CONTEXT).contains(&n).then(|| {
                let mut text: String = text.chars().take(MAX_LINE_CHARS).collect();
                if text.len() < source.len() && text.chars().count() == MAX_LINE_CHARS {
                    text.push('…');
                }
                Line {
                    n,
                    text,
                    hit: n == line,
                }
            })
        })
        .collect()
}

/// Groups findings by file, errors first within each file; `source(path)` gives a file's
/// text when it is available (the uploaded archive, a stored version).
pub(crate) fn group(
    diagnostics: &[Diagnostic],
    source: &dyn Fn(&str) -> Option<String>,
) -> Vec<Group> {
    let mut by_file: BTreeMap<Option<String>, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        by_file.entry(d.file.clone()).or_default().push(d);
    }
    by_file
        .into_iter()
        .map(|(file, mut list)| {
            list.sort_by_key(|d| (d.severity != Severity::Error, d.line, d.column));
            let text = file.as_deref().and_then(source);
            let findings: Vec<Finding> = list
                .iter()
                .map(|d| Finding {
                    code: d.code.clone(),
                    severity: severity(d.severity),
                    message: d.message.clone(),
                    hint: d.hint.clone(),
                    line: d.line,
                    column: d.column,
                    pointer: d.pointer.clone(),
                    snippet: match (&text, d.line) {
                        (Some(t), Some(line)) => snippet(t, line),
                        _ => Vec::new(),
                    },
                })
                .collect();
            Group {
                errors: findings.iter().filter(|f| f.severity == "error").count(),
                warnings: findings.iter().filter(|f| f.severity == "warning").count(),
                file,
                findings,
            }
        })
        .collect()
}

/// The texts of a stored version's files that findings name, read from the blob store for
/// snippets; files larger than `max_bytes`, missing or not UTF-8 are left out.
pub(crate) async fn stored_sources(
    registry: &widgetry_registry::Registry,
    files: &[widgetry_registry::FileEntry],
    diagnostics: &[Diagnostic],
    max_bytes: i64,
) -> std::collections::HashMap<String, String> {
    let mut sources = std::collections::HashMap::new();
    for diag in diagnostics {
        let Some(path) = diag.file.as_deref() else {
            continue;
        };
        if sources.contains_key(path) {
            continue;
        }
        let Some(entry) = files.iter().find(|f| f.path == path) else {
            continue;
        };
        if entry.size > max_bytes {
            continue;
        }
        match registry.blobs().get(&entry.sha256).await {
            Ok(Some(bytes)) => {
                if let Ok(text) = String::from_utf8(bytes.to_vec()) {
                    sources.insert(path.to_string(), text);
                }
            }
            Ok(None) => tracing::warn!(sha256 = entry.sha256, "a version's file is missing"),
            Err(e) => tracing::warn!(error = %e, "cannot read a version's file"),
        }
    }
    sources
}

/// Text files of a ZIP archive as the validator read them, for snippets of a refused upload.
pub(crate) fn zip_sources(bytes: &[u8]) -> impl Fn(&str) -> Option<String> + use<> {
    let checked = widgetry_validator::check(
        widgetry_validator::Input::Zip(bytes),
        &widgetry_validator::Options::default(),
    );
    let package = checked.package;
    move |path: &str| {
        package
            .get(path)
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(code: &str, file: Option<&str>, line: Option<u32>, severity: Severity) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            severity,
            message: format!("{code} message"),
            file: file.map(str::to_string),
            pointer: None,
            line,
            column: Some(3),
            hint: "fix it".into(),
        }
    }

    #[test]
    fn groups_by_file_with_snippets() {
        let diags = vec![
            d(
                "script.console",
                Some("script.js"),
                Some(4),
                Severity::Warning,
            ),
            d(
                "script.debugger",
                Some("script.js"),
                Some(2),
                Severity::Error,
            ),
            d(
                "submission.description_missing",
                None,
                None,
                Severity::Error,
            ),
        ];
        let src = "a\nb\nc\nd\ne\nf\ng\n".to_string();
        let groups = group(&diags, &|p| (p == "script.js").then(|| src.clone()));
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].file, None);
        let js = &groups[1];
        assert_eq!((js.errors, js.warnings), (1, 1));
        assert_eq!(js.findings[0].code, "script.debugger");
        let lines: Vec<(u32, bool)> = js.findings[0]
            .snippet
            .iter()
            .map(|l| (l.n, l.hit))
            .collect();
        assert_eq!(lines, [(1, false), (2, true), (3, false), (4, false)]);
        assert_eq!(js.findings[1].snippet.len(), 5);
    }
}
