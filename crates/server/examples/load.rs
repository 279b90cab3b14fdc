//! Load client for the server benchmarks (`bench/server.sh`): signs in and makes an API
//! token, and runs concurrent uploads of a widget, reporting throughput and latency.
//!
//! ```text
//! load token  --url URL --email EMAIL --password PASSWORD
//! load upload --url URL --token TOKEN --zip typical.zip --clients C --per-client K
//!             [--pad-to BYTES] [--tag TEXT]
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
//! The summary goes to stdout as one JSON object.

#![allow(clippy::expect_used)]

use std::io::{Cursor, Read, Write};
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
        _ => Err("usage: load token|upload ... (see the source)".into()),
    }
}

fn client() -> Result<reqwest::Client, Error> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(300))
        .build()?)
}

/// Signs in and prints a new token with the `upload` and `install` scopes.
async fn token(args: &[String]) -> Result<(), Error> {
    let url = required(args, "--url")?;
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
        .json(&serde_json::json!({"name": "bench", "scopes": ["upload", "install"]}))
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
