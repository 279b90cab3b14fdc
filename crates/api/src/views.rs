//! The JSON views of the registry's objects: what the API shows (never hashes or internal
//! ids). The server builds them from its registry; the CLI reads them, so a change of shape
//! breaks the build on both sides. Times are unix milliseconds.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A user.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// A CRM account.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountView {
    /// Numeric id.
    pub id: i64,
    /// Subdomain.
    pub subdomain: String,
    /// Display name.
    pub name: String,
}

/// The caller.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// An API token as listed (never its value).
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// An integration.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Sequence number of the latest version (0 before the first upload). The owner account
    /// only: to others it would tell how many private uploads there are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_version: Option<i64>,
    /// Creation time.
    pub created_at: i64,
    /// Last change (uploads included). The owner account only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
}

/// A stored version.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Where the caller fetches this version's files: append a path inside the package
    /// (`{files_base_url}/script.js`). On the files origin: the public URL of an approved
    /// version of a public integration, a signed, expiring one for the owner account's other
    /// versions; absent where the caller may not fetch them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_base_url: Option<String>,
}

/// A version named in a submission.
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionRefView {
    /// Sequence number.
    pub number: i64,
    /// `widget.version`.
    pub widget_version: String,
}

/// A reason for a moderation decision.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonView {
    /// A validator rule code (`script.debugger`) or a moderation code
    /// (`moderation.unclear_instructions`, see `GET /api/v1/moderation/reasons`).
    pub code: String,
    /// What to fix.
    pub text: String,
}

/// A moderator's decision (or the integrator's withdrawal).
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionView {
    /// The user who decided.
    pub by: i64,
    /// When.
    pub at: i64,
    /// `approved`, `rejected` or `withdrawn`.
    pub outcome: String,
    /// The reasons of a rejection.
    pub reasons: Vec<ReasonView>,
    /// The moderator's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Name and description changes applied on approval.
#[derive(Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListingChangesView {
    /// New names by language.
    #[serde(default)]
    pub name: BTreeMap<String, String>,
    /// New descriptions by language.
    #[serde(default)]
    pub description: BTreeMap<String, String>,
}

/// A submission (moderation request).
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionView {
    /// Id.
    pub id: i64,
    /// The integration.
    pub integration_id: i64,
    /// Its widget code.
    pub code: String,
    /// The owner account.
    pub account_id: i64,
    /// The submitted version.
    pub version: VersionRefView,
    /// `in_review`, `approved`, `rejected` or `withdrawn`.
    pub state: String,
    /// Publication languages.
    pub languages: Vec<String>,
    /// What the widget does, by language.
    pub description: BTreeMap<String, String>,
    /// How to connect and use it, by language.
    pub instructions: BTreeMap<String, String>,
    /// Whether test credentials were given (their value is shown to moderators only).
    pub has_test_credentials: bool,
    /// The test credentials: only in the moderators' routes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_credentials: Option<String>,
    /// Support phone.
    pub support_phone: String,
    /// Support e-mail.
    pub support_email: String,
    /// Changes applied on approval.
    pub changes: ListingChangesView,
    /// The automated publication report.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub report: widgetry_validator::Report,
    /// The published version when submitted (sequence number).
    pub base_version: Option<i64>,
    /// The decision, once made.
    pub decision: Option<DecisionView>,
    /// Who submitted it.
    pub submitted_by: i64,
    /// Submission time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// One recorded event: who, when, from which state to which, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventView {
    /// Increasing id (the server-sent event id).
    pub id: i64,
    /// When.
    pub at: i64,
    /// Who (none for operator commands).
    pub actor_user_id: Option<i64>,
    /// The account concerned.
    pub account_id: Option<i64>,
    /// The integration.
    pub integration_id: Option<i64>,
    /// What happened: `version.uploaded`, `submission.created`, `submission.approved`,
    /// `submission.rejected`, `submission.withdrawn`, `version.published`,
    /// `version.superseded`, `integration.rolled_back`, ...
    pub kind: String,
    /// State before.
    pub from_state: Option<String>,
    /// State after.
    pub to_state: Option<String>,
    /// Details: numbers, reasons, notes.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
}
