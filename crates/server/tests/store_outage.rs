//! The object store stopped in the middle of an upload: the upload answers 503 with a problem
//! body and nothing is recorded, readiness says the blob store is down; the store back, the
//! same server takes uploads again without a restart.
//!
//! Runs its own `s3s-fs` (a real S3 protocol server; `cargo install s3s-fs --features binary`,
//! on PATH or at `WIDGETRY_S3S_FS`) so that it can stop and restart it. Without it the test
//! is reported as ignored, with the reason.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use widgetry_registry::{Role, Scope};

const KEY: &str = "outage";
const SECRET: &str = "outage-secret-key";

fn s3s_fs() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("WIDGETRY_S3S_FS") {
        return Some(PathBuf::from(p));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("s3s-fs"))
        .find(|p| p.is_file())
}

/// An `s3s-fs` on a fixed loopback port over a folder; killed when dropped.
struct S3Server {
    child: Child,
}

impl S3Server {
    fn start(bin: &Path, root: &Path, port: u16) -> S3Server {
        let child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", KEY, "--secret-key", SECRET])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "s3s-fs did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        S3Server { child }
    }

    fn stop(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn readiness(s: &TestServer) -> (u16, Value) {
    // Readiness answers are reused for a second.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = s.get("/healthz/ready").send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn recorded(s: &TestServer, token: &str, id: i64) -> (Value, Value) {
    let get = |path: String| async move {
        let r = s.get(&path).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200, "GET {path}");
        r.json::<Value>().await.unwrap()
    };
    (
        get(format!("/api/v1/integrations/{id}/versions")).await,
        get(format!("/api/v1/integrations/{id}/audit")).await,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(widgetry_test_s3s_fs),
    ignore = "needs the s3s-fs binary on PATH or at WIDGETRY_S3S_FS (cargo install s3s-fs --features binary)"
)]
async fn an_upload_when_the_object_store_stops_is_refused_and_the_store_back_is_used_again() {
    let bin = s3s_fs().expect("s3s-fs is on PATH or at WIDGETRY_S3S_FS");
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("widgets")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let store = S3Server::start(&bin, root.path(), port);
    let s3 =
        widgetry_registry::S3Config::from_env("widgets".into(), "prod".into(), |name| match name {
            "AWS_ACCESS_KEY_ID" => Some(KEY.into()),
            "AWS_SECRET_ACCESS_KEY" => Some(SECRET.into()),
            "AWS_ENDPOINT_URL" => Some(format!("http://127.0.0.1:{port}")),
            "AWS_ALLOW_HTTP" => Some("true".into()),
            _ => None,
        });
    let s = TestServer::start_on(fresh_postgres().await, |c| {
        c.blob_store = Some(widgetry_registry::BlobStoreConfig::S3(s3));
    })
    .await;
    let token = s
        .token("dev@acme.io", "acme", Role::Admin, &[Scope::Upload])
        .await;
    let id = s.integration(&token).await;
    let r = s.upload(&token, id, widget_zip("Notes", "1.0.0")).await;
    assert_eq!(r.status(), 201);
    let first: Value = r.json().await.unwrap();
    let script = format!(
        "{}/script.js",
        first["version"]["files_base_url"].as_str().unwrap()
    );
    assert_eq!(readiness(&s).await.0, 200);
    let before = recorded(&s, &token, id).await;

    // An upload whose body is half sent when the store stops; then the rest is sent.
    let archive = widget_zip("Notes", "1.1.0");
    let (half, rest) = archive.split_at(archive.len() / 2);
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    let body = reqwest::Body::wrap_stream(futures_util::stream::unfold(rx, |mut rx| async {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    let part = reqwest::multipart::Part::stream_with_length(body, archive.len() as u64)
        .file_name("widget.zip")
        .mime_str("application/zip")
        .unwrap();
    let upload = tokio::spawn(
        s.post(&format!("/api/v1/integrations/{id}/versions"))
            .bearer_auth(&token)
            .multipart(reqwest::multipart::Form::new().part("widget", part))
            .send(),
    );
    tx.send(Ok(half.to_vec())).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.upload_leftovers() == 0 {
        assert!(
            Instant::now() < deadline,
            "the upload did not reach the server"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    store.stop();
    tx.send(Ok(rest.to_vec())).await.unwrap();
    drop(tx);
    let started = Instant::now();
    let r = upload.await.unwrap().unwrap();
    let took = started.elapsed();
    assert_eq!(r.status(), 503);
    let p = problem(r).await;
    assert_eq!(p["code"], "storage.unavailable", "{p}");
    assert_eq!(p["status"], 503);
    assert!(took < Duration::from_secs(30), "refused after {took:?}");
    // Nothing was recorded: the same versions, the same history, no temporary file.
    assert_eq!(recorded(&s, &token, id).await, before);
    assert_eq!(s.upload_leftovers(), 0);
    let (status, ready) = readiness(&s).await;
    assert_eq!(status, 503, "{ready}");
    assert_eq!(ready["status"], "unavailable");
    assert_eq!(ready["database"]["ok"], true);
    assert_eq!(ready["blob_store"]["ok"], false);
    // A file not in the cache cannot be read meanwhile: 503, not a wrong answer.
    let r = s.client.get(&script).send().await.unwrap();
    assert!(
        r.status() == 200 || r.status() == 503,
        "a file while the store is down: {}",
        r.status()
    );

    // The store back on the same port: the same server works again, no restart.
    let _store = S3Server::start(&bin, root.path(), port);
    let (status, ready) = readiness(&s).await;
    assert_eq!(status, 200, "{ready}");
    let r = s.upload(&token, id, widget_zip("Notes", "1.1.0")).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let second: Value = r.json().await.unwrap();
    assert_eq!(second["version"]["number"], 2, "numbering has no gap");
    let r = s.client.get(&script).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("define"));
}
