//! The pages' and the server's texts: `locales/en.ftl` and `locales/ru.ftl` (Fluent),
//! embedded in the binary and parsed once. Templates call `t("id", name=value)`, code calls
//! [`text`] and [`fill`]; numbers passed as arguments select plural forms. Tests check that
//! both languages have the same ids, that every id is used, and that every id a template or
//! the code names exists.

use std::borrow::Cow;
use widgetry_i18n::Texts;
use widgetry_validator::Lang;

static TEXTS: Texts = Texts::new(
    include_str!("../../locales/en.ftl"),
    include_str!("../../locales/ru.ftl"),
);

/// The text `id` in `lang`, without arguments.
pub(crate) fn text(lang: Lang, id: &str) -> &'static str {
    TEXTS.text(lang, id)
}

/// The text `id` in `lang` with its arguments (numbers select plural forms).
pub(crate) fn fill(lang: Lang, id: &str, args: &[(&str, &str)]) -> Cow<'static, str> {
    TEXTS.fill(lang, id, args)
}

/// [`fill`] with owned values (the registry's params, a template's arguments).
pub(crate) fn fill_values<S: AsRef<str>>(lang: Lang, id: &str, values: &[(&str, S)]) -> String {
    let args: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_ref())).collect();
    fill(lang, id, &args).into_owned()
}

/// The title of a moderators' reason code (`moderation.ui`) in `lang`.
pub(crate) fn reason_title(lang: Lang, code: &str) -> &'static str {
    text(lang, &format!("reason-{}", code.replace('.', "-")))
}

/// Whether `id` has a text.
pub(crate) fn has(id: &str) -> bool {
    TEXTS.has(id)
}

/// The English texts (tests).
#[cfg(test)]
pub(crate) fn english() -> &'static str {
    TEXTS.english()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_tree(dir: &Path, ext: &str, out: &mut String) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                read_tree(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext)
                && let Ok(s) = std::fs::read_to_string(&path)
            {
                out.push_str(&s);
                out.push('\n');
            }
        }
    }

    #[test]
    fn both_languages_have_every_id_and_every_id_is_used() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut code = String::new();
        read_tree(&root.join("src"), "rs", &mut code);
        read_tree(&root.join("templates"), "html", &mut code);
        let problems = TEXTS.problems(&code);
        assert!(problems.is_empty(), "{problems:#?}");
        // And the other way: every id the code asks for (`text(lang, "id")`,
        // `fill(lang, "id", ...)`) exists. Templates are checked in `render`.
        let mut asked = 0;
        let code = code.split_whitespace().collect::<Vec<_>>().join(" ");
        for piece in code.split("lang, \"").skip(1) {
            let id: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if piece[id.len()..].starts_with('"') && id.contains('-') {
                asked += 1;
                assert!(has(&id), "the code asks for `{id}`, which has no text");
            }
        }
        assert!(asked > 50, "only {asked} ids found in the code");
    }

    #[test]
    fn every_moderation_reason_has_a_title() {
        for code in widgetry_registry::MODERATION_REASONS {
            let id = format!("reason-{}", code.replace('.', "-"));
            assert!(has(&id), "`{code}` has no title `{id}`");
        }
        assert_eq!(
            reason_title(Lang::Ru, "moderation.ui"),
            "виджет перекрывает, скрывает или меняет системные элементы"
        );
    }

    #[test]
    fn numbers_take_the_languages_plural_forms() {
        let ru = |n: &str| fill(Lang::Ru, "report-errors", &[("n", n)]).into_owned();
        assert_eq!(ru("1"), "1 ошибка");
        assert_eq!(ru("3"), "3 ошибки");
        assert_eq!(ru("12"), "12 ошибок");
        assert_eq!(fill(Lang::En, "report-errors", &[("n", "1")]), "1 error");
        assert_eq!(fill(Lang::En, "report-errors", &[("n", "2")]), "2 errors");
    }
}
