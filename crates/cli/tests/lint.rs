//! `widgetry lint`: exit codes, the three output formats, languages and profiles.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{
    self, BROKEN_MANIFEST, MANIFEST, run, widget_dir, widget_files, widgetry, zip_bytes,
};
use serde_json::Value;

fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"].as_array().expect("diagnostics array")
}

fn find<'a>(report: &'a Value, code: &str) -> &'a Value {
    diagnostics(report)
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no `{code}` in {report:#}"))
}

/// Every key of the report is there with the right type, and the counts add up.
fn assert_report_shape(report: &Value) {
    let obj = report.as_object().expect("report is an object");
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "validator",
            "profile",
            "valid",
            "errors",
            "warnings",
            "diagnostics"
        ]
    );
    assert!(report["validator"]["version"].is_string());
    let hash = report["validator"]["rules_hash"].as_str().expect("hash");
    assert_eq!(hash, widgetry_validator::catalog::rules_hash());
    let diags = diagnostics(report);
    let count = |sev: &str| diags.iter().filter(|d| d["severity"] == sev).count();
    assert_eq!(report["errors"].as_u64(), Some(count("error") as u64));
    assert_eq!(report["warnings"].as_u64(), Some(count("warning") as u64));
    assert_eq!(report["valid"].as_bool(), Some(count("error") == 0));
    for d in diags {
        let keys: Vec<&str> = d
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "code", "severity", "message", "file", "pointer", "line", "column", "hint"
            ]
        );
        assert!(d["code"].is_string() && d["message"].is_string() && d["hint"].is_string());
        assert!(widgetry_validator::catalog::find(d["code"].as_str().unwrap()).is_some());
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()));
        for k in ["file", "pointer"] {
            assert!(d[k].is_null() || d[k].is_string(), "{k}: {d}");
        }
        for k in ["line", "column"] {
            assert!(
                d[k].is_null() || d[k].as_u64().is_some_and(|n| n >= 1),
                "{k}: {d}"
            );
        }
    }
}

#[test]
fn folder_json_report_has_the_documented_shape_and_exit_code_follows_valid() {
    let (_tmp, root) = widget_dir(MANIFEST);
    let r = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(r.stdout.ends_with('\n') && r.stdout.trim_end().lines().count() == 1);
    let report = r.json();
    assert_report_shape(&report);
    assert_eq!(report["profile"], "upload");
    let valid = report["valid"].as_bool().unwrap();
    assert_eq!(r.code, if valid { 0 } else { 1 }, "{}", r.stdout);
}

#[test]
fn zip_input_is_validated_as_an_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("widget.zip");
    std::fs::write(&path, zip_bytes(&widget_files(MANIFEST))).unwrap();
    let r = run([
        "lint".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let report = r.json();
    assert_report_shape(&report);
    assert!(!report.to_string().contains("archive.not_zip"));
    let valid = report["valid"].as_bool().unwrap();
    assert_eq!(r.code, if valid { 0 } else { 1 });
}

#[test]
fn a_file_that_is_not_a_zip_is_an_error_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("widget.zip");
    std::fs::write(&path, "hello, I am text").unwrap();
    let r = run([
        "lint".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let report = r.json();
    assert_report_shape(&report);
    assert_eq!(report["valid"], false);
    let d = find(&report, "archive.not_zip");
    assert_eq!(d["severity"], "error");
    assert!(d["file"].is_null());

    // The text output of a package-wide finding has no snippet but still a help line.
    let r = run(["lint".as_ref(), path.as_os_str()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("error[archive.not_zip]: "),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("-->"), "{}", r.stdout);
    assert!(r.stdout.contains("= help: "), "{}", r.stdout);
}

#[test]
fn unreadable_paths_and_bad_flags_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-widget");
    let r = run(["lint".as_ref(), missing.as_os_str()]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.starts_with("error: failed to read `"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("no-such-widget"), "{}", r.stderr);

    let (_tmp, root) = widget_dir(MANIFEST);
    for bad in [
        vec!["--format", "xml"],
        vec!["--profile", "strict"],
        vec!["--lang", "de"],
        vec!["--no-such-flag"],
    ] {
        let mut cmd = widgetry();
        cmd.arg("lint").arg(&root).args(&bad);
        let r: support::Run = cmd.output().unwrap().into();
        assert_eq!(r.code, 2, "{bad:?}: {}", r.stderr);
        assert!(r.stderr.contains("error:"), "{bad:?}: {}", r.stderr);
    }
    let r = run(["lint"]);
    assert_eq!(r.code, 2, "a path is required");
}

#[test]
fn a_json_syntax_error_has_line_and_column() {
    let (_tmp, root) = widget_dir(BROKEN_MANIFEST);
    let r = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(r.code, 1);
    let report = r.json();
    assert_report_shape(&report);
    let d = find(&report, "json.syntax");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "manifest.json");
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 5);
}

#[test]
fn text_output_points_at_the_column_with_a_caret() {
    let (_tmp, root) = widget_dir(BROKEN_MANIFEST);
    let r = run(["lint".as_ref(), root.as_os_str()]);
    assert_eq!(r.code, 1);
    let out = &r.stdout;
    assert!(!out.contains('\u{1b}'), "no colour when piped:\n{out}");
    let lines: Vec<&str> = out.lines().collect();
    let head = lines
        .iter()
        .position(|l| l.starts_with("error[json.syntax]: `manifest.json` is not valid JSON"))
        .unwrap_or_else(|| panic!("no json.syntax header:\n{out}"));
    assert_eq!(lines[head + 1], " --> manifest.json:5:5", "{out}");
    assert_eq!(lines[head + 2].trim(), "|");
    let source = lines[head + 3];
    assert_eq!(source, "5 |     \"version\": \"1.0.0\"", "{out}");
    let caret = lines[head + 4];
    let at = caret
        .find('^')
        .unwrap_or_else(|| panic!("no caret:\n{out}"));
    assert_eq!(
        at,
        source.find("\"version\"").unwrap(),
        "caret under column 5:\n{out}"
    );
    assert_eq!(caret.trim_end().matches('^').count(), 1);
    let help = lines[head + 5..]
        .iter()
        .take_while(|l| !l.is_empty())
        .find(|l| l.trim_start().starts_with("= help: "));
    assert!(help.is_some(), "{out}");
    let summary = lines.last().unwrap();
    assert!(
        summary.starts_with("error: `")
            && summary.contains("1 error")
            && summary.ends_with("(profile `upload`)"),
        "{summary}"
    );
}

/// Finds the source line printed for `line` and returns the character under the caret.
fn char_under_caret(out: &str, line: u32) -> Option<char> {
    let lines: Vec<&str> = out.lines().collect();
    let prefix = format!("{line} | ");
    let src = lines.iter().position(|l| l.starts_with(&prefix))?;
    let caret_at = lines.get(src + 1)?.chars().position(|c| c == '^')?;
    lines[src].chars().nth(caret_at)
}

#[test]
fn a_caret_under_a_non_ascii_line_lands_on_the_right_character() {
    // `text.test_domain` points at the host; the line has Cyrillic text before it, and
    // columns count characters.
    let script = "define([], function () {\n  var hello = \"Привет, мир\"; fetch(\"http://localhost:8080/x\");\n});\n";
    let (_tmp, root) = widget_dir(MANIFEST);
    std::fs::write(root.join("script.js"), script).unwrap();
    let r = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let report = r.json();
    let d = diagnostics(&report)
        .iter()
        .find(|d| d["code"] == "text.test_domain" && d["file"] == "script.js")
        .unwrap_or_else(|| panic!("no test domain finding: {report:#}"));
    assert_eq!(d["line"], 2);
    let column = d["column"].as_u64().unwrap() as usize;
    let line2 = script.lines().nth(1).unwrap();
    assert_eq!(
        line2.chars().nth(column - 1),
        Some('l'),
        "column counts characters"
    );

    let r = run(["lint".as_ref(), root.as_os_str()]);
    assert!(
        r.stdout.contains(&format!(" --> script.js:2:{column}")),
        "{}",
        r.stdout
    );
    assert_eq!(char_under_caret(&r.stdout, 2), Some('l'), "{}", r.stdout);
}

/// The validator takes `json.syntax` columns from serde_json, which counts bytes, while the
/// report promises characters: with Cyrillic before the error the column is past the `x`.
#[test]
fn json_syntax_columns_count_characters() {
    let manifest = "{\"widget\": {\"name\": \"Виджет\" x}}\n";
    let (_tmp, root) = widget_dir(manifest);
    let r = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let d = find(&r.json(), "json.syntax").clone();
    assert_eq!(d["line"], 1);
    let column = d["column"].as_u64().unwrap() as usize;
    assert_eq!(manifest.chars().nth(column - 1), Some('x'));
    let r = run(["lint".as_ref(), root.as_os_str()]);
    assert_eq!(char_under_caret(&r.stdout, 1), Some('x'), "{}", r.stdout);
}

#[test]
fn russian_with_lang_flag_and_from_the_environment() {
    let (_tmp, root) = widget_dir(BROKEN_MANIFEST);
    let r = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--lang".as_ref(),
        "ru".as_ref(),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("ошибка[json.syntax]: `manifest.json` — некорректный JSON"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("= подсказка: "), "{}", r.stdout);
    let summary = r.stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("ошибка: в `") && summary.contains("профиль `upload`"),
        "{summary}"
    );

    for (var, value) in [
        ("WIDGETRY_LANG", "ru"),
        ("LANG", "ru_RU.UTF-8"),
        ("LC_ALL", "ru_RU.UTF-8"),
    ] {
        let out = widgetry()
            .arg("lint")
            .arg(&root)
            .env(var, value)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("ошибка[json.syntax]"),
            "{var}={value}: {text}"
        );
    }
    // LC_ALL wins over LANG; --lang wins over everything.
    let out = widgetry()
        .arg("lint")
        .arg(&root)
        .env("LANG", "ru_RU.UTF-8")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("error[json.syntax]")
    );
    let out = widgetry()
        .arg("lint")
        .arg(&root)
        .args(["--lang", "en"])
        .env("WIDGETRY_LANG", "ru")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("error[json.syntax]")
    );

    let r = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--lang".as_ref(),
        "ru".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(
        find(&r.json(), "json.syntax")["message"]
            .as_str()
            .unwrap()
            .contains("некорректный JSON")
    );
}

#[test]
fn profile_from_flag_and_environment() {
    let (_tmp, root) = widget_dir(MANIFEST);
    let r = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--profile".as_ref(),
        "publication".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let report = r.json();
    assert_eq!(report["profile"], "publication");
    assert_eq!(r.code, if report["valid"] == true { 0 } else { 1 });
    let out = widgetry()
        .arg("lint")
        .arg(&root)
        .args(["--format", "json"])
        .env("WIDGETRY_PROFILE", "publication")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["profile"], "publication");
    // Publication never judges more leniently than upload.
    let upload = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .json();
    assert!(upload["errors"].as_u64() <= report["errors"].as_u64());
}

#[test]
fn a_clean_summary_when_there_is_nothing_to_say() {
    // A ZIP with nothing wrong is hard to guarantee while rules are added; instead check that
    // the summary line always names the verdict and the profile.
    let (_tmp, root) = widget_dir(MANIFEST);
    let r = run(["lint".as_ref(), root.as_os_str()]);
    let summary = r.stdout.lines().last().unwrap();
    match r.code {
        0 => assert!(
            summary.starts_with("ok: ") || summary.starts_with("warning: "),
            "{summary}"
        ),
        1 => assert!(summary.starts_with("error: "), "{summary}"),
        c => panic!("exit {c}"),
    }
    assert!(summary.contains("`upload`"), "{summary}");
}

fn sarif_for(args: &[&str]) -> (support::Run, Value) {
    let (_tmp, root) = widget_dir(BROKEN_MANIFEST);
    let mut cmd = widgetry();
    cmd.arg("lint")
        .arg(&root)
        .args(["--format", "sarif"])
        .args(args);
    let r: support::Run = cmd.output().unwrap().into();
    let log = r.json();
    (r, log)
}

#[test]
fn sarif_log_has_the_essential_structure() {
    let (r, log) = sarif_for(&["--profile", "publication"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "widgetry");
    assert!(driver["version"].is_string());
    let rules = driver["rules"].as_array().unwrap();
    let catalogue: Vec<_> = widgetry_validator::catalog::all().collect();
    assert_eq!(rules.len(), catalogue.len());
    for (rule, entry) in catalogue.iter().zip(rules) {
        assert_eq!(entry["id"], rule.code);
        assert!(entry["shortDescription"]["text"].is_string());
        assert_eq!(entry["fullDescription"]["text"], rule.why);
        assert!(entry["help"]["text"].is_string());
        let level = match rule.publication {
            widgetry_validator::Severity::Error => "error",
            widgetry_validator::Severity::Warning => "warning",
            widgetry_validator::Severity::Info => "note",
        };
        assert_eq!(
            entry["defaultConfiguration"]["level"], level,
            "{}",
            rule.code
        );
    }
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].is_string());
        if let Some(locations) = result.get("locations") {
            let physical = &locations[0]["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            assert!(
                !uri.starts_with('/') && !uri.contains("://"),
                "relative: {uri}"
            );
            if let Some(region) = physical.get("region") {
                assert!(region["startLine"].as_u64().unwrap() >= 1);
            }
        }
    }
    let syntax = results
        .iter()
        .find(|r| r["ruleId"] == "json.syntax")
        .unwrap();
    assert_eq!(syntax["level"], "error");
    let physical = &syntax["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "manifest.json");
    assert_eq!(physical["region"]["startLine"], 5);
    assert_eq!(physical["region"]["startColumn"], 5);
    // The folder is named so that viewers can resolve the relative URIs.
    let base = run["originalUriBaseIds"]["WIDGETROOT"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with("/my-widget/"),
        "{base}"
    );
}

#[test]
fn sarif_pointers_go_into_properties() {
    // A manifest that parses but lacks fields: findings carry JSON pointers.
    let (_tmp, root) = widget_dir("{\"widget\": {\"name\": 5}}\n");
    let r = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "sarif".as_ref(),
    ]);
    let log = r.json();
    let report = run([
        "lint".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ])
    .json();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let diags = diagnostics(&report);
    assert_eq!(results.len(), diags.len());
    for (result, d) in results.iter().zip(diags) {
        assert_eq!(result["ruleId"], d["code"]);
        assert_eq!(result["message"]["text"], d["message"]);
        match d["pointer"].as_str() {
            Some(p) => assert_eq!(result["properties"]["pointer"], p),
            None => assert!(
                result
                    .get("properties")
                    .and_then(|p| p.get("pointer"))
                    .is_none()
            ),
        }
    }
    assert!(diags.iter().any(|d| d["pointer"].is_string()), "{report:#}");
}

/// Validates SARIF output against the official SARIF 2.1.0 schema with the Python helper,
/// when Python's `jsonschema` is available (it is on the project's machines). Set
/// `WIDGETRY_REQUIRE_SARIF_SCHEMA=1` to make its absence a failure.
#[test]
fn sarif_log_validates_against_the_official_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let mut logs = Vec::new();
    let cases: [(&str, &[&str]); 4] = [
        (BROKEN_MANIFEST, &[]),
        (MANIFEST, &["--profile", "publication"]),
        ("{\"widget\": {\"name\": 5}}", &["--lang", "ru"]),
        ("[]", &[]),
    ];
    for (i, (manifest, args)) in cases.iter().enumerate() {
        let (_dir, root) = widget_dir(manifest);
        let out = widgetry()
            .arg("lint")
            .arg(&root)
            .args(["--format", "sarif"])
            .args(*args)
            .output()
            .unwrap();
        let path = tmp.path().join(format!("{i}.sarif"));
        std::fs::write(&path, &out.stdout).unwrap();
        logs.push(path);
    }
    // A package-level finding (no file at all).
    let not_zip = tmp.path().join("widget.zip");
    std::fs::write(&not_zip, "text").unwrap();
    let out = widgetry()
        .arg("lint")
        .arg(&not_zip)
        .args(["--format", "sarif"])
        .output()
        .unwrap();
    let path = tmp.path().join("not-zip.sarif");
    std::fs::write(&path, &out.stdout).unwrap();
    logs.push(path);

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let status = std::process::Command::new("python3")
        .arg(format!("{dir}/support/validate_sarif.py"))
        .arg(format!("{dir}/data/sarif-2.1.0-rtm.5.json"))
        .args(&logs)
        .output();
    let required = std::env::var_os("WIDGETRY_REQUIRE_SARIF_SCHEMA").is_some();
    match status {
        Ok(out) if out.status.code() == Some(0) => {}
        Ok(out) if out.status.code() == Some(3) && !required => {
            eprintln!("skipped: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(out) => panic!(
            "SARIF output does not match the schema:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) if !required => eprintln!("skipped: python3 is not available: {e}"),
        Err(e) => panic!("python3 is not available: {e}"),
    }
}

#[test]
fn limits_and_allowed_locales_are_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let widget = dir.path().join("w");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_widgetry"))
        .args(["init", widget.to_str().unwrap(), "--locales", "ru,en"])
        .output()
        .unwrap();
    assert!(status.status.success());
    let lint = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_widgetry"))
            .args(["lint", widget.to_str().unwrap(), "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), report)
    };
    let (code, _) = lint(&[]);
    assert_eq!(code, Some(0));
    let (code, report) = lint(&["--allowed-locales", "en"]);
    assert_eq!(code, Some(1));
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "manifest.locale_not_allowed")
    );
    let (code, report) = lint(&["--max-entries", "3"]);
    assert_eq!(code, Some(1));
    assert_eq!(report["diagnostics"][0]["code"], "archive.too_many_entries");
}
