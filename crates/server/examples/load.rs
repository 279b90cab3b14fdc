//! Load client for the server benchmarks (`bench/server.sh`, `bench/cluster.sh`): signs in
//! and makes an API token, runs concurrent uploads of a widget, reporting throughput and
//! latency, and runs a mixed load through several server processes, then checks what they
//! acknowledged.
//!
//! ```text
//! load token   --url URL --email EMAIL --password PASSWORD [--scopes upload,install]
//! load upload  --url URL --token TOKEN --zip typical.zip --clients C --per-client K
//!              [--pad-to BYTES] [--tag TEXT]
//! load cluster --urls URL_A,URL_B --token TOKEN --zip typical.zip --seconds N --out accepted.json
//!              [--uploaders 4] [--readers 2] [--catalog-readers 1] [--tag TEXT]
//! load verify  --urls URL_A,URL_B --token TOKEN --accepted accepted.json
//! load chaos   --url URL --token TOKEN --moderator-token TOKEN --shop-token TOKEN
//!              --zip typical.zip --out records.json --stop-file PATH [--ready-file PATH]
//!              [--finished-file PATH --drained-file PATH]
//!              [--integrations 3] [--readers 2] [--upload-pause-ms 100] [--publish-pause-ms 300]
//!              [--install-pause-ms 200] [--drain-secs 20] [--max-secs 900]
//! load check   --url URL --token TOKEN --shop-token TOKEN --records records.json
//! ```
//!
//! `upload` creates one integration per client, so every client uploads strictly increasing
//! versions into its own integration (uploads into one integration are serialised by the
//! version rule: a later `widget.version` committed first would refuse an earlier one).
//! Every archive is built up front from `--zip`, with `widget.version` set to
//! `1.<j>.<client>` and a line naming the upload appended to `script.js`, so each upload has
//! distinct bytes and stores one new blob besides the manifest, like a real new version.
//! `--pad-to` adds a stored (incompressible) `vendor/payload.bin` so the archive reaches that
//! size. Each client first makes one untimed upload of the unpadded widget (version
//! `1.0.<client>`: the first upload generates the widget code), then `K` timed ones.
//!
//! `cluster` runs for `--seconds`, through every URL (the nodes are named A, B, ... in
//! order), at once:
//! - uploaders, one integration each, alternating between the nodes. An upload that gets no
//!   answer (the node died) may have committed: the uploader moves to another node and sends
//!   the same `widget.version` again (new bytes); a 409 `version.not_increasing` gives the
//!   `next_version` to use. A node that refused a connection is avoided for a second.
//! - file readers: a random acknowledged upload, its `files_base_url` asked of a node, one
//!   random file of it fetched there without credentials and compared (SHA-256) with the
//!   bytes uploaded;
//! - catalogue readers (`GET /api/v1/catalog`);
//! - one server-sent events client per node on the first uploader's integration, resuming
//!   with `Last-Event-ID` when its stream breaks, and kept open 3 s after the load.
//!
//! Every acknowledged upload (201) goes to `--out` with the SHA-256 of each of its files.
//! `verify` then checks through each node that every integration's version numbers are
//! exactly 1..n, that every acknowledged upload is listed with its `widget.version`, and
//! fetches every file of every acknowledged version at that node's `files_base_url`,
//! comparing bytes; it fails (exit status 1) on any discrepancy.
//!
//! `chaos` (`bench/chaos.sh`) is a long-running mixed load against one server that the
//! script SIGKILLs and restarts again and again: connection errors are expected, counted and
//! retried after a short pause. It creates `--integrations` integrations of the owner account
//! (`--token`: scopes `upload,submit`), gives each a webhook pointing at a receiver it runs on
//! loopback (answers 204, checks the signature, counts deliveries), and then, at once until
//! `--stop-file` appears:
//! - one uploader per integration, strictly increasing versions as in `cluster` (an upload
//!   whose answer was lost is sent again with the same `widget.version`; a 409
//!   `version.not_increasing` says it had committed);
//! - one publisher per integration: submits the latest acknowledged version, then approves
//!   the submission as the moderator (`--moderator-token`: scope `moderate`); a retry after a
//!   lost answer that meets a 409 looks the outcome up;
//! - an installer in a second account (`--shop-token`: scope `install`): installs the public
//!   widgets with settings from their `settings_template`, a new value each time;
//! - file readers comparing bytes, as in `cluster`;
//! - one server-sent events client per integration, from the first event, resuming with
//!   `Last-Event-ID` when its stream breaks.
//!
//! After the stop file it lets running operations finish (then writes `--finished-file`),
//! waits for the webhooks to drain: until `--drained-file` appears when given (the caller
//! watches the outbox), else until the receiver heard nothing for 3 s; at most `--drain-secs`.
//! Then it closes the event streams, writes every
//! acknowledged operation (and what the streams and the receiver saw) to `--out`, and prints
//! its counters. `check` then reads `--out` and checks through the API and the files origin:
//! every acknowledged upload listed with its `widget.version` and every file byte for byte;
//! version numbers 1..n; every acknowledged submission listed; every acknowledged approval's
//! version `published` or `superseded` and its integration public; every acknowledged install
//! active in the second account, on the published version, with the settings of the last
//! acknowledged install or of a later unanswered one; every status event of the history seen
//! by the event stream. It exits with status 1 when anything fails.
//!
//! Summaries go to stdout as one JSON object.

#![allow(clippy::expect_used)]

use futures_util::StreamExt;
use sha2::Digest;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn required(args: &[String], name: &str) -> Result<String, Error> {
    arg(args, name).ok_or_else(|| format!("missing {name}").into())
}

fn number(args: &[String], name: &str, default: u64) -> Result<u64, Error> {
    match arg(args, name) {
        Some(v) => Ok(v.parse().map_err(|e| format!("{name}: {e}"))?),
        None => Ok(default),
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("token") => token(&args).await,
        Some("upload") => upload(&args).await,
        Some("cluster") => cluster(&args).await,
        Some("verify") => verify(&args).await,
        Some("chaos") => chaos(&args).await,
        Some("check") => check(&args).await,
        _ => Err("usage: load token|upload|cluster|verify|chaos|check ... (see the source)".into()),
    }
}

fn client() -> Result<reqwest::Client, Error> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(300))
        .build()?)
}

/// Signs in and prints a new token with the `upload` and `install` scopes (or `--scopes`, comma
/// separated).
async fn token(args: &[String]) -> Result<(), Error> {
    let url = required(args, "--url")?;
    let scopes: Vec<String> = arg(args, "--scopes")
        .unwrap_or_else(|| "upload,install".into())
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let http = client()?;
    let r = http
        .post(format!("{url}/api/v1/session"))
        .json(&serde_json::json!({
            "email": required(args, "--email")?,
            "password": required(args, "--password")?,
        }))
        .send()
        .await?;
    if !r.status().is_success() {
        return Err(format!("login: {} {}", r.status(), r.text().await?).into());
    }
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("login: no session cookie")?
        .to_string();
    let v: serde_json::Value = r.json().await?;
    let csrf = v["csrf_token"].as_str().ok_or("login: no csrf_token")?;
    let r = http
        .post(format!("{url}/api/v1/tokens"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"name": "bench", "scopes": scopes}))
        .send()
        .await?;
    if !r.status().is_success() {
        return Err(format!("token: {} {}", r.status(), r.text().await?).into());
    }
    let v: serde_json::Value = r.json().await?;
    println!("{}", v["token"].as_str().ok_or("token: no token")?);
    Ok(())
}

/// `typical.zip` with `widget.version` replaced, a line appended to `script.js`, and
/// optionally a stored payload making the archive about `pad_to` bytes.
fn variant(base: &[u8], version: &str, tag: &str, pad_to: u64) -> Result<Vec<u8>, Error> {
    let mut archive = zip::ZipArchive::new(Cursor::new(base))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i)?.name()?.to_string();
        if name == "manifest.json" || name == "script.js" {
            let mut text = String::new();
            archive.by_index(i)?.read_to_string(&mut text)?;
            if name == "manifest.json" {
                let old = "\"version\": \"1.4.2\"";
                if !text.contains(old) {
                    return Err("manifest.json of --zip has no \"version\": \"1.4.2\"".into());
                }
                text = text.replace(old, &format!("\"version\": \"{version}\""));
            } else {
                text.push_str(&format!("\n// build {tag} {version}\n"));
            }
            out.start_file(name.as_str(), deflated)?;
            out.write_all(text.as_bytes())?;
        } else {
            out.raw_copy_file(archive.by_index_raw(i)?)?;
        }
    }
    if pad_to > 0 {
        let size = out.get_ref().map_or(0, |c| c.get_ref().len() as u64);
        // Central directory and the entry's headers take a few kilobytes.
        let payload = pad_to.saturating_sub(size + 8 * 1024);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default());
        out.start_file("vendor/payload.bin", stored)?;
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15 ^ pad_to;
        let mut buf = Vec::with_capacity(payload as usize);
        while (buf.len() as u64) < payload {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            buf.extend_from_slice(&state.to_le_bytes());
        }
        buf.truncate(payload as usize);
        out.write_all(&buf)?;
    }
    Ok(out.finish()?.into_inner())
}

struct Sample {
    latency: Duration,
    status: u16,
}

async fn post(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    id: i64,
    bytes: Vec<u8>,
) -> Result<(u16, String), Error> {
    let len = bytes.len() as u64;
    let part = reqwest::multipart::Part::stream_with_length(bytes, len)
        .file_name("widget.zip")
        .mime_str("application/zip")?;
    let r = http
        .post(format!("{url}/api/v1/integrations/{id}/versions"))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("widget", part))
        .send()
        .await?;
    let status = r.status().as_u16();
    let body = r.text().await?;
    Ok((status, body))
}

/// Concurrent uploads: one integration per client, `K` timed uploads each.
async fn upload(args: &[String]) -> Result<(), Error> {
    let url = required(args, "--url")?;
    let token = required(args, "--token")?;
    let base = std::fs::read(required(args, "--zip")?)?;
    let clients = number(args, "--clients", 1)?.max(1) as usize;
    let per_client = number(args, "--per-client", 20)?.max(1) as usize;
    let pad_to = number(args, "--pad-to", 0)?;
    let tag = arg(args, "--tag").unwrap_or_else(|| "bench".into());
    let http = client()?;

    // Integrations, then every archive, before anything is timed.
    let mut ids = Vec::with_capacity(clients);
    for c in 0..clients {
        let r = http
            .post(format!("{url}/api/v1/integrations"))
            .bearer_auth(&token)
            .json(&serde_json::json!({
                "name": {"en": format!("Bench {tag} {c}")},
                "description": {"en": "benchmark"},
                "redirect_uri": "https://example.org/oauth",
            }))
            .send()
            .await?;
        if r.status().as_u16() != 201 {
            return Err(format!(
                "creating an integration: {} {}",
                r.status(),
                r.text().await?
            )
            .into());
        }
        let v: serde_json::Value = r.json().await?;
        ids.push(v["id"].as_i64().ok_or("integration without id")?);
    }
    let mut work: Vec<(Vec<u8>, Vec<Vec<u8>>)> = Vec::with_capacity(clients);
    let mut archive_bytes = 0u64;
    for c in 0..clients {
        let warm = variant(&base, &format!("1.0.{c}"), &tag, 0)?;
        let mut timed = Vec::with_capacity(per_client);
        for j in 1..=per_client {
            let a = variant(&base, &format!("1.{j}.{c}"), &tag, pad_to)?;
            archive_bytes = a.len() as u64;
            timed.push(a);
        }
        work.push((warm, timed));
    }

    // Warm-up: the first upload of each integration generates its code.
    let mut warmups = Vec::new();
    for (c, (warm, _)) in work.iter_mut().enumerate() {
        let (http, url, token, id) = (http.clone(), url.clone(), token.clone(), ids[c]);
        let bytes = std::mem::take(warm);
        warmups.push(tokio::spawn(async move {
            post(&http, &url, &token, id, bytes).await
        }));
    }
    for w in warmups {
        let (status, body) = w.await??;
        if status != 201 {
            return Err(format!("warm-up upload: {status} {body}").into());
        }
    }

    let start = Instant::now();
    let mut tasks = Vec::new();
    for (c, (_, timed)) in work.into_iter().enumerate() {
        let (http, url, token, id) = (http.clone(), url.clone(), token.clone(), ids[c]);
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(timed.len());
            let mut first_error = None;
            for bytes in timed {
                let t = Instant::now();
                let (status, body) = post(&http, &url, &token, id, bytes).await?;
                samples.push(Sample {
                    latency: t.elapsed(),
                    status,
                });
                if status != 201 && first_error.is_none() {
                    first_error = Some(format!(
                        "{status} {}",
                        body.chars().take(400).collect::<String>()
                    ));
                }
            }
            Ok::<_, Error>((samples, first_error))
        }));
    }
    let mut samples = Vec::new();
    let mut first_error = None;
    for t in tasks {
        let (s, e) = t.await??;
        samples.extend(s);
        if first_error.is_none() {
            first_error = e;
        }
    }
    let wall = start.elapsed();

    let mut ms: Vec<f64> = samples
        .iter()
        .map(|s| s.latency.as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        let i = ((p / 100.0) * ms.len() as f64).ceil() as usize;
        ms[i.saturating_sub(1).min(ms.len() - 1)]
    };
    let ok = samples.iter().filter(|s| s.status == 201).count();
    let mut statuses = std::collections::BTreeMap::new();
    for s in &samples {
        *statuses.entry(s.status.to_string()).or_insert(0u64) += 1;
    }
    let summary = serde_json::json!({
        "clients": clients,
        "uploads": samples.len(),
        "accepted": ok,
        "statuses": statuses,
        "archive_bytes": archive_bytes,
        "wall_s": wall.as_secs_f64(),
        "uploads_per_s": samples.len() as f64 / wall.as_secs_f64(),
        "mb_per_s": (samples.len() as f64 * archive_bytes as f64) / wall.as_secs_f64() / 1e6,
        "p50_ms": pct(50.0),
        "p90_ms": pct(90.0),
        "p99_ms": pct(99.0),
        "max_ms": ms[ms.len() - 1],
        "first_error": first_error,
    });
    println!("{summary}");
    Ok(())
}

// --- cluster and verify ------------------------------------------------------------------

/// A request's time limit in `cluster` and `verify` (a stalled node must not hold a worker
/// past the end of the load).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a node that refused a connection is avoided.
const NODE_DOWN_FOR: Duration = Duration::from_secs(1);
/// How long the event streams stay open after the load.
const SSE_GRACE: Duration = Duration::from_secs(3);

/// The comma-separated base URLs of `--urls`.
fn node_urls(args: &[String]) -> Result<Vec<String>, Error> {
    let urls: Vec<String> = required(args, "--urls")?
        .split(',')
        .map(|u| u.trim().trim_end_matches('/').to_string())
        .filter(|u| !u.is_empty())
        .collect();
    if urls.is_empty() || urls.len() > 26 {
        return Err("--urls: between 1 and 26 URLs".into());
    }
    Ok(urls)
}

/// A, B, C, ...
fn node_name(i: usize) -> String {
    char::from(b'A' + (i % 26) as u8).to_string()
}

fn unix_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Compares an acknowledged upload (integration, number, `widget.version`) with how the
/// server lists it: counts and records a missing listing (first counter) or another
/// `widget_version` (second), and returns the listing's `files_base_url` (`None`, recorded,
/// when it is not listed or has none). The cluster and chaos checks share it.
fn listed_files_base<'v>(
    listed: Option<&'v serde_json::Value>,
    (id, number, widget_version): (i64, i64, &str),
    (missing, version_differs): (&mut usize, &mut usize),
    failures: &mut Vec<String>,
) -> Option<&'v str> {
    let Some(v) = listed else {
        *missing += 1;
        failures.push(format!(
            "integration {id}: acknowledged version {number} ({widget_version}) is not listed"
        ));
        return None;
    };
    let listed_version = v["widget_version"].as_str().unwrap_or_default();
    if listed_version != widget_version {
        *version_differs += 1;
        failures.push(format!(
            "integration {id} version {number}: widget_version {listed_version}, acknowledged {widget_version}"
        ));
    }
    let base = v["files_base_url"].as_str();
    if base.is_none() {
        failures.push(format!(
            "integration {id} version {number}: no files_base_url"
        ));
    }
    base
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// The SHA-256 of every file of an archive, by path.
fn file_hashes(zip_bytes: &[u8]) -> Result<BTreeMap<String, String>, Error> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes))?;
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i)?;
        if f.is_dir() {
            continue;
        }
        let name = f.name()?.to_string();
        let mut buf = Vec::with_capacity(usize::try_from(f.size()).unwrap_or(0));
        f.read_to_end(&mut buf)?;
        out.insert(name, sha256_hex(&buf));
    }
    Ok(out)
}

/// `code` and `detail` of a problem answer (or the start of whatever else it is).
fn problem(body: &str) -> (String, String) {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) if v["code"].is_string() => (
            v["code"].as_str().unwrap_or_default().to_string(),
            v["detail"].as_str().unwrap_or_default().to_string(),
        ),
        _ => (String::new(), body.chars().take(200).collect()),
    }
}

/// The counters of one node.
#[derive(Default)]
struct NodeStats {
    uploads_ok: AtomicU64,
    uploads_refused: AtomicU64,
    upload_conn_errors: AtomicU64,
    reads_ok: AtomicU64,
    reads_mismatched: AtomicU64,
    reads_failed: AtomicU64,
    catalog_ok: AtomicU64,
    catalog_failed: AtomicU64,
    sse_connects: AtomicU64,
    sse_breaks: AtomicU64,
    sse_refused: AtomicU64,
}

fn add(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

fn get(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

/// An acknowledged upload.
struct Accepted {
    integration: i64,
    number: i64,
    widget_version: String,
    code: String,
    node: usize,
    /// When the answer came, ms since the Unix epoch.
    at_ms: u64,
    files: Arc<BTreeMap<String, String>>,
}

/// What every `cluster` worker shares.
struct Cluster {
    urls: Vec<String>,
    token: String,
    http: reqwest::Client,
    deadline: Instant,
    stats: Vec<NodeStats>,
    down_until: Vec<Mutex<Option<Instant>>>,
    accepted: Mutex<Vec<Accepted>>,
    /// "what node status code" -> (count, first detail).
    outcomes: Mutex<BTreeMap<String, (u64, String)>>,
}

impl Cluster {
    /// `preferred`, or the next node not avoided.
    fn pick(&self, preferred: usize) -> usize {
        let n = self.urls.len();
        let now = Instant::now();
        for k in 0..n {
            let i = (preferred + k) % n;
            let down = self.down_until[i]
                .lock()
                .expect("lock")
                .is_some_and(|t| t > now);
            if !down {
                return i;
            }
        }
        preferred % n
    }

    fn mark_down(&self, node: usize) {
        *self.down_until[node].lock().expect("lock") = Some(Instant::now() + NODE_DOWN_FOR);
    }

    /// Records an answer other than the expected one (or a transport error, status 0).
    fn note(&self, what: &str, node: usize, status: u16, detail: String) {
        let (code, detail) = if status == 0 {
            (String::new(), detail)
        } else {
            problem(&detail)
        };
        let key = if status == 0 {
            format!("{what} {} connection error", node_name(node))
        } else {
            format!("{what} {} {status} {code}", node_name(node))
        };
        let mut o = self.outcomes.lock().expect("lock");
        let e = o.entry(key).or_insert((0, detail));
        e.0 += 1;
    }

    fn done(&self) -> bool {
        Instant::now() >= self.deadline
    }
}

/// The full chain of an error (reqwest hides the cause: refused, reset, timed out).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(c) = source {
        s.push_str(": ");
        s.push_str(&c.to_string());
        source = c.source();
    }
    s
}

async fn create_integration(c: &Cluster, name: &str) -> Result<i64, Error> {
    let mut last = String::new();
    // Any node will do; a few rounds in case one is still starting.
    for round in 0..3 {
        for url in &c.urls {
            let r = c
                .http
                .post(format!("{url}/api/v1/integrations"))
                .bearer_auth(&c.token)
                .json(&serde_json::json!({
                    "name": {"en": name},
                    "description": {"en": "cluster benchmark"},
                    "redirect_uri": "https://example.org/oauth",
                }))
                .send()
                .await;
            match r {
                Ok(r) if r.status().as_u16() == 201 => {
                    let v: serde_json::Value = r.json().await?;
                    return v["id"]
                        .as_i64()
                        .ok_or_else(|| "integration without id".into());
                }
                Ok(r) => last = format!("{url}: {} {}", r.status(), r.text().await?),
                Err(e) => last = format!("{url}: {}", chain(&e)),
            }
        }
        tokio::time::sleep(Duration::from_millis(500 * (round + 1))).await;
    }
    Err(format!("creating an integration: {last}").into())
}

/// One uploader: strictly increasing versions into its integration until the deadline.
async fn cluster_uploader(
    c: Arc<Cluster>,
    base: Arc<Vec<u8>>,
    tag: String,
    who: usize,
    id: i64,
) -> Result<(), Error> {
    let mut version = "1.0.0".to_string();
    let mut turn = who;
    let mut attempt = 0u64;
    while !c.done() {
        attempt += 1;
        let node = c.pick(turn);
        let (bytes, files) = {
            let (base, version, tag) = (base.clone(), version.clone(), tag.clone());
            tokio::task::spawn_blocking(move || -> Result<_, Error> {
                let bytes = variant(&base, &version, &format!("{tag} u{who} a{attempt}"), 0)?;
                let files = file_hashes(&bytes)?;
                Ok((bytes, files))
            })
            .await??
        };
        let stats = &c.stats[node];
        let sent = tokio::time::timeout(
            REQUEST_TIMEOUT,
            post(&c.http, &c.urls[node], &c.token, id, bytes),
        )
        .await
        .unwrap_or_else(|_| Err("timed out".into()));
        match sent {
            Ok((201, body)) => {
                let v: serde_json::Value = serde_json::from_str(&body)?;
                let v = &v["version"];
                let number = v["number"].as_i64().ok_or("201 without version.number")?;
                let widget_version = v["widget_version"].as_str().unwrap_or_default();
                if widget_version != version {
                    c.note("upload-version-differs", node, 201, widget_version.into());
                }
                c.accepted.lock().expect("lock").push(Accepted {
                    integration: id,
                    number,
                    widget_version: widget_version.to_string(),
                    code: v["code"].as_str().unwrap_or_default().to_string(),
                    node,
                    at_ms: unix_ms(),
                    files: Arc::new(files),
                });
                add(&stats.uploads_ok);
                version = widgetry_next_version(&version);
                turn += 1;
            }
            Ok((status, body)) => {
                add(&stats.uploads_refused);
                let (code, _) = problem(&body);
                if status == 409 && code == "version.not_increasing" {
                    let v: serde_json::Value = serde_json::from_str(&body)?;
                    version = v["next_version"]
                        .as_str()
                        .ok_or("409 version.not_increasing without next_version")?
                        .to_string();
                } else if status >= 500 {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    turn += 1;
                } else {
                    // A refusal that retrying will not change: stop this uploader.
                    c.note("upload", node, status, body);
                    return Err(format!("upload refused by {}: {status}", node_name(node)).into());
                }
                c.note("upload", node, status, body);
            }
            Err(e) => {
                // The answer is lost; the upload may have committed. The same version goes to
                // another node: a 409 will say if it had.
                add(&stats.upload_conn_errors);
                c.note("upload", node, 0, chain(&*e));
                c.mark_down(node);
                turn = node + 1;
            }
        }
    }
    Ok(())
}

/// `next_version` of the registry for `a.b.c`: the last part bumped.
fn widgetry_next_version(v: &str) -> String {
    match v.rsplit_once('.') {
        Some((head, last)) => match last.parse::<u64>() {
            Ok(n) => format!("{head}.{}", n + 1),
            Err(_) => format!("{v}.1"),
        },
        None => format!("{v}.1"),
    }
}

/// One file reader: a random acknowledged upload, its files base asked of a node, one random
/// file fetched there and compared.
async fn cluster_reader(c: Arc<Cluster>, who: usize) {
    let mut turn = who;
    while !c.done() {
        let pick = {
            let accepted = c.accepted.lock().expect("lock");
            if accepted.is_empty() {
                None
            } else {
                let a = &accepted[rand::random_range(0..accepted.len())];
                let (path, sha) = a
                    .files
                    .iter()
                    .nth(rand::random_range(0..a.files.len().max(1)))
                    .map(|(p, s)| (p.clone(), s.clone()))
                    .unwrap_or_default();
                Some((a.integration, a.number, path, sha))
            }
        };
        let Some((id, number, path, sha)) = pick else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        turn += 1;
        let node = c.pick(turn);
        let url = &c.urls[node];
        let stats = &c.stats[node];
        let detail = c
            .http
            .get(format!("{url}/api/v1/integrations/{id}/versions/{number}"))
            .bearer_auth(&c.token)
            .send()
            .await;
        let base = match detail {
            Ok(r) if r.status().is_success() => match r.json::<serde_json::Value>().await {
                Ok(v) => v["files_base_url"].as_str().map(str::to_string),
                Err(e) => {
                    add(&stats.reads_failed);
                    c.note("read-version", node, 0, chain(&e));
                    continue;
                }
            },
            Ok(r) => {
                add(&stats.reads_failed);
                let status = r.status().as_u16();
                c.note(
                    "read-version",
                    node,
                    status,
                    r.text().await.unwrap_or_default(),
                );
                continue;
            }
            Err(e) => {
                add(&stats.reads_failed);
                c.note("read-version", node, 0, chain(&e));
                c.mark_down(node);
                continue;
            }
        };
        let Some(base) = base else {
            add(&stats.reads_failed);
            c.note("read-version", node, 200, "no files_base_url".into());
            continue;
        };
        match c.http.get(format!("{base}/{path}")).send().await {
            Ok(r) if r.status().is_success() => match r.bytes().await {
                Ok(body) if sha256_hex(&body) == sha => add(&stats.reads_ok),
                Ok(_) => {
                    add(&stats.reads_mismatched);
                    c.note("read-file-mismatch", node, 200, format!("{base}/{path}"));
                }
                Err(e) => {
                    add(&stats.reads_failed);
                    c.note("read-file", node, 0, chain(&e));
                }
            },
            Ok(r) => {
                add(&stats.reads_failed);
                let status = r.status().as_u16();
                c.note(
                    "read-file",
                    node,
                    status,
                    r.text().await.unwrap_or_default(),
                );
            }
            Err(e) => {
                add(&stats.reads_failed);
                c.note("read-file", node, 0, chain(&e));
                c.mark_down(node);
            }
        }
    }
}

/// One catalogue reader.
async fn cluster_catalog(c: Arc<Cluster>, who: usize) {
    let mut turn = who;
    while !c.done() {
        turn += 1;
        let node = c.pick(turn);
        let stats = &c.stats[node];
        let r = c
            .http
            .get(format!("{}/api/v1/catalog", c.urls[node]))
            .bearer_auth(&c.token)
            .send()
            .await;
        match r {
            Ok(r) if r.status().is_success() => match r.json::<serde_json::Value>().await {
                Ok(v) if v["integrations"].is_array() => add(&stats.catalog_ok),
                Ok(_) => {
                    add(&stats.catalog_failed);
                    c.note("catalog", node, 200, "no integrations array".into());
                }
                Err(e) => {
                    add(&stats.catalog_failed);
                    c.note("catalog", node, 0, chain(&e));
                }
            },
            Ok(r) => {
                add(&stats.catalog_failed);
                let status = r.status().as_u16();
                c.note("catalog", node, status, r.text().await.unwrap_or_default());
            }
            Err(e) => {
                add(&stats.catalog_failed);
                c.note("catalog", node, 0, chain(&e));
                c.mark_down(node);
            }
        }
    }
}

/// What one node's event stream saw: event ids, and the version numbers of
/// `version.uploaded` events.
#[derive(Default)]
struct SseSeen {
    ids: BTreeSet<i64>,
    uploaded: BTreeSet<i64>,
    kinds: BTreeMap<String, u64>,
}

/// Opens the event stream of integration `id` on a node; `after` resumes.
async fn sse_open(
    c: &Cluster,
    http: &reqwest::Client,
    node: usize,
    id: i64,
    after: Option<i64>,
) -> Result<reqwest::Response, Error> {
    let mut req = http
        .get(format!("{}/api/v1/integrations/{id}/events", c.urls[node]))
        .bearer_auth(&c.token)
        .header("accept", "text/event-stream");
    if let Some(after) = after {
        req = req.header("last-event-id", after.to_string());
    }
    let r = tokio::time::timeout(Duration::from_secs(5), req.send())
        .await
        .map_err(|_| "timed out")??;
    if r.status().as_u16() != 200 {
        return Err(format!("{} {}", r.status(), r.text().await.unwrap_or_default()).into());
    }
    Ok(r)
}

/// One node's event stream until `until`, reconnecting (resuming after the last event seen, or
/// from the start when none was) when it breaks.
async fn cluster_sse(
    c: Arc<Cluster>,
    http: reqwest::Client,
    node: usize,
    id: i64,
    first: reqwest::Response,
    until: Instant,
) -> SseSeen {
    let stats = &c.stats[node];
    let mut seen = SseSeen::default();
    let mut response = Some(first);
    add(&stats.sse_connects);
    while Instant::now() < until {
        let r = match response.take() {
            Some(r) => r,
            None => {
                let after = seen.ids.last().copied().unwrap_or(0);
                match sse_open(&c, &http, node, id, Some(after)).await {
                    Ok(r) => {
                        add(&stats.sse_connects);
                        r
                    }
                    Err(e) => {
                        add(&stats.sse_refused);
                        c.note("sse", node, 0, chain(&*e));
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        continue;
                    }
                }
            }
        };
        let mut stream = r.bytes_stream();
        let mut buf = String::new();
        loop {
            let next = tokio::time::timeout_at(until.into(), stream.next()).await;
            let chunk = match next {
                Err(_) => return seen,
                Ok(Some(Ok(chunk))) => chunk,
                Ok(Some(Err(e))) => {
                    c.note("sse-stream", node, 0, chain(&e));
                    break;
                }
                Ok(None) => {
                    c.note("sse-stream", node, 0, "ended".into());
                    break;
                }
            };
            buf.push_str(&String::from_utf8_lossy(&chunk));
            let normalised = buf.replace("\r\n", "\n");
            buf = normalised;
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                let (mut ev_id, mut kind, mut data) = (None, None, String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        ev_id = v.trim().parse::<i64>().ok();
                    } else if let Some(v) = line.strip_prefix("event:") {
                        kind = Some(v.trim().to_string());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                let Some(ev_id) = ev_id else {
                    continue; // a keep-alive comment
                };
                if !seen.ids.insert(ev_id) {
                    continue; // replayed after a reconnection
                }
                let kind = kind.unwrap_or_else(|| "message".into());
                *seen.kinds.entry(kind.clone()).or_insert(0) += 1;
                if kind == "version.uploaded"
                    && let Ok(v) = serde_json::from_str::<serde_json::Value>(&data)
                    && let Some(n) = v["detail"]["number"].as_i64()
                {
                    seen.uploaded.insert(n);
                }
            }
        }
        add(&stats.sse_breaks);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    seen
}

/// The mixed load through several nodes (see the module comment).
async fn cluster(args: &[String]) -> Result<(), Error> {
    let urls = node_urls(args)?;
    let token = required(args, "--token")?;
    let base = Arc::new(std::fs::read(required(args, "--zip")?)?);
    let seconds = number(args, "--seconds", 40)?.max(1);
    let out = required(args, "--out")?;
    let uploaders = number(args, "--uploaders", 4)?.max(1) as usize;
    let readers = number(args, "--readers", 2)? as usize;
    let catalog_readers = number(args, "--catalog-readers", 1)? as usize;
    let tag = arg(args, "--tag").unwrap_or_else(|| "cluster".into());
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .connect_timeout(Duration::from_secs(3))
        .timeout(REQUEST_TIMEOUT)
        .build()?;
    // No overall limit on the event streams.
    let sse_http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .build()?;
    let n = urls.len();
    let mut c = Cluster {
        urls,
        token,
        http,
        deadline: Instant::now(),
        stats: (0..n).map(|_| NodeStats::default()).collect(),
        down_until: (0..n).map(|_| Mutex::new(None)).collect(),
        accepted: Mutex::new(Vec::new()),
        outcomes: Mutex::new(BTreeMap::new()),
    };

    let run = std::process::id();
    let mut ids = Vec::with_capacity(uploaders);
    for u in 0..uploaders {
        ids.push(create_integration(&c, &format!("Cluster {tag} {run} {u}")).await?);
    }
    // The event streams start before the load: without `Last-Event-ID` they send only new
    // events.
    let watched = ids[0];
    let mut first = Vec::with_capacity(n);
    for node in 0..n {
        first.push(
            sse_open(&c, &sse_http, node, watched, None)
                .await
                .map_err(|e| format!("opening the event stream on {}: {e}", node_name(node)))?,
        );
    }

    let start = Instant::now();
    c.deadline = start + Duration::from_secs(seconds);
    let c = Arc::new(c);
    let sse_until = c.deadline + SSE_GRACE;
    let mut streams = Vec::new();
    for (node, r) in first.into_iter().enumerate() {
        streams.push(tokio::spawn(cluster_sse(
            c.clone(),
            sse_http.clone(),
            node,
            watched,
            r,
            sse_until,
        )));
    }
    let mut workers = Vec::new();
    for (u, id) in ids.iter().enumerate() {
        workers.push(tokio::spawn(cluster_uploader(
            c.clone(),
            base.clone(),
            tag.clone(),
            u,
            *id,
        )));
    }
    let mut readers_tasks = Vec::new();
    for r in 0..readers {
        readers_tasks.push(tokio::spawn(cluster_reader(c.clone(), r)));
    }
    for r in 0..catalog_readers {
        readers_tasks.push(tokio::spawn(cluster_catalog(c.clone(), r)));
    }
    let mut uploader_errors = Vec::new();
    for w in workers {
        match w.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => uploader_errors.push(e.to_string()),
            Err(e) => uploader_errors.push(e.to_string()),
        }
    }
    for r in readers_tasks {
        r.await?;
    }
    let load_s = start.elapsed().as_secs_f64();
    let mut seen = Vec::with_capacity(n);
    for s in streams {
        seen.push(s.await?);
    }

    // The acknowledged uploads, to the file `verify` reads.
    let accepted = c.accepted.lock().expect("lock");
    let uploads: Vec<serde_json::Value> = accepted
        .iter()
        .map(|a| {
            serde_json::json!({
                "integration": a.integration,
                "number": a.number,
                "widget_version": a.widget_version,
                "code": a.code,
                "node": node_name(a.node),
                "at_ms": a.at_ms,
                "files": *a.files,
            })
        })
        .collect();
    std::fs::write(
        &out,
        serde_json::to_vec_pretty(&serde_json::json!({
            "integrations": ids,
            "watched_integration": watched,
            "uploads": uploads,
        }))?,
    )?;

    let watched_acks: BTreeSet<i64> = accepted
        .iter()
        .filter(|a| a.integration == watched)
        .map(|a| a.number)
        .collect();
    let per_node = |f: &dyn Fn(&NodeStats) -> u64| -> serde_json::Value {
        let mut m = serde_json::Map::new();
        for (i, s) in c.stats.iter().enumerate() {
            m.insert(node_name(i), f(s).into());
        }
        serde_json::Value::Object(m)
    };
    let total = |f: &dyn Fn(&NodeStats) -> u64| -> u64 { c.stats.iter().map(f).sum() };
    let mut sse = serde_json::Map::new();
    for (i, s) in seen.iter().enumerate() {
        let missed: Vec<i64> = watched_acks.difference(&s.uploaded).copied().collect();
        sse.insert(
            node_name(i),
            serde_json::json!({
                "events": s.ids.len(),
                "kinds": s.kinds,
                "connects": get(&c.stats[i].sse_connects),
                "breaks": get(&c.stats[i].sse_breaks),
                "reconnects_refused": get(&c.stats[i].sse_refused),
                "acknowledged_uploads_of_watched": watched_acks.len(),
                "acknowledged_not_seen": missed.len(),
            }),
        );
    }
    let outcomes: serde_json::Map<String, serde_json::Value> = c
        .outcomes
        .lock()
        .expect("lock")
        .iter()
        .map(|(k, (count, detail))| {
            (
                k.clone(),
                serde_json::json!({"count": count, "first": detail}),
            )
        })
        .collect();
    let summary = serde_json::json!({
        "nodes": c.urls,
        "seconds": seconds,
        "load_s": load_s,
        "uploaders": uploaders,
        "readers": readers,
        "catalog_readers": catalog_readers,
        "integrations": ids,
        "uploads": {
            "acknowledged": total(&|s| get(&s.uploads_ok)),
            "refused": total(&|s| get(&s.uploads_refused)),
            "connection_errors": total(&|s| get(&s.upload_conn_errors)),
            "acknowledged_by_node": per_node(&|s| get(&s.uploads_ok)),
            "refused_by_node": per_node(&|s| get(&s.uploads_refused)),
            "connection_errors_by_node": per_node(&|s| get(&s.upload_conn_errors)),
            "uploader_errors": uploader_errors,
        },
        "reads": {
            "ok": total(&|s| get(&s.reads_ok)),
            "mismatched": total(&|s| get(&s.reads_mismatched)),
            "failed": total(&|s| get(&s.reads_failed)),
            "ok_by_node": per_node(&|s| get(&s.reads_ok)),
            "mismatched_by_node": per_node(&|s| get(&s.reads_mismatched)),
            "failed_by_node": per_node(&|s| get(&s.reads_failed)),
        },
        "catalog": {
            "ok": total(&|s| get(&s.catalog_ok)),
            "failed": total(&|s| get(&s.catalog_failed)),
            "ok_by_node": per_node(&|s| get(&s.catalog_ok)),
            "failed_by_node": per_node(&|s| get(&s.catalog_failed)),
        },
        "sse": {"integration": watched, "by_node": sse},
        "other_outcomes": outcomes,
    });
    println!("{summary}");
    Ok(())
}

/// An acknowledged version as `verify` reads it: `widget.version`, and SHA-256 by path.
type Acked = (String, BTreeMap<String, String>);

/// Checks, through each node, what `cluster` recorded as acknowledged (see the module
/// comment).
async fn verify(args: &[String]) -> Result<(), Error> {
    let urls = node_urls(args)?;
    let token = required(args, "--token")?;
    let recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(required(args, "--accepted")?)?)?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .connect_timeout(Duration::from_secs(3))
        .timeout(REQUEST_TIMEOUT)
        .build()?;
    let integrations: Vec<i64> = recorded["integrations"]
        .as_array()
        .ok_or("--accepted: no integrations")?
        .iter()
        .filter_map(serde_json::Value::as_i64)
        .collect();
    let mut acks: BTreeMap<i64, BTreeMap<i64, Acked>> = BTreeMap::new();
    for u in recorded["uploads"]
        .as_array()
        .ok_or("--accepted: no uploads")?
    {
        let files: BTreeMap<String, String> = serde_json::from_value(u["files"].clone())?;
        acks.entry(
            u["integration"]
                .as_i64()
                .ok_or("upload without integration")?,
        )
        .or_default()
        .insert(
            u["number"].as_i64().ok_or("upload without number")?,
            (
                u["widget_version"].as_str().unwrap_or_default().to_string(),
                files,
            ),
        );
    }
    let acknowledged: usize = acks.values().map(BTreeMap::len).sum();

    let start = Instant::now();
    let mut ok = true;
    let mut nodes = serde_json::Map::new();
    for (node, url) in urls.iter().enumerate() {
        let t = Instant::now();
        let mut failures: Vec<String> = Vec::new();
        let (mut listed, mut gaps, mut missing, mut version_differs, mut unacknowledged) =
            (0usize, 0usize, 0usize, 0usize, 0usize);
        // (url, expected sha256, what)
        let mut fetches: Vec<(String, String, String)> = Vec::new();
        for &id in &integrations {
            let r = http
                .get(format!("{url}/api/v1/integrations/{id}/versions"))
                .bearer_auth(&token)
                .send()
                .await;
            let v: serde_json::Value = match r {
                Ok(r) if r.status().is_success() => r.json().await?,
                Ok(r) => {
                    failures.push(format!(
                        "versions of {id}: {} {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    ));
                    continue;
                }
                Err(e) => {
                    failures.push(format!("versions of {id}: {}", chain(&e)));
                    continue;
                }
            };
            let versions = v["versions"].as_array().cloned().unwrap_or_default();
            listed += versions.len();
            let mut numbers: Vec<i64> = versions
                .iter()
                .filter_map(|v| v["number"].as_i64())
                .collect();
            numbers.sort_unstable();
            let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
            if numbers != expected {
                gaps += 1;
                failures.push(format!(
                    "integration {id}: numbers are not 1..{}: {numbers:?}",
                    numbers.len()
                ));
            }
            let by_number: BTreeMap<i64, &serde_json::Value> = versions
                .iter()
                .filter_map(|v| v["number"].as_i64().map(|n| (n, v)))
                .collect();
            let mine = acks.get(&id).cloned().unwrap_or_default();
            unacknowledged += by_number.keys().filter(|n| !mine.contains_key(n)).count();
            for (number, (widget_version, files)) in &mine {
                let Some(base) = listed_files_base(
                    by_number.get(number).copied(),
                    (id, *number, widget_version),
                    (&mut missing, &mut version_differs),
                    &mut failures,
                ) else {
                    continue;
                };
                for (path, sha) in files {
                    fetches.push((
                        format!("{base}/{path}"),
                        sha.clone(),
                        format!("integration {id} version {number} {path}"),
                    ));
                }
            }
        }
        let files_total = fetches.len();
        let retries = AtomicU64::new(0);
        let results: Vec<Result<(), String>> = futures_util::stream::iter(fetches)
            .map(|(u, sha, what)| {
                let http = &http;
                let retries = &retries;
                async move {
                    let mut last = String::new();
                    // A second try after a transport error or a 5xx (counted as a retry).
                    for attempt in 0..2 {
                        if attempt > 0 {
                            add(retries);
                            tokio::time::sleep(Duration::from_millis(300)).await;
                        }
                        match http.get(&u).send().await {
                            Ok(r) if r.status().is_success() => {
                                return match r.bytes().await {
                                    Ok(body) if sha256_hex(&body) == sha => Ok(()),
                                    Ok(body) => Err(format!(
                                        "MISMATCH {what}: {} bytes, sha256 {}",
                                        body.len(),
                                        sha256_hex(&body)
                                    )),
                                    Err(e) => Err(format!("{what}: {}", chain(&e))),
                                };
                            }
                            Ok(r) if r.status().is_server_error() => {
                                last = format!(
                                    "{what}: {} {}",
                                    r.status(),
                                    r.text().await.unwrap_or_default()
                                );
                            }
                            Ok(r) => {
                                return Err(format!(
                                    "{what}: {} {}",
                                    r.status(),
                                    r.text().await.unwrap_or_default()
                                ));
                            }
                            Err(e) => last = format!("{what}: {}", chain(&e)),
                        }
                    }
                    Err(last)
                }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        let mut files_ok = 0usize;
        let mut mismatched = 0usize;
        let mut files_failed = 0usize;
        for r in results {
            match r {
                Ok(()) => files_ok += 1,
                Err(e) => {
                    if e.starts_with("MISMATCH") {
                        mismatched += 1;
                    } else {
                        files_failed += 1;
                    }
                    failures.push(e);
                }
            }
        }
        let node_ok = failures.is_empty();
        ok &= node_ok;
        let first_failures: Vec<&String> = failures.iter().take(10).collect();
        nodes.insert(
            node_name(node),
            serde_json::json!({
                "url": url,
                "ok": node_ok,
                "integrations": integrations.len(),
                "versions_listed": listed,
                "unacknowledged_versions": unacknowledged,
                "gap_free": gaps == 0,
                "integrations_with_gaps": gaps,
                "acknowledged_missing": missing,
                "widget_version_differs": version_differs,
                "files_checked": files_total,
                "files_ok": files_ok,
                "files_mismatched": mismatched,
                "files_failed": files_failed,
                "retries": get(&retries),
                "failures": failures.len(),
                "first_failures": first_failures,
                "s": t.elapsed().as_secs_f64(),
            }),
        );
    }
    let summary = serde_json::json!({
        "ok": ok,
        "acknowledged": acknowledged,
        "nodes": nodes,
        "s": start.elapsed().as_secs_f64(),
    });
    println!("{summary}");
    if !ok {
        std::process::exit(1);
    }
    Ok(())
}

// --- chaos and check ---------------------------------------------------------------------

/// A request's time limit in `chaos` and `check`.
const CHAOS_TIMEOUT: Duration = Duration::from_secs(15);
/// The pause after a connection error (the server is down or restarting) before a retry.
const CHAOS_RETRY: Duration = Duration::from_millis(150);
/// How long operations interrupted by the stop may still retry.
const CHAOS_FINISH: Duration = Duration::from_secs(10);
/// The drain ends when the webhook receiver heard nothing for this long.
const DRAIN_QUIET: Duration = Duration::from_secs(3);
/// The event streams stay open at least this long after the stop.
const SSE_AFTER_STOP: Duration = Duration::from_secs(2);
/// The status event kinds (sent to webhooks and event streams).
const STATUS_KINDS: &[&str] = &[
    "version.uploaded",
    "submission.created",
    "submission.withdrawn",
    "submission.approved",
    "submission.rejected",
    "version.published",
    "version.superseded",
    "integration.published",
    "integration.rolled_back",
    "integration.converted",
];

/// The body of a submission of version `number` (the typical widget passes the publication
/// checks with it).
fn submission_body(number: i64) -> serde_json::Value {
    serde_json::json!({
        "version": number,
        "languages": ["en"],
        "description": {"en": "Keeps deal notes in sync with the vendor's service and shows them on the lead card. Support: +7 495 215-37-84, help@vendor-widgets.ru"},
        "instructions": {"en": "Install the widget, then paste the API key from your vendor account into its settings and save."},
        "support_phone": "+7 495 215-37-84",
        "support_email": "help@vendor-widgets.ru",
    })
}

/// Sends a request: its status and body, or the transport error (the answer is lost).
async fn exchange(rb: reqwest::RequestBuilder) -> Result<(u16, String), String> {
    let r = rb.send().await.map_err(|e| chain(&e))?;
    let status = r.status().as_u16();
    let body = r.text().await.map_err(|e| chain(&e))?;
    Ok((status, body))
}

/// One integration of the chaos load.
struct ChaosIntegration {
    id: i64,
    /// The widget code, known after the first acknowledged upload.
    code: Mutex<Option<String>>,
    /// The webhook's signing secret.
    secret: String,
}

/// An acknowledged submission (201) or approval (200).
struct AckedStep {
    integration: i64,
    sid: i64,
    number: i64,
    at_ms: u64,
}

/// The installs of one widget in the second account.
struct InstallState {
    code: String,
    /// The settings field that carries the value that changes with each install.
    key: String,
    /// Acknowledged values, in order.
    acked: Vec<String>,
    /// What the installation may hold now: the last acknowledged value and every value sent
    /// after it whose answer was lost or refused.
    candidates: Vec<String>,
}

/// What the webhook receiver heard.
#[derive(Default)]
struct Hooks {
    /// Delivery id (`X-Widgetry-Delivery`) -> times received.
    deliveries: BTreeMap<i64, u64>,
    /// Event ids received.
    events: BTreeSet<i64>,
    requests: u64,
    bad_signatures: u64,
    unreadable: u64,
    last: Option<Instant>,
}

/// What every `chaos` worker shares.
struct Chaos {
    url: String,
    token: String,
    moderator: String,
    shop: String,
    http: reqwest::Client,
    integrations: Vec<ChaosIntegration>,
    stop: AtomicBool,
    stopped_at: Mutex<Option<Instant>>,
    /// "kind.outcome" -> count.
    counts: Mutex<BTreeMap<String, u64>>,
    /// "what status code" -> (count, first detail).
    outcomes: Mutex<BTreeMap<String, (u64, String)>>,
    uploads: Mutex<Vec<Accepted>>,
    submissions: Mutex<Vec<AckedStep>>,
    approvals: Mutex<Vec<AckedStep>>,
    /// Integrations known to be public (an approval answered, or found after a lost answer).
    public: Mutex<BTreeSet<i64>>,
    installs: Mutex<BTreeMap<i64, InstallState>>,
    hooks: Mutex<Hooks>,
}

impl Chaos {
    fn bump(&self, what: &str) {
        *self
            .counts
            .lock()
            .expect("lock")
            .entry(what.to_string())
            .or_insert(0) += 1;
    }

    fn count(&self, what: &str) -> u64 {
        self.counts
            .lock()
            .expect("lock")
            .get(what)
            .copied()
            .unwrap_or(0)
    }

    /// Records an answer other than the expected one (status 0: a transport error).
    fn note(&self, what: &str, status: u16, detail: &str) {
        let (key, detail) = if status == 0 {
            (format!("{what} connection error"), detail.to_string())
        } else {
            let (code, detail) = problem(detail);
            (format!("{what} {status} {code}"), detail)
        };
        let mut o = self.outcomes.lock().expect("lock");
        o.entry(key).or_insert((0, detail)).0 += 1;
    }

    /// A transport error: counted, noted, and a pause before the retry.
    async fn lost(&self, kind: &str, error: &str) {
        self.bump(&format!("{kind}.connection_error"));
        self.note(kind, 0, error);
        tokio::time::sleep(CHAOS_RETRY).await;
    }

    /// No new operation starts once the stop file is there.
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// An operation interrupted by a lost answer is retried until then.
    fn given_up(&self) -> bool {
        self.stopped_at
            .lock()
            .expect("lock")
            .is_some_and(|t| t.elapsed() > CHAOS_FINISH)
    }

    fn integration(&self, id: i64) -> Option<&ChaosIntegration> {
        self.integrations.iter().find(|i| i.id == id)
    }
}

/// One uploader: strictly increasing versions into integration `k` until the stop.
async fn chaos_uploader(
    c: Arc<Chaos>,
    base: Arc<Vec<u8>>,
    k: usize,
    pause: Duration,
) -> Result<(), Error> {
    let id = c.integrations[k].id;
    let mut version = "1.0.0".to_string();
    let mut attempt = 0u64;
    while !c.stopped() {
        attempt += 1;
        let (bytes, files) = {
            let (base, version) = (base.clone(), version.clone());
            tokio::task::spawn_blocking(move || -> Result<_, Error> {
                let bytes = variant(&base, &version, &format!("chaos i{k} a{attempt}"), 0)?;
                let files = file_hashes(&bytes)?;
                Ok((bytes, files))
            })
            .await??
        };
        match post(&c.http, &c.url, &c.token, id, bytes).await {
            Ok((201, body)) => {
                let v: serde_json::Value = serde_json::from_str(&body)?;
                let v = &v["version"];
                let number = v["number"].as_i64().ok_or("201 without version.number")?;
                let widget_version = v["widget_version"].as_str().unwrap_or_default();
                let code = v["code"].as_str().unwrap_or_default().to_string();
                if widget_version != version {
                    c.note("upload-version-differs", 201, widget_version);
                }
                c.integrations[k]
                    .code
                    .lock()
                    .expect("lock")
                    .get_or_insert_with(|| code.clone());
                c.uploads.lock().expect("lock").push(Accepted {
                    integration: id,
                    number,
                    widget_version: widget_version.to_string(),
                    code,
                    node: 0,
                    at_ms: unix_ms(),
                    files: Arc::new(files),
                });
                c.bump("upload.acknowledged");
                version = widgetry_next_version(&version);
                tokio::time::sleep(pause).await;
            }
            Ok((409, body)) if problem(&body).0 == "version.not_increasing" => {
                // An attempt whose answer was lost had committed this version.
                c.bump("upload.lost_answer_committed");
                let v: serde_json::Value = serde_json::from_str(&body)?;
                version = v["next_version"]
                    .as_str()
                    .ok_or("409 version.not_increasing without next_version")?
                    .to_string();
            }
            Ok((status, body)) => {
                c.bump("upload.refused");
                c.note("upload", status, &body);
                tokio::time::sleep(CHAOS_RETRY).await;
            }
            Err(e) => c.lost("upload", &chain(&*e)).await,
        }
    }
    Ok(())
}

/// One publisher: submits the latest acknowledged version of its integration, then approves
/// the submission as the moderator; again and again until the stop.
async fn chaos_publisher(c: Arc<Chaos>, k: usize, pause: Duration) {
    let id = c.integrations[k].id;
    let mut last = 0i64;
    while !c.stopped() {
        tokio::time::sleep(pause).await;
        let latest = c
            .uploads
            .lock()
            .expect("lock")
            .iter()
            .filter(|a| a.integration == id)
            .map(|a| a.number)
            .max()
            .unwrap_or(0);
        if latest <= last {
            continue;
        }
        last = latest;
        if let Some(sid) = chaos_submit(&c, id, latest).await {
            chaos_approve(&c, id, sid, latest).await;
        }
    }
}

/// Submits version `number`; the submission id, also when an attempt whose answer was lost
/// turns out to have committed.
async fn chaos_submit(c: &Chaos, id: i64, number: i64) -> Option<i64> {
    let mut lost = false;
    while !c.given_up() {
        let r = exchange(
            c.http
                .post(format!("{}/api/v1/integrations/{id}/submissions", c.url))
                .bearer_auth(&c.token)
                .json(&submission_body(number)),
        )
        .await;
        match r {
            Ok((201, body)) => {
                let sid = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["id"].as_i64());
                let Some(sid) = sid else {
                    c.note("submission-without-id", 201, &body);
                    return None;
                };
                c.submissions.lock().expect("lock").push(AckedStep {
                    integration: id,
                    sid,
                    number,
                    at_ms: unix_ms(),
                });
                c.bump("submission.acknowledged");
                return Some(sid);
            }
            Ok((409, body)) if lost && problem(&body).0 == "submission.conflict" => {
                // Already in review: the attempt whose answer was lost committed.
                let found = find_submission(c, id, number).await;
                if found.is_some() {
                    c.bump("submission.lost_answer_committed");
                } else {
                    c.bump("submission.refused");
                    c.note("submission", 409, &body);
                }
                return found;
            }
            Ok((status, body)) => {
                c.bump("submission.refused");
                c.note("submission", status, &body);
                return None;
            }
            Err(e) => {
                lost = true;
                c.lost("submission", &e).await;
            }
        }
    }
    None
}

/// The submission in review of version `number`, looked up in the integration's list.
async fn find_submission(c: &Chaos, id: i64, number: i64) -> Option<i64> {
    while !c.given_up() {
        let r = exchange(
            c.http
                .get(format!("{}/api/v1/integrations/{id}/submissions", c.url))
                .bearer_auth(&c.token),
        )
        .await;
        match r {
            Ok((200, body)) => {
                let v: serde_json::Value = serde_json::from_str(&body).ok()?;
                return v["submissions"].as_array()?.iter().find_map(|s| {
                    (s["version"]["number"].as_i64() == Some(number)
                        && s["state"].as_str() == Some("in_review"))
                    .then(|| s["id"].as_i64())
                    .flatten()
                });
            }
            Ok((status, body)) => {
                c.note("submission-lookup", status, &body);
                return None;
            }
            Err(e) => c.lost("submission-lookup", &e).await,
        }
    }
    None
}

/// Approves submission `sid` as the moderator.
async fn chaos_approve(c: &Chaos, id: i64, sid: i64, number: i64) {
    let mut lost = false;
    while !c.given_up() {
        let r = exchange(
            c.http
                .post(format!(
                    "{}/api/v1/moderation/submissions/{sid}/approve",
                    c.url
                ))
                .bearer_auth(&c.moderator)
                .json(&serde_json::json!({})),
        )
        .await;
        match r {
            Ok((200, _)) => {
                c.approvals.lock().expect("lock").push(AckedStep {
                    integration: id,
                    sid,
                    number,
                    at_ms: unix_ms(),
                });
                c.public.lock().expect("lock").insert(id);
                c.bump("approval.acknowledged");
                return;
            }
            Ok((409, body)) if lost && problem(&body).0 == "submission.decided" => {
                // Decided meanwhile: by the attempt whose answer was lost, if it says approved.
                let approved = exchange(
                    c.http
                        .get(format!(
                            "{}/api/v1/integrations/{id}/submissions/{sid}",
                            c.url
                        ))
                        .bearer_auth(&c.token),
                )
                .await
                .ok()
                .and_then(|(s, b)| (s == 200).then_some(b))
                .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
                .is_some_and(|v| v["state"] == "approved");
                if approved {
                    c.public.lock().expect("lock").insert(id);
                    c.bump("approval.lost_answer_committed");
                } else {
                    c.bump("approval.refused");
                    c.note("approval", 409, &body);
                }
                return;
            }
            Ok((status, body)) => {
                c.bump("approval.refused");
                c.note("approval", status, &body);
                return;
            }
            Err(e) => {
                lost = true;
                c.lost("approval", &e).await;
            }
        }
    }
}

/// The settings form of a widget as the second account sees it: the first text field (the
/// value that changes with each install) and the other text fields with a fixed value.
async fn install_form(
    c: &Chaos,
    code: &str,
) -> Option<(String, serde_json::Map<String, serde_json::Value>)> {
    let r = exchange(
        c.http
            .get(format!("{}/api/v4/widgets/{code}", c.url))
            .bearer_auth(&c.shop),
    )
    .await;
    let body = match r {
        Ok((200, body)) => body,
        Ok((status, body)) => {
            c.note("install-template", status, &body);
            return None;
        }
        Err(e) => {
            c.lost("install-template", &e).await;
            return None;
        }
    };
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let mut key = None;
    let mut rest = serde_json::Map::new();
    for f in v["settings_template"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let name = f["key"].as_str().unwrap_or_default().to_string();
        if matches!(f["type"].as_str(), Some("text" | "pass")) {
            if key.is_none() {
                key = Some(name);
            } else {
                rest.insert(name, "chaos".into());
            }
        }
    }
    if key.is_none() {
        c.note(
            "install-template",
            200,
            "no text field in settings_template",
        );
    }
    Some((key?, rest))
}

/// The installer of the second account: the public widgets in turn, each time with a new
/// settings value.
async fn chaos_installer(c: Arc<Chaos>, pause: Duration) {
    // Integration -> (the changing field, the settings without it).
    let mut forms: BTreeMap<i64, (String, serde_json::Map<String, serde_json::Value>)> =
        BTreeMap::new();
    let (mut turn, mut n) = (0usize, 0u64);
    while !c.stopped() {
        tokio::time::sleep(pause).await;
        let public: Vec<i64> = c.public.lock().expect("lock").iter().copied().collect();
        if public.is_empty() {
            continue;
        }
        let id = public[turn % public.len()];
        turn += 1;
        let Some(code) = c
            .integration(id)
            .and_then(|i| i.code.lock().expect("lock").clone())
        else {
            continue;
        };
        if let std::collections::btree_map::Entry::Vacant(e) = forms.entry(id) {
            let Some(form) = install_form(&c, &code).await else {
                continue;
            };
            e.insert(form);
        }
        let Some((key, rest)) = forms.get(&id) else {
            continue;
        };
        n += 1;
        let value = format!("key-{id}-{n}");
        let mut settings = rest.clone();
        settings.insert(key.clone(), value.clone().into());
        c.installs
            .lock()
            .expect("lock")
            .entry(id)
            .or_insert_with(|| InstallState {
                code: code.clone(),
                key: key.clone(),
                acked: Vec::new(),
                candidates: Vec::new(),
            })
            .candidates
            .push(value.clone());
        while !c.given_up() {
            let r = exchange(
                c.http
                    .post(format!("{}/api/v4/widgets/{code}", c.url))
                    .bearer_auth(&c.shop)
                    .json(&serde_json::json!({"settings": settings})),
            )
            .await;
            match r {
                Ok((200, _)) => {
                    if let Some(s) = c.installs.lock().expect("lock").get_mut(&id) {
                        s.acked.push(value.clone());
                        s.candidates = vec![value.clone()];
                    }
                    c.bump("install.acknowledged");
                    break;
                }
                Ok((status, body)) => {
                    c.bump("install.refused");
                    c.note("install", status, &body);
                    break;
                }
                Err(e) => c.lost("install", &e).await,
            }
        }
    }
}

/// One file reader: a random acknowledged upload, its `files_base_url`, one random file
/// fetched there without credentials and compared.
async fn chaos_reader(c: Arc<Chaos>, pause: Duration) {
    while !c.stopped() {
        tokio::time::sleep(pause).await;
        let pick = {
            let uploads = c.uploads.lock().expect("lock");
            if uploads.is_empty() {
                None
            } else {
                let a = &uploads[rand::random_range(0..uploads.len())];
                a.files
                    .iter()
                    .nth(rand::random_range(0..a.files.len().max(1)))
                    .map(|(p, s)| (a.integration, a.number, p.clone(), s.clone()))
            }
        };
        let Some((id, number, path, sha)) = pick else {
            continue;
        };
        let r = exchange(
            c.http
                .get(format!(
                    "{}/api/v1/integrations/{id}/versions/{number}",
                    c.url
                ))
                .bearer_auth(&c.token),
        )
        .await;
        let base = match r {
            Ok((200, body)) => serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["files_base_url"].as_str().map(str::to_string)),
            Ok((status, body)) => {
                c.bump("read.failed");
                c.note("read-version", status, &body);
                continue;
            }
            Err(e) => {
                c.lost("read", &e).await;
                continue;
            }
        };
        let Some(base) = base else {
            c.bump("read.failed");
            c.note("read-version", 200, "no files_base_url");
            continue;
        };
        match c.http.get(format!("{base}/{path}")).send().await {
            Ok(r) if r.status().is_success() => match r.bytes().await {
                Ok(body) if sha256_hex(&body) == sha => c.bump("read.identical"),
                Ok(_) => {
                    c.bump("read.different");
                    c.note("read-file-different", 200, &format!("{base}/{path}"));
                }
                Err(e) => c.lost("read", &chain(&e)).await,
            },
            Ok(r) => {
                c.bump("read.failed");
                let status = r.status().as_u16();
                c.note("read-file", status, &r.text().await.unwrap_or_default());
            }
            Err(e) => c.lost("read", &chain(&e)).await,
        }
    }
}

/// What one event stream saw: event id -> kind.
type Seen = BTreeMap<i64, String>;

/// One integration's event stream from its first event until `done` turns true, resuming with
/// `Last-Event-ID` when it breaks; `connected` turns true at the first connection.
async fn chaos_sse(
    c: Arc<Chaos>,
    http: reqwest::Client,
    id: i64,
    connected: Arc<AtomicBool>,
    mut done: tokio::sync::watch::Receiver<bool>,
) -> Seen {
    let mut seen = Seen::new();
    loop {
        if *done.borrow() {
            return seen;
        }
        let after = seen.keys().next_back().copied().unwrap_or(0);
        let req = http
            .get(format!("{}/api/v1/integrations/{id}/events", c.url))
            .bearer_auth(&c.token)
            .header("accept", "text/event-stream")
            .header("last-event-id", after.to_string());
        let r = tokio::select! {
            r = tokio::time::timeout(Duration::from_secs(5), req.send()) => r,
            _ = done.changed() => return seen,
        };
        let r = match r {
            Ok(Ok(r)) if r.status().as_u16() == 200 => r,
            Ok(Ok(r)) => {
                c.bump("sse.refused");
                let status = r.status().as_u16();
                c.note("sse", status, &r.text().await.unwrap_or_default());
                tokio::time::sleep(CHAOS_RETRY).await;
                continue;
            }
            Ok(Err(e)) => {
                c.lost("sse", &chain(&e)).await;
                continue;
            }
            Err(_) => {
                c.lost("sse", "no answer within 5 s").await;
                continue;
            }
        };
        c.bump("sse.connects");
        connected.store(true, Ordering::Relaxed);
        let mut stream = r.bytes_stream();
        let mut buf = String::new();
        loop {
            let chunk = tokio::select! {
                next = stream.next() => next,
                _ = done.changed() => return seen,
            };
            match chunk {
                Some(Ok(chunk)) => {
                    buf.push_str(&String::from_utf8_lossy(&chunk));
                    buf = buf.replace("\r\n", "\n");
                    while let Some(end) = buf.find("\n\n") {
                        let block: String = buf.drain(..end + 2).collect();
                        let (mut ev_id, mut kind) = (None, None);
                        for line in block.lines() {
                            if let Some(v) = line.strip_prefix("id:") {
                                ev_id = v.trim().parse::<i64>().ok();
                            } else if let Some(v) = line.strip_prefix("event:") {
                                kind = Some(v.trim().to_string());
                            }
                        }
                        let Some(ev_id) = ev_id else {
                            continue; // a keep-alive comment
                        };
                        if let Some(&last) = seen.keys().next_back()
                            && ev_id <= last
                        {
                            c.bump(if seen.contains_key(&ev_id) {
                                "sse.replayed"
                            } else {
                                "sse.out_of_order"
                            });
                        }
                        seen.entry(ev_id)
                            .or_insert_with(|| kind.unwrap_or_else(|| "message".into()));
                    }
                }
                Some(Err(e)) => {
                    c.bump("sse.breaks");
                    c.note("sse-stream", 0, &chain(&e));
                    break;
                }
                None => {
                    c.bump("sse.breaks");
                    c.note("sse-stream", 0, "ended");
                    break;
                }
            }
        }
        tokio::time::sleep(CHAOS_RETRY).await;
    }
}

/// `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, as the server signs webhooks.
fn hook_signature(secret: &str, timestamp: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// The webhook receiver: `POST /hook/{k}` for integration `k`; always 204.
async fn hook(
    axum::extract::State(c): axum::extract::State<Arc<Chaos>>,
    axum::extract::Path(k): axum::extract::Path<usize>,
    headers: axum::http::HeaderMap,
    body: bytes::Bytes,
) -> axum::http::StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let signed = c.integrations.get(k).is_some_and(|i| {
        header("x-widgetry-signature")
            == hook_signature(&i.secret, &header("x-widgetry-timestamp"), &body)
    });
    let delivery = header("x-widgetry-delivery").parse::<i64>().ok();
    let event = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["id"].as_i64());
    let mut h = c.hooks.lock().expect("lock");
    h.requests += 1;
    h.last = Some(Instant::now());
    if !signed {
        h.bad_signatures += 1;
    }
    match (delivery, event) {
        (Some(d), Some(e)) => {
            *h.deliveries.entry(d).or_insert(0) += 1;
            h.events.insert(e);
        }
        _ => h.unreadable += 1,
    }
    axum::http::StatusCode::NO_CONTENT
}

/// The mixed load against one server that is killed and restarted (see the module comment).
async fn chaos(args: &[String]) -> Result<(), Error> {
    let url = required(args, "--url")?.trim_end_matches('/').to_string();
    let token = required(args, "--token")?;
    let moderator = required(args, "--moderator-token")?;
    let shop = required(args, "--shop-token")?;
    let base = Arc::new(std::fs::read(required(args, "--zip")?)?);
    let out = required(args, "--out")?;
    let stop_file = std::path::PathBuf::from(required(args, "--stop-file")?);
    let ready_file = arg(args, "--ready-file");
    let finished_file = arg(args, "--finished-file");
    let drained_file = arg(args, "--drained-file").map(std::path::PathBuf::from);
    let n = number(args, "--integrations", 3)?.clamp(1, 50) as usize;
    let readers = number(args, "--readers", 2)? as usize;
    let ms = |name: &str, default: u64| number(args, name, default).map(Duration::from_millis);
    let upload_pause = ms("--upload-pause-ms", 100)?;
    let publish_pause = ms("--publish-pause-ms", 300)?;
    let install_pause = ms("--install-pause-ms", 200)?;
    let read_pause = ms("--read-pause-ms", 20)?;
    let drain = Duration::from_secs(number(args, "--drain-secs", 20)?);
    let max = Duration::from_secs(number(args, "--max-secs", 900)?);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(32)
        .connect_timeout(Duration::from_secs(3))
        .timeout(CHAOS_TIMEOUT)
        .build()?;
    // No overall limit on the event streams.
    let sse_http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .build()?;
    let t0 = Instant::now();

    // The receiver's port first: the webhooks point at it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook_port = listener.local_addr()?.port();
    let run = std::process::id();
    let mut integrations = Vec::with_capacity(n);
    for k in 0..n {
        let (status, body) = exchange(
            http.post(format!("{url}/api/v1/integrations"))
                .bearer_auth(&token)
                .json(&serde_json::json!({
                    "name": {"en": format!("Chaos {run} {k}")},
                    "description": {"en": "chaos benchmark"},
                    "redirect_uri": "https://example.org/oauth",
                })),
        )
        .await?;
        if status != 201 {
            return Err(format!("creating an integration: {status} {body}").into());
        }
        let id = serde_json::from_str::<serde_json::Value>(&body)?["id"]
            .as_i64()
            .ok_or("integration without id")?;
        let (status, body) = exchange(
            http.put(format!("{url}/api/v1/integrations/{id}/webhook"))
                .bearer_auth(&token)
                .json(
                    &serde_json::json!({"url": format!("http://127.0.0.1:{hook_port}/hook/{k}")}),
                ),
        )
        .await?;
        if status != 200 {
            return Err(format!("setting the webhook of {id}: {status} {body}").into());
        }
        let secret = serde_json::from_str::<serde_json::Value>(&body)?["secret"]
            .as_str()
            .ok_or("webhook without secret")?
            .to_string();
        integrations.push(ChaosIntegration {
            id,
            code: Mutex::new(None),
            secret,
        });
    }
    let c = Arc::new(Chaos {
        url,
        token,
        moderator,
        shop,
        http,
        integrations,
        stop: AtomicBool::new(false),
        stopped_at: Mutex::new(None),
        counts: Mutex::new(BTreeMap::new()),
        outcomes: Mutex::new(BTreeMap::new()),
        uploads: Mutex::new(Vec::new()),
        submissions: Mutex::new(Vec::new()),
        approvals: Mutex::new(Vec::new()),
        public: Mutex::new(BTreeSet::new()),
        installs: Mutex::new(BTreeMap::new()),
        hooks: Mutex::new(Hooks::default()),
    });
    let (done_tx, done_rx) = tokio::sync::watch::channel(false);
    let receiver = {
        let app = axum::Router::new()
            .route("/hook/{k}", axum::routing::post(hook))
            .with_state(c.clone());
        let mut done = done_rx.clone();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = done.wait_for(|d| *d).await;
                })
                .await
        })
    };
    let mut streams = Vec::with_capacity(n);
    let mut connected = Vec::with_capacity(n);
    for i in &c.integrations {
        let flag = Arc::new(AtomicBool::new(false));
        connected.push(flag.clone());
        streams.push((
            i.id,
            tokio::spawn(chaos_sse(
                c.clone(),
                sse_http.clone(),
                i.id,
                flag,
                done_rx.clone(),
            )),
        ));
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while !connected.iter().all(|f| f.load(Ordering::Relaxed)) {
        if Instant::now() > deadline {
            return Err("the event streams did not connect within 10 s".into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let start = Instant::now();
    let setup_s = t0.elapsed().as_secs_f64();
    let mut workers = Vec::new();
    for k in 0..n {
        let (uc, base) = (c.clone(), base.clone());
        workers.push(tokio::spawn(async move {
            chaos_uploader(uc, base, k, upload_pause)
                .await
                .map_err(|e| e.to_string())
        }));
        let pc = c.clone();
        workers.push(tokio::spawn(async move {
            chaos_publisher(pc, k, publish_pause).await;
            Ok(())
        }));
    }
    {
        let c = c.clone();
        workers.push(tokio::spawn(async move {
            chaos_installer(c, install_pause).await;
            Ok(())
        }));
    }
    for _ in 0..readers {
        let c = c.clone();
        workers.push(tokio::spawn(async move {
            chaos_reader(c, read_pause).await;
            Ok(())
        }));
    }
    if let Some(f) = &ready_file {
        std::fs::write(f, format!("{hook_port}\n"))?;
    }

    // Until the stop file (or --max-secs).
    let mut stopped_by_file = true;
    while !stop_file.exists() {
        if start.elapsed() > max {
            stopped_by_file = false;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stop_at = Instant::now();
    *c.stopped_at.lock().expect("lock") = Some(stop_at);
    c.stop.store(true, Ordering::Relaxed);
    let load_s = start.elapsed().as_secs_f64();
    let mut worker_errors = Vec::new();
    for w in workers {
        match w.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => worker_errors.push(e),
            Err(e) => worker_errors.push(e.to_string()),
        }
    }
    let finish_s = stop_at.elapsed().as_secs_f64();
    if let Some(f) = &finished_file {
        std::fs::write(f, "finished\n")?;
    }

    // The drain: until --drained-file appears, or else until the receiver heard nothing for
    // DRAIN_QUIET; at most --drain-secs.
    let drain_start = Instant::now();
    loop {
        let drained = match &drained_file {
            Some(f) => f.exists(),
            None => c
                .hooks
                .lock()
                .expect("lock")
                .last
                .is_none_or(|t| t.elapsed() >= DRAIN_QUIET),
        };
        let waited = drain_start.elapsed();
        if (drained && waited >= SSE_AFTER_STOP) || waited >= drain {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drain_s = drain_start.elapsed().as_secs_f64();
    let _ = done_tx.send(true);
    let mut seen: BTreeMap<i64, Seen> = BTreeMap::new();
    for (id, s) in streams {
        seen.insert(id, s.await?);
    }
    match tokio::time::timeout(Duration::from_secs(5), receiver).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(e))) => worker_errors.push(format!("webhook receiver: {e}")),
        Ok(Err(e)) => worker_errors.push(format!("webhook receiver: {e}")),
        Err(_) => worker_errors.push("webhook receiver: did not stop within 5 s".into()),
    }

    // The records `check` reads.
    let step = |s: &AckedStep| serde_json::json!({"integration": s.integration, "sid": s.sid, "number": s.number, "at_ms": s.at_ms});
    let uploads: Vec<serde_json::Value> = c
        .uploads
        .lock()
        .expect("lock")
        .iter()
        .map(|a| {
            serde_json::json!({
                "integration": a.integration,
                "number": a.number,
                "widget_version": a.widget_version,
                "code": a.code,
                "at_ms": a.at_ms,
                "files": *a.files,
            })
        })
        .collect();
    let submissions: Vec<serde_json::Value> = c
        .submissions
        .lock()
        .expect("lock")
        .iter()
        .map(step)
        .collect();
    let approvals: Vec<serde_json::Value> =
        c.approvals.lock().expect("lock").iter().map(step).collect();
    let installs: serde_json::Map<String, serde_json::Value> = c
        .installs
        .lock()
        .expect("lock")
        .iter()
        .map(|(id, s)| {
            (
                id.to_string(),
                serde_json::json!({"code": s.code, "key": s.key, "acked": s.acked, "candidates": s.candidates}),
            )
        })
        .collect();
    let hooks = c.hooks.lock().expect("lock");
    let sse: serde_json::Map<String, serde_json::Value> = seen
        .iter()
        .map(|(id, s)| {
            (
                id.to_string(),
                serde_json::json!(s.keys().collect::<Vec<_>>()),
            )
        })
        .collect();
    let integrations: Vec<serde_json::Value> = c
        .integrations
        .iter()
        .map(|i| serde_json::json!({"id": i.id, "code": *i.code.lock().expect("lock")}))
        .collect();
    std::fs::write(
        &out,
        serde_json::to_vec_pretty(&serde_json::json!({
            "integrations": integrations,
            "uploads": uploads,
            "submissions": submissions,
            "approvals": approvals,
            "installs": installs,
            "sse_seen": sse,
            "hook_events": hooks.events,
        }))?,
    )?;

    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    for k in seen.values().flat_map(BTreeMap::values) {
        *kinds.entry(k.clone()).or_insert(0) += 1;
    }
    let outcomes: serde_json::Map<String, serde_json::Value> = c
        .outcomes
        .lock()
        .expect("lock")
        .iter()
        .map(|(k, (count, detail))| {
            (
                k.clone(),
                serde_json::json!({"count": count, "first": detail}),
            )
        })
        .collect();
    let duplicates: u64 = hooks.deliveries.values().map(|n| n - 1).sum();
    let summary = serde_json::json!({
        "integrations": c.integrations.iter().map(|i| i.id).collect::<Vec<_>>(),
        "setup_s": setup_s,
        "load_s": load_s,
        "finish_s": finish_s,
        "drain_s": drain_s,
        "stopped_by": if stopped_by_file { "stop file" } else { "--max-secs" },
        "counts": *c.counts.lock().expect("lock"),
        "acknowledged": {
            "uploads": c.count("upload.acknowledged"),
            "submissions": c.count("submission.acknowledged"),
            "approvals": c.count("approval.acknowledged"),
            "installs": c.count("install.acknowledged"),
        },
        "sse": {"events": seen.values().map(BTreeMap::len).sum::<usize>(), "kinds": kinds},
        "webhooks": {
            "requests": hooks.requests,
            "deliveries": hooks.deliveries.len(),
            "duplicates": duplicates,
            "events": hooks.events.len(),
            "bad_signatures": hooks.bad_signatures,
            "unreadable": hooks.unreadable,
        },
        "worker_errors": worker_errors,
        "outcomes": outcomes,
    });
    println!("{summary}");
    Ok(())
}

/// Checks what `chaos` recorded as acknowledged (see the module comment); exit status 1 on any
/// failure.
async fn check(args: &[String]) -> Result<(), Error> {
    let url = required(args, "--url")?.trim_end_matches('/').to_string();
    let token = required(args, "--token")?;
    let shop = required(args, "--shop-token")?;
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(required(args, "--records")?)?)?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(32)
        .connect_timeout(Duration::from_secs(3))
        .timeout(CHAOS_TIMEOUT)
        .build()?;
    let start = Instant::now();
    let mut failures: Vec<String> = Vec::new();
    let list = |v: &serde_json::Value| v.as_array().cloned().unwrap_or_default();
    let get_json = |path: String, tok: String| {
        let http = http.clone();
        let url = url.clone();
        async move {
            let (status, body) =
                exchange(http.get(format!("{url}{path}")).bearer_auth(tok)).await?;
            if status != 200 {
                return Err(format!("GET {path}: {status} {body}"));
            }
            serde_json::from_str::<serde_json::Value>(&body).map_err(|e| format!("GET {path}: {e}"))
        }
    };
    let ids: Vec<i64> = list(&rec["integrations"])
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect();

    // Versions: numbering, acknowledged uploads, the files to fetch.
    let (mut versions_listed, mut gaps, mut uploads_missing, mut version_differs) =
        (0usize, 0usize, 0usize, 0usize);
    let mut states: BTreeMap<(i64, i64), String> = BTreeMap::new();
    let mut published: BTreeMap<i64, String> = BTreeMap::new();
    // (integration, number) -> the version as listed.
    let mut listed: BTreeMap<(i64, i64), serde_json::Value> = BTreeMap::new();
    for &id in &ids {
        let v = match get_json(format!("/api/v1/integrations/{id}/versions"), token.clone()).await {
            Ok(v) => v,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let versions = list(&v["versions"]);
        versions_listed += versions.len();
        let mut numbers: Vec<i64> = versions
            .iter()
            .filter_map(|v| v["number"].as_i64())
            .collect();
        numbers.sort_unstable();
        if numbers != (1..=numbers.len() as i64).collect::<Vec<_>>() {
            gaps += 1;
            failures.push(format!(
                "integration {id}: numbers are not 1..{}",
                numbers.len()
            ));
        }
        for v in &versions {
            let Some(number) = v["number"].as_i64() else {
                continue;
            };
            let state = v["state"].as_str().unwrap_or_default().to_string();
            if state == "published" {
                published.insert(
                    id,
                    v["widget_version"].as_str().unwrap_or_default().to_string(),
                );
            }
            states.insert((id, number), state);
            listed.insert((id, number), v.clone());
        }
    }
    let mut fetches: Vec<(String, String, String)> = Vec::new();
    let uploads = list(&rec["uploads"]);
    for u in &uploads {
        let (id, number) = (
            u["integration"].as_i64().unwrap_or(0),
            u["number"].as_i64().unwrap_or(0),
        );
        let wv = u["widget_version"].as_str().unwrap_or_default();
        let Some(base) = listed_files_base(
            listed.get(&(id, number)),
            (id, number, wv),
            (&mut uploads_missing, &mut version_differs),
            &mut failures,
        ) else {
            continue;
        };
        let files: BTreeMap<String, String> =
            serde_json::from_value(u["files"].clone()).unwrap_or_default();
        for (path, sha) in files {
            fetches.push((
                format!("{base}/{path}"),
                sha,
                format!("integration {id} version {number} {path}"),
            ));
        }
    }
    let files_checked = fetches.len();
    let results: Vec<Result<(), (bool, String)>> = futures_util::stream::iter(fetches)
        .map(|(u, sha, what)| {
            let http = &http;
            async move {
                match http.get(&u).send().await {
                    Ok(r) if r.status().is_success() => match r.bytes().await {
                        Ok(body) if sha256_hex(&body) == sha => Ok(()),
                        Ok(body) => Err((
                            true,
                            format!(
                                "DIFFERENT {what}: {} bytes, sha256 {}",
                                body.len(),
                                sha256_hex(&body)
                            ),
                        )),
                        Err(e) => Err((false, format!("{what}: {}", chain(&e)))),
                    },
                    Ok(r) if r.status().as_u16() == 404 => {
                        Err((true, format!("MISSING {what}: 404")))
                    }
                    Ok(r) => Err((false, format!("{what}: {}", r.status()))),
                    Err(e) => Err((false, format!("{what}: {}", chain(&e)))),
                }
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let (mut files_ok, mut files_lost, mut files_failed) = (0usize, 0usize, 0usize);
    for r in results {
        match r {
            Ok(()) => files_ok += 1,
            Err((lost, e)) => {
                if lost {
                    files_lost += 1;
                } else {
                    files_failed += 1;
                }
                failures.push(e);
            }
        }
    }

    // Submissions and approvals.
    let mut submitted: BTreeMap<i64, (i64, String)> = BTreeMap::new();
    for &id in &ids {
        match get_json(
            format!("/api/v1/integrations/{id}/submissions"),
            token.clone(),
        )
        .await
        {
            Ok(v) => {
                for s in list(&v["submissions"]) {
                    if let (Some(sid), Some(n)) =
                        (s["id"].as_i64(), s["version"]["number"].as_i64())
                    {
                        submitted.insert(
                            sid,
                            (n, s["state"].as_str().unwrap_or_default().to_string()),
                        );
                    }
                }
            }
            Err(e) => failures.push(e),
        }
    }
    let submissions = list(&rec["submissions"]);
    let mut submissions_missing = 0usize;
    for s in &submissions {
        let (sid, n) = (
            s["sid"].as_i64().unwrap_or(0),
            s["number"].as_i64().unwrap_or(0),
        );
        if submitted.get(&sid).map(|x| x.0) != Some(n) {
            submissions_missing += 1;
            failures.push(format!(
                "acknowledged submission {sid} of version {n} is not listed"
            ));
        }
    }
    let approvals = list(&rec["approvals"]);
    let (mut approvals_lost, mut not_public) = (0usize, 0usize);
    let mut approved_integrations = BTreeSet::new();
    for a in &approvals {
        let (id, sid, n) = (
            a["integration"].as_i64().unwrap_or(0),
            a["sid"].as_i64().unwrap_or(0),
            a["number"].as_i64().unwrap_or(0),
        );
        approved_integrations.insert(id);
        let state = states.get(&(id, n)).map_or("missing", String::as_str);
        let sub_state = submitted.get(&sid).map_or("missing", |x| x.1.as_str());
        if !matches!(state, "published" | "superseded") || sub_state != "approved" {
            approvals_lost += 1;
            failures.push(format!("acknowledged approval of submission {sid} (integration {id} version {n}): version {state}, submission {sub_state}"));
        }
    }
    for &id in &approved_integrations {
        match get_json(format!("/api/v1/integrations/{id}"), token.clone()).await {
            Ok(v) if v["visibility"] == "public" && published.contains_key(&id) => {}
            Ok(v) => {
                not_public += 1;
                failures.push(format!(
                    "integration {id}: visibility {}, published version {:?}",
                    v["visibility"],
                    published.get(&id)
                ));
            }
            Err(e) => failures.push(e),
        }
    }

    // Installs in the second account.
    let installs = rec["installs"].as_object().cloned().unwrap_or_default();
    let (mut installs_acked, mut installs_lost, mut installs_settings, mut installs_version) =
        (0usize, 0usize, 0usize, 0usize);
    for (id, s) in &installs {
        let id: i64 = id.parse().unwrap_or(0);
        let acked = list(&s["acked"]);
        installs_acked += acked.len();
        if acked.is_empty() {
            continue;
        }
        let code = s["code"].as_str().unwrap_or_default();
        let key = s["key"].as_str().unwrap_or_default();
        match get_json(format!("/api/v4/widgets/{code}"), shop.clone()).await {
            Ok(w) => {
                if w["is_active_in_account"] != true {
                    installs_lost += 1;
                    failures.push(format!(
                        "widget {code} (integration {id}): not active in the second account"
                    ));
                }
                let value = &w["settings"][key];
                if !list(&s["candidates"]).contains(value) {
                    installs_settings += 1;
                    failures.push(format!(
                        "widget {code}: settings.{key} is {value}, expected one of {}",
                        s["candidates"]
                    ));
                }
                if published.get(&id).map(String::as_str) != w["version"].as_str() {
                    installs_version += 1;
                    failures.push(format!(
                        "widget {code}: installed version {}, published {:?}",
                        w["version"],
                        published.get(&id)
                    ));
                }
            }
            Err(e) => {
                installs_lost += 1;
                failures.push(e);
            }
        }
    }

    // The event streams against the history.
    let (mut status_events, mut sse_missed, mut hooks_received) = (0usize, 0usize, 0usize);
    let hook_events: BTreeSet<i64> = list(&rec["hook_events"])
        .iter()
        .filter_map(serde_json::Value::as_i64)
        .collect();
    for &id in &ids {
        let seen: BTreeSet<i64> = list(&rec["sse_seen"][id.to_string()])
            .iter()
            .filter_map(serde_json::Value::as_i64)
            .collect();
        let mut after = 0i64;
        loop {
            let v = match get_json(
                format!("/api/v1/integrations/{id}/audit?after={after}"),
                token.clone(),
            )
            .await
            {
                Ok(v) => v,
                Err(e) => {
                    failures.push(e);
                    break;
                }
            };
            let events = list(&v["events"]);
            if events.is_empty() {
                break;
            }
            for e in &events {
                let eid = e["id"].as_i64().unwrap_or(0);
                after = after.max(eid);
                if !STATUS_KINDS.contains(&e["kind"].as_str().unwrap_or_default()) {
                    continue;
                }
                status_events += 1;
                if hook_events.contains(&eid) {
                    hooks_received += 1;
                }
                if !seen.contains(&eid) {
                    sse_missed += 1;
                    if sse_missed <= 5 {
                        failures.push(format!(
                            "integration {id}: the event stream missed event {eid} ({})",
                            e["kind"]
                        ));
                    }
                }
            }
        }
    }

    let lost = uploads_missing
        + version_differs
        + files_lost
        + submissions_missing
        + approvals_lost
        + installs_lost;
    let ok = failures.is_empty();
    let first: Vec<&String> = failures.iter().take(20).collect();
    let summary = serde_json::json!({
        "ok": ok,
        "lost": lost,
        "uploads": {"acknowledged": uploads.len(), "missing": uploads_missing, "widget_version_differs": version_differs},
        "numbering": {"integrations": ids.len(), "versions": versions_listed, "gap_free": gaps == 0, "integrations_with_gaps": gaps},
        "files": {"checked": files_checked, "identical": files_ok, "lost": files_lost, "failed": files_failed},
        "submissions": {"acknowledged": submissions.len(), "missing": submissions_missing},
        "approvals": {"acknowledged": approvals.len(), "not_published": approvals_lost, "integrations_not_public": not_public},
        "installs": {"acknowledged": installs_acked, "widgets": installs.len(), "not_active": installs_lost, "unexpected_settings": installs_settings, "not_on_published_version": installs_version},
        "sse": {"status_events": status_events, "missed": sse_missed},
        "webhooks": {"status_events": status_events, "received": hooks_received},
        "failures": failures.len(),
        "first_failures": first,
        "s": start.elapsed().as_secs_f64(),
    });
    println!("{summary}");
    if !ok {
        std::process::exit(1);
    }
    Ok(())
}
