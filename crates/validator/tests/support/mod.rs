//! Test fixtures built in code: a complete, valid widget (the amoCRM documentation's example
//! A with real-looking contacts) that each rule test breaks in one place, and (in `raw`) a
//! ZIP writer that can forge every header field for the hostile-archive tests.

#![allow(
    dead_code,
    unused_imports,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod raw;
pub use raw::*;

use std::collections::BTreeMap;
use widgetry_validator::{Input, Options, Profile, Report, Severity, check};

/// A widget as a map of files, easy to change in one place.
#[derive(Clone)]
pub struct Widget {
    pub files: BTreeMap<String, Vec<u8>>,
}

/// A solid-colour PNG of the given size.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        let data: Vec<u8> = (0..width * height)
            .flat_map(|i| [(i % 251) as u8, 90, 200])
            .collect();
        w.write_image_data(&data).unwrap();
    }
    out
}

/// A small menu icon.
pub const MENU_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="24" height="24" fill="#2a7"/></svg>"##;

pub const MANIFEST: &str = r#"{
  "widget": {
    "name": "widget.name",
    "description": "widget.description",
    "short_description": "widget.short_description",
    "version": "1.2.0",
    "interface_version": 2,
    "init_once": false,
    "locale": ["ru", "en"],
    "installation": true,
    "support": { "link": "https://dealnotes.io/support", "email": "support@dealnotes.io" }
  },
  "locations": ["lcard-1", "ccard-1", "llist-0", "settings"],
  "tour": {
    "is_tour": true,
    "tour_images": {
      "ru": ["/images/tour_1_ru.png"],
      "en": ["/images/tour_1_en.png"]
    },
    "tour_description": "widget.tour_description"
  },
  "settings": {
    "api_key": { "name": "settings.api_key", "type": "text", "required": true },
    "secret": { "name": "settings.secret", "type": "pass", "required": true },
    "phones": { "name": "settings.phones", "type": "users", "required": false }
  }
}
"#;

pub const EN: &str = r#"{
  "widget": {
    "name": "Deal Notes Sync",
    "description": "Syncs the notes of #SUBDOMAIN# deals with your notebook. Support: +7 495 215-37-84, support@dealnotes.io",
    "short_description": "Sync deal notes",
    "tour_description": "How it works"
  },
  "settings": { "api_key": "API key", "secret": "Secret", "phones": "Extensions" }
}
"#;

pub const RU: &str = r#"{
  "widget": {
    "name": "Синхронизация заметок",
    "description": "Синхронизирует заметки сделок #SUBDOMAIN# с вашим блокнотом. Поддержка: +7 495 215-37-84, support@dealnotes.io",
    "short_description": "Синхронизация заметок",
    "tour_description": "Как это работает"
  },
  "settings": { "api_key": "Ключ API", "secret": "Секрет", "phones": "Добавочные" }
}
"#;

pub const SCRIPT: &str = r#"define(['jquery'], function ($) {
  var CustomWidget = function () {
    var self = this;
    this.callbacks = {
      render: function () { return true; },
      init: function () { return true; },
      bind_actions: function () { return true; },
      settings: function () { return true; },
      onSave: function () { return true; },
      destroy: function () {},
      leads: { selected: function () { return true; } }
    };
    return this;
  };
  return CustomWidget;
});
"#;

impl Widget {
    /// The valid baseline.
    pub fn valid() -> Widget {
        let mut files = BTreeMap::new();
        files.insert("manifest.json".into(), MANIFEST.as_bytes().to_vec());
        files.insert("i18n/en.json".into(), EN.as_bytes().to_vec());
        files.insert("i18n/ru.json".into(), RU.as_bytes().to_vec());
        files.insert("script.js".into(), SCRIPT.as_bytes().to_vec());
        files.insert(
            "style.css".into(),
            b".deal-notes-sync .title { color: #333; }\n".to_vec(),
        );
        for (name, w, h) in [
            ("logo_main.png", 400, 272),
            ("logo_small.png", 108, 108),
            ("logo.png", 130, 100),
            ("logo_medium.png", 240, 84),
            ("logo_min.png", 84, 84),
            ("tour_1_ru.png", 300, 200),
            ("tour_1_en.png", 300, 200),
        ] {
            files.insert(format!("images/{name}"), png(w, h));
        }
        Widget { files }
    }

    pub fn set(mut self, path: &str, data: impl AsRef<[u8]>) -> Widget {
        self.files.insert(path.to_string(), data.as_ref().to_vec());
        self
    }

    pub fn remove(mut self, path: &str) -> Widget {
        self.files.remove(path);
        self
    }

    /// Replaces text in a file (which must contain it).
    pub fn edit(mut self, path: &str, from: &str, to: &str) -> Widget {
        let text = String::from_utf8(self.files[path].clone()).unwrap();
        assert!(text.contains(from), "{path} does not contain {from:?}");
        self.files
            .insert(path.to_string(), text.replacen(from, to, 1).into_bytes());
        self
    }

    /// Changes the manifest as JSON: `f` gets the parsed value. The result is pretty-printed,
    /// so line numbers come from the re-serialised text.
    pub fn manifest(self, f: impl FnOnce(&mut serde_json::Value)) -> Widget {
        let mut v: serde_json::Value =
            serde_json::from_slice(&self.files["manifest.json"]).unwrap();
        f(&mut v);
        let text = serde_json::to_string_pretty(&v).unwrap();
        self.set("manifest.json", text)
    }

    pub fn report(&self, profile: Profile) -> Report {
        let files = self
            .files
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        check(
            Input::Files(files),
            &Options {
                profile,
                ..Options::default()
            },
        )
        .report
    }

    pub fn upload(&self) -> Report {
        self.report(Profile::Upload)
    }

    pub fn publication(&self) -> Report {
        self.report(Profile::Publication)
    }

    /// The widget as a deflated ZIP archive.
    pub fn zip(&self) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in &self.files {
            w.start_file(name.as_str(), opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }
}

/// The diagnostics with a code, asserting there is at least one.
pub fn find<'r>(report: &'r Report, code: &str) -> Vec<&'r widgetry_validator::Diagnostic> {
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect();
    assert!(
        !found.is_empty(),
        "expected {code} in {:#?}",
        report.diagnostics
    );
    found
}

/// Asserts a code was raised once with the given severity, file and line; returns it.
#[track_caller]
pub fn expect<'r>(
    report: &'r Report,
    code: &str,
    severity: Severity,
    file: Option<&str>,
    line: Option<u32>,
) -> &'r widgetry_validator::Diagnostic {
    let found = find(report, code);
    let d = found[0];
    assert_eq!(d.severity, severity, "{code} severity: {d:#?}");
    assert_eq!(d.file.as_deref(), file, "{code} file: {d:#?}");
    if line.is_some() {
        assert_eq!(d.line, line, "{code} line: {d:#?}");
    }
    d
}

/// Asserts a code was not raised.
#[track_caller]
pub fn absent(report: &Report, code: &str) {
    assert!(
        report.diagnostics.iter().all(|d| d.code != code),
        "unexpected {code}: {:#?}",
        report.diagnostics
    );
}

/// The baseline widget's files as (path, bytes) pairs.
pub fn valid_widget_files() -> Vec<(String, Vec<u8>)> {
    Widget::valid().files.into_iter().collect()
}

/// The baseline widget zipped.
pub fn valid_widget_zip() -> Vec<u8> {
    Widget::valid().zip()
}
