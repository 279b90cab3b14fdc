//! Prometheus metrics through `prometheus-client`, one registry per server (tests run several
//! in one process), served at `GET /metrics` in the OpenMetrics text format.
//!
//! Every label set is bounded, whatever a client sends: the method is one of the standard
//! ones or `OTHER`, the route is the matched route template (`/api/v1/integrations/{id}`) or
//! `unmatched`, the status is what the server answered, refusal and finding codes come from
//! the server's and the validator's own tables.
//!
//! - `widgetry_http_requests_total{method,route,status}`, and
//!   `widgetry_http_request_duration_seconds{method,route}` (histogram);
//! - `widgetry_uploads_total{outcome,code}`, `widgetry_upload_findings_total{code,severity}`;
//! - gauges read at each scrape: the process (`widgetry_process_resident_memory_bytes`,
//!   `widgetry_process_open_fds`, `widgetry_process_start_time_seconds`), the database pool
//!   (`widgetry_db_pool_connections{state}`, `widgetry_db_pool_max_connections`), the
//!   validation queue (`widgetry_validation_slots_in_use`, `widgetry_validation_waiting`) and
//!   password hashing (`widgetry_password_hashing_waiting`).

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::time::Instant;

/// Histogram bucket upper bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// A request method as a label: the standard ones, everything else `OTHER`.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(clippy::upper_case_acronyms)]
pub enum MethodLabel {
    /// `GET`.
    GET,
    /// `HEAD`.
    HEAD,
    /// `POST`.
    POST,
    /// `PUT`.
    PUT,
    /// `PATCH`.
    PATCH,
    /// `DELETE`.
    DELETE,
    /// `OPTIONS`.
    OPTIONS,
    /// Anything else.
    OTHER,
}

impl From<&Method> for MethodLabel {
    fn from(m: &Method) -> Self {
        match *m {
            Method::GET => MethodLabel::GET,
            Method::HEAD => MethodLabel::HEAD,
            Method::POST => MethodLabel::POST,
            Method::PUT => MethodLabel::PUT,
            Method::PATCH => MethodLabel::PATCH,
            Method::DELETE => MethodLabel::DELETE,
            Method::OPTIONS => MethodLabel::OPTIONS,
            _ => MethodLabel::OTHER,
        }
    }
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: MethodLabel,
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: MethodLabel,
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UploadLabels {
    outcome: &'static str,
    code: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FindingLabels {
    code: String,
    severity: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

fn duration_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
    uploads: Family<UploadLabels, Counter>,
    findings: Family<FindingLabels, Counter>,
    resident: Gauge,
    open_fds: Gauge,
    pool: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
    slots_in_use: Gauge,
    slots_waiting: Gauge,
    hashing_waiting: Gauge,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "widgetry_http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        let durations = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            duration_histogram,
        );
        registry.register(
            "widgetry_http_request_duration_seconds",
            "HTTP request latency by method and route",
            durations.clone(),
        );
        let uploads = Family::<UploadLabels, Counter>::default();
        registry.register(
            "widgetry_uploads",
            "Uploads by outcome and refusal code",
            uploads.clone(),
        );
        let findings = Family::<FindingLabels, Counter>::default();
        registry.register(
            "widgetry_upload_findings",
            "Validator findings in uploads by rule code and severity",
            findings.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let g = Gauge::<i64, std::sync::atomic::AtomicI64>::default();
            registry.register(name, help, g.clone());
            g
        };
        let resident = gauge(
            &mut registry,
            "widgetry_process_resident_memory_bytes",
            "Resident memory of the process",
        );
        let open_fds = gauge(
            &mut registry,
            "widgetry_process_open_fds",
            "Open file descriptors of the process",
        );
        let start_time = gauge(
            &mut registry,
            "widgetry_process_start_time_seconds",
            "When the process started, unix seconds",
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "widgetry_db_pool_connections",
            "Database connections by state (idle, in_use)",
            pool.clone(),
        );
        let pool_max = gauge(
            &mut registry,
            "widgetry_db_pool_max_connections",
            "Most database connections the pool opens",
        );
        let slots_in_use = gauge(
            &mut registry,
            "widgetry_validation_slots_in_use",
            "Packages being inflated and checked now",
        );
        let slots_waiting = gauge(
            &mut registry,
            "widgetry_validation_waiting",
            "Uploads, submissions and dry runs waiting for a validation slot",
        );
        let hashing_waiting = gauge(
            &mut registry,
            "widgetry_password_hashing_waiting",
            "Sign-ins waiting for a password-hashing slot",
        );
        start_time.set(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        );
        Metrics {
            registry,
            requests,
            durations,
            uploads,
            findings,
            resident,
            open_fds,
            pool,
            pool_max,
            slots_in_use,
            slots_waiting,
            hashing_waiting,
        }
    }
}

/// Resident memory and open descriptors of this process, from `/proc` (Linux; zeros
/// elsewhere).
fn process_figures() -> (i64, i64) {
    let page = 4096;
    let resident = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<i64>().ok())
        .map_or(0, |pages| pages.saturating_mul(page));
    let fds = std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count());
    (resident, i64::try_from(fds).unwrap_or(i64::MAX))
}

impl Metrics {
    /// Records one finished request.
    pub fn request(&self, method: &Method, route: &str, status: u16, seconds: f64) {
        let method = MethodLabel::from(method);
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.to_string(),
                status,
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels {
                method,
                route: route.to_string(),
            })
            .observe(seconds);
    }

    /// Records an accepted upload.
    pub fn upload_accepted(&self) {
        self.uploads
            .get_or_create(&UploadLabels {
                outcome: "accepted",
                code: String::new(),
            })
            .inc();
    }

    /// Records a refused upload by its problem code.
    pub fn upload_refused(&self, code: &str) {
        self.uploads
            .get_or_create(&UploadLabels {
                outcome: "refused",
                code: code.to_string(),
            })
            .inc();
    }

    /// Records the findings of one upload's report.
    pub fn findings(&self, diagnostics: &[widgetry_validator::Diagnostic]) {
        for d in diagnostics {
            self.findings
                .get_or_create(&FindingLabels {
                    code: d.code.clone(),
                    severity: d.severity.as_str(),
                })
                .inc();
        }
    }

    /// The text exposition, with the gauges read now.
    pub fn render(&self, state: Option<&crate::AppState>) -> String {
        let (resident, fds) = process_figures();
        self.resident.set(resident);
        self.open_fds.set(fds);
        if let Some(state) = state {
            let registry = &state.inner.registry;
            let pool = registry.pool();
            let idle = i64::try_from(pool.num_idle()).unwrap_or(i64::MAX);
            let size = i64::from(pool.size());
            self.pool
                .get_or_create(&PoolLabels { state: "idle" })
                .set(idle);
            self.pool
                .get_or_create(&PoolLabels { state: "in_use" })
                .set(size.saturating_sub(idle));
            self.pool_max
                .set(i64::from(pool.options().get_max_connections()));
            let load = registry.load();
            self.slots_in_use.set(load.checks_in_use);
            self.slots_waiting.set(load.checks_waiting);
            self.hashing_waiting.set(load.hashing_waiting);
        }
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "encoding the metrics failed");
        }
        out
    }
}

/// Middleware: times every request and counts it by method, route template and status.
pub async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
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
    responses((status = 200, description = "OpenMetrics text exposition", content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8", body = String)))]
pub async fn metrics(State(state): State<crate::AppState>) -> impl IntoResponse {
    let mut response = state.inner.metrics.render(Some(&state)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms_with_bounded_labels() {
        let m = Metrics::default();
        m.request(&Method::GET, "/healthz", 200, 0.003);
        m.request(&Method::GET, "/healthz", 200, 0.2);
        let odd = Method::from_bytes(&[b'X'; 4000]).unwrap();
        m.request(&odd, "unmatched", 405, 0.001);
        m.upload_refused("validation.failed");
        m.upload_accepted();
        let text = m.render(None);
        assert!(
            text.contains(
                "widgetry_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"
            ),
            "{text}"
        );
        assert!(text.contains("widgetry_http_request_duration_seconds_bucket{le=\"0.005\",method=\"GET\",route=\"/healthz\"} 1") || text.contains("widgetry_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.005\"} 1"), "{text}");
        assert!(text.contains("method=\"OTHER\""), "{text}");
        assert!(!text.contains("XXXX"), "a raw method became a label");
        assert!(
            text.contains(
                "widgetry_uploads_total{outcome=\"refused\",code=\"validation.failed\"} 1"
            )
        );
        assert!(text.contains("widgetry_uploads_total{outcome=\"accepted\",code=\"\"} 1"));
        assert!(text.contains("widgetry_process_resident_memory_bytes"));
    }
}
