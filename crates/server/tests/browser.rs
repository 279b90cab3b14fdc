//! The pages in a real browser: starts the server on SQLite, creates the people of the flow
//! (an integrator admin of `vendor`, a platform moderator, the admin of another account
//! `shop`) and the widget archives it uploads, then runs `tests/browser/flow.mjs` (Playwright
//! driving headless Chromium) against it. Screenshots of every key page land in
//! `$CARGO_TARGET_TMPDIR/browser-screenshots/`.
//!
//! Needs node, Chromium (`/usr/bin/chromium` or `WIDGETRY_CHROMIUM`) and
//! `npm ci --prefix crates/server/tests/browser`; without them the test is reported as ignored,
//! with the reason (`build/test_engines.rs` looks for them when the tests are built).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;
use widgetry_registry::Role;

/// The folder of the browser flow (package.json, flow.mjs, node_modules).
fn flow_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("WIDGETRY_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// What the flow needs and is not there.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("node (on PATH)".to_string());
    }
    let browser = chromium();
    if !browser.is_file() {
        missing.push(format!(
            "Chromium at {} (install it, or set WIDGETRY_CHROMIUM)",
            browser.display()
        ));
    }
    let playwright = flow_dir().join("node_modules/playwright-core/package.json");
    if !playwright.is_file() {
        missing.push(
            "playwright-core (run `npm ci --prefix crates/server/tests/browser`)".to_string(),
        );
    }
    missing
}

/// The first widget changed the way an update does: one line of `script.js` rewritten, one
/// added, and a new `widget.version`.
fn update_zip() -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = publishable_files("Deal Notes", "1.0.1")
        .into_iter()
        .map(|(path, bytes)| {
            if path != "script.js" {
                return (path, bytes);
            }
            let text = String::from_utf8(bytes).unwrap();
            let changed = text
                .replacen(
                    "// Called right after render: prepare data, start timers, and so on.",
                    "// Called right after render: the notes start empty.",
                    1,
                )
                .replacen(
                    "init: function () {\n        return true;",
                    "init: function () {\n        self.notes = [];\n        return true;",
                    1,
                );
            assert_ne!(changed, text, "the scaffold's script.js changed shape");
            (path, changed.into_bytes())
        })
        .collect();
    zip(&files)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(widgetry_test_browser),
    ignore = "needs node, Chromium (WIDGETRY_CHROMIUM, default /usr/bin/chromium) and playwright-core (npm ci --prefix crates/server/tests/browser)"
)]
async fn pages_in_a_browser() {
    let missing = missing();
    assert!(
        missing.is_empty(),
        "the browser test cannot run: missing {}",
        missing.join("; ")
    );

    let server = TestServer::start_on(None, |_| {}).await;
    server.user("dev@vendor.test", "vendor", Role::Admin).await;
    server.moderator("mod@platform.test", "platform").await;
    server.user("admin@shop.test", "shop", Role::Admin).await;
    let user = |email: &str, account: &str| json!({"email": email, "password": PASSWORD, "account": account});
    let users = json!({
        "integrator": user("dev@vendor.test", "vendor"),
        "moderator": user("mod@platform.test", "platform"),
        "shop": user("admin@shop.test", "shop"),
    });

    // Each archive in its own folder: the upload form wants files named widget.zip.
    let zips = tempfile::tempdir().unwrap();
    let write = |folder: &str, bytes: Vec<u8>| {
        let dir = zips.path().join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("widget.zip");
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    };
    // The good widget carries two hostile documents: opened on the pages' origin, their
    // scripts would read the viewer's CSRF token and create a token with every scope.
    // Tried against the document's own origin (the old hole: files served beside the pages)
    // and against the pages' port on the same host, with the browser's cookies.
    let attack = format!(
        "['', location.protocol + '//' + location.hostname + ':{port}'].forEach(o => \
         fetch(o + '/api/v1/me', {{credentials: 'include'}}).then(r => r.json()).then(me => \
         fetch(o + '/api/v1/tokens', {{method: 'POST', credentials: 'include', \
         headers: {{'content-type': 'application/json', 'x-csrf-token': me.csrf_token}}, \
         body: JSON.stringify({{name: 'pwned', scopes: ['upload', 'submit', 'install', 'admin']}})}})))",
        port = server.addr.port()
    );
    let mut good = publishable_files("Deal Notes", "1.0.0");
    good.push((
        "extra/evil.html".into(),
        format!("<!doctype html><title>Notes</title><script>{attack}</script>").into_bytes(),
    ));
    good.push((
        "extra/evil.svg".into(),
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"{}\"><circle r=\"5\"/></svg>",
            attack.replace('"', "&quot;")
        )
        .into_bytes(),
    ));
    let zip_paths = json!({
        "broken": write("broken", broken_zip()),
        "good": write("good", zip(&good)),
        "update": write("update", update_zip()),
    });

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    println!("browser screenshots: {}", shots.display());

    let mut command = Command::new("node");
    command
        .arg(flow_dir().join("flow.mjs"))
        .current_dir(flow_dir())
        .env("WIDGETRY_BASE_URL", server.url(""))
        .env("WIDGETRY_FILES_URL", server.files_url(""))
        .env("WIDGETRY_USERS", users.to_string())
        .env("WIDGETRY_ZIPS", zip_paths.to_string())
        .env("WIDGETRY_SCREENSHOTS", &shots)
        .env("WIDGETRY_CHROMIUM", chromium());
    // The server runs on this runtime: wait for node off its worker threads.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("node starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the browser flow failed ({}); screenshots in {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status,
        shots.display()
    );
}
