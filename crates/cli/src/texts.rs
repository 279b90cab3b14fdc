//! The CLI's texts: `locales/en.ftl` and `locales/ru.ftl` (Fluent), embedded and parsed at
//! first use. The validator's rule texts stay in its catalogue; these are the words around
//! them (severities, counts with their plural forms, the summary line).

use std::borrow::Cow;
use widgetry_i18n::Texts;
use widgetry_validator::Lang;

static TEXTS: Texts = Texts::new(
    include_str!("../locales/en.ftl"),
    include_str!("../locales/ru.ftl"),
);

/// The text `id` in `lang`.
pub fn text(lang: Lang, id: &str) -> &'static str {
    TEXTS.text(lang, id)
}

/// The text `id` in `lang` with its arguments (numbers select plural forms).
pub fn fill(lang: Lang, id: &str, args: &[(&str, &str)]) -> Cow<'static, str> {
    TEXTS.fill(lang, id, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_id_and_every_id_is_used() {
        let mut code = String::new();
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    code.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
                }
            }
        }
        let problems = TEXTS.problems(&code);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn counts_take_the_languages_plural_forms() {
        let ru: Vec<String> = [0, 1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111]
            .iter()
            .map(|n| fill(Lang::Ru, "count-errors", &[("n", &n.to_string())]).into_owned())
            .collect();
        assert_eq!(
            ru,
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
        assert_eq!(fill(Lang::En, "count-errors", &[("n", "1")]), "1 error");
        assert_eq!(fill(Lang::En, "count-errors", &[("n", "0")]), "0 errors");
    }
}
