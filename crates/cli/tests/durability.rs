//! The real `widgetry serve` process killed with SIGKILL in the middle of uploads, then
//! restarted on the same data folder (and database): no version without its blobs, the
//! temporary upload and blob files cleaned up at start, numbers still gap-free, the blob
//! collector takes what the killed uploads left and nothing a version names, and new uploads
//! work. On SQLite and, with `WIDGETRY_TEST_POSTGRES_URL`, on PostgreSQL, and with
//! `WIDGETRY_TEST_S3_BUCKET` with blobs on a real S3-compatible server.
//!
//! Deterministic by construction: some uploads are held half-sent by the client until after
//! the kill (so they are mid-stream for sure), others run flat out; the kill comes once
//! enough uploads were accepted, whatever the timing. Every wait is bounded.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{self, PASSWORD, free_port};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_widgetry");
const MIB: usize = 1024 * 1024;

/// Uploads held half-sent until after the kill.
const HELD: usize = 3;
/// Clients uploading small packages in a loop.
const SMALL_CLIENTS: usize = 10;
/// Sizes of the incompressible file in the large clients' packages.
const LARGE_SIZES: [usize; 3] = [5 * MIB, 10 * MIB, 15 * MIB];
/// The kill comes after this many accepted uploads.
const ACCEPTED_BEFORE_KILL: usize = 12;
/// ... of which this many large ones.
const LARGE_ACCEPTED_BEFORE_KILL: usize = 2;

#[derive(Debug, Clone, Copy)]
enum Db {
    Sqlite,
    Postgres,
    /// Blobs on the test S3 server (on PostgreSQL when configured).
    S3,
}

/// One test per storage; the PostgreSQL and S3 ones pass, saying so, without
/// `WIDGETRY_TEST_POSTGRES_URL` or `WIDGETRY_TEST_S3_BUCKET`.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(super::Db::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(widgetry_test_postgres), ignore = "needs WIDGETRY_TEST_POSTGRES_URL: a PostgreSQL server to test against")]
            async fn postgres() {
                super::$name(super::Db::Postgres).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(widgetry_test_s3), ignore = "needs WIDGETRY_TEST_S3_BUCKET (and WIDGETRY_TEST_AWS_*): an S3-compatible server to test against")]
            async fn s3() {
                super::$name(super::Db::S3).await;
            }
        }
    )*};
}

on_both!(sigkill_mid_upload_leaves_no_version_without_blobs);

/// The blob store of a test's storage.
fn blob_store(storage: &Storage) -> widgetry_registry::BlobStoreConfig {
    match &storage.s3 {
        Some(s3) => widgetry_registry::BlobStoreConfig::S3(s3.config.clone()),
        None => widgetry_registry::BlobStoreConfig::default_for(&storage.data),
    }
}

async fn blob_count(blobs: &std::sync::Arc<dyn widgetry_registry::BlobStore>) -> usize {
    use futures_util::StreamExt;
    let listed: Vec<_> = blobs.list().collect().await;
    listed.into_iter().map(Result::unwrap).count()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where a test's data lives: the data folder, the database, the blob store.
struct Storage {
    data: PathBuf,
    database_url: Option<String>,
    /// `None`: the folder `blobs` in the data folder.
    s3: Option<support::TestS3>,
}

/// `--data-dir D`, for PostgreSQL `--database-url U`, for S3 `--blob-store` and its AWS
/// variables.
fn storage_args(cmd: &mut Command, storage: &Storage) {
    cmd.arg("--data-dir").arg(&storage.data);
    if let Some(url) = &storage.database_url {
        cmd.args(["--database-url", url]);
    }
    cmd.env_remove("WIDGETRY_DATABASE_URL")
        .env_remove("WIDGETRY_DATA_DIR")
        .env_remove("WIDGETRY_BLOB_STORE");
    if let Some(s3) = &storage.s3 {
        s3.args(cmd);
    }
}

fn create_user(storage: &Storage) {
    let mut cmd = Command::new(BIN);
    cmd.args([
        "admin",
        "create-user",
        "--email",
        "dev@acme.io",
        "--account",
        "acme",
        "--password-stdin",
    ]);
    storage_args(&mut cmd, storage);
    let out = support::output_with_stdin(cmd, &format!("{PASSWORD}\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running `widgetry serve`; dropping it kills it.
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

/// Starts `widgetry serve` and waits (bounded) until `/healthz` answers 200.
async fn serve(storage: &Storage, log: &Path) -> Server {
    let port = free_port();
    let mut cmd = Command::new(BIN);
    cmd.args([
        "serve",
        "--bind",
        &format!("127.0.0.1:{port}"),
        "--files-bind",
        &format!("127.0.0.1:{}", free_port()),
    ]);
    storage_args(&mut cmd, storage);
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let child = cmd.stdout(Stdio::null()).stderr(log_file).spawn().unwrap();
    let mut server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "the server exited ({status}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        let up = client
            .get(format!("{}/healthz", server.url))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200);
        if up {
            return server;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Signs in, makes an `upload` token and an integration: (token, integration id).
async fn setup(client: &reqwest::Client, url: &str) -> (String, i64) {
    let token = support::api_token(client, url, "dev@acme.io", &["upload"]).await;
    let r = client
        .post(format!("{url}/api/v1/integrations"))
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "name": {"en": "Hello"},
            "description": {"en": "Says hello"},
            "redirect_uri": "https://example.org/oauth"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    (token, id)
}

/// Incompressible bytes (xorshift).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A package as sent: the archive and each file's SHA-256.
struct Package {
    archive: Vec<u8>,
    sha256: String,
    files: BTreeMap<String, String>,
}

/// The scaffolded widget at `version`, `script.js` unique to `tag`, plus `assets/noise.bin`
/// when given; stored uncompressed.
fn package(tag: &str, version: &str, noise: Option<&[u8]>) -> Package {
    static BASE: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    let base = BASE.get_or_init(|| {
        widgetry_scaffold::scaffold(&widgetry_scaffold::ScaffoldOptions {
            name: "Hello".to_string(),
            ..widgetry_scaffold::ScaffoldOptions::default()
        })
    });
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut files = BTreeMap::new();
    let mut add = |path: &str, bytes: &[u8]| {
        w.start_file(path, options).unwrap();
        w.write_all(bytes).unwrap();
        files.insert(path.to_string(), sha256_hex(bytes));
    };
    for (path, bytes) in base {
        match path.as_str() {
            "manifest.json" => {
                let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                v["widget"]["version"] = version.into();
                add(path, &serde_json::to_vec_pretty(&v).unwrap());
            }
            "script.js" => {
                let mut b = bytes.clone();
                b.extend_from_slice(format!("\n// {tag} {version}\n").as_bytes());
                add(path, &b);
            }
            _ => add(path, bytes),
        }
    }
    if let Some(n) = noise {
        add("assets/noise.bin", n);
    }
    let archive = w.finish().unwrap().into_inner();
    Package {
        sha256: sha256_hex(&archive),
        archive,
        files,
    }
}

fn form(part: reqwest::multipart::Part) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new().part("widget", part.file_name("widget.zip"))
}

/// An upload the client saw accepted.
#[derive(Debug, Clone)]
struct Accepted {
    number: i64,
    widget_version: String,
    sha256: String,
    files: BTreeMap<String, String>,
    large: bool,
}

/// What the uploading clients share.
struct Shared {
    client: reqwest::Client,
    url: String,
    token: String,
    killed: AtomicBool,
    accepted: Mutex<Vec<Accepted>>,
    large_attempts: AtomicUsize,
    sent: AtomicUsize,
}

/// Uploads in a loop (new version after each success, the 409's `next_version` after each
/// refusal) until the server dies. A transport error before the kill fails the test.
async fn uploader(shared: Arc<Shared>, tag: String, noise: Option<Vec<u8>>, mut version: String) {
    for _ in 0..500 {
        if shared.killed.load(Ordering::SeqCst) {
            return;
        }
        let p = package(&tag, &version, noise.as_deref());
        if noise.is_some() {
            shared.large_attempts.fetch_add(1, Ordering::SeqCst);
        }
        shared.sent.fetch_add(1, Ordering::SeqCst);
        let part = reqwest::multipart::Part::bytes(p.archive);
        let sent = shared
            .client
            .post(&shared.url)
            .bearer_auth(&shared.token)
            .multipart(form(part))
            .send()
            .await;
        let r = match sent {
            Ok(r) => r,
            Err(e) => {
                assert!(
                    shared.killed.load(Ordering::SeqCst),
                    "{tag}: transport error before the kill: {e}"
                );
                return;
            }
        };
        let status = r.status().as_u16();
        let body = match r.json::<serde_json::Value>().await {
            Ok(b) => b,
            Err(e) => {
                assert!(
                    shared.killed.load(Ordering::SeqCst),
                    "{tag}: {status} with an unreadable body before the kill: {e}"
                );
                return;
            }
        };
        match status {
            201 => {
                let v = &body["version"];
                assert_eq!(v["widget_version"], version.as_str());
                assert_eq!(v["sha256"], p.sha256.as_str());
                shared.accepted.lock().unwrap().push(Accepted {
                    number: v["number"].as_i64().unwrap(),
                    widget_version: version.clone(),
                    sha256: p.sha256,
                    files: p.files,
                    large: noise.is_some(),
                });
                version = widgetry_registry::next_version(&version);
            }
            409 if body["code"] == "version.not_increasing" => {
                version = body["next_version"].as_str().unwrap().to_string();
            }
            _ => panic!("{tag}: {status} {body:#}"),
        }
    }
}

/// Sends the first half of `archive`, then waits for `gate` (dropped after the kill) and
/// fails the body. It can only end in a transport error.
async fn held_upload(
    shared: Arc<Shared>,
    archive: Vec<u8>,
    gate: tokio::sync::oneshot::Receiver<()>,
) {
    use futures_util::StreamExt;
    let half = archive.len() / 2;
    let first: Vec<Result<bytes::Bytes, std::io::Error>> = archive[..half]
        .chunks(256 * 1024)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let rest = async move {
        let _ = gate.await;
        Err::<bytes::Bytes, _>(std::io::Error::other("the client gave up"))
    };
    let body = futures_util::stream::iter(first).chain(futures_util::stream::once(rest));
    let part = reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(body));
    let r = shared
        .client
        .post(&shared.url)
        .bearer_auth(&shared.token)
        .multipart(form(part))
        .send()
        .await;
    if let Ok(r) = r {
        panic!("a half-sent upload got an answer: {}", r.status());
    }
}

/// Regular files directly in `dir` and their sizes.
fn files_in(dir: &Path) -> Vec<(PathBuf, u64)> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap())
                .filter(|e| e.file_type().unwrap().is_file())
                .map(|e| (e.path(), e.metadata().unwrap().len()))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits (bounded) for a condition polled every 20 ms.
async fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn get_json(client: &reqwest::Client, token: &str, url: String) -> serde_json::Value {
    let r = client.get(&url).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {url}");
    r.json().await.unwrap()
}

async fn sigkill_mid_upload_leaves_no_version_without_blobs(db: Db) {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let log = tmp.path().join("server.log");
    let storage = Storage {
        data: data.clone(),
        database_url: match db {
            Db::Sqlite => None,
            Db::Postgres => Some(support::fresh_postgres("kill").await),
            Db::S3 => match std::env::var_os("WIDGETRY_TEST_POSTGRES_URL") {
                Some(_) => Some(support::fresh_postgres("kill").await),
                None => None,
            },
        },
        s3: match db {
            Db::S3 => Some(support::TestS3::fresh().expect("WIDGETRY_TEST_S3_BUCKET is set")),
            Db::Sqlite | Db::Postgres => None,
        },
    };
    create_user(&storage);
    let mut server = serve(&storage, &log).await;
    let client = reqwest::Client::new();
    let (token, id) = setup(&client, &server.url).await;
    let shared = Arc::new(Shared {
        client: client.clone(),
        url: format!("{}/api/v1/integrations/{id}/versions", server.url),
        token: token.clone(),
        killed: AtomicBool::new(false),
        accepted: Mutex::new(Vec::new()),
        large_attempts: AtomicUsize::new(0),
        sent: AtomicUsize::new(0),
    });
    let upload_tmp = data.join("tmp").join("uploads");
    // A local blob store's temporary files (an object store has none).
    let blob_tmp = data.join("blobs").join("tmp");

    // Uploads held half-sent: on the server's disk, mid-stream, until after the kill.
    let mut gates = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..HELD {
        let (open, gate) = tokio::sync::oneshot::channel::<()>();
        gates.push(open);
        let n = noise(1000 + i as u64, 6 * MIB);
        let p = package(&format!("held {i}"), "9.0.0", Some(&n));
        tasks.push(tokio::spawn(held_upload(shared.clone(), p.archive, gate)));
    }
    wait_for(
        "the held uploads to reach the server's disk",
        Duration::from_secs(60),
        || {
            files_in(&upload_tmp)
                .iter()
                .filter(|(_, len)| *len >= MIB as u64)
                .count()
                >= HELD
        },
    )
    .await;

    // Uploads flat out: small ones and large ones, until the server dies.
    for c in 0..SMALL_CLIENTS {
        tasks.push(tokio::spawn(uploader(
            shared.clone(),
            format!("small {c}"),
            None,
            format!("1.{c}.0"),
        )));
    }
    for (c, size) in LARGE_SIZES.iter().enumerate() {
        tasks.push(tokio::spawn(uploader(
            shared.clone(),
            format!("large {c}"),
            Some(noise(c as u64 + 1, *size)),
            // Ahead of the small ones, so that some large uploads are accepted too.
            format!("5.{c}.0"),
        )));
    }
    wait_for("uploads to be accepted", Duration::from_secs(120), || {
        let accepted = shared.accepted.lock().unwrap();
        accepted.len() >= ACCEPTED_BEFORE_KILL
            && accepted.iter().filter(|a| a.large).count() >= LARGE_ACCEPTED_BEFORE_KILL
            // A large client is past its first upload: one is in flight.
            && shared.large_attempts.load(Ordering::SeqCst) > LARGE_SIZES.len()
    })
    .await;

    // SIGKILL.
    shared.killed.store(true, Ordering::SeqCst);
    server.child.kill().unwrap();
    let status = server.child.wait().unwrap();
    assert!(!status.success(), "{status}");
    let killed_at = started.elapsed();
    let upload_leftovers = files_in(&upload_tmp).len();
    let blob_leftovers = files_in(&blob_tmp).len();
    drop(gates);
    for t in tasks {
        tokio::time::timeout(Duration::from_secs(30), t)
            .await
            .expect("a client did not notice the kill")
            .unwrap();
    }
    let accepted = shared.accepted.lock().unwrap().clone();
    let sent = shared.sent.load(Ordering::SeqCst);
    assert!(
        upload_leftovers >= HELD,
        "the held uploads left their partial files: {upload_leftovers}"
    );
    // A blob write cut short (the kill may or may not have caught one): its temporary file.
    if storage.s3.is_none() {
        std::fs::write(blob_tmp.join("cut-short.tmp"), b"partial blob").unwrap();
    }

    // Restart on the same data.
    let server = serve(&storage, &log).await;
    assert_eq!(files_in(&upload_tmp), vec![], "temporary uploads cleaned");
    assert_eq!(files_in(&blob_tmp), vec![], "temporary blob files cleaned");

    // Every listed version: gap-free numbers, every accepted upload present, every file
    // served with its bytes, the archive blob on disk.
    let url = &server.url;
    let list = get_json(
        &client,
        &token,
        format!("{url}/api/v1/integrations/{id}/versions"),
    )
    .await;
    let listed = list["versions"].as_array().unwrap().clone();
    let mut numbers: Vec<i64> = listed
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    numbers.sort_unstable();
    let n = i64::try_from(listed.len()).unwrap();
    assert_eq!(
        numbers,
        (1..=n).collect::<Vec<_>>(),
        "distinct and gap-free"
    );
    let by_number: BTreeMap<i64, &Accepted> = accepted.iter().map(|a| (a.number, a)).collect();
    assert_eq!(
        by_number.len(),
        accepted.len(),
        "accepted numbers are distinct"
    );
    // The blob store itself, opened as `widgetry admin` would.
    let blobs = blob_store(&storage).open().await.unwrap();
    // What the killed uploads left in the store: no version names it, the collector takes it
    // (all of it: no grace period here), and nothing a version names.
    let before_gc = blob_count(&blobs).await;
    let registry = widgetry_registry::Registry::open_on(
        &storage
            .database_url
            .clone()
            .unwrap_or_else(|| widgetry_registry::Registry::default_database_url(&data)),
        &data,
        &blob_store(&storage),
    )
    .await
    .unwrap();
    let gc = registry
        .collect_garbage(widgetry_registry::GcOptions {
            grace: Duration::ZERO,
            dry_run: false,
        })
        .await
        .unwrap();
    assert_eq!(gc.scanned as usize, before_gc);
    assert_eq!(blob_count(&blobs).await, before_gc - gc.deleted as usize);
    registry.close().await;
    // `widgetry admin gc --dry-run` on the same storage: nothing left to take.
    let mut cmd = Command::new(BIN);
    cmd.args(["admin", "gc", "--dry-run", "--json"]);
    storage_args(&mut cmd, &storage);
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dry: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dry["deleted"], 0, "{dry}");
    assert_eq!(dry["dry_run"], true);

    let mut files_checked = 0;
    let mut bytes_checked = 0;
    for v in &listed {
        let number = v["number"].as_i64().unwrap();
        let widget_version = v["widget_version"].as_str().unwrap();
        let sha = v["sha256"].as_str().unwrap();
        if let Some(a) = by_number.get(&number) {
            assert_eq!(
                (widget_version, sha),
                (a.widget_version.as_str(), a.sha256.as_str())
            );
        }
        let archive = blobs
            .get(sha)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("version {number}: archive blob {sha} is missing"));
        assert_eq!(sha256_hex(&archive), sha, "version {number}: archive blob");
        assert_eq!(archive.len() as u64, v["size"].as_u64().unwrap());

        let detail = get_json(
            &client,
            &token,
            format!("{url}/api/v1/integrations/{id}/versions/{number}"),
        )
        .await;
        let files: BTreeMap<String, String> = detail["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    f["sha256"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        if let Some(a) = by_number.get(&number) {
            assert_eq!(files, a.files, "version {number}: files");
        }
        // The owner's signed base URL on the files origin.
        let base = detail["files_base_url"].as_str().unwrap();
        for (path, sha) in &files {
            let file_url = format!("{base}/{path}");
            let r = client.get(&file_url).send().await.unwrap();
            assert_eq!(r.status(), 200, "GET {file_url}");
            let body = r.bytes().await.unwrap();
            assert_eq!(&sha256_hex(&body), sha, "GET {file_url}");
            files_checked += 1;
            bytes_checked += body.len();
        }
    }
    for a in &accepted {
        assert!(
            numbers.binary_search(&a.number).is_ok(),
            "accepted version {} ({}) is gone",
            a.number,
            a.widget_version
        );
    }
    let integration = get_json(&client, &token, format!("{url}/api/v1/integrations/{id}")).await;
    assert_eq!(integration["latest_version"], n);

    // New uploads work, small and large, and continue the numbering.
    let latest = listed
        .iter()
        .map(|v| v["widget_version"].as_str().unwrap().to_string())
        .max_by(|a, b| widgetry_registry::compare_versions(a, b))
        .unwrap();
    let versions_url = format!("{url}/api/v1/integrations/{id}/versions");
    let mut next = widgetry_registry::next_version(&latest);
    for (tag, n) in [
        ("after small", None),
        ("after large", Some(noise(7, 8 * MIB))),
    ] {
        let p = package(tag, &next, n.as_deref());
        let r = client
            .post(&versions_url)
            .bearer_auth(&token)
            .multipart(form(reqwest::multipart::Part::bytes(p.archive)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["version"]["widget_version"], next.as_str());
        next = widgetry_registry::next_version(&next);
    }
    let list = get_json(&client, &token, versions_url).await;
    assert_eq!(list["versions"][0]["number"], n + 2);
    assert_eq!(files_in(&upload_tmp), vec![]);
    eprintln!(
        "{db:?}: killed after {killed_at:?} with {sent} uploads sent, {} acknowledged ({} large), \
         {upload_leftovers} partial upload files and {blob_leftovers} temporary blob files \
         left; the collector deleted {} unreferenced blobs of {}; after restart {n} versions, \
         {files_checked} files ({} MiB) served and checked; {:?} in all",
        accepted.len(),
        accepted.iter().filter(|a| a.large).count(),
        gc.deleted,
        gc.scanned,
        bytes_checked / MIB,
        started.elapsed()
    );
}
