//! API tokens in the browser: the account's tokens (the user's own, every one for an admin),
//! a form to create one with scopes and an expiry (the value shown once, on the answer page
//! itself), and revoking.

use super::catalog::{CsrfForm, Posted};
use super::failure::{PageError, PageResult};
use super::i18n::text;
use super::input;
use super::render::{Template, page_with};
use super::session::{SignedIn, check_csrf};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use widgetry_registry::{
    ApiToken, BadInput, Error, Principal, Role, Scope, Timestamp, token_expiry, token_problems,
};
use widgetry_validator::Lang;

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "tokens/index.html",
        include_str!("../../templates/tokens/index.html"),
    ),
    (
        "tokens/created.html",
        include_str!("../../templates/tokens/created.html"),
    ),
];

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(index).post(create))
        .route("/tokens/{id}/revoke", post(revoke))
}

const DEFAULT_DAYS: &str = "90";

/// The scopes a signed-in user may put on a token: `install` and `admin` for account admins,
/// `moderate` for moderators.
fn grantable(p: &Principal) -> Vec<Scope> {
    Scope::ALL
        .into_iter()
        .filter(|s| match s {
            Scope::Install | Scope::Admin => p.role == Role::Admin,
            Scope::Moderate => p.user.is_moderator,
            Scope::Upload | Scope::Submit => true,
        })
        .filter(|s| p.has_scope(*s))
        .collect()
}

fn scope_text(lang: Lang, s: Scope) -> &'static str {
    match s {
        Scope::Upload => text(lang, "tokens-scope-upload"),
        Scope::Submit => text(lang, "tokens-scope-submit"),
        Scope::Install => text(lang, "tokens-scope-install"),
        Scope::Moderate => text(lang, "tokens-scope-moderate"),
        Scope::Admin => text(lang, "tokens-scope-admin"),
    }
}

/// A token row.
#[derive(Debug, Serialize)]
struct Row {
    id: i64,
    name: String,
    prefix: String,
    scopes: Vec<&'static str>,
    owner: String,
    created_at: i64,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
    /// `active`, `expired` or `revoked`.
    state: &'static str,
}

fn row(t: ApiToken, owners: &HashMap<widgetry_registry::UserId, String>, now: Timestamp) -> Row {
    let state = if t.revoked_at.is_some() {
        "revoked"
    } else if t.expires_at.is_some_and(|e| e <= now) {
        "expired"
    } else {
        "active"
    };
    Row {
        owner: owners.get(&t.user_id).cloned().unwrap_or_default(),
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        scopes: t.scopes.iter().map(|s| s.as_str()).collect(),
        created_at: t.created_at.into(),
        expires_at: t.expires_at.map(i64::from),
        last_used_at: t.last_used_at.map(i64::from),
        revoked_at: t.revoked_at.map(i64::from),
        state,
    }
}

/// What the create form shows again after a refusal.
#[derive(Debug, Default, Serialize)]
struct FormView {
    name: String,
    days: String,
    scopes: Vec<String>,
    name_error: Option<String>,
    scopes_error: Option<String>,
    days_error: Option<String>,
    general: Option<String>,
}

/// A create form, read: name, scopes and lifetime, or what is wrong with each.
#[derive(Debug, PartialEq, Eq)]
struct NewToken {
    name: String,
    scopes: Vec<Scope>,
    days: Option<u32>,
}

fn read_form(posted: &[(String, String)], lang: Lang) -> Result<NewToken, Box<FormView>> {
    let form = Posted(posted);
    let get = |n: &str| form.get(n);
    let mut view = FormView {
        name: get("name").to_string(),
        days: get("expires_in_days").trim().to_string(),
        scopes: posted
            .iter()
            .filter(|(k, _)| k == "scope")
            .map(|(_, v)| v.clone())
            .collect(),
        ..FormView::default()
    };
    let mut scopes = Vec::new();
    let mut unknown = None;
    for s in &view.scopes {
        match s.parse::<Scope>() {
            Ok(s) => scopes.push(s),
            Err(Error::BadInput(bad)) => unknown = unknown.or(Some(bad)),
            Err(_) => {}
        }
    }
    if let Some(bad) = unknown {
        place(&mut view, lang, &bad);
    }
    let days = if view.days.is_empty() {
        None
    } else {
        match view.days.parse::<u32>() {
            Ok(d) => Some(d),
            Err(_) => {
                let max = widgetry_registry::MAX_TOKEN_DAYS.to_string();
                view.days_error = Some(
                    super::i18n::fill(lang, "tokens-problem-days", &[("max", &max)]).into_owned(),
                );
                None
            }
        }
    };
    // The rules of the fields are the registry's, as for the API.
    for bad in token_problems(&view.name, &scopes, days) {
        place(&mut view, lang, &bad);
    }
    if view.name_error.is_some() || view.scopes_error.is_some() || view.days_error.is_some() {
        return Err(Box::new(view));
    }
    scopes.sort();
    scopes.dedup();
    Ok(NewToken {
        name: view.name.trim().to_string(),
        scopes,
        days,
    })
}

/// Shows a refusal beside the field it names (the first one per field), else above the form.
fn place(view: &mut FormView, lang: Lang, bad: &BadInput) {
    let slot = match bad.field.as_str() {
        "/name" => &mut view.name_error,
        "/scopes" => &mut view.scopes_error,
        "/expires_in_days" | "/expires_at" => &mut view.days_error,
        _ => &mut view.general,
    };
    if slot.is_none() {
        *slot = Some(super::input::bad_input(lang, bad));
    }
}

#[derive(Debug, Default, Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

/// The tokens page with a create form (fresh, or shown again with its problems).
async fn list_page(
    state: &AppState,
    user: &SignedIn,
    status: StatusCode,
    form: FormView,
    notice: Option<&str>,
) -> PageResult {
    let registry = &state.inner.registry;
    let p = &user.principal;
    let lang = user.viewer.lang;
    let tokens = registry.list_tokens(p).await?;
    let admin = p.role == Role::Admin;
    let owners: HashMap<widgetry_registry::UserId, String> = if admin {
        match registry.account_users(p).await {
            Ok(users) => users.into_iter().map(|u| (u.id, u.email)).collect(),
            Err(e) => return Err(e.into()),
        }
    } else {
        HashMap::new()
    };
    let now = Timestamp::now();
    let rows: Vec<Row> = tokens.into_iter().map(|t| row(t, &owners, now)).collect();
    let scopes: Vec<_> = grantable(p)
        .into_iter()
        .map(|s| {
            context! {
                name => s.as_str(),
                text => scope_text(lang, s),
                checked => form.scopes.iter().any(|x| x == s.as_str()),
            }
        })
        .collect();
    let failed = form.name_error.is_some()
        || form.scopes_error.is_some()
        || form.days_error.is_some()
        || form.general.is_some();
    Ok(page_with(
        status,
        &user.viewer,
        "tokens/index.html",
        context! {
            tokens => rows,
            show_owner => admin,
            scopes => scopes,
            form => form,
            max_days => widgetry_registry::MAX_TOKEN_DAYS,
            failed => failed,
            notice => notice,
        },
    ))
}

async fn index(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let notice = (q.notice.as_deref() == Some("revoked"))
        .then(|| text(user.viewer.lang, "tokens-notice-revoked"));
    let form = FormView {
        days: DEFAULT_DAYS.to_string(),
        ..FormView::default()
    };
    list_page(&state, &user, StatusCode::OK, form, notice).await
}

async fn create(
    State(state): State<AppState>,
    client: crate::clients::ClientAddr,
    user: SignedIn,
    Form(posted): Form<Vec<(String, String)>>,
) -> PageResult {
    check_csrf(&user.principal, Posted(&posted).get("csrf"))?;
    state
        .inner
        .limits
        .check(crate::clients::Guarded::Tokens, &client)
        .map_err(|limited| PageError::TooMany(limited.wait))?;
    let lang = user.viewer.lang;
    let new = match read_form(&posted, lang) {
        Ok(n) => n,
        Err(form) => {
            return list_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, *form, None).await;
        }
    };
    let expires_at = token_expiry(new.days);
    let created = state
        .inner
        .registry
        .create_token(&user.principal, &new.name, &new.scopes, expires_at)
        .await;
    Ok(match created {
        Ok((token, raw)) => page_with(
            StatusCode::CREATED,
            &user.viewer,
            "tokens/created.html",
            context! {
                token => row(token, &HashMap::new(), Timestamp::now()),
                value => raw,
            },
        ),
        Err(e @ (Error::BadInput(_) | Error::Forbidden(_) | Error::MissingScope(_))) => {
            let mut form = form_again(&posted, lang);
            match &e {
                Error::BadInput(bad) => place(&mut form, lang, bad),
                Error::Forbidden(denial) => form.general = Some(input::refusal(lang, denial)),
                other => form.general = Some(other.to_string()),
            }
            list_page(&state, &user, StatusCode::UNPROCESSABLE_ENTITY, form, None).await?
        }
        Err(e) => return Err(e.into()),
    })
}

/// The posted values, for showing the form again after the registry refused it.
fn form_again(posted: &[(String, String)], lang: Lang) -> FormView {
    match read_form(posted, lang) {
        Err(view) => *view,
        Ok(n) => FormView {
            name: n.name,
            days: n.days.map(|d| d.to_string()).unwrap_or_default(),
            scopes: n.scopes.iter().map(|s| s.as_str().to_string()).collect(),
            ..FormView::default()
        },
    }
}

async fn revoke(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    check_csrf(&user.principal, &f.csrf)?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(PageError::NotFound);
    };
    Ok(
        match state.inner.registry.revoke_token(&user.principal, id).await {
            Ok(()) => Redirect::to("/tokens?notice=revoked").into_response(),
            Err(e) => return Err(e.into()),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_create_form_is_read_or_refused_field_by_field() {
        let ok = read_form(
            &pairs(&[
                ("csrf", "x"),
                ("name", " CI "),
                ("scope", "submit"),
                ("scope", "upload"),
                ("scope", "upload"),
                ("expires_in_days", "30"),
            ]),
            Lang::En,
        )
        .unwrap();
        assert_eq!(
            ok,
            NewToken {
                name: "CI".into(),
                scopes: vec![Scope::Upload, Scope::Submit],
                days: Some(30)
            }
        );
        let no_expiry = read_form(
            &pairs(&[("name", "x"), ("scope", "upload"), ("expires_in_days", "")]),
            Lang::En,
        )
        .unwrap();
        assert_eq!(no_expiry.days, None);
        let bad = read_form(
            &pairs(&[("name", "  "), ("expires_in_days", "0")]),
            Lang::Ru,
        )
        .unwrap_err();
        assert!(bad.name_error.is_some() && bad.scopes_error.is_some() && bad.days_error.is_some());
        let bad = read_form(
            &pairs(&[
                ("name", "x"),
                ("scope", "root"),
                ("expires_in_days", "3651"),
            ]),
            Lang::En,
        )
        .unwrap_err();
        assert_eq!(bad.name_error, None);
        assert_eq!(bad.scopes, ["root"]);
        assert!(bad.scopes_error.is_some() && bad.days_error.is_some());
    }
}
