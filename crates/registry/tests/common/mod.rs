//! Test harness: a registry on SQLite in a temporary folder, or on a fresh PostgreSQL
//! database when `WIDGETRY_TEST_POSTGRES_URL` names a server, with blobs in the folder or, when
//! `WIDGETRY_TEST_S3_BUCKET` names a bucket of a real S3-compatible server, under a fresh
//! prefix there; widget archives built from the scaffold.
//!
//! The S3 server is described by the standard AWS variables prefixed with `WIDGETRY_TEST_`
//! (`WIDGETRY_TEST_AWS_ENDPOINT_URL`, `WIDGETRY_TEST_AWS_ACCESS_KEY_ID`,
//! `WIDGETRY_TEST_AWS_SECRET_ACCESS_KEY`, `WIDGETRY_TEST_AWS_ALLOW_HTTP`), so that tests never
//! pick up an operator's real credentials.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use widgetry_registry::{
    Account, BlobStoreConfig, Integration, NewIntegration, NewUser, Principal, Registry, Role,
    S3Config, User,
};
use widgetry_scaffold::{ScaffoldOptions, scaffold};

/// A registry under test, with what it takes to reopen it.
pub struct Env {
    pub registry: Registry,
    pub url: String,
    pub dir: TempDir,
    pub backend: &'static str,
    pub blobs: BlobStoreConfig,
}

/// The test S3 server's bucket under a fresh prefix, or `None` when
/// `WIDGETRY_TEST_S3_BUCKET` is unset.
pub fn test_s3() -> Option<S3Config> {
    let bucket = std::env::var("WIDGETRY_TEST_S3_BUCKET").ok()?;
    let prefix = format!("test-{}", uuid::Uuid::new_v4().simple());
    Some(S3Config::from_env(bucket, prefix, |name| {
        std::env::var(format!("WIDGETRY_TEST_{name}")).ok()
    }))
}

impl Env {
    async fn open(url: String, dir: TempDir, backend: &'static str, blobs: BlobStoreConfig) -> Env {
        let registry = Registry::open_on(&url, dir.path(), &blobs).await.unwrap();
        Env {
            registry,
            url,
            dir,
            backend,
            blobs,
        }
    }

    pub async fn sqlite() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let url = Registry::default_database_url(dir.path());
        let blobs = BlobStoreConfig::default_for(dir.path());
        Env::open(url, dir, "sqlite", blobs).await
    }

    /// On PostgreSQL when configured (SQLite otherwise), with blobs on the test S3 server;
    /// `None` when `WIDGETRY_TEST_S3_BUCKET` is unset.
    pub async fn s3() -> Option<Env> {
        let s3 = test_s3()?;
        let dir = tempfile::tempdir().unwrap();
        let (url, backend) = match widgetry_testkit::fresh_postgres("registry").await {
            Some(url) => (url, "postgres+s3"),
            None => (Registry::default_database_url(dir.path()), "sqlite+s3"),
        };
        Some(Env::open(url, dir, backend, BlobStoreConfig::S3(s3)).await)
    }

    /// Whether blobs live in a local folder (the tests that look at the folder itself).
    pub fn local_blobs(&self) -> bool {
        matches!(self.blobs, BlobStoreConfig::Local(_))
    }

    /// A fresh database on the PostgreSQL server, or `None` when
    /// `WIDGETRY_TEST_POSTGRES_URL` is unset.
    pub async fn postgres() -> Option<Env> {
        let url = widgetry_testkit::fresh_postgres("registry").await?;
        let dir = tempfile::tempdir().unwrap();
        let blobs = BlobStoreConfig::default_for(dir.path());
        Some(Env::open(url, dir, "postgres", blobs).await)
    }
}

impl Env {
    pub async fn reopen(&mut self) {
        self.registry.close().await;
        self.registry = Registry::open_on(&self.url, self.dir.path(), &self.blobs)
            .await
            .unwrap();
    }

    pub fn blob_root(&self) -> PathBuf {
        self.dir.path().join("blobs")
    }

    /// Number of stored blobs, as the store lists them (a local store's temporary files are
    /// no blobs; neither is an object store's health object).
    pub async fn blob_count(&self) -> usize {
        use futures_util::StreamExt;
        let listed: Vec<_> = self.registry.blobs().list().collect().await;
        let count = listed.into_iter().map(Result::unwrap).count();
        if self.local_blobs() {
            assert_eq!(
                count,
                count_files(&self.blob_root()),
                "the listing misses files"
            );
        }
        count
    }

    /// A user in an account (created with it when new), logged in by session.
    pub async fn user(&self, email: &str, account: &str, role: Role) -> (User, Account, Principal) {
        let (user, account) = self
            .registry
            .create_user(NewUser {
                email: email.into(),
                password: "password-1".into(),
                account_subdomain: account.into(),
                account_name: None,
                role,
                moderator: false,
                operator: false,
            })
            .await
            .unwrap();
        let session = self
            .registry
            .create_session(user.id, account.id)
            .await
            .unwrap();
        let principal = self
            .registry
            .session(&session.cookie_value)
            .await
            .unwrap()
            .unwrap();
        (user, account, principal)
    }

    pub async fn integration(&self, actor: &Principal) -> (Integration, String) {
        self.registry
            .create_integration(actor, new_integration("My widget"))
            .await
            .unwrap()
    }
}

fn count_files(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "tmp") {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            n += count_files(&path);
        } else {
            n += 1;
        }
    }
    n
}

pub fn new_integration(name: &str) -> NewIntegration {
    NewIntegration {
        name: [
            ("en".to_string(), name.to_string()),
            ("ru".to_string(), "Мой виджет".to_string()),
        ]
        .into_iter()
        .collect(),
        description: [("en".to_string(), "Does things.".to_string())]
            .into_iter()
            .collect(),
        redirect_uri: "https://example.com/oauth".into(),
    }
}

/// What to put into a test widget.
#[derive(Debug, Clone, Default)]
pub struct Widget {
    pub name: Option<String>,
    pub version: String,
    pub code: Option<String>,
    pub secret_key: Option<String>,
}

impl Widget {
    pub fn version(v: &str) -> Widget {
        Widget {
            version: v.to_string(),
            ..Widget::default()
        }
    }
}

/// A valid scaffolded widget as `widget.zip` bytes (deterministic for the same input).
pub fn widget_zip(w: &Widget) -> Vec<u8> {
    let options = ScaffoldOptions {
        name: w.name.clone().unwrap_or_else(|| "My widget".to_string()),
        ..ScaffoldOptions::default()
    };
    let files = scaffold(&options)
        .into_iter()
        .map(|(path, bytes)| {
            if path != "manifest.json" {
                return (path, bytes);
            }
            let mut manifest: Value = serde_json::from_slice(&bytes).unwrap();
            let widget = manifest["widget"].as_object_mut().unwrap();
            widget.insert("version".into(), Value::String(w.version.clone()));
            if let Some(code) = &w.code {
                widget.insert("code".into(), Value::String(code.clone()));
            }
            if let Some(key) = &w.secret_key {
                widget.insert("secret_key".into(), Value::String(key.clone()));
            }
            (path, serde_json::to_vec_pretty(&manifest).unwrap())
        })
        .collect();
    zip_files(files)
}

pub fn zip_files(files: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    for (path, bytes) in files {
        zip.start_file(path, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Runs a test body on SQLite and, when configured, on PostgreSQL, and with blobs on the test
/// S3 server (on PostgreSQL when configured).
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name($crate::common::Env::sqlite().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(not(widgetry_test_postgres), ignore = "needs WIDGETRY_TEST_POSTGRES_URL: a PostgreSQL server to test against")]
            async fn postgres() {
                let env = $crate::common::Env::postgres().await;
                super::$name(env.expect("WIDGETRY_TEST_POSTGRES_URL is set")).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(not(widgetry_test_s3), ignore = "needs WIDGETRY_TEST_S3_BUCKET (and WIDGETRY_TEST_AWS_*): an S3-compatible server to test against")]
            async fn s3() {
                let env = $crate::common::Env::s3().await;
                super::$name(env.expect("WIDGETRY_TEST_S3_BUCKET is set")).await;
            }
        }
    )*};
}
