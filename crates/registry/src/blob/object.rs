//! Blobs in an S3-compatible object store, through the `object_store` crate: one object per
//! blob at `{prefix}/blobs/{sha256}`, shared by every server process of a service.
//!
//! A PUT that answers 200 is durable on the store, so the database row naming the blob may
//! commit. Reads stream: a large object is never held whole. Requests that fail are retried
//! a few times within a short budget (`RETRY_*`), so an upload facing a stopped store fails
//! in seconds with an error the server answers 503 to, instead of hanging for minutes.

use super::{BlobInfo, BlobListing, BlobStore, BoxFuture, ByteStream};
use crate::util::{is_sha256, sha256_hex};
use bytes::Bytes;
use futures_util::StreamExt;
use object_store::path::Path as StorePath;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};
use std::io;
use std::sync::Arc;
use std::time::Duration;

/// Retries of one request before it fails.
const RETRY_MAX: usize = 3;
/// The whole time a request may spend retrying.
const RETRY_BUDGET: Duration = Duration::from_secs(10);
/// Longest wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest time for one request (a 20 MB object on a slow link included).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);
/// The object readiness checks read (written when the store is opened).
const HEALTH_OBJECT: &str = ".widgetry-health";

/// Where an S3-compatible bucket is and how to reach it.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    /// The bucket.
    pub bucket: String,
    /// Key prefix inside the bucket (no leading or trailing `/`; may be empty).
    pub prefix: String,
    /// The endpoint of a non-AWS server (`http://127.0.0.1:18014`).
    pub endpoint: Option<String>,
    /// Region (`us-east-1` when not given).
    pub region: String,
    /// Access key id.
    pub access_key_id: Option<String>,
    /// Secret access key.
    pub secret_access_key: Option<String>,
    /// Session token of temporary credentials.
    pub session_token: Option<String>,
    /// Allow `http://` endpoints (a loopback test server).
    pub allow_http: bool,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("allow_http", &self.allow_http)
            .finish_non_exhaustive()
    }
}

impl S3Config {
    /// A bucket and prefix, with the rest from the standard AWS variables read through `env`.
    pub fn from_env(
        bucket: String,
        prefix: String,
        env: impl Fn(&str) -> Option<String>,
    ) -> S3Config {
        let var = |names: &[&str]| names.iter().find_map(|n| env(n)).filter(|v| !v.is_empty());
        S3Config {
            bucket,
            prefix,
            endpoint: var(&["AWS_ENDPOINT_URL", "AWS_ENDPOINT"]),
            region: var(&["AWS_REGION", "AWS_DEFAULT_REGION"])
                .unwrap_or_else(|| "us-east-1".to_string()),
            access_key_id: var(&["AWS_ACCESS_KEY_ID"]),
            secret_access_key: var(&["AWS_SECRET_ACCESS_KEY"]),
            session_token: var(&["AWS_SESSION_TOKEN"]),
            allow_http: var(&["AWS_ALLOW_HTTP"])
                .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes")),
        }
    }
}

/// Blobs in an object store.
#[derive(Debug, Clone)]
pub struct ObjectBlobStore {
    store: Arc<dyn ObjectStore>,
    /// `{prefix}/blobs` (or `blobs`).
    blobs: String,
    health: StorePath,
    shown: String,
}

fn io_error(e: object_store::Error) -> io::Error {
    io::Error::from(e)
}

fn is_not_found(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::NotFound { .. })
}

impl ObjectBlobStore {
    /// A store on an S3-compatible bucket.
    pub fn s3(config: &S3Config) -> io::Result<ObjectBlobStore> {
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_allow_http(config.allow_http)
            .with_retry(RetryConfig {
                max_retries: RETRY_MAX,
                retry_timeout: RETRY_BUDGET,
                ..RetryConfig::default()
            })
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(config.allow_http)
                    .with_connect_timeout(CONNECT_TIMEOUT)
                    .with_timeout(REQUEST_TIMEOUT),
            );
        if let Some(endpoint) = &config.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(key) = &config.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &config.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        if let Some(token) = &config.session_token {
            builder = builder.with_token(token);
        }
        let store = builder.build().map_err(io_error)?;
        let shown = if config.prefix.is_empty() {
            format!("s3://{}", config.bucket)
        } else {
            format!("s3://{}/{}", config.bucket, config.prefix)
        };
        Ok(ObjectBlobStore::new(Arc::new(store), &config.prefix, shown))
    }

    /// A store on any `object_store` backend, under `prefix`.
    pub fn new(store: Arc<dyn ObjectStore>, prefix: &str, shown: String) -> ObjectBlobStore {
        let prefix = prefix.trim_matches('/');
        let join = |name: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            }
        };
        ObjectBlobStore {
            store,
            blobs: join("blobs"),
            health: StorePath::from(join(HEALTH_OBJECT)),
            shown,
        }
    }

    /// Where a blob lives, `None` for a name that is not a lowercase SHA-256.
    fn path_of(&self, sha256: &str) -> Option<StorePath> {
        is_sha256(sha256).then(|| StorePath::from(format!("{}/{sha256}", self.blobs)))
    }

    fn path_or_error(&self, sha256: &str) -> io::Result<StorePath> {
        self.path_of(sha256)
            .ok_or_else(|| io::Error::other(format!("`{sha256}` is not a blob name")))
    }
}

impl BlobStore for ObjectBlobStore {
    fn put(&self, bytes: Bytes) -> BoxFuture<'_, io::Result<String>> {
        Box::pin(async move {
            let sha = sha256_hex(&bytes);
            let path = self.path_or_error(&sha)?;
            self.store
                .put(&path, PutPayload::from_bytes(bytes))
                .await
                .map_err(io_error)?;
            Ok(sha)
        })
    }

    fn get(&self, sha256: &str) -> BoxFuture<'_, io::Result<Option<Bytes>>> {
        let path = self.path_of(sha256);
        Box::pin(async move {
            let Some(path) = path else { return Ok(None) };
            match self.store.get(&path).await {
                Ok(got) => Ok(Some(got.bytes().await.map_err(io_error)?)),
                Err(e) if is_not_found(&e) => Ok(None),
                Err(e) => Err(io_error(e)),
            }
        })
    }

    fn open(&self, sha256: &str) -> BoxFuture<'_, io::Result<Option<ByteStream>>> {
        let path = self.path_of(sha256);
        Box::pin(async move {
            let Some(path) = path else { return Ok(None) };
            match self.store.get(&path).await {
                Ok(got) => {
                    let stream: ByteStream =
                        Box::pin(got.into_stream().map(|c| c.map_err(io_error)));
                    Ok(Some(stream))
                }
                Err(e) if is_not_found(&e) => Ok(None),
                Err(e) => Err(io_error(e)),
            }
        })
    }

    fn exists(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>> {
        let path = self.path_of(sha256);
        Box::pin(async move {
            let Some(path) = path else { return Ok(false) };
            match self.store.head(&path).await {
                Ok(_) => Ok(true),
                Err(e) if is_not_found(&e) => Ok(false),
                Err(e) => Err(io_error(e)),
            }
        })
    }

    fn delete(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>> {
        let path = self.path_of(sha256);
        Box::pin(async move {
            let Some(path) = path else { return Ok(false) };
            // S3 answers a DELETE of a missing key with success too.
            match self.store.delete(&path).await {
                Ok(()) => Ok(true),
                Err(e) if is_not_found(&e) => Ok(false),
                Err(e) => Err(io_error(e)),
            }
        })
    }

    fn list(&self) -> BlobListing {
        let prefix = StorePath::from(self.blobs.as_str());
        Box::pin(
            self.store
                .list(Some(&prefix))
                .filter_map(|meta| async move {
                    match meta {
                        Ok(meta) => {
                            let name = meta.location.filename()?.to_string();
                            is_sha256(&name).then(|| {
                                Ok(BlobInfo {
                                    sha256: name,
                                    size: meta.size,
                                    modified_ms: meta.last_modified.timestamp_millis(),
                                })
                            })
                        }
                        Err(e) => Some(Err(io_error(e))),
                    }
                }),
        )
    }

    fn check(&self) -> BoxFuture<'_, io::Result<()>> {
        Box::pin(async move {
            match self.store.head(&self.health).await {
                Ok(_) => Ok(()),
                // First start on this bucket (or the object was removed): write it, which
                // also proves the credentials may write.
                Err(e) if is_not_found(&e) => {
                    self.store
                        .put(&self.health, PutPayload::from_static(b"ok\n"))
                        .await
                        .map_err(io_error)?;
                    Ok(())
                }
                Err(e) => Err(io_error(e)),
            }
        })
    }

    fn describe(&self) -> String {
        self.shown.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show_in_debug_output() {
        let config = S3Config::from_env("b".into(), String::new(), |name| match name {
            "AWS_SECRET_ACCESS_KEY" => Some("very-secret".into()),
            "AWS_SESSION_TOKEN" => Some("session-secret".into()),
            "AWS_DEFAULT_REGION" => Some("eu-west-1".into()),
            _ => None,
        });
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("very-secret") && !shown.contains("session-secret"),
            "{shown}"
        );
        assert_eq!(config.region, "eu-west-1");
        assert!(!config.allow_http);
    }
}
