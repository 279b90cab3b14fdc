//! The use cases the JSON API and the pages share, where one takes more than a registry call:
//! checks, the upload intake, validation slots and metrics in one place, so that a handler
//! and a page handler are thin adapters (parse the request, call the use case, shape the
//! answer).
//!
//! Why here and not in the registry: the registry owns the domain rules, storage and the
//! audit trail, and most use cases are one registry call that already checks scopes and
//! ownership and records the audit event (submit, moderate, install, tokens). What an upload
//! adds around that call belongs to the server: the multipart intake into temporary files,
//! the request's body cap, and the metrics.

pub(crate) mod uploads;
