//! Uploading `widget.zip` as a new version: the owner check before the body is read, the
//! intake (the `widget` field into a temporary file under the size cap), a validation slot,
//! storing, and the upload metrics (accepted, refused by code, findings).

use crate::AppState;
use crate::error::{ApiError, problem_code};
use crate::upload::{self, Received};
use axum::extract::Multipart;
use widgetry_registry::{
    CheckSlot, DenialCase, Error, Integration, IntegrationId, Principal, Report, Scope,
    UploadOutcome,
};
use widgetry_validator::Lang;

/// Why an upload was not stored.
#[derive(Debug)]
pub(crate) enum UploadRefusal {
    /// The request itself: no `widget` field, a wrong file name, too large, unreadable.
    Intake(ApiError),
    /// The package failed validation. The received file and the validation slot come back,
    /// so that a page showing the findings with their source lines reads the archive again
    /// and does that work within the slot (the API drops both unread).
    Invalid {
        report: Box<Report>,
        received: Received,
        slot: CheckSlot,
    },
    /// Any other refusal or failure of the registry.
    Registry(Error),
}

impl From<Error> for UploadRefusal {
    fn from(e: Error) -> Self {
        UploadRefusal::Registry(e)
    }
}

impl From<UploadRefusal> for ApiError {
    fn from(r: UploadRefusal) -> ApiError {
        match r {
            UploadRefusal::Intake(e) => e,
            UploadRefusal::Invalid { report, .. } => Error::Invalid(report).into(),
            UploadRefusal::Registry(e) => e.into(),
        }
    }
}

/// The integration `principal` may upload to, checked before the body is read: the `upload`
/// scope, and the owner account (another account's integration it can see is 403). A
/// refusal is counted like any other.
pub(crate) async fn target(
    state: &AppState,
    principal: &Principal,
    integration_id: IntegrationId,
) -> Result<Integration, Error> {
    let result = owned(state, principal, integration_id).await;
    if let Err(e) = &result {
        state.inner.metrics.upload_refused(problem_code(e));
    }
    result
}

async fn owned(
    state: &AppState,
    principal: &Principal,
    integration_id: IntegrationId,
) -> Result<Integration, Error> {
    principal.require_scope(Scope::Upload)?;
    let integration = state
        .inner
        .registry
        .get_integration(principal, integration_id)
        .await?;
    if integration.account_id != principal.account.id {
        return Err(Error::denied(DenialCase::OwnerUploadsOnly));
    }
    Ok(integration)
}

/// Receives the package from `multipart` (or the reason the body is not one) and stores it
/// as a new version of `integration_id` (see [`target`] for what to check first), counting
/// the outcome.
pub(crate) async fn upload(
    state: &AppState,
    principal: &Principal,
    integration_id: IntegrationId,
    multipart: Result<Multipart, ApiError>,
    lang: Lang,
) -> Result<UploadOutcome, UploadRefusal> {
    let metrics = &state.inner.metrics;
    let result = receive_and_store(state, principal, integration_id, multipart, lang).await;
    match &result {
        Ok(outcome) => {
            metrics.upload_accepted();
            metrics.findings(&outcome.warnings);
        }
        Err(UploadRefusal::Intake(e)) => metrics.upload_refused(e.code()),
        Err(UploadRefusal::Invalid { report, .. }) => {
            metrics.findings(&report.diagnostics);
            metrics.upload_refused("validation.failed");
        }
        Err(UploadRefusal::Registry(e)) => metrics.upload_refused(problem_code(e)),
    }
    result
}

async fn receive_and_store(
    state: &AppState,
    principal: &Principal,
    integration_id: IntegrationId,
    multipart: Result<Multipart, ApiError>,
    lang: Lang,
) -> Result<UploadOutcome, UploadRefusal> {
    let received = upload::receive(
        multipart.map_err(UploadRefusal::Intake)?,
        state.inner.config.max_upload_bytes,
        &state.inner.upload_dir,
        lang,
    )
    .await
    .map_err(UploadRefusal::Intake)?;
    let registry = &state.inner.registry;
    let slot = registry.check_slot().await?;
    let bytes = received.read().await.map_err(UploadRefusal::Intake)?;
    match registry
        .upload_version_owned(&slot, principal, integration_id, bytes, lang)
        .await
    {
        Ok(outcome) => Ok(outcome),
        Err(Error::Invalid(report)) => Err(UploadRefusal::Invalid {
            report,
            received,
            slot,
        }),
        Err(e) => Err(e.into()),
    }
}
