//! How `widgetry lint` shows a report: rustc-style text for people ([`text`]), the report
//! itself as JSON for scripts ([`json`]), and SARIF 2.1.0 for code-scanning tools ([`sarif`]).
//!
//! Renderers only format: they take a finished [`Report`](widgetry_validator::Report) and
//! return a `String`; writing it out and choosing the exit status is the command's job.

pub mod json;
pub mod sarif;
pub mod text;

use widgetry_validator::{Lang, Severity};

/// The word for a severity, as the text output prints it before a message.
pub fn severity_word(severity: Severity, lang: Lang) -> &'static str {
    let id = match severity {
        Severity::Error => "severity-error",
        Severity::Warning => "severity-warning",
        Severity::Info => "severity-info",
    };
    crate::texts::text(lang, id)
}

/// `n` and the noun in the right form, for a count id (`count-errors`): `1 error`,
/// `3 errors`; `1 ошибка`, `3 ошибки`, `5 ошибок`.
pub fn count(n: usize, lang: Lang, id: &str) -> String {
    crate::texts::fill(lang, id, &[("n", &n.to_string())]).into_owned()
}
