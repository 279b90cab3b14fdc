//! The SQLite and PostgreSQL migrations define the same tables, with the same columns and the
//! same nullability, and the same indexes by name: the registry runs one code path (sqlx
//! `Any`) on both, so a column added to one migration folder and forgotten in the other
//! fails here rather than in production.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::Env;
use sqlx::{Connection, Row};
use std::collections::BTreeSet;

/// (table, column, nullable) of every table but sqlx's own.
type Columns = BTreeSet<(String, String, bool)>;

/// The first column of every row, as text.
fn first_column<R: Row>(rows: &[R]) -> BTreeSet<String>
where
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    usize: sqlx::ColumnIndex<R>,
{
    rows.iter().map(|r| r.get(0)).collect()
}

async fn sqlite_columns(url: &str) -> (Columns, BTreeSet<String>) {
    let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
    let rows = sqlx::query(
        "SELECT m.name, p.name, p.\"notnull\", p.pk FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let columns = rows
        .iter()
        .map(|r| {
            // SQLite lets a primary-key column hold NULL unless it says NOT NULL; PostgreSQL
            // never does. Compare what the schema guarantees.
            let not_null = r.get::<i64, _>(2) != 0 || r.get::<i64, _>(3) != 0;
            (r.get(0), r.get(1), !not_null)
        })
        .collect();
    let indexes = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    (columns, first_column(&indexes))
}

async fn postgres_columns(url: &str) -> (Columns, BTreeSet<String>) {
    let mut db = sqlx::PgConnection::connect(url).await.unwrap();
    let rows = sqlx::query(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let columns = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get::<String, _>(2) == "YES"))
        .collect();
    // Indexes created by the migrations (not those behind primary keys and UNIQUE
    // constraints, which SQLite names `sqlite_autoindex_*`).
    let indexes = sqlx::query(
        "SELECT i.indexname::text FROM pg_indexes i \
         WHERE i.schemaname = current_schema() AND i.tablename NOT LIKE '\\_sqlx%' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    (columns, first_column(&indexes))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(widgetry_test_postgres),
    ignore = "needs WIDGETRY_TEST_POSTGRES_URL: a PostgreSQL server to test against"
)]
async fn sqlite_and_postgres_migrations_define_the_same_tables_columns_and_indexes() {
    let sqlite = Env::sqlite().await;
    let postgres = Env::postgres()
        .await
        .expect("WIDGETRY_TEST_POSTGRES_URL is set");
    let (lite_columns, lite_indexes) = sqlite_columns(&sqlite.url).await;
    let (pg_columns, pg_indexes) = postgres_columns(&postgres.url).await;
    assert!(lite_columns.len() > 20, "{lite_columns:?}");
    let only_sqlite: Vec<_> = lite_columns.difference(&pg_columns).collect();
    let only_postgres: Vec<_> = pg_columns.difference(&lite_columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "(table, column, nullable) only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_postgres:?}"
    );
    assert_eq!(lite_indexes, pg_indexes, "indexes differ");
}
