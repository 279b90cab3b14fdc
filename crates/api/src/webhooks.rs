//! An integration's webhook as the API shows it: its URL, the secret (once), and its recent
//! deliveries with every attempt.

use serde::{Deserialize, Serialize};

/// A webhook with its recent deliveries.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookView {
    /// The URL.
    pub url: String,
    /// The signing secret: only in the answer to `PUT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// Set.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
    /// The 50 most recent deliveries, newest first, each with `attempt_log`.
    #[serde(default)]
    pub deliveries: Vec<DeliveryView>,
}

/// One event's delivery to a webhook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    /// Id (the `X-Widgetry-Delivery` header).
    pub id: i64,
    /// The audit event delivered.
    pub event_id: i64,
    /// Its kind.
    pub kind: String,
    /// The URL it goes to.
    pub url: String,
    /// `pending`, `delivered` or `failed` (attempts used up).
    pub state: String,
    /// Attempts made.
    pub attempts: i64,
    /// Next attempt, unix ms, while pending.
    pub next_attempt_at: Option<i64>,
    /// Last HTTP status received.
    pub last_status: Option<i64>,
    /// Last error (connection, timeout, status).
    pub last_error: Option<String>,
    /// Queued, unix ms.
    pub created_at: i64,
    /// Delivered, unix ms.
    pub delivered_at: Option<i64>,
    /// Every attempt, oldest first.
    pub attempt_log: Vec<AttemptView>,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptView {
    /// 1, 2, ...
    pub attempt: i64,
    /// When, unix ms.
    pub at: i64,
    /// HTTP status, if an answer came.
    pub status: Option<i64>,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// How long it took, ms.
    pub duration_ms: i64,
}
