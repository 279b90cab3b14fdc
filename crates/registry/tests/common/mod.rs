//! Test harness: a registry on SQLite in a temporary folder, or on a fresh PostgreSQL
//! database when `WIDGETRY_TEST_POSTGRES_URL` names a server; widget archives built from the
//! scaffold.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use sqlx::Connection;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use widgetry_registry::{
    Account, Integration, NewIntegration, NewUser, Principal, Registry, Role, User,
};
use widgetry_scaffold::{ScaffoldOptions, scaffold};

/// A registry under test, with what it takes to reopen it.
pub struct Env {
    pub registry: Registry,
    pub url: String,
    pub dir: TempDir,
    pub backend: &'static str,
}

impl Env {
    pub async fn sqlite() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let url = Registry::default_database_url(dir.path());
        let registry = Registry::open(&url, dir.path()).await.unwrap();
        Env {
            registry,
            url,
            dir,
            backend: "sqlite",
        }
    }

    /// A fresh database on the PostgreSQL server, or `None` (with a note) when
    /// `WIDGETRY_TEST_POSTGRES_URL` is unset.
    pub async fn postgres() -> Option<Env> {
        let Ok(admin_url) = std::env::var("WIDGETRY_TEST_POSTGRES_URL") else {
            eprintln!("note: WIDGETRY_TEST_POSTGRES_URL is unset; skipping the PostgreSQL run");
            return None;
        };
        let name = format!("wgt_reg_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let base = admin_url.split('?').next().unwrap();
        let (server, _) = base.rsplit_once('/').unwrap();
        let url = format!("{server}/{name}");
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&url, dir.path()).await.unwrap();
        Some(Env {
            registry,
            url,
            dir,
            backend: "postgres",
        })
    }

    pub async fn reopen(&mut self) {
        self.registry.close().await;
        self.registry = Registry::open(&self.url, self.dir.path()).await.unwrap();
    }

    pub fn blob_root(&self) -> PathBuf {
        self.dir.path().join("blobs")
    }

    /// Number of stored blobs (temporary files excluded).
    pub fn blob_count(&self) -> usize {
        count_files(&self.blob_root())
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

/// Runs a test body on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name(super::common::Env::sqlite().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                if let Some(env) = super::common::Env::postgres().await {
                    super::$name(env).await;
                }
            }
        }
    )*};
}
