//! Widget files: untrusted bytes written by strangers, served only on a separate origin
//! (`--files-url`, its own listener `--files-bind`) that holds no session and reads no
//! credentials.
//!
//! - [`origin`]: the files listener's routes.
//! - [`response`]: the headers of a file answer (caching, CORS, the document guards).
//! - [`signing`]: signed, expiring URL prefixes for the owner account's private versions.
//! - [`urls`]: which base URL a caller gets for a version's files.
//! - [`separation`]: the start-up check that the files origin is another site.
//! - `cache`: the in-memory caches of hot files.

mod cache;
pub mod origin;
pub mod response;
pub mod separation;
pub mod signing;
pub mod urls;

pub(crate) use cache::FileCache;
pub use urls::FilesOrigin;

use crate::{ServeError, ServerConfig};
use std::net::SocketAddr;

/// The setting under which the service records its URL-signing key's fingerprint.
const URL_KEY_SETTING: &str = "url_signing_key_fingerprint";

/// `http://{addr}` for a listening address.
fn http_url(addr: SocketAddr) -> Result<url::Url, ServeError> {
    url::Url::parse(&format!("http://{addr}"))
        .map_err(|e| ServeError::Config(format!("`http://{addr}` is not a URL: {e}")))
}

/// The files origin of a configuration: its URL (checked to be another site than the pages'),
/// and the URL-signing key (loaded or generated, and checked against the one the service
/// recorded, so every process signs alike).
pub(crate) async fn open(
    config: &ServerConfig,
    registry: &widgetry_registry::Registry,
) -> Result<FilesOrigin, ServeError> {
    let files_url = match &config.files_url {
        Some(u) => u.clone(),
        None => http_url(config.files_bind)?,
    };
    if !matches!(files_url.scheme(), "http" | "https") || files_url.host().is_none() {
        return Err(ServeError::Config(format!(
            "--files-url `{files_url}` must be an http:// or https:// URL with a host"
        )));
    }
    let pages = match &config.public_url {
        Some(u) => u.clone(),
        None => http_url(config.bind)?,
    };
    match separation::separation(&pages, &files_url) {
        separation::Separation::Distinct => {}
        separation::Separation::LocalSameSite => tracing::warn!(
            files_url = %files_url,
            pages = %pages,
            "widget files are served on the same host as the pages: fine for local use; in production \
             give --files-url another registrable domain (README: \"The files origin\")"
        ),
        separation::Separation::SameSite { site } => {
            return Err(ServeError::Config(format!(
                "--files-url `{files_url}` is on the same site ({site}) as the pages (`{pages}`): \
                 a document there could set cookies for {site} and send same-site requests to the pages. \
                 Serve widget files from another registrable domain (README: \"The files origin\")"
            )));
        }
    }
    let key_file = config
        .url_signing_key_file
        .clone()
        .unwrap_or_else(|| config.data_dir.join("url-signing.key"));
    let (signer, created) = signing::UrlSigner::load_or_generate(&key_file)?;
    if created {
        tracing::info!(path = %key_file.display(), fingerprint = signer.fingerprint(), "generated the URL-signing key");
    }
    let recorded = if config.accept_new_url_signing_key {
        registry
            .set_setting(URL_KEY_SETTING, signer.fingerprint())
            .await?;
        signer.fingerprint().to_string()
    } else {
        registry
            .claim_setting(URL_KEY_SETTING, signer.fingerprint())
            .await?
    };
    if recorded != signer.fingerprint() {
        return Err(ServeError::Config(format!(
            "the URL-signing key `{}` (fingerprint {}) is not the one this service uses (fingerprint {recorded}): \
             every `widgetry serve` process must use the same key, or the files URLs one signs fail on another. \
             Copy the key file of a running process to every other one (--url-signing-key-file); \
             after replacing the key on purpose everywhere, start once with --accept-new-url-signing-key",
            key_file.display(),
            signer.fingerprint(),
        )));
    }
    Ok(FilesOrigin::new(&files_url, signer, config.signed_url_ttl))
}
