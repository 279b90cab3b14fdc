//! `widgetry preview`: the widget run in headless Chromium, its findings printed like `lint`'s
//! (the same JSON shape, file and line for an error the widget's code threw), exit 0 without
//! errors, 1 with, 2 for a missing browser or an area the manifest does not open.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;
use crate::support::run;
use serde_json::Value;

/// The scaffolded widget in `dir`, with `script` as its script.js when given.
fn widget(dir: &std::path::Path, script: Option<&str>) {
    let out = run(["init", dir.to_str().unwrap(), "--name", "Preview Me"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    if let Some(script) = script {
        std::fs::write(dir.join("script.js"), script).unwrap();
    }
}

#[test]
#[cfg_attr(
    not(widgetry_test_browser),
    ignore = "needs Chromium (WIDGETRY_CHROMIUM, default /usr/bin/chromium)"
)]
fn a_widget_runs_and_its_errors_point_at_its_code() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean");
    widget(&clean, None);
    let shots = tmp.path().join("shots");
    let out = run([
        "preview",
        clean.to_str().unwrap(),
        "--format",
        "json",
        "--screenshots",
        shots.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["valid"], true, "{report:#}");
    for area in ["lcard", "ccard", "settings"] {
        assert!(out.stderr.contains(&format!("in {area}")), "{}", out.stderr);
        // Each area's screenshot, a PNG.
        let png = std::fs::read(shots.join(format!("{area}.png")))
            .unwrap_or_else(|e| panic!("{area}: {e}\n{}", out.stderr));
        assert!(png.starts_with(b"\x89PNG\r\n"), "{area}");
    }

    // The browser's profile folder (under the temporary folder) is removed after the run,
    // together with what Chromium's helper processes wrote into it.
    let scratch = tmp.path().join("scratch");
    std::fs::create_dir(&scratch).unwrap();
    let out: support::Run = support::widgetry()
        .env("TMPDIR", &scratch)
        .args(["preview", clean.to_str().unwrap(), "--location", "lcard"])
        .output()
        .unwrap()
        .into();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let left: Vec<_> = std::fs::read_dir(&scratch).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");

    // The scaffold's left-menu page and Salesbot block run clean too.
    let menu = tmp.path().join("menu");
    let out = run([
        "init",
        menu.to_str().unwrap(),
        "--name",
        "Menu Me",
        "--locations",
        "settings,widget_page,salesbot_designer",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run(["preview", menu.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report:#}");
    for area in ["widget_page", "salesbot_designer"] {
        assert!(out.stderr.contains(&format!("in {area}")), "{}", out.stderr);
    }

    let broken = tmp.path().join("broken");
    widget(&broken, Some(widgetry_testkit::THROWING_SCRIPT));
    let out = run([
        "preview",
        broken.to_str().unwrap(),
        "--format",
        "json",
        "--location",
        "lcard",
    ]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let threw = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "preview.callback_threw")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(threw["file"], "script.js");
    assert_eq!(threw["line"], widgetry_testkit::THROWING_LINE);
    assert_eq!(threw["severity"], "error");
    // As text: the snippet of the line that threw.
    let out = run([
        "preview",
        broken.to_str().unwrap(),
        "--location",
        "lcard",
        "--lang",
        "en",
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("error[preview.callback_threw]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("var data = null; return data.missing;"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("ran in the preview with 1 error"),
        "{}",
        out.stdout
    );
}

#[test]
fn no_browser_or_an_unknown_area_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    widget(&dir, None);
    let out = run([
        "preview",
        dir.to_str().unwrap(),
        "--chromium",
        "/nonexistent/chromium",
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no browser at `/nonexistent/chromium`"),
        "{}",
        out.stderr
    );
    let out = run(["preview", dir.to_str().unwrap(), "--location", "leads-dp"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("opens no area `leads-dp`"),
        "{}",
        out.stderr
    );
    let out = run(["preview", tmp.path().join("nothing").to_str().unwrap()]);
    assert_eq!(out.code, 2);
}
