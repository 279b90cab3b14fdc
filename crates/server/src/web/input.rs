//! Refused input on a page: the registry's [`BadInput`] and [`SettingsProblem`] translated by
//! their code (`input.<code>` texts, with the same parameters), and placed on the form field
//! their JSON pointer names. Nothing here reads the English sentence.

use super::i18n::{self, Msg};
use widgetry_registry::{BadInput, InputCode, SettingsProblem, fill};
use widgetry_validator::Lang;

/// The sentence for `code` with `params`, in `lang`.
pub(crate) fn sentence(lang: Lang, code: InputCode, params: &[(&'static str, String)]) -> String {
    fill(i18n::text(lang, &key(code)), params)
}

/// A refused argument in `lang`.
pub(crate) fn bad_input(lang: Lang, bad: &BadInput) -> String {
    sentence(lang, bad.code, &bad.params)
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
    format!("input.{}", code.as_str())
}

/// The texts, one per [`InputCode`].
pub(crate) const MESSAGES: &[Msg] = &[
    (
        "input.scope.unknown",
        "There is no scope `{value}`; choose from upload, submit, install, moderate and admin.",
        "Области доступа `{value}` нет; выберите из upload, submit, install, moderate и admin.",
    ),
    (
        "input.role.unknown",
        "There is no role `{value}`; roles are admin and member.",
        "Роли `{value}` нет; роли: admin и member.",
    ),
    (
        "input.email.invalid",
        "`{value}` is not an e-mail address.",
        "`{value}` — не адрес электронной почты.",
    ),
    (
        "input.subdomain.invalid",
        "`{value}` is not an account subdomain: use lowercase letters, digits and `-`, at most 63.",
        "`{value}` — не поддомен аккаунта: используйте строчные буквы, цифры и `-`, не больше 63.",
    ),
    (
        "input.subdomain.unknown",
        "No account has the subdomain `{value}`.",
        "Аккаунта с поддоменом `{value}` нет.",
    ),
    (
        "input.password.short",
        "Choose a password of at least {min} characters.",
        "Выберите пароль не короче {min} символов.",
    ),
    (
        "input.token.name_length",
        "Give the token a name of 1 to 100 characters.",
        "Дайте токену название длиной от 1 до 100 символов.",
    ),
    (
        "input.token.scopes_missing",
        "Choose at least one scope.",
        "Выберите хотя бы одну область доступа.",
    ),
    (
        "input.token.expiry_past",
        "The expiry is in the past; choose a later date or none.",
        "Срок действия уже прошёл; выберите более позднюю дату или не указывайте её.",
    ),
    (
        "input.webhook.url_too_long",
        "The webhook URL is too long.",
        "Адрес вебхука слишком длинный.",
    ),
    (
        "input.webhook.url_malformed",
        "`{url}` is not a valid URL ({error}).",
        "`{url}` — некорректный адрес ({error}).",
    ),
    (
        "input.webhook.url_scheme",
        "The webhook URL `{url}` must start with https:// (or http://).",
        "Адрес вебхука `{url}` должен начинаться с https:// (или http://).",
    ),
    (
        "input.webhook.url_no_host",
        "The webhook URL `{url}` has no host.",
        "В адресе вебхука `{url}` нет хоста.",
    ),
    (
        "input.webhook.url_credentials",
        "The webhook URL `{url}` must not carry a user name or password.",
        "Адрес вебхука `{url}` не должен содержать имя пользователя или пароль.",
    ),
    (
        "input.list.page_start",
        "Pages start at 1.",
        "Страницы нумеруются с 1.",
    ),
    (
        "input.list.limit_range",
        "Choose between 1 and {max} items per page.",
        "Выберите от 1 до {max} элементов на странице.",
    ),
    (
        "input.integration.locale_unknown",
        "The {what} is given in `{locale}`, which is not one of: {locales}.",
        "Поле {what} задано на языке `{locale}`, которого нет среди: {locales}.",
    ),
    (
        "input.integration.text_too_long",
        "Shorten this text to at most {max} characters.",
        "Сократите текст до {max} символов.",
    ),
    (
        "input.integration.text_control",
        "Remove the control characters from this text.",
        "Уберите из текста управляющие символы.",
    ),
    (
        "input.integration.name_missing",
        "Enter a name in English or in Russian.",
        "Введите название на английском или на русском.",
    ),
    (
        "input.redirect_uri.not_absolute",
        "Enter an absolute https:// address: `{uri}` is not one.",
        "Введите полный адрес https://: `{uri}` им не является.",
    ),
    (
        "input.redirect_uri.no_host",
        "Enter an absolute https:// address: `{uri}` has no host.",
        "Введите полный адрес https://: в `{uri}` нет хоста.",
    ),
    (
        "input.redirect_uri.http",
        "Enter an absolute https:// address (http:// only for localhost): `{uri}` uses http.",
        "Введите полный адрес https:// (http:// только для localhost): `{uri}` использует http.",
    ),
    (
        "input.redirect_uri.scheme",
        "Enter an absolute https:// address (http:// only for localhost): `{uri}` is not https.",
        "Введите полный адрес https:// (http:// только для localhost): `{uri}` — не https.",
    ),
    (
        "input.redirect_uri.fragment",
        "Enter an absolute https:// address without a fragment (the part after `#`).",
        "Введите полный адрес https:// без фрагмента (части после `#`).",
    ),
    (
        "input.redirect_uri.credentials",
        "Enter an absolute https:// address without a user name or password.",
        "Введите полный адрес https:// без имени пользователя и пароля.",
    ),
    (
        "input.integration.code_invalid",
        "`{code}` is not a widget code: lowercase Latin letters, digits and `_`, starting with a letter, at most 64.",
        "`{code}` — не код виджета: строчные латинские буквы, цифры и `_`, первой — буква, не больше 64.",
    ),
    (
        "input.integration.secret_key_invalid",
        "The secret key is 64 hexadecimal characters.",
        "Секретный ключ — 64 шестнадцатеричных символа.",
    ),
    (
        "input.version.unknown",
        "Integration {integration} has no version {number}.",
        "У интеграции {integration} нет версии {number}.",
    ),
    (
        "input.version.not_chosen",
        "Choose a version first.",
        "Сначала выберите версию.",
    ),
    (
        "input.version.manifest_no_version",
        "The manifest has no `widget.version`.",
        "В манифесте нет `widget.version`.",
    ),
    (
        "input.rejection.reasons_missing",
        "A rejection needs at least one reason: a rule code and a text.",
        "Отклонению нужна хотя бы одна причина: код правила и текст.",
    ),
    (
        "input.rejection.reason_code_unknown",
        "Reason {index}: there is no rule or moderation code `{code}`.",
        "Причина {index}: кода правила или модерации `{code}` нет.",
    ),
    (
        "input.rejection.reason_text_missing",
        "Reason {index}: say what to fix for `{code}`.",
        "Причина {index}: напишите, что исправить по `{code}`.",
    ),
    (
        "input.settings.not_object",
        "The settings could not be read; reload the page and try again.",
        "Не удалось прочитать настройки; обновите страницу и попробуйте снова.",
    ),
    (
        "input.settings.unknown_field",
        "The widget has no such setting.",
        "У виджета нет такой настройки.",
    ),
    (
        "input.settings.required",
        "A value is required.",
        "Укажите значение.",
    ),
    ("input.settings.string", "Enter text.", "Введите текст."),
    (
        "input.settings.user_id",
        "`{user}` is not a user of this account.",
        "`{user}` — не пользователь этого аккаунта.",
    ),
    (
        "input.settings.user_string",
        "Enter text for user `{user}`.",
        "Введите текст для пользователя `{user}`.",
    ),
    (
        "input.settings.user_pair",
        "Enter a login and a password for user `{user}`.",
        "Введите логин и пароль для пользователя `{user}`.",
    ),
    (
        "input.settings.users_object",
        "Enter a value for each user.",
        "Введите значение для каждого пользователя.",
    ),
    (
        "input.settings.users_lp_object",
        "Enter a login and a password for each user.",
        "Введите логин и пароль для каждого пользователя.",
    ),
    (
        "input.settings.custom",
        "Enter valid JSON text (for example {\"mode\": \"full\"}) or a number.",
        "Введите корректный JSON-текст (например, {\"mode\": \"full\"}) или число.",
    ),
    (
        "input.settings.unknown_type",
        "The widget declares a setting of an unknown type `{kind}`; its author must fix the manifest.",
        "Виджет объявляет настройку неизвестного типа `{kind}`; автор должен исправить манифест.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_code_has_a_text_naming_the_same_parameters() {
        for code in InputCode::ALL {
            let key = key(*code);
            assert!(i18n::has(&key), "no page text `{key}`");
            for lang in [Lang::En, Lang::Ru] {
                let text = i18n::text(lang, &key);
                // A page may leave out what the field already shows (the URL typed in
                // it), never name a value the registry does not give.
                for name in placeholders(text) {
                    assert!(
                        placeholders(code.english()).contains(&name),
                        "`{key}` ({lang:?}) names `{{{name}}}`, which `{code}` does not give"
                    );
                }
            }
        }
        let keys: Vec<String> = InputCode::ALL.iter().map(|c| key(*c)).collect();
        for (k, _, _) in MESSAGES {
            assert!(keys.iter().any(|x| x == k), "`{k}` names no input code");
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
