//! `GET /preview/{code}/{version}/frame?area=&lang=&scenario=`: the document the preview page
//! frames. It holds the host (`/sandbox/host.js`), its configuration as inline JSON, and an
//! empty page the host fills with the area's DOM.
//!
//! Its own content security policy starts with `sandbox allow-scripts allow-forms`, so even
//! opened on its own it runs in an opaque origin: the widget's code cannot read Widgetry's
//! cookies or storage, and whatever it requests goes without credentials. Scripts come only
//! from `/sandbox/` and the files origin, requests go only to the files origin; every other
//! host the widget tries is blocked and reported to the page as a finding.

use super::areas::{self, Area};
use super::fixtures::{self, Overrides};
use crate::AppState;
use crate::files::urls::unix_now;
use crate::web::failure::PageError;
use crate::web::session::SignedIn;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};
use widgetry_registry::PreviewTarget;
use widgetry_validator::Lang;

/// What the page asks the host to do after loading, besides running the callbacks.
const SCENARIOS: &[&str] = &[
    "load",
    "save",
    "disable",
    "mass-action",
    "phone-click",
    "area-switch",
];

/// The languages a manifest declares (`widget.locale`), in its order.
pub(crate) fn locales(manifest: &Value) -> Vec<String> {
    let list: Vec<String> = manifest
        .pointer("/widget/locale")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .filter(|s| s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if list.is_empty() {
        vec!["en".to_string()]
    } else {
        list
    }
}

/// The language to run in: the asked one when the manifest declares it, else the viewer's,
/// else the manifest's first.
pub(crate) fn language(manifest: &Value, asked: Option<&str>, viewer: Lang) -> String {
    let declared = locales(manifest);
    let viewer = match viewer {
        Lang::Ru => "ru",
        _ => "en",
    };
    asked
        .filter(|a| declared.iter().any(|d| d == a))
        .or_else(|| declared.iter().any(|d| d == viewer).then_some(viewer))
        .map_or_else(|| declared[0].clone(), str::to_string)
}

/// The area asked for, when the manifest opens it; the first one it opens when none is asked.
pub(crate) fn area_of(manifest: &Value, asked: Option<&str>) -> Result<Area, PageError> {
    let (open, _) = areas::of_manifest(manifest);
    match asked {
        None | Some("") => open.first().copied().ok_or(PageError::NotFound),
        Some(id) => open
            .iter()
            .find(|a| a.id == id)
            .copied()
            .ok_or(PageError::NotFound),
    }
}

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

/// One run of the preview: where, in which language, doing what, with which data.
pub(crate) struct Run {
    pub area: Area,
    pub lang: String,
    pub scenario: &'static str,
    pub overrides: Overrides,
}

impl Run {
    /// The run a query asks for (`area`, `lang`, `scenario`, the fixture overrides), for a
    /// version with `manifest`, seen by a viewer reading `viewer`.
    pub(crate) fn from_query(
        manifest: &Value,
        pairs: &[(String, String)],
        viewer: Lang,
    ) -> Result<Run, PageError> {
        Ok(Run {
            area: area_of(manifest, param(pairs, "area"))?,
            lang: language(manifest, param(pairs, "lang"), viewer),
            scenario: SCENARIOS
                .iter()
                .find(|s| Some(**s) == param(pairs, "scenario"))
                .copied()
                .unwrap_or("load"),
            overrides: Overrides::from_query(pairs),
        })
    }
}

/// The query value of `name`.
fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The frame's content security policy.
fn policy(pages: &str, files_base: &str) -> String {
    format!(
        "sandbox allow-scripts allow-forms; default-src 'none'; \
         script-src {pages}/sandbox/ {files_base}/ 'unsafe-inline' 'unsafe-eval'; \
         style-src {pages}/sandbox/ {files_base}/ 'unsafe-inline'; \
         img-src {files_base}/ data: blob:; font-src {files_base}/ data:; media-src {files_base}/; \
         connect-src {files_base}/; frame-src 'none'; worker-src 'none'; form-action 'none'; \
         base-uri 'none'; frame-ancestors {pages}"
    )
}

/// JSON safe inside `<script>`: no `<`, so no `</script>` or `<!--`.
fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The host's configuration for `target` in `area`.
pub(crate) fn config(
    state: &AppState,
    target: &PreviewTarget,
    run: &Run,
    pages: &str,
    subdomain: &str,
) -> Value {
    let Run {
        area,
        lang,
        scenario,
        overrides,
    } = run;
    let v = &target.version.version;
    let path = state
        .inner
        .files_origin
        .signed_base(&v.code, &v.widget_version, unix_now());
    json!({
        "code": v.code,
        "version": v.widget_version,
        "area": area.id,
        "family": area.family,
        "widgets_area": area.widgets_area,
        "lang": lang,
        "path": path,
        "assets": "/sandbox",
        "parent_origin": pages,
        "scenario": scenario,
        "install_status": "installed",
        "client_uuid": target.integration.client_uuid,
        "manifest": target.version.manifest,
        "settings": fixtures::settings(&target.version.manifest, overrides),
        "fixtures": fixtures::crm(area, subdomain, overrides),
    })
}

pub(super) async fn document(
    State(state): State<AppState>,
    user: SignedIn,
    Path((code, version)): Path<(String, String)>,
    Query(pairs): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (target, run) = super::load(&state, &user, &code, &version, &pairs).await?;
    let pages = pages_origin(&state, &headers);
    let config = config(
        &state,
        &target,
        &run,
        &pages,
        &user.principal.account.subdomain,
    );
    let files_base = state.inner.files_origin.base().to_string();
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <title>{code} {version}</title><link rel=\"stylesheet\" href=\"/sandbox/host.css\"></head>\
         <body class=\"area-{family}\"><div id=\"page\"></div>\
         <pre id=\"sandbox-report\" hidden></pre>\
         <script type=\"application/json\" id=\"sandbox-config\">{json}</script>\
         <script src=\"/sandbox/vendor/require.js\"></script>\
         <script src=\"/sandbox/host.js\"></script></body></html>\n",
        code = html_escape(&target.version.version.code),
        version = html_escape(&target.version.version.widget_version),
        family = run.area.family,
        lang = run.lang,
        json = script_json(&config),
    );
    let mut response = Html(html).into_response();
    let h = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&policy(&pages, &files_base)) {
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

/// Text safe in HTML.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_cannot_close_its_script_and_languages_fall_back() {
        let v = json!({"x": "</script><script>alert(1)</script>", "y": "\u{2028}"});
        let s = script_json(&v);
        assert!(!s.contains('<'), "{s}");
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
        let m = json!({"widget": {"locale": ["ru", "en"]}});
        assert_eq!(language(&m, Some("en"), Lang::Ru), "en");
        assert_eq!(language(&m, Some("de"), Lang::En), "en");
        assert_eq!(language(&m, None, Lang::Ru), "ru");
        let only_de = json!({"widget": {"locale": ["de"]}});
        assert_eq!(language(&only_de, None, Lang::Ru), "de");
        assert_eq!(locales(&json!({})), ["en"]);
        assert_eq!(
            locales(&json!({"widget": {"locale": ["en\"><script>"]}})),
            ["en"]
        );
    }

    #[test]
    fn the_frame_is_sandboxed_whoever_opens_it() {
        let p = policy("http://127.0.0.1:8080", "http://127.0.0.1:8081");
        assert!(p.starts_with("sandbox allow-scripts allow-forms;"), "{p}");
        assert!(!p.contains("allow-same-origin"));
        assert!(p.contains("connect-src http://127.0.0.1:8081/;"));
        assert!(p.contains("frame-ancestors http://127.0.0.1:8080"));
    }
}
