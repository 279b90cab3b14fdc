//! Views of registry objects for the templates.

use super::*;

#[derive(Debug, Serialize)]
pub(super) struct VersionBrief {
    pub(super) number: i64,
    pub(super) widget_version: String,
    pub(super) state: &'static str,
    pub(super) state_label: String,
}

pub(super) fn brief(lang: Lang, v: &Version) -> VersionBrief {
    VersionBrief {
        number: v.number,
        widget_version: v.widget_version.clone(),
        state: v.state.as_str(),
        state_label: state_label(lang, v.state.as_str()),
    }
}

#[derive(Debug, Serialize)]
pub(super) struct IntegrationView {
    pub(super) id: i64,
    pub(super) name: BTreeMap<String, String>,
    pub(super) description: BTreeMap<String, String>,
    pub(super) display_name: String,
    pub(super) redirect_uri: String,
    pub(super) code: Option<String>,
    pub(super) scheme: &'static str,
    pub(super) scheme_label: &'static str,
    pub(super) legacy: bool,
    pub(super) visibility: &'static str,
    pub(super) visibility_label: &'static str,
    pub(super) client_uuid: String,
    pub(super) created_at: i64,
    pub(super) latest: Option<VersionBrief>,
    published: Option<VersionBrief>,
}

pub(super) fn integration_view(
    lang: Lang,
    i: &Integration,
    versions: &[Version],
) -> IntegrationView {
    let scheme = match i.scheme {
        Scheme::Legacy => "legacy",
        _ => "market",
    };
    let visibility = i.visibility.as_str();
    let find = |id: Option<widgetry_registry::VersionId>| {
        id.and_then(|id| versions.iter().find(|v| v.id == id))
            .map(|v| brief(lang, v))
    };
    IntegrationView {
        id: i.id.into(),
        name: i.name.clone(),
        description: i.description.clone(),
        display_name: i.display_name(),
        redirect_uri: i.redirect_uri.clone(),
        code: i.code.clone(),
        scheme,
        scheme_label: text(lang, &format!("integrator-scheme-{scheme}")),
        legacy: i.scheme == Scheme::Legacy,
        visibility,
        visibility_label: text(lang, &format!("integrator-visibility-{visibility}")),
        client_uuid: i.client_uuid.clone(),
        created_at: i.created_at.into(),
        latest: find(i.latest_version_id),
        published: find(i.published_version_id),
    }
}

#[derive(Debug, Serialize)]
pub(super) struct VersionRow {
    #[serde(flatten)]
    pub(super) brief: VersionBrief,
    pub(super) created_at: i64,
    pub(super) can_rollback: bool,
}

#[derive(Debug, Serialize)]
pub(super) struct ReasonView {
    pub(super) code: String,
    pub(super) text: String,
}

#[derive(Debug, Serialize)]
pub(super) struct SubmissionRow {
    pub(super) id: i64,
    pub(super) number: i64,
    pub(super) widget_version: String,
    pub(super) state: &'static str,
    pub(super) state_label: String,
    pub(super) languages: Vec<String>,
    pub(super) created_at: i64,
    pub(super) decided_at: Option<i64>,
    pub(super) reasons: Vec<ReasonView>,
    pub(super) note: Option<String>,
    pub(super) can_withdraw: bool,
}

pub(super) fn submission_row(lang: Lang, s: &Submission) -> SubmissionRow {
    SubmissionRow {
        id: s.id.into(),
        number: s.version.number,
        widget_version: s.version.widget_version.clone(),
        state: s.state.as_str(),
        state_label: state_label(lang, s.state.as_str()),
        languages: s.languages.clone(),
        created_at: s.created_at.into(),
        decided_at: s.decision.as_ref().map(|d| d.at).map(i64::from),
        reasons: s
            .decision
            .iter()
            .flat_map(|d| &d.reasons)
            .map(|r| ReasonView {
                code: r.code.clone(),
                text: r.text.clone(),
            })
            .collect(),
        note: s.decision.as_ref().and_then(|d| d.note.clone()),
        can_withdraw: s.state == SubmissionState::InReview,
    }
}
