//! The files origin over HTTP: widget files only on their own listener, which reads no cookie
//! and no `Authorization`; signed prefixes for the owner account's private versions (valid,
//! expired, tampered, reused for another integration, missing); public files without one; the
//! headers per content type (documents sandboxed and sent as attachments); CORS; the main
//! origin's redirect; the base URLs the API hands each caller; and the moderators' file routes
//! on the main origin, which never serve a document.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};
use widgetry_registry::{Role, Scope};
use widgetry_server::files::signing::UrlSigner;

/// A page that, opened on the main origin, would take over the viewer's account.
const EVIL_HTML: &str = "<!doctype html><title>x</title><script>\
fetch('/api/v1/me').then(r => r.json()).then(me => fetch('/api/v1/tokens', {method: 'POST', \
headers: {'content-type': 'application/json', 'x-csrf-token': me.csrf_token}, \
body: JSON.stringify({name: 'pwned', scopes: ['upload', 'submit', 'install', 'admin']})}));\
</script>";
const EVIL_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"fetch('/api/v1/me')\"><circle r=\"5\"/></svg>";

/// The publishable widget plus files of every kind a package may carry.
fn package(name: &str, version: &str) -> Vec<u8> {
    let mut files = publishable_files(name, version);
    for (path, bytes) in [
        ("extra/evil.html", EVIL_HTML.as_bytes().to_vec()),
        ("extra/evil.svg", EVIL_SVG.as_bytes().to_vec()),
        ("extra/feed.xml", b"<?xml version=\"1.0\"?><a/>".to_vec()),
        ("extra/manual.pdf", b"%PDF-1.4\n%%EOF\n".to_vec()),
        ("extra/blob.bin", vec![0, 1, 2, 3]),
        ("extra/style.css", b".deal-notes-widget{color:red}".to_vec()),
        ("templates/card.twig", b"<div>{{ name }}</div>".to_vec()),
    ] {
        files.push((path.to_string(), bytes));
    }
    zip(&files)
}

/// A submission of version `number` that passes every submission rule.
fn submission(number: i64) -> Value {
    json!({
        "version": number,
        "languages": ["en", "ru"],
        "description": {
            "en": "Shows deal notes. Support: +7 495 215-37-84, help@vendor-widgets.ru",
            "ru": "Показывает заметки. Поддержка: +7 495 215-37-84, help@vendor-widgets.ru"
        },
        "instructions": {"en": "Install it and open a lead.", "ru": "Установите и откройте сделку."},
        "support_phone": "+7 495 215-37-84",
        "support_email": "help@vendor-widgets.ru"
    })
}

struct World {
    s: TestServer,
    /// Owner account `vendor`: upload, submit, install.
    dev: String,
    /// Another account `shop`.
    shop: String,
    moderator: String,
    id: i64,
    code: String,
}

async fn world(db: Db) -> World {
    let s = db.server(|_| {}).await;
    let dev = s
        .token(
            "dev@vendor.test",
            "vendor",
            Role::Admin,
            &[Scope::Upload, Scope::Submit, Scope::Install],
        )
        .await;
    let shop = s
        .token(
            "admin@shop.test",
            "shop",
            Role::Admin,
            &[Scope::Upload, Scope::Install],
        )
        .await;
    s.moderator("mod@platform.test", "platform").await;
    let moderator = s.token_for("mod@platform.test", &[Scope::Moderate]).await;
    let id = s.integration(&dev).await;
    let r = s.upload(&dev, id, package("Deal Notes", "1.0.0")).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let v: Value = r.json().await.unwrap();
    let code = v["version"]["code"].as_str().unwrap().to_string();
    World {
        s,
        dev,
        shop,
        moderator,
        id,
        code,
    }
}

impl World {
    async fn get(&self, url: &str) -> reqwest::Response {
        self.s.client.get(url).send().await.unwrap()
    }

    async fn json(&self, token: &str, path: &str) -> Value {
        let r = self.s.get(path).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.unwrap()
    }

    /// Submits version `number` and approves it.
    async fn publish(&self, number: i64) {
        let r = self
            .s
            .post(&format!("/api/v1/integrations/{}/submissions", self.id))
            .bearer_auth(&self.dev)
            .json(&submission(number))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let sid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let r = self
            .s
            .post(&format!("/api/v1/moderation/submissions/{sid}/approve"))
            .bearer_auth(&self.moderator)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    }

    /// The signer of this server's key (read from the data folder, as a second process
    /// sharing it would).
    fn signer(&self) -> UrlSigner {
        UrlSigner::load_or_generate(&self.s.data.path().join("url-signing.key"))
            .unwrap()
            .0
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn assert_not_found(r: reqwest::Response, what: &str) {
    assert_eq!(r.status(), 404, "{what}");
    assert_eq!(r.headers()["access-control-allow-origin"], "*", "{what}");
    let p = problem(r).await;
    assert_eq!(p["code"], "not_found", "{what}");
}

/// Signed prefixes: the owner's works; expired, tampered, reused and missing ones are 404,
/// and none of them needs or reads a credential.
async fn signatures(db: Db) {
    let w = world(db).await;
    let code = &w.code;
    let base = w.s.files_base(&w.dev, w.id, 1).await;
    let prefix = format!("{}/{code}/1.0.0/~", w.s.files_url(""));
    assert!(base.starts_with(&prefix), "{base}");
    let segment = base.rsplit('/').next().unwrap().to_string();
    let (expires, signature) = segment[1..].split_once('.').unwrap();
    let expires: u64 = expires.parse().unwrap();
    assert!(
        expires >= unix_now() + 12 * 3600 - 60,
        "the default lifetime is 12 hours"
    );

    // Valid: served, private, cached until the signature expires.
    let r = w.get(&format!("{base}/script.js")).await;
    assert_eq!(r.status(), 200);
    let max_age: u64 = r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .strip_prefix("private, max-age=")
        .unwrap()
        .parse()
        .unwrap();
    assert!(max_age > 12 * 3600 - 60 && max_age <= expires - unix_now() + 1);
    assert!(r.text().await.unwrap().contains("define"));
    // The widget's own relative requests under the same prefix.
    let r = w.get(&format!("{base}/templates/card.twig")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "<div>{{ name }}</div>");
    let r = w.get(&format!("{base}/i18n/en.json")).await;
    assert_eq!(r.status(), 200);

    // No signature: a private version is not served to anyone.
    let public = w.s.public_file(code, "1.0.0", "script.js");
    assert_not_found(w.get(&public).await, "private without signature").await;
    // Expired.
    let signer = w.signer();
    let past = signer.sign(code, "1.0.0", unix_now() - 1);
    assert_not_found(
        w.get(&format!(
            "{}/{code}/1.0.0/{past}/script.js",
            w.s.files_url("")
        ))
        .await,
        "expired",
    )
    .await;
    // Tampered: the expiry, the signature, the code or the version.
    let files = w.s.files_url("");
    let mut flipped = signature.to_string();
    let last = flipped.pop().unwrap();
    flipped.push(if last == '0' { '1' } else { '0' });
    for (what, url) in [
        (
            "a later expiry",
            format!(
                "{files}/{code}/1.0.0/~{}.{signature}/script.js",
                expires + 3600
            ),
        ),
        (
            "an altered signature",
            format!("{files}/{code}/1.0.0/~{expires}.{flipped}/script.js"),
        ),
        (
            "a shortened signature",
            format!(
                "{files}/{code}/1.0.0/~{expires}.{}/script.js",
                &signature[..signature.len() - 2]
            ),
        ),
        (
            "no signature after the tilde",
            format!("{files}/{code}/1.0.0/~{expires}/script.js"),
        ),
    ] {
        assert_not_found(w.get(&url).await, what).await;
    }

    // A second version: the first one's prefix does not open it.
    let r =
        w.s.upload(&w.dev, w.id, package("Deal Notes", "1.0.1"))
            .await;
    assert_eq!(r.status(), 201);
    let other_version = base.replace("/1.0.0/", "/1.0.1/");
    assert_not_found(
        w.get(&format!("{other_version}/script.js")).await,
        "another version",
    )
    .await;
    // Another integration (of another account): the prefix does not carry over.
    let theirs = w.s.integration(&w.shop).await;
    let r =
        w.s.upload(&w.shop, theirs, package("Shop Tool", "1.0.0"))
            .await;
    assert_eq!(r.status(), 201);
    let their_code = r.json::<Value>().await.unwrap()["version"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_not_found(
        w.get(&(base.replace(code.as_str(), &their_code) + "/script.js"))
            .await,
        "reused for another integration",
    )
    .await;
    // And the files origin reads no credentials: the owner's token, its session cookie or a
    // garbled header change nothing.
    let session = w.s.login("dev@vendor.test").await;
    for (name, value) in [
        ("authorization", format!("Bearer {}", w.dev)),
        ("cookie", session.cookie.clone()),
        ("authorization", "Basic Zm9vOmJhcg==".to_string()),
        ("authorization", "garbage".to_string()),
    ] {
        let r =
            w.s.client
                .get(&public)
                .header(name, &value)
                .send()
                .await
                .unwrap();
        assert_not_found(r, &format!("private file with {name}")).await;
        let r =
            w.s.client
                .get(format!("{base}/script.js"))
                .header(name, &value)
                .send()
                .await
                .unwrap();
        assert_eq!(r.status(), 200, "signed file with {name}");
    }
    // Nothing was created along the way.
    let tokens: Value =
        w.s.get("/api/v1/tokens")
            .header("cookie", &session.cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(tokens["tokens"].as_array().unwrap().len(), 1, "{tokens}");

    // Published: the public URL needs no signature and is cached for good.
    w.publish(1).await;
    let r = w.get(&public).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    // The still unpublished 1.0.1 stays hidden.
    assert_not_found(
        w.get(&w.s.public_file(code, "1.0.1", "script.js")).await,
        "unpublished update",
    )
    .await;
}

/// Headers per content type: every answer `nosniff`, CORS open, cross-origin resource
/// policy; documents sandboxed and sent as attachments; ETags and 304s.
async fn headers_by_content_type(db: Db) {
    let w = world(db).await;
    let base = w.s.files_base(&w.dev, w.id, 1).await;
    let document = [
        ("extra/evil.html", "text/html; charset=utf-8"),
        ("extra/evil.svg", "image/svg+xml"),
        ("extra/feed.xml", "application/xml"),
        ("extra/manual.pdf", "application/pdf"),
        ("extra/blob.bin", "application/octet-stream"),
    ];
    let inline = [
        ("script.js", "text/javascript; charset=utf-8"),
        ("extra/style.css", "text/css; charset=utf-8"),
        ("i18n/en.json", "application/json"),
        ("templates/card.twig", "text/plain; charset=utf-8"),
        ("images/logo_main.png", "image/png"),
    ];
    for (path, content_type) in document.iter().chain(&inline) {
        let r = w.get(&format!("{base}/{path}")).await;
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers();
        assert_eq!(h["content-type"], *content_type, "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["access-control-allow-origin"], "*", "{path}");
        assert_eq!(h["cross-origin-resource-policy"], "cross-origin", "{path}");
        assert!(h.get("set-cookie").is_none(), "{path}");
        let is_document = document.iter().any(|(p, _)| p == path);
        if is_document {
            assert_eq!(
                h["content-security-policy"], "sandbox; default-src 'none'",
                "{path}"
            );
            assert_eq!(h["content-disposition"], "attachment", "{path}");
        } else {
            assert!(h.get("content-security-policy").is_none(), "{path}");
            assert!(h.get("content-disposition").is_none(), "{path}");
        }
    }
    // The strong ETag is the content hash; a match answers 304 with the same headers.
    let url = format!("{base}/extra/evil.html");
    let r = w.get(&url).await;
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    assert!(etag.starts_with('"') && etag.len() == 66, "{etag}");
    let r =
        w.s.client
            .get(&url)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["etag"], etag.as_str());
    assert_eq!(
        r.headers()["content-security-policy"],
        "sandbox; default-src 'none'"
    );
    assert!(r.bytes().await.unwrap().is_empty());
    // HEAD answers the headers only, with the length.
    let r = w.s.client.head(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-disposition"], "attachment");
    assert_eq!(
        r.headers()["content-length"].to_str().unwrap(),
        EVIL_HTML.len().to_string()
    );
    assert!(r.bytes().await.unwrap().is_empty());
    // A CORS preflight from a CRM page.
    let r =
        w.s.client
            .request(reqwest::Method::OPTIONS, format!("{base}/i18n/en.json"))
            .header("origin", "https://shop.amocrm.ru")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "x-requested-with")
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(
        r.headers()["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("GET")
    );
    assert_eq!(
        r.headers()["access-control-allow-headers"],
        "x-requested-with"
    );
    // A file that is not there, and a path that is no file route.
    assert_not_found(w.get(&format!("{base}/nope.js")).await, "missing file").await;
    assert_not_found(w.get(&w.s.files_url("/api/v1/me")).await, "no API here").await;
    assert_not_found(w.get(&w.s.files_url("/")).await, "no pages here").await;
    // The files origin carries no page: the sign-in page and the API are not there.
    let r =
        w.s.client
            .post(w.s.files_url("/api/v1/tokens"))
            .json(&json!({"name": "x", "scopes": ["admin"]}))
            .send()
            .await
            .unwrap();
    assert!(r.status() == 404 || r.status() == 405, "{}", r.status());
}

/// The main origin serves no widget file: it redirects to the files origin, where a private
/// file is 404 whatever the main origin's credentials were.
async fn main_origin_redirects(db: Db) {
    let w = world(db).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let path = format!("/widgets/{}/1.0.0/images/logo_main.png", w.code);
    let session = w.s.login("dev@vendor.test").await;
    let r = no_redirects
        .get(w.s.url(&path))
        .header("cookie", &session.cookie)
        .bearer_auth(&w.dev)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 308);
    assert_eq!(
        r.headers()["location"],
        w.s.public_file(&w.code, "1.0.0", "images/logo_main.png")
            .as_str()
    );
    assert!(
        r.bytes().await.unwrap().is_empty(),
        "no file body on the main origin"
    );
    // Followed by a browser: the private file is not served, credentials or not.
    let r =
        w.s.client
            .get(w.s.url(&path))
            .header("cookie", &session.cookie)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 404);
    // Once published, the redirect leads to the file.
    w.publish(1).await;
    let r = w.s.client.get(w.s.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
}

/// The API hands each caller the base URL it may use: the owner a signed one for a private
/// version, everyone the public one for a published version, and no one else a signed URL.
async fn api_hands_out_base_urls(db: Db) {
    let w = world(db).await;
    let files = w.s.files_url("");
    let signed = format!("{files}/{}/1.0.0/~", w.code);
    let public = format!("{files}/{}/1.0.0", w.code);
    let versions = w
        .json(&w.dev, &format!("/api/v1/integrations/{}/versions", w.id))
        .await;
    assert!(
        versions["versions"][0]["files_base_url"]
            .as_str()
            .unwrap()
            .starts_with(&signed)
    );
    let catalog = w.json(&w.dev, "/api/v1/catalog").await;
    assert!(
        catalog["integrations"][0]["live_version"]["files_base_url"]
            .as_str()
            .unwrap()
            .starts_with(&signed)
    );
    let widget = w.json(&w.dev, &format!("/api/v4/widgets/{}", w.code)).await;
    let base = widget["files_base_url"].as_str().unwrap();
    assert!(base.starts_with(&signed), "{widget}");
    assert_eq!(widget["_links"]["files"]["href"], base);
    let list = w.json(&w.dev, "/api/v4/widgets").await;
    assert!(
        list["_embedded"]["widgets"][0]["files_base_url"]
            .as_str()
            .unwrap()
            .starts_with(&signed)
    );
    // The other account sees nothing of it, so no URL at all.
    let r =
        w.s.get(&format!("/api/v4/widgets/{}", w.code))
            .bearer_auth(&w.shop)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 404);

    // Published, then updated: the owner gets the public URL of 1.0.0 and a signed one of
    // 1.0.1; the other account only ever the public one of 1.0.0.
    w.publish(1).await;
    let r =
        w.s.upload(&w.dev, w.id, package("Deal Notes", "1.0.1"))
            .await;
    assert_eq!(r.status(), 201);
    let up: Value = r.json().await.unwrap();
    assert!(
        up["version"]["files_base_url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{files}/{}/1.0.1/~", w.code))
    );
    let mine = w
        .json(&w.dev, &format!("/api/v1/integrations/{}/versions", w.id))
        .await;
    let by_version = |list: &Value, v: &str| -> Option<String> {
        list["versions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["widget_version"] == v)
            .map(|x| x["files_base_url"].as_str().unwrap().to_string())
    };
    assert_eq!(by_version(&mine, "1.0.0").unwrap(), public);
    assert!(by_version(&mine, "1.0.1").unwrap().contains("/1.0.1/~"));
    let theirs = w
        .json(&w.shop, &format!("/api/v1/integrations/{}/versions", w.id))
        .await;
    assert_eq!(by_version(&theirs, "1.0.0").unwrap(), public);
    assert_eq!(by_version(&theirs, "1.0.1"), None);
    let shop_view = w
        .json(&w.shop, &format!("/api/v4/widgets/{}", w.code))
        .await;
    assert_eq!(shop_view["files_base_url"], public.as_str());
    let shop_catalog = w.json(&w.shop, "/api/v1/catalog").await;
    assert_eq!(
        shop_catalog["integrations"][0]["live_version"]["files_base_url"],
        public.as_str()
    );
    // No answer to the other account carries a signature anywhere.
    for path in [
        "/api/v1/catalog".to_string(),
        "/api/v4/widgets".to_string(),
        format!("/api/v4/widgets/{}", w.code),
        format!("/api/v1/integrations/{}/versions", w.id),
        format!("/api/v1/integrations/{}/versions/1", w.id),
    ] {
        let text =
            w.s.get(&path)
                .bearer_auth(&w.shop)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
        assert!(!text.contains("/~"), "GET {path}: {text}");
    }
}

/// The moderators' file routes on the main origin never answer a document: markup is plain
/// text, images are bitmaps only, always sandboxed and `nosniff`.
async fn moderators_files_are_never_documents(db: Db) {
    let w = world(db).await;
    let r =
        w.s.post(&format!("/api/v1/integrations/{}/submissions", w.id))
            .bearer_auth(&w.dev)
            .json(&submission(1))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let session = w.s.login("mod@platform.test").await;
    for path in [
        "extra/evil.html",
        "extra/evil.svg",
        "extra/feed.xml",
        "extra/manual.pdf",
        "extra/blob.bin",
        "images/logo_main.png",
    ] {
        let api =
            w.s.get(&format!(
                "/api/v1/moderation/submissions/{sid}/files/{path}"
            ))
            .bearer_auth(&w.moderator)
            .send()
            .await
            .unwrap();
        let page =
            w.s.get(&format!("/moderation/{sid}/raw/{path}"))
                .header("cookie", &session.cookie)
                .send()
                .await
                .unwrap();
        for (route, r) in [("api", api), ("page", page)] {
            assert_eq!(r.status(), 200, "{route} {path}");
            let h = r.headers();
            let content_type = h["content-type"].to_str().unwrap();
            if path.ends_with(".png") {
                assert_eq!(content_type, "image/png", "{route} {path}");
            } else {
                assert_eq!(content_type, "text/plain; charset=utf-8", "{route} {path}");
            }
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("sandbox") && csp.contains("default-src 'none'"),
                "{route} {path}: {csp}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff", "{route} {path}");
        }
    }
}

on_both!(
    signatures,
    headers_by_content_type,
    main_origin_redirects,
    api_hands_out_base_urls,
    moderators_files_are_never_documents,
);

/// The signing key lives in the data folder with mode 0600, and a second process started with
/// another key refuses to start rather than sign URLs the first one rejects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_signing_key_is_refused_at_start() {
    let s = TestServer::start().await;
    let key = s.data.path().join("url-signing.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let other_dir = tempfile::tempdir().unwrap();
    let mut config = s.config.clone();
    config.data_dir = other_dir.path().to_path_buf();
    // The service's secrets key is shared as it must be; only the URL-signing key differs.
    config.secrets_key_file = Some(s.data.path().join("secrets.key"));
    config.database_url = Some(
        s.config
            .database_url
            .clone()
            .unwrap_or_else(|| widgetry_registry::Registry::default_database_url(s.data.path())),
    );
    let refused = widgetry_server::AppState::open(config.clone()).await;
    let message = match refused {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a process with another key started"),
    };
    assert!(message.contains("same key"), "{message}");
    // With the same key file, it starts.
    config.url_signing_key_file = Some(key);
    assert!(widgetry_server::AppState::open(config).await.is_ok());
}

/// A files URL on the same registrable domain as the pages is refused at start; on the same
/// local host it is accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_url_must_be_another_site() {
    let data = tempfile::tempdir().unwrap();
    let config = widgetry_server::ServerConfig {
        data_dir: data.path().to_path_buf(),
        public_url: Some(url::Url::parse("https://widgets.example.com").unwrap()),
        files_url: Some(url::Url::parse("https://files.widgets.example.com").unwrap()),
        ..widgetry_server::ServerConfig::default()
    };
    let message = match widgetry_server::AppState::open(config.clone()).await {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a same-site files origin was accepted"),
    };
    assert!(message.contains("same site (example.com)"), "{message}");
    let config = widgetry_server::ServerConfig {
        files_url: Some(url::Url::parse("https://widgets-files.example.net").unwrap()),
        ..config
    };
    assert!(widgetry_server::AppState::open(config).await.is_ok());
}
