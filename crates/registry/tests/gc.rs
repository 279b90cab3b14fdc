//! Blob garbage collection, on SQLite and PostgreSQL with the local folder, and with blobs on a
//! real S3-compatible server: unreferenced blobs go, referenced and recent ones stay, a dry
//! run deletes nothing, and an upload whose blobs are collected between their writing and its
//! commit writes them again instead of committing a version that names missing blobs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::{Env, Widget, widget_zip};
use bytes::Bytes;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use widgetry_registry::{
    BlobListing, BlobStore, BoxFuture, ByteStream, GcOptions, Lang, Registry, Role, VersionId,
};

on_both!(
    collects_only_unreferenced_old_blobs,
    an_upload_committing_while_the_collector_runs_keeps_its_blobs,
);

const NOW: GcOptions = GcOptions {
    grace: Duration::ZERO,
    dry_run: false,
};

/// Every blob a version names is in the store with its bytes.
async fn assert_complete(registry: &Registry, version_id: VersionId, archive: &str) {
    let files = registry.version_files(version_id).await.unwrap();
    assert!(!files.is_empty());
    for f in files.iter().map(|f| f.sha256.as_str()).chain([archive]) {
        let bytes = registry
            .blobs()
            .get(f)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("blob {f} of version {version_id} is gone"));
        assert_eq!(widgetry_registry_sha(&bytes), f);
    }
}

fn widgetry_registry_sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn collects_only_unreferenced_old_blobs(env: Env) {
    let r = &env.registry;
    let (_, _, alice) = env.user("alice@acme.io", "acme", Role::Admin).await;
    let (integration, _) = env.integration(&alice).await;
    let out = r
        .upload_version(
            &alice,
            integration.id,
            &widget_zip(&Widget::version("1.0.0")),
            Lang::En,
        )
        .await
        .unwrap();
    let referenced = env.blob_count().await;
    // What a refused or interrupted upload leaves behind.
    let orphans = [
        r.blobs()
            .put(Bytes::from_static(b"orphan one"))
            .await
            .unwrap(),
        r.blobs()
            .put(Bytes::from_static(b"orphan two"))
            .await
            .unwrap(),
    ];
    assert_eq!(env.blob_count().await, referenced + 2);

    // Everything is younger than an hour: nothing goes.
    let report = r.collect_garbage(GcOptions::default()).await.unwrap();
    assert_eq!(report.scanned as usize, referenced + 2);
    assert_eq!(report.recent as usize, referenced + 2);
    assert_eq!(report.deleted, 0);
    // A dry run says what would go and deletes nothing.
    let report = r
        .collect_garbage(GcOptions {
            dry_run: true,
            ..NOW
        })
        .await
        .unwrap();
    assert_eq!(report.deleted, 2);
    assert_eq!(report.deleted_bytes, 20);
    assert_eq!(report.referenced as usize, referenced);
    assert!(report.dry_run);
    assert_eq!(env.blob_count().await, referenced + 2);
    // For real: the orphans go, the version keeps every blob.
    let report = r.collect_garbage(NOW).await.unwrap();
    assert_eq!((report.deleted, report.deleted_bytes), (2, 20));
    assert_eq!(report.referenced as usize, referenced);
    assert_eq!(env.blob_count().await, referenced);
    for orphan in &orphans {
        assert!(!r.blobs().exists(orphan).await.unwrap());
    }
    assert_complete(r, out.version.id, &out.version.archive_sha256).await;
    // Nothing left to collect.
    assert_eq!(r.collect_garbage(NOW).await.unwrap().deleted, 0);
}

/// A store that, once armed, runs a collection right after storing the blob it waits for,
/// as if the collector ran between an upload's blob writes and its commit.
#[derive(Debug)]
struct CollectorInTheMiddle {
    inner: Arc<dyn BlobStore>,
    registry: OnceLock<Registry>,
    /// The blob to wait for; taken when the collection runs (once).
    trigger: Mutex<Option<String>>,
    report: Mutex<Option<widgetry_registry::GcReport>>,
}

impl BlobStore for CollectorInTheMiddle {
    fn put(&self, bytes: Bytes) -> BoxFuture<'_, std::io::Result<String>> {
        Box::pin(async move {
            let sha = self.inner.put(bytes).await?;
            let fire = {
                let mut trigger = self.trigger.lock().unwrap();
                if trigger.as_deref() == Some(sha.as_str()) {
                    trigger.take()
                } else {
                    None
                }
            };
            if fire.is_some() {
                let registry = self.registry.get().unwrap();
                let report = registry.collect_garbage(NOW).await.unwrap();
                *self.report.lock().unwrap() = Some(report);
            }
            Ok(sha)
        })
    }
    fn get(&self, sha256: &str) -> BoxFuture<'_, std::io::Result<Option<Bytes>>> {
        self.inner.get(sha256)
    }
    fn open(&self, sha256: &str) -> BoxFuture<'_, std::io::Result<Option<ByteStream>>> {
        self.inner.open(sha256)
    }
    fn exists(&self, sha256: &str) -> BoxFuture<'_, std::io::Result<bool>> {
        self.inner.exists(sha256)
    }
    fn delete(&self, sha256: &str) -> BoxFuture<'_, std::io::Result<bool>> {
        self.inner.delete(sha256)
    }
    fn list(&self) -> BlobListing {
        self.inner.list()
    }
    fn check(&self) -> BoxFuture<'_, std::io::Result<()>> {
        self.inner.check()
    }
    fn describe(&self) -> String {
        self.inner.describe()
    }
}

async fn an_upload_committing_while_the_collector_runs_keeps_its_blobs(env: Env) {
    let hooked = Arc::new(CollectorInTheMiddle {
        inner: env.registry.blobs().clone(),
        registry: OnceLock::new(),
        trigger: Mutex::new(None),
        report: Mutex::new(None),
    });
    let keys = widgetry_registry::SecretBox::load_or_generate(&env.dir.path().join("secrets.key"))
        .unwrap()
        .0;
    let registry = Registry::open_with(&env.url, hooked.clone(), keys)
        .await
        .unwrap();
    hooked.registry.set(registry.clone()).unwrap();
    let (_, _, alice) = env.user("alice@acme.io", "acme", Role::Admin).await;
    let (integration, _) = env.integration(&alice).await;
    let first = registry
        .upload_version(
            &alice,
            integration.id,
            &widget_zip(&Widget::version("1.0.0")),
            Lang::En,
        )
        .await
        .unwrap();

    // The second upload's archive is its last blob: the collector runs right after it is
    // written, before the version row exists, and deletes the new blobs (the archive and the
    // changed manifest), which no row names yet.
    let archive = widget_zip(&Widget::version("1.0.1"));
    *hooked.trigger.lock().unwrap() = Some(widgetry_registry_sha(&archive));
    let second = registry
        .upload_version(&alice, integration.id, &archive, Lang::En)
        .await
        .unwrap();
    let report = hooked
        .report
        .lock()
        .unwrap()
        .clone()
        .expect("the collector ran during the upload");
    assert!(
        report.deleted >= 2,
        "the collector deleted the upload's new blobs mid-flight: {report:?}"
    );
    // The upload noticed and wrote them again: both versions are whole.
    assert_complete(&registry, second.version.id, &second.version.archive_sha256).await;
    assert_complete(&registry, first.version.id, &first.version.archive_sha256).await;
    assert_eq!(second.version.number, 2);
    // And a later collection finds nothing of theirs to take.
    let after = registry.collect_garbage(NOW).await.unwrap();
    assert_eq!(after.deleted, 0, "{after:?}");
}
