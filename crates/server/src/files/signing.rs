//! Signed URL prefixes for widget files only the owner account may fetch.
//!
//! A prefix is `~{expires}.{signature}`, placed after the code and version:
//! `{files-url}/{code}/{version}/~{expires}.{signature}/script.js`. The signature is an
//! HMAC-SHA256 over the code, the version and the expiry (unix seconds), truncated to 128 bits
//! and written as 32 lowercase hex digits. It does not cover the file path, so the widget's own
//! relative requests (`params.path + '/templates/x.twig'`) keep working under the same prefix.
//! Verifying one costs an HMAC, no database query.
//!
//! The key is 32 random bytes kept as 64 hex digits in a file (`--url-signing-key-file`,
//! generated into the data folder on first start, mode 0600). Every server process of one
//! service must use the same key; the registry records its fingerprint so that a process
//! started with another key refuses to start instead of signing URLs the others reject.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of the key.
const KEY_BYTES: usize = 32;
/// Bytes of the HMAC kept in a URL.
const SIGNATURE_BYTES: usize = 16;

/// Why the signing key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing the key file failed.
    #[error("{context} `{path}`: {source}")]
    Io {
        /// What was being done.
        context: &'static str,
        /// The key file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file does not hold a key.
    #[error(
        "`{path}` does not hold a URL-signing key: it must hold at least {KEY_BYTES} bytes as hex digits (create one with `openssl rand -hex 32`)"
    )]
    Malformed {
        /// The key file.
        path: String,
    },
}

/// Signs and verifies URL prefixes. Cheap to clone.
#[derive(Clone)]
pub struct UrlSigner {
    mac: HmacSha256,
    fingerprint: String,
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UrlSigner")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl UrlSigner {
    /// A signer with the given key bytes; `None` for a key shorter than 32 bytes.
    pub fn new(key: &[u8]) -> Option<UrlSigner> {
        if key.len() < KEY_BYTES {
            return None;
        }
        let digest = Sha256::new()
            .chain_update(b"widgetry url-signing key fingerprint\n")
            .chain_update(key)
            .finalize();
        Some(UrlSigner {
            // HMAC takes keys of any length.
            mac: <HmacSha256 as Mac>::new_from_slice(key).ok()?,
            fingerprint: hex::encode(&digest[..8]),
        })
    }

    /// Loads the key from `path`, generating it (mode 0600) when the file does not exist.
    /// Returns the signer and whether the key was generated now.
    pub fn load_or_generate(path: &Path) -> Result<(UrlSigner, bool), KeyError> {
        let shown = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => {
                warn_if_readable_by_others(path);
                let signer = unhex(text.trim())
                    .and_then(|key| UrlSigner::new(&key))
                    .ok_or(KeyError::Malformed { path: shown })?;
                Ok((signer, false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; KEY_BYTES] = rand::random();
                match write_new_key(path, &key) {
                    Ok(()) => UrlSigner::new(&key)
                        .map(|s| (s, true))
                        .ok_or(KeyError::Malformed { path: shown }),
                    // Another process sharing the data folder created it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        UrlSigner::load_or_generate(path)
                    }
                    Err(source) => Err(KeyError::Io {
                        context: "writing the URL-signing key",
                        path: shown,
                        source,
                    }),
                }
            }
            Err(source) => Err(KeyError::Io {
                context: "reading the URL-signing key",
                path: shown,
                source,
            }),
        }
    }

    /// A short, non-secret name of the key (hex), the same in every process using it.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    fn mac(&self, code: &str, version: &str, expires: u64) -> HmacSha256 {
        let mut mac = self.mac.clone();
        mac.update(b"widgetry files v1\n");
        mac.update(code.as_bytes());
        mac.update(b"\n");
        mac.update(version.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    /// The prefix segment `~{expires}.{signature}` for a version's files.
    pub fn sign(&self, code: &str, version: &str, expires: u64) -> String {
        let tag = self.mac(code, version, expires).finalize().into_bytes();
        format!("~{expires}.{}", hex::encode(&tag[..SIGNATURE_BYTES]))
    }

    /// The expiry of a prefix segment (without its `~`) that is a valid signature for this code
    /// and version and has not expired at `now` (unix seconds); `None` otherwise.
    pub fn verify(&self, code: &str, version: &str, segment: &str, now: u64) -> Option<u64> {
        let (expires, signature) = segment.split_once('.')?;
        if expires.is_empty() || expires.len() > 12 || !expires.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let expires: u64 = expires.parse().ok()?;
        if expires <= now {
            return None;
        }
        let given = unhex(signature)?;
        if given.len() != SIGNATURE_BYTES {
            return None;
        }
        // Compares in constant time.
        self.mac(code, version, expires)
            .verify_truncated_left(&given)
            .ok()
            .map(|()| expires)
    }
}

/// Hex digits to bytes; `None` when they are not, or longer than any key or signature.
fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() > 256 {
        return None;
    }
    hex::decode(s).ok()
}

/// Writes a new key file with mode 0600, failing with `AlreadyExists` when one appeared
/// meanwhile. The key is written to a temporary file first and linked into place, so no
/// other process ever reads a half-written key.
fn write_new_key(path: &Path, key: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = dir.unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".url-signing-key.");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    writeln!(tmp, "{}", hex::encode(key))?;
    tmp.as_file().sync_all()?;
    std::fs::hard_link(tmp.path(), path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(
            path = %path.display(),
            mode = format!("{:o}", meta.permissions().mode() & 0o777),
            "the URL-signing key file is readable by other users; `chmod 600` it"
        );
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> UrlSigner {
        UrlSigner::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn a_signature_verifies_for_its_code_version_and_expiry_only() {
        let s = signer();
        let seg = s.sign("deal_notes_x7k2qa", "1.0.0", 2_000);
        let inner = seg.strip_prefix('~').unwrap();
        assert_eq!(
            s.verify("deal_notes_x7k2qa", "1.0.0", inner, 1_000),
            Some(2_000)
        );
        // Expired, or expiring now.
        assert_eq!(s.verify("deal_notes_x7k2qa", "1.0.0", inner, 2_000), None);
        // Another code or version.
        assert_eq!(s.verify("deal_notes_x7k2qb", "1.0.0", inner, 1_000), None);
        assert_eq!(s.verify("deal_notes_x7k2qa", "1.0.1", inner, 1_000), None);
        // A later expiry with the same signature.
        let (_, sig) = inner.split_once('.').unwrap();
        assert_eq!(
            s.verify("deal_notes_x7k2qa", "1.0.0", &format!("3000.{sig}"), 1_000),
            None
        );
        // Another key.
        assert_eq!(
            UrlSigner::new(&[8u8; 32])
                .unwrap()
                .verify("deal_notes_x7k2qa", "1.0.0", inner, 1_000),
            None
        );
    }

    #[test]
    fn malformed_segments_are_refused() {
        let s = signer();
        let seg = s.sign("w", "1.0", 2_000);
        let inner = seg.strip_prefix('~').unwrap();
        let (_, sig) = inner.split_once('.').unwrap();
        for bad in [
            "",
            ".",
            "2000",
            &format!("2000.{}", &sig[..30]),
            &format!("2000.{sig}00"),
            &format!("+2000.{sig}"),
            &format!("02000.{sig}x"),
            &format!("99999999999999999999.{sig}"),
            &format!(
                "2000.{}",
                sig.to_uppercase()
                    .replace(|c: char| c.is_ascii_digit(), "G")
            ),
        ] {
            assert_eq!(s.verify("w", "1.0", bad, 1_000), None, "{bad}");
        }
    }

    #[test]
    fn a_key_file_is_generated_once_with_mode_0600_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("url-signing.key");
        let (a, created) = UrlSigner::load_or_generate(&path).unwrap();
        assert!(created);
        let (b, created) = UrlSigner::load_or_generate(&path).unwrap();
        assert!(!created);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.sign("w", "1.0", 5), b.sign("w", "1.0", 5));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // No temporary file is left beside it.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
    }

    #[test]
    fn a_short_or_garbled_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        std::fs::write(&path, "abcd\n").unwrap();
        assert!(matches!(
            UrlSigner::load_or_generate(&path),
            Err(KeyError::Malformed { .. })
        ));
        std::fs::write(&path, "zz".repeat(32)).unwrap();
        assert!(UrlSigner::load_or_generate(&path).is_err());
        std::fs::write(&path, format!("  {}\n", "ab".repeat(32))).unwrap();
        assert!(UrlSigner::load_or_generate(&path).is_ok());
    }
}
