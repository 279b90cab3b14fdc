//! Small actions: withdraw, roll back, convert, rotate the secret.

use super::*;

#[derive(Debug, Default, Deserialize)]
pub(super) struct ActionForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) version: Option<String>,
}

/// Runs an action's outcome: redirect with a notice, or the page with the refusal.
pub(super) async fn after_action<T>(
    state: &AppState,
    user: &SignedIn,
    integration: Integration,
    result: Result<T, Error>,
    notice: &str,
) -> PageResult {
    match result {
        Ok(_) => Ok(see_page(integration.id, notice)),
        Err(e) => match refusal(user.viewer.lang, &e) {
            Some((status, problem)) => {
                let integration = own(state, user, &integration.id.to_string()).await?;
                Ok(integration_page(
                    state,
                    user,
                    integration,
                    Extras {
                        status: Some(status),
                        problem: Some(problem),
                        ..Extras::default()
                    },
                )
                .await?)
            }
            None => Err(e.into()),
        },
    }
}

pub(super) async fn withdraw(
    State(state): State<AppState>,
    user: SignedIn,
    Path((id, sid)): Path<(String, String)>,
    Form(f): Form<ActionForm>,
) -> PageResult {
    let integration = own_posted(&state, &user, &id, &f.csrf).await?;
    let sid = parse_id(&sid)
        .map(SubmissionId)
        .ok_or(PageError::NotFound)?;
    let result = state
        .inner
        .registry
        .withdraw(&user.principal, integration.id, sid)
        .await;
    if matches!(result, Err(Error::NotFound)) {
        return Err(PageError::NotFound);
    }
    after_action(&state, &user, integration, result, "withdrawn").await
}

pub(super) async fn rollback(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> PageResult {
    let integration = own_posted(&state, &user, &id, &f.csrf).await?;
    let Some(number) = f.version.as_deref().and_then(parse_id) else {
        return after_action::<()>(
            &state,
            &user,
            integration,
            Err(Error::BadInput(BadInput::new(
                "/version",
                InputCode::VersionNotChosen,
            ))),
            "rolled_back",
        )
        .await;
    };
    let result = state
        .inner
        .registry
        .rollback(&user.principal, integration.id, number)
        .await;
    after_action(&state, &user, integration, result, "rolled_back").await
}

pub(super) async fn convert(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> PageResult {
    let integration = own_posted(&state, &user, &id, &f.csrf).await?;
    let result = state
        .inner
        .registry
        .convert(&user.principal, integration.id)
        .await;
    after_action(&state, &user, integration, result, "converted").await
}

pub(super) async fn rotate_secret(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<ActionForm>,
) -> PageResult {
    let integration = own_posted(&state, &user, &id, &f.csrf).await?;
    match state
        .inner
        .registry
        .rotate_secret(&user.principal, integration.id)
        .await
    {
        Ok((integration, secret)) => Ok(integration_page(
            &state,
            &user,
            integration,
            Extras {
                secret: Some(secret),
                notice: Some(text(user.viewer.lang, "integrator-notice-rotated").into()),
                ..Extras::default()
            },
        )
        .await?),
        Err(e) => after_action::<()>(&state, &user, integration, Err(e), "").await,
    }
}

/// The integrator's own stored files are read whole for snippets.
pub(super) const OWN_SOURCE_BYTES: i64 = i64::MAX;
