//! The `i18n/<locale>.json` files: one key structure for every locale, English texts for
//! `en` (and, until translated, `es`, `pt`, `tr`, `id`), Russian texts for `ru`.

use crate::{Plan, pretty};
use serde_json::{Map, Value, json};

/// The texts of one language.
struct Texts {
    short_description: &'static str,
    /// Before the contacts.
    description: &'static str,
    /// `{email}` and `{phone}` are filled in.
    contacts: &'static str,
    todo: &'static str,
    tour_description: &'static str,
    ai_agent_description: &'static str,
    api_key: &'static str,
    dp_message: &'static str,
    advanced_title: &'static str,
    salesbot_send: &'static str,
    salesbot_text: &'static str,
    amoforms_title: &'static str,
    amoforms_error: &'static str,
    menu_title: &'static str,
    ui_panel_title: &'static str,
    ui_hello: &'static str,
    ui_saved: &'static str,
}

const EN: Texts = Texts {
    short_description: "Useful notes right inside your cards",
    description: "Shows a panel with useful information in lead and contact cards and keeps your team in sync. Enter your API key in the settings to connect the widget to your account.",
    contacts: " Support: {email}, {phone}.",
    todo: " TODO: replace the placeholder contacts with your own.",
    tour_description: "Open a lead or contact card to see the widget panel on the right.",
    ai_agent_description: "Gives the AI agent the widget's data about the client so it can answer questions about them.",
    api_key: "API key",
    dp_message: "Message",
    advanced_title: "Widget settings",
    salesbot_send: "Send a message",
    salesbot_text: "Message text",
    amoforms_title: "Widget field",
    amoforms_error: "Please fill in this field",
    menu_title: "Widget page",
    ui_panel_title: "Widget",
    ui_hello: "The widget is ready to work.",
    ui_saved: "Settings saved.",
};

const RU: Texts = Texts {
    short_description: "Полезные заметки прямо в карточках",
    description: "Показывает панель с полезной информацией в карточках сделок и контактов и помогает команде работать слаженно. Укажите API-ключ в настройках, чтобы подключить виджет к аккаунту.",
    contacts: " Поддержка: {email}, {phone}.",
    todo: " TODO: замените контакты-заглушки своими.",
    tour_description: "Откройте карточку сделки или контакта, чтобы увидеть панель виджета справа.",
    ai_agent_description: "Передаёт AI-агенту данные виджета о клиенте, чтобы агент мог отвечать на вопросы о нём.",
    api_key: "API-ключ",
    dp_message: "Сообщение",
    advanced_title: "Настройки виджета",
    salesbot_send: "Отправить сообщение",
    salesbot_text: "Текст сообщения",
    amoforms_title: "Поле виджета",
    amoforms_error: "Заполните это поле",
    menu_title: "Страница виджета",
    ui_panel_title: "Виджет",
    ui_hello: "Виджет готов к работе.",
    ui_saved: "Настройки сохранены.",
};

fn texts(locale: &str) -> &'static Texts {
    if locale == "ru" { &RU } else { &EN }
}

/// The description shown on the install screen, with the support contacts.
pub(crate) fn description(plan: &Plan<'_>, locale: &str) -> String {
    let t = texts(locale);
    let mut s = t.description.to_string();
    s.push_str(
        &t.contacts
            .replace("{email}", &plan.email)
            .replace("{phone}", &plan.phone),
    );
    if plan.placeholders {
        s.push_str(t.todo);
    }
    s
}

/// One `i18n/<locale>.json` file.
pub(crate) fn i18n_file(plan: &Plan<'_>, locale: &str) -> String {
    let t = texts(locale);
    let mut widget = Map::new();
    widget.insert("name".into(), json!(plan.opts.name));
    widget.insert("short_description".into(), json!(t.short_description));
    widget.insert("description".into(), json!(description(plan, locale)));
    widget.insert("tour_description".into(), json!(t.tour_description));
    if plan.has("ai_agent") {
        widget.insert("ai_agent_description".into(), json!(t.ai_agent_description));
    }
    let mut root = Map::new();
    root.insert("widget".into(), Value::Object(widget));
    root.insert("settings".into(), json!({ "api_key": t.api_key }));
    if plan.has("digital_pipeline") {
        root.insert("dp".into(), json!({ "message": t.dp_message }));
    }
    if plan.has("advanced_settings") {
        root.insert("advanced".into(), json!({ "title": t.advanced_title }));
    }
    if plan.has("salesbot_designer") {
        root.insert(
            "salesbot".into(),
            json!({ "send_message": t.salesbot_send, "text": t.salesbot_text }),
        );
    }
    if plan.has("amoforms") {
        root.insert(
            "amoforms".into(),
            json!({ "title": t.amoforms_title, "error_text": t.amoforms_error }),
        );
    }
    if plan.has("widget_page") {
        root.insert("menu".into(), json!({ "title": t.menu_title }));
    }
    root.insert(
        "ui".into(),
        json!({ "panel_title": t.ui_panel_title, "hello": t.ui_hello, "saved": t.ui_saved }),
    );
    pretty(&Value::Object(root))
}
