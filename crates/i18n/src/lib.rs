//! # widgetry-i18n
//!
//! Widgetry's texts in [Fluent](https://projectfluent.org) files, one per language (English
//! and Russian), embedded in the binary by the crate that owns them (the server's pages and
//! messages, the CLI's report). A [`Catalog`] parses them once and formats a text by id, with
//! arguments and the language's plural rules:
//!
//! ```
//! # use widgetry_i18n::Catalog;
//! # use widgetry_validator::Lang;
//! let catalog = Catalog::new(
//!     "errors = { $n ->\n  [one] { $n } error\n *[other] { $n } errors\n}\n",
//!     "errors = { $n ->\n  [one] { $n } ошибка\n  [few] { $n } ошибки\n *[many] { $n } ошибок\n}\n",
//! ).unwrap();
//! assert_eq!(catalog.text(Lang::Ru, "errors", &[("n", "22")]), "22 ошибки");
//! assert_eq!(catalog.text(Lang::En, "errors", &[("n", "1")]), "1 error");
//! ```
//!
//! Arguments are given as text; one that reads as an integer is passed to Fluent as a number,
//! so that plural selectors work. Texts are formatted without Unicode isolation marks: they
//! go into HTML and terminals, both left-to-right here.
//!
//! Keys are checked by tests, not at run time: [`Catalog::missing`] lists ids one language
//! lacks, [`unused`] the ids no source refers to.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::sync::{Mutex, OnceLock};
use widgetry_validator::Lang;

/// A Fluent file that does not parse, or defines an id twice.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file has syntax errors.
    #[error("the {lang} texts do not parse: {errors}")]
    Syntax {
        /// The file's language.
        lang: &'static str,
        /// What the parser said.
        errors: String,
    },
    /// The file defines an id twice.
    #[error("the {lang} texts define ids twice: {errors}")]
    Duplicate {
        /// The file's language.
        lang: &'static str,
        /// What the bundle said.
        errors: String,
    },
}

/// The texts of every language.
pub struct Catalog {
    en: FluentBundle<FluentResource>,
    ru: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").finish_non_exhaustive()
    }
}

fn bundle(lang: &'static str, source: &str) -> Result<FluentBundle<FluentResource>, Error> {
    let resource =
        FluentResource::try_new(source.to_string()).map_err(|(_, errors)| Error::Syntax {
            lang,
            errors: format!("{errors:?}"),
        })?;
    let id: unic_langid::LanguageIdentifier = lang.parse().map_err(|e| Error::Syntax {
        lang,
        errors: format!("{e}"),
    })?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| Error::Duplicate {
            lang,
            errors: format!("{errors:?}"),
        })?;
    Ok(bundle)
}

impl Catalog {
    /// Parses the English and the Russian file.
    pub fn new(en: &str, ru: &str) -> Result<Catalog, Error> {
        Ok(Catalog {
            en: bundle("en", en)?,
            ru: bundle("ru", ru)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Ru => &self.ru,
            _ => &self.en,
        }
    }

    /// Whether `id` has a text (in English, which every id has).
    pub fn has(&self, id: &str) -> bool {
        self.en.has_message(id)
    }

    /// The text `id` in `lang` with `args` filled in; English when `lang` lacks it, the id
    /// itself when no language has it (the tests keep that from happening).
    pub fn text<'a>(&'a self, lang: Lang, id: &str, args: &[(&str, &str)]) -> Cow<'a, str> {
        for bundle in [self.bundle(lang), &self.en] {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut fluent_args = FluentArgs::with_capacity(args.len());
                for (name, value) in args {
                    let value = match value.parse::<i64>() {
                        Ok(n) => FluentValue::from(n),
                        Err(_) => FluentValue::from(*value),
                    };
                    fluent_args.set(*name, value);
                }
                let mut errors = Vec::new();
                return bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            }
        }
        Cow::Owned(id.to_string())
    }

    /// Ids one language has and the other lacks, as `(language, id)`.
    pub fn missing(en_source: &str, ru_source: &str) -> Vec<(&'static str, String)> {
        let en = ids(en_source);
        let ru = ids(ru_source);
        let mut out: Vec<(&'static str, String)> = en
            .iter()
            .filter(|id| !ru.contains(id))
            .map(|id| ("ru", id.clone()))
            .collect();
        out.extend(
            ru.iter()
                .filter(|id| !en.contains(id))
                .map(|id| ("en", id.clone())),
        );
        out
    }
}

/// A crate's embedded texts: the two Fluent files, parsed at first use, for `static` use.
///
/// ```
/// # use widgetry_i18n::Texts;
/// # use widgetry_validator::Lang;
/// static TEXTS: Texts = Texts::new("hi = Hello\n", "hi = Привет\n");
/// assert_eq!(TEXTS.text(Lang::Ru, "hi"), "Привет");
/// ```
pub struct Texts {
    en: &'static str,
    ru: &'static str,
    catalog: OnceLock<Option<Catalog>>,
    kept: Mutex<Vec<&'static str>>,
}

impl Texts {
    /// The texts of two embedded Fluent files.
    pub const fn new(en: &'static str, ru: &'static str) -> Texts {
        Texts {
            en,
            ru,
            catalog: OnceLock::new(),
            kept: Mutex::new(Vec::new()),
        }
    }

    fn catalog(&self) -> Option<&Catalog> {
        self.catalog
            .get_or_init(|| Catalog::new(self.en, self.ru).ok())
            .as_ref()
    }

    /// The text `id` in `lang` with its arguments (see [`Catalog::text`]); the id itself
    /// when the files do not parse (a test of each crate keeps them parsing).
    pub fn fill(&'static self, lang: Lang, id: &str, args: &[(&str, &str)]) -> Cow<'static, str> {
        match self.catalog() {
            Some(c) => c.text(lang, id, args),
            None => Cow::Owned(id.to_string()),
        }
    }

    /// The text `id` in `lang`, without arguments, for as long as the program runs. A plain
    /// text is borrowed from the catalog; one Fluent assembles (an escaped brace) is kept
    /// after its first use, so at most one copy per id and language ever exists.
    pub fn text(&'static self, lang: Lang, id: &str) -> &'static str {
        match self.fill(lang, id, &[]) {
            Cow::Borrowed(s) => s,
            Cow::Owned(s) => {
                let mut kept = self
                    .kept
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if let Some(k) = kept.iter().find(|k| **k == s) {
                    return k;
                }
                let k: &'static str = Box::leak(s.into_boxed_str());
                kept.push(k);
                k
            }
        }
    }

    /// Whether `id` has a text.
    pub fn has(&self, id: &str) -> bool {
        self.catalog().is_some_and(|c| c.has(id))
    }

    /// What is wrong with the files: a parse error, ids one language lacks, ids nothing in
    /// `code` (the crate's sources and templates, concatenated) refers to. For tests.
    pub fn problems(&self, code: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(e) = Catalog::new(self.en, self.ru) {
            out.push(e.to_string());
        }
        for (lang, id) in Catalog::missing(self.en, self.ru) {
            out.push(format!("`{id}` is missing in {lang}"));
        }
        for id in unused(self.en, code) {
            out.push(format!("`{id}` is not used"));
        }
        out
    }

    /// The English file (tests).
    pub fn english(&self) -> &'static str {
        self.en
    }
}

/// The message ids a Fluent file defines, in file order.
pub fn ids(source: &str) -> Vec<String> {
    match FluentResource::try_new(source.to_string()) {
        Ok(r) | Err((r, _)) => r
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect(),
    }
}

/// The ids of `source` (a Fluent file) that nothing in `code` refers to. An id is referred
/// to when `code` holds it as a string literal (`"id"` or `'id'`), or holds a literal that
/// builds it from a prefix ending in `-` or `_`: `format!("state-{state}")`, or
/// `t("state_" ~ name)` in a template.
pub fn unused(source: &str, code: &str) -> Vec<String> {
    let mut prefixes: Vec<&str> = Vec::new();
    for quote in ['"', '\''] {
        // Pieces outside literals hold spaces or punctuation, so checking all is harmless.
        for piece in code.split(quote) {
            let prefix = piece.split_once('{').map_or(piece, |(p, _)| p);
            if prefix.len() > 1
                && (prefix.ends_with('-') || prefix.ends_with('_'))
                && !prefix.contains(char::is_whitespace)
            {
                prefixes.push(prefix);
            }
        }
    }
    ids(source)
        .into_iter()
        .filter(|id| {
            !code.contains(&format!("\"{id}\""))
                && !code.contains(&format!("'{id}'"))
                && !prefixes.iter().any(|p| id.starts_with(p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "\
hello = Hello, { $name }!
errors = { $n ->
    [one] { $n } error
   *[other] { $n } errors
}
only-en = English only
";
    const RU: &str = "\
hello = Здравствуйте, { $name }!
errors = { $n ->
    [one] { $n } ошибка
    [few] { $n } ошибки
   *[many] { $n } ошибок
}
only-ru = только по-русски
";

    #[test]
    fn plurals_follow_each_language() {
        let c = Catalog::new(EN, RU).unwrap();
        let ru = |n: &str| c.text(Lang::Ru, "errors", &[("n", n)]);
        assert_eq!(ru("1"), "1 ошибка");
        assert_eq!(ru("3"), "3 ошибки");
        assert_eq!(ru("5"), "5 ошибок");
        assert_eq!(ru("11"), "11 ошибок");
        assert_eq!(ru("21"), "21 ошибка");
        assert_eq!(c.text(Lang::En, "errors", &[("n", "1")]), "1 error");
        assert_eq!(c.text(Lang::En, "errors", &[("n", "0")]), "0 errors");
        // No isolation marks around arguments.
        assert_eq!(c.text(Lang::En, "hello", &[("name", "<b>")]), "Hello, <b>!");
    }

    #[test]
    fn a_missing_text_falls_back_to_english_then_to_the_id() {
        let c = Catalog::new(EN, RU).unwrap();
        assert_eq!(c.text(Lang::Ru, "only-en", &[]), "English only");
        assert_eq!(c.text(Lang::Ru, "nowhere", &[]), "nowhere");
        assert_eq!(
            Catalog::missing(EN, RU),
            [("ru", "only-en".to_string()), ("en", "only-ru".to_string())]
        );
    }

    #[test]
    fn unused_ids_are_found_by_literal_or_prefix() {
        // A longer literal or a prefix that the id does not start with is no use.
        let code = r#"t("hello"); format!("errors-{kind}"); "only-en-x""#;
        assert_eq!(unused(EN, code), ["errors", "only-en"]);
        let code = r#"t('hello'); text("errors"); format!("only-{x}")"#;
        assert!(unused(EN, code).is_empty());
        let code = r#"t('hello' ~ x); t("errors" ~ y); t("only_" ~ z)"#;
        assert_eq!(unused(EN, code), ["only-en"]);
    }

    #[test]
    fn broken_files_are_refused() {
        assert!(matches!(
            Catalog::new("a = {", RU),
            Err(Error::Syntax { lang: "en", .. })
        ));
        assert!(matches!(
            Catalog::new("a = x\na = y\n", RU),
            Err(Error::Duplicate { lang: "en", .. })
        ));
    }
}
