//! # widgetry-api
//!
//! Widgetry's HTTP API as both sides see it: the JSON views the server writes
//! ([`views`], [`webhooks`]) and the CLI reads, and how times are shown. The server converts
//! its registry objects into these; the client-only CLI depends on this crate instead of the
//! server, so it builds without the database, HTTP-server and cloud-storage stacks.
//!
//! With the `openapi` feature every view also derives `utoipa::ToSchema`, for the server's
//! OpenAPI document.

#![deny(missing_docs)]

pub mod time;
pub mod views;
pub mod webhooks;

pub use time::utc_datetime;
