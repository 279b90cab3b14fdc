//! Rules about every text file of the package: encoding, line endings, and left-over test
//! data (local or example domains, placeholder secrets).

use super::Rule;

rule!(TEXT_NOT_UTF8, "text.not_utf8", Warning / Error,
    en: "`{file}` is not valid UTF-8",
    ru: "`{file}` — не корректный UTF-8",
    hint_en: "save the file as UTF-8 (without BOM); the first invalid byte is at the marked position",
    hint_ru: "сохраните файл в UTF-8 (без BOM); первый неверный байт — в отмеченном месте",
    why: "Widget text files must be UTF-8; a file in another encoding shows garbled text or fails to parse. amoCRM takes such an upload, moderation does not. (A JSON file that is not UTF-8 is `json.not_utf8`, an error everywhere.)",
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

rule!(TEXT_PLACEHOLDER_CONTACT, "text.placeholder_contact", Warning / Error,
    en: "{where} has the placeholder contact `{text}`",
    ru: "в {where} контакт-заглушка `{text}`",
    hint_en: "write your real support address, e-mail and phone: users of every account that installs the widget will use them",
    hint_ru: "укажите настоящие адрес, e-mail и телефон поддержки: ими будут пользоваться во всех аккаунтах, где установят виджет",
    why: "Moderation rejects test data. Placeholder domains (example.*, test.com, domain.com, yourdomain.*...), reserved test names and placeholder phones (one repeated digit, all zeros, 1234567) in the support contacts, the language files or the submission mean the widget cannot be supported as published.",
    example: "\"support\": {\"link\": \"https://test.com\", \"email\": \"support@test.com\"}");

rule!(TEXT_LEFTOVER_MARKER, "text.leftover_marker", Warning / Error,
    en: "{where} still has `{text}`",
    ru: "в {where} осталось `{text}`",
    hint_en: "finish the text: remove the TODO/FIXME note, the sample text or the scaffold's placeholder sentence",
    hint_ru: "допишите текст: уберите пометку TODO/FIXME, текст-рыбу или предложение-заглушку из заготовки",
    why: "Users read these texts in the marketplace and the widget's settings; moderation rejects unfinished ones. TODO and FIXME count as upper-case words only (todo is a Spanish and Portuguese word).",
    example: "\"description\": \"Syncs notes. TODO: replace the placeholder contacts with your own.\"");

/// The text rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &TEXT_NOT_UTF8,
    &TEXT_BOM,
    &TEXT_CRLF,
    &TEXT_TEST_DOMAIN,
    &TEXT_PLACEHOLDER_SECRET,
    &TEXT_PLACEHOLDER_CONTACT,
    &TEXT_LEFTOVER_MARKER,
];
