//! The integration's history.

use super::*;

/// An event's details as `key: value` pairs (strings unquoted, the rest as JSON).
pub(super) fn detail_text(detail: &Json) -> String {
    match detail {
        Json::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Json::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

#[derive(Debug, Serialize)]
pub(super) struct EventRow {
    pub(super) at: i64,
    pub(super) who: String,
    pub(super) kind: String,
    pub(super) kind_label: String,
    pub(super) from_state: Option<String>,
    pub(super) to_state: Option<String>,
    pub(super) details: String,
}

/// Who did it: "you", a colleague of the account by e-mail, a platform moderator for a
/// decision taken outside the account, else the user's number.
pub(super) fn event_row(
    lang: Lang,
    me: &Principal,
    colleagues: &std::collections::HashMap<widgetry_registry::UserId, String>,
    e: &AuditEvent,
) -> EventRow {
    let who = match e.actor_user_id {
        Some(id) if id == me.user.id => {
            format!(
                "{} ({})",
                text(lang, "integrator-history-you"),
                me.user.email
            )
        }
        Some(id) => match colleagues.get(&id) {
            Some(email) => email.clone(),
            None if e.kind.starts_with("submission.")
                || e.kind.starts_with("version.")
                || e.kind == "integration.published" =>
            {
                text(lang, "integrator-history-moderator").to_string()
            }
            None => fill(lang, "integrator-history-user", &[("id", &id)]),
        },
        None => text(lang, "integrator-history-system").to_string(),
    };
    let state = |s: &Option<String>| s.as_deref().map(|s| state_label(lang, s));
    EventRow {
        at: e.at.into(),
        who,
        kind: e.kind.clone(),
        kind_label: label(
            lang,
            &format!("integrator-kind-{}", e.kind.replace('.', "-")),
            &e.kind,
        ),
        from_state: state(&e.from_state),
        to_state: state(&e.to_state),
        details: detail_text(&e.detail),
    }
}

pub(super) async fn history(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let integration = own(&state, &user, &id).await?;
    let events = state
        .inner
        .registry
        .integration_history(&user.principal, integration.id, 0, false, 10_000)
        .await?;
    let colleagues = match state.inner.registry.account_users(&user.principal).await {
        Ok(users) => users.into_iter().map(|u| (u.id, u.email)).collect(),
        Err(e) => return Err(e.into()),
    };
    let rows: Vec<EventRow> = events
        .iter()
        .map(|e| event_row(user.viewer.lang, &user.principal, &colleagues, e))
        .collect();
    Ok(page(
        &user.viewer,
        "integrator/history.html",
        context! {
            integration => context! { id => integration.id, name => integration.display_name() },
            events => Value::from_serialize(&rows),
        },
    ))
}
