//! Every error the HTTP layer answers with, in one shape: RFC 9457 `application/problem+json`.
//!
//! ```json
//! {"type": "urn:widgetry:problem:upload.wrong_file_name", "title": "wrong file name",
//!  "status": 400, "detail": "the uploaded file is named `w.zip`; it must be named `widget.zip`",
//!  "code": "upload.wrong_file_name"}
//! ```
//!
//! `type` is a URN built from a stable `code` (also given as its own member, so clients can
//! match on it without parsing URIs). Validation findings go under `errors`, already in the
//! request's language. A refused argument (`request.invalid`) names its `field` (a JSON
//! pointer into the request) and a stable `reason`. Extra members (`scope`, `next_version`,
//! `existing_version`, `limit`)
//! carry what a client needs to act on the error without parsing the prose.
//!
//! When to use what: handlers return `Result<_, ApiError>`; storage errors arrive as
//! [`widgetry_registry::Error`] and convert with `?` (see the `From` impl for the mapping);
//! extractor rejections convert through the `From` impls at the bottom. Anything unexpected
//! is logged with its cause and answered as a bare 500, never with internals in the body.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};
use widgetry_registry::Case as _;
use widgetry_validator::Diagnostic;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The stable code of the problem a response carries, left in the response extensions so
/// the metrics layer can count refusals by code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemCode(pub &'static str);

/// An error answer: status, stable code, title, detail, and optionally the findings.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    body: Box<Body>,
}

/// The text of an error (boxed: errors travel in every `Result` and should stay small).
#[derive(Debug)]
struct Body {
    title: String,
    detail: String,
    errors: Option<Vec<Diagnostic>>,
    extra: Map<String, Value>,
    /// Sent as `Retry-After` (seconds) and as the `retry_after` member.
    retry_after: Option<std::time::Duration>,
}

/// The body of an error answer (also used to describe it in the OpenAPI document).
#[derive(Debug, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:widgetry:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    /// A short, lowercase summary of the problem kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong in this request.
    pub detail: String,
    /// The stable code (`upload.wrong_file_name`, `auth.missing_scope`, ...).
    pub code: String,
    /// Validation findings, in the request's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub errors: Option<Vec<Diagnostic>>,
    /// For `request.invalid`: a JSON pointer to the refused field of the request
    /// (`/redirect_uri`, `/name/ru`, `/reasons/0/code`); empty for the request as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Why, as a stable code finer than `code`: for `request.invalid` the refused input
    /// (`redirect_uri.scheme`, `rejection.reason_code_unknown`, ...), for a 409 state conflict
    /// its case (`submission.in_review` under `submission.conflict`, `user.email_taken` under
    /// `conflict`, ...), for `auth.forbidden` why (`auth.needs_admin`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ApiError {
    /// A problem with any status.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        title: impl Into<String>,
        detail: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            body: Box::new(Body {
                title: title.into(),
                detail: detail.into(),
                errors: None,
                extra: Map::new(),
                retry_after: None,
            }),
        }
    }

    /// Adds an extension member to the body.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> ApiError {
        self.body.extra.insert(key.to_string(), value.into());
        self
    }

    /// Tells the client when to try again (`Retry-After`, at least a second).
    pub fn with_retry_after(mut self, wait: std::time::Duration) -> ApiError {
        self.body.retry_after = Some(wait);
        self
    }

    /// Adds validation findings under `errors`.
    pub fn with_errors(mut self, errors: Vec<Diagnostic>) -> ApiError {
        self.body.errors = Some(errors);
        self
    }

    /// 400 with a code and a detail.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, "bad request", detail)
    }

    /// 404: the object does not exist, or it belongs to another account (never 403 then).
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "not found",
            format!("{what} not found"),
        )
    }

    /// 401: no credentials, or credentials that do not identify anyone.
    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "auth.unauthenticated",
            "unauthenticated",
            detail,
        )
    }

    /// 403 for a token without the scope an action needs.
    pub fn missing_scope(scope: &str) -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "auth.missing_scope",
            "missing scope",
            format!("this token lacks the `{scope}` scope"),
        )
        .with("scope", scope)
    }

    /// 403 for a role or permission the caller lacks on an object it may see.
    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, code, "forbidden", detail)
    }

    /// 409 with a code and a detail.
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, code, "conflict", detail)
    }

    /// 413: the upload is larger than `limit` bytes.
    pub fn too_large(limit: u64) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "upload.too_large",
            "upload too large",
            format!("the upload is larger than the limit of {limit} bytes"),
        )
        .with("limit", limit)
    }

    /// 400 listing every validation finding.
    pub fn invalid(diagnostics: Vec<Diagnostic>) -> ApiError {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == widgetry_validator::Severity::Error)
            .count();
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "validation.failed",
            "the package is not valid",
            format!(
                "the package has {errors} error{}; nothing was stored",
                if errors == 1 { "" } else { "s" }
            ),
        )
        .with_errors(diagnostics)
    }

    /// 500 for a failure whose cause is logged here and never shown.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
            "the server failed to handle the request; the failure is logged",
        )
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The detail sentence.
    pub fn detail(&self) -> &str {
        &self.body.detail
    }

    /// An extra member of the problem (`file_name`, `limit`, ...), if set.
    pub fn extra(&self, name: &str) -> Option<&Value> {
        self.body.extra.get(name)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.body.detail
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Body {
            title,
            detail,
            errors,
            extra,
            retry_after,
        } = *self.body;
        let retry_after = retry_after.map(|w| w.as_secs_f64().ceil().max(1.0) as u64);
        let mut body = Map::new();
        body.insert(
            "type".into(),
            format!("urn:widgetry:problem:{}", self.code).into(),
        );
        body.insert("title".into(), title.into());
        body.insert("status".into(), self.status.as_u16().into());
        body.insert("detail".into(), detail.into());
        body.insert("code".into(), self.code.into());
        if let Some(errors) = errors {
            body.insert(
                "errors".into(),
                serde_json::to_value(errors).unwrap_or(Value::Null),
            );
        }
        if let Some(secs) = retry_after {
            body.insert("retry_after".into(), secs.into());
        }
        for (k, v) in extra {
            body.entry(k).or_insert(v);
        }
        let mut response = (self.status, Json(Value::Object(body))).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"widgetry\""),
            );
        }
        if let Some(secs) = retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            headers.insert(header::RETRY_AFTER, v);
        }
        response.extensions_mut().insert(ProblemCode(self.code));
        response
    }
}

/// The stable code a registry error is answered with (the same as `ApiError::from(e).code()`),
/// for counting refusals without building the answer.
pub fn problem_code(e: &widgetry_registry::Error) -> &'static str {
    use widgetry_registry::Error as E;
    match e {
        E::NotFound => "not_found",
        E::Forbidden(d) => d.case.api_code(),
        E::MissingScope(_) => "auth.missing_scope",
        E::Invalid(_) => "validation.failed",
        E::VersionNotIncreasing { .. } => "version.not_increasing",
        E::DuplicateArchive { .. } => "version.duplicate_archive",
        E::SubmissionBlocked(_) => "submission.blocked",
        E::StateConflict(r) => r.case.api_code(),
        E::InvalidSettings(_) => "settings.invalid",
        E::BadInput(_) => "request.invalid",
        E::Busy(_) => "busy",
        E::TooManyAttempts(_) => "auth.too_many_attempts",
        E::Blob(_) => "storage.unavailable",
        E::Db(sqlx::Error::PoolTimedOut) => "unavailable",
        _ => "internal",
    }
}

impl From<widgetry_registry::Error> for ApiError {
    fn from(e: widgetry_registry::Error) -> ApiError {
        use widgetry_registry::Error as E;
        match e {
            E::NotFound => ApiError::not_found("object"),
            E::Forbidden(d) => {
                ApiError::forbidden(d.case.api_code(), d.message()).with("reason", d.case.as_str())
            }
            E::MissingScope(scope) => ApiError::missing_scope(scope.as_str()),
            E::Invalid(report) => ApiError::invalid(report.diagnostics),
            ref err @ E::VersionNotIncreasing {
                ref given,
                ref latest,
                ref next,
            } => ApiError::conflict("version.not_increasing", err.to_string())
                .with("given_version", given.as_str())
                .with("latest_version", latest.as_str())
                .with("next_version", next.as_str()),
            ref err @ E::DuplicateArchive {
                number,
                ref widget_version,
            } => ApiError::conflict("version.duplicate_archive", err.to_string()).with(
                "existing_version",
                serde_json::json!({"number": number, "widget_version": widget_version}),
            ),
            E::SubmissionBlocked(report) => {
                let errors = report.errors;
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "submission.blocked",
                    "the submission is blocked",
                    format!(
                        "the version cannot be submitted: {errors} error{} (all listed under `errors`); nothing was queued",
                        if errors == 1 { "" } else { "s" }
                    ),
                )
                .with_errors(report.diagnostics)
            }
            E::StateConflict(r) => {
                ApiError::conflict(r.case.api_code(), r.message()).with("reason", r.case.as_str())
            }
            E::InvalidSettings(problems) => {
                let detail = E::InvalidSettings(problems.clone()).to_string();
                ApiError::bad_request("settings.invalid", detail).with(
                    "errors",
                    serde_json::to_value(problems).unwrap_or(Value::Null),
                )
            }
            E::BadInput(bad) => ApiError::bad_request("request.invalid", bad.message())
                .with("field", bad.field)
                .with("reason", bad.code.as_str()),
            E::Config(detail) => {
                tracing::error!(%detail, "the service's configuration is unusable");
                ApiError::internal(&detail)
            }
            E::Busy(wait) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "busy",
                "the server is checking too many passwords at once; try again shortly",
            )
            .with_retry_after(wait),
            E::TooManyAttempts(wait) => {
                let minutes = wait.as_secs().div_ceil(60).max(1);
                ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "auth.too_many_attempts",
                    "too many attempts",
                    format!(
                        "too many sign-in attempts from your address for this e-mail address; try again in {minutes} minute{}",
                        if minutes == 1 { "" } else { "s" }
                    ),
                )
                .with_retry_after(wait)
            }
            E::Blob(e) => {
                tracing::error!(error = %e, "the blob store failed");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage.unavailable",
                    "storage unavailable",
                    "the blob store does not answer; nothing was changed, try again shortly",
                )
            }
            E::Db(sqlx::Error::PoolTimedOut) => {
                tracing::warn!("database pool exhausted");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "service unavailable",
                    "the database is busy; try again shortly",
                )
            }
            other => ApiError::internal(&other),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> ApiError {
        use axum::extract::rejection::JsonRejection as R;
        let status = match &rejection {
            R::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::new(
            status,
            "request.bad_json",
            "bad request body",
            rejection.body_text(),
        )
    }
}

impl From<axum::extract::rejection::PathRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::PathRejection) -> ApiError {
        // A path segment that does not parse (`/integrations/abc`) names nothing that exists.
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "not found",
            rejection.body_text(),
        )
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> ApiError {
        ApiError::bad_request("request.bad_query", rejection.body_text())
    }
}

impl From<axum::extract::multipart::MultipartRejection> for ApiError {
    fn from(rejection: axum::extract::multipart::MultipartRejection) -> ApiError {
        ApiError::bad_request(
            "upload.not_multipart",
            format!(
                "the request must be `multipart/form-data` with the file in field `widget`: {}",
                rejection.body_text()
            ),
        )
    }
}

/// The answer for a path no route matches.
pub async fn fallback() -> ApiError {
    ApiError::not_found("route")
}

/// The answer for a known path with a method it does not accept.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "request.method_not_allowed",
        "method not allowed",
        "this path does not accept this method",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(e: ApiError) -> (StatusCode, String, Value) {
        let r = e.into_response();
        let status = r.status();
        let ct = r
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, ct, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn problem_json_has_the_rfc_9457_members() {
        let (status, ct, v) = body(ApiError::missing_scope("upload")).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(ct, PROBLEM_JSON);
        assert_eq!(v["type"], "urn:widgetry:problem:auth.missing_scope");
        assert_eq!(v["title"], "missing scope");
        assert_eq!(v["status"], 403);
        assert_eq!(v["detail"], "this token lacks the `upload` scope");
        assert_eq!(v["scope"], "upload");
        assert!(v.get("errors").is_none());
    }

    #[tokio::test]
    async fn invalid_lists_findings_under_errors() {
        let report = widgetry_validator::validate(
            widgetry_validator::Input::Zip(b"nope"),
            &widgetry_validator::Options::default(),
        );
        let (status, _, v) = body(ApiError::invalid(report.diagnostics)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(v["code"], "validation.failed");
        assert_eq!(v["errors"][0]["code"], "archive.not_zip");
    }

    #[test]
    fn problem_code_is_the_code_of_the_answer() {
        use std::time::Duration;
        use widgetry_registry::{BadInput, Error as E, InputCode};
        let report = || {
            Box::new(widgetry_validator::validate(
                widgetry_validator::Input::Zip(b"nope"),
                &widgetry_validator::Options::default(),
            ))
        };
        let errors = [
            E::NotFound,
            E::denied(widgetry_registry::DenialCase::OtherAccount),
            E::MissingScope(widgetry_registry::Scope::Upload),
            E::Invalid(report()),
            E::VersionNotIncreasing {
                given: "1".into(),
                latest: "2".into(),
                next: "2.1".into(),
            },
            E::DuplicateArchive {
                number: 1,
                widget_version: "1".into(),
            },
            E::SubmissionBlocked(report()),
            E::StateConflict(widgetry_registry::Refusal::new(
                widgetry_registry::StateCase::Decided,
            )),
            E::InvalidSettings(Vec::new()),
            E::BadInput(BadInput::new("/x", InputCode::PageStart)),
            E::Busy(Duration::from_secs(1)),
            E::TooManyAttempts(Duration::from_secs(1)),
            E::Blob(std::io::Error::other("down")),
            E::Db(sqlx::Error::PoolTimedOut),
            E::Internal("broken".into()),
            E::Config("bad".into()),
        ];
        for e in errors {
            let code = problem_code(&e);
            assert_eq!(code, ApiError::from(e).code());
        }
    }

    #[tokio::test]
    async fn unauthorized_asks_for_a_bearer_token() {
        let r = ApiError::unauthorized("no credentials").into_response();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(r.headers().contains_key(header::WWW_AUTHENTICATE));
    }
}
