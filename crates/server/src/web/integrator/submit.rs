//! Submitting a version for moderation.

use super::*;

/// The submission form's values as entered (shown again on refusal, test credentials
/// excepted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(super) struct SubmitValues {
    pub(super) version: Option<i64>,
    pub(super) languages: Vec<String>,
    pub(super) description: BTreeMap<String, String>,
    pub(super) instructions: BTreeMap<String, String>,
    pub(super) change_name: BTreeMap<String, String>,
    pub(super) change_description: BTreeMap<String, String>,
    pub(super) support_phone: String,
    pub(super) support_email: String,
    #[serde(skip)]
    pub(super) test_credentials: String,
}

/// Whether a string may be a language code in a field name or id (`en`, `pt`, `zh-hans`).
pub(super) fn is_lang_code(s: &str) -> bool {
    (2..=8).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && s.as_bytes()[0].is_ascii_lowercase()
}

/// Reads the submission form: the CSRF token and the values. Per-language fields are
/// `description_<lang>`, `instructions_<lang>`, `change_name_<lang>`,
/// `change_description_<lang>`; `languages` repeats.
pub(super) fn parse_submit(pairs: &[(String, String)]) -> (String, SubmitValues) {
    let mut csrf = String::new();
    let mut v = SubmitValues::default();
    for (key, value) in pairs {
        match key.as_str() {
            "csrf" => csrf = value.clone(),
            "version" => v.version = value.trim().parse().ok(),
            "languages" => {
                let l = value.trim().to_string();
                if is_lang_code(&l) && !v.languages.contains(&l) {
                    v.languages.push(l);
                }
            }
            "support_phone" => v.support_phone = value.clone(),
            "support_email" => v.support_email = value.clone(),
            "test_credentials" => v.test_credentials = value.clone(),
            other => {
                let maps = [
                    ("change_description_", &mut v.change_description),
                    ("change_name_", &mut v.change_name),
                    ("description_", &mut v.description),
                    ("instructions_", &mut v.instructions),
                ];
                for (prefix, map) in maps {
                    if let Some(lang) = other.strip_prefix(prefix) {
                        if is_lang_code(lang) {
                            map.insert(lang.to_string(), value.clone());
                        }
                        break;
                    }
                }
            }
        }
    }
    (csrf, v)
}

impl SubmitValues {
    /// What the registry is asked: texts of the publication languages only, blank fields
    /// left out (so a missing one is reported as missing), changes as entered.
    pub(super) fn to_submission(&self) -> NewSubmission {
        let of_languages = |m: &BTreeMap<String, String>| {
            m.iter()
                .filter(|(k, v)| self.languages.contains(k) && !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        let filled = |m: &BTreeMap<String, String>| {
            m.iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>()
        };
        NewSubmission {
            version: self.version,
            languages: self.languages.clone(),
            description: of_languages(&self.description),
            instructions: of_languages(&self.instructions),
            test_credentials: Some(self.test_credentials.trim())
                .filter(|c| !c.is_empty())
                .map(|c| TestCredentials(c.to_string())),
            support_phone: self.support_phone.clone(),
            support_email: self.support_email.clone(),
            changes: ListingChanges {
                name: filled(&self.change_name),
                description: filled(&self.change_description),
            },
        }
    }
}

/// The form field a finding's JSON pointer is about (its element id), if it names one.
pub(super) fn field_id(pointer: &str) -> Option<String> {
    let parts: Vec<String> = pointer
        .strip_prefix('/')?
        .split('/')
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .collect();
    let lang = |s: &String| is_lang_code(s).then(|| s.clone());
    match parts.as_slice() {
        [f] if f == "languages" => Some("sub-languages".into()),
        [f, _] if f == "languages" => Some("sub-languages".into()),
        [f] if f == "version" => Some("sub-version".into()),
        [f] if f == "support_phone" => Some("sub-support-phone".into()),
        [f] if f == "support_email" => Some("sub-support-email".into()),
        [f] if f == "test_credentials" => Some("sub-test-credentials".into()),
        [f, l] if f == "description" => Some(format!("sub-description-{}", lang(l)?)),
        [f, l] if f == "instructions" => Some(format!("sub-instructions-{}", lang(l)?)),
        [c, f, l] if c == "changes" && f == "name" => Some(format!("sub-change-name-{}", lang(l)?)),
        [c, f, l] if c == "changes" && f == "description" => {
            Some(format!("sub-change-description-{}", lang(l)?))
        }
        _ => None,
    }
}

/// Findings about form fields, by field id (file-less findings with a pointer we can map).
pub(super) fn field_errors(diagnostics: &[Diagnostic]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.file.is_none()) {
        if let Some(id) = d.pointer.as_deref().and_then(field_id) {
            out.entry(id).or_default().push(d.message.clone());
        }
    }
    out
}

/// The languages offered as publication languages: English and Russian, those the widget
/// declares, and any the form already names.
pub(super) fn offered_languages(declared: &[String], values: &SubmitValues) -> Vec<String> {
    let mut out: Vec<String> = vec!["en".into(), "ru".into()];
    let named = values
        .languages
        .iter()
        .chain(values.description.keys())
        .chain(values.instructions.keys())
        .chain(values.change_name.keys())
        .chain(values.change_description.keys());
    for l in declared.iter().chain(named) {
        if is_lang_code(l) && !out.contains(l) {
            out.push(l.clone());
        }
    }
    out
}

#[derive(Debug, Serialize)]
pub(super) struct LangOption {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) checked: bool,
}

pub(super) struct SubmitPage<'a> {
    pub(super) status: StatusCode,
    /// The integration's id and display name.
    pub(super) integration: (i64, String),
    pub(super) versions: &'a [Version],
    pub(super) declared: Vec<String>,
    pub(super) values: SubmitValues,
    pub(super) problem: Option<String>,
    pub(super) report: Vec<Group>,
    pub(super) field_errors: BTreeMap<String, Vec<String>>,
    pub(super) credentials_dropped: bool,
}

pub(super) fn submit_page(viewer: &Viewer, p: SubmitPage<'_>) -> Response {
    let lang = viewer.lang;
    let submittable = [
        VersionState::Uploaded,
        VersionState::Rejected,
        VersionState::Withdrawn,
    ];
    let selected = p.values.version.or_else(|| {
        p.versions
            .iter()
            .find(|v| submittable.contains(&v.state))
            .map(|v| v.number)
    });
    let versions: Vec<Value> = p
        .versions
        .iter()
        .map(|v| {
            context! {
                number => v.number,
                label => fill(lang, "integrator-submit-version_option", &[
                    ("number", &v.number),
                    ("widget_version", &v.widget_version),
                    ("state", &state_label(lang, v.state.as_str())),
                ]),
                selected => Some(v.number) == selected,
                disabled => !submittable.contains(&v.state),
            }
        })
        .collect();
    let langs: Vec<LangOption> = offered_languages(&p.declared, &p.values)
        .into_iter()
        .map(|code| LangOption {
            checked: p.values.languages.contains(&code),
            name: language_name(lang, &code),
            code,
        })
        .collect();
    page_with(
        p.status,
        viewer,
        "integrator/submit.html",
        context! {
            integration => context! { id => p.integration.0, name => p.integration.1 },
            has_versions => !p.versions.is_empty(),
            versions => versions,
            langs => Value::from_serialize(&langs),
            values => Value::from_serialize(&p.values),
            problem => p.problem,
            findings => Value::from_serialize(&p.report),
            field_errors => Value::from_serialize(&p.field_errors),
            credentials_dropped => p.credentials_dropped,
        },
    )
}

/// The languages a version's manifest declares (`widget.locale`).
pub(super) async fn declared_languages(
    state: &AppState,
    principal: &Principal,
    id: IntegrationId,
    number: Option<i64>,
) -> Vec<String> {
    let Some(number) = number else {
        return Vec::new();
    };
    match state
        .inner
        .registry
        .get_version(principal, id, number)
        .await
    {
        Ok(d) => d
            .manifest
            .pointer("/widget/locale")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

pub(super) async fn submit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let integration = own(&state, &user, &id).await?;
    let registry = &state.inner.registry;
    let (versions, submissions) = match (
        registry
            .list_versions(&user.principal, integration.id)
            .await,
        registry
            .list_submissions(&user.principal, integration.id)
            .await,
    ) {
        (Ok(v), Ok(s)) => (v, s),
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    let declared = declared_languages(
        &state,
        &user.principal,
        integration.id,
        versions.first().map(|v| v.number),
    )
    .await;
    // Start from the last submission's texts (a resubmission after a rejection changes
    // little), else the languages the widget declares among English and Russian.
    let values = match submissions.first() {
        Some(s) => SubmitValues {
            version: None,
            languages: s.languages.clone(),
            description: s.description.clone(),
            instructions: s.instructions.clone(),
            change_name: BTreeMap::new(),
            change_description: BTreeMap::new(),
            support_phone: s.support_phone.clone(),
            support_email: s.support_email.clone(),
            test_credentials: String::new(),
        },
        None => SubmitValues {
            languages: ["en", "ru"]
                .into_iter()
                .filter(|l| declared.is_empty() || declared.iter().any(|d| d == l))
                .map(str::to_string)
                .collect(),
            ..SubmitValues::default()
        },
    };
    Ok(submit_page(
        &user.viewer,
        SubmitPage {
            status: StatusCode::OK,
            integration: (integration.id.into(), integration.display_name()),
            versions: &versions,
            declared,
            values,
            problem: None,
            report: Vec::new(),
            field_errors: BTreeMap::new(),
            credentials_dropped: false,
        },
    ))
}

pub(super) async fn submit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (csrf, values) = parse_submit(&pairs);
    let integration = own_posted(&state, &user, &id, &csrf).await?;
    let lang = user.viewer.lang;
    let registry = &state.inner.registry;
    let result = registry
        .submit(
            &user.principal,
            integration.id,
            values.to_submission(),
            lang,
        )
        .await;
    let (status, problem, diagnostics) = match result {
        Ok(_) => return Ok(see_page(integration.id, "submitted")),
        Err(Error::SubmissionBlocked(report)) => (
            StatusCode::BAD_REQUEST,
            fill(lang, "integrator-submit-blocked", &[("n", &report.errors)]),
            report.diagnostics,
        ),
        Err(e) => match refusal(lang, &e) {
            Some((status, problem)) => (status, problem, Vec::new()),
            None => return Err(e.into()),
        },
    };
    let versions = registry
        .list_versions(&user.principal, integration.id)
        .await?;
    let number = values.version.or(versions.first().map(|v| v.number));
    let declared = declared_languages(&state, &user.principal, integration.id, number).await;
    // Snippets of the package's findings come from the stored version's files.
    let sources = match number {
        Some(n) if diagnostics.iter().any(|d| d.file.is_some()) => {
            match registry
                .get_version(&user.principal, integration.id, n)
                .await
            {
                Ok(detail) => {
                    report::stored_sources(registry, &detail.files, &diagnostics, OWN_SOURCE_BYTES)
                        .await
                }
                Err(_) => HashMap::new(),
            }
        }
        _ => HashMap::new(),
    };
    let report = report::group(&diagnostics, &|p| sources.get(p).cloned());
    let errors = field_errors(&diagnostics);
    let credentials_dropped = !values.test_credentials.trim().is_empty();
    let values = SubmitValues {
        test_credentials: String::new(),
        ..values
    };
    Ok(submit_page(
        &at(
            &user.viewer,
            format!("/integrations/{}/submit", integration.id),
        ),
        SubmitPage {
            status,
            integration: (integration.id.into(), integration.display_name()),
            versions: &versions,
            declared,
            values,
            problem: Some(problem),
            report,
            field_errors: errors,
            credentials_dropped,
        },
    ))
}
