//! JSON views of registry objects: what the API shows (never hashes or internal ids), with
//! schemas for the OpenAPI document. Times are unix milliseconds.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use widgetry_registry::{Account, ApiToken, Integration, Principal, User, Version};

/// A user.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserView {
    /// Numeric id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// Platform moderator.
    pub is_moderator: bool,
    /// Platform operator.
    pub is_operator: bool,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id,
            email: u.email.clone(),
            is_moderator: u.is_moderator,
            is_operator: u.is_operator,
        }
    }
}

/// A CRM account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountView {
    /// Numeric id.
    pub id: i64,
    /// Subdomain.
    pub subdomain: String,
    /// Display name.
    pub name: String,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        AccountView {
            id: a.id,
            subdomain: a.subdomain.clone(),
            name: a.name.clone(),
        }
    }
}

/// The caller.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeView {
    /// The user.
    pub user: UserView,
    /// The account the user acts in.
    pub account: AccountView,
    /// The user's role there: `admin` or `member`.
    pub role: String,
    /// `session` or `token`.
    pub auth: String,
    /// The scopes the caller holds.
    pub scopes: Vec<String>,
    /// The session's CSRF token (sessions only): send it in `X-CSRF-Token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

impl From<&Principal> for MeView {
    fn from(p: &Principal) -> Self {
        MeView {
            user: (&p.user).into(),
            account: (&p.account).into(),
            role: p.role.as_str().to_string(),
            auth: if p.is_session() { "session" } else { "token" }.to_string(),
            scopes: p.scopes().iter().map(|s| s.as_str().to_string()).collect(),
            csrf_token: p.csrf_token().map(str::to_string),
        }
    }
}

/// An API token as listed (never its value).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    /// Numeric id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// The first characters, for recognising it.
    pub prefix: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Creation time.
    pub created_at: i64,
    /// Expiry.
    pub expires_at: Option<i64>,
    /// Last use (refreshed at most once a minute).
    pub last_used_at: Option<i64>,
    /// Revocation time.
    pub revoked_at: Option<i64>,
}

impl From<&ApiToken> for TokenView {
    fn from(t: &ApiToken) -> Self {
        TokenView {
            id: t.id,
            name: t.name.clone(),
            prefix: t.prefix.clone(),
            scopes: t.scopes.iter().map(|s| s.as_str().to_string()).collect(),
            created_at: t.created_at,
            expires_at: t.expires_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// An integration.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IntegrationView {
    /// Numeric id.
    pub id: i64,
    /// The OAuth client id.
    pub client_uuid: String,
    /// Owner account id.
    pub account_id: i64,
    /// Name by locale.
    pub name: BTreeMap<String, String>,
    /// Description by locale.
    pub description: BTreeMap<String, String>,
    /// OAuth redirect URI.
    pub redirect_uri: String,
    /// The widget code (after the first upload, or from a legacy import).
    pub code: Option<String>,
    /// `market` or `legacy`.
    pub scheme: String,
    /// `private` or `public`.
    pub visibility: String,
    /// Sequence number of the latest version (0 before the first upload).
    pub latest_version: i64,
    /// Creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

impl From<&Integration> for IntegrationView {
    fn from(i: &Integration) -> Self {
        IntegrationView {
            id: i.id,
            client_uuid: i.client_uuid.clone(),
            account_id: i.account_id,
            name: i.name.clone(),
            description: i.description.clone(),
            redirect_uri: i.redirect_uri.clone(),
            code: i.code.clone(),
            scheme: match i.scheme {
                widgetry_validator::Scheme::Market => "market",
                widgetry_validator::Scheme::Legacy => "legacy",
            }
            .to_string(),
            visibility: i.visibility.as_str().to_string(),
            latest_version: i.last_seq,
            created_at: i.created_at,
            updated_at: i.updated_at,
        }
    }
}

/// A stored version.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VersionView {
    /// Sequence number in the integration: 1, 2, ...
    pub number: i64,
    /// The manifest's `widget.version`.
    pub widget_version: String,
    /// The integration's widget code.
    pub code: String,
    /// SHA-256 of the archive.
    pub sha256: String,
    /// Archive size in bytes.
    pub size: i64,
    /// `uploaded`, `in_review`, `approved`, `rejected`, `published`, `superseded`, `withdrawn`.
    pub state: String,
    /// Upload time.
    pub created_at: i64,
}

impl From<&Version> for VersionView {
    fn from(v: &Version) -> Self {
        VersionView {
            number: v.number,
            widget_version: v.widget_version.clone(),
            code: v.code.clone(),
            sha256: v.archive_sha256.clone(),
            size: v.archive_size,
            state: v.state.as_str().to_string(),
            created_at: v.created_at,
        }
    }
}
