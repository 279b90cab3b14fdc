//! The submission page and the decisions: approve, and reject with reasons.

use super::*;

/// A reason code the reject form offers.
#[derive(Debug, Serialize)]
pub(super) struct ReasonOption {
    pub(super) code: String,
    pub(super) title: String,
}

/// The moderators' codes in the page's language.
pub(super) fn moderation_options(lang: Lang) -> Vec<ReasonOption> {
    MODERATION_REASONS
        .iter()
        .map(|code| ReasonOption {
            code: code.to_string(),
            title: i18n::reason_title(lang, code).to_string(),
        })
        .collect()
}

/// The codes of the report's findings, once each, with the first finding's message.
pub(super) fn finding_options(diagnostics: &[Diagnostic]) -> Vec<ReasonOption> {
    let mut seen = std::collections::HashSet::new();
    diagnostics
        .iter()
        .filter(|d| seen.insert(d.code.as_str()))
        .map(|d| ReasonOption {
            code: d.code.clone(),
            title: d.message.clone(),
        })
        .collect()
}

/// One row of the reject form as entered, with its errors.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub(super) struct ReasonRow {
    pub(super) code: String,
    pub(super) text: String,
    pub(super) code_error: Option<&'static str>,
    pub(super) text_error: Option<&'static str>,
}

/// The reject form's rows from its `code_<i>`/`text_<i>` fields, in row order.
pub(super) fn reason_rows(fields: &[(String, String)]) -> Vec<ReasonRow> {
    let mut rows: BTreeMap<usize, ReasonRow> = BTreeMap::new();
    for (name, value) in fields {
        let Some((field, i)) = name.split_once('_') else {
            continue;
        };
        let Ok(i) = i.parse::<usize>() else {
            continue;
        };
        match field {
            "code" => rows.entry(i).or_default().code = value.trim().to_string(),
            "text" => rows.entry(i).or_default().text = value.trim().to_string(),
            _ => {}
        }
    }
    rows.into_values().collect()
}

/// The reasons of the filled rows (empty rows are skipped), or the rows marked with their
/// errors (text keys).
pub(super) fn check_rows(rows: &mut [ReasonRow]) -> Result<Vec<Reason>, &'static str> {
    let mut reasons = Vec::new();
    let mut bad = false;
    for row in rows.iter_mut() {
        if row.code.is_empty() && row.text.is_empty() {
            continue;
        }
        if row.code.is_empty() {
            row.code_error = Some("moderation-err_code_missing");
        } else if !is_reason_code(&row.code) {
            row.code_error = Some("moderation-err_code_unknown");
        }
        if row.text.is_empty() {
            row.text_error = Some("moderation-err_text_missing");
        }
        if row.code_error.is_some() || row.text_error.is_some() {
            bad = true;
        } else {
            reasons.push(Reason {
                code: row.code.clone(),
                text: row.text.clone(),
            });
        }
    }
    if bad {
        Err("moderation-err_reject_form")
    } else if reasons.is_empty() {
        Err("moderation-err_no_reason")
    } else {
        Ok(reasons)
    }
}

/// What the decision forms show when the page is shown again after a refused post.
#[derive(Debug, Default)]
pub(super) struct Forms {
    pub(super) rows: Vec<ReasonRow>,
    pub(super) reject_note: String,
    pub(super) approve_note: String,
    /// The text key of the page's problem message.
    pub(super) problem: Option<&'static str>,
    /// The problem belongs to the reject form (else the approve form, or none).
    pub(super) reject_problem: bool,
    /// Whether to offer the reload link with the problem.
    pub(super) reload: bool,
}

/// The submission page with the given form state.
pub(super) async fn show(
    state: &AppState,
    user: &SignedIn,
    sid: SubmissionId,
    status: StatusCode,
    mut forms: Forms,
    notice: Option<&'static str>,
) -> PageResult {
    let registry = &state.inner.registry;
    let d = registry.review_detail(&user.principal, sid).await?;
    let lang = user.viewer.lang;
    let sources = report::stored_sources(
        registry,
        &d.version.files,
        &d.submission.report.diagnostics,
        MAX_SOURCE_BYTES,
    )
    .await;
    let groups = report::group(&d.submission.report.diagnostics, &|p: &str| {
        sources.get(p).cloned()
    });
    let account = account_label(registry, d.submission.account_id).await;
    let files = file_rows(&d.version.files, &d.diff);
    let findings = finding_options(&d.submission.report.diagnostics);
    let report_counts = (d.submission.report.errors, d.submission.report.warnings);
    let libraries = d.submission.report.libraries.clone();
    let changes: Vec<ChangeView> = d.diff.into_iter().map(change_view).collect();
    while forms.rows.len() < MIN_REASON_ROWS {
        forms.rows.push(ReasonRow::default());
    }
    let rows: Vec<_> = forms
        .rows
        .iter()
        .map(|r| {
            context! {
                code => r.code,
                text => r.text,
                code_error => r.code_error.map(|k| i18n::text(lang, k)),
                text_error => r.text_error.map(|k| i18n::text(lang, k)),
            }
        })
        .collect();
    let problem = forms.problem.map(|k| i18n::text(lang, k));
    let (approve_problem, reject_problem) = if forms.reject_problem {
        (None, problem)
    } else {
        (problem, None)
    };
    let in_review = d.submission.state == SubmissionState::InReview;
    let preview_runs = super::runs::listed(registry, user, sid).await?;
    Ok(page_with(
        status,
        &user.viewer,
        "moderation/submission.html",
        context! {
            submission => d.submission,
            in_review => in_review,
            integration => d.integration,
            account => account,
            version => d.version.version,
            base => d.base_version,
            groups => groups,
            libraries => minijinja::Value::from_serialize(&libraries),
            report_errors => report_counts.0,
            report_warnings => report_counts.1,
            files => files,
            changes => changes,
            open_diff_lines => OPEN_DIFF_LINES,
            moderation_reasons => moderation_options(lang),
            finding_reasons => findings,
            rows => rows,
            reject_note => forms.reject_note,
            approve_note => forms.approve_note,
            reject_problem => reject_problem,
            approve_problem => approve_problem,
            problem => problem,
            reload => forms.reload,
            notice => notice.map(|k| i18n::text(lang, k)),
            preview_runs => preview_runs,
        },
    ))
}

/// A submission id from the path; anything else is not found.
pub(super) fn parse_sid(raw: &str) -> Option<SubmissionId> {
    raw.parse().ok().filter(|n| *n > 0).map(SubmissionId)
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct NoticeQuery {
    pub(super) notice: Option<String>,
}

/// `GET /moderation/{sid}`.
pub(super) async fn submission(
    State(state): State<AppState>,
    user: SignedIn,
    Path(sid): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    moderators_only(&user)?;
    let Some(sid) = parse_sid(&sid) else {
        return Err(PageError::NotFound);
    };
    let notice = match q.notice.as_deref() {
        Some("approved") => Some("moderation-notice_approved"),
        Some("rejected") => Some("moderation-notice_rejected"),
        Some("previewed") => Some("moderation-notice_previewed"),
        _ => None,
    };
    show(&state, &user, sid, StatusCode::OK, Forms::default(), notice).await
}

/// A refused decision: the page again with the message, 409 for state conflicts, 400 else.
pub(super) async fn refused(
    state: &AppState,
    user: &SignedIn,
    sid: SubmissionId,
    e: Error,
    mut forms: Forms,
) -> PageResult {
    let (status, key, reload) = match &e {
        Error::StateConflict(r) if r.case == StateCase::PublishedChanged => (
            StatusCode::CONFLICT,
            "moderation-err_published_changed",
            true,
        ),
        Error::StateConflict(r) if r.case == StateCase::Outdated => {
            (StatusCode::CONFLICT, "moderation-err_outdated", false)
        }
        Error::StateConflict(_) => (StatusCode::CONFLICT, "moderation-err_decided", false),
        Error::BadInput(bad) => {
            tracing::info!(%sid, %bad, "a decision was refused");
            (StatusCode::BAD_REQUEST, "moderation-err_bad_form", true)
        }
        _ => return Err(e.into()),
    };
    forms.problem = Some(key);
    forms.reload = reload;
    show(state, user, sid, status, forms, None).await
}

/// `POST /moderation/{sid}/approve` fields.
#[derive(Debug, Deserialize)]
pub(super) struct ApproveForm {
    #[serde(default)]
    pub(super) csrf: String,
    /// The published version's number the diff was shown against; empty for none.
    pub(super) base_version: Option<String>,
    #[serde(default)]
    pub(super) note: String,
}

/// `POST /moderation/{sid}/approve`.
pub(super) async fn approve(
    State(state): State<AppState>,
    user: SignedIn,
    Path(sid): Path<String>,
    Form(f): Form<ApproveForm>,
) -> PageResult {
    check_csrf(&user.principal, &f.csrf)?;
    moderators_only(&user)?;
    let Some(sid) = parse_sid(&sid) else {
        return Err(PageError::NotFound);
    };
    let base = match f.base_version.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(n) => match n.parse::<i64>() {
            Ok(n) => Some(Some(n)),
            Err(_) => {
                let forms = Forms {
                    problem: Some("moderation-err_bad_form"),
                    reload: true,
                    approve_note: f.note,
                    ..Forms::default()
                };
                return show(&state, &user, sid, StatusCode::BAD_REQUEST, forms, None).await;
            }
        },
    };
    let note = Some(f.note.clone()).filter(|n| !n.trim().is_empty());
    Ok(
        match state
            .inner
            .registry
            .approve(&user.principal, sid, base, note)
            .await
        {
            Ok(_) => Redirect::to(&format!("/moderation/{sid}?notice=approved")).into_response(),
            Err(e) => {
                let forms = Forms {
                    approve_note: f.note,
                    ..Forms::default()
                };
                refused(&state, &user, sid, e, forms).await?
            }
        },
    )
}

/// `POST /moderation/{sid}/reject`: `csrf`, `note` and rows `code_<i>`/`text_<i>`.
pub(super) async fn reject(
    State(state): State<AppState>,
    user: SignedIn,
    Path(sid): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    check_csrf(&user.principal, &field("csrf"))?;
    moderators_only(&user)?;
    let Some(sid) = parse_sid(&sid) else {
        return Err(PageError::NotFound);
    };
    let mut rows = reason_rows(&fields);
    let note = field("note");
    let reasons = match check_rows(&mut rows) {
        Ok(reasons) => reasons,
        Err(key) => {
            let forms = Forms {
                rows,
                reject_note: note,
                problem: Some(key),
                reject_problem: true,
                ..Forms::default()
            };
            return show(&state, &user, sid, StatusCode::BAD_REQUEST, forms, None).await;
        }
    };
    let given = Some(note.clone()).filter(|n| !n.trim().is_empty());
    Ok(
        match state
            .inner
            .registry
            .reject(&user.principal, sid, reasons, given)
            .await
        {
            Ok(_) => Redirect::to(&format!("/moderation/{sid}?notice=rejected")).into_response(),
            Err(e) => {
                let forms = Forms {
                    rows,
                    reject_note: note,
                    reject_problem: true,
                    ..Forms::default()
                };
                refused(&state, &user, sid, e, forms).await?
            }
        },
    )
}
