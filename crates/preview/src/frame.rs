//! The frame's document: the host (`/sandbox/host.js`), its configuration as inline JSON, and
//! an empty page the host fills with the area's DOM; its content security policy; and how a
//! run is chosen (area, language, scenario) from what the manifest declares.
//!
//! The policy starts with `sandbox allow-scripts allow-forms`, so wherever the document is
//! opened it runs in an opaque origin: the widget's code cannot read the host site's cookies
//! or storage, and whatever it requests goes without credentials. Scripts come only from
//! `/sandbox/` and the widget's files base, requests go only to the files base; every other
//! host the widget tries is blocked and reported as a finding.

use crate::areas::{self, Area};
use crate::fixtures::{self, Overrides};
use serde_json::{Value, json};
use widgetry_validator::preview;

/// What the host does after loading, besides running the callbacks.
pub const SCENARIOS: &[&str] = &[
    "load",
    "save",
    "disable",
    "mass-action",
    "phone-click",
    "area-switch",
    "menu-pages",
];

/// The languages a manifest declares (`widget.locale`), in its order; `en` when none.
pub fn locales(manifest: &Value) -> Vec<String> {
    let list: Vec<String> = manifest
        .pointer("/widget/locale")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .filter(|s| s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if list.is_empty() {
        vec!["en".to_string()]
    } else {
        list
    }
}

/// The language to run in: the asked one when the manifest declares it, else `preferred`
/// (the viewer's), else the manifest's first.
pub fn language(manifest: &Value, asked: Option<&str>, preferred: &str) -> String {
    let declared = locales(manifest);
    asked
        .filter(|a| declared.iter().any(|d| d == a))
        .or_else(|| declared.iter().any(|d| d == preferred).then_some(preferred))
        .map_or_else(|| declared[0].clone(), str::to_string)
}

/// The area asked for, when the manifest opens it; the first one it opens when none is asked.
pub fn area_of(manifest: &Value, asked: Option<&str>) -> Option<Area> {
    let (open, _) = areas::of_manifest(manifest);
    match asked {
        None | Some("") => open.first().copied(),
        Some(id) => open.iter().find(|a| a.id == id).copied(),
    }
}

/// The scenario that runs every callback of an area without a person's choices: every page
/// of the left menu, the Salesbot block saved; `load` elsewhere (saving the settings window
/// is the integrator's or moderator's choice, with their values).
pub fn thorough_scenario(area: &Area) -> &'static str {
    match area.family {
        "menu" => "menu-pages",
        "salesbot" => "save",
        _ => "load",
    }
}

/// The scenario asked for, `load` for anything else.
pub fn scenario(asked: Option<&str>) -> &'static str {
    SCENARIOS
        .iter()
        .find(|s| Some(**s) == asked)
        .copied()
        .unwrap_or("load")
}

/// The frame's content security policy, for a host site at `pages` (`scheme://host[:port]`)
/// and the widget's files under `files_base`; the host may post its events to `report`.
pub fn policy(pages: &str, files_base: &str, report: Option<&str>) -> String {
    let report = report.map(|r| format!(" {r}")).unwrap_or_default();
    format!(
        "sandbox allow-scripts allow-forms; default-src 'none'; \
         script-src {pages}/sandbox/ {files_base}/ 'unsafe-inline' 'unsafe-eval'; \
         style-src {pages}/sandbox/ {files_base}/ 'unsafe-inline'; \
         img-src {files_base}/ data: blob:; font-src {files_base}/ data:; media-src {files_base}/; \
         connect-src {files_base}/{report}; frame-src 'none'; worker-src 'none'; form-action 'none'; \
         base-uri 'none'; frame-ancestors {pages}"
    )
}

/// One run: the widget, where it runs, in which language, doing what, with which data.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// The widget code.
    pub code: &'a str,
    /// `widget.version`.
    pub version: &'a str,
    /// The parsed manifest.
    pub manifest: &'a Value,
    /// The OAuth client id the widget sees (`params.oauth_client_uuid`).
    pub client_uuid: &'a str,
    /// The URL of the widget's folder (`params.path`), no trailing slash.
    pub path: &'a str,
    /// The area.
    pub area: Area,
    /// The language.
    pub lang: &'a str,
    /// The scenario.
    pub scenario: &'a str,
    /// The preview data changed by the fixture panel.
    pub overrides: &'a Overrides,
    /// The account's subdomain the widget sees.
    pub subdomain: &'a str,
    /// The origin of the page around the frame, which gets the host's events.
    pub parent_origin: &'a str,
    /// Where the host posts its events when the run is over (`widgetry preview`), if anywhere.
    pub report_url: Option<&'a str>,
}

impl Run<'_> {
    /// The host's configuration.
    pub fn config(&self) -> Value {
        json!({
            "code": self.code,
            "version": self.version,
            "area": self.area.id,
            "family": self.area.family,
            "widgets_area": self.area.widgets_area,
            "lang": self.lang,
            "path": self.path,
            "assets": "/sandbox",
            "parent_origin": self.parent_origin,
            "scenario": self.scenario,
            "install_status": "installed",
            "client_uuid": self.client_uuid,
            "manifest": self.manifest,
            "settings": fixtures::settings(self.manifest, self.overrides),
            "fixtures": fixtures::crm(&self.area, self.subdomain, self.overrides),
            "report_url": self.report_url,
            // What the server and the validator take of a run, so the host stops there too.
            "limits": {
                "events": preview::MAX_EVENTS,
                "screenshot_bytes": preview::MAX_SCREENSHOT_BYTES,
            },
        })
    }

    /// The frame's HTML document.
    pub fn document(&self) -> String {
        format!(
            "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <title>{code} {version}</title><link rel=\"stylesheet\" href=\"/sandbox/host.css\"></head>\
             <body class=\"area-{family}\"><div id=\"page\"></div>\
             <pre id=\"sandbox-report\" hidden></pre>\
             <script type=\"application/json\" id=\"sandbox-config\">{json}</script>\
             <script src=\"/sandbox/vendor/html-to-image.js\"></script>\
             <script src=\"/sandbox/vendor/require.js\"></script>\
             <script src=\"/sandbox/host.js\"></script></body></html>\n",
            lang = html_escape(self.lang),
            code = html_escape(self.code),
            version = html_escape(self.version),
            family = self.area.family,
            json = script_json(&self.config()),
        )
    }
}

/// JSON safe inside `<script>`: no `<`, so no `</script>` or `<!--`.
fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Text safe in HTML.
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_cannot_close_its_script_and_languages_fall_back() {
        let v = json!({"x": "</script><script>alert(1)</script>", "y": "\u{2028}"});
        let s = script_json(&v);
        assert!(!s.contains('<'), "{s}");
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
        let m = json!({"widget": {"locale": ["ru", "en"]}});
        assert_eq!(language(&m, Some("en"), "ru"), "en");
        assert_eq!(language(&m, Some("de"), "en"), "en");
        assert_eq!(language(&m, None, "ru"), "ru");
        let only_de = json!({"widget": {"locale": ["de"]}});
        assert_eq!(language(&only_de, None, "ru"), "de");
        assert_eq!(locales(&json!({})), ["en"]);
        assert_eq!(
            locales(&json!({"widget": {"locale": ["en\"><script>"]}})),
            ["en"]
        );
        assert_eq!(scenario(Some("mass-action")), "mass-action");
        assert_eq!(scenario(Some("rm -rf")), "load");
        // What the CLI runs: every callback the area has, each scenario one the frame knows.
        let m = json!({"locations": ["lcard-1", "widget_page", "salesbot_designer"]});
        let chosen: Vec<(&str, &str)> = areas::of_manifest(&m)
            .0
            .iter()
            .map(|a| (a.id, thorough_scenario(a)))
            .collect();
        assert_eq!(
            chosen,
            [
                ("lcard", "load"),
                ("settings", "load"),
                ("widget_page", "menu-pages"),
                ("salesbot_designer", "save")
            ]
        );
        assert!(chosen.iter().all(|(_, s)| SCENARIOS.contains(s)));
    }

    #[test]
    fn the_frame_is_sandboxed_whoever_opens_it() {
        let p = policy("http://127.0.0.1:8080", "http://127.0.0.1:8081", None);
        assert!(p.starts_with("sandbox allow-scripts allow-forms;"), "{p}");
        assert!(!p.contains("allow-same-origin"));
        assert!(p.contains("connect-src http://127.0.0.1:8081/;"));
        assert!(p.contains("frame-ancestors http://127.0.0.1:8080"));
    }

    #[test]
    fn the_document_escapes_what_the_widget_chose() {
        let manifest = json!({"locations": ["lcard-1"], "widget": {"locale": ["en"]}});
        let overrides = Overrides::default();
        let run = Run {
            code: "w<b>",
            version: "1.0\"",
            manifest: &manifest,
            client_uuid: "u",
            path: "http://files/w/1.0",
            area: area_of(&manifest, None).unwrap(),
            lang: "en",
            scenario: "load",
            overrides: &overrides,
            subdomain: "acme",
            parent_origin: "http://pages",
            report_url: None,
        };
        let html = run.document();
        assert!(
            html.contains("<title>w&lt;b&gt; 1.0&quot;</title>"),
            "{html}"
        );
        assert_eq!(run.config()["fixtures"]["account"]["subdomain"], "acme");
        assert_eq!(area_of(&manifest, Some("leads-dp")), None);
    }
}
