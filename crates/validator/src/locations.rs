//! The areas of the CRM a widget can run in (`locations` in the manifest).

/// Card and list areas, which take a `-0`/`-1` suffix.
pub const SUFFIXED_AREAS: &[&str] = &[
    "lcard", "ccard", "comcard", "cucard", "llist", "clist", "tlist", "culist",
];

/// Areas that take no suffix.
pub const PLAIN_AREAS: &[&str] = &[
    "settings",
    "advanced_settings",
    "card_sdk",
    "catalogs",
    "digital_pipeline",
    "lead_sources",
    "whatsapp_modal",
    "everywhere",
    "sms",
    "mobile_card",
    "amoforms",
    "salesbot_designer",
    "widget_page",
    "website_chat_button",
    "ai_agent",
];

/// Splits a location into its area and suffix (`lcard-1` -> `lcard`, `Some("1")`).
pub fn split_location(location: &str) -> (&str, Option<&str>) {
    match location.rsplit_once('-') {
        Some((base, suffix)) => (base, Some(suffix)),
        None => (location, None),
    }
}
