//! Rules about a submission to moderation beyond the package: the publication languages,
//! the description and instructions for moderators and users, the support contacts, the
//! name and description changes, and the test account. Raised only by
//! `check_submission`; findings about request fields have no file and a JSON pointer into
//! the request body.

use super::Rule;

rule!(SUBMISSION_LANGUAGES_EMPTY, "submission.languages_empty", Error / Error,
    en: "the submission names no publication language",
    ru: "в заявке не указан ни один язык публикации",
    hint_en: "list the languages to publish in, such as `\"languages\": [\"en\", \"ru\"]`",
    hint_ru: "перечислите языки публикации, например `\"languages\": [\"en\", \"ru\"]`",
    why: "The listing, the description and the widget's texts are published per language; a submission without languages has nothing to publish.",
    example: "{\"languages\": []}");

rule!(SUBMISSION_LANGUAGE_DUPLICATE, "submission.language_duplicate", Error / Error,
    en: "publication language `{language}` is listed twice",
    ru: "язык публикации `{language}` указан дважды",
    hint_en: "list each language once",
    hint_ru: "укажите каждый язык один раз",
    why: "Each language is published once; a repeated entry is a mistake in the request.",
    example: "{\"languages\": [\"en\", \"en\"]}");

rule!(SUBMISSION_LANGUAGE_NOT_ALLOWED, "submission.language_not_allowed", Error / Error,
    en: "`{language}` is not a language widgets can be published in",
    ru: "`{language}` — не язык, на котором можно публиковать виджеты",
    hint_en: "use one of: {allowed}",
    hint_ru: "используйте один из: {allowed}",
    why: "The marketplace lists widgets only in the languages the CRM supports.",
    example: "{\"languages\": [\"de\"]}");

rule!(SUBMISSION_LANGUAGE_NOT_DECLARED, "submission.language_not_declared", Error / Error,
    en: "publication language `{language}` is not declared in `widget.locale`",
    ru: "язык публикации `{language}` не объявлен в `widget.locale`",
    hint_en: "add `\"{language}\"` to `widget.locale` in `manifest.json` (with `i18n/{language}.json`), or remove `{language}` from the publication languages",
    hint_ru: "добавьте `\"{language}\"` в `widget.locale` в `manifest.json` (вместе с `i18n/{language}.json`) или уберите `{language}` из языков публикации",
    why: "The CRM shows the widget only in the languages its manifest declares; a language published in the listing but not in the widget would show users raw keys. When the language file exists, `i18n.undeclared_file` reports this instead.",
    example: "{\"languages\": [\"en\", \"es\"]} for a widget with \"locale\": [\"en\"] and no i18n/es.json");

rule!(SUBMISSION_I18N_MISSING, "submission.i18n_missing", Error / Error,
    en: "publication language `{language}` has no `i18n/{language}.json`",
    ru: "для языка публикации `{language}` нет файла `i18n/{language}.json`",
    hint_en: "add `i18n/{language}.json` with every text the other language files have",
    hint_ru: "добавьте `i18n/{language}.json` со всеми текстами, которые есть в других языковых файлах",
    why: "Every publication language needs a complete language file. For declared languages `i18n.missing_file` reports this; this rule covers publication languages the manifest does not declare.",
    example: "{\"languages\": [\"en\", \"es\"]} for a package without i18n/es.json");

rule!(SUBMISSION_DESCRIPTION_MISSING, "submission.description_missing", Error / Error,
    en: "the description for `{language}` is missing",
    ru: "нет описания на языке `{language}`",
    hint_en: "describe in `description.{language}` what the widget does, with a support phone number and e-mail address",
    hint_ru: "опишите в `description.{language}`, что делает виджет, и укажите телефон и e-mail поддержки",
    why: "Moderators and users read the description in every publication language.",
    example: "{\"languages\": [\"en\", \"ru\"], \"description\": {\"en\": \"...\"}}");

rule!(SUBMISSION_DESCRIPTION_NO_PHONE, "submission.description_no_phone", Error / Error,
    en: "the description for `{language}` has no phone number",
    ru: "в описании на языке `{language}` нет номера телефона",
    hint_en: "add a support phone number with its country code, such as `+7 495 215-37-84`",
    hint_ru: "добавьте телефон поддержки с кодом страны, например `+7 495 215-37-84`",
    why: "A published widget's description must say how to reach its support by phone (at least 7 digits; spaces, dashes, dots, parentheses and a leading + are allowed).",
    example: "\"description\": {\"en\": \"Syncs notes. Support: help@acme.io\"}");

rule!(SUBMISSION_DESCRIPTION_NO_EMAIL, "submission.description_no_email", Error / Error,
    en: "the description for `{language}` has no e-mail address",
    ru: "в описании на языке `{language}` нет адреса электронной почты",
    hint_en: "add a support e-mail address, such as `support@your-company.com`",
    hint_ru: "добавьте адрес поддержки, например `support@your-company.ru`",
    why: "A published widget's description must say how to reach its support by e-mail.",
    example: "\"description\": {\"en\": \"Syncs notes. Support: +7 495 215-37-84\"}");

rule!(SUBMISSION_INSTRUCTIONS_MISSING, "submission.instructions_missing", Error / Error,
    en: "the instructions for `{language}` are missing",
    ru: "нет инструкции на языке `{language}`",
    hint_en: "explain in `instructions.{language}` how to connect, configure and use the widget",
    hint_ru: "объясните в `instructions.{language}`, как подключить, настроить и использовать виджет",
    why: "Moderators check the widget by following its instructions, and users need them in their language.",
    example: "{\"languages\": [\"en\"], \"instructions\": {}}");

rule!(SUBMISSION_INSTRUCTIONS_SHORT, "submission.instructions_short", Warning / Warning,
    en: "the instructions for `{language}` are only {count} characters",
    ru: "инструкция на языке `{language}` содержит всего {count} символов",
    hint_en: "describe the steps: where to get keys, which settings to fill in, where the widget appears (at least {limit} characters)",
    hint_ru: "опишите шаги: где взять ключи, какие настройки заполнить, где появится виджет (не меньше {limit} символов)",
    why: "One-line instructions rarely let a moderator set the widget up; unclear instructions are a common reason for rejection.",
    example: "\"instructions\": {\"en\": \"Install it.\"}");

rule!(SUBMISSION_SUPPORT_PHONE_MISSING, "submission.support_phone_missing", Error / Error,
    en: "the support phone is missing",
    ru: "не указан телефон поддержки",
    hint_en: "give `support_phone`, such as `+7 495 215-37-84`",
    hint_ru: "укажите `support_phone`, например `+7 495 215-37-84`",
    why: "Moderators and users need a phone number to reach the widget's support.",
    example: "\"support_phone\": \"\"");

rule!(SUBMISSION_SUPPORT_PHONE_INVALID, "submission.support_phone_invalid", Error / Error,
    en: "the support phone `{value}` is not a phone number",
    ru: "телефон поддержки `{value}` не похож на номер телефона",
    hint_en: "give 7 to 15 digits with the country code; spaces, dashes, dots, parentheses and a leading + are allowed",
    hint_ru: "укажите от 7 до 15 цифр с кодом страны; допустимы пробелы, дефисы, точки, скобки и + в начале",
    why: "The phone is shown to users as is; it must be a number they can dial.",
    example: "\"support_phone\": \"call us\"");

rule!(SUBMISSION_SUPPORT_EMAIL_MISSING, "submission.support_email_missing", Error / Error,
    en: "the support e-mail is missing",
    ru: "не указан e-mail поддержки",
    hint_en: "give `support_email`, such as `support@your-company.com`",
    hint_ru: "укажите `support_email`, например `support@your-company.ru`",
    why: "Moderators and users need an e-mail address to reach the widget's support.",
    example: "\"support_email\": \"\"");

rule!(SUBMISSION_SUPPORT_EMAIL_INVALID, "submission.support_email_invalid", Error / Error,
    en: "the support e-mail `{value}` is not an e-mail address",
    ru: "e-mail поддержки `{value}` не похож на адрес электронной почты",
    hint_en: "give one address of the form `name@domain.tld`",
    hint_ru: "укажите один адрес вида `name@domain.tld`",
    why: "The address is shown to users as is; it must be one they can write to.",
    example: "\"support_email\": \"support at acme\"");

rule!(SUBMISSION_CHANGE_LANGUAGE, "submission.change_language", Error / Error,
    en: "the new {what} is given for `{language}`, which is not a publication language",
    ru: "новое {what} задано для языка `{language}`, которого нет среди языков публикации",
    hint_en: "add `{language}` to `languages` or remove this change",
    hint_ru: "добавьте `{language}` в `languages` или уберите это изменение",
    why: "Name and description changes apply per published language; a change for another language would never be shown.",
    example: "{\"languages\": [\"en\"], \"changes\": {\"name\": {\"ru\": \"Заметки\"}}}");

rule!(SUBMISSION_CHANGE_EMPTY, "submission.change_empty", Error / Error,
    en: "the new {what} for `{language}` is empty",
    ru: "новое {what} для языка `{language}` пустое",
    hint_en: "give the new text, or leave the language out of the changes to keep the current one",
    hint_ru: "укажите новый текст или не включайте этот язык в изменения, чтобы оставить текущий",
    why: "An empty name or description would blank the listing on approval.",
    example: "\"changes\": {\"name\": {\"en\": \" \"}}");

rule!(SUBMISSION_TEST_CREDENTIALS_MISSING, "submission.test_credentials_missing", Warning / Warning,
    en: "the widget talks to {hosts}, but the submission has no test credentials",
    ru: "виджет обращается к {hosts}, но в заявке нет тестовых доступов",
    hint_en: "give `test_credentials`: a test account for {hosts} that moderators can use (only moderators see it)",
    hint_ru: "укажите `test_credentials`: тестовую учётную запись для {hosts}, которой смогут воспользоваться модераторы (её видят только они)",
    why: "When a widget works with a third-party system, moderators need an account there to check it; without one the review stalls.",
    example: "script.js calling https://api.acme.io with \"test_credentials\": null");

/// The submission rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &SUBMISSION_LANGUAGES_EMPTY,
    &SUBMISSION_LANGUAGE_DUPLICATE,
    &SUBMISSION_LANGUAGE_NOT_ALLOWED,
    &SUBMISSION_LANGUAGE_NOT_DECLARED,
    &SUBMISSION_I18N_MISSING,
    &SUBMISSION_DESCRIPTION_MISSING,
    &SUBMISSION_DESCRIPTION_NO_PHONE,
    &SUBMISSION_DESCRIPTION_NO_EMAIL,
    &SUBMISSION_INSTRUCTIONS_MISSING,
    &SUBMISSION_INSTRUCTIONS_SHORT,
    &SUBMISSION_SUPPORT_PHONE_MISSING,
    &SUBMISSION_SUPPORT_PHONE_INVALID,
    &SUBMISSION_SUPPORT_EMAIL_MISSING,
    &SUBMISSION_SUPPORT_EMAIL_INVALID,
    &SUBMISSION_CHANGE_LANGUAGE,
    &SUBMISSION_CHANGE_EMPTY,
    &SUBMISSION_TEST_CREDENTIALS_MISSING,
];
