//! `GET /preview/{code}/{version}?area=&lang=&s.<key>=&user=`: the preview page. Tabs for the
//! areas the manifest opens (and a note naming declared locations the preview does not
//! emulate), the language switch, the fixture panel (a GET form: setting values and the
//! user's name) and the frame with its event log (filled by `/static/app.js` from the frame's
//! messages).

use super::frame::{Asked, pages_origin};
use crate::AppState;
use crate::web::failure::PageError;
use crate::web::render::{self, page};
use crate::web::session::SignedIn;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use minijinja::context;
use serde_json::Value;
use widgetry_preview::frame::locales;
use widgetry_preview::{areas, fixtures};

/// `?k=v&...` of `pairs`.
fn query(pairs: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

pub(super) async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path((code, version)): Path<(String, String)>,
    Query(pairs): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (
        target,
        Asked {
            area,
            lang,
            overrides,
            ..
        },
    ) = super::load(&state, &user, &code, &version, &pairs).await?;
    let manifest = &target.version.manifest;
    let (open, other) = areas::of_manifest(manifest);
    let base = format!(
        "/preview/{}/{}",
        crate::files::urls::segment(&code),
        crate::files::urls::segment(&version)
    );
    let with = |area: &str, lang: &str| {
        let mut q = vec![
            ("area".to_string(), area.to_string()),
            ("lang".to_string(), lang.to_string()),
        ];
        q.extend(overrides.to_query());
        query(&q)
    };
    let tabs: Vec<Value> = open
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id,
                "family": a.family,
                "href": format!("{base}?{}", with(a.id, &lang)),
                "current": a.id == area.id,
            })
        })
        .collect();
    let languages: Vec<Value> = locales(manifest)
        .into_iter()
        .map(|l| {
            serde_json::json!({
                "href": format!("{base}?{}", with(area.id, &l)),
                "current": l == lang,
                "code": l,
            })
        })
        .collect();
    let settings = fixtures::settings(manifest, &overrides);
    let fields: Vec<Value> = manifest
        .get("settings")
        .and_then(Value::as_object)
        .map(|declared| {
            declared
                .iter()
                .map(|(key, field)| {
                    let value = match settings.get(key) {
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => other.to_string(),
                        None => String::new(),
                    };
                    serde_json::json!({
                        "key": key,
                        "type": field.get("type").and_then(Value::as_str).unwrap_or("text"),
                        "value": value,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let frame = format!("{base}/frame?{}", with(area.id, &lang));
    // Every area's frame, in the same language with the same data: what "save every area"
    // runs one after the other.
    let frames: Vec<Value> = open
        .iter()
        .map(|a| serde_json::json!({"area": a.id, "url": format!("{base}/frame?{}", with(a.id, &lang))}))
        .collect();
    let mut response = page(
        &user.viewer,
        "preview/page.html",
        context! {
            code => target.version.version.code.clone(),
            version => target.version.version.widget_version.clone(),
            name => target.integration.display_name(),
            integration_id => target.integration.id.0,
            as_moderator => target.as_moderator,
            submission_id => target.submission_id.map(|id| id.0),
            base => base,
            area => area.id,
            lang_code => lang,
            tabs => tabs,
            languages => languages,
            other_locations => other,
            fields => fields,
            user_name => overrides.user_name.clone().unwrap_or_default(),
            card_fields => overrides
                .card()
                .into_iter()
                .map(|(id, name, _, value)| serde_json::json!({"id": id, "name": name, "value": value}))
                .collect::<Vec<_>>(),
            rows => overrides.row_names().join("\n"),
            frame => frame,
            frames => serde_json::to_string(&frames).unwrap_or_default(),
            pages_origin => pages_origin(&state, &headers),
        },
    );
    let csp = format!(
        "{}; frame-src 'self'",
        render::page_csp(state.inner.files_origin.origin())
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    Ok(response)
}
