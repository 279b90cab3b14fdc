//! The moderation API's answers as the CLI reads them (integration, versions, submissions,
//! decisions, audit events), and the few ways the commands print them. Every field has a
//! default, so an answer with a missing or extra field still reads; a value of the wrong
//! type is an error, never a panic.

use crate::client::Client;
use anyhow::{Result, bail};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// An integration (`GET /api/v1/integrations/{id}`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Integration {
    /// Numeric id.
    pub id: i64,
    /// The widget code, after the first upload.
    pub code: Option<String>,
    /// Name by language.
    pub name: BTreeMap<String, String>,
    /// `private` or `public`.
    pub visibility: String,
    /// Sequence number of the latest version.
    pub latest_version: i64,
}

impl Integration {
    /// The English name, else any.
    pub fn display_name(&self) -> &str {
        self.name
            .get("en")
            .or_else(|| self.name.values().next())
            .map_or("", String::as_str)
    }
}

/// A version as listed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Version {
    /// Sequence number: 1, 2, ...
    pub number: i64,
    /// The manifest's `widget.version`.
    pub widget_version: String,
    /// `uploaded`, `in_review`, `published`, ...
    pub state: String,
    /// Upload time, unix ms.
    pub created_at: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VersionList {
    versions: Vec<Version>,
}

/// The version a submission is about.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct VersionRef {
    /// Sequence number.
    pub number: i64,
    /// The manifest's `widget.version`.
    pub widget_version: String,
}

/// One reason for a rejection.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Reason {
    /// A rule code or a moderator reason code.
    pub code: String,
    /// The moderator's explanation.
    pub text: String,
}

/// A moderator's decision.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Decision {
    /// `approved` or `rejected`.
    pub outcome: String,
    /// When, unix ms.
    pub at: i64,
    /// Why, for a rejection.
    pub reasons: Vec<Reason>,
    /// The moderator's note.
    pub note: Option<String>,
}

/// A submission (owner or moderator view).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Submission {
    /// Numeric id.
    pub id: i64,
    /// The integration.
    pub integration_id: i64,
    /// The widget code.
    pub code: Option<String>,
    /// The submitted version.
    pub version: VersionRef,
    /// `in_review`, `approved`, `rejected` or `withdrawn`.
    pub state: String,
    /// Publication languages.
    pub languages: Vec<String>,
    /// What the widget does, by language.
    pub description: BTreeMap<String, String>,
    /// How to connect and use it, by language.
    pub instructions: BTreeMap<String, String>,
    /// Whether test credentials were given.
    pub has_test_credentials: bool,
    /// The test credentials (moderator view only).
    pub test_credentials: Option<String>,
    /// Support phone.
    pub support_phone: String,
    /// Support e-mail.
    pub support_email: String,
    /// Name and description changes applied on approval.
    pub changes: Value,
    /// The publication-profile report.
    pub report: Value,
    /// The published version the diff is against.
    pub base_version: Option<i64>,
    /// The decision, once decided.
    pub decision: Option<Decision>,
    /// Creation time, unix ms.
    pub created_at: i64,
    /// Last change, unix ms.
    pub updated_at: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Items<T> {
    items: Vec<T>,
}

/// An audit event (also the data of every server-sent event).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AuditEvent {
    /// Numeric id, increasing.
    pub id: i64,
    /// When, unix ms.
    pub at: i64,
    /// `submission.approved`, `version.published`, ...
    pub kind: String,
    /// The state before, if it is a state change.
    pub from_state: Option<String>,
    /// The state after, if it is a state change.
    pub to_state: Option<String>,
}

/// The integration.
pub async fn integration(client: &Client, id: u64) -> Result<Integration> {
    client.get(&format!("/api/v1/integrations/{id}")).await
}

/// The integration's versions, newest first.
pub async fn versions(client: &Client, id: u64) -> Result<Vec<Version>> {
    let list: VersionList = client
        .get(&format!("/api/v1/integrations/{id}/versions"))
        .await?;
    Ok(list.versions)
}

/// The integration's submissions, newest first.
pub async fn submissions(client: &Client, id: u64) -> Result<Vec<Submission>> {
    let list: Items<Submission> = client
        .get(&format!("/api/v1/integrations/{id}/submissions"))
        .await?;
    Ok(list.items)
}

/// One submission.
pub async fn submission(client: &Client, id: u64, sid: i64) -> Result<Submission> {
    client
        .get(&format!("/api/v1/integrations/{id}/submissions/{sid}"))
        .await
}

/// The integration's audit events, oldest first.
pub async fn audit(client: &Client, id: u64) -> Result<Vec<AuditEvent>> {
    let list: Items<AuditEvent> = client
        .get(&format!("/api/v1/integrations/{id}/audit"))
        .await?;
    Ok(list.items)
}

/// A version named by sequence number (`3`) or by `widget.version` (`1.0.2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// A sequence number.
    Number(i64),
    /// A `widget.version` string.
    Widget(String),
}

impl std::str::FromStr for VersionSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<VersionSpec, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("a version is a sequence number or a widget.version".to_string());
        }
        Ok(match s.parse::<i64>() {
            Ok(n) if n > 0 => VersionSpec::Number(n),
            Ok(_) => return Err("a sequence number starts at 1".to_string()),
            Err(_) => VersionSpec::Widget(s.to_string()),
        })
    }
}

impl VersionSpec {
    /// The sequence number among `versions`.
    pub fn resolve(&self, versions: &[Version]) -> Result<i64> {
        match self {
            VersionSpec::Number(n) => Ok(*n),
            VersionSpec::Widget(w) => match versions.iter().find(|v| &v.widget_version == w) {
                Some(v) => Ok(v.number),
                None => {
                    let known: Vec<String> = versions
                        .iter()
                        .map(|v| format!("{} ({})", v.widget_version, v.number))
                        .collect();
                    bail!(
                        "no version has widget.version `{w}`; the versions are: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    )
                }
            },
        }
    }
}

/// `2025-06-01 12:30 UTC` for a unix time in milliseconds.
pub fn utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil.
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

/// The reasons of a rejection, one per line: `  - code: text`.
pub fn reasons(decision: Option<&Decision>) -> String {
    let mut out = String::new();
    for r in decision.map(|d| d.reasons.as_slice()).unwrap_or_default() {
        out.push_str(&format!("  - {}: {}\n", r.code, r.text));
    }
    out
}

/// A submission's state and since when: `in_review since 2025-06-01 12:30 UTC`.
pub fn state_since(s: &Submission) -> String {
    match &s.decision {
        Some(d) if d.at > 0 => format!("{} at {}", s.state, utc(d.at)),
        _ if s.state == "in_review" => format!("in_review since {}", utc(s.created_at)),
        _ => format!("{} at {}", s.state, utc(s.updated_at)),
    }
}

/// One line about a submission: `submission 7: version 3 (1.0.2), in_review since ...`.
pub fn submission_line(s: &Submission) -> String {
    format!(
        "submission {}: version {} ({}), {}",
        s.id,
        s.version.number,
        s.version.widget_version,
        state_since(s)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_767_225_599_000), "2025-12-31 23:59 UTC");
        assert_eq!(utc(-60_000), "1969-12-31 23:59 UTC");
        // Nothing the server sends can make it panic.
        let _ = utc(i64::MAX);
        let _ = utc(i64::MIN);
    }

    #[test]
    fn version_specs() {
        let versions = vec![
            Version {
                number: 2,
                widget_version: "1.0.1".into(),
                ..Version::default()
            },
            Version {
                number: 1,
                widget_version: "1.0.0".into(),
                ..Version::default()
            },
        ];
        let spec = |s: &str| s.parse::<VersionSpec>();
        assert_eq!(spec("3").unwrap().resolve(&versions).unwrap(), 3);
        assert_eq!(spec("1.0.0").unwrap().resolve(&versions).unwrap(), 1);
        let err = spec("9.9.9").unwrap().resolve(&versions).unwrap_err();
        assert!(err.to_string().contains("1.0.1 (2), 1.0.0 (1)"), "{err}");
        assert!(spec("0").is_err() && spec(" ").is_err());
    }

    #[test]
    fn lenient_submissions() {
        let s: Submission = serde_json::from_str(
            r#"{"id": 7, "state": "rejected", "version": {"number": 3}, "unknown": 1,
                "decision": {"outcome": "rejected", "reasons": [{"code": "script.debugger", "text": "remove it"}]}}"#,
        )
        .unwrap();
        assert_eq!(
            reasons(s.decision.as_ref()),
            "  - script.debugger: remove it\n"
        );
        assert!(submission_line(&s).starts_with("submission 7: version 3 (), rejected at"));
        assert!(serde_json::from_str::<Submission>(r#"{"id": "x"}"#).is_err());
    }
}
