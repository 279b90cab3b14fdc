//! `--format sarif`: the report as a SARIF 2.1.0 log, for code-scanning tools (GitHub code
//! scanning, VS Code's SARIF viewer, Azure DevOps).
//!
//! One run; `tool.driver.rules` is the whole catalogue (so `ruleIndex` is stable for a given
//! rule set), each rule's `defaultConfiguration.level` is its severity under the chosen
//! profile. Results point at files relative to the widget root (`uriBaseId` `WIDGETROOT`,
//! resolved through `originalUriBaseIds` when the package is a folder on disk), with
//! `region.startLine`/`startColumn` where known and the JSON pointer in
//! `properties.pointer`. Columns count Unicode code points, as the validator does.

use serde_json::{Map, Value, json};
use std::collections::HashMap;
use widgetry_validator::catalog::{self, Rule};
use widgetry_validator::{Diagnostic, Lang, Profile, Report, Severity};

/// The schema URI the log declares.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `uriBaseId` of every artifact: the root of the widget package.
pub const ROOT_BASE: &str = "WIDGETROOT";

/// What the log says about where the package came from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// `file://` URI of the widget folder, ending in `/`, when the package is a folder.
    pub root_uri: Option<String>,
}

/// Renders the report as a pretty-printed SARIF log, newline-terminated.
pub fn render(report: &Report, lang: Lang, origin: &Origin) -> serde_json::Result<String> {
    let mut out = serde_json::to_string_pretty(&log(report, lang, origin))?;
    out.push('\n');
    Ok(out)
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF log as a JSON value.
pub fn log(report: &Report, lang: Lang, origin: &Origin) -> Value {
    let rules: Vec<&'static Rule> = catalog::all().collect();
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| descriptor(r, report.profile, lang))
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| result(d, index.get(d.code.as_str()).copied()))
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "widgetry",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
                "properties": {
                    "validatorVersion": report.validator.version,
                    "rulesHash": report.validator.rules_hash,
                },
            }
        },
        "invocations": [{ "executionSuccessful": true }],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": { "profile": report.profile.as_str(), "valid": report.valid },
    });
    if let (Some(uri), Some(obj)) = (&origin.root_uri, run.as_object_mut()) {
        obj.insert(
            "originalUriBaseIds".into(),
            json!({ ROOT_BASE: { "uri": uri } }),
        );
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

fn descriptor(rule: &Rule, profile: Profile, lang: Lang) -> Value {
    json!({
        "id": rule.code,
        "shortDescription": { "text": rule.message.get(lang) },
        "fullDescription": { "text": rule.why },
        "help": { "text": rule.hint.get(lang) },
        "defaultConfiguration": { "level": level(rule.severity(profile)) },
        "properties": {
            "upload": level(rule.upload),
            "publication": level(rule.publication),
            "example": rule.example,
        },
    })
}

fn result(d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.code));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), json!({ "text": d.message }));
    if let Some(file) = &d.file {
        let mut physical = Map::new();
        physical.insert(
            "artifactLocation".into(),
            json!({ "uri": uri_path(file), "uriBaseId": ROOT_BASE }),
        );
        if let Some(line) = d.line.filter(|&l| l > 0) {
            let mut region = Map::new();
            region.insert("startLine".into(), json!(line));
            if let Some(column) = d.column.filter(|&c| c > 0) {
                region.insert("startColumn".into(), json!(column));
            }
            physical.insert("region".into(), Value::Object(region));
        }
        r.insert(
            "locations".into(),
            json!([{ "physicalLocation": Value::Object(physical) }]),
        );
    }
    let mut properties = Map::new();
    if let Some(pointer) = &d.pointer {
        properties.insert("pointer".into(), json!(pointer));
    }
    if !d.hint.is_empty() {
        properties.insert("hint".into(), json!(d.hint));
    }
    if !properties.is_empty() {
        r.insert("properties".into(), Value::Object(properties));
    }
    Value::Object(r)
}

/// A package path as a relative URI reference: every byte outside RFC 3986's unreserved set
/// and `/` is percent-encoded, so spaces, `#`, `%` and non-ASCII names stay unambiguous.
pub fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `file://` URI for an absolute directory path, ending in `/`.
pub fn dir_uri(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/'); // `C:/...` on Windows
    }
    uri.push_str(&uri_path(&text));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_are_percent_encoded() {
        assert_eq!(uri_path("images/logo.png"), "images/logo.png");
        assert_eq!(uri_path("a b#c%.js"), "a%20b%23c%25.js");
        assert_eq!(uri_path("ц.js"), "%D1%86.js");
        assert_eq!(
            dir_uri(std::path::Path::new("/tmp/my widget")),
            "file:///tmp/my%20widget/"
        );
    }
}
