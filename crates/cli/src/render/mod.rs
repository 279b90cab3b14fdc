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
    match (severity, lang) {
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
        (Severity::Info, Lang::En) => "note",
        (Severity::Error, Lang::Ru) => "ошибка",
        (Severity::Warning, Lang::Ru) => "предупреждение",
        (Severity::Info, Lang::Ru) => "примечание",
    }
}

/// `n` followed by the right form of a noun: `1 error`, `3 errors`; `1 ошибка`,
/// `3 ошибки`, `5 ошибок`. `forms` are (one, few, many); English uses one and many.
pub fn count(n: usize, lang: Lang, forms: (&str, &str, &str)) -> String {
    let word = match lang {
        Lang::En => {
            if n == 1 {
                forms.0
            } else {
                forms.2
            }
        }
        Lang::Ru => {
            let (tens, ones) = (n % 100, n % 10);
            if (11..=14).contains(&tens) {
                forms.2
            } else if ones == 1 {
                forms.0
            } else if (2..=4).contains(&ones) {
                forms.1
            } else {
                forms.2
            }
        }
    };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals() {
        let forms = ("ошибка", "ошибки", "ошибок");
        let got: Vec<String> = [0, 1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111]
            .iter()
            .map(|&n| count(n, Lang::Ru, forms))
            .collect();
        assert_eq!(
            got,
            [
                "0 ошибок",
                "1 ошибка",
                "2 ошибки",
                "4 ошибки",
                "5 ошибок",
                "11 ошибок",
                "12 ошибок",
                "21 ошибка",
                "22 ошибки",
                "25 ошибок",
                "101 ошибка",
                "111 ошибок"
            ]
        );
        assert_eq!(count(1, Lang::En, ("error", "", "errors")), "1 error");
        assert_eq!(count(0, Lang::En, ("error", "", "errors")), "0 errors");
    }
}
