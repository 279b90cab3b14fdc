//! Rules about the i18n files: one per declared language, the same key structure in all of
//! them, and every manifest text key resolving in every language.

use super::Rule;

rule!(I18N_MISSING_FILE, "i18n.missing_file", Error / Error,
    en: "language `{locale}` is declared but `i18n/{locale}.json` is missing",
    ru: "язык `{locale}` объявлен, но файла `i18n/{locale}.json` нет",
    hint_en: "add `i18n/{locale}.json` with the same keys as the other language files, or remove `{locale}` from `widget.locale`",
    hint_ru: "добавьте `i18n/{locale}.json` с теми же ключами, что в других языковых файлах, или уберите `{locale}` из `widget.locale`",
    why: "Every declared language needs its own file of texts; the CRM shows the widget in the user's language from it.",
    example: "\"locale\": [\"ru\", \"en\"] with only i18n/ru.json");

rule!(I18N_UNDECLARED_FILE, "i18n.undeclared_file", Warning / Error,
    en: "`{file}` is not a declared language",
    ru: "`{file}` не соответствует объявленному языку",
    hint_en: "add `{locale}` to `widget.locale` or delete the file",
    hint_ru: "добавьте `{locale}` в `widget.locale` или удалите файл",
    why: "Moderation requires the number of declared languages to equal the number of language files.",
    example: "i18n/de.json with \"locale\": [\"en\"]");

rule!(I18N_STRUCTURE_MISMATCH, "i18n.structure_mismatch", Error / Error,
    en: "key `{key}` is in `i18n/{other}.json` but not in `i18n/{locale}.json`",
    ru: "ключ `{key}` есть в `i18n/{other}.json`, но отсутствует в `i18n/{locale}.json`",
    hint_en: "add `{key}` to `i18n/{locale}.json`: all language files must have the same keys",
    hint_ru: "добавьте `{key}` в `i18n/{locale}.json`: во всех языковых файлах должны быть одинаковые ключи",
    why: "A key missing in one language shows as a raw key to the users of that language.",
    example: "en.json {\"widget\":{\"name\":\"X\",\"description\":\"Y\"}} and ru.json {\"widget\":{\"name\":\"X\"}}");

rule!(I18N_KEY_UNRESOLVED, "i18n.key_unresolved", Error / Error,
    en: "`{field}` uses key `{key}`, which `i18n/{locale}.json` does not define",
    ru: "`{field}` использует ключ `{key}`, которого нет в `i18n/{locale}.json`",
    hint_en: "add `{key}` as a text to `i18n/{locale}.json` (nested: `{nested}`){suggestion}",
    hint_ru: "добавьте текст с ключом `{key}` в `i18n/{locale}.json` (вложенно: `{nested}`){suggestion}",
    why: "Manifest texts are dot paths into the language files; an unresolved key is shown to users as is.",
    example: "\"name\": \"widget.title\" with i18n files that define widget.name");

rule!(I18N_PLAIN_TEXT, "i18n.plain_text", Warning / Warning,
    en: "`{field}` is plain text, not an i18n key, so it is shown as is in every language",
    ru: "`{field}` — обычный текст, а не ключ i18n, поэтому показывается как есть на всех языках",
    hint_en: "move the text into the language files and put its key here, such as `widget.name`",
    hint_ru: "перенесите текст в языковые файлы и укажите здесь его ключ, например `widget.name`",
    why: "Texts in the manifest are meant to be keys into the i18n files so that each language gets its own wording.",
    example: "\"name\": \"My Widget\"");

rule!(I18N_EMPTY_VALUE, "i18n.empty_value", Warning / Error,
    en: "`{key}` is empty in `i18n/{locale}.json`",
    ru: "`{key}` пусто в `i18n/{locale}.json`",
    hint_en: "translate the text; every language of a published widget needs every text",
    hint_ru: "переведите текст; опубликованному виджету нужны все тексты на всех языках",
    why: "Empty translations leave blank labels in the CRM.",
    example: "{\"widget\": {\"name\": \"\"}}");

rule!(I18N_WRONG_TYPE, "i18n.wrong_type", Error / Error,
    en: "`{key}` in `i18n/{locale}.json` is shown as `{field}` and must be a text, found {found}",
    ru: "`{key}` в `i18n/{locale}.json` показывается как `{field}` и должен быть текстом, найдено: {found}",
    hint_en: "make `{key}` a string; keep lists and other data the script reads through `self.i18n()` under other keys",
    hint_ru: "сделайте `{key}` строкой; списки и другие данные, которые скрипт читает через `self.i18n()`, держите под другими ключами",
    why: "The CRM shows the texts manifest.json names (widget name, descriptions, setting titles) as they are; a list or a group there shows as nothing or as [object Object]. Other values of a language file may be any JSON: widgets read arrays of month names or numbers through `self.i18n()`.",
    example: "\"name\": \"widget.name\" in manifest.json with {\"widget\": {\"name\": [\"A\"]}}");

/// The i18n rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &I18N_MISSING_FILE,
    &I18N_UNDECLARED_FILE,
    &I18N_STRUCTURE_MISMATCH,
    &I18N_KEY_UNRESOLVED,
    &I18N_PLAIN_TEXT,
    &I18N_EMPTY_VALUE,
    &I18N_WRONG_TYPE,
];
