//! Secrets that must stay readable (webhook signing secrets, moderators' test credentials),
//! encrypted at rest with XChaCha20-Poly1305 under a key kept in a file beside the server,
//! not in the database: a copy of the database (a backup, a replica, a leaked dump) holds
//! them only as ciphertext.
//!
//! The key file (`--secrets-key-file`, by default `secrets.key` in the data folder, generated
//! on first start with mode 0600) holds one key per line as 64 hex digits, the one in use
//! first; older lines still decrypt. A stored secret reads `wgs1:<key id>:<nonce>:<ciphertext>`
//! (hex), the key id being the first 8 bytes of the key's SHA-256. The registry records the
//! key in use's id, so a process started with another key refuses to start.
//! `widgetry admin rotate-secrets-key` re-encrypts every secret under a new key.

use crate::error::{Error, Result};
use crate::util::sha256_hex;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::io::Write;
use std::path::Path;

/// The prefix of a stored secret.
const PREFIX: &str = "wgs1";
/// Bytes of a key.
const KEY_BYTES: usize = 32;
/// Bytes of a nonce.
const NONCE_BYTES: usize = 24;

/// One key and its id.
#[derive(Clone)]
struct Key {
    id: String,
    bytes: [u8; KEY_BYTES],
    cipher: XChaCha20Poly1305,
}

impl Key {
    fn new(bytes: [u8; KEY_BYTES]) -> Key {
        Key {
            id: sha256_hex(&bytes)[..16].to_string(),
            cipher: XChaCha20Poly1305::new(&bytes.into()),
            bytes,
        }
    }
}

/// The keys secrets are sealed and opened with; the first one seals.
#[derive(Clone)]
pub struct SecretBox {
    keys: Vec<Key>,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("SecretBox").field("keys", &ids).finish()
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    hex::decode(s).ok()
}

fn malformed(path: &Path) -> Error {
    Error::Config(format!(
        "`{}` does not hold secrets keys: one per line, {KEY_BYTES} bytes as 64 hex digits",
        path.display()
    ))
}

impl SecretBox {
    /// A box with one new random key (tests, and the first start).
    pub fn generate() -> SecretBox {
        SecretBox {
            keys: vec![Key::new(rand::random())],
        }
    }

    /// The id of the key that seals (its fingerprint; not secret).
    pub fn key_id(&self) -> &str {
        self.keys.first().map_or("", |k| k.id.as_str())
    }

    /// Reads the keys from `path`, or, when it does not exist, generates one and writes it
    /// there (mode 0600). Returns the box and whether the key was generated now.
    pub fn load_or_generate(path: &Path) -> Result<(SecretBox, bool)> {
        match std::fs::read_to_string(path) {
            Ok(text) => Ok((
                SecretBox::parse(&text).ok_or_else(|| malformed(path))?,
                false,
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let b = SecretBox::generate();
                match b.write_new(path) {
                    Ok(()) => Ok((b, true)),
                    // Another process sharing the folder wrote it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        SecretBox::load_or_generate(path)
                    }
                    Err(e) => Err(Error::Blob(e)),
                }
            }
            Err(e) => Err(Error::Blob(e)),
        }
    }

    fn parse(text: &str) -> Option<SecretBox> {
        let keys = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let bytes: [u8; KEY_BYTES] = unhex(l)?.try_into().ok()?;
                Some(Key::new(bytes))
            })
            .collect::<Option<Vec<Key>>>()?;
        (!keys.is_empty()).then_some(SecretBox { keys })
    }

    fn file_text(&self) -> String {
        self.keys
            .iter()
            .map(|k| hex::encode(k.bytes) + "\n")
            .collect()
    }

    /// Writes the keys to a new file `path` (mode 0600), failing with `AlreadyExists` when it
    /// exists. Written to a temporary file and linked into place, so no reader sees half.
    fn write_new(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = temporary_key_file(dir, &self.file_text())?;
        std::fs::hard_link(tmp.path(), path)?;
        sync_dir(dir);
        Ok(())
    }

    /// Replaces the key file at `path` with these keys (mode 0600), atomically.
    pub fn replace_file(&self, path: &Path) -> Result<()> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new("."));
        let tmp = temporary_key_file(dir, &self.file_text()).map_err(Error::Blob)?;
        tmp.persist(path).map_err(|e| Error::Blob(e.error))?;
        sync_dir(dir);
        Ok(())
    }

    /// A box whose first key is a new one, the current ones still opening.
    pub fn with_new_key(&self) -> SecretBox {
        let mut keys = vec![Key::new(rand::random())];
        keys.extend(self.keys.iter().cloned());
        SecretBox { keys }
    }

    /// The same box with only its sealing key.
    pub fn current_only(&self) -> SecretBox {
        SecretBox {
            keys: self.keys.iter().take(1).cloned().collect(),
        }
    }

    /// Encrypts a secret for storage.
    pub fn seal(&self, plaintext: &str) -> Result<String> {
        let key = self
            .keys
            .first()
            .ok_or_else(|| Error::internal("no secrets key"))?;
        let nonce: [u8; NONCE_BYTES] = rand::random();
        let ciphertext = key
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .map_err(|_| Error::internal("sealing a secret failed"))?;
        Ok(format!(
            "{PREFIX}:{}:{}:{}",
            key.id,
            hex::encode(nonce),
            hex::encode(&ciphertext)
        ))
    }

    /// Whether a stored value is sealed (rather than plaintext written before sealing began).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX) && stored.as_bytes().get(PREFIX.len()) == Some(&b':')
    }

    /// Decrypts a stored secret.
    pub fn open(&self, stored: &str) -> Result<String> {
        let mut parts = stored.splitn(4, ':');
        let (Some(PREFIX), Some(id), Some(nonce), Some(ciphertext)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::internal("a stored secret is not sealed"));
        };
        let key = self.keys.iter().find(|k| k.id == id).ok_or_else(|| {
            Error::internal(format!(
                "a stored secret was sealed with key {id}, which the secrets key file does not hold"
            ))
        })?;
        let nonce = unhex(nonce)
            .filter(|n| n.len() == NONCE_BYTES)
            .ok_or_else(|| Error::internal("a stored secret has a bad nonce"))?;
        let ciphertext =
            unhex(ciphertext).ok_or_else(|| Error::internal("a stored secret is garbled"))?;
        let plaintext = key
            .cipher
            .decrypt(XNonce::from_slice(&nonce), ciphertext.as_slice())
            .map_err(|_| Error::internal("a stored secret does not open with its key"))?;
        String::from_utf8(plaintext).map_err(Error::internal)
    }
}

/// The setting under which the service records the id of the key that seals.
const KEY_SETTING: &str = "secrets_key_id";

impl crate::Registry {
    /// The keys secrets are sealed with.
    pub(crate) fn secrets(&self) -> &SecretBox {
        &self.secrets
    }

    /// Refuses a key other than the one the service records (every process must use the
    /// same key file, or one cannot read what another sealed); the first process records its
    /// own.
    pub(crate) async fn check_secrets_key(&self, path: &Path) -> Result<()> {
        let recorded = self
            .claim_setting(KEY_SETTING, self.secrets.key_id())
            .await?;
        if recorded == self.secrets.key_id() {
            return Ok(());
        }
        Err(Error::Config(format!(
            "the secrets key in `{}` (id {}) is not the one this service seals with (id {recorded}): \
             every process must use the same --secrets-key-file; copy it from a running process \
             (`widgetry admin rotate-secrets-key` replaces it for all)",
            path.display(),
            self.secrets.key_id()
        )))
    }

    /// Seals the webhook secrets and test credentials stored in clear before sealing began
    /// (once per database).
    pub(crate) async fn seal_stored_secrets(&self) -> Result<usize> {
        const DONE: &str = "stored_secrets_sealed";
        if self.setting(DONE).await?.is_some() {
            return Ok(0);
        }
        let sealed = self.reseal_all(&self.secrets, true).await?;
        self.set_setting(DONE, "1").await?;
        if sealed > 0 {
            tracing::info!(sealed, "sealed the secrets stored in clear");
        }
        Ok(sealed)
    }

    /// Seals every stored secret again with `keys`' first key (they must open what is stored;
    /// with `clear_only`, only what is not sealed yet), in one transaction, and records that
    /// key as the service's. Returns how many secrets were sealed.
    async fn reseal_all(&self, keys: &SecretBox, clear_only: bool) -> Result<usize> {
        use sqlx::Row;
        let mut tx = self.begin_write().await?;
        let mut count = 0;
        let reseal = |stored: &str| -> Result<Option<String>> {
            if SecretBox::is_sealed(stored) {
                if clear_only {
                    return Ok(None);
                }
                return keys.seal(&keys.open(stored)?).map(Some);
            }
            keys.seal(stored).map(Some)
        };
        let rows = sqlx::query("SELECT integration_id, secret FROM webhooks")
            .fetch_all(&mut *tx)
            .await?;
        for row in &rows {
            let id: i64 = row.try_get("integration_id")?;
            if let Some(sealed) = reseal(&row.try_get::<String, _>("secret")?)? {
                sqlx::query("UPDATE webhooks SET secret = $1 WHERE integration_id = $2")
                    .bind(sealed)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                count += 1;
            }
        }
        let rows = sqlx::query(
            "SELECT id, test_credentials FROM submissions WHERE test_credentials IS NOT NULL",
        )
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            if let Some(sealed) = reseal(&row.try_get::<String, _>("test_credentials")?)? {
                sqlx::query("UPDATE submissions SET test_credentials = $1 WHERE id = $2")
                    .bind(sealed)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                count += 1;
            }
        }
        sqlx::query(
            "INSERT INTO service_settings (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(KEY_SETTING)
        .bind(keys.key_id())
        .bind(crate::time::Timestamp::now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(count)
    }

    /// Replaces the secrets key: a new key is written first in `path` (beside the old one),
    /// every stored secret is sealed again with it and recorded as the service's, then the
    /// old key is dropped from the file. Stop every server process first; start them with
    /// the new file. Returns the new key's id and how many secrets were sealed again.
    pub async fn rotate_secrets_key(&self, path: &Path) -> Result<(String, usize)> {
        let rotated = self.secrets.with_new_key();
        // Both keys on disk before anything is sealed with the new one: a crash in between
        // leaves a file that opens everything.
        rotated.replace_file(path)?;
        let count = self.reseal_all(&rotated, false).await?;
        rotated.current_only().replace_file(path)?;
        Ok((rotated.key_id().to_string(), count))
    }
}

fn temporary_key_file(dir: &Path, text: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".secrets-key.");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_with_their_key_only() {
        let a = SecretBox::generate();
        let sealed = a.seal("whsec_0123").unwrap();
        assert!(SecretBox::is_sealed(&sealed));
        assert!(!sealed.contains("whsec_0123"));
        assert_eq!(a.open(&sealed).unwrap(), "whsec_0123");
        // Two seals of one secret differ (random nonces).
        assert_ne!(a.seal("whsec_0123").unwrap(), sealed);
        // Another key does not open it; a rotated box does.
        assert!(SecretBox::generate().open(&sealed).is_err());
        let rotated = a.with_new_key();
        assert_ne!(rotated.key_id(), a.key_id());
        assert_eq!(rotated.open(&sealed).unwrap(), "whsec_0123");
        assert_eq!(rotated.current_only().keys.len(), 1);
        // Tampering is detected.
        let mut bad = sealed.clone();
        let last = bad.pop().unwrap();
        bad.push(if last == '0' { '1' } else { '0' });
        assert!(a.open(&bad).is_err());
        assert!(!SecretBox::is_sealed("plain text"));
        assert!(!SecretBox::is_sealed("wgs10"));
    }

    #[test]
    fn key_files_round_trip_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.key");
        let (a, created) = SecretBox::load_or_generate(&path).unwrap();
        assert!(created);
        let (b, created) = SecretBox::load_or_generate(&path).unwrap();
        assert!(!created);
        assert_eq!(a.key_id(), b.key_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let rotated = a.with_new_key();
        rotated.replace_file(&path).unwrap();
        let (c, _) = SecretBox::load_or_generate(&path).unwrap();
        assert_eq!(c.key_id(), rotated.key_id());
        assert_eq!(c.keys.len(), 2);
        std::fs::write(&path, "not a key\n").unwrap();
        assert!(SecretBox::load_or_generate(&path).is_err());
    }
}
