//! Snapshots (insta) of the reports people read: `widgetry lint` as text in English and
//! Russian, and as JSON, for a widget with typical mistakes (a location that takes no suffix,
//! a misspelt i18n key, a script without its callbacks). A change shows as a diff of the
//! files under `tests/snapshots/`; when it is meant, accept it with `cargo insta review` (or
//! rerun with `INSTA_UPDATE=always`) and commit the new snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{MANIFEST, run, widget_dir, write_files};

/// The plausible widget with the mistakes; the folder's path replaced by its name.
fn lint(args: &[&str]) -> (i32, String) {
    let manifest = MANIFEST
        .replace(
            r#""locations": ["settings"]"#,
            r#""locations": ["settings", "lcard-2"]"#,
        )
        .replace(
            r#""name": "settings.api_key""#,
            r#""name": "settings.api_kye""#,
        );
    let (tmp, root) = widget_dir(&manifest);
    write_files(
        &root,
        &[("script.js", b"define([], function () { return {}; });\n")],
    );
    let mut argv = vec!["lint", root.to_str().unwrap()];
    argv.extend_from_slice(args);
    let r = run(argv);
    let folder = root.to_str().unwrap();
    let out = r.stdout.replace(folder, "my-widget");
    drop(tmp);
    (r.code, out)
}

#[test]
fn the_text_report_in_english() {
    let (code, out) = lint(&["--lang", "en"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("lint_text_en", out);
}

#[test]
fn the_text_report_in_russian() {
    let (code, out) = lint(&["--lang", "ru"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("lint_text_ru", out);
}

#[test]
fn the_json_report() {
    let (code, out) = lint(&["--format", "json", "--lang", "en"]);
    assert_eq!(code, 1);
    let mut report: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The rule table's hash changes with any rule text; the diagnostics show what changed.
    report["validator"]["rules_hash"] = "[hash]".into();
    report["validator"]["version"] = "[version]".into();
    insta::assert_json_snapshot!("lint_json", report);
}
