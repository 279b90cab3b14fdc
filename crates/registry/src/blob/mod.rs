//! Blob storage: content-addressed bytes (archives and every file of a version), named by
//! their SHA-256. [`BlobStore`] is the interface the domain code uses; two stores implement it:
//!
//! - [`LocalBlobStore`] (`local`): a folder on this machine, every write synced before it
//!   counts. The default, under `--data-dir`, for one process.
//! - [`ObjectBlobStore`] (`object`): an S3-compatible object store through the `object_store`
//!   crate, shared by any number of server processes.
//!
//! [`BlobStoreConfig`] parses `--blob-store` (`s3://bucket/prefix`, `file:///path`) and opens
//! the store it names.

mod local;
mod object;

pub use local::LocalBlobStore;
pub use object::{ObjectBlobStore, S3Config};

use bytes::Bytes;
use futures_util::Stream;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

/// A boxed, sendable future (keeps [`BlobStore`] usable as `dyn BlobStore`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The bytes of a blob, chunk by chunk.
pub type ByteStream = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// A blob as a listing shows it (for garbage collection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobInfo {
    /// Its name, the SHA-256 of its bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// When it was last written (or, for a store that skips writing bytes it already has,
    /// last stored again), unix milliseconds.
    pub modified_ms: i64,
}

/// Every blob of a store, one by one.
pub type BlobListing = Pin<Box<dyn Stream<Item = io::Result<BlobInfo>> + Send>>;

/// Content-addressed blob storage. Every method is idempotent.
///
/// Durability contract: when [`put`](BlobStore::put) returns `Ok`, the blob is on stable
/// storage, so a database row naming it may commit. Storing bytes that are already there
/// refreshes their modification time (the garbage collector's grace period counts from it).
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores bytes and returns their SHA-256 (lowercase hex).
    fn put(&self, bytes: Bytes) -> BoxFuture<'_, io::Result<String>>;

    /// The bytes of a blob, `None` when there is no such blob. For small blobs; large ones
    /// are better read with [`open`](BlobStore::open).
    fn get(&self, sha256: &str) -> BoxFuture<'_, io::Result<Option<Bytes>>>;

    /// The bytes of a blob as a stream, `None` when there is no such blob: a reader holds a
    /// chunk at a time, never the whole blob.
    fn open(&self, sha256: &str) -> BoxFuture<'_, io::Result<Option<ByteStream>>>;

    /// Whether a blob exists.
    fn exists(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>>;

    /// Deletes a blob (for garbage collection); `false` when it was not there (as far as the
    /// store can tell).
    fn delete(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>>;

    /// Every blob in the store.
    fn list(&self) -> BlobListing;

    /// Checks that the store answers and can be written (readiness, start-up).
    fn check(&self) -> BoxFuture<'_, io::Result<()>>;

    /// Where the blobs are, for logs and messages (`local folder ...`, `s3://bucket/prefix`).
    fn describe(&self) -> String;
}

/// Which blob store to use: `--blob-store`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobStoreConfig {
    /// A local folder (`file:///path`, or the default `<data dir>/blobs`).
    Local(PathBuf),
    /// An S3-compatible object store (`s3://bucket/prefix`).
    S3(S3Config),
}

impl BlobStoreConfig {
    /// The default: `blobs` under the data folder.
    pub fn default_for(data_dir: &Path) -> BlobStoreConfig {
        BlobStoreConfig::Local(data_dir.join("blobs"))
    }

    /// Parses `--blob-store`: `file:///absolute/path` or `s3://bucket[/prefix]`. An S3 store
    /// takes its credentials, endpoint and region from the standard AWS variables, read
    /// through `env` (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
    /// `AWS_ENDPOINT_URL` or `AWS_ENDPOINT`, `AWS_REGION` or `AWS_DEFAULT_REGION`,
    /// `AWS_ALLOW_HTTP`).
    pub fn parse(
        value: &str,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<BlobStoreConfig, String> {
        let url = url::Url::parse(value).map_err(|e| {
            format!("`{value}` is not a blob store URL ({e}); use `s3://bucket/prefix` or `file:///path`")
        })?;
        match url.scheme() {
            "file" => {
                let path = url
                    .to_file_path()
                    .map_err(|()| format!("`{value}` is not an absolute local path"))?;
                Ok(BlobStoreConfig::Local(path))
            }
            "s3" => {
                let bucket = url
                    .host_str()
                    .filter(|b| !b.is_empty())
                    .ok_or_else(|| format!("`{value}` names no bucket: use `s3://bucket/prefix`"))?
                    .to_string();
                let prefix = url.path().trim_matches('/').to_string();
                Ok(BlobStoreConfig::S3(S3Config::from_env(bucket, prefix, env)))
            }
            other => Err(format!(
                "blob store scheme `{other}` is not supported; use `s3://bucket/prefix` or `file:///path`"
            )),
        }
    }

    /// Opens the store (creating a local folder if needed; checking that an S3 bucket
    /// answers and can be written).
    pub async fn open(&self) -> io::Result<Arc<dyn BlobStore>> {
        let store: Arc<dyn BlobStore> = match self {
            BlobStoreConfig::Local(root) => Arc::new(LocalBlobStore::open(root)?),
            BlobStoreConfig::S3(config) => Arc::new(ObjectBlobStore::s3(config)?),
        };
        store.check().await.map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("the blob store ({}) does not work: {e}", store.describe()),
            )
        })?;
        Ok(store)
    }
}

/// The content type served for a widget file, from its extension (one table for the files
/// origin and `widgetry preview`).
pub use widgetry_validator::paths::content_type;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(content_type("script.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("images/logo.PNG"), "image/png");
        assert_eq!(
            content_type("templates/a.twig"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
        assert_eq!(content_type("manual.pdf"), "application/pdf");
        assert_eq!(content_type("i18n/en.json"), "application/json");
    }

    #[test]
    fn blob_store_urls() {
        let env = |name: &str| match name {
            "AWS_ACCESS_KEY_ID" => Some("key".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("secret".to_string()),
            "AWS_ENDPOINT_URL" => Some("http://127.0.0.1:18014".to_string()),
            "AWS_ALLOW_HTTP" => Some("true".to_string()),
            _ => None,
        };
        match BlobStoreConfig::parse("s3://widgets/prod/blobs/", env).unwrap() {
            BlobStoreConfig::S3(c) => {
                assert_eq!(c.bucket, "widgets");
                assert_eq!(c.prefix, "prod/blobs");
                assert_eq!(c.endpoint.as_deref(), Some("http://127.0.0.1:18014"));
                assert_eq!(c.region, "us-east-1");
                assert!(c.allow_http);
                assert_eq!(c.access_key_id.as_deref(), Some("key"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            BlobStoreConfig::parse("file:///var/lib/widgetry/blobs", |_| None).unwrap(),
            BlobStoreConfig::Local(PathBuf::from("/var/lib/widgetry/blobs"))
        );
        for bad in ["s3://", "gs://bucket", "/var/blobs", "file://host/x"] {
            assert!(BlobStoreConfig::parse(bad, |_| None).is_err(), "{bad}");
        }
    }
}
