//! Operations endpoints: liveness (`/healthz/live`), readiness (`/healthz/ready`, also
//! `/healthz`: the database and the blob store) and the OpenAPI document.

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::time::{Duration, Instant};

/// The liveness answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: &'static str,
}

/// One dependency in the readiness answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DependencyCheck {
    /// Whether it answered in time.
    pub ok: bool,
    /// How long the check took, in milliseconds.
    pub millis: u64,
    /// What went wrong (details are in the server's log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
}

/// The readiness answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready` or `unavailable`.
    pub status: &'static str,
    /// The database (a query).
    pub database: DependencyCheck,
    /// The blob store (a read of its health object, or its folder).
    pub blob_store: DependencyCheck,
}

/// How long one dependency may take to answer a readiness check.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a readiness answer is reused: any number of probes cost one check a second.
const READINESS_TTL: Duration = Duration::from_secs(1);

async fn check<E: std::fmt::Display>(
    what: &'static str,
    failure: &'static str,
    probe: impl std::future::Future<Output = Result<(), E>>,
) -> DependencyCheck {
    let started = Instant::now();
    let outcome = tokio::time::timeout(CHECK_TIMEOUT, probe).await;
    let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let error = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(e)) => {
            tracing::warn!(dependency = what, error = %e, "readiness check failed");
            Some(failure)
        }
        Err(_) => {
            tracing::warn!(dependency = what, "readiness check timed out");
            Some("no answer in time")
        }
    };
    DependencyCheck {
        ok: error.is_none(),
        millis,
        error,
    }
}

/// Checks the database and the blob store, at most once per [`READINESS_TTL`] (callers in
/// between get the last answer; concurrent callers wait for the one check in flight).
pub(crate) async fn readiness(state: &AppState) -> Readiness {
    let mut last = state.inner.readiness.lock().await;
    if let Some((at, answer)) = last.as_ref()
        && at.elapsed() < READINESS_TTL
    {
        return answer.clone();
    }
    let registry = &state.inner.registry;
    let (database, blob_store) = tokio::join!(
        check("database", "the database does not answer", registry.ping()),
        check(
            "blob store",
            "the blob store does not answer",
            registry.blobs().check()
        ),
    );
    let answer = Readiness {
        status: if database.ok && blob_store.ok {
            "ready"
        } else {
            "unavailable"
        },
        database,
        blob_store,
    };
    *last = Some((Instant::now(), answer.clone()));
    answer
}

/// `GET /healthz/live`: 200 while the process serves requests (restart it otherwise).
#[utoipa::path(get, operation_id = "ops_live", path = "/healthz/live", tag = "operations",
    responses((status = 200, description = "the process answers", body = Health)))]
pub async fn live() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// `GET /healthz/ready`: 200 when the database and the blob store answer, 503 otherwise (send
/// no traffic here meanwhile).
#[utoipa::path(get, operation_id = "ops_ready", path = "/healthz/ready", tag = "operations",
    responses((status = 200, description = "ready: the database and the blob store answer", body = Readiness),
              (status = 503, description = "unavailable: which dependency failed", body = Readiness)))]
pub async fn ready(State(state): State<AppState>) -> Response {
    let answer = readiness(&state).await;
    let status = if answer.status == "ready" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let mut response = (status, Json(answer)).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response
}

/// `GET /healthz`: the same as `/healthz/ready` (kept for existing probes).
#[utoipa::path(get, operation_id = "ops_healthz", path = "/healthz", tag = "operations",
    responses((status = 200, description = "ready (see `/healthz/ready`)", body = Readiness),
              (status = 503, description = "unavailable", body = Readiness)))]
pub async fn healthz(state: State<AppState>) -> Response {
    ready(state).await
}

/// `GET /api/openapi.json`: the OpenAPI document of every route.
#[utoipa::path(get, operation_id = "ops_openapi", path = "/api/openapi.json", tag = "operations",
    responses((status = 200, description = "the OpenAPI 3.1 document", body = Object)))]
pub async fn openapi() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}
