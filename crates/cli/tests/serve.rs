//! The whole integrator flow through the real binary: `admin create-user`, `serve` on a
//! loopback port with a temporary data folder, `login`, `integrations create|list`, `init`,
//! `push` (accepted, refused with the findings, conflicting), and a restart that keeps
//! everything.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_widgetry");

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn serve(data: &Path, port: u16) -> Server {
    let child = Command::new(BIN)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .env_remove("WIDGETRY_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Server { child, url }
}

fn run(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("WIDGETRY_CONFIG", dir.join("credentials.json"))
        .env_remove("WIDGETRY_SERVER")
        .env_remove("WIDGETRY_TOKEN")
        .env("WIDGETRY_LANG", "en")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn first_upload_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = dir.join("data");
    let data_arg = data.to_str().unwrap();
    let out = run(
        dir,
        &[
            "admin",
            "create-user",
            "--email",
            "dev@acme.io",
            "--account",
            "acme",
            "--password-stdin",
            "--data-dir",
            data_arg,
        ],
        Some("correct horse battery\n"),
    );
    assert!(out.status.success(), "{}", text(&out));
    let port = free_port();
    let server = serve(&data, port);

    let out = run(
        dir,
        &[
            "login",
            "--server",
            &server.url,
            "--email",
            "dev@acme.io",
            "--password-stdin",
        ],
        Some("wrong password\n"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = run(
        dir,
        &[
            "login",
            "--server",
            &server.url,
            "--email",
            "dev@acme.io",
            "--password-stdin",
        ],
        Some("correct horse battery\n"),
    );
    assert!(out.status.success(), "{}", text(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("credentials.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let saved = std::fs::read_to_string(dir.join("credentials.json")).unwrap();
    assert!(
        saved.contains("wgt_") && !saved.contains("correct horse"),
        "{saved}"
    );

    let out = run(
        dir,
        &[
            "integrations",
            "create",
            "--name",
            "Deal Notes",
            "--redirect-uri",
            "https://dealnotes.io/oauth",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("secret key:"), "{}", text(&out));
    let out = run(dir, &["integrations", "list", "--json"], None);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = list["integrations"][0]["id"].as_i64().unwrap().to_string();
    let out = run(dir, &["integrations", "rotate-secret", &id], None);
    assert!(out.status.success(), "{}", text(&out));
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    let key = line.trim().rsplit(' ').next().unwrap();
    assert!(
        key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()),
        "{line}"
    );

    let out = run(dir, &["init", "w", "--name", "Deal Notes"], None);
    assert!(out.status.success(), "{}", text(&out));
    let out = run(dir, &["push", "w", "--integration", &id], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("uploaded version 1 (widget.version 0.1.0)"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("code:   deal_notes_"), "{}", text(&out));

    // The same bytes again: refused, naming version 1.
    let out = run(dir, &["push", "w", "--integration", &id], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("already uploaded as version 1"),
        "{}",
        text(&out)
    );

    // A broken manifest: the server's findings, rendered with the local source line.
    let manifest = dir.join("w/manifest.json");
    let m = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        m.replace("\"0.1.0\"", "\"0.2.0\"")
            .replace("\"interface_version\": 2", "\"interface_version\": 3"),
    )
    .unwrap();
    let out = run(dir, &["push", "w", "--integration", &id, "--no-lint"], None);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.contains("error[manifest.interface_version]") && t.contains("\"interface_version\": 3,"),
        "{t}"
    );
    assert!(t.contains("nothing was stored"), "{t}");

    // Restart on the same address: the version is still there.
    drop(server);
    let server = serve(&data, port);
    let out = run(
        dir,
        &["integrations", "list", "--json", "--server", &server.url],
        None,
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let integration = &list["integrations"][0];
    assert_eq!(integration["latest_version"], 1, "{list}");
    assert!(
        integration["code"]
            .as_str()
            .unwrap()
            .starts_with("deal_notes_"),
        "{list}"
    );
}
