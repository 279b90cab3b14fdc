//! Accepting connections: the loop both listeners run instead of `axum::serve`, because a
//! server on the open internet needs what that one does not offer:
//!
//! - HTTP/1.1; a connection that has not sent complete request headers within
//!   `header_timeout` is closed (also one that sends nothing, trickles a byte at a time, or
//!   idles between keep-alive requests: hyper's header-read timer covers all three);
//! - at most `max_connections` open at once, sized by default below the process's
//!   descriptor limit, so the server never runs out of descriptors; at the limit, the oldest
//!   connection is asked to close (an idle one closes at once, a busy one after its request)
//!   to make room, so that sockets held open by one client cannot keep everyone else out;
//! - every request knows the peer's address (`ConnectInfo`), for per-client rate limits;
//! - graceful shutdown: no new connection once `stopping` turns true, and the open ones finish
//!   their requests and close (the caller bounds the wait).

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tower::ServiceExt;

/// How connections are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Longest time to receive a request's complete headers (and the idle time allowed
    /// between requests on a kept-alive connection).
    pub header_timeout: Duration,
    /// Longest time to receive a request body, from the headers on (JSON and forms).
    pub body_timeout: Duration,
    /// The same for a body that carries a file (`multipart/form-data`: uploads).
    pub upload_timeout: Duration,
    /// Most connections open at once on one listener.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(300),
            max_connections: default_max_connections(),
        }
    }
}

/// Descriptors kept for everything but client connections (database, blob files, logs).
const RESERVED_DESCRIPTORS: u64 = 128;
/// The default limit where the descriptor limit allows more.
const MAX_CONNECTIONS: u64 = 4096;

/// Connections per listener by default: half of what the descriptor limit leaves (there are
/// two listeners), at most 4,096.
pub fn default_max_connections() -> usize {
    let limit = descriptor_limit().unwrap_or(1024);
    let per_listener = limit.saturating_sub(RESERVED_DESCRIPTORS) / 2;
    usize::try_from(per_listener.clamp(16, MAX_CONNECTIONS)).unwrap_or(16)
}

/// The soft limit of open files, from `/proc/self/limits` (Linux).
fn descriptor_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Bounds the time a request body may take to arrive: [`ConnectionLimits::upload_timeout`]
/// for `multipart/form-data` (the only bodies that carry files: other routes refuse that type
/// before reading), [`ConnectionLimits::body_timeout`] for the rest. A body cut off by the
/// deadline fails its extractor, so nothing is stored.
pub async fn body_deadline(
    axum::extract::State(limits): axum::extract::State<ConnectionLimits>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let carries_file = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"multipart/"));
    let deadline = if carries_file {
        limits.upload_timeout
    } else {
        limits.body_timeout
    };
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(tower_http::timeout::DeadlineBody::new(deadline, body));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// Resolves once `stopping` is true (holding no borrow of it afterwards).
async fn stopped(stopping: &mut watch::Receiver<bool>) {
    let _ = stopping.wait_for(|s| *s).await.map(|_| ());
}

/// Pause after an `accept` failure (out of file descriptors, say) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// How long to wait for an evicted connection to close before asking the next oldest.
const EVICTION_WAIT: Duration = Duration::from_millis(50);

/// The open connections, oldest first, each with the way to ask it to close.
type Open = Arc<Mutex<BTreeMap<u64, oneshot::Sender<()>>>>;

/// Asks the oldest open connection to close.
fn evict_oldest(open: &Open) {
    let oldest = open.lock().unwrap_or_else(|e| e.into_inner()).pop_first();
    if let Some((_, close)) = oldest {
        let _ = close.send(());
    }
}

/// Serves `router` on `listener` until `stopping` turns true, then waits for the open
/// connections to finish (the caller bounds that wait).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let max = limits.max_connections.max(1);
    let slots = Arc::new(tokio::sync::Semaphore::new(max));
    let open: Open = Arc::default();
    // HTTP/1.1 only (what browsers speak without TLS, and what proxies forward): with
    // version detection, a connection that sends nothing would wait before any timer runs.
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut next_id: u64 = 0;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "accepting a connection failed; pausing");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = stopped(&mut stopping) => break,
        };
        // At the limit: make room by closing the oldest connections, one at a time.
        let slot = loop {
            if let Ok(slot) = slots.clone().try_acquire_owned() {
                break Some(slot);
            }
            evict_oldest(&open);
            match tokio::time::timeout(EVICTION_WAIT, slots.clone().acquire_owned()).await {
                Ok(Ok(slot)) => break Some(slot),
                Ok(Err(_)) => break None,
                Err(_) => {}
            }
        };
        let Some(slot) = slot else { break };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().oneshot(request)
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let (close, closing) = oneshot::channel::<()>();
        let id = next_id;
        next_id += 1;
        open.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, close);
        let open = open.clone();
        let mut stop = stopping.clone();
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let outcome = tokio::select! {
                outcome = connection.as_mut() => outcome,
                _ = closing => {
                    connection.as_mut().graceful_shutdown();
                    connection.as_mut().await
                }
                () = stopped(&mut stop) => {
                    connection.as_mut().graceful_shutdown();
                    connection.as_mut().await
                }
            };
            if let Err(e) = outcome {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            open.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
            drop(slot);
        });
    }
    drop(listener);
    // Every connection gives its slot back when it ends.
    let _ = slots
        .acquire_many(u32::try_from(max).unwrap_or(u32::MAX))
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_limit_leaves_descriptors_for_the_rest() {
        let max = default_max_connections();
        assert!((16..=4096).contains(&max), "{max}");
        if let Some(limit) = descriptor_limit() {
            assert!(
                2 * max as u64 + RESERVED_DESCRIPTORS <= limit.max(2 * 16 + RESERVED_DESCRIPTORS)
            );
        }
    }
}
