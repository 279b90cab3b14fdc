//! `widgetry rules`: the catalogue, one rule in full, unknown codes, Markdown and JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{run, widgetry};
use widgetry_validator::catalog;

#[test]
fn lists_every_rule_of_the_catalogue() {
    let r = run(["rules"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let headings: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .collect();
    let codes: Vec<&str> = catalog::all().map(|rule| rule.code).collect();
    assert_eq!(headings, codes);
    for rule in catalog::all() {
        assert!(r.stdout.contains(rule.message.en), "{}", rule.code);
        assert!(r.stdout.contains(rule.hint.en), "{}", rule.code);
    }
}

#[test]
fn one_rule_in_full() {
    let rule = catalog::find("json.syntax").expect("json.syntax is in the catalogue");
    let r = run(["rules", "json.syntax"]);
    assert_eq!(r.code, 0);
    let out = &r.stdout;
    assert!(out.starts_with("json.syntax\n"), "{out}");
    assert!(
        out.contains("  severity: upload: error, publication: error\n"),
        "{out}"
    );
    assert!(
        out.contains(rule.message.en) && out.contains(rule.hint.en) && out.contains(rule.why),
        "{out}"
    );
    for line in rule.example.lines() {
        assert!(out.contains(line), "{out}");
    }
    assert_eq!(
        out.lines().filter(|l| !l.starts_with(' ')).count(),
        1,
        "only one rule:\n{out}"
    );

    let r = run(["rules", "json.syntax", "--profile", "upload"]);
    assert!(
        r.stdout.contains("  severity: error (profile `upload`)\n"),
        "{}",
        r.stdout
    );

    let r = run(["rules", "json.syntax", "--lang", "ru"]);
    assert!(
        r.stdout.contains(rule.message.ru) && r.stdout.contains(rule.hint.ru),
        "{}",
        r.stdout
    );
}

#[test]
fn severities_follow_the_profile() {
    let rule = catalog::all()
        .find(|r| r.upload != r.publication)
        .expect("some rule is stricter for publication");
    let word = |s: widgetry_validator::Severity| match s {
        widgetry_validator::Severity::Error => "error",
        widgetry_validator::Severity::Warning => "warning",
        widgetry_validator::Severity::Info => "note",
    };
    for (profile, severity) in [("upload", rule.upload), ("publication", rule.publication)] {
        let r = run(["rules", rule.code, "--profile", profile]);
        let expected = format!("  severity: {} (profile `{profile}`)\n", word(severity));
        assert!(r.stdout.contains(&expected), "{}", r.stdout);
    }
}

#[test]
fn unknown_code_exits_2_with_close_matches() {
    let r = run(["rules", "json.syntx"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .starts_with("error: there is no rule `json.syntx`\n"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`json.syntax`"), "{}", r.stderr);

    let r = run(["rules", "completely-unrelated-words"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`widgetry rules` lists every rule"),
        "{}",
        r.stderr
    );

    let r = run(["rules", "--format", "yaml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn markdown_is_exactly_the_catalogue_document() {
    let r = run(["rules", "--format", "markdown"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, catalog::markdown());

    let r = run(["rules", "json.syntax", "--format", "markdown"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("### json.syntax\n"), "{}", r.stdout);
    assert!(catalog::markdown().contains(&r.stdout));
}

#[test]
fn json_lists_every_rule() {
    let r = run(["rules", "--format", "json"]);
    assert_eq!(r.code, 0);
    let rules: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), catalog::all().count());
    for (entry, rule) in rules.iter().zip(catalog::all()) {
        assert_eq!(entry["code"], rule.code);
        assert_eq!(entry["message"]["en"], rule.message.en);
        assert_eq!(entry["message"]["ru"], rule.message.ru);
        assert_eq!(entry["hint"]["en"], rule.hint.en);
        assert_eq!(entry["why"], rule.why);
        assert_eq!(entry["example"], rule.example);
        assert!(entry["upload"].is_string() && entry["publication"].is_string());
    }
    let r = run([
        "rules",
        "json.syntax",
        "--format",
        "json",
        "--profile",
        "publication",
    ]);
    let one: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(one["code"], "json.syntax");
    assert_eq!(one["severity"], "error");
    assert_eq!(one["profile"], "publication");

    let out = widgetry()
        .args(["rules", "--format", "json"])
        .env("WIDGETRY_LANG", "ru")
        .output()
        .unwrap();
    assert!(out.status.success());
}
