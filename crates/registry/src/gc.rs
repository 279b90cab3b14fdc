//! Blob garbage collection: deletes blobs that no version names (files and archives of
//! uploads refused or interrupted after their blobs were written) and that are older than a
//! grace period, on either store.
//!
//! A blob that a committed version names is never deleted, also when an upload commits while
//! the collector runs. The two meet in one row, `blob_gc.generation`:
//!
//! - the collector deletes in transactions that first bump the generation (taking the row's
//!   lock), then ask which candidates a version names, delete the others from the store, and
//!   commit;
//! - an upload reads the generation before it writes its blobs, and again, under a share lock
//!   (PostgreSQL; SQLite serializes writers anyway), in the transaction that inserts its
//!   version. If it moved, a collection deleted blobs meanwhile, perhaps some of the upload's:
//!   the upload rolls back, writes its blobs again and retries.
//!
//! So either the upload's row was committed before the collector's reference check (and the
//! collector keeps the blob), or the collector's deletions were committed before the upload
//! read the generation the second time (and the upload writes its blobs again).

use crate::error::{Error, Result};
use crate::time::Timestamp;
use crate::{Backend, Registry};
use futures_util::StreamExt;
use sqlx::Row;
use std::collections::HashSet;
use std::time::Duration;

/// The least grace period operators may ask for. Correctness does not depend on it (see
/// above), but an upload in flight writes its blobs before its row exists: collecting them
/// makes it write them again.
pub const MIN_GC_GRACE: Duration = Duration::from_secs(60);
/// Candidates checked and deleted per transaction.
const BATCH: usize = 200;
/// Deletions in flight at once.
const DELETE_CONCURRENCY: usize = 16;

/// How a collection runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GcOptions {
    /// Only blobs last written longer ago than this are collected (operators: at least
    /// [`MIN_GC_GRACE`]).
    pub grace: Duration,
    /// Report what would be deleted, delete nothing.
    pub dry_run: bool,
}

impl Default for GcOptions {
    fn default() -> Self {
        GcOptions {
            grace: Duration::from_secs(3600),
            dry_run: false,
        }
    }
}

/// What a collection found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct GcReport {
    /// Blobs in the store.
    pub scanned: u64,
    /// Bytes in the store.
    pub scanned_bytes: u64,
    /// Blobs younger than the grace period (left alone).
    pub recent: u64,
    /// Older blobs that a version names (kept).
    pub referenced: u64,
    /// Unreferenced old blobs deleted (or, in a dry run, that would be).
    pub deleted: u64,
    /// Their bytes.
    pub deleted_bytes: u64,
    /// Whether nothing was deleted on purpose.
    pub dry_run: bool,
}

impl Registry {
    /// The collector's generation now (an upload reads it before writing blobs).
    pub(crate) async fn gc_generation(&self) -> Result<i64> {
        let row = sqlx::query("SELECT generation FROM blob_gc WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("generation")?)
    }

    /// Inside a write transaction: whether the collector's generation is still `seen` (read
    /// under a share lock on PostgreSQL, so a collection in progress is waited for).
    pub(crate) async fn gc_generation_unchanged(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        seen: i64,
    ) -> Result<bool> {
        let sql = match self.backend {
            Backend::Postgres => "SELECT generation FROM blob_gc WHERE id = 1 FOR SHARE",
            Backend::Sqlite => "SELECT generation FROM blob_gc WHERE id = 1",
        };
        let row = sqlx::query(sql).fetch_one(&mut **tx).await?;
        Ok(row.try_get::<i64, _>("generation")? == seen)
    }

    /// Deletes the blobs no version names and that were last written more than
    /// `options.grace` ago (see the module documentation for why a committed version never
    /// loses one).
    pub async fn collect_garbage(&self, options: GcOptions) -> Result<GcReport> {
        let cutoff = Timestamp::now().minus(options.grace).as_millis();
        let mut report = GcReport {
            dry_run: options.dry_run,
            ..GcReport::default()
        };
        let mut listing = self.blobs.list();
        let mut batch: Vec<(String, u64)> = Vec::with_capacity(BATCH);
        while let Some(blob) = listing.next().await {
            let blob = blob.map_err(Error::Blob)?;
            report.scanned += 1;
            report.scanned_bytes += blob.size;
            if blob.modified_ms > cutoff {
                report.recent += 1;
                continue;
            }
            batch.push((blob.sha256, blob.size));
            if batch.len() == BATCH {
                self.collect_batch(std::mem::take(&mut batch), options.dry_run, &mut report)
                    .await?;
            }
        }
        if !batch.is_empty() {
            self.collect_batch(batch, options.dry_run, &mut report)
                .await?;
        }
        if !options.dry_run {
            sqlx::query("UPDATE blob_gc SET last_run_at = $1 WHERE id = 1")
                .bind(Timestamp::now())
                .execute(&self.pool)
                .await?;
        }
        tracing::info!(
            scanned = report.scanned,
            recent = report.recent,
            referenced = report.referenced,
            deleted = report.deleted,
            deleted_bytes = report.deleted_bytes,
            dry_run = report.dry_run,
            store = %self.blobs.describe(),
            "blob garbage collection"
        );
        Ok(report)
    }

    /// Which of `shas` a version names (as a file or as its archive).
    async fn referenced(
        conn: &mut sqlx::AnyConnection,
        shas: &[(String, u64)],
    ) -> Result<HashSet<String>> {
        let placeholders: Vec<String> = (1..=shas.len()).map(|i| format!("${i}")).collect();
        let list = placeholders.join(", ");
        let sql = format!(
            "SELECT sha256 AS s FROM version_files WHERE sha256 IN ({list}) \
             UNION SELECT archive_sha256 AS s FROM versions WHERE archive_sha256 IN ({list})"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (sha, _) in shas {
            q = q.bind(sha.as_str());
        }
        let rows = q.fetch_all(conn).await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<String, _>("s")?))
            .collect()
    }

    async fn collect_batch(
        &self,
        batch: Vec<(String, u64)>,
        dry_run: bool,
        report: &mut GcReport,
    ) -> Result<()> {
        if dry_run {
            let mut conn = self.pool.acquire().await?;
            let referenced = Registry::referenced(&mut conn, &batch).await?;
            for (sha, size) in &batch {
                if referenced.contains(sha) {
                    report.referenced += 1;
                } else {
                    report.deleted += 1;
                    report.deleted_bytes += size;
                }
            }
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        // Takes the generation row's lock first: uploads committing meanwhile wait, and
        // uploads that read the generation later write their blobs again.
        sqlx::query("UPDATE blob_gc SET generation = generation + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        let referenced = Registry::referenced(&mut tx, &batch).await?;
        let doomed: Vec<(String, u64)> = batch
            .into_iter()
            .filter(|(sha, _)| {
                let keep = referenced.contains(sha);
                if keep {
                    report.referenced += 1;
                }
                !keep
            })
            .collect();
        let deletions: Vec<_> = doomed
            .into_iter()
            .map(|(sha, size)| {
                let blobs = self.blobs.clone();
                async move {
                    blobs
                        .delete(&sha)
                        .await
                        .map(|deleted| if deleted { size } else { 0 })
                }
            })
            .collect();
        let results: Vec<std::io::Result<u64>> = futures_util::stream::iter(deletions)
            .buffer_unordered(DELETE_CONCURRENCY)
            .collect()
            .await;
        // Whatever was deleted is gone even if a later deletion failed: commit the bump so
        // uploads notice, then report the failure.
        tx.commit().await?;
        for r in results {
            let size = r.map_err(Error::Blob)?;
            report.deleted += 1;
            report.deleted_bytes += size;
        }
        Ok(())
    }
}
