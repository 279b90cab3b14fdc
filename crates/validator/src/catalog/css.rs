//! Rules for CSS files: every selector scoped under the widget's own class, no restyled
//! system classes, no external imports (rule book 6.2).

use super::Rule;

rule!(CSS_SYNTAX_ERROR, "css.syntax_error", Warning / Error,
    en: "CSS syntax error: {detail}",
    ru: "синтаксическая ошибка CSS: {detail}",
    hint_en: "fix the rule at the marked position; browsers drop a rule they cannot parse, so its styles never apply",
    hint_ru: "исправьте правило в отмеченном месте; браузер отбрасывает правило, которое не может разобрать, и его стили не применяются",
    why: "An invalid selector or a rule without a block is silently dropped by the browser, and often takes the following rule with it.",
    example: ".widget > { color: red; }");

rule!(CSS_GLOBAL_SELECTOR, "css.global_selector", Warning / Error,
    en: "selector `{selector}` is not scoped under a class or id of the widget",
    ru: "селектор `{selector}` не ограничен классом или id виджета",
    hint_en: "prefix the selector with the widget's root class, e.g. `.my-widget {selector}`",
    hint_ru: "добавьте перед селектором корневой класс виджета, например `.my-widget {selector}`",
    why: "The widget's CSS is loaded into the CRM page itself. A selector without the widget's own class or id, such as `input` or `body div`, restyles the whole CRM; moderation requires every selector to be nested under a unique widget class.",
    example: "input { border: 0; }");

rule!(CSS_SYSTEM_CLASS, "css.system_class", Warning / Error,
    en: "selector `{selector}` restyles the amoCRM system class `.{class}` outside the widget",
    ru: "селектор `{selector}` меняет стиль системного класса amoCRM `.{class}` вне виджета",
    hint_en: "nest the selector under the widget's root class, e.g. `.my-widget .{class}`, or style a class of your own",
    hint_ru: "вложите селектор в корневой класс виджета, например `.my-widget .{class}`, или используйте собственный класс",
    why: "Classes such as `.control-select`, `.button-input`, `.modal` or `.card-holder` belong to the CRM's own interface. Restyling them without the widget's scoping class changes the CRM for every user; moderation forbids it.",
    example: ".control-select { width: 100%; }");

rule!(CSS_EXTERNAL_IMPORT, "css.external_import", Warning / Error,
    en: "an external style sheet is imported: `{url}`",
    ru: "импортируется внешняя таблица стилей: `{url}`",
    hint_en: "copy the styles you need into the widget's own CSS, scoped under the widget's class",
    hint_ru: "перенесите нужные стили в CSS виджета, ограничив их классом виджета",
    why: "An imported external style sheet can change at any time after review, and usually carries global selectors; moderation rejects external CSS with global selectors.",
    example: "@import url('https://cdn.example.com/bootstrap.css');");

/// The css rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &CSS_SYNTAX_ERROR,
    &CSS_GLOBAL_SELECTOR,
    &CSS_SYSTEM_CLASS,
    &CSS_EXTERNAL_IMPORT,
];
