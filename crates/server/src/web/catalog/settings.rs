//! The settings form: fields from the manifest, values from the form and the stored settings, problems beside their fields.

use super::*;
use crate::web::input::settings_problem;

// ---- The settings form ----

/// A settings field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Pass,
    Users,
    UsersLp,
    Custom,
}

impl Kind {
    pub(super) fn parse(s: &str) -> Kind {
        match s {
            "pass" => Kind::Pass,
            "users" => Kind::Users,
            "users_lp" => Kind::UsersLp,
            "custom" => Kind::Custom,
            // `text`, and unknown types (the registry says what is wrong with them).
            _ => Kind::Text,
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Pass => "pass",
            Kind::Users => "users",
            Kind::UsersLp => "users_lp",
            Kind::Custom => "custom",
        }
    }
}

/// One field of the manifest's `settings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Spec {
    pub(super) key: String,
    /// The manifest's `name` (usually an i18n key).
    pub(super) name: String,
    pub(super) kind: Kind,
    pub(super) required: bool,
}

/// The manifest's `settings`, in manifest order.
pub(super) fn specs(manifest: &Value) -> Vec<Spec> {
    let Some(fields) = manifest.get("settings").and_then(Value::as_object) else {
        return Vec::new();
    };
    fields
        .iter()
        .map(|(key, field)| Spec {
            key: key.clone(),
            name: field
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(key)
                .to_string(),
            kind: Kind::parse(field.get("type").and_then(Value::as_str).unwrap_or("text")),
            required: field
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
        .collect()
}

/// Form field names: `s.{key}`, `s.{key}.{user}`, `s.{key}.{user}.login|password`.
pub(super) fn field_name(key: &str) -> String {
    format!("s.{key}")
}

pub(super) fn user_field_name(key: &str, user: widgetry_registry::UserId) -> String {
    format!("s.{key}.{user}")
}

/// An HTML id for a settings key.
pub(super) fn field_id(key: &str) -> String {
    let slug: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("setting-{slug}")
}

/// A posted form: name/value pairs (names may repeat).
pub(in crate::web) struct Posted<'a>(pub(in crate::web) &'a [(String, String)]);

impl Posted<'_> {
    /// The first value of a field, empty when absent.
    pub(in crate::web) fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

pub(super) fn stored_str<'a>(current: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut node = current;
    for part in path {
        node = node.get(*part)?;
    }
    node.as_str().filter(|s| !s.is_empty())
}

/// The settings object a posted form means. Empty fields are left out; an empty password
/// (`pass`, or a `users_lp` password) keeps the value saved in `current`.
pub(super) fn settings_from_form(
    specs: &[Spec],
    users: &[User],
    posted: &Posted<'_>,
    current: &Value,
) -> Value {
    let mut out = Map::new();
    for s in specs {
        let key = s.key.as_str();
        let value = match s.kind {
            Kind::Text | Kind::Custom => {
                let v = posted.get(&field_name(key)).trim();
                (!v.is_empty()).then(|| Value::String(v.to_string()))
            }
            Kind::Pass => {
                let v = posted.get(&field_name(key));
                if v.is_empty() {
                    stored_str(current, &[key]).map(|old| Value::String(old.to_string()))
                } else {
                    Some(Value::String(v.to_string()))
                }
            }
            Kind::Users => {
                let mut m = Map::new();
                for u in users {
                    let v = posted.get(&user_field_name(key, u.id)).trim();
                    if !v.is_empty() {
                        m.insert(u.id.to_string(), Value::String(v.to_string()));
                    }
                }
                (!m.is_empty()).then_some(Value::Object(m))
            }
            Kind::UsersLp => {
                let mut m = Map::new();
                for u in users {
                    let base = user_field_name(key, u.id);
                    let login = posted.get(&format!("{base}.login")).trim();
                    let password = posted.get(&format!("{base}.password"));
                    if login.is_empty() && password.is_empty() {
                        continue;
                    }
                    let uid = u.id.to_string();
                    let password = if password.is_empty() {
                        stored_str(current, &[key, &uid, "password"]).unwrap_or_default()
                    } else {
                        password
                    };
                    m.insert(
                        uid,
                        serde_json::json!({"login": login, "password": password}),
                    );
                }
                (!m.is_empty()).then_some(Value::Object(m))
            }
        };
        if let Some(v) = value {
            out.insert(s.key.clone(), v);
        }
    }
    Value::Object(out)
}

/// One user's inputs in a `users` or `users_lp` field.
#[derive(Debug, Serialize)]
pub(super) struct UserInput {
    pub(super) email: String,
    /// `users`: the value input; `users_lp`: the login input.
    pub(super) id: String,
    pub(super) name: String,
    pub(super) value: String,
    /// `users_lp`: the password input.
    pub(super) password_id: String,
    pub(super) password_name: String,
    pub(super) label: String,
    pub(super) password_label: String,
    /// A password is saved for this user.
    pub(super) stored: bool,
}

/// One field of the settings form as the template draws it.
#[derive(Debug, Serialize)]
pub(super) struct FieldView {
    pub(super) key: String,
    pub(super) id: String,
    pub(super) name: String,
    pub(super) label: String,
    pub(super) kind: &'static str,
    pub(super) required: bool,
    /// Text and custom values (never a password).
    pub(super) value: String,
    /// A `pass` field has a saved value (empty keeps it).
    pub(super) stored: bool,
    pub(super) hint: Option<String>,
    pub(super) error: Option<String>,
    /// The ids of the hint and the error, for `aria-describedby`.
    pub(super) describedby: String,
    pub(super) users: Vec<UserInput>,
}

/// The form's fields showing `values` (passwords never), with `current` telling which
/// passwords are saved, and each problem beside its field; problems without a field come
/// back separately.
pub(super) fn form_view(
    specs: &[Spec],
    label: &dyn Fn(&Spec) -> String,
    users: &[User],
    values: &Value,
    current: &Value,
    problems: &[SettingsProblem],
    lang: Lang,
) -> (Vec<FieldView>, Vec<String>) {
    let mut general = Vec::new();
    for p in problems {
        if p.key.is_empty() || !specs.iter().any(|s| s.key == p.key) {
            let what = if p.key.is_empty() {
                settings_problem(lang, p)
            } else {
                format!("{}: {}", p.key, settings_problem(lang, p))
            };
            general.push(what);
        }
    }
    let fields = specs
        .iter()
        .map(|s| {
            let key = s.key.as_str();
            let id = field_id(key);
            let errors: Vec<String> = problems
                .iter()
                .filter(|p| p.key == s.key)
                .map(|p| settings_problem(lang, p))
                .collect();
            let error = (!errors.is_empty()).then(|| errors.join(" "));
            let stored = s.kind == Kind::Pass && stored_str(current, &[key]).is_some();
            let hint = match s.kind {
                Kind::Pass if stored => Some(text(lang, "catalog-pass_keep")),
                Kind::Users => Some(text(lang, "catalog-users_hint")),
                Kind::UsersLp => Some(text(lang, "catalog-users_lp_hint")),
                Kind::Custom => Some(text(lang, "catalog-custom_hint")),
                _ => None,
            };
            let describedby = [
                hint.map(|_| format!("{id}-hint")),
                error.as_ref().map(|_| format!("{id}-error")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let value = match (s.kind, values.get(key)) {
                (Kind::Text | Kind::Custom, Some(Value::String(v))) => v.clone(),
                (Kind::Text | Kind::Custom, Some(Value::Null) | None) => String::new(),
                (Kind::Text | Kind::Custom, Some(other)) => other.to_string(),
                _ => String::new(),
            };
            let user_inputs = match s.kind {
                Kind::Users | Kind::UsersLp => users
                    .iter()
                    .map(|u| {
                        let uid = u.id.to_string();
                        let name = user_field_name(key, u.id);
                        let (value, name, password_name) = if s.kind == Kind::Users {
                            (
                                stored_str(values, &[key, &uid]).unwrap_or_default(),
                                name,
                                String::new(),
                            )
                        } else {
                            (
                                stored_str(values, &[key, &uid, "login"]).unwrap_or_default(),
                                format!("{name}.login"),
                                format!("{name}.password"),
                            )
                        };
                        UserInput {
                            email: u.email.clone(),
                            id: format!("{id}-{uid}"),
                            name,
                            value: value.to_string(),
                            password_id: format!("{id}-{uid}-password"),
                            password_name,
                            label: i18n::fill(lang, "catalog-login_for", &[("email", &u.email)])
                                .into_owned(),
                            password_label: i18n::fill(
                                lang,
                                "catalog-password_for",
                                &[("email", &u.email)],
                            )
                            .into_owned(),
                            stored: stored_str(current, &[key, &uid, "password"]).is_some(),
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            FieldView {
                key: s.key.clone(),
                name: field_name(key),
                label: label(s),
                kind: s.kind.as_str(),
                required: s.required,
                value,
                stored,
                hint: hint.map(str::to_string),
                error,
                describedby,
                users: user_inputs,
                id,
            }
        })
        .collect();
    (fields, general)
}

/// What the install page needs besides the widget.
pub(super) struct FormParts {
    pub(super) specs: Vec<Spec>,
    pub(super) users: Vec<User>,
    /// The active installation's settings (`null` when not installed).
    pub(super) current: Value,
    pub(super) pipeline_id: Option<i64>,
}

pub(super) async fn form_parts(
    registry: &Registry,
    user: &SignedIn,
    w: &Loaded,
) -> Result<FormParts, Error> {
    let users = registry.account_users(&user.principal).await?;
    let installation = w.entry.installation.as_ref().filter(|n| n.active);
    Ok(FormParts {
        specs: specs(&w.texts.manifest),
        users,
        current: installation.map_or(Value::Null, |n| n.settings.clone()),
        pipeline_id: installation.and_then(|n| n.pipeline_id),
    })
}

/// Renders the settings form.
pub(super) fn form_page(
    user: &SignedIn,
    status: StatusCode,
    w: &Loaded,
    parts: &FormParts,
    values: &Value,
    problems: &[SettingsProblem],
    retype: bool,
) -> Response {
    let lang = user.viewer.lang;
    let label = |s: &Spec| w.texts.text(&s.name).unwrap_or_else(|| s.key.clone());
    let (fields, general) = form_view(
        &parts.specs,
        &label,
        &parts.users,
        values,
        &parts.current,
        problems,
        lang,
    );
    page_with(
        status,
        &user.viewer,
        "catalog/install.html",
        context! {
            w => &w.tile,
            reconfigure => !parts.current.is_null(),
            fields => fields,
            failed => !problems.is_empty(),
            general => general,
            retype => retype,
        },
    )
}
