//! An in-memory cache for widget files, so a hot file costs neither a database query nor a
//! disk read. Blobs are content-addressed and immutable, so their bytes can be kept as long
//! as there is room (bounded in total, large files never kept). Where a public file lives
//! (`code`, `version`, `path` -> blob) is cached for a few seconds only, and only for files
//! anyone may read, so no private answer is ever served from it.

use bytes::Bytes;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use widgetry_registry::FileRef;

/// Most bytes of blobs kept.
const MAX_BLOB_BYTES: usize = 64 * 1024 * 1024;
/// Larger blobs are never kept.
const MAX_CACHED_BLOB: usize = 2 * 1024 * 1024;
/// How long a public file's location is trusted without asking the database again.
const REF_TTL: Duration = Duration::from_secs(10);
/// Most public file locations kept.
const MAX_REFS: usize = 50_000;

type RefKey = (String, String, String);

/// The cache; cheap to share behind the application state.
#[derive(Default)]
pub struct FileCache {
    blobs: Mutex<Blobs>,
    refs: Mutex<HashMap<RefKey, (Instant, FileRef)>>,
}

#[derive(Default)]
struct Blobs {
    bytes: HashMap<String, Bytes>,
    order: VecDeque<String>,
    total: usize,
}

impl FileCache {
    /// The location of a public file, if looked up less than [`REF_TTL`] ago.
    pub fn public_ref(&self, code: &str, version: &str, path: &str) -> Option<FileRef> {
        let refs = self.refs.lock().ok()?;
        let key = (code.to_string(), version.to_string(), path.to_string());
        refs.get(&key)
            .filter(|(at, _)| at.elapsed() < REF_TTL)
            .map(|(_, f)| f.clone())
    }

    /// Remembers where a file is, when anyone may read it.
    pub fn remember_ref(&self, code: &str, version: &str, path: &str, file: &FileRef) {
        if !file.public {
            return;
        }
        if let Ok(mut refs) = self.refs.lock() {
            if refs.len() >= MAX_REFS {
                refs.clear();
            }
            refs.insert(
                (code.to_string(), version.to_string(), path.to_string()),
                (Instant::now(), file.clone()),
            );
        }
    }

    /// A blob's bytes, if kept.
    pub fn blob(&self, sha256: &str) -> Option<Bytes> {
        self.blobs.lock().ok()?.bytes.get(sha256).cloned()
    }

    /// Keeps a blob's bytes, dropping the oldest ones past the size bound.
    pub fn remember_blob(&self, sha256: &str, bytes: &Bytes) {
        if bytes.len() > MAX_CACHED_BLOB {
            return;
        }
        let Ok(mut blobs) = self.blobs.lock() else {
            return;
        };
        if blobs.bytes.contains_key(sha256) {
            return;
        }
        while blobs.total + bytes.len() > MAX_BLOB_BYTES {
            let Some(oldest) = blobs.order.pop_front() else {
                break;
            };
            if let Some(b) = blobs.bytes.remove(&oldest) {
                blobs.total -= b.len();
            }
        }
        blobs.total += bytes.len();
        blobs.order.push_back(sha256.to_string());
        blobs.bytes.insert(sha256.to_string(), bytes.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(public: bool) -> FileRef {
        FileRef {
            sha256: "ab".repeat(32),
            size: 3,
            content_type: "text/plain".into(),
            public,
        }
    }

    #[test]
    fn only_public_locations_are_remembered() {
        let cache = FileCache::default();
        cache.remember_ref("w", "1.0", "script.js", &file(false));
        assert!(cache.public_ref("w", "1.0", "script.js").is_none());
        cache.remember_ref("w", "1.0", "script.js", &file(true));
        assert_eq!(cache.public_ref("w", "1.0", "script.js"), Some(file(true)));
        assert!(cache.public_ref("w", "1.1", "script.js").is_none());
    }

    #[test]
    fn blobs_are_bounded_oldest_first() {
        let cache = FileCache::default();
        let big = Bytes::from(vec![0u8; MAX_CACHED_BLOB]);
        for i in 0..(MAX_BLOB_BYTES / MAX_CACHED_BLOB + 3) {
            cache.remember_blob(&format!("{i:064}"), &big);
        }
        assert!(cache.blob(&format!("{:064}", 0)).is_none());
        let last = MAX_BLOB_BYTES / MAX_CACHED_BLOB + 2;
        assert!(cache.blob(&format!("{last:064}")).is_some());
        let total = cache.blobs.lock().unwrap().total;
        assert!(total <= MAX_BLOB_BYTES);
        cache.remember_blob("huge", &Bytes::from(vec![0u8; MAX_CACHED_BLOB + 1]));
        assert!(cache.blob("huge").is_none());
    }
}
