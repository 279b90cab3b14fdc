//! Integrations: creation with a secret key shown once, listing, reading with the visibility
//! rule, text updates, legacy import and conversion.

use crate::audit::{self, Event};
use crate::auth::{Principal, Scope};
use crate::columns::{JsonText, Name};
use crate::error::{Error, Result};
use crate::input::{DenialCase, InputCode, StateCase};
use crate::time::Timestamp;
use crate::util::{constant_time_eq, is_hex64, random_hex, sha256_hex};
use crate::{AccountId, IntegrationId, Registry, VersionId};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use std::collections::BTreeMap;
use widgetry_validator::Scheme;
use widgetry_validator::options::DEFAULT_LOCALES;

/// Longest integration name, in characters.
pub const MAX_NAME_CHARS: usize = 255;
/// Longest integration description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;

/// Who may see an integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    /// Only the owner account.
    Private,
    /// Every account (after a version was published).
    Public,
}

impl Visibility {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Public => "public",
        }
    }
}

/// An integration. The secret key is never kept, only its SHA-256. Read from
/// [`INTEGRATION_COLUMNS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Integration {
    /// Numeric id.
    pub id: IntegrationId,
    /// `client_uuid` (the OAuth client id).
    pub client_uuid: String,
    /// Owner account.
    pub account_id: AccountId,
    /// Name by locale.
    #[sqlx(rename = "name_json", try_from = "JsonText<BTreeMap<String, String>>")]
    pub name: BTreeMap<String, String>,
    /// Description by locale.
    #[sqlx(
        rename = "description_json",
        try_from = "JsonText<BTreeMap<String, String>>"
    )]
    pub description: BTreeMap<String, String>,
    /// OAuth redirect URI (empty for imported legacy integrations).
    pub redirect_uri: String,
    /// The widget code, once the first upload generated it (legacy: from the import).
    pub code: Option<String>,
    /// `market` or `legacy`.
    #[sqlx(try_from = "Name<Scheme>")]
    pub scheme: Scheme,
    /// Private or public.
    #[sqlx(try_from = "Name<Visibility>")]
    pub visibility: Visibility,
    /// The published version (issue 4), if any.
    pub published_version_id: Option<VersionId>,
    /// The latest uploaded version, if any.
    pub latest_version_id: Option<VersionId>,
    /// Sequence number of the latest version (0 before the first upload).
    pub last_seq: i64,
    /// Creation time, unix ms.
    pub created_at: Timestamp,
    /// Last change, unix ms.
    pub updated_at: Timestamp,
    #[serde(skip)]
    pub(crate) secret_hash: String,
}

impl Integration {
    /// Whether a secret key matches the stored hash (constant time).
    pub fn secret_matches(&self, secret_key: &str) -> bool {
        secret_matches(&self.secret_hash, secret_key)
    }

    /// The display name: English, else the first locale, else the code.
    pub fn display_name(&self) -> String {
        self.name
            .get("en")
            .or_else(|| self.name.values().next())
            .cloned()
            .or_else(|| self.code.clone())
            .unwrap_or_default()
    }
}

/// Compares a key with a stored SHA-256 in constant time (keys are hashed lowercased).
pub(crate) fn secret_matches(stored_hash: &str, secret_key: &str) -> bool {
    let hash = sha256_hex(secret_key.trim().to_ascii_lowercase().as_bytes());
    constant_time_eq(hash.as_bytes(), stored_hash.as_bytes())
}

/// What [`Registry::create_integration`] needs.
#[derive(Debug, Clone, Default)]
pub struct NewIntegration {
    /// Name by locale (`{"en": "...", "ru": "..."}`); at least one non-empty.
    pub name: BTreeMap<String, String>,
    /// Description by locale.
    pub description: BTreeMap<String, String>,
    /// An absolute `https` URL (`http` only for localhost).
    pub redirect_uri: String,
}

/// A text update; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct IntegrationUpdate {
    /// New names by locale (replaces the whole map).
    pub name: Option<BTreeMap<String, String>>,
    /// New descriptions by locale (replaces the whole map).
    pub description: Option<BTreeMap<String, String>>,
    /// New redirect URI.
    pub redirect_uri: Option<String>,
}

/// Whether a string is a widget code: `^[a-z][a-z0-9_]*$`, at most 64 characters.
pub fn is_code(s: &str) -> bool {
    let mut chars = s.chars();
    s.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(crate) const INTEGRATION_COLUMNS: &str = "i.id, i.client_uuid, i.account_id, i.name_json, \
    i.description_json, i.redirect_uri, i.code, i.secret_hash, i.scheme, i.visibility, \
    i.published_version_id, i.latest_version_id, i.last_seq, i.created_at, i.updated_at";

fn scheme_str(s: Scheme) -> &'static str {
    match s {
        Scheme::Market => "market",
        Scheme::Legacy => "legacy",
    }
}

fn check_texts(
    map: BTreeMap<String, String>,
    field: &str,
    max: usize,
) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (locale, text) in map {
        if !DEFAULT_LOCALES.contains(&locale.as_str()) {
            return Err(
                Error::input(format!("/{field}/{locale}"), InputCode::LocaleUnknown)
                    .with("locale", &locale)
                    .with("what", field)
                    .with("locales", DEFAULT_LOCALES.join(", ")),
            );
        }
        let text = text.trim().to_string();
        if text.chars().count() > max {
            return Err(
                Error::input(format!("/{field}/{locale}"), InputCode::TextTooLong)
                    .with("what", field)
                    .with("locale", &locale)
                    .with("max", max),
            );
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            return Err(
                Error::input(format!("/{field}/{locale}"), InputCode::TextControl)
                    .with("what", field)
                    .with("locale", &locale),
            );
        }
        if !text.is_empty() {
            out.insert(locale, text);
        }
    }
    Ok(out)
}

fn check_names(name: BTreeMap<String, String>) -> Result<BTreeMap<String, String>> {
    let name = check_texts(name, "name", MAX_NAME_CHARS)?;
    if name.is_empty() {
        return Err(Error::input("/name", InputCode::NameMissing));
    }
    Ok(name)
}

/// Checks a redirect URI: absolute `https`, or `http` for localhost only; no fragment.
pub(crate) fn check_redirect_uri(uri: &str) -> Result<String> {
    let uri = uri.trim();
    let bad = |code| Err(Error::input("/redirect_uri", code).with("uri", uri));
    let Ok(parsed) = url::Url::parse(uri) else {
        return bad(InputCode::RedirectNotAbsolute);
    };
    let Some(host) = parsed.host_str() else {
        return bad(InputCode::RedirectNoHost);
    };
    let local = matches!(host, "localhost" | "127.0.0.1" | "[::1]") || host.ends_with(".localhost");
    match parsed.scheme() {
        "https" => {}
        "http" if local => {}
        "http" => return bad(InputCode::RedirectHttp),
        _ => return bad(InputCode::RedirectScheme),
    }
    if parsed.fragment().is_some() {
        return bad(InputCode::RedirectFragment);
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return bad(InputCode::RedirectCredentials);
    }
    Ok(uri.to_string())
}

impl Registry {
    /// Creates an integration in the caller's account ([`Scope::Upload`]). Returns it with
    /// its secret key (64 lowercase hex), shown this once; only the key's SHA-256 is stored.
    pub async fn create_integration(
        &self,
        actor: &Principal,
        new: NewIntegration,
    ) -> Result<(Integration, String)> {
        actor.require_scope(Scope::Upload)?;
        let name = check_names(new.name)?;
        let description = check_texts(new.description, "description", MAX_DESCRIPTION_CHARS)?;
        let redirect_uri = check_redirect_uri(&new.redirect_uri)?;
        let secret = random_hex(32);
        let mut tx = self.begin_write().await?;
        let id = insert_integration(
            &mut tx,
            actor.account.id,
            &name,
            &description,
            &redirect_uri,
            None,
            &sha256_hex(secret.as_bytes()),
            Scheme::Market,
        )
        .await?;
        audit::record(&mut tx, Event::by("integration.created", actor, id)).await?;
        tx.commit().await?;
        let integration = self.integration_by_id(id).await?.ok_or(Error::NotFound)?;
        Ok((integration, secret))
    }

    /// Imports a legacy integration into an account (operator command): its existing code
    /// and 64-hex secret key. Refuses a taken code with [`Error::Conflict`].
    pub async fn import_legacy(
        &self,
        account_subdomain: &str,
        code: &str,
        secret_key: &str,
        name: Option<&str>,
    ) -> Result<Integration> {
        let code = code.trim();
        if !is_code(code) {
            return Err(Error::input("/code", InputCode::CodeInvalid).with("code", code));
        }
        if !is_hex64(secret_key.trim()) {
            return Err(Error::input("/secret_key", InputCode::SecretKeyInvalid));
        }
        let account = self
            .account_by_subdomain(account_subdomain)
            .await?
            .ok_or_else(|| {
                Error::input("/account_subdomain", InputCode::SubdomainUnknown)
                    .with("value", account_subdomain)
            })?;
        let mut names = BTreeMap::new();
        names.insert(
            "en".to_string(),
            name.map(str::trim)
                .filter(|n| !n.is_empty())
                .unwrap_or(code)
                .to_string(),
        );
        let names = check_names(names)?;
        let secret_hash = sha256_hex(secret_key.trim().to_ascii_lowercase().as_bytes());
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query("SELECT id FROM integrations WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(Error::state(StateCase::CodeTaken).with("code", code));
        }
        let id = insert_integration(
            &mut tx,
            account.id,
            &names,
            &BTreeMap::new(),
            "",
            Some(code),
            &secret_hash,
            Scheme::Legacy,
        )
        .await?;
        audit::record(
            &mut tx,
            Event::new("integration.imported")
                .account(account.id)
                .integration(id)
                .detail(serde_json::json!({"code": code})),
        )
        .await?;
        tx.commit().await?;
        self.integration_by_id(id).await?.ok_or(Error::NotFound)
    }

    /// The integrations owned by the caller's account, oldest first.
    pub async fn list_integrations(&self, actor: &Principal) -> Result<Vec<Integration>> {
        let sql = format!(
            "SELECT {INTEGRATION_COLUMNS} FROM integrations i WHERE i.account_id = $1 ORDER BY i.id"
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(actor.account.id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// An integration the caller's account may see (its own, or a public one); others are
    /// [`Error::NotFound`].
    pub async fn get_integration(
        &self,
        actor: &Principal,
        id: IntegrationId,
    ) -> Result<Integration> {
        match self.integration_by_id(id).await? {
            Some(i) if i.account_id == actor.account.id || i.visibility == Visibility::Public => {
                Ok(i)
            }
            _ => Err(Error::NotFound),
        }
    }

    /// An integration the caller's account owns: another account's private integration is
    /// [`Error::NotFound`], its public one [`Error::Forbidden`].
    pub(crate) async fn owned_integration(
        &self,
        actor: &Principal,
        id: IntegrationId,
    ) -> Result<Integration> {
        let i = self.get_integration(actor, id).await?;
        if i.account_id != actor.account.id {
            return Err(Error::denied(DenialCase::OtherAccount));
        }
        Ok(i)
    }

    /// Updates an integration's texts ([`Scope::Upload`], owner account only).
    pub async fn update_integration(
        &self,
        actor: &Principal,
        id: IntegrationId,
        update: IntegrationUpdate,
    ) -> Result<Integration> {
        actor.require_scope(Scope::Upload)?;
        let current = self.owned_integration(actor, id).await?;
        let name = update
            .name
            .map(check_names)
            .transpose()?
            .unwrap_or(current.name);
        let description = update
            .description
            .map(|d| check_texts(d, "description", MAX_DESCRIPTION_CHARS))
            .transpose()?
            .unwrap_or(current.description);
        let redirect_uri = match update.redirect_uri {
            Some(uri) => check_redirect_uri(&uri)?,
            None => current.redirect_uri,
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE integrations SET name_json = $1, description_json = $2, redirect_uri = $3, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(json(&name)?)
        .bind(json(&description)?)
        .bind(&redirect_uri)
        .bind(Timestamp::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, Event::by("integration.updated", actor, id)).await?;
        tx.commit().await?;
        self.integration_by_id(id).await?.ok_or(Error::NotFound)
    }

    /// Replaces an integration's secret key with a new random one (64 lowercase hex), shown
    /// this once; the old key stops matching at once (legacy uploads must carry the new one).
    /// Needs [`Scope::Upload`] in the owner account; audited.
    pub async fn rotate_secret(
        &self,
        actor: &Principal,
        id: IntegrationId,
    ) -> Result<(Integration, String)> {
        actor.require_scope(Scope::Upload)?;
        self.owned_integration(actor, id).await?;
        let secret = random_hex(32);
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE integrations SET secret_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(sha256_hex(secret.as_bytes()))
            .bind(Timestamp::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(&mut tx, Event::by("integration.secret_rotated", actor, id)).await?;
        tx.commit().await?;
        let integration = self.integration_by_id(id).await?.ok_or(Error::NotFound)?;
        Ok((integration, secret))
    }

    /// Converts a legacy integration to the market scheme: one explicit, audited action by an
    /// admin of the owner account ([`Scope::Admin`]). Uploads then no longer need the code
    /// and secret key in the manifest. A market integration answers [`Error::Conflict`].
    pub async fn convert(&self, actor: &Principal, id: IntegrationId) -> Result<Integration> {
        actor.require_scope(Scope::Admin)?;
        let current = self.owned_integration(actor, id).await?;
        actor.require_admin()?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE integrations SET scheme = 'market', updated_at = $1 WHERE id = $2 AND scheme = 'legacy'",
        )
        .bind(Timestamp::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::state(StateCase::NotLegacy));
        }
        audit::record(
            &mut tx,
            Event::new("integration.converted")
                .actor(actor.user.id)
                .account(current.account_id)
                .integration(id)
                .states("legacy", "market"),
        )
        .await?;
        self.commit_events(tx).await?;
        self.integration_by_id(id).await?.ok_or(Error::NotFound)
    }

    /// An integration by id, whoever owns it (internal and operator use).
    pub async fn integration_by_id(&self, id: IntegrationId) -> Result<Option<Integration>> {
        let sql = format!("SELECT {INTEGRATION_COLUMNS} FROM integrations i WHERE i.id = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// An integration by widget code, whoever owns it (internal and operator use).
    pub async fn integration_by_code(&self, code: &str) -> Result<Option<Integration>> {
        let sql = format!("SELECT {INTEGRATION_COLUMNS} FROM integrations i WHERE i.code = $1");
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(code)
            .fetch_optional(&self.pool)
            .await?)
    }
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::internal)
}

#[allow(clippy::too_many_arguments)]
async fn insert_integration(
    tx: &mut sqlx::Transaction<'static, sqlx::any::Any>,
    account_id: AccountId,
    name: &BTreeMap<String, String>,
    description: &BTreeMap<String, String>,
    redirect_uri: &str,
    code: Option<&str>,
    secret_hash: &str,
    scheme: Scheme,
) -> Result<IntegrationId> {
    let now = Timestamp::now();
    let row = sqlx::query(
        "INSERT INTO integrations (client_uuid, account_id, name_json, description_json, redirect_uri, code, \
         secret_hash, scheme, visibility, last_seq, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'private', 0, $9, $9) RETURNING id",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(account_id)
    .bind(json(name)?)
    .bind(json(description)?)
    .bind(redirect_uri)
    .bind(code)
    .bind(secret_hash)
    .bind(scheme_str(scheme))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris() {
        assert!(check_redirect_uri("https://example.com/oauth").is_ok());
        assert!(check_redirect_uri("http://localhost:3000/cb").is_ok());
        assert!(check_redirect_uri("http://127.0.0.1/cb").is_ok());
        assert!(check_redirect_uri("http://example.com/cb").is_err());
        assert!(check_redirect_uri("ftp://example.com").is_err());
        assert!(check_redirect_uri("/relative").is_err());
        assert!(check_redirect_uri("https://example.com/#frag").is_err());
    }

    #[test]
    fn codes() {
        assert!(is_code("my_widget_1"));
        assert!(!is_code("1abc"));
        assert!(!is_code("Abc"));
        assert!(!is_code(""));
    }

    #[test]
    fn secrets_compare_by_hash() {
        let key = "AB".repeat(32);
        let stored = sha256_hex(key.to_ascii_lowercase().as_bytes());
        assert!(secret_matches(&stored, &key));
        assert!(secret_matches(&stored, &key.to_ascii_lowercase()));
        assert!(!secret_matches(&stored, &"ab".repeat(31)));
    }
}
