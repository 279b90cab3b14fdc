//! The test harness: a real server on `127.0.0.1:0` with a temporary data folder, a reqwest
//! client, and widget packages built in code.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::net::SocketAddr;
use widgetry_server::{AppState, ServerConfig};

/// A running server. Dropping it stops the server and removes the data folder.
pub struct TestServer {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub data: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    pub async fn start_with(configure: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let data = tempfile::tempdir().unwrap();
        let mut config = ServerConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            data_dir: data.path().to_path_buf(),
            database_url: std::env::var("WIDGETRY_TEST_POSTGRES_URL").ok(),
            ..ServerConfig::default()
        };
        configure(&mut config);
        let state = AppState::open(config).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            widgetry_server::serve_on(listener, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        TestServer {
            addr,
            client: reqwest::Client::new(),
            data,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path))
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap();
        }
    }

    /// Files left in the temporary upload folder.
    pub fn upload_leftovers(&self) -> usize {
        let dir = widgetry_server::upload::tmp_dir(self.data.path());
        std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// The scaffolded widget's files, with `widget.version` set.
pub fn widget_files(name: &str, version: &str) -> Vec<(String, Vec<u8>)> {
    let opts = widgetry_scaffold::ScaffoldOptions {
        name: name.to_string(),
        ..widgetry_scaffold::ScaffoldOptions::default()
    };
    let mut files = widgetry_scaffold::scaffold(&opts);
    for (path, bytes) in &mut files {
        if path == "manifest.json" {
            let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            v["widget"]["version"] = version.into();
            *bytes = serde_json::to_vec_pretty(&v).unwrap();
        }
    }
    files
}

/// A zip of files.
pub fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, bytes) in files {
        w.start_file(path.as_str(), options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A valid `widget.zip`.
pub fn widget_zip(name: &str, version: &str) -> Vec<u8> {
    zip(&widget_files(name, version))
}

/// A package that fails the upload profile: no `manifest.json`, and an i18n file only.
pub fn broken_zip() -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = widget_files("Broken", "1.0.0")
        .into_iter()
        .filter(|(p, _)| p != "manifest.json")
        .collect();
    zip(&files)
}

/// A multipart form with `bytes` in field `widget` under `file_name`.
pub fn form(bytes: Vec<u8>, file_name: &str) -> reqwest::multipart::Form {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_string())
        .mime_str("application/zip")
        .unwrap();
    reqwest::multipart::Form::new().part("widget", part)
}

/// Reads a problem+json answer, checking the content type.
pub async fn problem(r: reqwest::Response) -> serde_json::Value {
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json"),
        "content type of a {} answer",
        r.status()
    );
    r.json().await.unwrap()
}
