//! The amoCRM widgets API (`/api/v4/widgets`), with the real API's field names and media
//! type (`application/hal+json`; errors are `application/problem+json`).
//!
//! As in amoCRM: an empty page answers 204 with no body, uninstalling answers 202, and
//! `rating` is a string.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, Problem};
use crate::extract::{Json, Path, Query};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use widgetry_registry::{MAX_WIDGETS_LIMIT, WidgetInfo};

/// The media type of successful answers.
pub const HAL_JSON: &str = "application/hal+json";
/// Page size when `limit` is absent.
const DEFAULT_LIMIT: i64 = 50;

/// Query of `GET /api/v4/widgets`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page, from 1.
    pub page: Option<i64>,
    /// Page size, 1 to 250 (default 50).
    pub limit: Option<i64>,
}

/// One settings field.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SettingsTemplateField {
    /// Field key.
    pub key: String,
    /// Field name.
    pub name: String,
    /// `text`, `pass`, `users`, `users_lp` or `custom`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Whether a value is required.
    pub is_required: bool,
}

/// A widget as the amoCRM API shows it.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Widget {
    /// Integration id.
    pub id: i64,
    /// Widget code.
    pub code: String,
    /// `widget.version` of the version live for the account.
    pub version: String,
    /// Rating (none yet: `"0"`).
    pub rating: String,
    /// The settings form.
    pub settings_template: Vec<SettingsTemplateField>,
    /// A lead source widget.
    pub is_lead_source: bool,
    /// Works with the digital pipeline.
    pub is_work_with_dp: bool,
    /// A CRM template (never).
    pub is_crm_template: bool,
    /// The integration's OAuth client id.
    pub client_uuid: Option<String>,
    /// Installed and active in the account.
    pub is_active_in_account: bool,
    /// Pipeline of a lead source installation.
    pub pipeline_id: Option<i64>,
    /// Settings of the installation (present when installed).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub settings: Option<Value>,
    /// Where the account fetches the live version's files (`{files_base_url}/script.js`): on
    /// the files origin, public for a published version, signed and expiring for the owner
    /// account's unpublished one. Also in `_links.files`.
    pub files_base_url: Option<String>,
    /// HAL links.
    #[schema(value_type = Object)]
    pub _links: Value,
}

/// `POST /api/v4/widgets/{code}` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct InstallRequest {
    /// Settings values by field key.
    #[serde(default = "empty_object")]
    #[schema(value_type = Object)]
    pub settings: Value,
    /// Pipeline, for lead source widgets.
    #[serde(default)]
    pub pipeline_id: Option<i64>,
}

fn empty_object() -> Value {
    Value::Object(serde_json::Map::new())
}

fn widget(
    w: WidgetInfo,
    origin: &crate::files::FilesOrigin,
    viewer: widgetry_registry::AccountId,
) -> Widget {
    let href = format!("/api/v4/widgets/{}", w.code);
    let files_base_url = origin.base_for_parts(
        viewer,
        w.owner_account_id,
        w.integration_public,
        &w.live_version,
    );
    let mut links = json!({"self": {"href": href}});
    if let Some(files) = &files_base_url {
        links["files"] = json!({"href": files});
    }
    Widget {
        id: w.id.into(),
        code: w.code,
        version: w.version,
        rating: "0".to_string(),
        settings_template: w
            .settings_template
            .into_iter()
            .map(|f| SettingsTemplateField {
                key: f.key,
                name: f.name,
                kind: f.kind,
                is_required: f.is_required,
            })
            .collect(),
        is_lead_source: w.is_lead_source,
        is_work_with_dp: w.is_work_with_dp,
        is_crm_template: w.is_crm_template,
        client_uuid: Some(w.client_uuid),
        is_active_in_account: w.is_active_in_account,
        pipeline_id: w.pipeline_id,
        settings: w.settings,
        files_base_url,
        _links: links,
    }
}

fn hal(status: StatusCode, body: &impl Serialize) -> Response {
    let mut r = (status, axum::Json(body)).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(HAL_JSON));
    r
}

/// A page of the widgets the account may see.
#[utoipa::path(get, operation_id = "widgets_v4_list", path = "/api/v4/widgets", tag = "amocrm widgets API",
    security(("token" = []), ("session" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "`{_page, _links, _embedded: {widgets: [...]}}`", body = Object, content_type = "application/hal+json"),
        (status = 204, description = "an empty page"),
        (status = 400, description = "`page` below 1 or `limit` outside 1 to 250", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let page = q.page.unwrap_or(1);
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_WIDGETS_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request(
            "request.invalid",
            format!("`limit` must be between 1 and {MAX_WIDGETS_LIMIT}"),
        ));
    }
    let result = state
        .inner
        .registry
        .list_widgets(p.account.id, page, limit)
        .await?;
    if result.items.is_empty() {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let mut links = json!({
        "self": {"href": format!("/api/v4/widgets?page={page}&limit={limit}")}
    });
    if page.saturating_mul(limit) < result.total {
        links["next"] = json!({"href": format!("/api/v4/widgets?page={}&limit={limit}", page + 1)});
    }
    if page > 1 {
        links["prev"] = json!({"href": format!("/api/v4/widgets?page={}&limit={limit}", page - 1)});
    }
    let origin = state.files_origin();
    let widgets: Vec<Widget> = result
        .items
        .into_iter()
        .map(|w| widget(w, origin, p.account.id))
        .collect();
    Ok(hal(
        StatusCode::OK,
        &json!({
            "_page": page,
            "_links": links,
            "_embedded": {"widgets": widgets},
        }),
    ))
}

/// One widget by code.
#[utoipa::path(get, operation_id = "widgets_v4_get", path = "/api/v4/widgets/{code}", tag = "amocrm widgets API",
    security(("token" = []), ("session" = [])),
    params(("code" = String, Path, description = "widget code")),
    responses(
        (status = 200, description = "the widget", body = Widget, content_type = "application/hal+json"),
        (status = 404, description = "no such widget the account may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let w = state.inner.registry.get_widget(p.account.id, &code).await?;
    Ok(hal(
        StatusCode::OK,
        &widget(w, state.files_origin(), p.account.id),
    ))
}

/// Installs the widget in the account with settings, or changes its settings.
#[utoipa::path(post, operation_id = "widgets_v4_install", path = "/api/v4/widgets/{code}", tag = "amocrm widgets API",
    security(("token" = ["install"]), ("session" = [])),
    params(("code" = String, Path, description = "widget code")),
    request_body = InstallRequest,
    responses(
        (status = 200, description = "installed; the widget with its settings", body = Widget, content_type = "application/hal+json"),
        (status = 400, description = "settings that do not match the manifest's `settings` (listed under `errors`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "not an account admin, or the token lacks the `install` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such widget the account may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn install(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(code): Path<String>,
    Json(req): Json<InstallRequest>,
) -> Result<Response, ApiError> {
    let w = state
        .inner
        .registry
        .install(&p, &code, &req.settings, req.pipeline_id)
        .await?;
    Ok(hal(
        StatusCode::OK,
        &widget(w, state.files_origin(), p.account.id),
    ))
}

/// Uninstalls the widget from the account.
#[utoipa::path(delete, operation_id = "widgets_v4_uninstall", path = "/api/v4/widgets/{code}", tag = "amocrm widgets API",
    security(("token" = ["install"]), ("session" = [])),
    params(("code" = String, Path, description = "widget code")),
    responses(
        (status = 202, description = "uninstalled"),
        (status = 403, description = "not an account admin, or the token lacks the `install` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "not installed, or no such widget", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn uninstall(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.inner.registry.uninstall(&p, &code).await?;
    Ok(StatusCode::ACCEPTED)
}
