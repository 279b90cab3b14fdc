//! Blobs in a local folder: `<root>/ab/cd/<sha256>`, each written to `<root>/tmp/` first,
//! synced, renamed into place, and its folder synced, so a blob is on disk before any row
//! names it. For one server process (several processes need a shared object store).

use super::{BlobInfo, BlobListing, BlobStore, BoxFuture, ByteStream};
use crate::util::{is_sha256, random_hex, sha256_hex};
use bytes::Bytes;
use futures_util::StreamExt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Chunk size when a blob is streamed.
const READ_CHUNK: usize = 64 * 1024;

/// Blobs in a local folder: `<root>/ab/cd/<sha256>`, written to `<root>/tmp/` first, synced,
/// renamed into place, and the folder synced.
///
/// Temporary files left by a crash are removed by [`LocalBlobStore::open`]; the folder is
/// meant to be owned by one server process (several processes need a shared object store).
#[derive(Debug, Clone)]
pub struct LocalBlobStore {
    root: PathBuf,
}

impl LocalBlobStore {
    /// Opens (creating if needed) a blob folder and removes leftover temporary files.
    pub fn open(root: impl Into<PathBuf>) -> io::Result<LocalBlobStore> {
        let store = LocalBlobStore { root: root.into() };
        fs::create_dir_all(store.tmp_dir())?;
        let removed = store.clean_temp()?;
        if removed > 0 {
            tracing::info!(removed, root = %store.root.display(), "removed leftover temporary blob files");
        }
        Ok(store)
    }

    /// The folder the store lives in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder of temporary files.
    pub fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Removes every temporary file and returns how many there were.
    pub fn clean_temp(&self) -> io::Result<usize> {
        let mut removed = 0;
        for entry in fs::read_dir(self.tmp_dir())? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                fs::remove_file(entry.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Where a blob lives, `None` for a name that is not a lowercase SHA-256.
    pub fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256(sha256).then(|| {
            self.root
                .join(&sha256[0..2])
                .join(&sha256[2..4])
                .join(sha256)
        })
    }

    /// Stores bytes synchronously (see [`BlobStore::put`]). Bytes already there are not
    /// written again; their modification time is refreshed instead.
    pub fn put_blocking(&self, bytes: &[u8]) -> io::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self
            .path_of(&sha)
            .ok_or_else(|| io::Error::other("bad digest"))?;
        if path.is_file() {
            match File::options().write(true).open(&path) {
                Ok(f) => f.set_modified(SystemTime::now())?,
                // Removed meanwhile: write it below.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            if path.is_file() {
                return Ok(sha);
            }
        }
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::other("blob path has no parent"))?;
        if !dir.is_dir() {
            fs::create_dir_all(dir)?;
            // Make the new folder entries durable: `ab/cd` in `ab`, `ab` in the root.
            if let Some(ab) = dir.parent() {
                sync_dir(ab)?;
            }
            sync_dir(&self.root)?;
        }
        let tmp = self.tmp_dir().join(format!("{sha}.{}.tmp", random_hex(8)));
        let result = (|| {
            let mut file = File::create(&tmp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&tmp, &path)?;
            sync_dir(dir)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result.map(|()| sha)
    }

    fn get_blocking(&self, sha256: &str) -> io::Result<Option<Vec<u8>>> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(None);
        };
        match fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every blob under the root (sharded folders `ab/cd/`), with size and modification time.
    fn list_blocking(&self) -> io::Result<Vec<BlobInfo>> {
        let mut out = Vec::new();
        for shard in fs::read_dir(&self.root)? {
            let shard = shard?;
            if !shard.file_type()?.is_dir() || shard.file_name().len() != 2 {
                continue;
            }
            for sub in fs::read_dir(shard.path())? {
                let sub = sub?;
                if !sub.file_type()?.is_dir() {
                    continue;
                }
                for blob in fs::read_dir(sub.path())? {
                    let blob = blob?;
                    let name = blob.file_name().to_string_lossy().into_owned();
                    if !is_sha256(&name) {
                        continue;
                    }
                    let meta = match blob.metadata() {
                        Ok(m) => m,
                        // Deleted while listing.
                        Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                        Err(e) => return Err(e),
                    };
                    let modified_ms = meta
                        .modified()?
                        .duration_since(SystemTime::UNIX_EPOCH)
                        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
                    out.push(BlobInfo {
                        sha256: name,
                        size: meta.len(),
                        modified_ms,
                    });
                }
            }
        }
        Ok(out)
    }

    fn delete_blocking(&self, sha256: &str) -> io::Result<bool> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(false);
        };
        match fs::remove_file(&path) {
            Ok(()) => {
                if let Some(dir) = path.parent() {
                    sync_dir(dir)?;
                }
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(io::Error::other)?
}

impl BlobStore for LocalBlobStore {
    fn put(&self, bytes: Bytes) -> BoxFuture<'_, io::Result<String>> {
        let store = self.clone();
        Box::pin(blocking(move || store.put_blocking(&bytes)))
    }

    fn get(&self, sha256: &str) -> BoxFuture<'_, io::Result<Option<Bytes>>> {
        let (store, sha) = (self.clone(), sha256.to_string());
        Box::pin(async move {
            Ok(blocking(move || store.get_blocking(&sha))
                .await?
                .map(Bytes::from))
        })
    }

    fn open(&self, sha256: &str) -> BoxFuture<'_, io::Result<Option<ByteStream>>> {
        let path = self.path_of(sha256);
        Box::pin(async move {
            let Some(path) = path else { return Ok(None) };
            match tokio::fs::File::open(path).await {
                Ok(file) => {
                    let stream: ByteStream = Box::pin(tokio_util::io::ReaderStream::with_capacity(
                        file, READ_CHUNK,
                    ));
                    Ok(Some(stream))
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        })
    }

    fn exists(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>> {
        let path = self.path_of(sha256);
        Box::pin(blocking(move || Ok(path.is_some_and(|p| p.is_file()))))
    }

    fn delete(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>> {
        let (store, sha) = (self.clone(), sha256.to_string());
        Box::pin(blocking(move || store.delete_blocking(&sha)))
    }

    fn list(&self) -> BlobListing {
        let store = self.clone();
        Box::pin(
            futures_util::stream::once(blocking(move || store.list_blocking())).flat_map(
                |listed| {
                    let items: Vec<io::Result<BlobInfo>> = match listed {
                        Ok(items) => items.into_iter().map(Ok).collect(),
                        Err(e) => vec![Err(e)],
                    };
                    futures_util::stream::iter(items)
                },
            ),
        )
    }

    fn check(&self) -> BoxFuture<'_, io::Result<()>> {
        let tmp = self.tmp_dir();
        Box::pin(blocking(move || {
            if fs::metadata(&tmp)?.is_dir() {
                Ok(())
            } else {
                Err(io::Error::other(format!(
                    "`{}` is not a folder",
                    tmp.display()
                )))
            }
        }))
    }

    fn describe(&self) -> String {
        format!("local folder {}", self.root.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_is_idempotent_and_content_addressed() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalBlobStore::open(dir.path().join("blobs")).unwrap();
        let a = store.put_blocking(b"hello").unwrap();
        let b = store.put_blocking(b"hello").unwrap();
        assert_eq!(a, b);
        let path = store.path_of(&a).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"hello");
        assert!(path.starts_with(dir.path().join("blobs").join(&a[0..2]).join(&a[2..4])));
        assert_eq!(store.get_blocking(&a).unwrap().unwrap(), b"hello");
        assert_eq!(store.list_blocking().unwrap().len(), 1);
        assert_eq!(store.list_blocking().unwrap()[0].sha256, a);
        assert_eq!(store.get_blocking(&"0".repeat(64)).unwrap(), None);
        assert_eq!(store.path_of("../etc/passwd"), None);
        assert!(store.delete_blocking(&a).unwrap());
        assert!(!store.delete_blocking(&a).unwrap());
    }

    #[test]
    fn open_cleans_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("blobs");
        let store = LocalBlobStore::open(&root).unwrap();
        fs::write(store.tmp_dir().join("x.tmp"), b"partial").unwrap();
        let _ = LocalBlobStore::open(&root).unwrap();
        assert_eq!(fs::read_dir(root.join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn storing_again_refreshes_the_modification_time() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalBlobStore::open(dir.path().join("blobs")).unwrap();
        let sha = store.put_blocking(b"again").unwrap();
        let path = store.path_of(&sha).unwrap();
        let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        store.put_blocking(b"again").unwrap();
        assert!(fs::metadata(&path).unwrap().modified().unwrap() > old);
    }
}
