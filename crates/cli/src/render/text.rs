//! `--format text`: rustc-style diagnostics, one block per finding, then a summary line.
//!
//! ```text
//! error[json.syntax]: `manifest.json` is not valid JSON: expected `,` or `}`
//!  --> manifest.json:3:5
//!   |
//! 3 |     "name": "widget.name"
//!   |     ^
//!   |
//!   = help: fix the syntax at the marked position; ...
//!
//! error: `my-widget` has 1 error (profile `upload`)
//! ```
//!
//! A finding in a text file with a known line shows that line with a caret under the column;
//! a finding with only a file shows `--> file`; a package-wide finding shows only its message
//! and help. Positions past the end of a line or file never panic: the caret is clamped to
//! the end of the line, or the snippet is left out.

use super::{count, severity_word};
use crate::texts::{self, fill, text};
use annotate_snippets::{
    AnnotationKind, Group, Level, Origin, Renderer, Snippet, normalize_untrusted_str,
};
use widgetry_validator::lines::LineIndex;
use widgetry_validator::{Diagnostic, Lang, Package, Report, Severity};

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Message language for the words the CLI adds (levels, summary).
    pub lang: Lang,
    /// Whether to use ANSI colours.
    pub color: bool,
    /// Whether the findings come from a preview run (the summary says so) rather than a
    /// profile's checks.
    pub preview: bool,
}

/// Renders every finding and the summary. `name` is how the user named the package (the path
/// they gave), shown in the summary.
pub fn render(report: &Report, package: &Package, name: &str, style: Style) -> String {
    let renderer = if style.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in &report.diagnostics {
        let source = d
            .file
            .as_deref()
            .and_then(|f| source_line(package, f, d.line));
        let group = diagnostic(d, source.as_ref(), style.lang);
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    if !report.libraries.is_empty() {
        out.push_str(&libraries(report, style.lang));
        out.push_str("\n\n");
    }
    out.push_str(&renderer.render(&[summary(report, name, style)]));
    out.push('\n');
    out
}

/// The known libraries found, one line each, so the author sees which files were taken as
/// someone else's code.
fn libraries(report: &Report, lang: Lang) -> String {
    let mut out = text(lang, "libraries-title").to_string();
    for l in &report.libraries {
        let how = match l.how.as_str() {
            "hash" => text(lang, "library-how-hash"),
            "normalised_hash" => text(lang, "library-how-normalised_hash"),
            _ => text(lang, "library-how-banner"),
        };
        out.push_str(&format!(
            "\n  {}: {} {} ({how})",
            normalize_untrusted_str(&l.file),
            l.name,
            l.version
        ));
        if !l.advisories.is_empty() {
            out.push_str(&format!(" [{}]", l.advisories.join(", ")));
        }
    }
    out
}

/// One line of a file, for a snippet.
struct SourceLine {
    text: String,
    line: u32,
}

/// The text of `line` in `file`, when the file is in the package, is text and has that line.
fn source_line(package: &Package, file: &str, line: Option<u32>) -> Option<SourceLine> {
    let line = line?;
    let bytes = package.get(file)?;
    if bytes.contains(&0) {
        return None; // binary: no snippet
    }
    let text = String::from_utf8_lossy(bytes);
    let index = LineIndex::new(&text);
    let text = index.line_text(&text, line)?.to_string();
    Some(SourceLine { text, line })
}

fn level(severity: Severity, lang: Lang) -> Level<'static> {
    let level = match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::NOTE,
    };
    match lang {
        Lang::En => level,
        Lang::Ru => level.with_name(severity_word(severity, lang)),
    }
}

fn help_level(lang: Lang) -> Level<'static> {
    match lang {
        Lang::En => Level::HELP,
        Lang::Ru => Level::HELP.with_name(text(lang, "level-help")),
    }
}

fn note_level(lang: Lang) -> Level<'static> {
    match lang {
        Lang::En => Level::NOTE,
        Lang::Ru => Level::NOTE.with_name(text(lang, "level-note")),
    }
}

/// The byte range of the character at 1-based `column` in `line`: one character wide, or
/// empty at the end of the line when the column is past it.
fn caret_span(line: &str, column: Option<u32>) -> std::ops::Range<usize> {
    let index = column
        .and_then(|c| usize::try_from(c).ok())
        .unwrap_or(1)
        .saturating_sub(1);
    match line.char_indices().nth(index) {
        Some((start, c)) => start..start + c.len_utf8(),
        None => line.len()..line.len(),
    }
}

fn diagnostic<'a>(d: &'a Diagnostic, source: Option<&'a SourceLine>, lang: Lang) -> Group<'a> {
    let title = level(d.severity, lang)
        .primary_title(d.message.as_str())
        .id(d.code.as_str());
    let mut group = Group::with_title(title);
    match (&d.file, source) {
        (Some(file), Some(src)) => {
            let mut annotation = AnnotationKind::Primary.span(caret_span(&src.text, d.column));
            if let Some(pointer) = &d.pointer {
                annotation = annotation.label(pointer.as_str());
            }
            group = group.element(
                Snippet::source(src.text.as_str())
                    .line_start(usize::try_from(src.line).unwrap_or(usize::MAX))
                    .path(file.as_str())
                    .annotation(annotation),
            );
        }
        (Some(file), None) => {
            let mut origin = Origin::path(file.as_str());
            if let Some(line) = d.line.and_then(|l| usize::try_from(l).ok()) {
                origin = origin.line(line);
                if let Some(column) = d.column.and_then(|c| usize::try_from(c).ok()) {
                    origin = origin.char_column(column);
                }
            }
            group = group.element(origin);
            if let Some(pointer) = &d.pointer {
                let text = fill(lang, "json-pointer", &[("pointer", pointer)]);
                group = group.element(note_level(lang).message(normalize_untrusted_str(&text)));
            }
        }
        (None, _) => {}
    }
    if !d.hint.is_empty() {
        group = group.element(help_level(lang).message(normalize_untrusted_str(&d.hint)));
    }
    group
}

fn summary<'a>(report: &Report, name: &str, style: Style) -> Group<'a> {
    let lang = style.lang;
    let (with_errors, with_warnings, clean) = if style.preview {
        (
            "summary-errors-preview",
            "summary-warnings-preview",
            "summary-clean-preview",
        )
    } else {
        ("summary-errors", "summary-warnings", "summary-clean")
    };
    let profile = report.profile.as_str();
    let name = normalize_untrusted_str(name);
    let infos = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Info)
        .count();
    let (errors, warnings) = (report.errors, report.warnings);
    let mut parts = Vec::new();
    for (n, id) in [
        (errors, "count-errors"),
        (warnings, "count-warnings"),
        (infos, "count-notes"),
    ] {
        if n > 0 {
            parts.push(count(n, lang, id));
        }
    }
    let listed = match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => fill(
            lang,
            "list-and",
            &[("rest", &rest.join(", ")), ("last", last)],
        )
        .into_owned(),
        None => String::new(),
    };
    let args = [
        ("name", name.as_str()),
        ("profile", profile),
        ("listed", listed.as_str()),
    ];
    if errors > 0 {
        let text = fill(lang, with_errors, &args).into_owned();
        Group::with_title(level(Severity::Error, lang).primary_title(text))
    } else if warnings > 0 {
        let text = fill(lang, with_warnings, &args).into_owned();
        Group::with_title(level(Severity::Warning, lang).primary_title(text))
    } else {
        let which = if infos == 0 { clean } else { with_warnings };
        let text = fill(lang, which, &args).into_owned();
        Group::with_title(
            Level::NOTE
                .with_name(texts::text(lang, "summary-ok"))
                .primary_title(text),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_span_is_one_character_and_clamped() {
        assert_eq!(caret_span("abc", Some(1)), 0..1);
        assert_eq!(caret_span("aцb", Some(2)), 1..3);
        assert_eq!(caret_span("aцb", Some(3)), 3..4);
        assert_eq!(caret_span("abc", Some(4)), 3..3);
        assert_eq!(caret_span("abc", Some(400)), 3..3);
        assert_eq!(caret_span("", Some(1)), 0..0);
        assert_eq!(caret_span("abc", None), 0..1);
        assert_eq!(caret_span("abc", Some(0)), 0..1);
    }

    fn diag(file: &str, line: Option<u32>, column: Option<u32>) -> Diagnostic {
        Diagnostic {
            code: "json.syntax".into(),
            severity: Severity::Error,
            message: "message".into(),
            file: Some(file.into()),
            pointer: Some("/widget".into()),
            line,
            column,
            hint: "hint".into(),
        }
    }

    #[test]
    fn positions_past_the_end_never_panic() {
        let files = vec![
            ("a.json".to_string(), b"{\n  \"x\": 1\n}".to_vec()),
            ("b.js".to_string(), b"\tlet \x1b[31m = 1;\r\n".to_vec()),
            ("c.png".to_string(), b"\x89PNG\r\n\x1a\n\0\0".to_vec()),
            ("d.js".to_string(), vec![0xff, 0xfe, b'\n', b'x']),
        ];
        let checked = widgetry_validator::check(
            widgetry_validator::Input::Files(files),
            &widgetry_validator::Options::default(),
        );
        let mut report = checked.report.clone();
        report.diagnostics = vec![
            diag("a.json", Some(2), Some(99)),
            diag("a.json", Some(99), Some(1)),
            diag("a.json", Some(u32::MAX), Some(u32::MAX)),
            diag("a.json", Some(3), Some(0)),
            diag("b.js", Some(1), Some(6)),
            diag("b.js", Some(2), Some(1)),
            diag("c.png", Some(1), Some(1)),
            diag("d.js", Some(2), Some(1)),
            diag("missing.js", Some(1), Some(1)),
            diag("a.json", None, None),
        ];
        for lang in [Lang::En, Lang::Ru] {
            for color in [false, true] {
                let out = render(
                    &report,
                    &checked.package,
                    "w",
                    Style {
                        lang,
                        color,
                        preview: false,
                    },
                );
                assert!(out.contains("json.syntax"));
                if !color {
                    assert!(
                        !out.contains('\u{1b}'),
                        "control characters are shown, not sent:\n{out}"
                    );
                }
            }
        }
        let out = render(
            &report,
            &checked.package,
            "w",
            Style {
                lang: Lang::En,
                color: false,
                preview: false,
            },
        );
        assert!(out.contains(" --> a.json:2:"), "{out}");
        assert!(out.contains("--> a.json:99:1"), "{out}");
        assert!(out.contains("--> c.png:1:1"), "{out}");
        assert!(out.contains("= note: JSON pointer `/widget`"), "{out}");
    }
}
