//! The server's integration tests, built as one binary: each file beside this one is one of
//! its modules. A binary per file linked the server, sqlx, the S3 client and reqwest once each,
//! about 80 MB apiece in a debug build; one binary saves the disk and the link time.
//!
//! `cargo test -p widgetry-server --test suite` runs them all, and a module's name picks some:
//! `cargo test -p widgetry-server --test suite -- hardening::`. Cargo builds only this file
//! (`autotests = false`), so a new file must be declared below; a test fails until it is.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod support;

mod access;
mod browser;
mod durability;
mod files_origin;
mod hardening;
mod http;
mod moderation;
mod preview;
mod snapshots;
mod store_outage;
mod web_catalog;
mod web_integrator;
mod web_moderation;

#[test]
fn every_file_beside_the_suite_is_one_of_its_modules() {
    widgetry_testkit::assert_suite_declares_every_file(env!("CARGO_MANIFEST_DIR"));
}
