//! The pages' texts in English and Russian: one table per page module, merged at first use.
//! Templates call `t("key")` (with `name=value` arguments for `{name}` placeholders); a test
//! checks that every key a template uses exists in both languages.

use std::collections::HashMap;
use std::sync::OnceLock;
use widgetry_validator::Lang;

/// One text: its key, English and Russian.
pub(crate) type Msg = (&'static str, &'static str, &'static str);

fn tables() -> [&'static [Msg]; 6] {
    [
        super::input::MESSAGES,
        super::pages::MESSAGES,
        super::catalog::MESSAGES,
        super::integrator::MESSAGES,
        super::moderation::MESSAGES,
        super::tokens::MESSAGES,
    ]
}

fn index() -> &'static HashMap<&'static str, (&'static str, &'static str)> {
    static INDEX: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    INDEX.get_or_init(|| {
        tables()
            .iter()
            .flat_map(|t| t.iter())
            .map(|(k, en, ru)| (*k, (*en, *ru)))
            .collect()
    })
}

/// The text for `key` in `lang`; the key itself when unknown (a test keeps that from
/// happening).
pub(crate) fn text(lang: Lang, key: &str) -> &'static str {
    match index().get(key) {
        Some((en, ru)) => match lang {
            Lang::Ru => ru,
            _ => en,
        },
        None => {
            tracing::warn!(key, "missing page text");
            ""
        }
    }
}

/// Whether a key exists.
pub(crate) fn has(key: &str) -> bool {
    index().contains_key(key)
}

/// Every key, with the module table it came from (tests).
#[cfg(test)]
pub(crate) fn all() -> Vec<Msg> {
    tables().iter().flat_map(|t| t.iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        let all = all();
        let mut keys: Vec<&str> = all.iter().map(|m| m.0).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "a page text key is defined twice");
        for (key, en, ru) in all {
            assert!(!en.trim().is_empty() && !ru.trim().is_empty(), "{key}");
        }
    }
}
