//! Rules about what a widget did when it ran in the preview (`/preview/...`, `widgetry
//! preview`): callbacks that threw or are missing, modules and templates that did not load,
//! other hosts contacted, habits moderation refuses. Raised from the preview host's events by
//! [`crate::preview`]; the file and line are those of the widget's code when the browser
//! names them.

use super::Rule;

rule!(PREVIEW_CALLBACK_THREW, "preview.callback_threw", Error / Error,
    en: "`{callback}` threw in {area}: {message}",
    ru: "`{callback}` выбросил исключение в {area}: {message}",
    hint_en: "fix the error at this line; amoCRM stops the widget in this area when a callback throws",
    hint_ru: "исправьте ошибку в этой строке: amoCRM останавливает виджет в этой области, когда колбэк выбрасывает исключение",
    why: "A callback that throws leaves the widget half drawn and its later callbacks uncalled; users see a broken card or settings window.",
    example: "bind_actions: function () { var data = null; return data.missing; }");

rule!(PREVIEW_CALLBACK_MISSING, "preview.callback_missing", Error / Error,
    en: "`this.callbacks.{callback}` is not a function ({area})",
    ru: "`this.callbacks.{callback}` — не функция ({area})",
    hint_en: "define `{callback}` in `this.callbacks`, returning true",
    hint_ru: "определите `{callback}` в `this.callbacks`, возвращающий true",
    why: "amoCRM calls render, init and bind_actions in every location (and settings, onSave, destroy in the settings window); without them the widget does not run there.",
    example: "this.callbacks = { render: function () { return true; } }");

rule!(PREVIEW_CALLBACK_REJECTED, "preview.callback_rejected", Error / Error,
    en: "the Promise returned by `{callback}` was rejected in {area}: {message}",
    ru: "Promise, возвращённый `{callback}`, отклонён в {area}: {message}",
    hint_en: "handle the failure inside `{callback}` and resolve with true or false",
    hint_ru: "обработайте ошибку внутри `{callback}` и разрешите Promise значением true или false",
    why: "A rejected Promise from render or onSave leaves the widget undrawn or its settings unsaved, with nothing shown to the user.",
    example: "render: function () { return Promise.reject(new Error('no')); }");

rule!(PREVIEW_CALLBACK_TIMEOUT, "preview.callback_timeout", Warning / Error,
    en: "the Promise returned by `{callback}` did not settle within {seconds} s ({area})",
    ru: "Promise, возвращённый `{callback}`, не завершился за {seconds} с ({area})",
    hint_en: "resolve the Promise when the work is done, and on failure too",
    hint_ru: "разрешайте Promise, когда работа закончена, и при ошибке тоже",
    why: "A callback that never settles keeps the CRM waiting: later callbacks are never called.",
    example: "render: function () { return new Promise(function () {}); }");

rule!(PREVIEW_RENDER_DECLINED, "preview.render_declined", Warning / Warning,
    en: "`render` returned {result} in {area}, so `init` and `bind_actions` were not called",
    ru: "`render` вернул {result} в {area}, поэтому `init` и `bind_actions` не вызывались",
    hint_en: "return true from `render` in every declared location the widget works in, or remove the location from `locations`",
    hint_ru: "возвращайте true из `render` во всех объявленных местах работы виджета или уберите место из `locations`",
    why: "A declared location where the widget declines to run is dead weight, and moderation asks that declared locations are used.",
    example: "render: function () { return false; }");

rule!(PREVIEW_UNCAUGHT_ERROR, "preview.uncaught_error", Error / Error,
    en: "uncaught error in {area}: {message}",
    ru: "необработанная ошибка в {area}: {message}",
    hint_en: "fix the error at this line",
    hint_ru: "исправьте ошибку в этой строке",
    why: "Errors outside the callbacks (timers, event handlers) break the widget after it started, where users meet them.",
    example: "setTimeout(function () { undefined.x; }, 0);");

rule!(PREVIEW_UNHANDLED_REJECTION, "preview.unhandled_rejection", Warning / Error,
    en: "unhandled Promise rejection in {area}: {message}",
    ru: "необработанное отклонение Promise в {area}: {message}",
    hint_en: "add a `.catch` to the Promise and tell the user what failed",
    hint_ru: "добавьте `.catch` к Promise и сообщите пользователю, что не получилось",
    why: "A failure nobody handles is a failure the user does not hear about.",
    example: "fetch('/api/v4/leads').then(function (r) { return r.json(); });");

rule!(PREVIEW_MISSING_MODULE, "preview.missing_module", Error / Error,
    en: "module {modules} could not be loaded ({area})",
    ru: "не удалось загрузить модуль {modules} ({area})",
    hint_en: "add the file to the package, fix the path, or use a module amoCRM provides (jquery, underscore, twigjs, moment, lib/components/base/modal)",
    hint_ru: "добавьте файл в пакет, исправьте путь или используйте модуль, который даёт amoCRM (jquery, underscore, twigjs, moment, lib/components/base/modal)",
    why: "RequireJS stops the whole widget when one of its dependencies does not load.",
    example: "define(['./lib/absent.js'], function (absent) { ... });");

rule!(PREVIEW_MISSING_TEMPLATE, "preview.missing_template", Error / Error,
    en: "template `{ref}` does not exist ({area})",
    ru: "шаблона `{ref}` не существует ({area})",
    hint_en: "use one of amoCRM's system templates (`/tmpl/controls/button.twig`, `input`, `select`, `checkbox`, ...) or a template file of the package",
    hint_ru: "используйте системный шаблон amoCRM (`/tmpl/controls/button.twig`, `input`, `select`, `checkbox`, ...) или файл шаблона из пакета",
    why: "`render` with a template that does not exist returns nothing, and the widget's next line usually fails.",
    example: "self.render({ref: '/tmpl/controls/buton.twig'}, {})");

rule!(PREVIEW_EXTERNAL_HOST, "preview.external_host", Warning / Warning,
    en: "the widget contacted `{host}` ({kind}) in {area}",
    ru: "виджет обратился к `{host}` ({kind}) в {area}",
    hint_en: "make sure the description says what the widget sends to `{host}` and why; load code and styles from the package, not from other hosts",
    hint_ru: "убедитесь, что в описании сказано, что и зачем виджет отправляет на `{host}`; загружайте код и стили из пакета, а не с других хостов",
    why: "Moderators check that a widget sends data only where its description says; code loaded from other hosts can change after review.",
    example: "$.get('https://tracker.example.net/collect')");

rule!(PREVIEW_CRM_POST, "preview.crm_post", Info / Info,
    en: "`crm_post` to `{url}` in {area}",
    ru: "`crm_post` на `{url}` в {area}",
    hint_en: "the preview never sends it; check that the description names this service",
    hint_ru: "предпросмотр не отправляет запрос; проверьте, что этот сервис назван в описании",
    why: "crm_post sends data through amoCRM's proxy to the integrator's server: moderators want to see where.",
    example: "self.crm_post('https://backend.example.net/hook', data, ok, 'json', fail)");

rule!(PREVIEW_ES_CLASS, "preview.es_class", Error / Error,
    en: "the widget is an ES class: amoCRM cannot put its methods on it",
    ru: "виджет написан как ES-класс: amoCRM не может добавить в него свои методы",
    hint_en: "return a constructor function (`var Widget = function () { ... }; return Widget;`), not a `class`",
    hint_ru: "возвращайте функцию-конструктор (`var Widget = function () { ... }; return Widget;`), а не `class`",
    why: "amoCRM injects `system()`, `i18n`, `render` and the rest into the prototype of the widget's constructor; a class's prototype cannot be replaced, so the constructor fails.",
    example: "define([], function () { return class Widget { constructor() { this.system(); } }; });");

rule!(PREVIEW_CONSTRUCTOR_THREW, "preview.constructor_threw", Error / Error,
    en: "the widget's constructor threw: {message}",
    ru: "конструктор виджета выбросил исключение: {message}",
    hint_en: "fix the error at this line; nothing of the widget runs when its constructor fails",
    hint_ru: "исправьте ошибку в этой строке: если конструктор падает, виджет не работает совсем",
    why: "The constructor runs before any callback; when it throws, the widget does not exist.",
    example: "var Widget = function () { this.settings = JSON.parse(''); };");

rule!(PREVIEW_NOT_A_WIDGET, "preview.not_a_widget", Error / Error,
    en: "script.js did not define a widget: {what}",
    ru: "script.js не определил виджет: {what}",
    hint_en: "`define` a module that returns the widget's constructor, which sets `this.callbacks`",
    hint_ru: "объявите через `define` модуль, который возвращает конструктор виджета, задающий `this.callbacks`",
    why: "amoCRM loads script.js as a RequireJS module and constructs what it returns.",
    example: "define([], function () { return {}; });");

rule!(PREVIEW_ALERT, "preview.alert", Warning / Error,
    en: "the widget called `{function}` in {area}: {text}",
    ru: "виджет вызвал `{function}` в {area}: {text}",
    hint_en: "show messages with `APP.notifications` or in the widget's own markup",
    hint_ru: "показывайте сообщения через `APP.notifications` или в разметке самого виджета",
    why: "Browser dialogs block the whole CRM page; amoCRM's rules forbid them.",
    example: "alert('saved')");

rule!(PREVIEW_APP_WRITE, "preview.app_write", Warning / Error,
    en: "the widget changed `APP.{key}` in {area}",
    ru: "виджет изменил `APP.{key}` в {area}",
    hint_en: "keep the widget's state in the widget; `APP` belongs to the CRM",
    hint_ru: "храните состояние виджета в самом виджете: `APP` принадлежит CRM",
    why: "Overwriting the CRM's own objects breaks the CRM and other widgets.",
    example: "APP.constant = function () {}");

rule!(PREVIEW_SYNC_REQUEST, "preview.sync_request", Warning / Error,
    en: "synchronous request to `{url}` in {area}",
    ru: "синхронный запрос к `{url}` в {area}",
    hint_en: "make the request asynchronous",
    hint_ru: "сделайте запрос асинхронным",
    why: "A synchronous request freezes the CRM page until it answers.",
    example: "$.ajax({url: url, async: false})");

rule!(PREVIEW_CONSOLE_CLUTTER, "preview.console_clutter", Info / Warning,
    en: "the widget wrote {count} console messages in {area}",
    ru: "виджет написал в консоль {count} сообщений в {area}",
    hint_en: "remove debugging output before publishing",
    hint_ru: "уберите отладочный вывод перед публикацией",
    why: "Console output in production is debugging left behind; it clutters every user's console.",
    example: "console.log('here', data)");

rule!(PREVIEW_SALESBOT_NOT_JSON, "preview.salesbot_not_json", Error / Error,
    en: "`onSalesbotDesignerSave` gave no JSON for handler `{handler}` ({area}): {result}",
    ru: "`onSalesbotDesignerSave` вернул не JSON для обработчика `{handler}` ({area}): {result}",
    hint_en: "return the bot's steps as a JSON string, e.g. `JSON.stringify([{question: [{handler: 'widget_request', params: {url: url, data: params}}]}])`",
    hint_ru: "возвращайте шаги бота строкой JSON, например `JSON.stringify([{question: [{handler: 'widget_request', params: {url: url, data: params}}]}])`",
    why: "amoCRM stores what onSalesbotDesignerSave returns as the bot's step; anything but a JSON string leaves a step the bot cannot run.",
    example: "onSalesbotDesignerSave: function (code, params) { return params; }");

pub(super) const RULES: &[&Rule] = &[
    &PREVIEW_CALLBACK_THREW,
    &PREVIEW_CALLBACK_MISSING,
    &PREVIEW_CALLBACK_REJECTED,
    &PREVIEW_CALLBACK_TIMEOUT,
    &PREVIEW_RENDER_DECLINED,
    &PREVIEW_UNCAUGHT_ERROR,
    &PREVIEW_UNHANDLED_REJECTION,
    &PREVIEW_MISSING_MODULE,
    &PREVIEW_MISSING_TEMPLATE,
    &PREVIEW_EXTERNAL_HOST,
    &PREVIEW_CRM_POST,
    &PREVIEW_ES_CLASS,
    &PREVIEW_CONSTRUCTOR_THREW,
    &PREVIEW_NOT_A_WIDGET,
    &PREVIEW_ALERT,
    &PREVIEW_APP_WRITE,
    &PREVIEW_SYNC_REQUEST,
    &PREVIEW_CONSOLE_CLUTTER,
    &PREVIEW_SALESBOT_NOT_JSON,
];
