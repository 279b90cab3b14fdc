//! The CLI's integration tests, built as one binary: each file beside this one is one of its
//! modules. A binary per file linked the test helpers, the registry and reqwest once each, 20
//! to 80 MB apiece in a debug build; one binary saves the disk and the link time.
//!
//! `cargo test -p widgetry --test suite` runs them all, and a module's name picks some:
//! `cargo test -p widgetry --test suite -- lint::`. Cargo builds only this file
//! (`autotests = false`), so a new file must be declared below; a test fails until it is.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod cluster;
mod durability;
mod init;
mod lint;
mod moderation;
mod pack;
mod preview;
mod rules;
mod serve;
mod shell;
mod snapshots;
mod status_wait;

#[test]
fn every_file_beside_the_suite_is_one_of_its_modules() {
    widgetry_testkit::assert_suite_declares_every_file(env!("CARGO_MANIFEST_DIR"));
}
