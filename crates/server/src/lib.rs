//! # widgetry-server
//!
//! Widgetry's HTTP server: the marketplace API under `/api/v1`, the amoCRM widgets API under
//! `/api/v4/widgets`, and the widgets' files under `/widgets`.
//!
//! This crate is the HTTP layer only: routing ([`router`]), extractors, one error shape
//! (`application/problem+json`, [`error`]), upload intake ([`upload`]), widget file
//! responses ([`files`]), the OpenAPI document ([`openapi`]), metrics ([`metrics`]) and
//! request logs. Every rule about accounts, integrations, versions and storage lives in
//! `widgetry-registry`.
//!
//! [`serve`] runs the server until SIGTERM or Ctrl-C; [`app`] builds the router for tests.

#![deny(missing_docs)]

pub mod auth;
pub mod error;
pub mod extract;
mod file_cache;
pub mod files;
pub mod handlers;
pub mod metrics;
pub mod openapi;
pub mod router;
pub mod throttle;
pub mod upload;
pub mod views;
mod web;
pub mod webhook_worker;

pub use error::ApiError;
pub use router::app;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything `widgetry serve` can be told.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on (`127.0.0.1:8080`).
    pub bind: SocketAddr,
    /// Database URL; `None` means SQLite under the data dir.
    pub database_url: Option<String>,
    /// Folder for the SQLite database, blobs and temporary upload files (`./widgetry-data`).
    pub data_dir: PathBuf,
    /// Largest accepted `widget.zip`, in bytes (20 MiB); checked while the body streams in.
    pub max_upload_bytes: u64,
    /// Most packages validated at once; more wait their turn. Bounds CPU and memory (each
    /// check holds the archive and its inflated files). Default: the number of CPUs.
    pub max_concurrent_checks: usize,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// How webhooks are delivered.
    pub webhooks: webhook_worker::WebhookConfig,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            data_dir: PathBuf::from("widgetry-data"),
            max_upload_bytes: widgetry_validator::Limits::default().max_archive_bytes,
            max_concurrent_checks: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            secure_cookies: false,
            webhooks: webhook_worker::WebhookConfig::default(),
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The registry (database, migrations, blob store) could not be opened.
    #[error("opening the registry: {0}")]
    Registry(#[from] widgetry_registry::Error),
    /// Binding, accepting or preparing folders failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Shared state of all handlers.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: ServerConfig,
    pub(crate) metrics: Arc<metrics::Metrics>,
    pub(crate) checks: tokio::sync::Semaphore,
    pub(crate) upload_dir: PathBuf,
    pub(crate) registry: widgetry_registry::Registry,
    pub(crate) files: file_cache::FileCache,
    pub(crate) logins: throttle::LoginThrottle,
}

impl AppState {
    /// Prepares the data dir and builds the state.
    pub async fn open(config: ServerConfig) -> Result<AppState, ServeError> {
        let upload_dir = upload::tmp_dir(&config.data_dir);
        let dir = upload_dir.clone();
        tokio::task::spawn_blocking(move || upload::prepare_tmp_dir(&dir))
            .await
            .map_err(|e| ServeError::Io {
                context: "preparing the upload folder".into(),
                source: std::io::Error::other(e),
            })?
            .map_err(|source| ServeError::Io {
                context: format!("preparing `{}`", upload_dir.display()),
                source,
            })?;
        let url = config
            .database_url
            .clone()
            .unwrap_or_else(|| widgetry_registry::Registry::default_database_url(&config.data_dir));
        let limits = widgetry_registry::Limits {
            max_archive_bytes: config.max_upload_bytes,
            ..widgetry_registry::Limits::default()
        };
        let registry = widgetry_registry::Registry::open(&url, &config.data_dir)
            .await?
            .with_limits(limits);
        Ok(AppState::with_registry(config, registry, upload_dir))
    }

    /// Builds the state around an open registry (the upload folder must exist).
    pub fn with_registry(
        config: ServerConfig,
        registry: widgetry_registry::Registry,
        upload_dir: PathBuf,
    ) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                registry,
                checks: tokio::sync::Semaphore::new(config.max_concurrent_checks.max(1)),
                metrics: Arc::new(metrics::Metrics::default()),
                upload_dir,
                config,
                files: file_cache::FileCache::default(),
                logins: throttle::LoginThrottle::default(),
            }),
        }
    }

    /// The registry.
    pub fn registry(&self) -> &widgetry_registry::Registry {
        &self.inner.registry
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }
}

/// Runs the server on `config.bind` until SIGTERM or Ctrl-C, then finishes the requests in
/// flight and returns.
pub async fn serve(config: ServerConfig) -> Result<(), ServeError> {
    let bind = config.bind;
    let state = AppState::open(config).await?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|source| ServeError::Io {
            context: format!("binding {bind}"),
            source,
        })?;
    let local = listener.local_addr().map_err(|source| ServeError::Io {
        context: "reading the bound address".into(),
        source,
    })?;
    tracing::info!(address = %local, "listening");
    serve_on(listener, state, shutdown_signal()).await
}

/// Serves `state` on an already bound listener until `shutdown` completes (tests pass their
/// own future).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    // Deliveries are an outbox with leases: stopping the worker mid-attempt loses nothing.
    let worker = tokio::spawn(webhook_worker::run(
        state.inner.registry.clone(),
        state.inner.config.webhooks.clone(),
    ));
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await;
    worker.abort();
    served.map_err(|source| ServeError::Io {
        context: "serving".into(),
        source,
    })?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
