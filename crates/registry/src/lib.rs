//! # widgetry-registry
//!
//! Widgetry's domain rules and storage: accounts and users, integrations, immutable widget
//! versions and their files, installations and the audit trail, on SQLite or PostgreSQL, with
//! blobs in a content-addressed store. No HTTP: the server maps [`Error`] to answers once.
//!
//! ```no_run
//! # async fn demo() -> widgetry_registry::Result<()> {
//! use widgetry_registry::{Registry, NewUser, Role};
//! let data = std::path::Path::new("./widgetry-data");
//! let registry = Registry::open(&Registry::default_database_url(data), data).await?;
//! registry.create_user(NewUser {
//!     email: "dev@example.com".into(),
//!     password: "correct horse".into(),
//!     account_subdomain: "example".into(),
//!     account_name: None,
//!     role: Role::Admin,
//!     moderator: false,
//!     operator: true,
//! }).await?;
//! # Ok(()) }
//! ```
//!
//! One code path serves both databases: runtime queries through [`sqlx::AnyPool`], `$N`
//! placeholders, times as unix milliseconds, JSON as text, booleans as 0/1.
//!
//! Tests (`tests/flows.rs`) run every flow on SQLite, and on PostgreSQL when
//! `WIDGETRY_TEST_POSTGRES_URL` names a server (each test creates a fresh database there):
//! `WIDGETRY_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:25433/widgetry_test cargo test -p widgetry-registry`.

#![deny(missing_docs)]

mod audit;
mod auth;
mod blob;
mod columns;
mod diff;
mod error;
mod gc;
mod hashing;
mod input;
mod integrations;
mod notify;
mod preview;
mod private;
mod review;
mod secrets;
mod service;
mod submissions;
mod util;
/// Compares two secrets in time that depends only on their lengths.
pub use util::constant_time_eq;
mod time;
pub use time::Timestamp;
mod versions;
mod webhooks;
mod widgets;

pub use audit::AuditEvent;
pub use auth::{
    Account, ApiToken, Auth, Login, MAX_TOKEN_DAYS, MIN_PASSWORD_LEN, Membership, NewSession,
    NewUser, Principal, Role, SESSION_COOKIE, SESSION_TTL, Scope, TOKEN_PREFIX, User,
    check_subdomain, token_expiry, token_problems,
};
pub use blob::{
    BlobInfo, BlobListing, BlobStore, BlobStoreConfig, BoxFuture, ByteStream, LocalBlobStore,
    ObjectBlobStore, S3Config, content_type,
};
pub use diff::{ChangeKind, FileChange, MAX_DIFF_LINES, file_changes, is_text_path, text_diff};
pub use error::{Error, Result};
pub use gc::{GcOptions, GcReport, MIN_GC_GRACE};
pub use input::{
    BadInput, Case, Denial, DenialCase, InputCode, Params, Refusal, SettingsProblem, StateCase,
    fill,
};
pub use integrations::{Integration, IntegrationUpdate, NewIntegration, Visibility, is_code};
pub use preview::{MAX_RUN_BYTES, PreviewRun, PreviewTarget};
pub use review::{MODERATION_REASONS, ReviewDetail, is_reason_code};
pub use secrets::SecretBox;
pub use service::{FREE_SIGN_IN_ATTEMPTS, LOGIN_WINDOW};
pub use submissions::{
    Decision, ListingChanges, NewSubmission, Reason, Submission, SubmissionState, TestCredentials,
    VersionRef,
};
pub use versions::{
    FileEntry, FileRef, UploadOutcome, Version, VersionDetail, VersionState, compare_versions,
    next_version,
};
pub use webhooks::{
    Attempt, AttemptOutcome, Delivery, DueDelivery, RetryPolicy, STATUS_KINDS, Webhook,
    is_status_kind,
};
pub use widgetry_validator::{Diagnostic, Lang, Limits, Report, Scheme, Severity};
pub use widgets::{
    CatalogEntry, Installation, MAX_WIDGETS_LIMIT, SettingsField, WidgetInfo, WidgetPage,
};

use sqlx::any::{Any, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// Defines the id types: an `i64` in the database and in JSON, a type of its own in Rust, so
/// that an account id cannot be passed where an integration id is meant.
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize, sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    )*};
}

ids! {
    /// Account id.
    AccountId;
    /// User id.
    UserId;
    /// Integration id.
    IntegrationId;
    /// Version id (internal; the API names versions by their sequence number).
    VersionId;
    /// Submission id.
    SubmissionId;
}

/// Which database the registry runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite (WAL), the embedded default.
    Sqlite,
    /// PostgreSQL, for several server processes.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(Error::Config(format!(
                "unsupported database URL `{}`; use `sqlite://PATH` or `postgres://...`",
                url.split('@').next_back().unwrap_or(url)
            )))
        }
    }
}

/// How busy the registry's bounded work is ([`Registry::load`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// Packages being checked now.
    pub checks_in_use: i64,
    /// Callers waiting for a validation slot.
    pub checks_waiting: i64,
    /// Sign-ins waiting for a password-hashing slot.
    pub hashing_waiting: i64,
}

/// A turn to inflate and check a package ([`Registry::check_slot`]); released when dropped.
#[derive(Debug)]
pub struct CheckSlot(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

/// Passwords hashed at once: half the CPUs (at least one), so that a flood of sign-ins leaves
/// cores to answer everything else.
fn default_hashing_slots() -> usize {
    (default_checks() / 2).max(1)
}

/// Packages checked at once by default: the number of CPUs.
pub fn default_checks() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Blob writes of one upload in flight at once, by default: an object store answers each PUT
/// in a round trip, so an upload of 30 files waits for 4 round trips instead of 30.
pub const DEFAULT_PUT_CONCURRENCY: usize = 8;

/// How long a SQLite writer waits for the lock before giving up (ms).
const SQLITE_BUSY_TIMEOUT_MS: u64 = 30_000;
/// How many times a write transaction is retried after a lock or serialization conflict.
const MAX_TX_ATTEMPTS: u32 = 8;

/// The registry: a database pool and a blob store. Cheap to clone (shared handles).
#[derive(Debug, Clone)]
pub struct Registry {
    pool: AnyPool,
    backend: Backend,
    blobs: Arc<dyn BlobStore>,
    limits: Limits,
    /// Blob writes of one upload in flight at once.
    put_concurrency: usize,
    /// Packages inflated and checked at once (uploads, submissions, dry runs): each holds an
    /// archive and its inflated files, so this bounds memory and CPU.
    checks: Arc<tokio::sync::Semaphore>,
    /// How many slots `checks` has, and how many callers wait for one.
    checks_max: usize,
    checks_waiting: Arc<std::sync::atomic::AtomicI64>,
    /// Password hashes computed at once (each argon2 run takes 19 MiB and a core).
    hashing: hashing::HashingGate,
    /// The keys webhook secrets and test credentials are sealed with at rest.
    secrets: SecretBox,
    /// Bumped after every commit that records a status event, and on PostgreSQL whenever
    /// another process commits one (server-sent events and the webhook worker wake on it).
    events: Arc<tokio::sync::watch::Sender<u64>>,
    /// The PostgreSQL listener for other processes' events (`None` on SQLite).
    listener: Option<Arc<notify::Listener>>,
}

impl Registry {
    /// The default database URL for a data folder: `sqlite://<data_dir>/widgetry.db?mode=rwc`.
    pub fn default_database_url(data_dir: &Path) -> String {
        format!(
            "sqlite://{}?mode=rwc",
            data_dir.join("widgetry.db").display()
        )
    }

    /// Opens the registry: creates `data_dir`, connects (SQLite in WAL mode with a busy
    /// timeout and foreign keys on, or PostgreSQL), applies the backend's migrations, opens
    /// the blob store under `data_dir/blobs` and removes its leftover temporary files.
    pub async fn open(database_url: &str, data_dir: &Path) -> Result<Registry> {
        Registry::open_on(
            database_url,
            data_dir,
            &BlobStoreConfig::default_for(data_dir),
        )
        .await
    }

    /// [`open`](Registry::open) with the blob store `blobs` names (`--blob-store`), the
    /// secrets key in `secrets.key` in the data folder.
    pub async fn open_on(
        database_url: &str,
        data_dir: &Path,
        blobs: &BlobStoreConfig,
    ) -> Result<Registry> {
        Registry::open_full(database_url, data_dir, blobs, &data_dir.join("secrets.key")).await
    }

    /// [`open_on`](Registry::open_on) with the secrets key file at `secrets_key_file`
    /// (generated there, mode 0600, when missing). The data folder is made private (0700)
    /// and a SQLite database file is created private (0600).
    pub async fn open_full(
        database_url: &str,
        data_dir: &Path,
        blobs: &BlobStoreConfig,
        secrets_key_file: &Path,
    ) -> Result<Registry> {
        private::folder(data_dir).map_err(Error::Blob)?;
        if let Some(path) = private::sqlite_path(database_url) {
            private::file(&path).map_err(Error::Blob)?;
        }
        let (secrets, created) = SecretBox::load_or_generate(secrets_key_file)?;
        if created {
            tracing::info!(path = %secrets_key_file.display(), key = secrets.key_id(), "generated the secrets key");
        }
        let blobs = blobs.open().await.map_err(Error::Blob)?;
        let registry = Registry::open_with(database_url, blobs, secrets).await?;
        registry.check_secrets_key(secrets_key_file).await?;
        Ok(registry)
    }

    /// Opens the registry with a given blob store and secrets keys (see
    /// [`open`](Registry::open)).
    pub async fn open_with(
        database_url: &str,
        blobs: Arc<dyn BlobStore>,
        secrets: SecretBox,
    ) -> Result<Registry> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(database_url)?;
        let pool = match backend {
            Backend::Sqlite => {
                // WAL is a property of the database file: set it once on a plain connection
                // (it needs an exclusive lock that a busy timeout cannot wait for).
                use sqlx::ConnectOptions;
                use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
                let options = SqliteConnectOptions::from_str(database_url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_millis(SQLITE_BUSY_TIMEOUT_MS));
                let conn = options.connect().await?;
                sqlx::Connection::close(conn).await?;
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(60))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute(sqlx::AssertSqlSafe(format!(
                                "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}"
                            )))
                            .await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            Ok(())
                        })
                    })
                    .connect(database_url)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(database_url)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await?,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
        }
        let events = Arc::new(tokio::sync::watch::Sender::new(0));
        let listener = (backend == Backend::Postgres).then(|| {
            Arc::new(notify::Listener::spawn(
                database_url.to_string(),
                Arc::downgrade(&events),
            ))
        });
        let registry = Registry {
            pool,
            backend,
            blobs,
            limits: Limits::default(),
            put_concurrency: DEFAULT_PUT_CONCURRENCY,
            checks: Arc::new(tokio::sync::Semaphore::new(default_checks())),
            checks_max: default_checks(),
            checks_waiting: Arc::new(std::sync::atomic::AtomicI64::new(0)),
            hashing: hashing::HashingGate::new(default_hashing_slots()),
            secrets,
            events,
            listener,
        };
        registry.strip_stored_secret_keys().await?;
        registry.seal_stored_secrets().await?;
        Ok(registry)
    }

    /// The same registry validating uploads under other archive limits (an operator who
    /// raises the upload size raises the archive limit with it).
    pub fn with_limits(mut self, limits: Limits) -> Registry {
        self.limits = limits;
        self
    }

    /// The same registry checking at most `n` packages at once (at least 1); more wait their
    /// turn.
    pub fn with_max_concurrent_checks(mut self, n: usize) -> Registry {
        self.checks = Arc::new(tokio::sync::Semaphore::new(n.max(1)));
        self.checks_max = n.max(1);
        self
    }

    /// How busy the bounded work is now (for metrics).
    pub fn load(&self) -> Load {
        use std::sync::atomic::Ordering;
        let in_use = self
            .checks_max
            .saturating_sub(self.checks.available_permits());
        Load {
            checks_in_use: i64::try_from(in_use).unwrap_or(i64::MAX),
            checks_waiting: self.checks_waiting.load(Ordering::Relaxed),
            hashing_waiting: self.hashing.waiting(),
        }
    }

    /// Waits for a turn to inflate and check a package. Uploads need one
    /// ([`upload_version_owned`](Registry::upload_version_owned)), so that their archives are
    /// read into memory only when their turn comes; submissions take one themselves.
    pub async fn check_slot(&self) -> Result<CheckSlot> {
        use std::sync::atomic::Ordering;
        self.checks_waiting.fetch_add(1, Ordering::Relaxed);
        let slot = self.checks.clone().acquire_owned().await;
        self.checks_waiting.fetch_sub(1, Ordering::Relaxed);
        slot.map(CheckSlot).map_err(Error::internal)
    }

    /// The same registry writing at most `n` blobs of one upload at once (at least 1).
    pub fn with_put_concurrency(mut self, n: usize) -> Registry {
        self.put_concurrency = n.max(1);
        self
    }

    /// The archive limits uploads are validated under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Whether other processes' status events arrive here as they commit (PostgreSQL, while
    /// its listener is connected); otherwise waiters must poll.
    pub fn events_pushed(&self) -> bool {
        self.listener.as_ref().is_some_and(|l| l.connected())
    }

    /// The database backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The blob store (the server reads widget files from it).
    pub fn blobs(&self) -> &Arc<dyn BlobStore> {
        &self.blobs
    }

    /// The database pool (health checks, metrics).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Checks that the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A receiver that changes whenever this process, or on PostgreSQL any process, commits
    /// a status event.
    pub fn subscribe_events(&self) -> tokio::sync::watch::Receiver<u64> {
        self.events.subscribe()
    }

    /// Commits a transaction that recorded status events and wakes the event listeners (on
    /// PostgreSQL, those of every process: the notification is sent on commit).
    pub(crate) async fn commit_events(&self, mut tx: Transaction<'static, Any>) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(notify::CHANNEL)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.events.send_modify(|n| *n = n.wrapping_add(1));
        Ok(())
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy timeout instead of
    /// failing when a read transaction tries to upgrade.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }
}

/// Whether a failed transaction may simply be run again: SQLite busy/locked, PostgreSQL
/// serialization failure or deadlock, and unique violations (a generated widget code taken
/// by a concurrent upload into another integration; the retry re-checks everything).
pub(crate) fn is_retryable(e: &Error) -> bool {
    let Error::Db(sqlx::Error::Database(d)) = e else {
        return false;
    };
    if d.is_unique_violation() {
        return true;
    }
    match d.code().as_deref() {
        Some("40001" | "40P01") => true,
        Some(code) => code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6)),
        None => false,
    }
}

/// Runs a transaction body up to [`MAX_TX_ATTEMPTS`] times while it fails with a retryable
/// conflict, backing off a little between attempts.
pub(crate) async fn with_retry<T, F, Fut>(mut f: F) -> Result<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match f(attempt).await {
            Err(e) if attempt < MAX_TX_ATTEMPTS && is_retryable(&e) => {
                tracing::debug!(attempt, error = %e, "retrying transaction");
                let jitter = rand::random_range(0..20u64);
                tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt) + jitter)).await;
            }
            other => return other,
        }
    }
}
