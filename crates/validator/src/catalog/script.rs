//! Rules for script files: `script.js` as an AMD module with the callbacks the host calls,
//! and the moderation rules (rule book 6.2) on every JavaScript file.

use super::Rule;

rule!(SCRIPT_MISSING, "script.missing", Error / Error,
    en: "the package has no `script.js` at its root",
    ru: "в корне пакета нет `script.js`",
    hint_en: "add `script.js` next to `manifest.json`: an AMD module, `define(['jquery'], function ($) { ... return CustomWidget; })`",
    hint_ru: "добавьте `script.js` рядом с `manifest.json`: AMD-модуль, `define(['jquery'], function ($) { ... return CustomWidget; })`",
    why: "amoCRM lists script.js as a required file: it is the widget's code, loaded by RequireJS. Without it nothing of the widget runs.",
    example: "widget.zip with manifest.json, i18n/ and images/ only");

rule!(SCRIPT_SYNTAX_ERROR, "script.syntax_error", Warning / Error,
    en: "`{file}` has a JavaScript syntax error: {detail}",
    ru: "в `{file}` синтаксическая ошибка JavaScript: {detail}",
    hint_en: "fix the code at the marked position; the browser refuses to run a file with a syntax error",
    hint_ru: "исправьте код в отмеченном месте; браузер не выполняет файл с синтаксической ошибкой",
    why: "A file that does not parse never runs; in script.js that means the widget does not load at all.",
    example: "define(['jquery'], function ($) { return function () { ; });");

rule!(SCRIPT_TOO_DEEP, "script.too_deep", Warning / Error,
    en: "`{file}` nests code deeper than about {limit} levels and was not checked",
    ru: "в `{file}` код вложен глубже примерно {limit} уровней, файл не проверен",
    hint_en: "flatten the code: split deeply nested functions and expressions; generated code this deep cannot be reviewed",
    hint_ru: "упростите код: разделите глубоко вложенные функции и выражения; сгенерированный код такой глубины нельзя проверить",
    why: "Parsers recurse once per nesting level, so pathological nesting is a denial-of-service vector. The depth is estimated from the text: after parsing, on a stack sized to the file, when the tree turns out deep; before parsing when the file is very large. A deeper file is not analysed, so its other rules cannot be checked.",
    example: "((((((( ... 10,000 levels ... )))))))");

rule!(SCRIPT_NOT_AMD, "script.not_amd", Warning / Error,
    en: "`script.js` is not an AMD module: no `define(...)` call with a factory function",
    ru: "`script.js` не является AMD-модулем: нет вызова `define(...)` с функцией-фабрикой",
    hint_en: "wrap the code in `define(['jquery'], function ($) { var CustomWidget = function () { ... }; return CustomWidget; });`",
    hint_ru: "оберните код в `define(['jquery'], function ($) { var CustomWidget = function () { ... }; return CustomWidget; });`",
    why: "The host loads script.js with RequireJS and instantiates the constructor the module's factory returns. A plain script defines nothing the host can call.",
    example: "var CustomWidget = function () {};");

rule!(SCRIPT_NO_CALLBACKS, "script.no_callbacks", Warning / Error,
    en: "`script.js` defines no `callbacks` object",
    ru: "в `script.js` нет объекта `callbacks`",
    hint_en: "in the widget constructor, assign `this.callbacks = { render: ..., init: ..., bind_actions: ..., ... }`",
    hint_ru: "в конструкторе виджета присвойте `this.callbacks = { render: ..., init: ..., bind_actions: ..., ... }`",
    why: "The host calls the widget only through `callbacks`: render, init, bind_actions, settings, onSave and the location callbacks. Without the object the widget never runs.",
    example: "define([], function () { return function () { return this; }; });");

rule!(SCRIPT_REMOTE_CODE, "script.remote_code", Warning / Error,
    en: "code is loaded from `{url}`, outside the package ({how})",
    ru: "код загружается с `{url}`, вне пакета ({how})",
    hint_en: "put the code in the package and load it by a relative path (`define(['./dist/app.js'], ...)`); a development server or tunnel address must never ship",
    hint_ru: "положите код в пакет и подключайте его по относительному пути (`define(['./dist/app.js'], ...)`); адрес сервера разработки или туннеля не должен попадать в публикацию",
    why: "Moderators review the package; code fetched from a URL at run time can change after approval and cannot be reviewed. On publication this is an error when the URL is a local, test or development-tunnel host (localhost, private addresses, ngrok, zrok, localtunnel, serveo, cloudflared quick tunnels...): the widget only works on the author's machine. From any other host it stays a warning for the moderator: that code is outside the package. Loaders are followed through package files; only what they fetch from outside is reported.",
    example: "define([localStorage.dev ? 'http://localhost:8080/app.js' : './build/app.js'], function (App) { return App; });");

rule!(SCRIPT_BUILD_PLACEHOLDER, "script.build_placeholder", Warning / Error,
    en: "the module `{value}` is a build placeholder that was never replaced",
    ru: "модуль `{value}` — заглушка сборки, которую так и не заменили",
    hint_en: "run the build step that replaces it (the packer's define/replace plugin), or write the module's path",
    hint_ru: "запустите шаг сборки, который её заменяет (плагин define/replace сборщика), или укажите путь к модулю",
    why: "Build tools substitute such tokens (`__APP_URL__`, `%BUNDLE%`, `<%= ... %>`, `{{ ... }}`) at packing time; left in, RequireJS asks for a module that does not exist and the widget never loads.",
    example: "define(['__WIDGET_BUNDLE__'], function (Widget) { return Widget; });");

rule!(SCRIPT_MISSING_CALLBACK, "script.missing_callback", Warning / Error,
    en: "the `callbacks` object has no `{name}` callback",
    ru: "в объекте `callbacks` нет функции `{name}`",
    hint_en: "add `{name}: function () { return true; }` to `callbacks`, even if it does nothing",
    hint_ru: "добавьте в `callbacks` `{name}: function () { return true; }`, даже если ей нечего делать",
    why: "Kommo states that render, init and bind_actions must all exist, or the widget does not run in its locations; render must return true for init and bind_actions to be called.",
    example: "this.callbacks = { render: function () { return true; }, init: function () { return true; } };");

rule!(SCRIPT_LOCATION_CALLBACK, "script.location_callback", Warning / Warning,
    en: "location `{location}` is declared but `callbacks` has no `{callback}`",
    ru: "объявлена область `{location}`, но в `callbacks` нет `{callback}`",
    hint_en: "add `{callback}` to `callbacks`, or remove `{location}` from `locations` in manifest.json if the widget does not use it",
    hint_ru: "добавьте `{callback}` в `callbacks` или уберите `{location}` из `locations` в manifest.json, если виджет её не использует",
    why: "The host calls a location's callback when the user opens that area (advancedSettings for advanced_settings, dpSettings for digital_pipeline, initMenuPage for widget_page...). Moderation rejects declared locations the widget does not use.",
    example: "\"locations\": [\"advanced_settings\"] with no advancedSettings callback");

rule!(SCRIPT_DEBUGGER, "script.debugger", Warning / Error,
    en: "a `debugger` statement is left in the code",
    ru: "в коде оставлен оператор `debugger`",
    hint_en: "remove the `debugger` statement",
    hint_ru: "удалите оператор `debugger`",
    why: "Moderation rejects leftover debug code. `debugger` stops every user's browser whose developer tools are open.",
    example: "render: function () { debugger; return true; }");

rule!(SCRIPT_CONSOLE, "script.console", Warning / Error,
    en: "`console.{method}` is called outside an error handler",
    ru: "`console.{method}` вызывается вне обработчика ошибок",
    hint_en: "remove the call, or move error logging into a `catch` block or a Promise rejection handler",
    hint_ru: "удалите вызов или перенесите запись ошибок в блок `catch` или обработчик отклонения Promise",
    why: "Moderation allows console output only inside catch blocks and Promise rejection handlers; any other console call is leftover debugging that clutters every user's console.",
    example: "render: function () { console.log('here'); return true; }");

rule!(SCRIPT_ALERT, "script.alert", Warning / Error,
    en: "`alert()` is called",
    ru: "вызывается `alert()`",
    hint_en: "show messages in the widget's own UI or a modal from `lib/components/base/modal` instead of `alert()`",
    hint_ru: "показывайте сообщения в интерфейсе виджета или в модальном окне `lib/components/base/modal` вместо `alert()`",
    why: "Moderation rejects leftover alerts: a native alert blocks the whole CRM tab until it is dismissed.",
    example: "alert('saved');");

rule!(SCRIPT_EVAL, "script.eval", Warning / Error,
    en: "code is evaluated from a string with `{name}`",
    ru: "код выполняется из строки через `{name}`",
    hint_en: "call functions directly; pass a function, not a string, to `setTimeout` and `setInterval`; parse data with `JSON.parse`",
    hint_ru: "вызывайте функции напрямую; передавайте в `setTimeout` и `setInterval` функцию, а не строку; данные разбирайте через `JSON.parse`",
    why: "Moderation forbids eval: code built from strings cannot be reviewed and opens the CRM to injected scripts. A string passed to setTimeout or setInterval is evaluated the same way.",
    example: "eval('self.' + action + '()');");

rule!(SCRIPT_NEW_FUNCTION, "script.new_function", Warning / Error,
    en: "a function is built from a string with `{name}`",
    ru: "функция создаётся из строки через `{name}`",
    hint_en: "write the function in the code instead of building it from a string",
    hint_ru: "напишите функцию в коде, а не собирайте её из строки",
    why: "The Function constructor is eval under another name: the code it runs cannot be reviewed.",
    example: "var f = new Function('a', 'return a * 2');");

rule!(SCRIPT_SYNC_XHR, "script.sync_xhr", Warning / Error,
    en: "a synchronous request is made through `{call}`",
    ru: "через `{call}` выполняется синхронный запрос",
    hint_en: "drop `async: false` (or the `false` argument of `open`) and continue in the success callback or the returned Promise",
    hint_ru: "уберите `async: false` (или аргумент `false` у `open`) и продолжайте работу в обработчике успеха или в возвращённом Promise",
    why: "Moderation forbids synchronous XHR: it freezes the CRM tab until the server answers.",
    example: "$.ajax({ url: url, async: false });");

rule!(SCRIPT_SCRIPT_INJECTION, "script.script_injection", Warning / Error,
    en: "a script is injected into the page with `{how}`",
    ru: "скрипт внедряется в страницу через `{how}`",
    hint_en: "load external libraries as RequireJS dependencies: `define(['https://cdn.example.com/lib.js'], function (lib) { ... })`",
    hint_ru: "подключайте внешние библиотеки как зависимости RequireJS: `define(['https://cdn.example.com/lib.js'], function (lib) { ... })`",
    why: "Moderation allows external scripts only as RequireJS define dependencies, never through document.createElement('script') or `<script>` tags written into the page.",
    example: "var s = document.createElement('script'); s.src = url; document.head.appendChild(s);");

rule!(SCRIPT_GLOBAL_WRITE, "script.global_write", Warning / Error,
    en: "the code writes to the system object `{global}` (`{target}`)",
    ru: "код изменяет системный объект `{global}` (`{target}`)",
    hint_en: "treat `APP` and `AMOCRM` as read-only; keep the widget's state in the widget object or in its own namespace",
    hint_ru: "используйте `APP` и `AMOCRM` только для чтения; храните состояние виджета в объекте виджета или в собственном пространстве имён",
    why: "Moderation forbids writing to the global APP / AMOCRM objects and system constants: it changes the CRM's own behaviour for every other widget.",
    example: "APP.constant('account').id = 1; AMOCRM.widgets.mine = self;");

rule!(SCRIPT_MINIFIED, "script.minified", Warning / Error,
    en: "`{file}` looks minified or obfuscated: {measure}",
    ru: "`{file}` похож на сжатый или обфусцированный код: {measure}",
    hint_en: "submit readable source; put third-party minified libraries under `vendor/` or name them `*.min.js`",
    hint_ru: "отправляйте читаемый исходный код; сторонние сжатые библиотеки кладите в `vendor/` или называйте `*.min.js`",
    why: "Moderation rejects minified or obfuscated first-party code because reviewers must read it. Detected by very long lines with almost no whitespace, a high average line length, packer signatures or obfuscator-style `_0x` names.",
    example: "script.js as one 40,000-character line");

rule!(SCRIPT_API_CALL_IN_LOOP, "script.api_call_in_loop", Warning / Warning,
    en: "`{call}` is called inside a loop",
    ru: "`{call}` вызывается внутри цикла",
    hint_en: "collect the items and send one batch request (API v4 accepts arrays of up to 250 entities) instead of one request per item",
    hint_ru: "соберите элементы и отправьте один пакетный запрос (API v4 принимает массивы до 250 сущностей) вместо запроса на каждый элемент",
    why: "Moderation forbids Kommo API, crm_post and $authorizedAjax calls in loops: one request per item hits the API rate limit (7 requests per second) and slows the CRM. This is a heuristic on for/while/do bodies and forEach/each/map callbacks.",
    example: "ids.forEach(function (id) { self.crm_post(url + id, {}, cb); });");

rule!(SCRIPT_INSTALL_CLICK, "script.install_click", Warning / Error,
    en: "the code clicks the system `{class}` button",
    ru: "код программно нажимает системную кнопку `{class}`",
    hint_en: "let the user press Install or Uninstall; never click these buttons from code",
    hint_ru: "кнопки установки и удаления нажимает пользователь; не нажимайте их из кода",
    why: "Moderation forbids programmatic clicks on the Install and Uninstall buttons: the user must decide to install or remove a widget.",
    example: "$('.js-widget-install').trigger('click');");

rule!(SCRIPT_SWITCHER_CLASS, "script.switcher_class", Warning / Error,
    en: "the legacy class `{class}` is used",
    ru: "используется устаревший класс `{class}`",
    hint_en: "use the current switcher control (`self.render({ref: '/tmpl/controls/checkbox.twig'}, ...)`) instead of the `switcher_on` / `switcher_off` classes",
    hint_ru: "используйте актуальный переключатель (`self.render({ref: '/tmpl/controls/checkbox.twig'}, ...)`) вместо классов `switcher_on` / `switcher_off`",
    why: "Moderation rejects the legacy switcher classes switcher_on and switcher_off: the system no longer styles them consistently. Searched in JavaScript strings, CSS and templates.",
    example: "$el.addClass('switcher_on');");

/// The script rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[
    &SCRIPT_MISSING,
    &SCRIPT_SYNTAX_ERROR,
    &SCRIPT_TOO_DEEP,
    &SCRIPT_NOT_AMD,
    &SCRIPT_NO_CALLBACKS,
    &SCRIPT_REMOTE_CODE,
    &SCRIPT_BUILD_PLACEHOLDER,
    &SCRIPT_MISSING_CALLBACK,
    &SCRIPT_LOCATION_CALLBACK,
    &SCRIPT_DEBUGGER,
    &SCRIPT_CONSOLE,
    &SCRIPT_ALERT,
    &SCRIPT_EVAL,
    &SCRIPT_NEW_FUNCTION,
    &SCRIPT_SYNC_XHR,
    &SCRIPT_SCRIPT_INJECTION,
    &SCRIPT_GLOBAL_WRITE,
    &SCRIPT_MINIFIED,
    &SCRIPT_API_CALL_IN_LOOP,
    &SCRIPT_INSTALL_CLICK,
    &SCRIPT_SWITCHER_CLASS,
];
