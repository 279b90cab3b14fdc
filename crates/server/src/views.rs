//! The API's views of registry objects, built here from the registry with what only the
//! server knows (the viewer, the files origin). The types are `widgetry_api`'s, shared with
//! the CLI; they are re-exported so handlers name them through this module.

use widgetry_api::webhooks::WebhookView;
use widgetry_registry::{Account, ApiToken, Integration, Principal, User, Version};

pub use widgetry_api::utc_datetime;
pub use widgetry_api::views::*;

/// A user.
pub fn user(u: &User) -> UserView {
    UserView {
        id: u.id.into(),
        email: u.email.clone(),
        is_moderator: u.is_moderator,
        is_operator: u.is_operator,
    }
}

/// A CRM account.
pub fn account(a: &Account) -> AccountView {
    AccountView {
        id: a.id.into(),
        subdomain: a.subdomain.clone(),
        name: a.name.clone(),
    }
}

/// The caller.
pub fn me(p: &Principal) -> MeView {
    MeView {
        user: user(&p.user),
        account: account(&p.account),
        role: p.role.as_str().to_string(),
        auth: if p.is_session() { "session" } else { "token" }.to_string(),
        scopes: p.scopes().iter().map(|s| s.as_str().to_string()).collect(),
        csrf_token: p.csrf_token().map(str::to_string),
    }
}

/// An API token as listed (never its value).
pub fn token(t: &ApiToken) -> TokenView {
    TokenView {
        id: t.id,
        name: t.name.clone(),
        prefix: t.prefix.clone(),
        scopes: t.scopes.iter().map(|s| s.as_str().to_string()).collect(),
        created_at: t.created_at.into(),
        expires_at: t.expires_at.map(i64::from),
        last_used_at: t.last_used_at.map(i64::from),
        revoked_at: t.revoked_at.map(i64::from),
    }
}

/// An integration, as its owner account sees it.
pub fn integration(i: &Integration) -> IntegrationView {
    IntegrationView {
        id: i.id.into(),
        client_uuid: i.client_uuid.clone(),
        account_id: i.account_id.into(),
        name: i.name.clone(),
        description: i.description.clone(),
        redirect_uri: i.redirect_uri.clone(),
        code: i.code.clone(),
        scheme: match i.scheme {
            widgetry_validator::Scheme::Market => "market",
            widgetry_validator::Scheme::Legacy => "legacy",
        }
        .to_string(),
        visibility: i.visibility.as_str().to_string(),
        latest_version: Some(i.last_seq),
        created_at: i.created_at.into(),
        updated_at: Some(i.updated_at.into()),
    }
}

/// A stored version, without a files URL.
pub fn version(v: &Version) -> VersionView {
    VersionView {
        number: v.number,
        widget_version: v.widget_version.clone(),
        code: v.code.clone(),
        sha256: v.archive_sha256.clone(),
        size: v.archive_size,
        state: v.state.as_str().to_string(),
        created_at: v.created_at.into(),
        files_base_url: None,
    }
}

/// A submission.
pub fn submission(s: widgetry_registry::Submission) -> SubmissionView {
    SubmissionView {
        id: s.id.into(),
        integration_id: s.integration_id.into(),
        code: s.code,
        account_id: s.account_id.into(),
        version: VersionRefView {
            number: s.version.number,
            widget_version: s.version.widget_version,
        },
        state: s.state.as_str().to_string(),
        languages: s.languages,
        description: s.description,
        instructions: s.instructions,
        has_test_credentials: s.has_test_credentials,
        test_credentials: s.test_credentials.map(|c| c.0),
        support_phone: s.support_phone,
        support_email: s.support_email,
        changes: ListingChangesView {
            name: s.changes.name,
            description: s.changes.description,
        },
        report: s.report,
        base_version: s.base_version,
        decision: s.decision.map(|d| DecisionView {
            by: d.by.into(),
            at: d.at.into(),
            outcome: d.outcome.as_str().to_string(),
            reasons: d
                .reasons
                .into_iter()
                .map(|r| ReasonView {
                    code: r.code,
                    text: r.text,
                })
                .collect(),
            note: d.note,
        }),
        submitted_by: s.submitted_by.into(),
        created_at: s.created_at.into(),
        updated_at: s.updated_at.into(),
    }
}

/// A recorded event.
pub fn event(e: widgetry_registry::AuditEvent) -> EventView {
    EventView {
        id: e.id,
        at: e.at.into(),
        actor_user_id: e.actor_user_id.map(i64::from),
        account_id: e.account_id.map(i64::from),
        integration_id: e.integration_id.map(i64::from),
        kind: e.kind,
        from_state: e.from_state,
        to_state: e.to_state,
        detail: e.detail,
    }
}

/// The integration for a caller acting in `viewer`: the owner account sees everything;
/// another account (a public integration) nothing about private versions: neither how many
/// there are nor when the last one came.
pub fn integration_for_viewer(
    i: &Integration,
    viewer: widgetry_registry::AccountId,
) -> IntegrationView {
    let mut view = integration(i);
    if i.account_id != viewer {
        view.latest_version = None;
        view.updated_at = None;
    }
    view
}

/// The version `v` for a caller acting in `viewer`, with the files base URL it may use.
pub fn version_for_viewer(
    v: &Version,
    origin: &crate::files::FilesOrigin,
    viewer: widgetry_registry::AccountId,
    integration: &Integration,
) -> VersionView {
    VersionView {
        files_base_url: origin.base_for(viewer, integration, v),
        ..version(v)
    }
}

/// A webhook with its recent deliveries; `secret` only in the answer that set it.
pub fn webhook(w: widgetry_registry::Webhook, secret: Option<String>) -> WebhookView {
    WebhookView {
        url: w.url,
        secret,
        created_at: w.created_at.into(),
        updated_at: w.updated_at.into(),
        deliveries: w.deliveries,
    }
}
