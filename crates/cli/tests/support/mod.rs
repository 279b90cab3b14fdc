//! Shared helpers for the CLI tests: run the real `widgetry` binary, write widget folders
//! and zips into temporary directories.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The result of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().expect("exit code"),
            stdout: String::from_utf8(o.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(o.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// A `widgetry` command with a clean, predictable environment (English, no colour).
pub fn widgetry() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_widgetry"));
    for var in [
        "WIDGETRY_LANG",
        "WIDGETRY_PROFILE",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
        "LANGUAGE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `widgetry` with arguments in a working folder and returns the raw output.
pub fn widgetry_in(cwd: &Path, args: &[&str]) -> Output {
    widgetry().args(args).current_dir(cwd).output().unwrap()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `widgetry` with arguments.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    widgetry().args(args).output().expect("run widgetry").into()
}

/// Writes files (relative path, contents) under `root`.
pub fn write_files(root: &Path, files: &[(&str, &[u8])]) {
    for (rel, data) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, data).expect("write file");
    }
}

/// Builds a ZIP archive in memory.
pub fn zip_bytes(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).expect("start file");
        w.write_all(data).expect("write entry");
    }
    w.finish().expect("finish zip").into_inner()
}

/// A plausible widget: manifest, i18n, script. Whether it is fully valid depends on the
/// rules of the day; tests only rely on the shape of the output for it.
pub const MANIFEST: &str = r#"{
  "widget": {
    "name": "widget.name",
    "description": "widget.description",
    "short_description": "widget.short_description",
    "version": "1.0.0",
    "interface_version": 2,
    "init_once": false,
    "locale": ["en", "ru"],
    "installation": true,
    "support": {"link": "https://support.widgetry.dev", "email": "support@widgetry.dev"}
  },
  "locations": ["settings"],
  "settings": {
    "api_key": {"name": "settings.api_key", "type": "text", "required": true}
  }
}
"#;

pub const I18N_EN: &str = r#"{
  "widget": {
    "name": "Widgetry demo",
    "description": "Shows a demo. Support: +1 555 0100, support@widgetry.dev",
    "short_description": "A demo widget"
  },
  "settings": {"api_key": "API key"}
}
"#;

pub const I18N_RU: &str = r#"{
  "widget": {
    "name": "Демо Widgetry",
    "description": "Показывает демо. Поддержка: +7 900 000-00-00, support@widgetry.dev",
    "short_description": "Демо-виджет"
  },
  "settings": {"api_key": "Ключ API"}
}
"#;

pub const SCRIPT: &str = "define(['jquery'], function ($) {\n  return function () {\n    this.callbacks = {\n      init: function () { return true; },\n      bind_actions: function () { return true; },\n      render: function () { return true; },\n      settings: function () { return true; },\n      onSave: function () { return true; },\n      destroy: function () {}\n    };\n    return this;\n  };\n});\n";

/// The files of the plausible widget, with `manifest.json` replaced by `manifest`.
pub fn widget_files(manifest: &str) -> Vec<(&str, &[u8])> {
    vec![
        ("manifest.json", manifest.as_bytes()),
        ("i18n/en.json", I18N_EN.as_bytes()),
        ("i18n/ru.json", I18N_RU.as_bytes()),
        ("script.js", SCRIPT.as_bytes()),
    ]
}

/// A temporary widget folder.
pub fn widget_dir(manifest: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("my-widget");
    write_files(&root, &widget_files(manifest));
    (dir, root)
}

/// A manifest with a syntax error: the comma after `description` is missing, so the parser
/// stops at line 5, column 5 (the `"` of `"version"`).
pub const BROKEN_MANIFEST: &str = "{\n  \"widget\": {\n    \"name\": \"widget.name\",\n    \"description\": \"widget.description\"\n    \"version\": \"1.0.0\"\n  }\n}\n";
