//! # widgetry-server
//!
//! Widgetry's HTTP server: the marketplace API under `/api/v1`, the amoCRM widgets API under
//! `/api/v4/widgets` and the web pages on the main listener, and the widgets' files on a
//! second listener of their own, the files origin ([`files`]), which holds no session.
//!
//! This crate is the HTTP layer only: routing ([`router`]), extractors, one error shape
//! (`application/problem+json`, [`error`]), upload intake ([`upload`]), the files origin with
//! its signed URLs ([`files`]), the OpenAPI document ([`openapi`]), metrics ([`metrics`]) and
//! request logs. Every rule about accounts, integrations, versions and storage lives in
//! `widgetry-registry`.
//!
//! [`serve`] runs the server until SIGTERM or Ctrl-C; [`app`] builds the main router and
//! [`files::origin::router`] the files listener's, for tests.

#![deny(missing_docs)]

pub mod auth;
pub mod clients;
pub mod error;
pub mod extract;
pub mod files;
pub mod handlers;
pub mod listener;
pub mod metrics;
pub mod openapi;
pub mod router;
mod service;
pub mod upload;
pub mod views;
mod web;
pub mod webhook_worker;

pub use error::ApiError;
pub use router::app;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Everything `widgetry serve` can be told.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address the pages and the API listen on (`127.0.0.1:8080`).
    pub bind: SocketAddr,
    /// The public base URL of the pages and the API (`https://widgets.example`); `None`
    /// means `http://{bind}`. Used to check that the files origin is another site.
    pub public_url: Option<url::Url>,
    /// Address the files origin listens on (`127.0.0.1:8081`).
    pub files_bind: SocketAddr,
    /// The public base URL widget files are reached at (`https://widgets-files.example`);
    /// `None` means `http://{files_bind}` (as bound).
    pub files_url: Option<url::Url>,
    /// The URL-signing key file; `None` means `url-signing.key` in the data folder
    /// (generated on first start, mode 0600).
    pub url_signing_key_file: Option<PathBuf>,
    /// The least time a signed files URL stays valid (12 hours).
    pub signed_url_ttl: Duration,
    /// Start although the URL-signing key differs from the one the service recorded (after
    /// replacing the key on purpose on every process).
    pub accept_new_url_signing_key: bool,
    /// Database URL; `None` means SQLite under the data dir.
    pub database_url: Option<String>,
    /// Folder for the SQLite database, blobs and temporary upload files (`./widgetry-data`).
    pub data_dir: PathBuf,
    /// Where blobs live; `None` means the folder `blobs` under the data folder.
    pub blob_store: Option<widgetry_registry::BlobStoreConfig>,
    /// The key file secrets are sealed with at rest; `None` means `secrets.key` in the data
    /// folder (generated on first start, mode 0600).
    pub secrets_key_file: Option<PathBuf>,
    /// Blob writes of one upload in flight at once.
    pub blob_put_concurrency: usize,
    /// Run the blob collector this often (with its default grace period); `None`: never
    /// (operators run `widgetry admin gc`).
    pub gc_every: Option<Duration>,
    /// How long a shutdown waits for requests in flight before closing their connections.
    pub shutdown_timeout: Duration,
    /// Header timeout and connection limit of both listeners.
    pub connections: listener::ConnectionLimits,
    /// Proxies whose `X-Forwarded-For` names the client (none: the peer is the client).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Per-client rate limits.
    pub rate_limits: clients::RateLimits,
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
            public_url: None,
            files_bind: SocketAddr::from(([127, 0, 0, 1], 8081)),
            files_url: None,
            url_signing_key_file: None,
            signed_url_ttl: Duration::from_secs(12 * 3600),
            accept_new_url_signing_key: false,
            database_url: None,
            data_dir: PathBuf::from("widgetry-data"),
            blob_store: None,
            secrets_key_file: None,
            blob_put_concurrency: widgetry_registry::DEFAULT_PUT_CONCURRENCY,
            gc_every: None,
            shutdown_timeout: Duration::from_secs(10),
            connections: listener::ConnectionLimits::default(),
            trusted_proxies: Vec::new(),
            rate_limits: clients::RateLimits::default(),
            max_upload_bytes: widgetry_validator::Limits::default().max_archive_bytes,
            max_concurrent_checks: widgetry_registry::default_checks(),
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
    /// The URL-signing key could not be read or written.
    #[error(transparent)]
    SigningKey(#[from] files::signing::KeyError),
    /// The configuration cannot work (the message says why and what to change).
    #[error("{0}")]
    Config(String),
}

/// Shared state of all handlers.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: ServerConfig,
    pub(crate) metrics: Arc<metrics::Metrics>,
    pub(crate) upload_dir: PathBuf,
    pub(crate) registry: widgetry_registry::Registry,
    pub(crate) files: files::FileCache,
    pub(crate) files_origin: files::FilesOrigin,
    /// The pages' content security policy (it names the files origin).
    pub(crate) page_csp: axum::http::HeaderValue,
    /// Per-client rate limits.
    pub(crate) limits: clients::ClientLimits,
    /// Turns true when the server begins to shut down (server-sent event streams end).
    pub(crate) stopping: tokio::sync::watch::Sender<bool>,
    /// The last readiness answer and when it was made.
    pub(crate) readiness:
        tokio::sync::Mutex<Option<(std::time::Instant, handlers::ops::Readiness)>>,
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
        let blobs = config
            .blob_store
            .clone()
            .unwrap_or_else(|| widgetry_registry::BlobStoreConfig::default_for(&config.data_dir));
        let secrets_key_file = config
            .secrets_key_file
            .clone()
            .unwrap_or_else(|| config.data_dir.join("secrets.key"));
        let registry = widgetry_registry::Registry::open_full(
            &url,
            &config.data_dir,
            &blobs,
            &secrets_key_file,
        )
        .await?
        .with_limits(limits)
        .with_put_concurrency(config.blob_put_concurrency)
        .with_max_concurrent_checks(config.max_concurrent_checks);
        tracing::info!(blobs = %registry.blobs().describe(), backend = ?registry.backend(), "registry open");
        let files_origin = files::open(&config, &registry).await?;
        Ok(AppState::with_registry(
            config,
            registry,
            upload_dir,
            files_origin,
        ))
    }

    /// Builds the state around an open registry (the upload folder must exist).
    pub fn with_registry(
        config: ServerConfig,
        registry: widgetry_registry::Registry,
        upload_dir: PathBuf,
        files_origin: files::FilesOrigin,
    ) -> AppState {
        let limits = clients::ClientLimits::new(config.rate_limits);
        AppState {
            inner: Arc::new(Inner {
                registry,
                metrics: Arc::new(metrics::Metrics::default()),
                upload_dir,
                config,
                files: files::FileCache::default(),
                page_csp: web::page_csp(files_origin.origin()),
                readiness: tokio::sync::Mutex::new(None),
                stopping: tokio::sync::watch::Sender::new(false),
                limits,
                files_origin,
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

    /// The files origin: its base URL and the URL signer.
    pub fn files_origin(&self) -> &files::FilesOrigin {
        &self.inner.files_origin
    }
}

/// The two listeners of a server: the pages and the API, and the files origin.
#[derive(Debug)]
pub struct Listeners {
    /// Pages and API (`--bind`).
    pub api: tokio::net::TcpListener,
    /// Widget files (`--files-bind`).
    pub files: tokio::net::TcpListener,
}

async fn bind(addr: SocketAddr, what: &str) -> Result<tokio::net::TcpListener, ServeError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Io {
            context: format!("binding {addr} ({what})"),
            source,
        })
}

fn local_addr(listener: &tokio::net::TcpListener) -> Result<SocketAddr, ServeError> {
    listener.local_addr().map_err(|source| ServeError::Io {
        context: "reading the bound address".into(),
        source,
    })
}

/// Runs the server on `config.bind` and `config.files_bind` until SIGTERM or Ctrl-C, then
/// finishes the requests in flight and returns.
pub async fn serve(mut config: ServerConfig) -> Result<(), ServeError> {
    let api = bind(config.bind, "pages and API").await?;
    let files = bind(config.files_bind, "files origin").await?;
    // With an ephemeral port (`:0`), the files URL is the port actually bound.
    config.files_bind = local_addr(&files)?;
    let state = AppState::open(config).await?;
    tracing::info!(
        address = %local_addr(&api)?,
        files = %local_addr(&files)?,
        files_url = state.files_origin().base(),
        "listening"
    );
    serve_on(Listeners { api, files }, state, shutdown_signal()).await
}

/// Serves `state` on already bound listeners until `shutdown` completes (tests pass their
/// own future).
pub async fn serve_on(
    listeners: Listeners,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    // Deliveries are an outbox with leases: stopping the worker mid-attempt loses nothing.
    let worker = tokio::spawn(webhook_worker::run(
        state.inner.registry.clone(),
        state.inner.config.webhooks.clone(),
    ));
    let collector = state
        .inner
        .config
        .gc_every
        .map(|every| tokio::spawn(collect_garbage_every(state.inner.registry.clone(), every)));
    // The shutdown signal ends the event streams and starts both listeners' graceful
    // shutdown; requests still running after the timeout are cut.
    let stopping = state.inner.stopping.clone();
    let grace = state.inner.config.shutdown_timeout;
    let (stopped_at_tx, stopped_at) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        shutdown.await;
        stopping.send_replace(true);
        let _ = stopped_at_tx.send(());
    });
    let limits = state.inner.config.connections;
    let files = listener::serve(
        listeners.files,
        files::origin::router(state.clone()),
        limits,
        state.inner.stopping.subscribe(),
    );
    let api = listener::serve(
        listeners.api,
        app(state.clone()),
        limits,
        state.inner.stopping.subscribe(),
    );
    let both = async { tokio::join!(api, files) };
    let cut = async {
        if stopped_at.await.is_err() {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(grace).await;
    };
    let outcome = tokio::select! {
        served = both => Some(served),
        () = cut => {
            tracing::warn!(timeout_secs = grace.as_secs(), "requests still running after the shutdown timeout: closing them");
            None
        }
    };
    worker.abort();
    if let Some(collector) = collector {
        collector.abort();
    }
    if outcome.is_none() {
        tracing::info!("stopped after the shutdown timeout");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Collects unreferenced blobs every `every` (the first pass after one period), with the
/// default grace period. Safe with several processes doing the same: a blob a committed
/// version names is never deleted.
async fn collect_garbage_every(registry: widgetry_registry::Registry, every: Duration) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(e) = registry
            .collect_garbage(widgetry_registry::GcOptions::default())
            .await
        {
            tracing::warn!(error = %e, "blob garbage collection failed; it runs again later");
        }
    }
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
