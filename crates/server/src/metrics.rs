//! Prometheus metrics, written by hand in the text exposition format (version 0.0.4).
//!
//! - `widgetry_http_requests_total{method,route,status}`: counter.
//! - `widgetry_http_request_duration_seconds{method,route}`: histogram.
//! - `widgetry_uploads_total{outcome="accepted"|"refused",code}`: uploads by result; `code`
//!   is the problem code of a refusal (`validation.failed`, `upload.too_large`,
//!   `version.not_increasing`, ...) and empty for accepted ones.
//! - `widgetry_upload_findings_total{code,severity}`: validator findings seen in uploads.
//!
//! `route` is the matched route template (`/api/v1/integrations/{id}`), never the raw path,
//! so label sets stay bounded; unmatched requests share `route="unmatched"`.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

/// Histogram bucket upper bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, v: f64) {
        for (i, bound) in BUCKETS.iter().enumerate() {
            if v <= *bound {
                self.counts[i] += 1;
            }
        }
        self.count += 1;
        self.sum += v;
    }
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<(String, String, u16), u64>,
    durations: BTreeMap<(String, String), Histogram>,
    uploads: BTreeMap<(&'static str, String), u64>,
    findings: BTreeMap<(String, &'static str), u64>,
}

/// The process's metrics.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut guard = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut guard)
    }

    /// Records one finished request.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.with(|m| {
            *m.requests
                .entry((method.to_string(), route.to_string(), status))
                .or_default() += 1;
            m.durations
                .entry((method.to_string(), route.to_string()))
                .or_default()
                .observe(seconds);
        });
    }

    /// Records an accepted upload.
    pub fn upload_accepted(&self) {
        self.with(|m| *m.uploads.entry(("accepted", String::new())).or_default() += 1);
    }

    /// Records a refused upload by its problem code.
    pub fn upload_refused(&self, code: &str) {
        self.with(|m| *m.uploads.entry(("refused", code.to_string())).or_default() += 1);
    }

    /// Records the findings of one upload's report.
    pub fn findings(&self, diagnostics: &[widgetry_validator::Diagnostic]) {
        self.with(|m| {
            for d in diagnostics {
                *m.findings
                    .entry((d.code.clone(), d.severity.as_str()))
                    .or_default() += 1;
            }
        });
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        self.with(|m| {
            let mut out = String::new();
            out.push_str("# HELP widgetry_http_requests_total HTTP requests by route and status.\n# TYPE widgetry_http_requests_total counter\n");
            for ((method, route, status), n) in &m.requests {
                let _ = writeln!(
                    out,
                    "widgetry_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                    esc(method),
                    esc(route)
                );
            }
            out.push_str("# HELP widgetry_http_request_duration_seconds HTTP request latency by route.\n# TYPE widgetry_http_request_duration_seconds histogram\n");
            for ((method, route), h) in &m.durations {
                let labels = format!("method=\"{}\",route=\"{}\"", esc(method), esc(route));
                for (i, bound) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "widgetry_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                        h.counts[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "widgetry_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "widgetry_http_request_duration_seconds_sum{{{labels}}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "widgetry_http_request_duration_seconds_count{{{labels}}} {}",
                    h.count
                );
            }
            out.push_str("# HELP widgetry_uploads_total Uploads by outcome and refusal code.\n# TYPE widgetry_uploads_total counter\n");
            for ((outcome, code), n) in &m.uploads {
                let _ = writeln!(
                    out,
                    "widgetry_uploads_total{{outcome=\"{outcome}\",code=\"{}\"}} {n}",
                    esc(code)
                );
            }
            out.push_str("# HELP widgetry_upload_findings_total Validator findings in uploads by rule code and severity.\n# TYPE widgetry_upload_findings_total counter\n");
            for ((code, severity), n) in &m.findings {
                let _ = writeln!(
                    out,
                    "widgetry_upload_findings_total{{code=\"{}\",severity=\"{severity}\"}} {n}",
                    esc(code)
                );
            }
            out
        })
    }
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware: times every request and counts it by route and status.
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(request).await;
    metrics.request(
        &method,
        &route,
        response.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain; version=0.0.4", body = String)))]
pub async fn metrics(State(state): State<crate::AppState>) -> impl IntoResponse {
    let mut response = state.inner.metrics.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.request("GET", "/healthz", 200, 0.003);
        m.request("GET", "/healthz", 200, 0.2);
        m.upload_refused("validation.failed");
        m.upload_accepted();
        let text = m.render();
        assert!(text.contains(
            "widgetry_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"
        ));
        assert!(text.contains("widgetry_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.005\"} 1"));
        assert!(text.contains("widgetry_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"} 2"));
        assert!(
            text.contains(
                "widgetry_uploads_total{outcome=\"refused\",code=\"validation.failed\"} 1"
            )
        );
        assert!(text.contains("widgetry_uploads_total{outcome=\"accepted\",code=\"\"} 1"));
    }
}
