//! Refused input on a page: the registry's [`BadInput`] and [`SettingsProblem`] translated by
//! their code (`input.<code>` texts, with the same parameters), and placed on the form field
//! their JSON pointer names. Nothing here reads the English sentence.

use super::i18n;
use widgetry_registry::{
    BadInput, Case, DenialCase, InputCode, Refusal, SettingsProblem, StateCase,
};
use widgetry_validator::Lang;

/// The sentence for `code` with `params`, in `lang`.
pub(crate) fn sentence(lang: Lang, code: InputCode, params: &[(&'static str, String)]) -> String {
    i18n::fill_values(lang, &key(code), params)
}

/// A refused argument in `lang`.
pub(crate) fn bad_input(lang: Lang, bad: &BadInput) -> String {
    sentence(lang, bad.code, &bad.params)
}

/// The kinds of refusal a page translates by case, and what their texts start with.
pub(crate) trait CaseTexts: Case {
    const TEXTS: &'static str;
}

impl CaseTexts for StateCase {
    const TEXTS: &'static str = "state-";
}

impl CaseTexts for DenialCase {
    const TEXTS: &'static str = "denied-";
}

/// A refused state change, or a denied action, in `lang` (`state-*` and `denied-*` texts).
pub(crate) fn refusal<C: CaseTexts>(lang: Lang, r: &Refusal<C>) -> String {
    i18n::fill_values(lang, &case_key(r.case), &r.params)
}

fn case_key<C: CaseTexts>(case: C) -> String {
    format!("{}{}", C::TEXTS, case.as_str().replace('.', "-"))
}

/// A settings problem in `lang`.
pub(crate) fn settings_problem(lang: Lang, p: &SettingsProblem) -> String {
    sentence(lang, p.code, &p.params)
}

/// The id of the form field a JSON pointer names: `/name/ru` is `name-ru`, `/redirect_uri`
/// is `redirect-uri`; `fallback` for the request as a whole.
pub(crate) fn field_id(pointer: &str, fallback: &'static str) -> String {
    let id = pointer.trim_start_matches('/').replace(['/', '_'], "-");
    if id.is_empty() {
        fallback.to_string()
    } else {
        id
    }
}

fn key(code: InputCode) -> String {
    format!("input-{}", code.as_str().replace('.', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_code_has_a_text_naming_the_same_parameters() {
        for code in InputCode::ALL {
            let key = key(*code);
            assert!(i18n::has(&key), "no page text `{key}`");
            // Given the values the registry gives, a text names no other (Fluent would show
            // `{$name}` for it).
            let given: Vec<(&str, &str)> = placeholders(code.english())
                .into_iter()
                .map(|n| (n, "x"))
                .collect();
            for lang in [Lang::En, Lang::Ru] {
                let text = i18n::fill(lang, &key, &given);
                assert!(!text.contains("{$"), "`{key}` ({lang:?}): {text}");
            }
        }
        let keys: Vec<String> = InputCode::ALL.iter().map(|c| key(*c)).collect();
        for id in widgetry_i18n::ids(i18n::english()) {
            if id.starts_with("input-") {
                assert!(keys.contains(&id), "`{id}` names no input code");
            }
        }
    }

    #[test]
    fn every_case_has_a_text_naming_the_same_parameters() {
        every_case_has_a_text::<StateCase>();
        every_case_has_a_text::<DenialCase>();
    }

    fn every_case_has_a_text<C: CaseTexts>() {
        for case in C::ALL {
            let key = case_key(*case);
            assert!(i18n::has(&key), "no page text `{key}`");
            let mut given: Vec<(&str, &str)> = placeholders(case.english())
                .into_iter()
                .map(|n| (n, "x"))
                .collect();
            // Values given besides the English ones, for texts to select on.
            given.extend([("state", "x"), ("now_number", "x"), ("now_version", "x")]);
            for lang in [Lang::En, Lang::Ru] {
                let text = i18n::fill(lang, &key, &given);
                assert!(!text.contains("{$"), "`{key}` ({lang:?}): {text}");
            }
        }
    }

    fn placeholders(text: &str) -> Vec<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .collect()
    }

    #[test]
    fn pointers_name_form_fields() {
        assert_eq!(field_id("/name/ru", "x"), "name-ru");
        assert_eq!(field_id("/redirect_uri", "x"), "redirect-uri");
        assert_eq!(field_id("", "general"), "general");
        let bad = BadInput::new("/name/ru", InputCode::TextTooLong).with("max", 255);
        assert_eq!(
            bad_input(Lang::Ru, &bad),
            "Сократите текст до 255 символов."
        );
    }
}
