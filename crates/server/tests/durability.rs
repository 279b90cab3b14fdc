//! Durability and concurrency over HTTP, on SQLite and (with `WIDGETRY_TEST_POSTGRES_URL`)
//! on PostgreSQL: 32 parallel uploads into one integration, and a graceful stop and restart
//! on the same data. The SIGKILL test, which needs a real process, is in
//! `crates/cli/tests/durability.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use widgetry_registry::{Role, Scope};

on_both!(parallel_uploads_are_gap_free, restart_keeps_everything);

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The scaffolded widget at `version`, with a `script.js` unique to `tag`. (The scaffold's
/// images are drawn once: encoding them is most of a client's work otherwise.)
fn tagged_files(tag: &str, version: &str) -> Vec<(String, Vec<u8>)> {
    static BASE: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    let mut files = BASE.get_or_init(|| widget_files("Hello", "0.0.0")).clone();
    for (path, bytes) in &mut files {
        if path == "manifest.json" {
            let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            v["widget"]["version"] = version.into();
            *bytes = serde_json::to_vec_pretty(&v).unwrap();
        }
        if path == "script.js" {
            bytes.extend_from_slice(format!("\n// {tag} {version}\n").as_bytes());
        }
    }
    files
}

/// A zip of files, stored uncompressed (cheap for the 32 clients to build).
fn stored_zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (path, bytes) in files {
        w.start_file(path.as_str(), options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An accepted upload, as the client saw it.
#[derive(Debug, Clone)]
struct Accepted {
    number: i64,
    widget_version: String,
    code: String,
    sha256: String,
    files: Vec<(String, Vec<u8>)>,
    attempts: u32,
}

/// Uploads until accepted, starting at `version` and following the `next_version` of each
/// 409 `version.not_increasing` (bounded).
async fn upload_until_accepted(
    client: reqwest::Client,
    url: String,
    token: String,
    tag: String,
    mut version: String,
) -> Accepted {
    for attempt in 1..=200 {
        let files = tagged_files(&tag, &version);
        let archive = stored_zip(&files);
        let r = client
            .post(&url)
            .bearer_auth(&token)
            .multipart(form(archive.clone(), "widget.zip"))
            .send()
            .await
            .unwrap();
        match r.status().as_u16() {
            201 => {
                let v: serde_json::Value = r.json().await.unwrap();
                let v = &v["version"];
                assert_eq!(v["widget_version"], version.as_str());
                assert_eq!(v["sha256"], sha256_hex(&archive).as_str());
                assert_eq!(v["size"], archive.len());
                return Accepted {
                    number: v["number"].as_i64().unwrap(),
                    widget_version: version,
                    code: v["code"].as_str().unwrap().to_string(),
                    sha256: v["sha256"].as_str().unwrap().to_string(),
                    files,
                    attempts: attempt,
                };
            }
            409 => {
                let p = problem(r).await;
                assert_eq!(p["code"], "version.not_increasing", "{p:#}");
                let next = p["next_version"].as_str().unwrap().to_string();
                assert_eq!(
                    widgetry_registry::compare_versions(&next, &version),
                    std::cmp::Ordering::Greater,
                    "{p:#}"
                );
                version = next;
            }
            status => panic!("{status}: {}", r.text().await.unwrap()),
        }
    }
    panic!("{tag}: no upload accepted after 200 attempts");
}

async fn get_json(s: &TestServer, token: &str, path: &str) -> serde_json::Value {
    let r = s.get(path).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

/// Every version of the integration is listed exactly as `accepted` says, and every file of
/// every version is served with the uploaded bytes (so every blob is present).
async fn assert_versions_served(s: &TestServer, token: &str, id: i64, accepted: &[Accepted]) {
    let list = get_json(s, token, &format!("/api/v1/integrations/{id}/versions")).await;
    let mut listed: Vec<(i64, String, String)> = list["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["number"].as_i64().unwrap(),
                v["widget_version"].as_str().unwrap().to_string(),
                v["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    listed.sort();
    let mut expected: Vec<(i64, String, String)> = accepted
        .iter()
        .map(|a| (a.number, a.widget_version.clone(), a.sha256.clone()))
        .collect();
    expected.sort();
    assert_eq!(listed, expected);
    let numbers: Vec<i64> = listed.iter().map(|v| v.0).collect();
    let n = i64::try_from(accepted.len()).unwrap();
    assert_eq!(
        numbers,
        (1..=n).collect::<Vec<_>>(),
        "distinct and gap-free"
    );

    for a in accepted {
        let detail = get_json(
            s,
            token,
            &format!("/api/v1/integrations/{id}/versions/{}", a.number),
        )
        .await;
        let mut paths: Vec<String> = detail["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        paths.sort();
        let uploaded: BTreeMap<&str, &[u8]> = a
            .files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        assert_eq!(
            paths,
            uploaded.keys().map(|p| p.to_string()).collect::<Vec<_>>()
        );
        // The owner's files base URL: signed, on the files origin, no token needed there.
        let base = detail["files_base_url"].as_str().unwrap();
        for (path, bytes) in &uploaded {
            let url = format!("{base}/{path}");
            let r = s.client.get(&url).send().await.unwrap();
            assert_eq!(r.status(), 200, "GET {url}");
            assert_eq!(&r.bytes().await.unwrap()[..], *bytes, "GET {url}");
        }
    }
}

/// 32 clients upload into one integration at once, each retrying with the `next_version`
/// the 409 names: the versions get distinct, gap-free numbers 1..=32, every accepted upload
/// is listed, and every file of every version is served.
async fn parallel_uploads_are_gap_free(db: Db) {
    const CLIENTS: usize = 32;
    let s = db.server(|_| {}).await;
    let token = s
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    let id = s.integration(&token).await;
    let url = s.url(&format!("/api/v1/integrations/{id}/versions"));

    let started = std::time::Instant::now();
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        // Separate clients: 32 connections, not one pool.
        tasks.push(tokio::spawn(upload_until_accepted(
            reqwest::Client::new(),
            url.clone(),
            token.clone(),
            format!("client {client}"),
            format!("1.{client}.0"),
        )));
    }
    let mut accepted = Vec::new();
    for t in tasks {
        accepted.push(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    let attempts: u32 = accepted.iter().map(|a| a.attempts).sum();
    eprintln!(
        "{db:?}: {CLIENTS} concurrent clients, {} accepted after {attempts} uploads in {elapsed:?}",
        accepted.len()
    );
    assert_eq!(accepted.len(), CLIENTS);
    let codes: std::collections::BTreeSet<&str> =
        accepted.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes.len(), 1, "one code for the integration: {codes:?}");

    // Numbers follow widget versions.
    accepted.sort_by_key(|a| a.number);
    for pair in accepted.windows(2) {
        assert_eq!(
            widgetry_registry::compare_versions(&pair[1].widget_version, &pair[0].widget_version),
            std::cmp::Ordering::Greater,
            "{} then {}",
            pair[0].widget_version,
            pair[1].widget_version
        );
    }
    assert_versions_served(&s, &token, id, &accepted).await;
    let integration = get_json(&s, &token, &format!("/api/v1/integrations/{id}")).await;
    assert_eq!(integration["latest_version"], CLIENTS);
    assert_eq!(s.upload_leftovers(), 0);
}

/// Snapshot of what a user sees through the API.
/// The answers of `paths`, without `files_base_url`: a signed URL's expiry moves with the
/// clock (files URLs from before a restart are checked separately).
async fn snapshot(s: &TestServer, token: &str, paths: &[String]) -> Vec<serde_json::Value> {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("files_base_url");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for path in paths {
        let mut v = get_json(s, token, path).await;
        strip(&mut v);
        out.push(v);
    }
    out
}

/// Uploads, tokens, a session and an installation; a graceful stop; a new server on the same
/// data folder and database: everything is still there, byte for byte, and work goes on.
async fn restart_keeps_everything(db: Db) {
    let s = db.server(|_| {}).await;
    let all = [Scope::Upload, Scope::Install, Scope::Admin];
    let admin = s.token("a@example.org", "alpha", Role::Admin, &all).await;
    let upload_only = s.token_for("a@example.org", &[Scope::Upload]).await;
    let session = s.login("a@example.org").await;
    let other = s
        .token("b@example.org", "beta", Role::Admin, &[Scope::Upload])
        .await;

    let first = s.integration(&admin).await;
    let second = s.integration(&upload_only).await;
    let foreign = s.integration(&other).await;
    let mut accepted: BTreeMap<i64, Vec<Accepted>> = BTreeMap::new();
    for (id, token, versions) in [
        (first, &admin, &["1.0.0", "1.1.0", "2.0.0"][..]),
        (second, &upload_only, &["0.1.0"][..]),
        (foreign, &other, &["3.0.0"][..]),
    ] {
        for v in versions {
            let url = s.url(&format!("/api/v1/integrations/{id}/versions"));
            let a = upload_until_accepted(
                s.client.clone(),
                url,
                token.clone(),
                format!("integration {id}"),
                v.to_string(),
            )
            .await;
            assert_eq!(a.attempts, 1);
            accepted.entry(id).or_default().push(a);
        }
    }
    let code = accepted[&first][0].code.clone();
    let r = s
        .post(&format!("/api/v4/widgets/{code}"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"settings": {"api_key": "k"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // The owner's signed URL, handed out before the restart: it must work after it (the
    // URL-signing key is kept in the data folder).
    let script = format!("{}/script.js", s.files_base(&admin, first, 3).await);
    assert!(script.contains("/~"), "{script}");
    let etag = s.client.get(&script).send().await.unwrap().headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();

    let mut paths = vec![
        "/api/v1/me".to_string(),
        "/api/v1/integrations".to_string(),
        "/api/v1/catalog".to_string(),
        format!("/api/v4/widgets/{code}"),
    ];
    for id in [first, second] {
        paths.push(format!("/api/v1/integrations/{id}"));
        paths.push(format!("/api/v1/integrations/{id}/versions"));
        for a in &accepted[&id] {
            paths.push(format!("/api/v1/integrations/{id}/versions/{}", a.number));
        }
    }
    let before = snapshot(&s, &admin, &paths).await;
    let tokens_before = get_json(&s, &admin, "/api/v1/tokens").await;
    let data_dir = s.data.path().to_path_buf();

    let s = s.restart().await;
    assert_eq!(s.data.path(), data_dir);

    // The same answers, byte for byte.
    let after = snapshot(&s, &admin, &paths).await;
    for ((path, b), a) in paths.iter().zip(&before).zip(&after) {
        assert_eq!(b, a, "GET {path} changed across the restart");
    }
    // Tokens: the same ones (the last use moves on, so compare ids, names and scopes).
    let tokens_after = get_json(&s, &admin, "/api/v1/tokens").await;
    let summary = |v: &serde_json::Value| -> Vec<(i64, String, serde_json::Value)> {
        v["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_i64().unwrap(),
                    t["name"].as_str().unwrap().to_string(),
                    t["scopes"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(summary(&tokens_before), summary(&tokens_after));
    assert_eq!(summary(&tokens_after).len(), 2);
    // Every token and the session still authenticate.
    for token in [&admin, &upload_only, &other] {
        let r = s.get("/api/v1/me").bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    let r = s
        .get("/api/v1/me")
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let me: serde_json::Value = r.json().await.unwrap();
    assert_eq!(me["csrf_token"], session.csrf.as_str());

    // Every file of every version, with the same ETag.
    for (id, token) in [(first, &admin), (second, &upload_only), (foreign, &other)] {
        assert_versions_served(&s, token, id, &accepted[&id]).await;
    }
    let r = s
        .client
        .get(&script)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    // Still private to its account: without the signature, no one gets it.
    let r = s
        .client
        .get(s.public_file(&code, "2.0.0", "script.js"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Work goes on: the next upload gets the next number, under the same code.
    let url = s.url(&format!("/api/v1/integrations/{first}/versions"));
    let a = upload_until_accepted(
        s.client.clone(),
        url,
        admin.clone(),
        "after restart".into(),
        "2.0.0".into(),
    )
    .await;
    assert_eq!((a.number, a.widget_version.as_str()), (4, "2.0.1"));
    assert_eq!(a.code, code);
    assert_eq!(s.upload_leftovers(), 0);
}
