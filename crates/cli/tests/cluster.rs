//! Two real `widgetry serve` processes on one PostgreSQL database and one S3-compatible store,
//! as behind a load balancer: each with its own data folder (only the URL-signing key file is
//! shared), so whatever works across them goes through the database and the store.
//!
//! - A process with another URL-signing key refuses to start.
//! - An upload through A is listed and served through B at once (byte for byte; A's signed
//!   files URL works on B's files origin).
//! - An approval through A reaches a server-sent events client of B within one second.
//! - Each webhook event is delivered once, though both processes run delivery workers.
//! - Sign-in attempts counted through A and B together: past the free ones, the client waits on both.
//!
//! Needs `WIDGETRY_TEST_POSTGRES_URL` and `WIDGETRY_TEST_S3_BUCKET` (with the
//! `WIDGETRY_TEST_AWS_*` variables); without them it passes with a note.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{self, PASSWORD, TestS3, free_port};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_widgetry");

/// One `widgetry serve`.
struct Node {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Cluster {
    database_url: String,
    s3: TestS3,
    dir: tempfile::TempDir,
}

impl Cluster {
    /// `widgetry` without the caller's storage settings.
    fn command() -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env_remove("WIDGETRY_DATABASE_URL")
            .env_remove("WIDGETRY_DATA_DIR")
            .env_remove("WIDGETRY_BLOB_STORE")
            .env("WIDGETRY_LOG", "info,sqlx=warn");
        cmd
    }

    /// The data folder, the shared database and store, and the service's secrets key file
    /// (one for every process and command, as the README says).
    fn storage(&self, cmd: &mut Command, data: &Path) {
        cmd.arg("--data-dir")
            .arg(data)
            .args(["--database-url", &self.database_url])
            .arg("--secrets-key-file")
            .arg(self.dir.path().join("secrets.key"));
        self.s3.args(cmd);
    }

    /// Starts a node; `Err(log)` when it exits instead of becoming ready.
    async fn start(&self, name: &str, key_file: Option<&Path>) -> Result<Node, String> {
        let data = self.dir.path().join(name);
        let log = self.dir.path().join(format!("{name}.log"));
        let port = free_port();
        let mut cmd = Cluster::command();
        cmd.args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .args(["--files-bind", &format!("127.0.0.1:{}", free_port())])
            .args(["--webhook-allow-private", "--webhook-retry-base-ms", "100"]);
        if let Some(key) = key_file {
            cmd.arg("--url-signing-key-file").arg(key);
        }
        self.storage(&mut cmd, &data);
        let log_file = std::fs::File::create(&log).unwrap();
        let child = cmd.stdout(Stdio::null()).stderr(log_file).spawn().unwrap();
        let mut node = Node {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if node.child.try_wait().unwrap().is_some() {
                return Err(std::fs::read_to_string(&node.log).unwrap_or_default());
            }
            let ready = client
                .get(format!("{}/healthz/ready", node.url))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ready {
                return Ok(node);
            }
            assert!(Instant::now() < deadline, "{name} did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn create_user(&self, email: &str, account: &str, moderator: bool) {
        let data = self.dir.path().join("admin");
        let mut cmd = Cluster::command();
        cmd.args([
            "admin",
            "create-user",
            "--email",
            email,
            "--account",
            account,
        ])
        .arg("--password-stdin");
        if moderator {
            cmd.arg("--moderator");
        }
        self.storage(&mut cmd, &data);
        let out = support::output_with_stdin(cmd, &format!("{PASSWORD}\n"));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The scaffolded widget with real-looking support contacts: publishable.
fn package(version: &str) -> (Vec<u8>, BTreeMap<String, Vec<u8>>) {
    let options = widgetry_scaffold::ScaffoldOptions {
        name: "Cluster Notes".into(),
        support: Some(widgetry_scaffold::Support {
            link: "https://vendor-widgets.ru/support".into(),
            email: "help@vendor-widgets.ru".into(),
        }),
        phone: Some("+7 495 215-37-84".into()),
        ..widgetry_scaffold::ScaffoldOptions::default()
    };
    let files: BTreeMap<String, Vec<u8>> = widgetry_scaffold::scaffold(&options)
        .into_iter()
        .map(|(path, bytes)| {
            if path == "manifest.json" {
                let mut manifest: Value = serde_json::from_slice(&bytes).unwrap();
                manifest["widget"]["version"] = version.into();
                return (path, serde_json::to_vec_pretty(&manifest).unwrap());
            }
            (path, bytes)
        })
        .collect();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, bytes) in &files {
        zip.start_file(path.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    (zip.finish().unwrap().into_inner(), files)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A webhook receiver on loopback: answers 204 to every POST and keeps each request's
/// `X-Widgetry-Delivery` and `X-Widgetry-Event`.
async fn receiver() -> (Arc<Mutex<Vec<(String, String)>>>, String) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let kept = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let kept = kept.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = socket.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
                    let header = |name: &str| {
                        head.lines()
                            .find_map(|l| l.strip_prefix(&format!("{name}:")))
                            .map(|v| v.trim().to_string())
                            .unwrap_or_default()
                    };
                    let length: usize = header("content-length").parse().unwrap_or(0);
                    if buf.len() < end + 4 + length {
                        continue;
                    }
                    kept.lock()
                        .unwrap()
                        .push((header("x-widgetry-delivery"), header("x-widgetry-event")));
                    let _ = socket
                        .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                        .await;
                    return;
                }
            });
        }
    });
    (seen, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(all(widgetry_test_postgres, widgetry_test_s3)),
    ignore = "needs WIDGETRY_TEST_POSTGRES_URL and WIDGETRY_TEST_S3_BUCKET: PostgreSQL and an S3-compatible server"
)]
async fn two_processes_behave_as_one_service() {
    let s3 = TestS3::fresh().expect("WIDGETRY_TEST_S3_BUCKET is set");
    let cluster = Cluster {
        database_url: support::fresh_postgres("cluster").await,
        s3,
        dir: tempfile::tempdir().unwrap(),
    };
    cluster.create_user("dev@vendor.io", "vendor", false);
    cluster.create_user("mod@platform.io", "platform", true);
    let a = cluster.start("a", None).await.unwrap();
    let key = cluster.dir.path().join("a").join("url-signing.key");
    // B with a key of its own would sign URLs A rejects: it refuses to start.
    let refused = cluster
        .start("b-own-key", None)
        .await
        .err()
        .expect("B started with its own key");
    assert!(refused.contains("same key"), "{refused}");
    let b = cluster.start("b", Some(&key)).await.unwrap();

    let client = reqwest::Client::new();
    let scopes = ["upload", "submit", "install"];
    let dev = support::api_token(&client, &a.url, "dev@vendor.io", &scopes).await;
    let moderator = support::api_token(&client, &b.url, "mod@platform.io", &["moderate"]).await;
    let get = |node: &Node, path: &str, token: &str| {
        client
            .get(format!("{}{path}", node.url))
            .bearer_auth(token)
            .send()
    };

    // An integration through A, its webhook through B.
    let r = client
        .post(format!("{}/api/v1/integrations", a.url))
        .bearer_auth(&dev)
        .json(&json!({"name": {"en": "Cluster Notes"}, "redirect_uri": "https://vendor-widgets.ru/oauth"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (deliveries, hook) = receiver().await;
    let r = client
        .put(format!("{}/api/v1/integrations/{id}/webhook", b.url))
        .bearer_auth(&dev)
        .json(&json!({"url": hook}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // Upload through A; listed and served through B at once.
    let (archive, files) = package("1.0.0");
    let part = reqwest::multipart::Part::bytes(archive)
        .file_name("widget.zip")
        .mime_str("application/zip")
        .unwrap();
    let r = client
        .post(format!("{}/api/v1/integrations/{id}/versions", a.url))
        .bearer_auth(&dev)
        .multipart(reqwest::multipart::Form::new().part("widget", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let uploaded: Value = r.json().await.unwrap();
    let a_base = uploaded["version"]["files_base_url"]
        .as_str()
        .unwrap()
        .to_string();
    let listed: Value = get(&b, &format!("/api/v1/integrations/{id}/versions"), &dev)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["versions"][0]["number"], 1);
    let b_base = listed["versions"][0]["files_base_url"]
        .as_str()
        .unwrap()
        .to_string();
    let (a_files, a_rest) = a_base.split_once("/cluster").unwrap();
    let (b_files, b_rest) = b_base.split_once("/cluster").unwrap();
    assert_ne!(a_files, b_files, "two files origins");
    assert_eq!(a_rest, b_rest, "the same signature from both processes");
    for (path, bytes) in &files {
        for base in [b_base.clone(), format!("{b_files}/cluster{a_rest}")] {
            let r = client.get(format!("{base}/{path}")).send().await.unwrap();
            assert_eq!(r.status(), 200, "{base}/{path}");
            assert_eq!(
                sha256_hex(&r.bytes().await.unwrap()),
                sha256_hex(bytes),
                "{path}"
            );
        }
    }

    // Submitted through A; B's event stream follows; approved through A.
    let r = client
        .post(format!("{}/api/v1/integrations/{id}/submissions", a.url))
        .bearer_auth(&dev)
        .json(&json!({
            "languages": ["en"],
            "description": {"en": "Keeps notes in lead cards. Support: +7 495 215-37-84, help@vendor-widgets.ru"},
            "instructions": {"en": "Install it and open a lead."},
            "support_phone": "+7 495 215-37-84",
            "support_email": "help@vendor-widgets.ru"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let stream = get(&b, &format!("/api/v1/integrations/{id}/events"), &dev)
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let (seen_tx, mut seen_rx) = tokio::sync::mpsc::unbounded_channel::<(String, Instant)>();
    tokio::spawn(async move {
        use futures_util::StreamExt;
        let mut body = stream.bytes_stream();
        let mut text = String::new();
        while let Some(Ok(chunk)) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = text.find("\n\n") {
                let event: String = text[..end].to_string();
                text.drain(..end + 2);
                if let Some(kind) = event.lines().find_map(|l| l.strip_prefix("event:")) {
                    let _ = seen_tx.send((kind.trim().to_string(), Instant::now()));
                }
            }
        }
    });
    // Let B's stream settle on its starting point before the approval.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = client
        .post(format!(
            "{}/api/v1/moderation/submissions/{sid}/approve",
            a.url
        ))
        .bearer_auth(&moderator)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let approved_at = Instant::now();
    let arrived = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let (kind, at) = seen_rx.recv().await.expect("B's stream ended");
            if kind == "submission.approved" {
                return at;
            }
        }
    })
    .await
    .expect("B's client never heard of the approval");
    let latency = arrived.saturating_duration_since(approved_at);
    eprintln!("approval through A reached B's event stream after {latency:?}");
    assert!(latency < Duration::from_secs(1), "{latency:?}");
    // Published: the public URL works on B.
    let r = client
        .get(format!("{b_files}/cluster{}", {
            let rest = a_rest.rsplit_once("/~").unwrap().0;
            format!("{rest}/script.js")
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Each webhook event delivered once, though both processes deliver.
    let history: Value = get(&a, &format!("/api/v1/integrations/{id}/audit"), &dev)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let status_events = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| widgetry_registry::is_status_kind(e["kind"].as_str().unwrap()))
        .count();
    let deadline = Instant::now() + Duration::from_secs(20);
    while deliveries.lock().unwrap().len() < status_events {
        assert!(
            Instant::now() < deadline,
            "webhooks not delivered: {:?}",
            deliveries.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Give a duplicate the time to show up.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let seen = deliveries.lock().unwrap().clone();
    let mut ids: Vec<&String> = seen.iter().map(|(id, _)| id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), seen.len(), "a delivery was made twice: {seen:?}");
    assert_eq!(seen.len(), status_events, "{seen:?}");

    // Attempts through A and B together count as one: past the free ones, this client waits
    // on both (another client would not).
    let attempt = |node: &Node, password: &str| {
        client
            .post(format!("{}/api/v1/session", node.url))
            .json(&json!({"email": "mod@platform.io", "password": password}))
            .send()
    };
    for i in 0..widgetry_registry::FREE_SIGN_IN_ATTEMPTS {
        let node = if i % 2 == 0 { &a } else { &b };
        assert_eq!(attempt(node, "wrong password").await.unwrap().status(), 401);
    }
    for node in [&a, &b] {
        assert_eq!(attempt(node, PASSWORD).await.unwrap().status(), 429);
    }
}
