//! In-memory caches of the files origin, so a hot file costs neither a database query nor a
//! read from the blob store. Both are bounded `moka` caches (least recently and frequently
//! used entries leave first).
//!
//! - Where a file lives (`code`, `version`, `path` -> blob, type, size, public or not). A
//!   version's files never change, only its visibility (private -> public on approval), so a
//!   public location is kept for an hour and a private one (reached through a signed URL) for
//!   ten seconds: a public request never trusts a cached "private" for long.
//! - Blob bytes by SHA-256 (content-addressed, immutable): small files only, 64 MiB in total.
//!   Larger files stream from the store on every request.

use bytes::Bytes;
use std::time::{Duration, Instant};
use widgetry_registry::FileRef;

/// Most bytes of blobs kept.
const MAX_BLOB_BYTES: u64 = 64 * 1024 * 1024;
/// Larger blobs are never kept.
pub const MAX_CACHED_BLOB: u64 = 1024 * 1024;
/// How long a public file's location is kept.
const PUBLIC_REF_TTL: Duration = Duration::from_secs(3600);
/// How long a private file's location is kept.
const PRIVATE_REF_TTL: Duration = Duration::from_secs(10);
/// Most file locations kept.
const MAX_REFS: u64 = 100_000;

/// Keeps each location for its own time: public ones long, private ones briefly.
struct RefExpiry;

impl moka::Expiry<String, FileRef> for RefExpiry {
    fn expire_after_create(&self, _: &String, file: &FileRef, _: Instant) -> Option<Duration> {
        Some(if file.public {
            PUBLIC_REF_TTL
        } else {
            PRIVATE_REF_TTL
        })
    }
}

/// The caches; cheap to share behind the application state.
pub struct FileCache {
    refs: moka::sync::Cache<String, FileRef>,
    blobs: moka::sync::Cache<String, Bytes>,
}

impl Default for FileCache {
    fn default() -> Self {
        FileCache {
            refs: moka::sync::Cache::builder()
                .max_capacity(MAX_REFS)
                .expire_after(RefExpiry)
                .build(),
            blobs: moka::sync::Cache::builder()
                .max_capacity(MAX_BLOB_BYTES)
                .weigher(|_: &String, bytes: &Bytes| u32::try_from(bytes.len()).unwrap_or(u32::MAX))
                .build(),
        }
    }
}

fn ref_key(code: &str, version: &str, path: &str) -> String {
    let mut key = String::with_capacity(code.len() + version.len() + path.len() + 2);
    key.push_str(code);
    key.push('\n');
    key.push_str(version);
    key.push('\n');
    key.push_str(path);
    key
}

impl FileCache {
    /// Where a file lives, if looked up recently.
    pub fn file_ref(&self, code: &str, version: &str, path: &str) -> Option<FileRef> {
        self.refs.get(&ref_key(code, version, path))
    }

    /// Remembers where a file lives.
    pub fn remember_ref(&self, code: &str, version: &str, path: &str, file: &FileRef) {
        self.refs.insert(ref_key(code, version, path), file.clone());
    }

    /// A blob's bytes, if kept.
    pub fn blob(&self, sha256: &str) -> Option<Bytes> {
        self.blobs.get(sha256)
    }

    /// Keeps a small blob's bytes.
    pub fn remember_blob(&self, sha256: &str, bytes: &Bytes) {
        if bytes.len() as u64 <= MAX_CACHED_BLOB {
            self.blobs.insert(sha256.to_string(), bytes.clone());
        }
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
            account_id: widgetry_registry::AccountId(1),
        }
    }

    #[test]
    fn locations_are_kept_by_code_version_and_path() {
        let cache = FileCache::default();
        cache.remember_ref("w", "1.0", "script.js", &file(true));
        assert_eq!(cache.file_ref("w", "1.0", "script.js"), Some(file(true)));
        assert!(cache.file_ref("w", "1.1", "script.js").is_none());
        // The separator cannot be confused with a path: `w` + `1.0\nx` is another key.
        assert!(cache.file_ref("w", "1.0\nscript.js", "").is_none());
    }

    #[test]
    fn blobs_are_bounded_and_large_ones_never_kept() {
        let cache = FileCache::default();
        let big = Bytes::from(vec![0u8; MAX_CACHED_BLOB as usize]);
        for i in 0..(MAX_BLOB_BYTES / MAX_CACHED_BLOB + 16) {
            cache.remember_blob(&format!("{i:064}"), &big);
        }
        cache.blobs.run_pending_tasks();
        assert!(cache.blobs.weighted_size() <= MAX_BLOB_BYTES);
        cache.remember_blob(
            "huge",
            &Bytes::from(vec![0u8; MAX_CACHED_BLOB as usize + 1]),
        );
        assert!(cache.blob("huge").is_none());
    }
}
