//! `widgetry serve`: runs the marketplace server. With no flags it keeps everything under
//! `./widgetry-data` (SQLite in WAL mode and the blob folder) and listens on 127.0.0.1:8080;
//! `--database-url postgres://...` runs the same server on PostgreSQL.

use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use widgetry_server::ServerConfig;

// Where the server keeps its data (shared with `widgetry admin`; not a doc comment: see
// `Command` in main.rs).
#[derive(Debug, Clone, clap::Args)]
pub struct Storage {
    /// Database URL: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB` [default: SQLite under the data folder].
    #[arg(long, global = true, env = "WIDGETRY_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Folder for the SQLite database, the blobs and temporary uploads.
    #[arg(
        long,
        global = true,
        env = "WIDGETRY_DATA_DIR",
        default_value = "widgetry-data"
    )]
    pub data_dir: PathBuf,
    /// Where blobs live: `s3://bucket/prefix` (an S3-compatible store; credentials, endpoint
    /// and region from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION,
    /// AWS_ALLOW_HTTP) or `file:///path` [default: the folder `blobs` in the data folder].
    #[arg(long, global = true, env = "WIDGETRY_BLOB_STORE")]
    pub blob_store: Option<String>,
    /// The key file webhook secrets and test credentials are sealed with at rest; every
    /// process of one service needs the same one [default: secrets.key in the data folder,
    /// generated on first start].
    #[arg(long, global = true, env = "WIDGETRY_SECRETS_KEY_FILE")]
    pub secrets_key_file: Option<PathBuf>,
}

impl Storage {
    /// The database URL to use.
    pub fn url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| widgetry_registry::Registry::default_database_url(&self.data_dir))
    }

    /// The secrets key file to use.
    pub fn secrets_key_file(&self) -> PathBuf {
        self.secrets_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("secrets.key"))
    }

    /// Opens the registry on this storage (for `widgetry admin`).
    pub async fn open(&self) -> Result<widgetry_registry::Registry> {
        widgetry_registry::Registry::open_full(
            &self.url(),
            &self.data_dir,
            &self.blobs()?,
            &self.secrets_key_file(),
        )
        .await
        .with_context(|| {
            format!(
                "failed to open the registry in `{}`",
                self.data_dir.display()
            )
        })
    }

    /// The blob store to use.
    pub fn blobs(&self) -> Result<widgetry_registry::BlobStoreConfig> {
        match &self.blob_store {
            None => Ok(widgetry_registry::BlobStoreConfig::default_for(
                &self.data_dir,
            )),
            Some(url) => {
                widgetry_registry::BlobStoreConfig::parse(url, |name| std::env::var(name).ok())
                    .map_err(|e| anyhow::anyhow!("--blob-store: {e}"))
            }
        }
    }
}

// Arguments of `widgetry serve` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address and port the pages and the API listen on.
    #[arg(long, env = "WIDGETRY_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The public base URL of the pages and the API, as browsers reach them
    /// (https://widgets.example) [default: http://BIND].
    #[arg(long, env = "WIDGETRY_PUBLIC_URL")]
    pub public_url: Option<url::Url>,
    /// Address and port the files origin listens on: widget files are served there only.
    #[arg(long, env = "WIDGETRY_FILES_BIND", default_value = "127.0.0.1:8081")]
    pub files_bind: SocketAddr,
    /// The public base URL widget files are reached at (https://widgets-files.example). In
    /// production another registrable domain than the pages' (README: "The files origin")
    /// [default: http://FILES_BIND].
    #[arg(long, env = "WIDGETRY_FILES_URL")]
    pub files_url: Option<url::Url>,
    /// The key that signs files URLs of private versions; every process of one service needs
    /// the same one [default: url-signing.key in the data folder, generated on first start].
    #[arg(long, env = "WIDGETRY_URL_SIGNING_KEY_FILE")]
    pub url_signing_key_file: Option<PathBuf>,
    /// How long a signed files URL stays valid at least, in seconds.
    #[arg(long, env = "WIDGETRY_SIGNED_URL_TTL_SECS", default_value_t = 12 * 3600)]
    pub signed_url_ttl_secs: u64,
    /// Start with a URL-signing key other than the one the service recorded (after replacing
    /// the key on purpose on every process; URLs signed with the old key stop working).
    #[arg(long, env = "WIDGETRY_ACCEPT_NEW_URL_SIGNING_KEY")]
    pub accept_new_url_signing_key: bool,
    #[command(flatten)]
    pub storage: Storage,
    /// Largest accepted widget.zip, in bytes.
    #[arg(long, env = "WIDGETRY_MAX_UPLOAD_BYTES", default_value_t = ServerConfig::default().max_upload_bytes)]
    pub max_upload_bytes: u64,
    /// Blob writes of one upload in flight at once (an object store answers each in a round
    /// trip).
    #[arg(long, env = "WIDGETRY_BLOB_PUT_CONCURRENCY", default_value_t = widgetry_registry::DEFAULT_PUT_CONCURRENCY)]
    pub blob_put_concurrency: usize,
    /// Collect unreferenced blobs every this many seconds (blobs written in the last hour are
    /// kept); 0: never (run `widgetry admin gc` instead).
    #[arg(long, env = "WIDGETRY_GC_EVERY_SECS", default_value_t = 0)]
    pub gc_every_secs: u64,
    /// Close a connection that has not sent complete request headers within this many seconds
    /// (also one idling between keep-alive requests).
    #[arg(long, env = "WIDGETRY_HEADER_TIMEOUT_SECS", default_value_t = 30)]
    pub header_timeout_secs: u64,
    /// Longest time a request body may take to arrive, in seconds (JSON and forms).
    #[arg(long, env = "WIDGETRY_BODY_TIMEOUT_SECS", default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Longest time an upload's body may take to arrive, in seconds.
    #[arg(long, env = "WIDGETRY_UPLOAD_TIMEOUT_SECS", default_value_t = 300)]
    pub upload_timeout_secs: u64,
    /// Most connections open at once on each listener [default: from `ulimit -n`]; at the
    /// limit the oldest connection is asked to close.
    #[arg(long, env = "WIDGETRY_MAX_CONNECTIONS", default_value_t = widgetry_server::listener::default_max_connections())]
    pub max_connections: usize,
    /// On SIGTERM or Ctrl-C, how many seconds requests in flight may take before their
    /// connections are closed (server-sent event streams end at once).
    #[arg(long, env = "WIDGETRY_SHUTDOWN_TIMEOUT_SECS", default_value_t = 10)]
    pub shutdown_timeout_secs: u64,
    /// A proxy whose `X-Forwarded-For` names the client (an address or a network such as
    /// 10.0.0.0/8; repeat it, or separate with commas). Without it the peer of each
    /// connection is the client, and the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "WIDGETRY_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<String>,
    /// Sign-ins per minute one client address may try (API and page), in bursts of half.
    #[arg(long, env = "WIDGETRY_SIGN_IN_RATE", default_value_t = widgetry_server::clients::RateLimits::default().sign_in_per_minute)]
    pub sign_in_rate: u32,
    /// API tokens per minute one client address may create.
    #[arg(long, env = "WIDGETRY_TOKEN_RATE", default_value_t = widgetry_server::clients::RateLimits::default().tokens_per_minute)]
    pub token_rate: u32,
    /// Dry-run validations (`POST /api/v1/validate`) per minute per client address.
    #[arg(long, env = "WIDGETRY_VALIDATE_RATE", default_value_t = widgetry_server::clients::RateLimits::default().validate_per_minute)]
    pub validate_rate: u32,
    /// Most packages validated at once [default: the number of CPUs].
    #[arg(long, env = "WIDGETRY_MAX_CONCURRENT_CHECKS")]
    pub max_concurrent_checks: Option<usize>,
    /// Mark the session cookie `Secure` (set this when the server is reached over HTTPS).
    #[arg(long, env = "WIDGETRY_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Deliver webhooks to loopback and private-network addresses too (refused by default,
    /// so integrators cannot make the server reach inside its own network).
    #[arg(long, env = "WIDGETRY_WEBHOOK_ALLOW_PRIVATE")]
    pub webhook_allow_private: bool,
    /// Delay before the first webhook retry, in ms; each later one is four times longer.
    #[arg(long, env = "WIDGETRY_WEBHOOK_RETRY_BASE_MS", default_value_t = widgetry_registry::RetryPolicy::default().base_delay_ms)]
    pub webhook_retry_base_ms: i64,
    /// Attempts before a webhook delivery is given up.
    #[arg(long, env = "WIDGETRY_WEBHOOK_MAX_ATTEMPTS", default_value_t = widgetry_registry::RetryPolicy::default().max_attempts)]
    pub webhook_max_attempts: i64,
    /// Log format.
    #[arg(long, value_enum, env = "WIDGETRY_LOG_FORMAT", default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// `--log-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per event.
    Json,
}

/// glibc raises its mmap threshold after the first large buffer is freed (up to 32 MiB), so
/// the 20 MB buffers of past uploads stay in the heap and the server's resident memory only
/// grows. A fixed threshold keeps large buffers in their own mappings, returned on free:
/// the server re-executes itself once with `MALLOC_MMAP_THRESHOLD_` set (same process id),
/// unless the operator set it (or `WIDGETRY_KEEP_MALLOC=1`). See BENCHMARKS.md.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fix_malloc_threshold() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_some()
        || std::env::var_os("WIDGETRY_KEEP_MALLOC").is_some()
    {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    // `exec` returns only when it failed; the server then simply runs as it is.
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("MALLOC_MMAP_THRESHOLD_", "131072")
        .exec();
    crate::shell::warn(format!(
        "could not fix the allocator's mmap threshold ({error}); running as is"
    ));
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fix_malloc_threshold() {}

/// An address (`10.0.0.7`, a network of one) or a network (`10.0.0.0/8`).
fn parse_network(text: &str) -> Result<ipnet::IpNet> {
    let text = text.trim();
    if let Ok(net) = text.parse::<ipnet::IpNet>() {
        return Ok(net);
    }
    let ip: std::net::IpAddr = text.parse().with_context(|| {
        format!("--trusted-proxy `{text}` is neither an address nor a network such as 10.0.0.0/8")
    })?;
    Ok(ipnet::IpNet::from(ip))
}

/// Runs `widgetry serve`.
pub fn run(args: Args) -> Result<ExitCode> {
    fix_malloc_threshold();
    // This build links two TLS providers (aws-lc-rs for the server's stacks, ring for the
    // client commands): name the server's, so nothing has to guess.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let filter = tracing_subscriber::EnvFilter::try_from_env("WIDGETRY_LOG")
        // PostgreSQL's notices ("relation _sqlx_migrations already exists, skipping") are
        // not news.
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx::postgres::notice=warn"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match args.log_format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
    let defaults = ServerConfig::default();
    let config = ServerConfig {
        bind: args.bind,
        public_url: args.public_url,
        files_bind: args.files_bind,
        files_url: args.files_url,
        url_signing_key_file: args.url_signing_key_file,
        signed_url_ttl: std::time::Duration::from_secs(args.signed_url_ttl_secs.max(60)),
        accept_new_url_signing_key: args.accept_new_url_signing_key,
        database_url: Some(args.storage.url()),
        data_dir: args.storage.data_dir.clone(),
        blob_store: Some(args.storage.blobs()?),
        secrets_key_file: Some(args.storage.secrets_key_file()),
        blob_put_concurrency: args.blob_put_concurrency.max(1),
        gc_every: (args.gc_every_secs > 0)
            .then(|| std::time::Duration::from_secs(args.gc_every_secs)),
        shutdown_timeout: std::time::Duration::from_secs(args.shutdown_timeout_secs),
        trusted_proxies: args
            .trusted_proxies
            .iter()
            .map(|p| parse_network(p))
            .collect::<Result<_>>()?,
        rate_limits: widgetry_server::clients::RateLimits {
            sign_in_per_minute: args.sign_in_rate.max(1),
            tokens_per_minute: args.token_rate.max(1),
            validate_per_minute: args.validate_rate.max(1),
        },
        connections: widgetry_server::listener::ConnectionLimits {
            header_timeout: std::time::Duration::from_secs(args.header_timeout_secs.max(1)),
            body_timeout: std::time::Duration::from_secs(args.body_timeout_secs.max(1)),
            upload_timeout: std::time::Duration::from_secs(args.upload_timeout_secs.max(1)),
            max_connections: args.max_connections.max(1),
        },
        max_upload_bytes: args.max_upload_bytes,
        max_concurrent_checks: args
            .max_concurrent_checks
            .unwrap_or(defaults.max_concurrent_checks)
            .max(1),
        secure_cookies: args.secure_cookies,
        webhooks: widgetry_server::webhook_worker::WebhookConfig {
            retry: widgetry_registry::RetryPolicy {
                base_delay_ms: args.webhook_retry_base_ms.max(1),
                max_attempts: args.webhook_max_attempts.max(1),
            },
            allow_private: args.webhook_allow_private,
            ..defaults.webhooks.clone()
        },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")?;
    runtime
        .block_on(widgetry_server::serve(config))
        .context("the server stopped with an error")?;
    Ok(ExitCode::SUCCESS)
}
