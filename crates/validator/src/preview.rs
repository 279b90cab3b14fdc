//! What a widget did in the preview, as findings: the preview host (the server's
//! `/sandbox/host.js`) records events while the widget runs (`callback_threw`,
//! `missing_module`, `external_request`, ...); [`report`] turns them into a [`Report`] with
//! the `preview.*` rules of the catalogue, so the server, the moderators' console and the CLI
//! judge a run alike. Pure: the events are data handed in, whoever recorded them. Also the
//! check of a run's screenshot ([`screenshot`]), which the host sends as a PNG data URL.

use crate::catalog::{self, Rule};
use crate::diag::{Findings, Loc, Report};
use crate::options::{Lang, Profile};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Display;

/// Most events one run keeps (the host stops reporting past it).
pub const MAX_EVENTS: usize = 2000;
/// Longest text taken from an event's data, in characters.
const MAX_TEXT_CHARS: usize = 300;

/// Largest screenshot of one run, in bytes of PNG.
pub const MAX_SCREENSHOT_BYTES: usize = 1024 * 1024;
/// Largest width or height of a screenshot, in pixels.
pub const MAX_SCREENSHOT_SIDE: usize = 4096;

/// Why a screenshot was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScreenshotError {
    /// Not a `data:image/png;base64,` URL, or not base64.
    #[error("the screenshot is not a base64 PNG data URL")]
    NotDataUrl,
    /// More than [`MAX_SCREENSHOT_BYTES`].
    #[error("the screenshot is larger than {MAX_SCREENSHOT_BYTES} bytes")]
    TooLarge,
    /// The bytes are not a PNG image of at most [`MAX_SCREENSHOT_SIDE`] pixels a side.
    #[error("the screenshot is not a PNG image of at most {MAX_SCREENSHOT_SIDE} pixels a side")]
    NotPng,
}

/// A run's screenshot, checked: PNG bytes and their size in pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screenshot {
    /// The PNG file.
    pub png: Vec<u8>,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
}

/// The PNG in `data_url` (`data:image/png;base64,...`), when it is one of at most
/// [`MAX_SCREENSHOT_BYTES`] and [`MAX_SCREENSHOT_SIDE`] pixels a side. The length is checked
/// before anything is decoded.
pub fn screenshot(data_url: &str) -> Result<Screenshot, ScreenshotError> {
    use base64::Engine as _;
    let encoded = data_url
        .strip_prefix("data:image/png;base64,")
        .ok_or(ScreenshotError::NotDataUrl)?;
    if encoded.len() > MAX_SCREENSHOT_BYTES.div_ceil(3) * 4 {
        return Err(ScreenshotError::TooLarge);
    }
    let png = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| ScreenshotError::NotDataUrl)?;
    if png.len() > MAX_SCREENSHOT_BYTES {
        return Err(ScreenshotError::TooLarge);
    }
    if !matches!(imagesize::image_type(&png), Ok(imagesize::ImageType::Png)) {
        return Err(ScreenshotError::NotPng);
    }
    let size = imagesize::blob_size(&png).map_err(|_| ScreenshotError::NotPng)?;
    let side = 1..=MAX_SCREENSHOT_SIDE;
    if !side.contains(&size.width) || !side.contains(&size.height) {
        return Err(ScreenshotError::NotPng);
    }
    Ok(Screenshot {
        png,
        width: size.width,
        height: size.height,
    })
}

/// One thing the widget did, as the host recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Milliseconds since the host started.
    #[serde(default)]
    pub t: u64,
    /// The area (`lcard`, `settings`, ...).
    #[serde(default)]
    pub area: String,
    /// What happened (`callback`, `callback_threw`, `console`, ...).
    pub kind: String,
    /// The details, by kind.
    #[serde(default)]
    pub data: Value,
}

impl Event {
    /// A text member of the data, cut to a readable length.
    fn text(&self, name: &str) -> String {
        let value = match self.data.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let mut out: String = value.chars().take(MAX_TEXT_CHARS).collect();
        if out.len() < value.len() {
            out.push('…');
        }
        out
    }

    /// Where in the widget's files, when the browser said.
    fn loc(&self) -> Loc {
        let file = self.text("file");
        if file.is_empty() {
            return Loc::package();
        }
        let number = |name: &str| {
            self.data
                .get(name)
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
        };
        Loc {
            file: Some(file),
            pointer: None,
            line: number("line"),
            column: number("column"),
        }
    }
}

/// The findings of a run's events under `profile`, in `lang`.
pub fn report(events: &[Event], profile: Profile, lang: Lang) -> Report {
    let mut findings = Findings::default();
    let mut console: BTreeMap<&str, usize> = BTreeMap::new();
    for e in events.iter().take(MAX_EVENTS) {
        let area = e.area.as_str();
        let mut add = |rule: &'static Rule, args: &[(&'static str, &dyn Display)]| {
            findings.add(rule, e.loc(), args);
        };
        let callback = e.text("callback");
        let message = e.text("message");
        match e.kind.as_str() {
            "callback_threw" => add(
                &catalog::PREVIEW_CALLBACK_THREW,
                &[
                    ("callback", &callback),
                    ("area", &area),
                    ("message", &message),
                ],
            ),
            "callback_missing" => add(
                &catalog::PREVIEW_CALLBACK_MISSING,
                &[("callback", &callback), ("area", &area)],
            ),
            "callback_rejected" => add(
                &catalog::PREVIEW_CALLBACK_REJECTED,
                &[
                    ("callback", &callback),
                    ("area", &area),
                    ("message", &message),
                ],
            ),
            "callback_timeout" => {
                let seconds = e.data.get("ms").and_then(Value::as_u64).unwrap_or(0) / 1000;
                add(
                    &catalog::PREVIEW_CALLBACK_TIMEOUT,
                    &[
                        ("callback", &callback),
                        ("area", &area),
                        ("seconds", &seconds),
                    ],
                );
            }
            "salesbot_not_json" => add(
                &catalog::PREVIEW_SALESBOT_NOT_JSON,
                &[
                    ("handler", &e.text("handler")),
                    ("area", &area),
                    ("result", &e.text("result")),
                ],
            ),
            "render_declined" => add(
                &catalog::PREVIEW_RENDER_DECLINED,
                &[("result", &e.text("result")), ("area", &area)],
            ),
            "error" => add(
                &catalog::PREVIEW_UNCAUGHT_ERROR,
                &[("area", &area), ("message", &message)],
            ),
            "rejection" => add(
                &catalog::PREVIEW_UNHANDLED_REJECTION,
                &[("area", &area), ("message", &message)],
            ),
            "missing_module" => {
                let modules = match e.data.get("modules") {
                    Some(Value::Array(list)) => list
                        .iter()
                        .take(10)
                        .map(|m| format!("`{}`", m.as_str().unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ => String::new(),
                };
                add(
                    &catalog::PREVIEW_MISSING_MODULE,
                    &[("modules", &modules), ("area", &area)],
                );
            }
            "missing_template" => add(
                &catalog::PREVIEW_MISSING_TEMPLATE,
                &[("ref", &e.text("ref")), ("area", &area)],
            ),
            "external_request" => {
                let host = e.text("host");
                let kind = match e.text("directive").as_str() {
                    "script-src-elem" | "script-src" => "script",
                    "style-src-elem" | "style-src" => "stylesheet",
                    "img-src" => "image",
                    "font-src" => "font",
                    "frame-src" => "frame",
                    _ => "request",
                };
                add(
                    &catalog::PREVIEW_EXTERNAL_HOST,
                    &[("host", &host), ("kind", &kind), ("area", &area)],
                );
            }
            "crm_post" => add(
                &catalog::PREVIEW_CRM_POST,
                &[("url", &e.text("url")), ("area", &area)],
            ),
            "es_class" => add(&catalog::PREVIEW_ES_CLASS, &[]),
            "constructor_threw" => add(
                &catalog::PREVIEW_CONSTRUCTOR_THREW,
                &[("message", &message)],
            ),
            "no_constructor" => add(
                &catalog::PREVIEW_NOT_A_WIDGET,
                &[("what", &format!("it returned a {}", e.text("type")))],
            ),
            "no_callbacks" => add(
                &catalog::PREVIEW_NOT_A_WIDGET,
                &[("what", &"the constructor set no `this.callbacks`")],
            ),
            "script_failed" => add(
                &catalog::PREVIEW_NOT_A_WIDGET,
                &[("what", &format!("it did not load ({message})"))],
            ),
            "alert" => {
                let function = if e.data.get("confirm").is_some() {
                    "confirm"
                } else if e.data.get("prompt").is_some() {
                    "prompt"
                } else {
                    "alert"
                };
                add(
                    &catalog::PREVIEW_ALERT,
                    &[
                        ("function", &function),
                        ("area", &area),
                        ("text", &e.text("text")),
                    ],
                );
            }
            "app_write" => add(
                &catalog::PREVIEW_APP_WRITE,
                &[("key", &e.text("key")), ("area", &area)],
            ),
            "sync_request" => add(
                &catalog::PREVIEW_SYNC_REQUEST,
                &[("url", &e.text("url")), ("area", &area)],
            ),
            "console" => *console.entry(area).or_default() += 1,
            _ => {}
        }
    }
    for (area, count) in console {
        findings.add(
            &catalog::PREVIEW_CONSOLE_CLUTTER,
            Loc::package(),
            &[("count", &count), ("area", &area)],
        );
    }
    findings.into_report(profile, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use serde_json::json;

    fn event(kind: &str, data: Value) -> Event {
        Event {
            t: 1,
            area: "lcard".into(),
            kind: kind.into(),
            data,
        }
    }

    #[test]
    fn events_become_findings_with_their_place() {
        let events = vec![
            event("start", json!({})),
            event("callback", json!({"callback": "render"})),
            event(
                "callback_threw",
                json!({"callback": "bind_actions", "message": "x is null", "file": "script.js", "line": 7, "column": 33}),
            ),
            event("missing_module", json!({"modules": ["lib/absent.js"]})),
            event(
                "external_request",
                json!({"host": "cdn.example.net", "directive": "script-src-elem"}),
            ),
            event("console", json!({"text": "a"})),
            event("console", json!({"text": "b"})),
            event("alert", json!({"text": "hi", "confirm": true})),
        ];
        let r = report(&events, Profile::Publication, Lang::En);
        let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "preview.missing_module",
                "preview.external_host",
                "preview.alert",
                "preview.console_clutter",
                "preview.callback_threw",
            ],
            "{r:#?}"
        );
        let threw = r
            .diagnostics
            .iter()
            .find(|d| d.code == "preview.callback_threw")
            .unwrap();
        assert_eq!(threw.file.as_deref(), Some("script.js"));
        assert_eq!((threw.line, threw.column), (Some(7), Some(33)));
        assert_eq!(threw.message, "`bind_actions` threw in lcard: x is null");
        assert_eq!(threw.severity, Severity::Error);
        let ext = r
            .diagnostics
            .iter()
            .find(|d| d.code == "preview.external_host")
            .unwrap();
        assert_eq!(
            ext.message,
            "the widget contacted `cdn.example.net` (script) in lcard"
        );
        let clutter = r
            .diagnostics
            .iter()
            .find(|d| d.code == "preview.console_clutter")
            .unwrap();
        assert_eq!(clutter.severity, Severity::Warning);
        assert!(clutter.message.contains('2'));
        assert_eq!(r.errors, 3, "the throw, the module, the dialog");
        let ru = report(&events, Profile::Upload, Lang::Ru);
        assert!(
            ru.diagnostics
                .iter()
                .any(|d| d.message.contains("выбросил"))
        );
    }

    /// A PNG of `width` x `height` pixels, as a data URL.
    fn png_url(width: u32, height: u32) -> String {
        use base64::Engine as _;
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_image_data(&vec![200u8; (width * height) as usize])
            .unwrap();
        writer.finish().unwrap();
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        )
    }

    #[test]
    fn screenshots_are_small_pngs_or_refused() {
        let shot = screenshot(&png_url(40, 30)).unwrap();
        assert_eq!((shot.width, shot.height), (40, 30));
        assert!(shot.png.starts_with(b"\x89PNG"));
        assert_eq!(
            screenshot("data:image/jpeg;base64,AAAA"),
            Err(ScreenshotError::NotDataUrl)
        );
        assert_eq!(
            screenshot("data:image/png;base64,@@@@"),
            Err(ScreenshotError::NotDataUrl)
        );
        // GIF bytes under a PNG label.
        assert_eq!(
            screenshot(
                "data:image/png;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
            ),
            Err(ScreenshotError::NotPng)
        );
        assert_eq!(
            screenshot(&png_url(MAX_SCREENSHOT_SIDE as u32 + 1, 1)),
            Err(ScreenshotError::NotPng)
        );
        let huge = format!(
            "data:image/png;base64,{}",
            "A".repeat(MAX_SCREENSHOT_BYTES / 3 * 4 + 8)
        );
        assert_eq!(screenshot(&huge), Err(ScreenshotError::TooLarge));
    }

    #[test]
    fn hostile_event_data_is_cut_and_never_panics() {
        let long = "x".repeat(10_000);
        let events = vec![
            event(
                "callback_threw",
                json!({"callback": long, "message": [1, 2], "file": 5, "line": -1}),
            ),
            event("missing_module", json!({"modules": "not a list"})),
            event("callback_timeout", json!({"ms": "soon"})),
            event("unknown", Value::Null),
        ];
        let r = report(&events, Profile::Publication, Lang::En);
        assert!(
            r.diagnostics
                .iter()
                .all(|d| d.message.chars().count() < 800)
        );
        let parsed: Vec<Event> =
            serde_json::from_str(r#"[{"kind":"error"},{"kind":"console","area":"x","t":5}]"#)
                .unwrap();
        assert_eq!(
            report(&parsed, Profile::Upload, Lang::En).diagnostics.len(),
            2
        );
    }

    #[test]
    fn each_kind_of_event_raises_its_rule() {
        let cases = [
            (
                "callback_threw",
                json!({"callback": "init"}),
                "preview.callback_threw",
            ),
            (
                "callback_missing",
                json!({"callback": "init"}),
                "preview.callback_missing",
            ),
            (
                "callback_rejected",
                json!({"callback": "render"}),
                "preview.callback_rejected",
            ),
            (
                "callback_timeout",
                json!({"callback": "render", "ms": 10000}),
                "preview.callback_timeout",
            ),
            (
                "render_declined",
                json!({"result": "false"}),
                "preview.render_declined",
            ),
            (
                "error",
                json!({"message": "boom"}),
                "preview.uncaught_error",
            ),
            (
                "rejection",
                json!({"message": "no"}),
                "preview.unhandled_rejection",
            ),
            (
                "missing_module",
                json!({"modules": ["x.js"]}),
                "preview.missing_module",
            ),
            (
                "missing_template",
                json!({"ref": "/tmpl/x.twig"}),
                "preview.missing_template",
            ),
            (
                "external_request",
                json!({"host": "a.example"}),
                "preview.external_host",
            ),
            (
                "crm_post",
                json!({"url": "https://a.example/"}),
                "preview.crm_post",
            ),
            ("es_class", json!({}), "preview.es_class"),
            (
                "constructor_threw",
                json!({"message": "m"}),
                "preview.constructor_threw",
            ),
            ("no_callbacks", json!({}), "preview.not_a_widget"),
            ("alert", json!({"text": "t"}), "preview.alert"),
            ("app_write", json!({"key": "constant"}), "preview.app_write"),
            ("sync_request", json!({"url": "/x"}), "preview.sync_request"),
            ("console", json!({"text": "t"}), "preview.console_clutter"),
            (
                "salesbot_not_json",
                json!({"handler": "send_sms", "result": "[object Object]"}),
                "preview.salesbot_not_json",
            ),
        ];
        let count = cases.len();
        for (kind, data, code) in cases {
            let r = report(&[event(kind, data)], Profile::Upload, Lang::En);
            let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(codes, [code], "{kind}");
            assert!(
                !r.diagnostics[0].message.contains('{'),
                "{kind}: {}",
                r.diagnostics[0].message
            );
        }
        assert_eq!(
            catalog::all().filter(|r| r.area() == "preview").count(),
            count,
            "every preview rule has a case"
        );
    }
}
