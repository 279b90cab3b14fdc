//! amoMarket for an account: the catalogue (its own private integrations and the public ones,
//! with logo, name, short description, status and version, searchable by name or code), the
//! widget page (description, tour images, install, reconfigure, uninstall) and the settings
//! form generated from the manifest's `settings`, with the registry's problems beside each
//! field. Texts of a widget come from its version's `i18n/<locale>.json` in the page's
//! language, else English, else the integration's own texts.
//!
//! One file a job: `texts`, `views`, `browse`, `settings` (the form), `install`; this module
//! holds the routes and small shared helpers.

use super::failure::PageResult;
use super::i18n::{self, text};
use super::render::{Template, page, page_with};
use super::session::{SignedIn, Viewer, check_csrf};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use widgetry_registry::{
    CatalogEntry, Error, Principal, Registry, Role, SettingsProblem, User, Visibility,
};
use widgetry_validator::Lang;

mod browse;
mod install;
mod settings;
mod texts;
mod views;

use browse::*;
use install::*;
use settings::*;
use views::*;

pub(crate) use texts::TEMPLATES;
// The tokens pages use these.
use crate::files::urls::{file_path, segment};
pub(super) use install::CsrfForm;
pub(super) use settings::Posted;

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(index))
        .route("/catalog/{code}", get(widget))
        .route("/catalog/{code}/install", get(install_form).post(install))
        .route("/catalog/{code}/uninstall", post(uninstall))
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "ru",
        _ => "en",
    }
}

/// A `{"en": .., "ru": ..}` map in the language, else English, else the first non-empty.
fn localized(map: &BTreeMap<String, String>, lang: Lang) -> Option<String> {
    [lang_code(lang), "en"]
        .iter()
        .filter_map(|l| map.get(*l))
        .chain(map.values())
        .find(|s| !s.trim().is_empty())
        .cloned()
}

/// Whether a manifest text looks like an i18n key (`widget.name`) rather than literal text.
fn key_like(raw: &str) -> bool {
    raw.contains('.') && !raw.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use widgetry_registry::InputCode;

    fn manifest() -> Value {
        json!({"settings": {
            "login": {"name": "settings.login", "type": "text", "required": true},
            "secret": {"name": "settings.secret", "type": "pass", "required": true},
            "ext": {"name": "settings.ext", "type": "users"},
            "creds": {"name": "settings.creds", "type": "users_lp", "required": false},
            "blob": {"name": "Literal name", "type": "custom"},
            "odd": {"name": "settings.odd", "type": "color"}
        }})
    }

    fn user(id: i64, email: &str) -> User {
        User {
            id: widgetry_registry::UserId(id),
            email: email.to_string(),
            is_moderator: false,
            is_operator: false,
            created_at: widgetry_registry::Timestamp::default(),
        }
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn specs_follow_the_manifest() {
        let s = specs(&manifest());
        let kinds: Vec<(&str, Kind, bool)> = s
            .iter()
            .map(|s| (s.key.as_str(), s.kind, s.required))
            .collect();
        assert_eq!(
            kinds,
            [
                ("login", Kind::Text, true),
                ("secret", Kind::Pass, true),
                ("ext", Kind::Users, false),
                ("creds", Kind::UsersLp, false),
                ("blob", Kind::Custom, false),
                ("odd", Kind::Text, false),
            ]
        );
        assert!(specs(&json!({})).is_empty());
    }

    #[test]
    fn settings_form_is_built_from_the_manifest() {
        let texts = Texts {
            manifest: manifest(),
            files: Vec::new(),
            i18n: vec![json!({"settings": {"login": "Логин", "secret": "Секрет"}})],
        };
        let users = [user(7, "a@x.io"), user(9, "b@x.io")];
        let current = json!({"login": "me", "secret": "s3", "ext": {"9": "104"},
            "creds": {"7": {"login": "l7", "password": "p7"}}, "blob": 5});
        let label = |s: &Spec| texts.text(&s.name).unwrap_or_else(|| s.key.clone());
        let problems = [
            SettingsProblem::new("login", InputCode::SettingsRequired),
            SettingsProblem::new("", InputCode::SettingsNotObject),
        ];
        let (fields, general) = form_view(
            &specs(&texts.manifest),
            &label,
            &users,
            &current,
            &current,
            &problems,
            Lang::Ru,
        );
        // Translated by code, even what the untyped messages left in English.
        assert_eq!(
            general,
            ["Не удалось прочитать настройки; обновите страницу и попробуйте снова."]
        );
        let f = |k: &str| fields.iter().find(|f| f.key == k).unwrap();
        let login = f("login");
        assert_eq!(
            (login.label.as_str(), login.kind, login.required),
            ("Логин", "text", true)
        );
        assert_eq!(login.value, "me");
        assert_eq!(login.id, "setting-login");
        assert_eq!(login.name, "s.login");
        assert_eq!(login.error.as_deref(), Some("Укажите значение."));
        assert_eq!(login.describedby, "setting-login-error");
        // A saved password is never shown, only said to be there.
        let secret = f("secret");
        assert_eq!((secret.value.as_str(), secret.stored), ("", true));
        assert_eq!(secret.describedby, "setting-secret-hint");
        // One input per user.
        let ext = f("ext");
        let ext_users: Vec<(&str, &str, &str)> = ext
            .users
            .iter()
            .map(|u| (u.name.as_str(), u.id.as_str(), u.value.as_str()))
            .collect();
        assert_eq!(
            ext_users,
            [
                ("s.ext.7", "setting-ext-7", ""),
                ("s.ext.9", "setting-ext-9", "104")
            ]
        );
        let creds = f("creds");
        assert_eq!(creds.users[0].name, "s.creds.7.login");
        assert_eq!(creds.users[0].password_name, "s.creds.7.password");
        assert_eq!(
            (creds.users[0].value.as_str(), creds.users[0].stored),
            ("l7", true)
        );
        assert!(!creds.users[1].stored);
        // Custom: explained, value shown as text; a literal name stays.
        let blob = f("blob");
        assert_eq!(
            (blob.label.as_str(), blob.value.as_str()),
            ("Literal name", "5")
        );
        assert!(blob.hint.is_some());
        // An untranslated key falls back to the field key.
        assert_eq!(f("odd").label, "odd");
    }

    #[test]
    fn empty_passwords_keep_the_saved_value() {
        let s = specs(&manifest());
        let users = [user(7, "a@x.io"), user(9, "b@x.io")];
        let current = json!({"login": "me", "secret": "old",
            "creds": {"7": {"login": "l7", "password": "p7"}, "9": {"login": "l9", "password": "p9"}}});
        let posted = pairs(&[
            ("csrf", "x"),
            ("s.login", "  new  "),
            ("s.secret", ""),
            ("s.ext.7", "101"),
            ("s.ext.9", " "),
            ("s.creds.7.login", "l7"),
            ("s.creds.7.password", ""),
            ("s.creds.9.login", ""),
            ("s.creds.9.password", ""),
            ("s.blob", "{\"a\": 1}"),
        ]);
        let out = settings_from_form(&s, &users, &Posted(&posted), &current);
        assert_eq!(
            out,
            json!({"login": "new", "secret": "old", "ext": {"7": "101"},
                   "creds": {"7": {"login": "l7", "password": "p7"}}, "blob": "{\"a\": 1}"})
        );
        // A typed password replaces the saved one; nothing saved and nothing typed: left out.
        let posted = pairs(&[("s.secret", "fresh "), ("s.creds.9.password", "n9")]);
        let out = settings_from_form(&s, &users, &Posted(&posted), &current);
        assert_eq!(
            out,
            json!({"secret": "fresh ", "creds": {"9": {"login": "", "password": "n9"}}})
        );
        let out = settings_from_form(&s, &users, &Posted(&posted[..0]), &Value::Null);
        assert_eq!(out, json!({}));
    }

    #[test]
    fn search_matches_names_and_code_ignoring_case() {
        let h = haystack(["Call Tracker", "Трекер звонков"], "call_tracker_x1y2z3");
        assert!(matches("", &h));
        assert!(matches("  ", &h));
        assert!(matches("call", &h));
        assert!(matches("TRACKER", &h));
        assert!(matches("трекер", &h));
        assert!(matches("ТРЕКЕР", &h));
        assert!(matches("x1y2", &h));
        assert!(!matches("hello", &h));
    }

    #[test]
    fn texts_resolve_keys_and_literals() {
        let t = Texts {
            manifest: json!({"widget": {"short_description": "widget.short", "description": "widget.nope"}}),
            files: vec!["images/logo.png".into()],
            i18n: vec![
                json!({"widget": {"short": ""}}),
                json!({"widget": {"short": "Short"}}),
            ],
        };
        // The first non-empty translation, a missing key gives nothing, literal text stays.
        assert_eq!(
            t.manifest_text("/widget/short_description").as_deref(),
            Some("Short")
        );
        assert_eq!(t.manifest_text("/widget/description"), None);
        assert_eq!(t.text("Plain words.").as_deref(), Some("Plain words."));
        assert!(t.has("images/logo.png"));
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
