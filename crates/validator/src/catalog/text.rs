//! Rules about every text file of the package: encoding, line endings, and left-over test
//! data (local or example domains, placeholder secrets).

use super::Rule;

rule!(TEXT_NOT_UTF8, "text.not_utf8", Error / Error,
    en: "`{file}` is not valid UTF-8",
    ru: "`{file}` — не корректный UTF-8",
    hint_en: "save the file as UTF-8 (without BOM); the first invalid byte is at the marked position",
    hint_ru: "сохраните файл в UTF-8 (без BOM); первый неверный байт — в отмеченном месте",
    why: "Widget text files must be UTF-8; a file in another encoding shows garbled text or fails to parse.",
    example: "i18n/ru.json saved in Windows-1251");

rule!(TEXT_BOM, "text.bom", Warning / Error,
    en: "`{file}` starts with a byte order mark",
    ru: "`{file}` начинается с метки порядка байтов (BOM)",
    hint_en: "save the file as UTF-8 without BOM",
    hint_ru: "сохраните файл в UTF-8 без BOM",
    why: "Moderation requires UTF-8 without BOM for every text file.",
    example: "style.css beginning with the bytes EF BB BF");

rule!(TEXT_CRLF, "text.crlf", Warning / Error,
    en: "`{file}` has {count} lines ending in CRLF",
    ru: "в `{file}` {count} строк оканчиваются на CRLF",
    hint_en: "convert the file to Unix LF line endings (for example `git config core.autocrlf input` and check out again)",
    hint_ru: "переведите файл на окончания строк LF (например, `git config core.autocrlf input` и повторный checkout)",
    why: "Moderation requires Unix LF line endings in .js, .css, .json and other text files.",
    example: "script.js saved on Windows with CRLF line endings");

rule!(TEXT_TEST_DOMAIN, "text.test_domain", Warning / Error,
    en: "`{file}` refers to `{domain}`, a local or example address",
    ru: "`{file}` ссылается на `{domain}` — локальный или тестовый адрес",
    hint_en: "replace it with your production address; test data must not ship",
    hint_ru: "замените его рабочим адресом; тестовые данные не должны попадать в публикацию",
    why: "localhost, 127.0.0.1 and the reserved example and test domains only work on the author's machine: the widget is not finished.",
    example: "\"https://localhost:3000/api\" in script.js");

rule!(TEXT_PLACEHOLDER_SECRET, "text.placeholder_secret", Warning / Error,
    en: "`{file}` contains the placeholder `{text}`",
    ru: "`{file}` содержит заглушку `{text}`",
    hint_en: "put the real value in the widget settings, not in the code, and remove the placeholder",
    hint_ru: "храните настоящее значение в настройках виджета, а не в коде, и удалите заглушку",
    why: "Placeholder keys and test credentials in shipped code mean the widget was not finished or leaks test accounts.",
    example: "var API_KEY = 'YOUR_API_KEY';");

/// The text rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &TEXT_NOT_UTF8,
    &TEXT_BOM,
    &TEXT_CRLF,
    &TEXT_TEST_DOMAIN,
    &TEXT_PLACEHOLDER_SECRET,
];
