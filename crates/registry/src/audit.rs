//! The audit trail: every state change, with actor and time. Events are written inside the
//! transaction that makes the change.

use crate::columns::JsonText;
use crate::error::Result;
use crate::time::Timestamp;
use crate::{AccountId, IntegrationId, Registry, UserId};
use serde::Serialize;
use sqlx::any::Any;
use sqlx::{Row, Transaction};

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct AuditEvent {
    /// Numeric id (increasing).
    pub id: i64,
    /// When, unix ms.
    pub at: Timestamp,
    /// Who (none for operator commands).
    pub actor_user_id: Option<UserId>,
    /// The account concerned.
    pub account_id: Option<AccountId>,
    /// The integration concerned.
    pub integration_id: Option<IntegrationId>,
    /// What happened, e.g. `version.uploaded`, `integration.converted`.
    pub kind: String,
    /// State before, for state changes.
    pub from_state: Option<String>,
    /// State after, for state changes.
    pub to_state: Option<String>,
    /// Details.
    #[sqlx(rename = "detail_json", try_from = "JsonText<serde_json::Value>")]
    pub detail: serde_json::Value,
}

/// An event being built.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    kind: &'static str,
    actor: Option<UserId>,
    account: Option<AccountId>,
    integration: Option<IntegrationId>,
    from: Option<String>,
    to: Option<String>,
    detail: serde_json::Value,
}

impl Event {
    pub fn new(kind: &'static str) -> Event {
        Event {
            kind,
            actor: None,
            account: None,
            integration: None,
            from: None,
            to: None,
            detail: serde_json::Value::Object(Default::default()),
        }
    }
    /// An event by a signed-in user on one of their account's integrations.
    pub fn by(kind: &'static str, actor: &crate::Principal, integration: IntegrationId) -> Event {
        Event::new(kind)
            .actor(actor.user.id)
            .account(actor.account.id)
            .integration(integration)
    }
    pub fn actor(mut self, id: UserId) -> Event {
        self.actor = Some(id);
        self
    }
    pub fn account(mut self, id: AccountId) -> Event {
        self.account = Some(id);
        self
    }
    pub fn integration(mut self, id: IntegrationId) -> Event {
        self.integration = Some(id);
        self
    }
    pub fn entering(mut self, to: &str) -> Event {
        self.to = Some(to.to_string());
        self
    }
    pub fn states(mut self, from: &str, to: &str) -> Event {
        self.from = Some(from.to_string());
        self.to = Some(to.to_string());
        self
    }
    pub fn detail(mut self, detail: serde_json::Value) -> Event {
        self.detail = detail;
        self
    }
}

/// Records an event inside the caller's transaction; a status change is also queued for the
/// integration's webhook (same transaction, so it is delivered if and only if it happened).
pub(crate) async fn record(tx: &mut Transaction<'static, Any>, e: Event) -> Result<()> {
    let at = Timestamp::now();
    let row = sqlx::query(
        "INSERT INTO audit_events (at, actor_user_id, account_id, integration_id, kind, from_state, to_state, detail_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(at)
    .bind(e.actor)
    .bind(e.account)
    .bind(e.integration)
    .bind(e.kind)
    .bind(e.from.as_deref())
    .bind(e.to.as_deref())
    .bind(e.detail.to_string())
    .fetch_one(&mut **tx)
    .await?;
    if crate::webhooks::is_status_kind(e.kind) {
        let event = AuditEvent {
            id: row.try_get("id")?,
            at,
            actor_user_id: e.actor,
            account_id: e.account,
            integration_id: e.integration,
            kind: e.kind.to_string(),
            from_state: e.from,
            to_state: e.to,
            detail: e.detail,
        };
        crate::webhooks::enqueue(tx, &event).await?;
    }
    Ok(())
}

const EVENT_COLUMNS: &str =
    "id, at, actor_user_id, account_id, integration_id, kind, from_state, to_state, detail_json";

impl Registry {
    /// The audit events of an integration, oldest first (operator and test use; the server
    /// decides who may read them).
    pub async fn audit_events(&self, integration_id: IntegrationId) -> Result<Vec<AuditEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE integration_id = $1 ORDER BY id"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(integration_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The history of one of the caller's integrations, oldest first: every event recorded by
    /// or about the owner account (other accounts' installations are their own business).
    /// `after` skips events up to that id; `status_only` keeps the status changes alone.
    pub async fn integration_history(
        &self,
        actor: &crate::Principal,
        integration_id: IntegrationId,
        after: i64,
        status_only: bool,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        let integration = self.own_integration(actor, integration_id).await?;
        // The status filter is part of the query, so `limit` counts status events: a run of
        // other events longer than a page cannot hide the next status change.
        let kinds = if status_only {
            let list: Vec<String> = crate::webhooks::STATUS_KINDS
                .iter()
                .map(|k| format!("'{k}'"))
                .collect();
            format!(" AND kind IN ({})", list.join(", "))
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events WHERE integration_id = $1 AND account_id = $2 AND id > $3{kinds} \
             ORDER BY id LIMIT $4"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(integration_id)
            .bind(integration.account_id)
            .bind(after)
            .bind(limit.clamp(1, 10_000))
            .fetch_all(&self.pool)
            .await?)
    }

    /// The id of the newest event of one of the caller's integrations (0 if none): where a
    /// client that wants only new events starts.
    pub async fn last_event_id(
        &self,
        actor: &crate::Principal,
        integration_id: IntegrationId,
    ) -> Result<i64> {
        self.own_integration(actor, integration_id).await?;
        let row = sqlx::query("SELECT MAX(id) AS last FROM audit_events WHERE integration_id = $1")
            .bind(integration_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>("last")?.unwrap_or(0))
    }
}
