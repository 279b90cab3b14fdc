//! The CRM a previewed widget sees: the current user and the account's users, the account,
//! the open card and the list's rows, and the widget's setting values. Defaults are plain
//! preview data (shown as such on the page); the fixture panel overrides the setting values,
//! the user's name, the card's field values and the list's rows through the query string
//! (`s.<key>=value`, `user=`, `f.<field id>=value`, `rows=` one name a line).

use crate::areas::Area;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Longest setting value or name taken from the query string, in characters.
const MAX_VALUE_CHARS: usize = 2_000;
/// Most setting values taken from the query string.
const MAX_VALUES: usize = 64;
/// Most list rows taken from the query string.
const MAX_ROWS: usize = 20;
/// Longest row name, in characters.
const MAX_ROW_CHARS: usize = 200;

/// The open card's fields: id, name, type, default value.
pub const CARD_FIELDS: &[(u32, &str, &str, &str)] = &[
    (101, "Phone", "phone", "+7 900 000-00-01"),
    (102, "Email", "email", "client@preview.test"),
    (103, "Budget", "text", "150000"),
];
/// The list's rows by default.
const ROWS: &[&str] = &["Preview deal", "Second deal", "Third deal"];

/// What the fixture panel may change.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Setting values by key (`s.<key>` in the query).
    pub settings: BTreeMap<String, String>,
    /// The current user's name.
    pub user_name: Option<String>,
    /// Values of the card's fields, by field id (`f.<id>`; ids of [`CARD_FIELDS`] only).
    pub card_fields: BTreeMap<u32, String>,
    /// The list's row names (`rows`, one a line), when given.
    pub rows: Option<Vec<String>>,
}

impl Overrides {
    /// The overrides in a query string's pairs; other pairs are ignored, long values cut.
    pub fn from_query(pairs: &[(String, String)]) -> Overrides {
        let cut = |v: &str| v.chars().take(MAX_VALUE_CHARS).collect::<String>();
        let mut o = Overrides::default();
        for (k, v) in pairs {
            if let Some(key) = k.strip_prefix("s.") {
                if o.settings.len() < MAX_VALUES && !key.is_empty() {
                    o.settings.insert(cut(key), cut(v));
                }
            } else if k == "user" && !v.trim().is_empty() {
                o.user_name = Some(cut(v.trim()));
            } else if let Some(id) = k.strip_prefix("f.").and_then(|id| id.parse::<u32>().ok()) {
                if CARD_FIELDS.iter().any(|f| f.0 == id) {
                    o.card_fields.insert(id, cut(v));
                }
            } else if k == "rows" {
                let rows: Vec<String> = v
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .take(MAX_ROWS)
                    .map(|l| l.chars().take(MAX_ROW_CHARS).collect())
                    .collect();
                if !rows.is_empty() {
                    o.rows = Some(rows);
                }
            }
        }
        o
    }

    /// The query string that carries these overrides (for the frame's URL).
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut q: Vec<(String, String)> = self
            .settings
            .iter()
            .map(|(k, v)| (format!("s.{k}"), v.clone()))
            .collect();
        if let Some(name) = &self.user_name {
            q.push(("user".into(), name.clone()));
        }
        q.extend(
            self.card_fields
                .iter()
                .map(|(id, v)| (format!("f.{id}"), v.clone())),
        );
        if let Some(rows) = &self.rows {
            q.push(("rows".into(), rows.join("\n")));
        }
        q
    }

    /// The card's fields with their values: `(id, name, type, value)`.
    pub fn card(&self) -> Vec<(u32, &'static str, &'static str, String)> {
        CARD_FIELDS
            .iter()
            .map(|(id, name, kind, default)| {
                let value = self
                    .card_fields
                    .get(id)
                    .cloned()
                    .unwrap_or_else(|| (*default).to_string());
                (*id, *name, *kind, value)
            })
            .collect()
    }

    /// The list's row names.
    pub fn row_names(&self) -> Vec<String> {
        self.rows
            .clone()
            .unwrap_or_else(|| ROWS.iter().map(|r| (*r).to_string()).collect())
    }
}

/// The setting values the widget starts with: the manifest's declared keys, empty unless
/// overridden; overrides of undeclared keys are dropped.
pub fn settings(manifest: &Value, overrides: &Overrides) -> Map<String, Value> {
    let mut values = Map::new();
    if let Some(declared) = manifest.get("settings").and_then(Value::as_object) {
        for (key, field) in declared {
            let kind = field.get("type").and_then(Value::as_str).unwrap_or("text");
            let given = overrides.settings.get(key);
            let value = match (kind, given) {
                ("users" | "users_lp", Some(v)) => {
                    serde_json::from_str(v).unwrap_or_else(|_| Value::Object(Map::new()))
                }
                ("users" | "users_lp", None) => Value::Object(Map::new()),
                (_, Some(v)) => Value::String(v.clone()),
                (_, None) => Value::String(String::new()),
            };
            values.insert(key.clone(), value);
        }
    }
    values
}

/// The CRM around the widget in `area`, for an account with `subdomain`.
pub fn crm(area: &Area, subdomain: &str, overrides: &Overrides) -> Value {
    let user_name = overrides
        .user_name
        .clone()
        .unwrap_or_else(|| "Anna Preview".to_string());
    let fields: Vec<Value> = overrides
        .card()
        .into_iter()
        .map(
            |(id, name, kind, value)| json!({"id": id, "name": name, "type": kind, "value": value}),
        )
        .collect();
    let rows = overrides.row_names();
    json!({
        "entity": area.entity,
        "element_type": area.element_type,
        "user": {"id": 5001, "name": user_name, "login": "anna@preview.test", "is_admin": true},
        "users": [
            {"id": 5001, "name": user_name, "login": "anna@preview.test", "is_admin": true},
            {"id": 5002, "name": "Boris Preview", "login": "boris@preview.test", "is_admin": false},
        ],
        "account": {"id": 30001, "name": "Preview account", "subdomain": subdomain, "timezone": "Europe/Moscow"},
        "card": {
            "id": 7001,
            "name": rows.first().map_or("Preview deal", String::as_str),
            "fields": fields,
        },
        "rows": rows
            .iter()
            .enumerate()
            .map(|(i, name)| {
                // The card's phone and e-mail on the first row, some on the others.
                let n = i + 1;
                json!({
                    "id": 7000 + n,
                    "name": name,
                    "phones": if n % 2 == 1 { vec![format!("+7 900 000-00-{n:02}")] } else { vec![] },
                    "emails": if n % 3 != 0 { vec![format!("client{n}@preview.test")] } else { vec![] },
                })
            })
            .collect::<Vec<_>>(),
        "custom_fields": [
            {"id": 101, "name": "Phone", "type": "multitext", "code": "PHONE"},
            {"id": 102, "name": "Email", "type": "multitext", "code": "EMAIL"},
            {"id": 103, "name": "Budget", "type": "numeric"},
        ],
        "task_types": [{"id": 1, "name": "Follow-up"}, {"id": 2, "name": "Meeting"}],
        "pipeline_id": 4001,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_keep_declared_settings_and_are_bounded() {
        let pairs: Vec<(String, String)> = vec![
            ("s.api_key".into(), "k-1".into()),
            ("s.unknown".into(), "x".into()),
            ("s.".into(), "empty key".into()),
            ("user".into(), "  Vera  ".into()),
            ("s.long".into(), "y".repeat(5_000)),
            ("other".into(), "ignored".into()),
        ];
        let o = Overrides::from_query(&pairs);
        assert_eq!(o.user_name.as_deref(), Some("Vera"));
        assert_eq!(o.settings["long"].chars().count(), MAX_VALUE_CHARS);
        assert!(!o.settings.contains_key(""));
        let manifest = json!({"settings": {
            "api_key": {"name": "k", "type": "text"},
            "team": {"name": "t", "type": "users"},
            "long": {"name": "l", "type": "text"},
        }});
        let values = settings(&manifest, &o);
        assert_eq!(values["api_key"], "k-1");
        assert_eq!(values["team"], json!({}));
        assert!(!values.contains_key("unknown"));
        let many: Vec<(String, String)> =
            (0..100).map(|i| (format!("s.k{i}"), "v".into())).collect();
        assert_eq!(Overrides::from_query(&many).settings.len(), MAX_VALUES);
        assert!(Overrides::from_query(&many).to_query().len() == MAX_VALUES);
    }

    #[test]
    fn card_fields_and_rows_come_from_the_panel_within_bounds() {
        let pairs: Vec<(String, String)> = vec![
            ("f.101".into(), "+7 111".into()),
            ("f.999".into(), "not a field".into()),
            ("f.x".into(), "no id".into()),
            (
                "rows".into(),
                format!("First\n\n  Second  \n{}", "r\n".repeat(40)),
            ),
        ];
        let o = Overrides::from_query(&pairs);
        assert_eq!(o.card_fields.len(), 1);
        let area = crate::areas::AREAS[0];
        let crm = crm(&area, "acme", &o);
        assert_eq!(crm["card"]["fields"][0]["value"], "+7 111");
        assert_eq!(crm["card"]["fields"][1]["value"], "client@preview.test");
        assert_eq!(crm["card"]["name"], "First");
        let rows = crm["rows"].as_array().unwrap();
        assert_eq!(rows.len(), MAX_ROWS);
        assert_eq!(rows[1]["name"], "Second");
        assert_eq!(rows[0]["phones"][0], "+7 900 000-00-01");
        // The query carries them to the frame unchanged.
        let again = Overrides::from_query(&o.to_query());
        assert_eq!(again.card_fields, o.card_fields);
        assert_eq!(again.rows, o.rows);
        assert_eq!(
            Overrides::default().row_names(),
            ["Preview deal", "Second deal", "Third deal"]
        );
    }
}
