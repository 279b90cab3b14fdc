//! The CRM a previewed widget sees: the current user and the account's users, the account,
//! the open card and the list's rows, and the widget's setting values. Defaults are plain
//! preview data (shown as such on the page); the fixture panel overrides the setting values
//! and the user's name through the query string (`s.<key>=value`, `user=`).

use crate::areas::Area;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// Longest setting value or name taken from the query string, in characters.
const MAX_VALUE_CHARS: usize = 2_000;
/// Most setting values taken from the query string.
const MAX_VALUES: usize = 64;

/// What the fixture panel may change.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Setting values by key (`s.<key>` in the query).
    pub settings: BTreeMap<String, String>,
    /// The current user's name.
    pub user_name: Option<String>,
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
        q
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
            "name": "Preview deal",
            "fields": [
                {"id": 101, "name": "Phone", "type": "phone", "value": "+7 900 000-00-01"},
                {"id": 102, "name": "Email", "type": "email", "value": "client@preview.test"},
                {"id": 103, "name": "Budget", "type": "text", "value": "150000"},
            ],
        },
        "rows": [
            {"id": 7001, "name": "Preview deal", "phones": ["+7 900 000-00-01"], "emails": ["client@preview.test"]},
            {"id": 7002, "name": "Second deal", "phones": [], "emails": ["second@preview.test"]},
            {"id": 7003, "name": "Third deal", "phones": ["+7 900 000-00-03"], "emails": []},
        ],
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
}
