//! Blob storage: content-addressed bytes (archives and every file of a version), named by
//! their SHA-256. [`BlobStore`] is the interface the domain code uses; [`LocalBlobStore`] keeps
//! blobs in a folder. An S3-compatible store can implement the same trait later.

use crate::util::{is_sha256, random_hex, sha256_hex};
use std::fs::{self, File};
use std::future::Future;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::pin::Pin;

/// A boxed, sendable future (keeps [`BlobStore`] usable as `dyn BlobStore`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Content-addressed blob storage. Every method is idempotent.
///
/// Durability contract: when [`put`](BlobStore::put) returns `Ok`, the blob is on stable
/// storage, so a database row naming it may commit.
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores bytes and returns their SHA-256 (lowercase hex). Storing bytes that are already
    /// there does nothing.
    fn put(&self, bytes: Vec<u8>) -> BoxFuture<'_, io::Result<String>>;

    /// The bytes of a blob, `None` when there is no such blob.
    fn get(&self, sha256: &str) -> BoxFuture<'_, io::Result<Option<Vec<u8>>>>;

    /// Whether a blob exists.
    fn exists(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>>;

    /// Deletes a blob (for garbage collection); `false` when it was not there.
    fn delete(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>>;

    /// The blob's path on the local file system, when the store has one (lets the server
    /// stream a file instead of reading it into memory).
    fn local_path(&self, _sha256: &str) -> Option<PathBuf> {
        None
    }
}

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

    /// Stores bytes synchronously (see [`BlobStore::put`]).
    pub fn put_blocking(&self, bytes: &[u8]) -> io::Result<String> {
        let sha = sha256_hex(bytes);
        let path = self
            .path_of(&sha)
            .ok_or_else(|| io::Error::other("bad digest"))?;
        if path.is_file() {
            return Ok(sha);
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
    fn put(&self, bytes: Vec<u8>) -> BoxFuture<'_, io::Result<String>> {
        let store = self.clone();
        Box::pin(blocking(move || store.put_blocking(&bytes)))
    }

    fn get(&self, sha256: &str) -> BoxFuture<'_, io::Result<Option<Vec<u8>>>> {
        let (store, sha) = (self.clone(), sha256.to_string());
        Box::pin(blocking(move || store.get_blocking(&sha)))
    }

    fn exists(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>> {
        let path = self.path_of(sha256);
        Box::pin(blocking(move || Ok(path.is_some_and(|p| p.is_file()))))
    }

    fn delete(&self, sha256: &str) -> BoxFuture<'_, io::Result<bool>> {
        let (store, sha) = (self.clone(), sha256.to_string());
        Box::pin(blocking(move || store.delete_blocking(&sha)))
    }

    fn local_path(&self, sha256: &str) -> Option<PathBuf> {
        self.path_of(sha256)
    }
}

/// The content type served for a widget file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "html" | "htm" => "text/html; charset=utf-8",
        "twig" | "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "xhtml" | "xht" => "application/xhtml+xml",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "map" => "application/json",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
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
    fn content_types() {
        assert_eq!(content_type("script.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("images/logo.PNG"), "image/png");
        assert_eq!(
            content_type("templates/a.twig"),
            "text/plain; charset=utf-8"
        );
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
