//! `manifest.json`: the widget object, the locations, the tour, the settings form and the
//! companion object each location needs.

use crate::{Plan, images, pretty};
use serde_json::{Map, Value, json};

pub(crate) fn manifest(plan: &Plan<'_>) -> String {
    let opts = plan.opts;
    let mut root = Map::new();
    root.insert(
        "widget".into(),
        json!({
            "name": "widget.name",
            "description": "widget.description",
            "short_description": "widget.short_description",
            "version": "0.1.0",
            "interface_version": 2,
            "init_once": false,
            "locale": opts.locales,
            "installation": true,
            "support": { "link": plan.link, "email": plan.email },
        }),
    );
    root.insert("locations".into(), json!(opts.locations));
    let mut tour_images = Map::new();
    for locale in &opts.locales {
        tour_images.insert(
            locale.clone(),
            json!([format!("/{}", images::tour_path(locale))]),
        );
    }
    root.insert(
        "tour".into(),
        json!({
            "is_tour": true,
            "tour_images": tour_images,
            "tour_description": "widget.tour_description",
        }),
    );
    root.insert(
        "settings".into(),
        json!({
            "api_key": { "name": "settings.api_key", "type": "text", "required": true },
        }),
    );
    if plan.has("digital_pipeline") {
        root.insert(
            "dp".into(),
            json!({
                "settings": {
                    "message": { "name": "dp.message", "type": "text", "required": true },
                },
                "action_multiple": false,
            }),
        );
    }
    if plan.has("advanced_settings") {
        root.insert("advanced".into(), json!({ "title": "advanced.title" }));
    }
    if plan.has("salesbot_designer") {
        root.insert(
            "salesbot_designer".into(),
            json!({
                "send_message": {
                    "name": "salesbot.send_message",
                    "settings": {
                        "text": { "name": "salesbot.text", "type": "text", "manual": true },
                    },
                },
            }),
        );
    }
    if plan.has("sms") {
        root.insert(
            "sms".into(),
            json!({ "endpoint": format!("{}/widget/sms", plan.origin) }),
        );
    }
    if plan.has("mobile_card") {
        root.insert(
            "mobile".into(),
            json!({
                "frame_url": format!("{}/widget/mobile", plan.origin),
                "color": images::hex_color(plan.hue),
            }),
        );
    }
    if plan.has("amoforms") {
        root.insert(
            "amoforms_settings".into(),
            json!({
                "title": "amoforms.title",
                "required": false,
                "error_text": "amoforms.error_text",
            }),
        );
    }
    if plan.has("widget_page") {
        let mut menu = Map::new();
        menu.insert(
            plan.slug.clone(),
            json!({
                "title": "menu.title",
                "icon": images::MENU_ICON,
                "sort": { "after": "stats" },
            }),
        );
        root.insert("left_menu".into(), Value::Object(menu));
    }
    pretty(&Value::Object(root))
}
