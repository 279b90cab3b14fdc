//! `GET /preview/{code}/{version}/frame?area=&lang=&scenario=`: the document the preview page
//! frames (`widgetry_preview::frame`), with the widget's files from the files origin through
//! a signed prefix. Its own content security policy sandboxes it wherever it is opened.

use crate::AppState;
use crate::files::urls::unix_now;
use crate::web::failure::PageError;
use crate::web::session::SignedIn;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;
use widgetry_preview::areas::Area;
use widgetry_preview::fixtures::Overrides;
use widgetry_preview::frame;
use widgetry_validator::Lang;

/// `scheme://host[:port]` of the pages, as the browser reached them.
pub(crate) fn pages_origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.inner.config.public_url {
        return url.origin().ascii_serialization();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .map_or_else(|| state.inner.config.bind.to_string(), str::to_string);
    format!("http://{host}")
}

/// What a query asks the preview to run: the area (404 when the manifest does not open it),
/// the language, the scenario and the fixture overrides.
pub(crate) struct Asked {
    pub area: Area,
    pub lang: String,
    pub scenario: &'static str,
    pub overrides: Overrides,
}

impl Asked {
    /// The run a query asks for, for a version with `manifest`, seen by a viewer reading
    /// `viewer`.
    pub(crate) fn from_query(
        manifest: &Value,
        pairs: &[(String, String)],
        viewer: Lang,
    ) -> Result<Asked, PageError> {
        let param = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let preferred = match viewer {
            Lang::Ru => "ru",
            _ => "en",
        };
        Ok(Asked {
            area: frame::area_of(manifest, param("area")).ok_or(PageError::NotFound)?,
            lang: frame::language(manifest, param("lang"), preferred),
            scenario: frame::scenario(param("scenario")),
            overrides: Overrides::from_query(pairs),
        })
    }
}

pub(super) async fn document(
    State(state): State<AppState>,
    user: SignedIn,
    Path((code, version)): Path<(String, String)>,
    Query(pairs): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (target, asked) = super::load(&state, &user, &code, &version, &pairs).await?;
    let pages = pages_origin(&state, &headers);
    let v = &target.version.version;
    let path = state
        .inner
        .files_origin
        .signed_base(&v.code, &v.widget_version, unix_now());
    let run = frame::Run {
        code: &v.code,
        version: &v.widget_version,
        manifest: &target.version.manifest,
        client_uuid: &target.integration.client_uuid,
        path: &path,
        area: asked.area,
        lang: &asked.lang,
        scenario: asked.scenario,
        overrides: &asked.overrides,
        subdomain: &user.principal.account.subdomain,
        parent_origin: &pages,
        report_url: None,
    };
    let mut response = Html(run.document()).into_response();
    let h = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&frame::policy(
        &pages,
        state.inner.files_origin.base(),
        None,
    )) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}
