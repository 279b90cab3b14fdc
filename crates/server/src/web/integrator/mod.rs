//! The integrator's pages: the account's integrations, creating and editing one (its secret
//! key shown once), the integration page (code, scheme, versions, submissions with the
//! moderators' reasons, withdraw, roll back, convert, rotate the secret), uploading
//! `widget.zip` with the refusal report file by file, submitting a version for moderation
//! (refusals shown the same way, field findings beside their fields) and the history.
//!
//! One file a job: `texts` (English and Russian), `views` (registry objects for the
//! templates), `list`, `form` (create and edit), `page` (the integration page), `upload`,
//! `actions` (withdraw, roll back, convert, rotate the secret), `submit`, `history`; this
//! module holds the routes and the helpers they share.

use super::failure::{PageError, PageResult};
use super::i18n;
use super::input;
use super::render::{Template, page, page_with};
use super::report::{self, Group};
use super::session::{SignedIn, Viewer, check_csrf, csrf_ok};
use crate::AppState;
use crate::error::ApiError;
use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::{BTreeMap, HashMap};
use widgetry_registry::{
    AuditEvent, BadInput, Diagnostic, Error, InputCode, Integration, IntegrationId,
    IntegrationUpdate, ListingChanges, NewIntegration, NewSubmission, Principal, Severity,
    Submission, SubmissionId, SubmissionState, TestCredentials, Version, VersionState, Visibility,
};
use widgetry_validator::{Lang, Scheme};

mod actions;
mod form;
mod history;
mod list;
mod page;
mod submit;
mod texts;
mod upload;
mod views;

use actions::*;
use form::*;
use history::*;
use list::*;
use page::*;
use submit::*;
use upload::*;
use views::*;

pub(crate) use texts::TEMPLATES;

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/integrations", get(list).post(create))
        .route("/integrations/new", get(new_form))
        .route("/integrations/{id}", get(show))
        .route("/integrations/{id}/edit", get(edit_form).post(edit))
        .route(
            "/integrations/{id}/upload",
            // The body cap is the API's (limit + slack), applied in the handler from the
            // configuration.
            post(upload_version)
                .get(back_to_integration)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/integrations/{id}/submit", get(submit_form).post(submit))
        .route(
            "/integrations/{id}/submissions/{sid}/withdraw",
            post(withdraw),
        )
        .route("/integrations/{id}/rollback", post(rollback))
        .route("/integrations/{id}/convert", post(convert))
        .route(
            "/integrations/{id}/secret",
            post(rotate_secret).get(back_to_integration),
        )
        .route("/integrations/{id}/history", get(history))
}

// ---------------------------------------------------------------------------------------
// Texts and small helpers.

fn text(lang: Lang, key: &str) -> &'static str {
    i18n::text(lang, key)
}

/// A text with its arguments (numbers select plural forms).
fn fill(lang: Lang, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let values: Vec<(&str, String)> = args.iter().map(|(n, v)| (*n, v.to_string())).collect();
    i18n::fill_values(lang, key, &values)
}

/// A text when the key exists, else the fallback as given (event kinds, states).
fn label(lang: Lang, key: &str, fallback: &str) -> String {
    if i18n::has(key) {
        text(lang, key).to_string()
    } else {
        fallback.to_string()
    }
}

fn state_label(lang: Lang, state: &str) -> String {
    label(lang, &format!("integrator-state-{state}"), state)
}

fn language_name(lang: Lang, code: &str) -> String {
    match i18n::has(&format!("integrator-lang-{code}")) {
        true => format!(
            "{} ({code})",
            text(lang, &format!("integrator-lang-{code}"))
        ),
        false => code.to_string(),
    }
}

/// A byte count for people: `20 MB`, `64 KB`.
fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

/// The viewer as if on another path (a page rendered in answer to a POST keeps the language
/// switch pointing at a page that can be fetched).
fn at(viewer: &Viewer, path: String) -> Viewer {
    Viewer {
        path,
        ..viewer.clone()
    }
}

fn page_path(id: IntegrationId) -> String {
    format!("/integrations/{id}")
}

fn see_page(id: IntegrationId, notice: &str) -> Response {
    Redirect::to(&format!("/integrations/{id}?notice={notice}")).into_response()
}

/// An id from a page's path: a positive number, typed by the caller
/// (`parse_id(raw).map(IntegrationId)`).
fn parse_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|n| *n > 0)
}

/// A refusal shown on the integration page (`problem`) with its status, or `None` when the
/// error needs a page of its own.
fn refusal(lang: Lang, e: &Error) -> Option<(StatusCode, String)> {
    match e {
        Error::StateConflict(r) => Some((StatusCode::CONFLICT, input::refusal(lang, r))),
        Error::BadInput(bad) => Some((
            StatusCode::BAD_REQUEST,
            format!(
                "{} {}",
                text(lang, "integrator-refused-conflict"),
                input::bad_input(lang, bad)
            ),
        )),
        Error::Forbidden(denial) => Some((StatusCode::FORBIDDEN, input::refusal(lang, denial))),
        _ => None,
    }
}

/// A form post about one of the caller's integrations: the CSRF token is checked first.
async fn own_posted(
    state: &AppState,
    user: &SignedIn,
    raw_id: &str,
    csrf: &str,
) -> Result<Integration, PageError> {
    check_csrf(&user.principal, csrf)?;
    own(state, user, raw_id).await
}

/// The caller's own integration (another account's: 404).
async fn own(state: &AppState, user: &SignedIn, raw_id: &str) -> Result<Integration, PageError> {
    let id = parse_id(raw_id)
        .map(IntegrationId)
        .ok_or(PageError::NotFound)?;
    let integration = state
        .inner
        .registry
        .get_integration(&user.principal, id)
        .await?;
    if integration.account_id == user.principal.account.id {
        Ok(integration)
    } else {
        Err(PageError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn pointers_map_to_form_fields() {
        assert_eq!(
            field_id("/description/ru").as_deref(),
            Some("sub-description-ru")
        );
        assert_eq!(
            field_id("/instructions/en").as_deref(),
            Some("sub-instructions-en")
        );
        assert_eq!(field_id("/languages").as_deref(), Some("sub-languages"));
        assert_eq!(field_id("/languages/2").as_deref(), Some("sub-languages"));
        assert_eq!(
            field_id("/support_phone").as_deref(),
            Some("sub-support-phone")
        );
        assert_eq!(
            field_id("/support_email").as_deref(),
            Some("sub-support-email")
        );
        assert_eq!(
            field_id("/test_credentials").as_deref(),
            Some("sub-test-credentials")
        );
        assert_eq!(
            field_id("/changes/name/es").as_deref(),
            Some("sub-change-name-es")
        );
        assert_eq!(
            field_id("/changes/description/en").as_deref(),
            Some("sub-change-description-en")
        );
        // Pointers into the manifest, odd languages and unknown fields map to nothing.
        assert_eq!(field_id("/widget/locale"), None);
        assert_eq!(field_id("/description/x\"y"), None);
        assert_eq!(field_id("/description/a~1b"), None);
        assert_eq!(field_id("description/en"), None);
        assert_eq!(field_id("/changes/logo/en"), None);
    }

    #[test]
    fn field_findings_are_keyed_by_field_id() {
        let d = |file: Option<&str>, pointer: Option<&str>, message: &str| Diagnostic {
            code: "x".into(),
            severity: Severity::Error,
            message: message.into(),
            file: file.map(str::to_string),
            pointer: pointer.map(str::to_string),
            line: None,
            column: None,
            hint: String::new(),
        };
        let errors = field_errors(&[
            d(None, Some("/description/ru"), "no Russian description"),
            d(None, Some("/description/ru"), "no phone"),
            d(
                Some("manifest.json"),
                Some("/widget/locale"),
                "not declared",
            ),
            d(None, Some("/support_email"), "not an e-mail"),
        ]);
        assert_eq!(
            errors.get("sub-description-ru"),
            Some(&vec![
                "no Russian description".to_string(),
                "no phone".to_string()
            ])
        );
        assert_eq!(
            errors.get("sub-support-email"),
            Some(&vec!["not an e-mail".to_string()])
        );
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn the_submission_form_becomes_a_new_submission() {
        let (csrf, values) = parse_submit(&pairs(&[
            ("csrf", "tok"),
            ("version", "3"),
            ("languages", "en"),
            ("languages", "ru"),
            ("languages", "en"),
            ("languages", "../x"),
            (
                "description_en",
                "Shows notes. +7 495 215-37-84, help@vendor.ru",
            ),
            ("description_ru", "  "),
            ("description_es", "Muestra notas"),
            ("instructions_en", "Install it and open a lead card."),
            ("change_name_en", "Deal Notes Pro"),
            ("change_name_ru", ""),
            ("change_description_es", "Nuevo"),
            ("test_credentials", "  login: demo  "),
            ("support_phone", "+7 495 215-37-84"),
            ("support_email", "help@vendor.ru"),
            ("description_Bad Lang", "ignored"),
        ]));
        assert_eq!(csrf, "tok");
        assert_eq!(values.languages, ["en", "ru"]);
        assert_eq!(values.description.len(), 3, "kept as entered for the form");
        let s = values.to_submission();
        assert_eq!(s.version, Some(3));
        assert_eq!(s.languages, ["en", "ru"]);
        // Texts of publication languages only, blanks left out (reported as missing).
        assert_eq!(
            s.description.keys().collect::<Vec<_>>(),
            [&"en".to_string()]
        );
        assert_eq!(s.instructions.len(), 1);
        assert_eq!(
            s.test_credentials.map(|c| c.0),
            Some("login: demo".to_string())
        );
        assert_eq!(s.support_phone, "+7 495 215-37-84");
        assert_eq!(s.support_email, "help@vendor.ru");
        // Changes as entered (a change in a non-publication language is the validator's to
        // report), blanks dropped.
        assert_eq!(s.changes.name.len(), 1);
        assert_eq!(
            s.changes.description.get("es").map(String::as_str),
            Some("Nuevo")
        );
    }

    #[test]
    fn an_empty_submission_form() {
        let (csrf, values) = parse_submit(&[]);
        assert!(csrf.is_empty());
        let s = values.to_submission();
        assert_eq!(s.version, None, "the latest version");
        assert!(s.languages.is_empty());
        assert!(s.test_credentials.is_none());
        let (_, v) = parse_submit(&pairs(&[("version", "latest"), ("test_credentials", " ")]));
        assert_eq!(v.to_submission().version, None);
        assert!(v.to_submission().test_credentials.is_none());
    }

    #[test]
    fn offered_languages_start_with_english_and_russian() {
        let values = SubmitValues {
            languages: vec!["tr".into()],
            ..SubmitValues::default()
        };
        assert_eq!(
            offered_languages(&["ru".into(), "es".into(), "Bad".into()], &values),
            ["en", "ru", "es", "tr"]
        );
    }

    #[test]
    fn registry_refusals_of_texts_land_on_their_field() {
        use widgetry_registry::InputCode as C;
        let bad = |field: &str, code| BadInput::new(field, code);
        let (f, m) = field_of_bad_input(
            Lang::En,
            &bad("/redirect_uri", C::RedirectScheme).with("uri", "ftp://x"),
        );
        assert_eq!(f, "redirect-uri");
        assert!(m.contains("https://") && m.contains("ftp://x"), "{m}");
        assert_eq!(
            field_of_bad_input(Lang::En, &bad("/name", C::NameMissing)).0,
            "name-en"
        );
        let (f, m) =
            field_of_bad_input(Lang::Ru, &bad("/name/ru", C::TextTooLong).with("max", 255));
        assert_eq!(
            (f.as_str(), m.as_str()),
            ("name-ru", "Сократите текст до 255 символов.")
        );
        assert_eq!(
            field_of_bad_input(Lang::En, &bad("/description/ru", C::TextControl)).0,
            "description-ru"
        );
    }

    #[test]
    fn the_create_form_checks_what_it_can() {
        let f = IntegrationForm::default();
        let errors = f.check(Lang::En);
        assert!(errors.contains_key("name-en") && errors.contains_key("redirect-uri"));
        let f = IntegrationForm {
            name_ru: "Привет".into(),
            redirect_uri: "https://example.org/oauth".into(),
            ..IntegrationForm::default()
        };
        assert!(f.check(Lang::Ru).is_empty());
        // Other languages survive an edit; an emptied field removes its language.
        let base = BTreeMap::from([
            ("en".to_string(), "Hello".to_string()),
            ("es".to_string(), "Hola".to_string()),
        ]);
        let (names, descriptions) = f.texts(&base, &BTreeMap::new());
        assert_eq!(
            names,
            BTreeMap::from([
                ("es".to_string(), "Hola".to_string()),
                ("ru".to_string(), "Привет".to_string()),
            ])
        );
        assert!(descriptions.is_empty());
    }

    #[test]
    fn sizes_and_details_read_well() {
        assert_eq!(size_text(20 * 1024 * 1024), "20 MB");
        assert_eq!(size_text(1536 * 1024), "1.5 MB");
        assert_eq!(size_text(64 * 1024), "64 KB");
        assert_eq!(size_text(100), "100 B");
        assert_eq!(
            detail_text(&serde_json::json!({"number": 2, "widget_version": "1.0.1"})),
            "number: 2; widget_version: 1.0.1"
        );
        assert_eq!(detail_text(&Json::Null), "");
    }

    async fn html(response: Response) -> (StatusCode, String) {
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap_or_default();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    fn viewer(lang: Lang) -> Viewer {
        Viewer {
            principal: None,
            lang,
            path: "/integrations/1/submit".into(),
        }
    }

    #[tokio::test]
    async fn a_blocked_submission_shows_findings_beside_fields() {
        let diagnostics = vec![Diagnostic {
            code: "submission.description_missing".into(),
            severity: Severity::Error,
            message: "no description in ru".into(),
            file: None,
            pointer: Some("/description/ru".into()),
            line: None,
            column: None,
            hint: "describe it".into(),
        }];
        let values = SubmitValues {
            languages: vec!["en".into(), "ru".into()],
            description: BTreeMap::from([("en".into(), "Shows <notes>".into())]),
            support_phone: "+7 495 215-37-84".into(),
            test_credentials: String::new(),
            ..SubmitValues::default()
        };
        let version = Version {
            id: widgetry_registry::VersionId(1),
            integration_id: widgetry_registry::IntegrationId(1),
            number: 1,
            widget_version: "1.0.0".into(),
            code: "notes_ab12cd".into(),
            archive_sha256: String::new(),
            archive_size: 0,
            state: VersionState::Uploaded,
            uploaded_by: widgetry_registry::UserId(1),
            created_at: widgetry_registry::Timestamp::default(),
        };
        let response = submit_page(
            &viewer(Lang::Ru),
            SubmitPage {
                status: StatusCode::BAD_REQUEST,
                integration: (1, "Notes".into()),
                versions: &[version],
                declared: vec!["en".into(), "ru".into()],
                values,
                problem: Some("blocked".into()),
                report: report::group(&diagnostics, &|_| None),
                field_errors: field_errors(&diagnostics),
                credentials_dropped: true,
            },
        );
        let (status, body) = html(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // The finding beside its field, referenced by the field.
        assert!(
            body.contains(
                r#"<span id="sub-description-ru-error" class="error">no description in ru</span>"#
            ),
            "{body}"
        );
        let ru = body
            .split(r#"<textarea id="sub-description-ru""#)
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .unwrap_or_default();
        assert!(ru.contains(r#"aria-invalid="true""#), "{ru}");
        assert!(ru.contains("sub-description-ru-error"), "{ru}");
        // Values kept (escaped), the test credentials not, and the page says so.
        assert!(body.contains("Shows &lt;notes&gt;</textarea>"), "{body}");
        assert!(body.contains(r#"value="+7 495 215-37-84""#), "{body}");
        assert!(body.contains(r#"rows="3" autocomplete="off" aria-describedby="sub-test-credentials-hint"></textarea>"#), "{body}");
        assert!(body.contains("тестовый доступ не сохранён"), "{body}");
        // The report under the form, in Russian.
        assert!(body.contains(r#"id="submit-report""#), "{body}");
        assert!(body.contains("Форма заявки"), "{body}");
        assert!(body.contains(r#"<option value="1" selected>"#), "{body}");
        assert!(
            body.contains(r#"id="sub-lang-ru" name="languages" value="ru" checked"#),
            "{body}"
        );
    }
}
