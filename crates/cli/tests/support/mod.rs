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
        "WIDGETRY_COLOR",
        "WIDGETRY_QUIET",
        "CLICOLOR_FORCE",
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

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery";

/// A running `widgetry serve` on a loopback port; dropping it kills it.
pub struct Server {
    child: std::process::Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// Where its standard error goes.
    pub log: PathBuf,
}

impl Server {
    /// What the server has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The test S3 server's bucket under a fresh prefix (`WIDGETRY_TEST_S3_BUCKET` and the
/// standard AWS variables prefixed with `WIDGETRY_TEST_`, so tests never pick up real
/// credentials).
#[derive(Debug, Clone)]
pub struct TestS3 {
    pub config: widgetry_registry::S3Config,
}

impl TestS3 {
    /// `None` when `WIDGETRY_TEST_S3_BUCKET` is unset.
    pub fn fresh() -> Option<TestS3> {
        let bucket = std::env::var("WIDGETRY_TEST_S3_BUCKET").ok()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let prefix = format!("cli-{}-{nanos}", std::process::id());
        Some(TestS3 {
            config: widgetry_registry::S3Config::from_env(bucket, prefix, |name| {
                std::env::var(format!("WIDGETRY_TEST_{name}")).ok()
            }),
        })
    }

    /// `--blob-store s3://bucket/prefix` and the AWS variables a `widgetry` process reads.
    pub fn args(&self, cmd: &mut std::process::Command) {
        let c = &self.config;
        cmd.arg("--blob-store")
            .arg(format!("s3://{}/{}", c.bucket, c.prefix));
        for name in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ALLOW_HTTP",
        ] {
            cmd.env_remove(name);
        }
        let set = |cmd: &mut std::process::Command, name: &str, value: Option<&String>| {
            if let Some(v) = value {
                cmd.env(name, v);
            }
        };
        set(cmd, "AWS_ACCESS_KEY_ID", c.access_key_id.as_ref());
        set(cmd, "AWS_SECRET_ACCESS_KEY", c.secret_access_key.as_ref());
        set(cmd, "AWS_SESSION_TOKEN", c.session_token.as_ref());
        set(cmd, "AWS_ENDPOINT_URL", c.endpoint.as_ref());
        cmd.env("AWS_REGION", &c.region);
        cmd.env(
            "AWS_ALLOW_HTTP",
            if c.allow_http { "true" } else { "false" },
        );
    }
}

/// A fresh database labelled `label` on the `WIDGETRY_TEST_POSTGRES_URL` server.
pub async fn fresh_postgres(label: &str) -> String {
    widgetry_testkit::fresh_postgres(label)
        .await
        .expect("WIDGETRY_TEST_POSTGRES_URL is set")
}

/// Signs `email` in through the server at `url` (password [`PASSWORD`]) and makes an API
/// token with `scopes`.
pub async fn api_token(
    client: &reqwest::Client,
    url: &str,
    email: &str,
    scopes: &[&str],
) -> String {
    let r = client
        .post(format!("{url}/api/v1/session"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = r.json::<serde_json::Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r = client
        .post(format!("{url}/api/v1/tokens"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"name": "test", "scopes": scopes}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A loopback port nobody listens on.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `widgetry serve` on the SQLite data folder `data` at `port` and waits (at most
/// 30 s) until it accepts connections; its standard error goes to `<data>.log`.
pub fn serve_on(data: &Path, port: u16) -> Server {
    let log = data.with_extension("log");
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap();
    let mut child = widgetry()
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--files-bind",
            &format!("127.0.0.1:{}", free_port()),
            "--data-dir",
        ])
        .arg(data)
        .env_remove("WIDGETRY_DATABASE_URL")
        .env_remove("WIDGETRY_DATA_DIR")
        .stdout(std::process::Stdio::null())
        .stderr(log_file)
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the server exited ({status}):\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
        log,
    }
}

/// Starts `widgetry serve` on `data` at a free port.
pub fn serve(data: &Path) -> Server {
    serve_on(data, free_port())
}

/// Someone at the command line: a working folder with their own credentials file.
pub struct User {
    /// The working folder; `credentials.json` in it is the `WIDGETRY_CONFIG`.
    pub dir: PathBuf,
}

impl User {
    /// A user working in `dir` (created).
    pub fn new(dir: &Path) -> User {
        std::fs::create_dir_all(dir).unwrap();
        User {
            dir: dir.to_path_buf(),
        }
    }

    /// `widgetry` in the user's folder, with their credentials, in English, and with no
    /// server, token or integration from the environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = widgetry();
        cmd.args(args)
            .current_dir(&self.dir)
            .env("WIDGETRY_CONFIG", self.dir.join("credentials.json"))
            .env("WIDGETRY_LANG", "en")
            .env_remove("WIDGETRY_SERVER")
            .env_remove("WIDGETRY_TOKEN")
            .env_remove("WIDGETRY_INTEGRATION");
        cmd
    }

    /// Runs `widgetry args`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs `widgetry args` with `input` on standard input.
    pub fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        output_with_stdin(self.command(args), input)
    }

    /// `widgetry integrations create` with an English `name`: what it printed, and the new
    /// integration's id.
    pub fn create_integration(&self, name: &str) -> (String, String) {
        let out = self.run(&[
            "integrations",
            "create",
            "--name",
            name,
            "--redirect-uri",
            "https://dealnotes.io/oauth",
        ]);
        assert!(out.status.success(), "{}", text(&out));
        let list = self.run(&["integrations", "list", "--json"]);
        let list: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
        let items = list["integrations"].as_array().unwrap();
        let created = items.iter().find(|i| i["name"]["en"] == name).unwrap();
        (text(&out), created["id"].as_i64().unwrap().to_string())
    }

    /// `widgetry admin create-user` on the data folder `data` with [`PASSWORD`]; `extra`
    /// adds flags such as `--moderator`.
    pub fn create_user(&self, data: &Path, email: &str, account: &str, extra: &[&str]) {
        let data = data.to_str().unwrap();
        let mut args = vec![
            "admin",
            "create-user",
            "--email",
            email,
            "--account",
            account,
            "--password-stdin",
            "--data-dir",
            data,
        ];
        args.extend_from_slice(extra);
        let out = self.run_stdin(&args, &format!("{PASSWORD}\n"));
        assert!(out.status.success(), "{}", text(&out));
    }

    /// `widgetry login` as `email` with [`PASSWORD`].
    pub fn login(&self, server: &Server, email: &str) {
        let out = self.run_stdin(
            &[
                "login",
                "--server",
                &server.url,
                "--email",
                email,
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        assert!(out.status.success(), "{}", text(&out));
    }
}

/// Runs `cmd` with `input` on standard input, capturing its output.
pub fn output_with_stdin(mut cmd: Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Standard output and standard error, one after the other.
pub fn text(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}
