//! The moderation API as the CLI reads it: the server's own JSON views (`widgetry_api::views`,
//! so a change of shape breaks the build, not the output), the list wrappers around them, and
//! the few ways the commands print them. An answer that does not read is an error, never a
//! panic.

use crate::client::Client;
use anyhow::{Result, bail};
use serde::Deserialize;
pub use widgetry_api::views::{
    DecisionView as Decision, EventView as Event, IntegrationView as Integration,
    SubmissionView as Submission, VersionView as Version,
};

#[derive(Debug, Deserialize)]
struct VersionList {
    versions: Vec<Version>,
}

/// `{"submissions": [...]}`: an integration's submissions, the moderators' queue.
#[derive(Debug, Deserialize)]
pub struct SubmissionList {
    /// The submissions.
    pub submissions: Vec<Submission>,
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
    let list: SubmissionList = client
        .get(&format!("/api/v1/integrations/{id}/submissions"))
        .await?;
    Ok(list.submissions)
}

/// One submission.
pub async fn submission(client: &Client, id: u64, sid: i64) -> Result<Submission> {
    client
        .get(&format!("/api/v1/integrations/{id}/submissions/{sid}"))
        .await
}

/// The integration's English name, else any.
pub fn display_name(integration: &Integration) -> &str {
    integration
        .name
        .get("en")
        .or_else(|| integration.name.values().next())
        .map_or("", String::as_str)
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
    widgetry_api::utc_datetime(ms)
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
        Some(d) => format!("{} at {}", s.state, utc(d.at)),
        None if s.state == "in_review" => format!("in_review since {}", utc(s.created_at)),
        None => format!("{} at {}", s.state, utc(s.updated_at)),
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

/// Test data: the server's views, complete, with some fields replaced.
#[cfg(test)]
pub mod sample {
    use serde_json::{Value, json};

    fn merged(mut base: Value, with: Value) -> Value {
        if let (Some(base), Value::Object(with)) = (base.as_object_mut(), with) {
            base.extend(with);
        }
        base
    }

    /// A submission in review; `with` replaces top-level fields.
    pub fn submission(with: Value) -> super::Submission {
        let base = json!({
            "id": 7, "integration_id": 5, "code": "deal_notes_ab12cd", "account_id": 2,
            "version": {"number": 3, "widget_version": "1.0.2"}, "state": "in_review",
            "languages": ["en"], "description": {"en": "Notes. +1 555 0100, a@b.io"},
            "instructions": {"en": "Install it and paste the key"}, "has_test_credentials": false,
            "support_phone": "+1 555 0100", "support_email": "a@b.io",
            "changes": {"name": {}, "description": {}},
            "report": {"validator": {"version": "1", "rules_hash": "x"}, "profile": "publication",
                       "valid": true, "errors": 0, "warnings": 0, "diagnostics": []},
            "base_version": null, "decision": null, "submitted_by": 1,
            "created_at": 0, "updated_at": 0
        });
        serde_json::from_value(merged(base, with)).unwrap()
    }

    /// A rejection decision with one reason per (code, text).
    pub fn rejection(reasons: &[(&str, &str)]) -> Value {
        let reasons: Vec<Value> = reasons
            .iter()
            .map(|(code, text)| json!({"code": code, "text": text}))
            .collect();
        json!({"by": 9, "at": 0, "outcome": "rejected", "reasons": reasons})
    }

    /// An integration; `with` replaces top-level fields.
    pub fn integration(with: Value) -> super::Integration {
        let base = json!({
            "id": 5, "client_uuid": "u", "account_id": 2, "name": {"en": "Deal Notes"},
            "description": {}, "redirect_uri": "https://dealnotes.io/oauth",
            "code": "deal_notes_ab12cd", "scheme": "market", "visibility": "private",
            "latest_version": 0, "created_at": 0, "updated_at": 0
        });
        serde_json::from_value(merged(base, with)).unwrap()
    }

    /// A version.
    pub fn version(number: i64, widget_version: &str, state: &str) -> super::Version {
        serde_json::from_value(json!({
            "number": number, "widget_version": widget_version, "code": "deal_notes_ab12cd",
            "sha256": "00", "size": 1, "state": state, "created_at": 0
        }))
        .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
            sample::version(2, "1.0.1", "published"),
            sample::version(1, "1.0.0", "superseded"),
        ];
        let spec = |s: &str| s.parse::<VersionSpec>();
        assert_eq!(spec("3").unwrap().resolve(&versions).unwrap(), 3);
        assert_eq!(spec("1.0.0").unwrap().resolve(&versions).unwrap(), 1);
        let err = spec("9.9.9").unwrap().resolve(&versions).unwrap_err();
        assert!(err.to_string().contains("1.0.1 (2), 1.0.0 (1)"), "{err}");
        assert!(spec("0").is_err() && spec(" ").is_err());
    }

    #[test]
    fn submissions_and_reasons() {
        let s = sample::submission(json!({
            "state": "rejected",
            "decision": sample::rejection(&[("script.debugger", "remove it")]),
        }));
        assert_eq!(
            reasons(s.decision.as_ref()),
            "  - script.debugger: remove it\n"
        );
        assert_eq!(
            submission_line(&s),
            "submission 7: version 3 (1.0.2), rejected at 1970-01-01 00:00 UTC"
        );
        assert_eq!(
            state_since(&sample::submission(json!({}))),
            "in_review since 1970-01-01 00:00 UTC"
        );
        // A wrong type is an error, not a panic.
        assert!(serde_json::from_value::<Submission>(json!({"id": "x"})).is_err());
    }
}
