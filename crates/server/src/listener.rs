//! Accepting connections: the loop both listeners run instead of `axum::serve`, because a
//! server on the open internet needs what that one does not offer:
//!
//! - HTTP/1.1; a connection that has not sent complete request headers within `header_timeout` is
//!   closed (also one that sends nothing, trickles a byte at a time, or idles between
//!   keep-alive requests; hyper's header-read timer covers all three);
//! - at most `max_connections` open at once: past it, new connections wait in the kernel's
//!   backlog instead of failing for want of file descriptors (and accepting stops only while
//!   the limit is reached);
//! - every request knows the peer's address (`ConnectInfo`), for per-client rate limits;
//! - graceful shutdown: no new connection once `stopping` turns true, and the open ones finish
//!   their requests and close.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
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
            max_connections: 4096,
        }
    }
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

/// Serves `router` on `listener` until `stopping` turns true, then waits for the open
/// connections to finish (the caller bounds that wait).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    mut stopping: watch::Receiver<bool>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    // HTTP/1.1 only (what browsers speak without TLS, and what proxies forward): with
    // version detection, a connection that sends nothing would wait before any timer runs.
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = stopped(&mut stopping) => break,
        };
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
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().oneshot(request)
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
