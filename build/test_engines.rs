//! Build script shared by the crates whose tests need an engine outside Rust (a PostgreSQL
//! server, an S3-compatible server, Chromium): it tells their tests, through `cfg`s, which
//! engines this machine offers, so a test that needs a missing one is reported as *ignored*,
//! with the reason, instead of passing without running. `.ci/run` fails when any test is
//! ignored there.
//!
//! - `widgetry_test_postgres`: `WIDGETRY_TEST_POSTGRES_URL` is set.
//! - `widgetry_test_s3`: `WIDGETRY_TEST_S3_BUCKET` is set (with the `WIDGETRY_TEST_AWS_*`
//!   endpoint and keys).
//! - `widgetry_test_s3s_fs`: the `s3s-fs` binary, at `WIDGETRY_S3S_FS` or on `PATH` (the
//!   tests that start and stop their own S3 server).
//! - `widgetry_test_browser`: `node` on `PATH`, Chromium (`WIDGETRY_CHROMIUM`, default
//!   `/usr/bin/chromium`) and `playwright-core` under `crates/server/tests/browser`.
//!
//! Nothing here affects the libraries or binaries themselves.

use std::path::{Path, PathBuf};

fn main() {
    let engines = [
        (
            "widgetry_test_postgres",
            env_set("WIDGETRY_TEST_POSTGRES_URL"),
        ),
        ("widgetry_test_s3", env_set("WIDGETRY_TEST_S3_BUCKET")),
        ("widgetry_test_s3s_fs", s3s_fs()),
        ("widgetry_test_browser", browser()),
    ];
    for (cfg, present) in engines {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        if present {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    for var in [
        "WIDGETRY_TEST_POSTGRES_URL",
        "WIDGETRY_TEST_S3_BUCKET",
        "WIDGETRY_S3S_FS",
        "WIDGETRY_CHROMIUM",
        "PATH",
    ] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    // npm ci (the Playwright driver) changes this folder; installing Chromium changes the
    // folder of its binary.
    let browser_dir = workspace().join("crates/server/tests/browser");
    for watched in [
        browser_dir.as_path(),
        chromium().parent().unwrap_or(Path::new("/")),
    ] {
        if watched.exists() {
            println!("cargo::rerun-if-changed={}", watched.display());
        }
    }
    println!("cargo::rerun-if-changed=../../build/test_engines.rs");
}

fn env_set(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| !v.is_empty())
}

fn workspace() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    manifest.join("../..")
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

fn s3s_fs() -> bool {
    match std::env::var_os("WIDGETRY_S3S_FS") {
        Some(p) => Path::new(&p).is_file(),
        None => on_path("s3s-fs"),
    }
}

fn chromium() -> PathBuf {
    std::env::var_os("WIDGETRY_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn browser() -> bool {
    on_path("node")
        && chromium().is_file()
        && workspace()
            .join("crates/server/tests/browser/node_modules/playwright-core/package.json")
            .is_file()
}
