//! The one error type of the registry. Each variant maps to one HTTP answer in the server.

use crate::auth::Scope;
use crate::input::{BadInput, Denial, DenialCase, InputCode, Refusal, SettingsProblem, StateCase};
use std::io;
use widgetry_validator::Report;

/// Shorthand for results of registry calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a registry call can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The object does not exist, or the caller's account may not see it (HTTP 404; another
    /// account's private objects never answer 403).
    #[error("not found")]
    NotFound,
    /// The caller sees the object but may not do this (HTTP 403), e.g. a member installing:
    /// the case and the values its sentence names.
    #[error("{0}")]
    Forbidden(Denial),
    /// The API token lacks a scope (HTTP 403 `missing scope`).
    #[error("this token lacks the `{0}` scope")]
    MissingScope(Scope),
    /// The package failed validation (HTTP 400 with every finding). Nothing was stored.
    #[error("the package has {} error(s)", .0.errors)]
    Invalid(Box<Report>),
    /// `widget.version` is not higher than every earlier version (HTTP 409). Nothing was stored.
    #[error(
        "version `{given}` is not higher than the latest version `{latest}`; the next acceptable version is `{next}`"
    )]
    VersionNotIncreasing {
        /// The manifest's `widget.version`.
        given: String,
        /// The highest version uploaded so far.
        latest: String,
        /// The next acceptable version (the last numeric part of `latest` bumped).
        next: String,
    },
    /// The same bytes were uploaded before (HTTP 409). Nothing was stored.
    #[error("this archive was already uploaded as version {number} (`{widget_version}`)")]
    DuplicateArchive {
        /// Sequence number of the existing version.
        number: i64,
        /// Its `widget.version`.
        widget_version: String,
    },
    /// The submission failed the publication checks (HTTP 400 with every finding). Nothing
    /// was queued.
    #[error("the submission is blocked by {} error(s)", .0.errors)]
    SubmissionBlocked(Box<Report>),
    /// A change that the object's current state does not allow, or that contradicts existing
    /// state such as a taken e-mail (HTTP 409 with the case's API code, such as
    /// `submission.decided`), with the values its sentence names.
    #[error("{0}")]
    StateConflict(Refusal),
    /// Installation settings do not match the manifest's `settings` (HTTP 400/422).
    #[error("invalid settings: {}", .0.iter().map(|p| if p.key.is_empty() { p.message() } else { format!("`{}`: {}", p.key, p.message()) }).collect::<Vec<_>>().join("; "))]
    InvalidSettings(Vec<SettingsProblem>),
    /// A malformed argument (HTTP 400): the field, a stable code and the values the message
    /// names.
    #[error("{0}")]
    BadInput(BadInput),
    /// The service's own configuration is unusable (start-up and operator commands: a
    /// database URL, a secrets key file), with what to do.
    #[error("{0}")]
    Config(String),
    /// The database failed (HTTP 500, or 503 when the pool is exhausted).
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// Migrations could not be applied (start-up only).
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The blob store failed (HTTP 503).
    #[error("blob store error: {0}")]
    Blob(#[source] io::Error),
    /// Too much is asked at once (password hashing); try again after the given time (HTTP 503
    /// with `Retry-After`).
    #[error("the server is busy; try again in {} s", .0.as_secs())]
    Busy(std::time::Duration),
    /// Too many sign-in attempts from this client for this e-mail address; try again after
    /// the given time (HTTP 429 with `Retry-After`).
    #[error("too many sign-in attempts; try again in {} s", .0.as_secs())]
    TooManyAttempts(std::time::Duration),
    /// A broken invariant, e.g. an unreadable stored row (HTTP 500).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub(crate) fn state(case: StateCase) -> Error {
        Error::StateConflict(Refusal::new(case))
    }

    /// A refusal of what the caller may not do; add values with [`Error::with`].
    pub fn denied(case: DenialCase) -> Error {
        Error::Forbidden(Denial::new(case))
    }

    /// A refusal of the field at `field` (a JSON pointer) with `code`; add the values the
    /// message names with [`Error::with`].
    pub(crate) fn input(field: impl Into<String>, code: InputCode) -> Error {
        Error::BadInput(BadInput::new(field, code))
    }

    /// Adds a value to the message of a [`Error::BadInput`], [`Error::StateConflict`] or
    /// [`Error::Forbidden`] (other errors stay as they are).
    pub fn with(self, name: &'static str, value: impl std::fmt::Display) -> Error {
        match self {
            Error::BadInput(b) => Error::BadInput(b.with(name, value)),
            Error::StateConflict(r) => Error::StateConflict(r.with(name, value)),
            Error::Forbidden(d) => Error::Forbidden(d.with(name, value)),
            other => other,
        }
    }

    pub(crate) fn internal(what: impl std::fmt::Display) -> Error {
        Error::Internal(what.to_string())
    }

    /// Whether the error is a unique-constraint violation in the database.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Error::Db(sqlx::Error::Database(d)) if d.is_unique_violation())
    }
}
