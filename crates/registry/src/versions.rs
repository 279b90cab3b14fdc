//! Versions: the upload (validation, version rules, code generation, blobs, gap-free
//! sequence numbers), version queries and widget file resolution.

use crate::audit::{self, Event};
use crate::auth::{Principal, Scope};
use crate::blob::content_type;
use crate::columns::Name;
use crate::error::{Error, Result};
use crate::input::InputCode;
use crate::integrations::{Integration, Visibility, secret_matches};
use crate::time::Timestamp;
use crate::util::{LOWER_ALNUM, random_chars, sha256_hex};
use crate::widgets::SettingsField;
use crate::{AccountId, IntegrationId, Registry, UserId, VersionId};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::FromRow;
use sqlx::Row;
use sqlx::any::Any;
use std::cmp::Ordering;
use widgetry_validator::{
    Diagnostic, Input, IntegrationContext, Lang, Options, Package, Profile, Report, Scheme,
    Severity,
};

/// The state of a version (moderation states are used from issue 4 on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Accepted upload, live for the owner account only.
    Uploaded,
    /// Submitted, waiting for a moderator.
    InReview,
    /// Approved by a moderator.
    Approved,
    /// Rejected by a moderator.
    Rejected,
    /// The integration's public version.
    Published,
    /// Was published, replaced by a later one.
    Superseded,
    /// Submission withdrawn by the integrator.
    Withdrawn,
}

impl VersionState {
    /// The snake_case name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionState::Uploaded => "uploaded",
            VersionState::InReview => "in_review",
            VersionState::Approved => "approved",
            VersionState::Rejected => "rejected",
            VersionState::Published => "published",
            VersionState::Superseded => "superseded",
            VersionState::Withdrawn => "withdrawn",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<VersionState> {
        Some(match s {
            "uploaded" => VersionState::Uploaded,
            "in_review" => VersionState::InReview,
            "approved" => VersionState::Approved,
            "rejected" => VersionState::Rejected,
            "published" => VersionState::Published,
            "superseded" => VersionState::Superseded,
            "withdrawn" => VersionState::Withdrawn,
            _ => return None,
        })
    }

    /// Whether a moderator approved these bytes, so any account may fetch them.
    pub fn is_approved(self) -> bool {
        matches!(
            self,
            VersionState::Approved | VersionState::Published | VersionState::Superseded
        )
    }
}

/// One stored version (summary). Read from [`VERSION_COLUMNS`] (`v_` names: the version is
/// read beside its integration's columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Version {
    /// Internal id.
    #[sqlx(rename = "v_id")]
    pub id: VersionId,
    /// The integration.
    #[sqlx(rename = "v_integration_id")]
    pub integration_id: IntegrationId,
    /// Sequence number in the integration: 1, 2, ... (gap-free).
    #[sqlx(rename = "v_seq")]
    pub number: i64,
    /// The manifest's `widget.version`.
    #[sqlx(rename = "v_widget_version")]
    pub widget_version: String,
    /// The integration's widget code.
    #[sqlx(rename = "v_code")]
    pub code: String,
    /// SHA-256 of the archive.
    #[sqlx(rename = "v_archive_sha256")]
    pub archive_sha256: String,
    /// Size of the archive in bytes.
    #[sqlx(rename = "v_archive_size")]
    pub archive_size: i64,
    /// State.
    #[sqlx(rename = "v_state", try_from = "Name<VersionState>")]
    pub state: VersionState,
    /// Uploader.
    #[sqlx(rename = "v_uploaded_by")]
    pub uploaded_by: UserId,
    /// Upload time, unix ms.
    #[sqlx(rename = "v_created_at")]
    pub created_at: Timestamp,
}

/// A file of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path inside the package (`i18n/en.json`).
    pub path: String,
    /// SHA-256 of the bytes (the blob name).
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Content type served.
    pub content_type: String,
}

/// A version with its manifest, report and file index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionDetail {
    /// The summary.
    pub version: Version,
    /// The parsed `manifest.json`.
    pub manifest: Value,
    /// The upload's validation report.
    pub report: Report,
    /// Every file, sorted by path.
    pub files: Vec<FileEntry>,
}

/// The result of an accepted upload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UploadOutcome {
    /// The new version (its `code` is the integration's code, generated on the first upload).
    pub version: Version,
    /// Findings that did not block the upload (warnings and notes).
    pub warnings: Vec<Diagnostic>,
}

/// Where a widget file is, and who may cache it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRef {
    /// Blob name (also a strong ETag).
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Content type.
    pub content_type: String,
    /// An approved version of a public integration: cacheable by anyone, forever.
    pub public: bool,
    /// The owner account (the only one that may fetch the file when it is not public).
    pub account_id: AccountId,
}

/// What listings need from a version, derived once at upload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Summary {
    /// `widget.name` resolved in English, else the first locale.
    pub name: String,
    /// The manifest's `settings`, names resolved likewise.
    pub settings_template: Vec<SettingsField>,
    /// The manifest's `locations`.
    pub locations: Vec<String>,
}

/// Compares two `widget.version` strings: dot-separated parts, numeric parts numerically,
/// other parts as strings; a longer version with the same prefix is higher.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let (mut pa, mut pb) = (a.split('.'), b.split('.'));
    loop {
        match (pa.next(), pb.next()) {
            (None, None) => return Ordering::Equal,
            (Some(_), None) => return Ordering::Greater,
            (None, Some(_)) => return Ordering::Less,
            (Some(x), Some(y)) => {
                let o = compare_part(x, y);
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

fn numeric(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn compare_part(x: &str, y: &str) -> Ordering {
    if numeric(x) && numeric(y) {
        let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
        x.len().cmp(&y.len()).then_with(|| x.cmp(y))
    } else {
        x.cmp(y)
    }
}

/// The next acceptable version after `latest`: its last numeric part bumped
/// (`1.2.3` -> `1.2.4`, `2.0-beta` -> `2.1-beta` is not numeric so `2.0-beta.1`).
pub fn next_version(latest: &str) -> String {
    let mut parts: Vec<String> = latest.split('.').map(str::to_string).collect();
    if let Some(part) = parts.iter_mut().rev().find(|p| numeric(p))
        && let Some(n) = part.parse::<u64>().ok().and_then(|n| n.checked_add(1))
    {
        *part = n.to_string();
        return parts.join(".");
    }
    format!("{latest}.1")
}

/// Refuses bytes already uploaded and versions not higher than every earlier one.
fn check_new_version(existing: &[(i64, String, String)], given: &str, sha: &str) -> Result<()> {
    if let Some((number, v, _)) = existing.iter().find(|(_, _, s)| s == sha) {
        return Err(Error::DuplicateArchive {
            number: *number,
            widget_version: v.clone(),
        });
    }
    let latest = existing
        .iter()
        .map(|(_, v, _)| v.as_str())
        .max_by(|a, b| compare_versions(a, b));
    if let Some(latest) = latest
        && compare_versions(given, latest) != Ordering::Greater
    {
        return Err(Error::VersionNotIncreasing {
            given: given.to_string(),
            latest: latest.to_string(),
            next: next_version(latest),
        });
    }
    Ok(())
}

/// Transliterates Cyrillic letters to Latin (a simple, readable scheme); others unchanged.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'є' => "ye",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' => "i",
        'ї' => "yi",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        _ => return None,
    })
}

/// The readable part of a generated code: the name transliterated, lowercased, other
/// characters as `_`, trimmed, at most 40 characters, starting with a letter; `widget` when
/// nothing is left.
pub(crate) fn code_base(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if let Some(t) = transliterate(c) {
            out.push_str(t);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_start_matches(|c: char| !c.is_ascii_lowercase());
    let mut base: String = trimmed.chars().take(40).collect();
    while base.ends_with('_') {
        base.pop();
    }
    if base.is_empty() {
        "widget".to_string()
    } else {
        base
    }
}

fn generate_code(name: &str) -> String {
    format!("{}_{}", code_base(name), random_chars(6, LOWER_ALNUM))
}

/// Resolves an i18n key (`widget.name`) in a locale's file, lodash-`get` style.
fn i18n_lookup(package: &Package, locale: &str, key: &str) -> Option<String> {
    let bytes = package.get(&format!("i18n/{locale}.json"))?;
    let doc: Value = serde_json::from_slice(bytes).ok()?;
    let mut node = &doc;
    for part in key.split('.') {
        node = node.get(part)?;
    }
    node.as_str().map(str::to_string)
}

/// A manifest text resolved in English, else in the first declared locale, else literal.
fn resolve_text(package: &Package, manifest: &Value, raw: &str) -> String {
    let mut locales = vec!["en".to_string()];
    if let Some(list) = manifest.pointer("/widget/locale").and_then(Value::as_array) {
        locales.extend(list.iter().filter_map(|v| v.as_str().map(str::to_string)));
    }
    locales
        .iter()
        .find_map(|l| i18n_lookup(package, l, raw))
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| raw.to_string())
}

fn summarize(package: &Package, manifest: &Value) -> Summary {
    let raw_name = manifest
        .pointer("/widget/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let settings_template = manifest
        .get("settings")
        .and_then(Value::as_object)
        .map(|fields| {
            fields
                .iter()
                .map(|(key, field)| SettingsField {
                    key: key.clone(),
                    name: resolve_text(
                        package,
                        manifest,
                        field.get("name").and_then(Value::as_str).unwrap_or(key),
                    ),
                    kind: field
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("text")
                        .to_string(),
                    is_required: field
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    let locations = manifest
        .get("locations")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Summary {
        name: resolve_text(package, manifest, raw_name),
        settings_template,
        locations,
    }
}

/// A manifest without `widget.secret_key`, and its bytes as served (pretty JSON), when it had
/// one; `None` when there was nothing to remove.
pub(crate) fn without_secret_key(manifest: &Value) -> Option<(Value, Vec<u8>)> {
    manifest.pointer("/widget/secret_key")?;
    let mut shown = manifest.clone();
    if let Some(widget) = shown.get_mut("widget").and_then(Value::as_object_mut) {
        widget.remove("secret_key");
    }
    let mut bytes = serde_json::to_vec_pretty(&shown).ok()?;
    bytes.push(b'\n');
    Some((shown, bytes))
}

pub(crate) const VERSION_COLUMNS: &str = "v.id AS v_id, v.integration_id AS v_integration_id, v.seq AS v_seq, \
    v.widget_version AS v_widget_version, COALESCE(i.code, '') AS v_code, v.archive_sha256 AS v_archive_sha256, \
    v.archive_size AS v_archive_size, v.state AS v_state, v.uploaded_by AS v_uploaded_by, v.created_at AS v_created_at";

/// Everything about an accepted package that the insert transaction needs.
struct Prepared {
    widget_version: String,
    archive_sha256: String,
    archive_size: i64,
    manifest_json: String,
    summary_json: String,
    report_json: String,
    code_name: String,
    files: Vec<FileEntry>,
}

/// Rows per multi-row INSERT of the file index.
const FILE_ROWS_PER_INSERT: usize = 100;
/// Times an upload writes its blobs again because a collection ran meanwhile.
const MAX_BLOB_ROUNDS: u32 = 3;

async fn version_keys(
    conn: &mut sqlx::AnyConnection,
    integration_id: IntegrationId,
) -> Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT seq, widget_version, archive_sha256 FROM versions WHERE integration_id = $1",
    )
    .bind(integration_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("seq")?,
                r.try_get("widget_version")?,
                r.try_get("archive_sha256")?,
            ))
        })
        .collect()
}

impl Registry {
    /// Validates a `widget.zip` against the integration and stores it as a new version.
    ///
    /// Needs [`Scope::Upload`] and the owner account. Refusals store nothing:
    /// [`Error::Invalid`] with every finding (messages in `lang`),
    /// [`Error::DuplicateArchive`], [`Error::VersionNotIncreasing`]. On success every file
    /// and the archive are in the blob store (written and synced first), the version row has
    /// the next sequence number (gap-free under concurrency), the integration's latest
    /// version points to it, its code was generated if it had none, and an audit event is
    /// recorded, all in one transaction.
    pub async fn upload_version(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
        archive: &[u8],
        lang: Lang,
    ) -> Result<UploadOutcome> {
        let slot = self.check_slot().await?;
        self.upload_version_owned(&slot, actor, integration_id, archive.to_vec(), lang)
            .await
    }

    /// [`upload_version`](Registry::upload_version) for an archive the caller no longer
    /// needs, read while the caller held `slot`: it is handed to the validation thread and
    /// back, never copied (the server's uploads of up to 20 MB take this path).
    pub async fn upload_version_owned(
        &self,
        _slot: &crate::CheckSlot,
        actor: &Principal,
        integration_id: IntegrationId,
        archive: Vec<u8>,
        lang: Lang,
    ) -> Result<UploadOutcome> {
        actor.require_scope(Scope::Upload)?;
        let integration = self.owned_integration(actor, integration_id).await?;
        // Handed to the validation thread and back: the archive is never copied.
        let (archive, report, package) =
            validate(archive, &integration, lang, self.limits().clone()).await?;
        if !report.valid {
            return Err(Error::Invalid(Box::new(report)));
        }
        let manifest: Value = package
            .get("manifest.json")
            .and_then(|b| serde_json::from_slice(b).ok())
            .ok_or_else(|| Error::internal("an accepted package has no readable manifest"))?;
        let widget_version = manifest
            .pointer("/widget/version")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Error::input("/widget/version", InputCode::ManifestNoVersion))?
            .to_string();
        let archive_sha256 = sha256_hex(&archive);

        // Refuse early, before any blob is written; re-checked under the lock below.
        {
            let mut conn = self.pool.acquire().await?;
            check_new_version(
                &version_keys(&mut conn, integration_id).await?,
                &widget_version,
                &archive_sha256,
            )?;
        }

        let summary = summarize(&package, &manifest);
        // A legacy manifest's secret key never leaves the server: the manifest stored for
        // views and served as `manifest.json` goes without it (the archive keeps it, for
        // re-validation).
        let shown_manifest = without_secret_key(&manifest);
        let warnings: Vec<Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .cloned()
            .collect();
        let archive_size = i64::try_from(archive.len()).unwrap_or(i64::MAX);
        let archive = Bytes::from(archive);
        // The package's bytes are handed over, not copied.
        let contents: Vec<(String, Bytes)> = package
            .into_files()
            .map(|(path, bytes)| match (&shown_manifest, path.as_str()) {
                (Some(shown), "manifest.json") => (path, Bytes::from(shown.1.clone())),
                _ => (path, Bytes::from(bytes)),
            })
            .collect();
        let mut prepared = Prepared {
            widget_version,
            archive_sha256,
            archive_size,
            manifest_json: shown_manifest
                .as_ref()
                .map_or_else(|| manifest.to_string(), |(shown, _)| shown.to_string()),
            summary_json: serde_json::to_string(&summary).map_err(Error::internal)?,
            report_json: serde_json::to_string(&report).map_err(Error::internal)?,
            code_name: summary.name.clone(),
            files: Vec::new(),
        };
        let mut attempt = 0;
        let version = loop {
            attempt += 1;
            // Read before the blobs are written: a collection that deletes blobs between now
            // and the insert moves it, and the insert then refuses (see `gc`).
            let generation = self.gc_generation().await?;
            prepared.files = self
                .store_blobs(&contents, &archive, &prepared.archive_sha256)
                .await?;
            let inserted = crate::with_retry(|_| {
                self.insert_version(actor, integration_id, &prepared, generation)
            })
            .await?;
            match inserted {
                Some(version) => break version,
                None if attempt < MAX_BLOB_ROUNDS => {
                    tracing::info!(
                        %integration_id,
                        attempt,
                        "blobs were collected during the upload; writing them again"
                    );
                }
                None => {
                    return Err(Error::Blob(std::io::Error::other(
                        "blob garbage collection kept running during the upload; try again",
                    )));
                }
            }
        };
        tracing::info!(
            %integration_id,
            number = version.number,
            widget_version = %version.widget_version,
            code = %version.code,
            "version uploaded"
        );
        Ok(UploadOutcome { version, warnings })
    }

    /// Writes the files and the archive to the blob store, several at once; the file index
    /// in package order.
    async fn store_blobs(
        &self,
        contents: &[(String, Bytes)],
        archive: &Bytes,
        archive_sha256: &str,
    ) -> Result<Vec<FileEntry>> {
        use futures_util::StreamExt;
        // Each write owns what it needs (a shared handle and cheap clones of the bytes).
        let writes: Vec<_> = contents
            .iter()
            .map(|(path, bytes)| {
                let (blobs, path, bytes) = (self.blobs.clone(), path.clone(), bytes.clone());
                async move {
                    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
                    let sha256 = blobs.put(bytes).await.map_err(Error::Blob)?;
                    Ok::<_, Error>(FileEntry {
                        content_type: content_type(&path).to_string(),
                        path,
                        sha256,
                        size,
                    })
                }
            })
            .collect();
        let files: Vec<FileEntry> = futures_util::stream::iter(writes)
            .buffered(self.put_concurrency)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_>>()?;
        let stored = self.blobs.put(archive.clone()).await.map_err(Error::Blob)?;
        if stored != archive_sha256 {
            return Err(Error::internal("the blob store returned another digest"));
        }
        Ok(files)
    }

    /// Inserts the version in one transaction; `None` (nothing written) when the blob
    /// collector's generation moved since `gc_generation` was read: the blobs must be written
    /// again.
    async fn insert_version(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
        p: &Prepared,
        gc_generation: i64,
    ) -> Result<Option<Version>> {
        let now = Timestamp::now();
        let mut tx = self.begin_write().await?;
        // Takes the integration's row lock (PostgreSQL) or the write lock (SQLite): uploads
        // into one integration serialize here, so the number is distinct and, as refusals
        // roll back, gap-free.
        let row = sqlx::query(
            "UPDATE integrations SET last_seq = last_seq + 1, updated_at = $1 WHERE id = $2 \
             RETURNING last_seq, code",
        )
        .bind(now)
        .bind(integration_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound)?;
        let seq: i64 = row.try_get("last_seq")?;
        let code: Option<String> = row.try_get("code")?;
        if !self.gc_generation_unchanged(&mut tx, gc_generation).await? {
            return Ok(None);
        }
        check_new_version(
            &version_keys(&mut tx, integration_id).await?,
            &p.widget_version,
            &p.archive_sha256,
        )?;
        let code = match code {
            Some(code) => code,
            None => assign_code(&mut tx, integration_id, &p.code_name).await?,
        };
        let row = sqlx::query(
            "INSERT INTO versions (integration_id, seq, widget_version, archive_sha256, archive_size, \
             manifest_json, summary_json, report_json, state, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'uploaded', $9, $10) RETURNING id",
        )
        .bind(integration_id)
        .bind(seq)
        .bind(&p.widget_version)
        .bind(&p.archive_sha256)
        .bind(p.archive_size)
        .bind(&p.manifest_json)
        .bind(&p.summary_json)
        .bind(&p.report_json)
        .bind(actor.user.id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let version_id: VersionId = row.try_get("id")?;
        for chunk in p.files.chunks(FILE_ROWS_PER_INSERT) {
            let mut sql = String::from(
                "INSERT INTO version_files (version_id, path, sha256, size, content_type) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 4 + 2;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("($1, ${b}, ${}, ${}, ${})", b + 1, b + 2, b + 3));
            }
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(version_id);
            for f in chunk {
                q = q
                    .bind(f.path.as_str())
                    .bind(f.sha256.as_str())
                    .bind(f.size)
                    .bind(f.content_type.as_str());
            }
            q.execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE integrations SET latest_version_id = $1 WHERE id = $2")
            .bind(version_id)
            .bind(integration_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Event::by("version.uploaded", actor, integration_id)
                .entering(VersionState::Uploaded.as_str())
                .detail(serde_json::json!({
                    "number": seq,
                    "widget_version": p.widget_version,
                    "archive_sha256": p.archive_sha256,
                    "code": code,
                })),
        )
        .await?;
        self.commit_events(tx).await?;
        Ok(Some(Version {
            id: version_id,
            integration_id,
            number: seq,
            widget_version: p.widget_version.clone(),
            code,
            archive_sha256: p.archive_sha256.clone(),
            archive_size: p.archive_size,
            state: VersionState::Uploaded,
            uploaded_by: actor.user.id,
            created_at: now,
        }))
    }

    /// The versions of an integration the caller may see, newest first: every version for
    /// the owner account; approved ones of a public integration for others.
    pub async fn list_versions(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
    ) -> Result<Vec<Version>> {
        let integration = self.get_integration(actor, integration_id).await?;
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM versions v JOIN integrations i ON i.id = v.integration_id \
             WHERE v.integration_id = $1 ORDER BY v.seq DESC"
        );
        let versions: Vec<Version> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(integration_id)
            .fetch_all(&self.pool)
            .await?;
        let owner = integration.account_id == actor.account.id;
        Ok(versions
            .into_iter()
            .filter(|v| owner || v.state.is_approved())
            .collect())
    }

    /// One version by sequence number, with manifest, report and files (same visibility as
    /// [`list_versions`](Registry::list_versions)).
    pub async fn get_version(
        &self,
        actor: &Principal,
        integration_id: IntegrationId,
        number: i64,
    ) -> Result<VersionDetail> {
        let integration = self.get_integration(actor, integration_id).await?;
        let detail = self
            .version_detail_where(
                "v.integration_id = $1 AND v.seq = $2",
                &[integration_id.0, number],
            )
            .await?;
        if integration.account_id != actor.account.id && !detail.version.state.is_approved() {
            return Err(Error::NotFound);
        }
        Ok(detail)
    }

    /// A version by id with manifest, report and files, whoever may see it (moderators' and
    /// internal use).
    pub(crate) async fn version_detail_by_id(&self, id: VersionId) -> Result<VersionDetail> {
        self.version_detail_where("v.id = $1", &[id.0]).await
    }

    async fn version_detail_where(
        &self,
        condition: &'static str,
        binds: &[i64],
    ) -> Result<VersionDetail> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS}, v.manifest_json, v.report_json FROM versions v \
             JOIN integrations i ON i.id = v.integration_id WHERE {condition}"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in binds {
            query = query.bind(*value);
        }
        let row = query
            .fetch_optional(&self.pool)
            .await?
            .ok_or(Error::NotFound)?;
        let version = Version::from_row(&row)?;
        let manifest = serde_json::from_str(&row.try_get::<String, _>("manifest_json")?)
            .map_err(Error::internal)?;
        let report = serde_json::from_str(&row.try_get::<String, _>("report_json")?)
            .map_err(Error::internal)?;
        let files = self.version_files(version.id).await?;
        Ok(VersionDetail {
            version,
            manifest,
            report,
            files,
        })
    }

    /// The file index of a version, sorted by path.
    pub async fn version_files(&self, version_id: VersionId) -> Result<Vec<FileEntry>> {
        let rows = sqlx::query(
            "SELECT path, sha256, size, content_type FROM version_files WHERE version_id = $1 ORDER BY path",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(FileEntry {
                    path: r.try_get("path")?,
                    sha256: r.try_get("sha256")?,
                    size: r.try_get("size")?,
                    content_type: r.try_get("content_type")?,
                })
            })
            .collect()
    }

    /// Removes `widget.secret_key` from the manifests of versions stored before uploads
    /// stripped it: the manifest shown in views, and the `manifest.json` served (a new blob;
    /// the archive keeps the key). Runs once per database; returns how many versions it
    /// changed.
    pub(crate) async fn strip_stored_secret_keys(&self) -> Result<usize> {
        const DONE: &str = "legacy_manifests_stripped";
        if self.setting(DONE).await?.is_some() {
            return Ok(0);
        }
        let rows = sqlx::query(
            "SELECT v.id, v.manifest_json FROM versions v WHERE v.manifest_json LIKE '%secret_key%'",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut changed = 0;
        for row in &rows {
            let id: VersionId = row.try_get("id")?;
            let manifest: Value = serde_json::from_str(&row.try_get::<String, _>("manifest_json")?)
                .map_err(Error::internal)?;
            let Some((shown, bytes)) = without_secret_key(&manifest) else {
                continue;
            };
            let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
            let sha = self
                .blobs
                .put(Bytes::from(bytes))
                .await
                .map_err(Error::Blob)?;
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE versions SET manifest_json = $1 WHERE id = $2")
                .bind(shown.to_string())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE version_files SET sha256 = $1, size = $2 WHERE version_id = $3 AND path = 'manifest.json'",
            )
            .bind(&sha)
            .bind(size)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            changed += 1;
        }
        self.set_setting(DONE, "1").await?;
        if changed > 0 {
            tracing::info!(
                versions = changed,
                "removed legacy secret keys from stored manifests"
            );
        }
        Ok(changed)
    }

    /// Where a widget file is: `code`, `widget.version` and path inside the package. Whether
    /// the caller may fetch it is the caller's decision ([`FileRef::public`], or the owner
    /// account's signature); see [`resolve_file`](Registry::resolve_file).
    pub async fn file_at(
        &self,
        code: &str,
        widget_version: &str,
        path: &str,
    ) -> Result<Option<FileRef>> {
        let path = path.trim_start_matches('/');
        let row = sqlx::query(
            "SELECT f.sha256, f.size, f.content_type, v.state, i.account_id, i.visibility \
             FROM integrations i JOIN versions v ON v.integration_id = i.id \
             JOIN version_files f ON f.version_id = v.id \
             WHERE i.code = $1 AND v.widget_version = $2 AND f.path = $3",
        )
        .bind(code)
        .bind(widget_version)
        .bind(path)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let state = VersionState::parse(&row.try_get::<String, _>("state")?);
        let public = row.try_get::<String, _>("visibility")? == Visibility::Public.as_str()
            && state.is_some_and(VersionState::is_approved);
        Ok(Some(FileRef {
            sha256: row.try_get("sha256")?,
            size: row.try_get("size")?,
            content_type: row.try_get("content_type")?,
            public,
            account_id: row.try_get("account_id")?,
        }))
    }

    /// A widget file as `viewer_account` may see it: files of approved versions of a public
    /// integration for anyone, every other file for the owner account only; `None` otherwise.
    pub async fn resolve_file(
        &self,
        viewer_account: Option<AccountId>,
        code: &str,
        widget_version: &str,
        path: &str,
    ) -> Result<Option<FileRef>> {
        Ok(self
            .file_at(code, widget_version, path)
            .await?
            .filter(|f| f.public || viewer_account == Some(f.account_id)))
    }
}

/// Validates an archive with the upload profile and the integration's context, off the
/// async threads.
async fn validate(
    bytes: Vec<u8>,
    integration: &Integration,
    lang: Lang,
    limits: widgetry_validator::Limits,
) -> Result<(Vec<u8>, Report, Package)> {
    with_integration_options(integration, Profile::Upload, lang, limits, move |options| {
        let checked = widgetry_validator::check(Input::Zip(&bytes), options);
        (bytes, checked.report, checked.package)
    })
    .await
}

/// Runs `check` off the async threads with validator options for `integration`: its scheme,
/// code and a constant-time match against its secret key hash.
pub(crate) async fn with_integration_options<T: Send + 'static>(
    integration: &Integration,
    profile: Profile,
    lang: Lang,
    limits: widgetry_validator::Limits,
    check: impl FnOnce(&Options<'_>) -> T + Send + 'static,
) -> Result<T> {
    let scheme: Scheme = integration.scheme;
    let code = integration.code.clone();
    let secret_hash = integration.secret_hash.clone();
    tokio::task::spawn_blocking(move || {
        let matches = |key: &str| secret_matches(&secret_hash, key);
        let ctx = IntegrationContext {
            scheme,
            code: code.as_deref(),
            secret_matches: &matches,
        };
        check(&Options {
            profile,
            lang,
            integration: Some(&ctx),
            limits,
            ..Options::default()
        })
    })
    .await
    .map_err(Error::internal)
}

/// Generates a unique code for an integration inside the upload transaction.
async fn assign_code(
    tx: &mut sqlx::Transaction<'static, Any>,
    integration_id: IntegrationId,
    name: &str,
) -> Result<String> {
    for _ in 0..16 {
        let candidate = generate_code(name);
        let taken = sqlx::query("SELECT id FROM integrations WHERE code = $1")
            .bind(&candidate)
            .fetch_optional(&mut **tx)
            .await?;
        if taken.is_some() {
            continue;
        }
        sqlx::query("UPDATE integrations SET code = $1 WHERE id = $2")
            .bind(&candidate)
            .bind(integration_id)
            .execute(&mut **tx)
            .await?;
        return Ok(candidate);
    }
    Err(Error::internal("could not generate a unique widget code"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_order() {
        assert_eq!(compare_versions("1.0.10", "1.0.9"), Ordering::Greater);
        assert_eq!(compare_versions("1.0", "1.0.0"), Ordering::Less);
        assert_eq!(compare_versions("1.01", "1.1"), Ordering::Equal);
        assert_eq!(compare_versions("1.0.beta", "1.0.alpha"), Ordering::Greater);
        assert_eq!(compare_versions("2", "10"), Ordering::Less);
    }

    #[test]
    fn next_versions() {
        assert_eq!(next_version("1.2.3"), "1.2.4");
        assert_eq!(next_version("1.9"), "1.10");
        assert_eq!(next_version("1.0.beta"), "1.1.beta");
        assert_eq!(next_version("beta"), "beta.1");
        assert_eq!(
            compare_versions(&next_version("1.0.beta"), "1.0.beta"),
            Ordering::Greater
        );
    }

    #[test]
    fn new_version_rules() {
        let existing = vec![
            (1, "1.0.0".to_string(), "aa".to_string()),
            (2, "1.0.2".to_string(), "bb".to_string()),
        ];
        assert!(check_new_version(&existing, "1.0.3", "cc").is_ok());
        match check_new_version(&existing, "1.0.1", "cc") {
            Err(Error::VersionNotIncreasing { latest, next, .. }) => {
                assert_eq!((latest.as_str(), next.as_str()), ("1.0.2", "1.0.3"));
            }
            other => panic!("{other:?}"),
        }
        match check_new_version(&existing, "2.0.0", "aa") {
            Err(Error::DuplicateArchive {
                number,
                widget_version,
            }) => {
                assert_eq!((number, widget_version.as_str()), (1, "1.0.0"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_legacy_secret_key_is_removed_from_what_is_shown() {
        let manifest = serde_json::json!({
            "widget": {"name": "n", "code": "w", "secret_key": "s3cr3t", "version": "1.0.0"},
            "locations": ["settings"]
        });
        let (shown, bytes) = without_secret_key(&manifest).unwrap();
        assert!(shown.pointer("/widget/secret_key").is_none());
        assert_eq!(shown.pointer("/widget/code").unwrap(), "w");
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            !text.contains("s3cr3t") && !text.contains("secret_key"),
            "{text}"
        );
        assert!(without_secret_key(&shown).is_none());
    }

    #[test]
    fn code_bases() {
        assert_eq!(code_base("My Widget"), "my_widget");
        assert_eq!(code_base("Виджет «Сделки» 2"), "vidzhet_sdelki_2");
        assert_eq!(code_base("  42 Щука!"), "shchuka");
        assert_eq!(code_base("!!!"), "widget");
        assert_eq!(code_base(&"a".repeat(80)).len(), 40);
        let code = generate_code("Мой виджет");
        assert!(crate::is_code(&code), "{code}");
        assert!(code.starts_with("moy_vidzhet_"));
        assert_eq!(code.len(), "moy_vidzhet_".len() + 6);
    }
}
