//! The areas of amoCRM's page a widget can be previewed in, from its manifest's `locations`:
//! cards and lists of leads, contacts, companies and customers (and the task list), the
//! settings modal (always: every installed widget has one), the advanced settings page, the
//! digital pipeline action, the widget's own left-menu pages and its Salesbot designer block.
//! Locations the preview does not emulate yet are named, so the page can say so.

use serde::Serialize;
use serde_json::Value;

/// One area: what `system().area` says, and how the frame sets it up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Area {
    /// `system().area`: `lcard`, `llist`, `settings`, `advanced-settings`, `leads-dp`, ...
    pub id: &'static str,
    /// The location the manifest declares for it (`lcard`, `advanced_settings`, ...).
    pub location: &'static str,
    /// What the frame builds: `card`, `list`, `settings`, `advanced`, `dp`, `menu` or
    /// `salesbot`.
    pub family: &'static str,
    /// The entity, as `APP.getBaseEntity()` and mass-action callbacks name it.
    pub entity: &'static str,
    /// `APP.element_types` of the entity.
    pub element_type: u8,
    /// `APP.getWidgetsArea()`.
    pub widgets_area: &'static str,
}

const fn area(
    id: &'static str,
    location: &'static str,
    family: &'static str,
    entity: &'static str,
    element_type: u8,
    widgets_area: &'static str,
) -> Area {
    Area {
        id,
        location,
        family,
        entity,
        element_type,
        widgets_area,
    }
}

/// Every area the preview emulates, in the order of the page's tabs.
pub const AREAS: &[Area] = &[
    area("lcard", "lcard", "card", "leads", 2, "leads_card"),
    area("ccard", "ccard", "card", "contacts", 1, "contacts_card"),
    area(
        "comcard",
        "comcard",
        "card",
        "companies",
        3,
        "companies_card",
    ),
    area(
        "cucard",
        "cucard",
        "card",
        "customers",
        12,
        "customers_card",
    ),
    area("llist", "llist", "list", "leads", 2, "leads_list"),
    area("clist", "clist", "list", "contacts", 1, "contacts_list"),
    area("tlist", "tlist", "list", "todo", 4, "todo_list"),
    area(
        "culist",
        "culist",
        "list",
        "customers",
        12,
        "customers_list",
    ),
    area("settings", "settings", "settings", "leads", 2, "settings"),
    area(
        "advanced-settings",
        "advanced_settings",
        "advanced",
        "leads",
        2,
        "advanced-settings",
    ),
    area("leads-dp", "digital_pipeline", "dp", "leads", 2, "leads-dp"),
    area(
        "widget_page",
        "widget_page",
        "menu",
        "leads",
        2,
        "widget-page",
    ),
    area(
        "salesbot_designer",
        "salesbot_designer",
        "salesbot",
        "leads",
        2,
        "salesbot_designer",
    ),
];

/// The locations a manifest declares, without their `-0`/`-1` suffix.
fn declared(manifest: &Value) -> Vec<String> {
    manifest
        .get("locations")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(|l| l.split('-').next().unwrap_or(l).to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The areas a manifest opens (the settings modal always), and the declared locations the
/// preview does not emulate.
pub fn of_manifest(manifest: &Value) -> (Vec<Area>, Vec<String>) {
    let declared = declared(manifest);
    let areas = AREAS
        .iter()
        .filter(|a| a.location == "settings" || declared.iter().any(|d| d == a.location))
        .copied()
        .collect();
    let mut other: Vec<String> = declared
        .into_iter()
        .filter(|d| !AREAS.iter().any(|a| a.location == d))
        .collect();
    other.sort();
    other.dedup();
    (areas, other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn locations_open_their_areas_and_settings_always() {
        let m = json!({"locations": ["lcard-1", "llist-0", "advanced_settings", "everywhere", "widget_page", "salesbot_designer", "sms"]});
        let (areas, other) = of_manifest(&m);
        let ids: Vec<&str> = areas.iter().map(|a| a.id).collect();
        assert_eq!(
            ids,
            [
                "lcard",
                "llist",
                "settings",
                "advanced-settings",
                "widget_page",
                "salesbot_designer"
            ]
        );
        assert_eq!(other, ["everywhere", "sms"]);
        let (areas, other) = of_manifest(&json!({}));
        assert_eq!(areas.len(), 1);
        assert!(other.is_empty());
    }
}
