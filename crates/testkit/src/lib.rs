//! Test support shared by the registry, server and CLI suites: one fresh PostgreSQL database
//! per test on the `WIDGETRY_TEST_POSTGRES_URL` server, and the sweep that drops what ended
//! test processes left there; widget scripts more than one suite runs in the preview; and the
//! check that a crate's test suite declares every file beside it.
//!
//! A test cannot drop its own database (its server still holds connections when it ends), so
//! each test process, before it creates its first database, drops those of processes that
//! have ended. Without it every run left a few hundred databases, gigabytes a day.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use sqlx::{Connection, Executor, postgres::PgConnection};
use std::sync::atomic::{AtomicU32, Ordering};

/// A widget `script.js` whose `bind_actions` throws on line [`THROWING_LINE`] (the preview
/// reports it with that file and line, on the server and from the CLI).
pub const THROWING_SCRIPT: &str = "define([], function () {
  return function () {
    this.callbacks = {
      render: function () { return true; },
      init: function () { return true; },
      bind_actions: function () {
        var data = null; return data.missing;
      },
      settings: function () { return true; },
      onSave: function () { return true; },
      destroy: function () {}
    };
    return this;
  };
});
";

/// The line of [`THROWING_SCRIPT`] that throws.
pub const THROWING_LINE: u32 = 7;

/// Fails, naming them, when `<manifest_dir>/tests` holds a test file or module folder that
/// `tests/suite.rs` does not declare as `mod name;`. A crate whose integration tests are one
/// binary sets `autotests = false`, so cargo builds only the suite, and a file left out of it
/// would never run.
pub fn assert_suite_declares_every_file(manifest_dir: &str) {
    let tests = std::path::Path::new(manifest_dir).join("tests");
    let suite = std::fs::read_to_string(tests.join("suite.rs")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&tests).unwrap() {
        let path = entry.unwrap().path();
        let module = if path.extension().is_some_and(|e| e == "rs") {
            path.file_stem()
        } else if path.join("mod.rs").is_file() {
            path.file_name()
        } else {
            continue;
        };
        let module = module.unwrap().to_string_lossy().into_owned();
        let declared = format!("mod {module};");
        if module != "suite" && !suite.lines().any(|line| line.trim() == declared) {
            missing.push(module);
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "{} holds test files tests/suite.rs does not declare, so they never run: {missing:?}",
        tests.display()
    );
}

/// What every test database's name starts with; the process id follows.
const NAME_START: &str = "wgt_p";

/// A fresh database on the `WIDGETRY_TEST_POSTGRES_URL` server, named after `label` (what the
/// test is, seen in `\l`), or `None` when the variable is unset.
pub async fn fresh_postgres(label: &str) -> Option<String> {
    static N: AtomicU32 = AtomicU32::new(0);
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    let base = std::env::var("WIDGETRY_TEST_POSTGRES_URL").ok()?;
    let name = format!(
        "{NAME_START}{}_{label}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let mut conn = PgConnection::connect(&base).await.unwrap();
    SWEPT.get_or_init(|| drop_ended_runs(&mut conn)).await;
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    conn.close().await.unwrap();
    let base = base.split('?').next().unwrap_or(&base);
    let (server, _) = base.rsplit_once('/').unwrap();
    Some(format!("{server}/{name}"))
}

/// Drops the test databases whose process has ended (on Linux, where `/proc` says so).
async fn drop_ended_runs(conn: &mut PgConnection) {
    if !cfg!(target_os = "linux") {
        return;
    }
    let names: Vec<String> = sqlx::query_scalar("SELECT datname FROM pg_database")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    for name in names {
        if owner_ended(&name) {
            // Another process sweeping at the same moment may have dropped it first.
            let _ = conn
                .execute(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .await;
        }
    }
}

/// Whether `name` is a test database whose process has ended.
fn owner_ended(name: &str) -> bool {
    let Some(pid) = name
        .strip_prefix(NAME_START)
        .and_then(|rest| rest.split('_').next())
        .and_then(|pid| pid.parse::<u32>().ok())
    else {
        return false;
    };
    pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_test_databases_of_ended_processes_are_swept() {
        assert!(!owner_ended("widgetry_test"));
        assert!(!owner_ended("postgres"));
        assert!(!owner_ended(&format!(
            "wgt_p{}_server_0",
            std::process::id()
        )));
        assert!(!owner_ended("wgt_p1_server_0"), "pid 1 runs");
        assert!(owner_ended(&format!("wgt_p{}_server_3", u32::MAX - 1)));
        assert!(!owner_ended("wgt_pabc_server_3"));
    }
}
