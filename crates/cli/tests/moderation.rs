//! Moderation through the real binary against the real server: an integrator and a
//! moderator (`admin create-user --moderator`), `serve`, `login`, `init` + `push`; `submit`
//! refused with the findings, then accepted; `status`; `moderate queue|show|approve|reject`;
//! `status --wait` following the event stream to an approval (exit 0) and answering at once
//! for a rejection (exit 1, with the reasons) and a withdrawal (exit 2); `withdraw`; `webhook`;
//! `rollback --to` a `widget.version`. Test credentials reach the moderator and never the
//! integrator's terminal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{Server, User, serve, text};
use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};

const SECRET: &str = "login: demo@acme.io / password: s3cret-for-moderators";

/// Writes `widget.version` into the widget's manifest.
fn set_version(widget: &std::path::Path, version: &str) {
    let path = widget.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    manifest["widget"]["version"] = version.into();
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", text(out));
    text(out)
}

fn exit(out: &Output, code: i32) -> String {
    assert_eq!(out.status.code(), Some(code), "{}", text(out));
    text(out)
}

/// Whether a line of `text` has every one of `words`.
fn has_line(text: &str, words: &[&str]) -> bool {
    text.lines().any(|l| words.iter().all(|w| l.contains(w)))
}

/// The number after `label` in `text`.
fn number_after(text: &str, label: &str) -> String {
    let at = text
        .find(label)
        .unwrap_or_else(|| panic!("no `{label}` in\n{text}"))
        + label.len();
    text[at..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

struct World {
    _tmp: tempfile::TempDir,
    server: Server,
    dev: User,
    moderator: User,
    id: String,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let dev = User::new(&tmp.path().join("dev"));
        let moderator = User::new(&tmp.path().join("moderator"));
        dev.create_user(&data, "dev@acme.io", "acme", &[]);
        moderator.create_user(&data, "mod@widgetry.dev", "widgetry", &["--moderator"]);
        let server = serve(&data);
        dev.login(&server, "dev@acme.io");
        moderator.login(&server, "mod@widgetry.dev");
        let (_, id) = dev.create_integration("Deal Notes");
        ok(&dev.run(&[
            "init",
            "w",
            "--name",
            "Deal Notes",
            "--support-email",
            "help@dealnotes.io",
            "--support-link",
            "https://dealnotes.io/help",
            "--support-phone",
            "+1 415 555-01-23",
        ]));
        std::fs::write(dev.dir.join("creds.txt"), format!("{SECRET}\n")).unwrap();
        World {
            _tmp: tmp,
            server,
            dev,
            moderator,
            id,
        }
    }

    /// `push w` at `version`.
    fn push(&self, version: &str) {
        set_version(&self.dev.dir.join("w"), version);
        ok(&self.dev.run(&["push", "w", "--integration", &self.id]));
    }

    /// `submit` with complete fields (plus `extra`); the submission id.
    fn submit(&self, extra: &[&str]) -> String {
        let mut args = vec![
            "submit",
            "--integration",
            &self.id,
            "--language",
            "en",
            "--description",
            "en=Keeps deal notes in sync. Support: +1 415 555-01-23, help@dealnotes.io",
            "--instructions",
            "en=Install the widget and paste your Deal Notes API key in its settings.",
            "--support-phone",
            "+1 415 555-01-23",
            "--support-email",
            "help@dealnotes.io",
            "--test-credentials-file",
            "creds.txt",
        ];
        args.extend_from_slice(extra);
        let t = ok(&self.dev.run(&args));
        assert!(!t.contains("s3cret"), "test credentials echoed:\n{t}");
        assert!(t.contains("state:      in_review"), "{t}");
        assert!(
            t.contains(&format!(
                "next: widgetry status --integration {} --wait",
                self.id
            )),
            "{t}"
        );
        number_after(&t, "submission:")
    }

    fn status_wait(&self) -> Output {
        self.dev.run(&[
            "status",
            "--integration",
            &self.id,
            "--wait",
            "--timeout",
            "60",
        ])
    }
}

#[test]
fn submit_review_publish_reject_withdraw_and_roll_back() {
    let w = World::new();
    let id = w.id.as_str();
    w.push("1.0.0");

    // Refused: the description has neither a phone number nor an e-mail. Every finding is
    // listed like `lint` lists them; the field findings point into the submission.
    let out = w.dev.run(&[
        "submit",
        "--integration",
        id,
        "--language",
        "en",
        "--description",
        "en=Keeps deal notes in sync.",
        "--instructions",
        "en=Install the widget and paste your API key.",
        "--support-phone",
        "+1 415 555-01-23",
        "--support-email",
        "help@dealnotes.io",
        "--test-credentials",
        SECRET,
    ]);
    let t = exit(&out, 1);
    assert!(t.contains("error["), "{t}");
    assert!(t.contains("--> submission /description/en"), "{t}");
    assert!(t.contains("(profile `publication`)"), "{t}");
    assert!(t.contains("submission.blocked"), "{t}");
    assert!(!t.contains("s3cret"), "test credentials echoed:\n{t}");

    // Accepted, by `widget.version`.
    let first = w.submit(&["--version", "1.0.0", "--name", "en=Deal Notes Sync"]);
    let t = ok(&w.dev.run(&["status", "--integration", id]));
    assert!(t.contains("private, nothing published"), "{t}");
    assert!(has_line(&t, &["1.0.0", "in_review"]), "{t}");
    assert!(
        t.contains(&format!(
            "latest submission {first}: version 1 (1.0.0), in_review since"
        )),
        "{t}"
    );

    // Moderators only.
    let t = exit(&w.dev.run(&["moderate", "queue"]), 2);
    assert!(t.contains("403"), "{t}");
    let t = ok(&w.moderator.run(&["moderate", "queue"]));
    assert!(t.contains("1 (1.0.0)"), "{t}");
    let t = ok(&w.moderator.run(&["moderate", "show", &first]));
    assert!(
        t.contains(SECRET),
        "moderators see the test credentials:\n{t}"
    );
    assert!(t.contains("in_review since"), "{t}");
    assert!(t.contains("report: 0 errors"), "{t}");
    assert!(t.contains("change: name [en] -> Deal Notes Sync"), "{t}");
    assert!(t.contains("nothing published yet"), "{t}");

    // `status --wait` follows the events until the approval: exit 0.
    let mut waiting = w
        .dev
        .command(&["status", "--integration", id, "--wait", "--timeout", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(waiting.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("waiting for the moderators' decision") {
        line.clear();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "status --wait ended early"
        );
    }
    let t = ok(&w
        .moderator
        .run(&["moderate", "approve", &first, "--note", "Welcome aboard"]));
    assert!(t.contains("is published"), "{t}");
    let out = waiting.wait_with_output().unwrap();
    let t = exit(&out, 0);
    assert!(
        t.contains("approved: version 1 (widget.version 1.0.0) is published"),
        "{t}"
    );
    let t = ok(&w.dev.run(&["status", "--integration", id]));
    assert!(
        t.contains("public, published version 1 (widget.version 1.0.0)"),
        "{t}"
    );
    assert!(t.contains("note: Welcome aboard"), "{t}");

    // The next version is rejected with reasons: `status --wait` answers at once, exit 1.
    w.push("1.1.0");
    let second = w.submit(&[]);
    let t = ok(&w.moderator.run(&["moderate", "show", &second]));
    assert!(
        t.contains("diff against the published version 1 (widget.version 1.0.0)"),
        "{t}"
    );
    assert!(has_line(&t, &["changed", "manifest.json"]), "{t}");
    ok(&w.moderator.run(&[
        "moderate",
        "reject",
        &second,
        "--reason",
        "moderation.unclear_instructions=Say where the API key comes from",
        "--reason",
        "script.debugger=Remove the debugger statement",
    ]));
    let t = exit(&w.status_wait(), 1);
    assert!(
        t.contains("rejected: version 2 (widget.version 1.1.0)"),
        "{t}"
    );
    assert!(
        t.contains("  - moderation.unclear_instructions: Say where the API key comes from"),
        "{t}"
    );
    assert!(
        t.contains("  - script.debugger: Remove the debugger statement"),
        "{t}"
    );
    let t = exit(&w.moderator.run(&["moderate", "approve", &second]), 1);
    assert!(t.contains("submission.decided"), "{t}");

    // Withdrawn: exit 2; nothing left to withdraw.
    w.push("1.2.0");
    let third = w.submit(&[]);
    let t = ok(&w.dev.run(&["withdraw", "--integration", id]));
    assert!(
        t.contains(&format!("withdrew submission {third} of version 3")),
        "{t}"
    );
    let t = exit(&w.status_wait(), 2);
    assert!(t.contains("withdrawn"), "{t}");
    let t = exit(&w.dev.run(&["withdraw", "--integration", id]), 2);
    assert!(t.contains("no submission in review"), "{t}");

    // A webhook, then version 3 submitted again and published; version 1 is superseded.
    let t = ok(&w.dev.run(&[
        "webhook",
        "set",
        "--integration",
        id,
        "--url",
        "https://hooks.dealnotes.io/widgetry",
    ]));
    assert!(t.contains("secret: "), "{t}");
    let fourth = w.submit(&["--version", "3"]);
    ok(&w.moderator.run(&["moderate", "approve", &fourth]));
    exit(&w.status_wait(), 0);
    let t = ok(&w.dev.run(&["status", "--integration", id]));
    assert!(
        t.contains("published version 3 (widget.version 1.2.0)"),
        "{t}"
    );
    assert!(has_line(&t, &["1.0.0", "superseded"]), "{t}");

    // Back to 1.0.0 without a review.
    let t = ok(&w
        .dev
        .run(&["rollback", "--integration", id, "--to", "1.0.0"]));
    assert!(
        t.contains("version 1 (widget.version 1.0.0) is published again"),
        "{t}"
    );
    let t = ok(&w.dev.run(&["status", "--integration", id]));
    assert!(
        t.contains("published version 1 (widget.version 1.0.0)"),
        "{t}"
    );
    let t = exit(
        &w.dev
            .run(&["rollback", "--integration", id, "--to", "9.9.9"]),
        2,
    );
    assert!(t.contains("no version has widget.version `9.9.9`"), "{t}");

    let t = ok(&w.dev.run(&["webhook", "show", "--integration", id]));
    assert!(t.contains("https://hooks.dealnotes.io/widgetry"), "{t}");
    assert!(t.contains("deliveries:"), "{t}");
    ok(&w.dev.run(&["webhook", "delete", "--integration", id]));
    let log = w.server.log();
    assert!(
        !log.contains("s3cret"),
        "test credentials in the server log:\n{log}"
    );
}
