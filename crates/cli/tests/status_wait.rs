//! `status --wait` against a scripted server (plain HTTP/1.1 on a loopback socket): the event
//! stream is followed from the moment of connecting, a dropped connection is reopened with
//! `Last-Event-ID`, keep-alive comments are skipped, and the exit status follows the
//! decision (1 with the reasons for a rejection, 2 at the timeout).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{User, text};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the scripted server answers `GET .../events`.
#[derive(Clone, Copy)]
enum Script {
    /// First connection: one event, then the connection drops; second connection: the
    /// rejection.
    DropThenReject,
    /// Keep-alive comments forever, never a decision.
    Silent,
}

#[derive(Default)]
struct Seen {
    /// `Last-Event-ID` of every events request.
    last_event_ids: Vec<String>,
    /// `GET .../submissions/7` requests so far.
    looked: usize,
    rejected: bool,
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &str) {
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// Submission 7 (version 2 of integration 5) as the server's view has it.
fn submission(state: &str) -> String {
    let decision = if state == "rejected" {
        r#"{"by": 9, "at": 1700000000000, "outcome": "rejected", "reasons": [{"code": "script.debugger", "text": "Remove the debugger statement"}]}"#
    } else {
        "null"
    };
    format!(
        r#"{{"id": 7, "integration_id": 5, "code": "deal_notes_ab12cd", "account_id": 2,
             "version": {{"number": 2, "widget_version": "1.1.0"}}, "state": "{state}",
             "languages": ["en"], "description": {{"en": "d"}}, "instructions": {{"en": "i"}},
             "has_test_credentials": false, "support_phone": "+1 555 0100", "support_email": "a@b.io",
             "changes": {{"name": {{}}, "description": {{}}}},
             "report": {{"validator": {{"version": "1", "rules_hash": "x"}}, "profile": "publication",
                        "valid": true, "errors": 0, "warnings": 0, "diagnostics": []}},
             "base_version": null, "decision": {decision}, "submitted_by": 1,
             "created_at": 1700000000000, "updated_at": 1700000000000}}"#
    )
}

fn handle(mut stream: TcpStream, script: Script, seen: Arc<Mutex<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut last_event_id = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("last-event-id")
        {
            last_event_id = Some(value.trim().to_string());
        }
    }
    let path = request_line.split(' ').nth(1).unwrap_or("").to_string();
    let json = "application/json";
    match path.as_str() {
        "/api/v1/integrations/5" => respond(
            &mut stream,
            "200 OK",
            json,
            r#"{"id": 5, "client_uuid": "u", "account_id": 2, "name": {"en": "Deal Notes"},
                "description": {}, "redirect_uri": "https://dealnotes.io/oauth",
                "code": "deal_notes_ab12cd", "scheme": "market", "visibility": "private",
                "latest_version": 2, "created_at": 0, "updated_at": 0}"#,
        ),
        "/api/v1/integrations/5/versions" => respond(
            &mut stream,
            "200 OK",
            json,
            r#"{"versions": [{"number": 2, "widget_version": "1.1.0", "code": "deal_notes_ab12cd",
                "sha256": "00", "size": 1, "state": "in_review", "created_at": 0}]}"#,
        ),
        "/api/v1/integrations/5/submissions" => respond(
            &mut stream,
            "200 OK",
            json,
            &format!(r#"{{"submissions": [{}]}}"#, submission("in_review")),
        ),
        "/api/v1/integrations/5/submissions/7" => {
            let state = {
                let mut seen = seen.lock().unwrap();
                seen.looked += 1;
                if seen.rejected {
                    "rejected"
                } else {
                    "in_review"
                }
            };
            respond(&mut stream, "200 OK", json, &submission(state));
        }
        "/api/v1/integrations/5/events" => {
            let (connection, looked) = {
                let mut seen = seen.lock().unwrap();
                seen.last_event_ids
                    .push(last_event_id.unwrap_or_else(|| "none".to_string()));
                (seen.last_event_ids.len(), seen.looked)
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n"
            );
            match (script, connection) {
                (Script::DropThenReject, 1) => {
                    let _ = write!(
                        stream,
                        ": keep-alive\n\nid: 11\nevent: webhook.noise\ndata: {{\"id\": 11}}\n\nid: 12\nevent: submission.half"
                    );
                    let _ = stream.flush();
                    // Dropped mid-event: the half event is never dispatched.
                }
                (Script::DropThenReject, _) => {
                    // Decide only once the client has looked at the state after reconnecting.
                    let deadline = Instant::now() + Duration::from_secs(10);
                    while seen.lock().unwrap().looked == looked && Instant::now() < deadline {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                    seen.lock().unwrap().rejected = true;
                    let _ = write!(
                        stream,
                        "id: 13\r\nevent: submission.rejected\r\ndata: {{\"id\": 13, \"at\": 1700000000000, \"actor_user_id\": 9, \"account_id\": 2, \"integration_id\": 5, \"kind\": \"submission.rejected\", \"from_state\": \"in_review\", \"to_state\": \"rejected\", \"detail\": {{}}}}\r\n\r\n"
                    );
                    let _ = stream.flush();
                    std::thread::sleep(Duration::from_secs(5));
                }
                (Script::Silent, _) => {
                    for _ in 0..100 {
                        if write!(stream, ": keep-alive\n\n").is_err() {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(200));
                    }
                }
            }
        }
        _ => respond(
            &mut stream,
            "404 Not Found",
            "application/problem+json",
            r#"{"status": 404, "title": "not found", "code": "not_found"}"#,
        ),
    }
}

/// Serves `script` on a loopback port until the test ends.
fn scripted(script: Script) -> (String, Arc<Mutex<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Seen::default()));
    let shared = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = shared.clone();
            std::thread::spawn(move || handle(stream, script, seen));
        }
    });
    (url, seen)
}

fn wait(url: &str, timeout: &str) -> std::process::Output {
    let tmp = tempfile::tempdir().unwrap();
    User::new(tmp.path())
        .command(&[
            "status",
            "--integration",
            "5",
            "--wait",
            "--timeout",
            timeout,
            "--server",
            url,
        ])
        .env("WIDGETRY_TOKEN", "wgt_test")
        .output()
        .unwrap()
}

#[test]
fn a_dropped_stream_is_resumed_with_last_event_id_until_the_rejection() {
    let (url, seen) = scripted(Script::DropThenReject);
    let out = wait(&url, "30");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(
        t.contains("latest submission 7: version 2 (1.1.0), in_review since"),
        "{t}"
    );
    assert!(t.contains("webhook.noise"), "{t}");
    assert!(!t.contains("submission.half"), "{t}");
    assert!(
        t.contains("submission.rejected (in_review -> rejected)"),
        "{t}"
    );
    assert!(
        t.contains("rejected: version 2 (widget.version 1.1.0)"),
        "{t}"
    );
    assert!(
        t.contains("  - script.debugger: Remove the debugger statement"),
        "{t}"
    );
    // From now on, then after the last event received (12, whose `id:` came before the
    // connection dropped).
    assert_eq!(seen.lock().unwrap().last_event_ids, ["none", "12"]);
}

#[test]
fn no_decision_within_the_timeout_exits_2() {
    let (url, _) = scripted(Script::Silent);
    let started = Instant::now();
    let out = wait(&url, "2");
    let t = text(&out);
    assert_eq!(out.status.code(), Some(2), "{t}");
    assert!(t.contains("no decision on submission 7 within 2 s"), "{t}");
    assert!(started.elapsed() < Duration::from_secs(15), "{t}");
}
