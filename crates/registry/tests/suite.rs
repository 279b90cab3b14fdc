//! The registry's integration tests, built as one binary: each file beside this one is one of
//! its modules. A binary per file linked the registry, sqlx and the S3 client once each, about
//! 45 MB apiece in a debug build; one binary saves the disk and the link time.
//!
//! `cargo test -p widgetry-registry --test suite` runs them all, and a module's name picks
//! some: `cargo test -p widgetry-registry --test suite -- flows::`. Cargo builds only this file
//! (`autotests = false`), so a new file must be declared below; a test fails until it is.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

mod flows;
mod gc;
mod history;
mod schema;
mod secrets;

#[test]
fn every_file_beside_the_suite_is_one_of_its_modules() {
    widgetry_testkit::assert_suite_declares_every_file(env!("CARGO_MANIFEST_DIR"));
}
