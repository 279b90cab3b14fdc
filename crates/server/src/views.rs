//! JSON views of registry objects: what the API shows (never hashes or internal ids), with
//! schemas for the OpenAPI document. Times are unix milliseconds.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use widgetry_registry::{Account, ApiToken, Integration, Principal, User, Version};

/// `2026-11-25 14:03 UTC` for a unix time in milliseconds (pages and the CLI show times so).
pub fn utc_datetime(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

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
            latest_version: Some(i.last_seq),
            created_at: i.created_at,
            updated_at: Some(i.updated_at),
        }
    }
}

impl IntegrationView {
    /// The view for a caller acting in `viewer`: the owner account sees everything; another
    /// account (a public integration) nothing about private versions: neither how many there
    /// are nor when the last one came.
    pub fn for_viewer(i: &Integration, viewer: widgetry_registry::AccountId) -> IntegrationView {
        let mut view = IntegrationView::from(i);
        if i.account_id != viewer {
            view.latest_version = None;
            view.updated_at = None;
        }
        view
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
    /// Where the caller fetches this version's files: append a path inside the package
    /// (`{files_base_url}/script.js`). On the files origin: the public URL of an approved
    /// version of a public integration, a signed, expiring one for the owner account's other
    /// versions; absent where the caller may not fetch them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_base_url: Option<String>,
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
            files_base_url: None,
        }
    }
}

impl VersionView {
    /// The view of `v` for a caller acting in `viewer`, with the files base URL it may use.
    pub fn for_viewer(
        v: &Version,
        origin: &crate::files::FilesOrigin,
        viewer: widgetry_registry::AccountId,
        integration: &Integration,
    ) -> VersionView {
        VersionView {
            files_base_url: origin.base_for(viewer, integration, v),
            ..VersionView::from(v)
        }
    }
}

/// A version named in a submission.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VersionRefView {
    /// Sequence number.
    pub number: i64,
    /// `widget.version`.
    pub widget_version: String,
}

/// A reason for a moderation decision.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReasonView {
    /// A validator rule code (`script.debugger`) or a moderation code
    /// (`moderation.unclear_instructions`, see `GET /api/v1/moderation/reasons`).
    pub code: String,
    /// What to fix.
    pub text: String,
}

/// A moderator's decision (or the integrator's withdrawal).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct ListingChangesView {
    /// New names by language.
    #[serde(default)]
    pub name: BTreeMap<String, String>,
    /// New descriptions by language.
    #[serde(default)]
    pub description: BTreeMap<String, String>,
}

/// A submission (moderation request).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
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
    #[schema(value_type = Object)]
    pub report: widgetry_registry::Report,
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

impl From<widgetry_registry::Submission> for SubmissionView {
    fn from(s: widgetry_registry::Submission) -> Self {
        SubmissionView {
            id: s.id,
            integration_id: s.integration_id,
            code: s.code,
            account_id: s.account_id,
            version: VersionRefView {
                number: s.version.number,
                widget_version: s.version.widget_version,
            },
            state: s.state.as_str().to_string(),
            languages: s.languages,
            description: s.description,
            instructions: s.instructions,
            has_test_credentials: s.has_test_credentials,
            test_credentials: s.test_credentials.map(|c| c.0),
            support_phone: s.support_phone,
            support_email: s.support_email,
            changes: ListingChangesView {
                name: s.changes.name,
                description: s.changes.description,
            },
            report: s.report,
            base_version: s.base_version,
            decision: s.decision.map(|d| DecisionView {
                by: d.by,
                at: d.at,
                outcome: d.outcome.as_str().to_string(),
                reasons: d
                    .reasons
                    .into_iter()
                    .map(|r| ReasonView {
                        code: r.code,
                        text: r.text,
                    })
                    .collect(),
                note: d.note,
            }),
            submitted_by: s.submitted_by,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// One recorded event: who, when, from which state to which, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<widgetry_registry::AuditEvent> for EventView {
    fn from(e: widgetry_registry::AuditEvent) -> Self {
        EventView {
            id: e.id,
            at: e.at,
            actor_user_id: e.actor_user_id,
            account_id: e.account_id,
            integration_id: e.integration_id,
            kind: e.kind,
            from_state: e.from_state,
            to_state: e.to_state,
            detail: e.detail,
        }
    }
}
