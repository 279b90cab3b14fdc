//! Webhooks: one URL per integration that receives every status change. Deliveries are an
//! outbox written in the transaction of the event itself (nothing is lost on a crash), claimed
//! by the server's delivery worker with a lease (several processes may run one), retried with
//! exponential backoff, and every attempt is kept for the owner to read.

use crate::audit::AuditEvent;
use crate::auth::{Principal, Scope};
use crate::error::{Error, Result};
use crate::input::InputCode;
use crate::time::Timestamp;
use crate::util::random_hex;
use crate::{IntegrationId, Registry};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::Any;

/// The event kinds that are status changes: sent to webhooks and server-sent events.
pub const STATUS_KINDS: &[&str] = &[
    "version.uploaded",
    "submission.created",
    "submission.withdrawn",
    "submission.approved",
    "submission.rejected",
    "version.published",
    "version.superseded",
    "integration.published",
    "integration.rolled_back",
    "integration.converted",
];

/// Whether an event kind is a status change.
pub fn is_status_kind(kind: &str) -> bool {
    STATUS_KINDS.contains(&kind)
}

/// Longest webhook URL accepted.
const MAX_URL_LEN: usize = 2000;
/// How many recent deliveries the owner sees.
const DELIVERIES_SHOWN: i64 = 50;

/// When to try again after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delay after the first failure, ms; each later delay is four times the previous one.
    pub base_delay_ms: i64,
    /// Attempts before a delivery is given up as failed.
    pub max_attempts: i64,
}

impl Default for RetryPolicy {
    /// 10 s, 40 s, 2.7 min, 11 min, 43 min, 2.8 h, 11.4 h: eight attempts over about 15 h.
    fn default() -> Self {
        RetryPolicy {
            base_delay_ms: 10_000,
            max_attempts: 8,
        }
    }
}

impl RetryPolicy {
    /// The delay before attempt `next` (2, 3, ...), or `None` when attempts are used up.
    pub fn delay_before(&self, next: i64) -> Option<i64> {
        if next > self.max_attempts {
            return None;
        }
        let exponent = u32::try_from((next - 2).clamp(0, 20)).unwrap_or(20);
        Some(
            self.base_delay_ms
                .saturating_mul(4_i64.saturating_pow(exponent)),
        )
    }
}

/// An integration's webhook as its owner sees it (the secret is shown only when set).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Webhook {
    /// Where status changes are POSTed.
    pub url: String,
    /// Set, unix ms.
    pub created_at: Timestamp,
    /// Last change, unix ms.
    pub updated_at: Timestamp,
    /// Recent deliveries, newest first, with their attempts.
    pub deliveries: Vec<Delivery>,
}

/// One event's delivery to a webhook, and one attempt of it: read models, in the shape the
/// API shows them (the types are `widgetry_api`'s).
pub use widgetry_api::webhooks::{AttemptView as Attempt, DeliveryView as Delivery};

/// A delivery claimed by a worker.
#[derive(Clone, PartialEq, Eq)]
pub struct DueDelivery {
    /// Delivery id.
    pub id: i64,
    /// Event kind.
    pub kind: String,
    /// Target URL.
    pub url: String,
    /// The JSON body to POST.
    pub payload: String,
    /// The HMAC key.
    pub secret: String,
    /// The number of this attempt (1 for the first).
    pub attempt: i64,
}

impl std::fmt::Debug for DueDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueDelivery")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("url", &self.url)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

/// What one attempt achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptOutcome {
    /// HTTP status, if an answer came.
    pub status: Option<u16>,
    /// What went wrong; `None` with a 2xx status means delivered.
    pub error: Option<String>,
    /// How long it took, ms.
    pub duration_ms: i64,
}

impl AttemptOutcome {
    fn delivered(&self) -> bool {
        self.error.is_none() && self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Checks a webhook URL: absolute http(s), a host, no credentials, not too long.
fn check_url(raw: &str) -> Result<String> {
    let raw = raw.trim();
    let bad = |code| Error::input("/url", code).with("url", raw);
    if raw.len() > MAX_URL_LEN {
        return Err(bad(InputCode::WebhookUrlTooLong));
    }
    let url =
        url::Url::parse(raw).map_err(|e| bad(InputCode::WebhookUrlMalformed).with("error", e))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad(InputCode::WebhookUrlScheme));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad(InputCode::WebhookUrlNoHost));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(InputCode::WebhookUrlCredentials));
    }
    Ok(url.to_string())
}

impl Registry {
    /// Sets (or replaces) an integration's webhook ([`Scope::Submit`], owner account) and
    /// returns it with a new signing secret, shown this once.
    pub async fn set_webhook(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
        url: &str,
    ) -> Result<(Webhook, String)> {
        actor.require_scope(Scope::Submit)?;
        self.own_integration(actor, integration_id).await?;
        let url = check_url(url)?;
        let secret = format!("whsec_{}", random_hex(32));
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO webhooks (integration_id, url, secret, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (integration_id) DO UPDATE SET url = $2, secret = $3, \
             created_by = $4, updated_at = $5",
        )
        .bind(integration_id)
        .bind(&url)
        .bind(self.secrets().seal(&secret)?)
        .bind(actor.user.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        crate::audit::record(
            &mut tx,
            crate::audit::Event::by("webhook.set", actor, integration_id)
                .detail(serde_json::json!({"url": url})),
        )
        .await?;
        tx.commit().await?;
        let webhook = self
            .get_webhook(actor, integration_id)
            .await?
            .ok_or_else(|| Error::internal("the webhook just set is missing"))?;
        Ok((webhook, secret))
    }

    /// An integration's webhook with its recent deliveries (owner account), if one is set.
    pub async fn get_webhook(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
    ) -> Result<Option<Webhook>> {
        self.own_integration(actor, integration_id).await?;
        let Some(row) = sqlx::query(
            "SELECT url, created_at, updated_at FROM webhooks WHERE integration_id = $1",
        )
        .bind(integration_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(Webhook {
            url: row.try_get("url")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            deliveries: self.deliveries(integration_id).await?,
        }))
    }

    /// Removes an integration's webhook ([`Scope::Submit`], owner account); pending
    /// deliveries are given up.
    pub async fn delete_webhook(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
    ) -> Result<()> {
        actor.require_scope(Scope::Submit)?;
        self.own_integration(actor, integration_id).await?;
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM webhooks WHERE integration_id = $1")
            .bind(integration_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        sqlx::query(
            "UPDATE webhook_deliveries SET state = 'failed', last_error = 'webhook removed', updated_at = $1 \
             WHERE integration_id = $2 AND state = 'pending'",
        )
        .bind(now)
        .bind(integration_id)
        .execute(&mut *tx)
        .await?;
        crate::audit::record(
            &mut tx,
            crate::audit::Event::by("webhook.deleted", actor, integration_id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn deliveries(&self, integration_id: IntegrationId) -> Result<Vec<Delivery>> {
        let rows = sqlx::query(
            "SELECT d.id, d.event_id, e.kind, d.url, d.state, d.attempts, d.next_attempt_at, d.last_status, \
             d.last_error, d.created_at, d.delivered_at FROM webhook_deliveries d \
             JOIN audit_events e ON e.id = d.event_id WHERE d.integration_id = $1 ORDER BY d.id DESC LIMIT $2",
        )
        .bind(integration_id)
        .bind(DELIVERIES_SHOWN)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let state: String = r.try_get("state")?;
            let attempts = sqlx::query(
                "SELECT attempt, at, status, error, duration_ms FROM webhook_attempts \
                 WHERE delivery_id = $1 ORDER BY attempt",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|a| {
                Ok(Attempt {
                    attempt: a.try_get("attempt")?,
                    at: a.try_get("at")?,
                    status: a.try_get("status")?,
                    error: a.try_get("error")?,
                    duration_ms: a.try_get("duration_ms")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
            out.push(Delivery {
                id,
                event_id: r.try_get("event_id")?,
                kind: r.try_get("kind")?,
                url: r.try_get("url")?,
                next_attempt_at: if state == "pending" {
                    Some(r.try_get("next_attempt_at")?)
                } else {
                    None
                },
                state,
                attempts: r.try_get("attempts")?,
                last_status: r.try_get("last_status")?,
                last_error: r.try_get("last_error")?,
                created_at: r.try_get("created_at")?,
                delivered_at: r.try_get("delivered_at")?,
                attempt_log: attempts,
            });
        }
        Ok(out)
    }

    /// Claims up to `limit` due deliveries for `lease_ms` (a worker that dies lets the lease
    /// run out and another one takes over).
    pub async fn claim_deliveries(&self, limit: i64, lease_ms: i64) -> Result<Vec<DueDelivery>> {
        let now = Timestamp::now();
        let rows = sqlx::query(
            "SELECT d.id, e.kind, d.url, d.payload, w.secret, d.attempts FROM webhook_deliveries d \
             JOIN audit_events e ON e.id = d.event_id JOIN webhooks w ON w.integration_id = d.integration_id \
             WHERE d.state = 'pending' AND d.next_attempt_at <= $1 AND (d.locked_until IS NULL OR d.locked_until < $1) \
             ORDER BY d.next_attempt_at, d.id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            let done = sqlx::query(
                "UPDATE webhook_deliveries SET locked_until = $1 WHERE id = $2 AND state = 'pending' \
                 AND (locked_until IS NULL OR locked_until < $3)",
            )
            .bind(now.plus_millis(lease_ms))
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
            if done.rows_affected() == 1 {
                claimed.push(DueDelivery {
                    id,
                    kind: r.try_get("kind")?,
                    url: r.try_get("url")?,
                    payload: r.try_get("payload")?,
                    secret: self.secrets().open(&r.try_get::<String, _>("secret")?)?,
                    attempt: r.try_get::<i64, _>("attempts")? + 1,
                });
            }
        }
        Ok(claimed)
    }

    /// Records one attempt of a claimed delivery: delivered, retried later under `policy`,
    /// or failed for good when the attempts are used up.
    pub async fn record_attempt(
        &self,
        delivery: &DueDelivery,
        outcome: &AttemptOutcome,
        policy: &RetryPolicy,
    ) -> Result<()> {
        let now = Timestamp::now();
        let error = match (&outcome.error, outcome.status) {
            (Some(e), _) => Some(e.clone()),
            (None, Some(s)) if !outcome.delivered() => Some(format!("answered HTTP {s}")),
            _ => None,
        };
        let (state, next) = if outcome.delivered() {
            ("delivered", now)
        } else {
            match policy.delay_before(delivery.attempt + 1) {
                Some(delay) => ("pending", now.plus_millis(delay)),
                None => ("failed", now),
            }
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO webhook_attempts (delivery_id, attempt, at, status, error, duration_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(delivery.id)
        .bind(delivery.attempt)
        .bind(now)
        .bind(outcome.status.map(i64::from))
        .bind(error.as_deref())
        .bind(outcome.duration_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE webhook_deliveries SET state = $1, attempts = $2, next_attempt_at = $3, locked_until = NULL, \
             last_status = $4, last_error = $5, updated_at = $6, \
             delivered_at = CASE WHEN $1 = 'delivered' THEN $6 ELSE delivered_at END WHERE id = $7",
        )
        .bind(state)
        .bind(delivery.attempt)
        .bind(next)
        .bind(outcome.status.map(i64::from))
        .bind(error.as_deref())
        .bind(now)
        .bind(delivery.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// When the next pending delivery is due, unix ms (the worker sleeps until then).
    pub async fn next_delivery_due(&self) -> Result<Option<i64>> {
        Ok(sqlx::query(
            "SELECT MIN(next_attempt_at) AS due FROM webhook_deliveries WHERE state = 'pending'",
        )
        .fetch_one(&self.pool)
        .await?
        .try_get("due")?)
    }
}

/// Queues the delivery of a status event to the integration's webhook, if it has one, inside
/// the event's transaction.
pub(crate) async fn enqueue(
    tx: &mut sqlx::Transaction<'static, Any>,
    event: &AuditEvent,
) -> Result<()> {
    let Some(integration_id) = event.integration_id else {
        return Ok(());
    };
    let Some(row) = sqlx::query(
        "SELECT w.url, i.code FROM webhooks w JOIN integrations i ON i.id = w.integration_id \
         WHERE w.integration_id = $1",
    )
    .bind(integration_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(());
    };
    let url: String = row.try_get("url")?;
    let code: Option<String> = row.try_get("code")?;
    let mut payload = serde_json::to_value(event).map_err(Error::internal)?;
    if let Some(map) = payload.as_object_mut() {
        map.insert(
            "integration".into(),
            serde_json::json!({"id": integration_id, "code": code}),
        );
    }
    sqlx::query(
        "INSERT INTO webhook_deliveries (integration_id, event_id, url, payload, state, attempts, next_attempt_at, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5)",
    )
    .bind(integration_id)
    .bind(event.id)
    .bind(url)
    .bind(payload.to_string())
    .bind(event.at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops() {
        let p = RetryPolicy {
            base_delay_ms: 1000,
            max_attempts: 4,
        };
        assert_eq!(p.delay_before(2), Some(1000));
        assert_eq!(p.delay_before(3), Some(4000));
        assert_eq!(p.delay_before(4), Some(16000));
        assert_eq!(p.delay_before(5), None);
        let d = RetryPolicy::default();
        assert_eq!(d.delay_before(100), None);
        assert!(d.delay_before(8).is_some_and(|ms| ms > 10 * 3600 * 1000));
    }

    #[test]
    fn urls() {
        assert!(check_url("https://hooks.example.org/x?y=1").is_ok());
        assert!(check_url("http://127.0.0.1:9000/").is_ok());
        assert!(check_url("ftp://x.org/").is_err());
        assert!(check_url("https://user:pw@x.org/").is_err());
        assert!(check_url("not a url").is_err());
        assert!(check_url(&format!("https://x.org/{}", "a".repeat(2100))).is_err());
    }

    #[test]
    fn due_delivery_debug_hides_the_secret() {
        let d = DueDelivery {
            id: 1,
            kind: "k".into(),
            url: "https://x".into(),
            payload: "{}".into(),
            secret: "whsec_topsecret".into(),
            attempt: 1,
        };
        assert!(!format!("{d:?}").contains("topsecret"));
    }
}
