//! Rules about JSON files (manifest.json and the i18n files) as text.

use super::Rule;

rule!(JSON_SYNTAX, "json.syntax", Error / Error,
    en: "`{file}` is not valid JSON: {detail}",
    ru: "`{file}` — некорректный JSON: {detail}",
    hint_en: "fix the syntax at the marked position; JSON allows no comments, no trailing commas and only double quotes",
    hint_ru: "исправьте синтаксис в отмеченном месте; в JSON нет комментариев, лишних запятых в конце и одинарных кавычек",
    why: "The CRM parses manifest.json and the i18n files as strict JSON; a syntax error stops the widget from loading.",
    example: "{\"widget\": {\"name\": \"widget.name\",}}");

rule!(JSON_TOO_DEEP, "json.too_deep", Error / Error,
    en: "`{file}` nests objects and arrays deeper than {limit} levels",
    ru: "в `{file}` объекты и массивы вложены глубже {limit} уровней",
    hint_en: "flatten the structure; no widget file needs this depth",
    hint_ru: "упростите структуру; файлам виджета не нужна такая вложенность",
    why: "Deep nesting is a denial-of-service vector for recursive parsers; the limit is checked before parsing.",
    example: "[[[[ ... 10,000 levels ... ]]]]");

rule!(JSON_DUPLICATE_KEY, "json.duplicate_key", Error / Error,
    en: "key `{key}` appears twice in the same object of `{file}`",
    ru: "ключ `{key}` повторяется в одном объекте `{file}`",
    hint_en: "keep one of the two members; parsers silently keep only the last one",
    hint_ru: "оставьте один из двух элементов; парсеры молча берут только последний",
    why: "With duplicate keys the value a reader sees depends on the parser, so what was reviewed may not be what runs.",
    example: "{\"widget\": {}, \"widget\": {}}");

rule!(JSON_BOM, "json.bom", Error / Error,
    en: "`{file}` starts with a byte order mark",
    ru: "`{file}` начинается с метки порядка байтов (BOM)",
    hint_en: "save the file as UTF-8 without BOM",
    hint_ru: "сохраните файл в UTF-8 без BOM",
    why: "PHP's json_decode, used by the CRM, refuses JSON that starts with a BOM.",
    example: "manifest.json beginning with the bytes EF BB BF");

rule!(JSON_NOT_UTF8, "json.not_utf8", Error / Error,
    en: "`{file}` is not valid UTF-8, so it cannot be read as JSON",
    ru: "`{file}` — не корректный UTF-8, поэтому его нельзя прочитать как JSON",
    hint_en: "save the file as UTF-8 (without BOM); the first invalid byte is at the marked position",
    hint_ru: "сохраните файл в UTF-8 (без BOM); первый неверный байт — в отмеченном месте",
    why: "JSON is UTF-8 (RFC 8259); the CRM's json_decode refuses anything else, so amoCRM refuses the upload.",
    example: "i18n/ru.json saved in Windows-1251");

rule!(JSON_NOT_OBJECT, "json.not_object", Error / Error,
    en: "`{file}` must hold a JSON object, found {found}",
    ru: "`{file}` должен содержать JSON-объект, найдено: {found}",
    hint_en: "wrap the content in `{ ... }`",
    hint_ru: "оберните содержимое в `{ ... }`",
    why: "The manifest and every i18n file are objects keyed by name.",
    example: "[\"widget\"]");

/// The JSON rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &JSON_SYNTAX,
    &JSON_TOO_DEEP,
    &JSON_DUPLICATE_KEY,
    &JSON_BOM,
    &JSON_NOT_UTF8,
    &JSON_NOT_OBJECT,
];
