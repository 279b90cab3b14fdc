//! The whole integrator flow through the real binary: `admin create-user`, `serve` on a
//! loopback port with a temporary data folder, `login`, `integrations create|list`, `init`,
//! `push` (accepted, refused with the findings, conflicting), and a restart that keeps
//! everything.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{PASSWORD, User, free_port, serve_on, text};

#[test]
fn first_upload_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = dir.join("data");
    let dev = User::new(dir);
    dev.create_user(&data, "dev@acme.io", "acme", &[]);
    let port = free_port();
    let server = serve_on(&data, port);

    let login = [
        "login",
        "--server",
        &server.url,
        "--email",
        "dev@acme.io",
        "--password-stdin",
    ];
    let out = dev.run_stdin(&login, "wrong password\n");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = dev.run_stdin(&login, &format!("{PASSWORD}\n"));
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
        saved.contains("wgt_") && !saved.contains(PASSWORD),
        "{saved}"
    );

    let (created, id) = dev.create_integration("Deal Notes");
    assert!(created.contains("secret key:"), "{created}");
    let out = dev.run(&["integrations", "rotate-secret", &id]);
    assert!(out.status.success(), "{}", text(&out));
    let line = String::from_utf8_lossy(&out.stdout).to_string();
    let key = line.trim().rsplit(' ').next().unwrap();
    assert!(
        key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()),
        "{line}"
    );

    let out = dev.run(&["init", "w", "--name", "Deal Notes"]);
    assert!(out.status.success(), "{}", text(&out));
    let out = dev.run(&["push", "w", "--integration", &id]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("uploaded version 1 (widget.version 0.1.0)"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("code:   deal_notes_"), "{}", text(&out));

    // The same bytes again: refused, naming version 1.
    let out = dev.run(&["push", "w", "--integration", &id]);
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
    let out = dev.run(&["push", "w", "--integration", &id, "--no-lint"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.contains("error[manifest.interface_version]") && t.contains("\"interface_version\": 3,"),
        "{t}"
    );
    assert!(t.contains("nothing was stored"), "{t}");

    // Restart on the same address: the version is still there.
    drop(server);
    let server = serve_on(&data, port);
    let out = dev.run(&["integrations", "list", "--json", "--server", &server.url]);
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
