//! What an attacker on the open internet, and a bad day, can do to a running server: one test
//! per weakness found against the release binary, each asserting the status, the error code
//! and that nothing changed.
//!
//! Client addresses are simulated with `X-Forwarded-For` on servers that trust 127.0.0.1 as
//! their proxy (`--trusted-proxy`); elsewhere the header is ignored.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;
use crate::support::*;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use widgetry_registry::{FREE_SIGN_IN_ATTEMPTS, Role, Scope};

fn behind_local_proxy(c: &mut widgetry_server::ServerConfig) {
    c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
}

async fn sign_in(s: &TestServer, from: &str, email: &str, password: &str) -> reqwest::Response {
    s.post("/api/v1/session")
        .header("x-forwarded-for", from)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn sessions(s: &TestServer) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM sessions")
        .fetch_one(s.registry.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// Wrong passwords from `from` until the server answers one with a back-off of at least
/// `at_least` seconds (each counted guess doubles it). The next attempt from `from` then
/// falls inside that back-off however slow the machine is: the back-off runs from when a
/// guess was counted, before its password was hashed, so a short one can run out while a
/// slow machine hashes.
async fn back_off_at_least(s: &TestServer, from: &str, at_least: u64) {
    for _ in 0..16 {
        let guess = sign_in(s, from, "dev@vendor.test", "wrong password").await;
        match guess.status().as_u16() {
            401 => {}
            429 => {
                let wait: u64 = guess.headers()["retry-after"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                if wait >= at_least {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
            other => panic!("{other}"),
        }
    }
    panic!("{from} never had a back-off of {at_least} s");
}

/// Parallel wrong passwords are counted before they are checked (or turned away as busy
/// past the hashing places): a handful get through,
/// the rest are refused without costing a password hash; and that address's owner, from
/// their own address, still signs in (the attacker cannot lock them out).
async fn sign_in_throttle_counts_first_and_locks_no_one_out(db: Db) {
    let s = db.server(behind_local_proxy).await;
    s.user("dev@vendor.test", "vendor", Role::Admin).await;
    let attacker = "203.0.113.66";
    let attempts: Vec<_> = (0..30)
        .map(|_| sign_in(&s, attacker, "dev@vendor.test", "wrong password"))
        .collect();
    let answers = futures_util::future::join_all(attempts).await;
    let checked = answers.iter().filter(|r| r.status() == 401).count();
    let refused = answers.iter().filter(|r| r.status() == 429).count();
    // Past the password-hashing places (nine per slot) a caller is turned away at once,
    // before it is counted: 503 busy, also without a hash.
    let busy = answers.iter().filter(|r| r.status() == 503).count();
    assert_eq!(checked + refused + busy, 30, "every answer 401, 429 or 503");
    assert!(refused >= 1, "{refused} refused as too many attempts");
    // One more may slip in if the machine stalls past the first one-second wait.
    assert!(
        (1..=FREE_SIGN_IN_ATTEMPTS as usize + 1).contains(&checked),
        "{checked} wrong passwords were checked"
    );
    for r in answers.into_iter().filter(|r| r.status() != 401) {
        let status = r.status();
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(wait >= 1, "{wait}");
        let code = if status == 429 {
            "auth.too_many_attempts"
        } else {
            "busy"
        };
        assert_eq!(problem(r).await["code"], code);
    }
    // With a back-off running, the right password from the attacker's address: refused, no
    // session.
    back_off_at_least(&s, attacker, 4).await;
    let r = sign_in(&s, attacker, "dev@vendor.test", PASSWORD).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("set-cookie").is_none());
    assert_eq!(sessions(&s).await, 0);
    // The owner from their own address: signed in.
    let r = sign_in(&s, "198.51.100.7", "dev@vendor.test", PASSWORD).await;
    assert_eq!(r.status(), 200);
    assert_eq!(sessions(&s).await, 1);
    // The sign-in page keeps the same count.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (pairing, body) = s.login_form(&client, "dev@vendor.test", "/catalog").await;
    let post = |from: &'static str| {
        client
            .post(s.url("/login"))
            .header("cookie", &pairing)
            .header("x-forwarded-for", from)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
    };
    // A back-off running again (however slow the machine was over the requests above).
    back_off_at_least(&s, attacker, 4).await;
    let r = post(attacker).await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    assert_eq!(sessions(&s).await, 1);
    let r = post("198.51.100.7").await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(sessions(&s).await, 2);
    // A header from a client that is not the trusted proxy picks no address: the default
    // server ignores it (tested with the limiter below).
}

/// One client address may try only so many sign-ins and token creations a minute, whatever
/// the e-mail addresses; other clients are not affected; refused ones create nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_client_rate_limits() {
    let s = TestServer::start_on(None, |c| {
        behind_local_proxy(c);
        c.rate_limits = widgetry_server::clients::RateLimits {
            sign_in_per_minute: 6,
            tokens_per_minute: 4,
            validate_per_minute: 4,
        };
    })
    .await;
    s.user("dev@vendor.test", "vendor", Role::Admin).await;
    // Random e-mail addresses from one client: the burst (3) is checked, then 429.
    let mut statuses = Vec::new();
    for i in 0..5 {
        let r = sign_in(&s, "203.0.113.7", &format!("nobody{i}@x.test"), "guess").await;
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert!(r.headers().get("retry-after").is_some());
            assert_eq!(problem(r).await["code"], "rate.limited");
        }
    }
    assert_eq!(statuses, vec![401, 401, 401, 429, 429]);
    // Another client is not affected.
    let r = sign_in(&s, "198.51.100.7", "dev@vendor.test", PASSWORD).await;
    assert_eq!(r.status(), 200);
    let csrf = r.json::<Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    // The header means nothing without the trusted proxy in between: a server that trusts
    // no proxy counts the peer, whatever the client claims.
    let direct = TestServer::start_on(None, |c| {
        c.rate_limits.sign_in_per_minute = 2;
    })
    .await;
    let mut statuses = Vec::new();
    for i in 0..3 {
        let r = sign_in(&direct, &format!("10.9.9.{i}"), "nobody@x.test", "guess").await;
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, vec![401, 429, 429]);
    // Token creations: 2 then 429, nothing created by the refused ones.
    let login = s
        .post("/api/v1/session")
        .header("x-forwarded-for", "198.51.100.8")
        .json(&json!({"email": "dev@vendor.test", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf2 = login.json::<Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    let _ = csrf;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let r = s
            .post("/api/v1/tokens")
            .header("x-forwarded-for", "198.51.100.9")
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf2)
            .json(&json!({"name": "t", "scopes": ["upload"]}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, vec![201, 201, 429, 429]);
    let listed: Value = s
        .get("/api/v1/tokens")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["tokens"].as_array().unwrap().len(), 2);
}

/// A redirect never leaves the site, however the target is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_stay_on_the_site() {
    let s = TestServer::start().await;
    s.user("dev@vendor.test", "vendor", Role::Admin).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = s.page_login(&client, "dev@vendor.test", "/catalog").await;
    let cookie = support::cookie_pair(&r, "widgetry_session").unwrap();
    for next in [
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "/%5Cevil.example",
        "//evil.example",
        "/%2F/evil.example",
        "https://evil.example/",
        "/\u{0}/evil.example",
    ] {
        for path in [
            format!("/login?next={next}"),
            format!("/lang?to=ru&next={next}"),
        ] {
            let r = client
                .get(s.url(&path))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_redirection(), "{path}: {}", r.status());
            let location = r.headers()["location"].to_str().unwrap();
            assert!(
                location.starts_with('/')
                    && !location.starts_with("//")
                    && !location.contains('\\'),
                "{path} -> {location}"
            );
            assert!(
                !location.contains("evil.example") || location.starts_with("/%"),
                "{path} -> {location}"
            );
        }
    }
}

/// A connection that sends its headers too slowly, or nothing at all, is closed; idle
/// connections do not keep new ones out for long; a body that trickles is cut at its
/// deadline and stores nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_silent_connections_are_closed() {
    let s = TestServer::start_on(None, |c| {
        c.connections.header_timeout = Duration::from_secs(1);
        c.connections.body_timeout = Duration::from_secs(1);
        c.connections.max_connections = 4;
    })
    .await;
    s.user("dev@vendor.test", "vendor", Role::Admin).await;
    // Silent, and a byte at a time: both closed (EOF) within a few seconds.
    let mut silent = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let mut trickle = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let trickler = tokio::spawn(async move {
        for b in b"GET /healthz/live HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
            if trickle.write_all(&[*b]).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut buf = [0u8; 256];
        matches!(trickle.read(&mut buf).await, Ok(0) | Err(_))
    });
    let mut buf = [0u8; 64];
    let closed = tokio::time::timeout(Duration::from_secs(10), silent.read(&mut buf)).await;
    assert!(
        matches!(closed, Ok(Ok(0)) | Ok(Err(_))),
        "the silent connection is still open"
    );
    assert!(
        tokio::time::timeout(Duration::from_secs(15), trickler)
            .await
            .unwrap()
            .unwrap(),
        "the trickling connection was not closed"
    );
    // More idle connections than the limit: new requests are still served (the oldest
    // connections are closed to make room).
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(tokio::net::TcpStream::connect(s.addr).await.unwrap());
    }
    let r = tokio::time::timeout(Duration::from_secs(15), s.get("/healthz/live").send())
        .await
        .expect("a request behind idle connections was never served")
        .unwrap();
    assert_eq!(r.status(), 200);
    drop(idle);
    // A JSON body that never completes: cut at its deadline, nothing signed in.
    let mut slow = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    slow.write_all(
        b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"email\": \"dev@vendor.test\",",
    )
    .await
    .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the trickling body was never cut");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
        "{answer}"
    );
    assert_eq!(sessions(&s).await, 0);
}

/// A submission inflates the version's archive again: it waits for a validation slot like an
/// upload (a blocked submission changes nothing, so it could be repeated at will).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_take_a_validation_slot() {
    let s = TestServer::start_on(None, |c| c.max_concurrent_checks = 1).await;
    let dev = s
        .token(
            "dev@vendor.test",
            "vendor",
            Role::Admin,
            &[Scope::Upload, Scope::Submit],
        )
        .await;
    let id = s.integration(&dev).await;
    assert_eq!(
        s.upload(&dev, id, publishable_zip("Notes", "1.0.0"))
            .await
            .status(),
        201
    );
    let slot = s.registry.check_slot().await.unwrap();
    let submit = {
        let request = s
            .post(&format!("/api/v1/integrations/{id}/submissions"))
            .bearer_auth(&dev)
            .json(&json!({
                "languages": ["en"],
                "description": {"en": "Notes. Support: +7 495 215-37-84, help@vendor-widgets.ru"},
                "instructions": {"en": "Install it and open a lead."},
                "support_phone": "+7 495 215-37-84",
                "support_email": "help@vendor-widgets.ru"
            }));
        tokio::spawn(request.send())
    };
    // While the only slot is held, the submission waits.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !submit.is_finished(),
        "the submission was checked without a slot"
    );
    drop(slot);
    let r = tokio::time::timeout(Duration::from_secs(30), submit)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// Reads one server-sent events stream until it ends or `within` passes; the event kinds.
async fn events_until_end(r: reqwest::Response, within: Duration) -> (Vec<String>, bool) {
    use futures_util::StreamExt;
    let mut body = r.bytes_stream();
    let mut text = String::new();
    let ended = tokio::time::timeout(within, async {
        while let Some(chunk) = body.next().await {
            match chunk {
                Ok(c) => text.push_str(&String::from_utf8_lossy(&c)),
                Err(_) => break,
            }
        }
    })
    .await
    .is_ok();
    let kinds = text
        .lines()
        .filter_map(|l| l.strip_prefix("event:"))
        .map(|k| k.trim().to_string())
        .collect();
    (kinds, ended)
}

/// A stream ends with its credential: after the token is revoked the next event is not
/// delivered and the stream closes; and a shutdown ends open streams at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_streams_end_with_their_credentials_and_on_shutdown() {
    let s = TestServer::start().await;
    let watcher = s
        .token("dev@vendor.test", "vendor", Role::Admin, &[Scope::Upload])
        .await;
    let uploader = s.token_for("dev@vendor.test", &[Scope::Upload]).await;
    let id = s.integration(&uploader).await;
    let stream = s
        .get(&format!("/api/v1/integrations/{id}/events"))
        .bearer_auth(&watcher)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    // Revoke the watcher's token (through a session of the same user).
    let session = s.login("dev@vendor.test").await;
    let tokens: Value = s
        .get("/api/v1/tokens")
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let watcher_id = tokens["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| watcher.starts_with(t["prefix"].as_str().unwrap()))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = s
        .client
        .delete(s.url(&format!("/api/v1/tokens/{watcher_id}")))
        .header("cookie", &session.cookie)
        .header("x-csrf-token", &session.csrf)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    // An event now: not delivered to the revoked stream, which ends.
    assert_eq!(
        s.upload(&uploader, id, widget_zip("Notes", "1.0.0"))
            .await
            .status(),
        201
    );
    let (kinds, ended) = events_until_end(stream, Duration::from_secs(10)).await;
    assert!(ended, "the stream of a revoked token is still open");
    assert!(kinds.is_empty(), "delivered after revocation: {kinds:?}");

    // Shutdown with a stream open: the stream ends and the server stops promptly.
    let open = s
        .get(&format!("/api/v1/integrations/{id}/events"))
        .bearer_auth(&uploader)
        .send()
        .await
        .unwrap();
    assert_eq!(open.status(), 200);
    let reader = tokio::spawn(events_until_end(open, Duration::from_secs(30)));
    tokio::time::timeout(Duration::from_secs(8), s.stop())
        .await
        .expect("the server did not stop with a stream open");
    let (_, ended) = reader.await.unwrap();
    assert!(ended, "the stream did not end at shutdown");
}

/// The data folder is private, and the secrets the server must keep readable are not in the
/// database in clear: a copy of the database gives away neither webhook secrets nor
/// moderators' test credentials.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_at_rest() {
    // SQLite: the database is a file to read.
    let s = TestServer::start_on(None, |_| {}).await;
    let dev = s
        .token(
            "dev@vendor.test",
            "vendor",
            Role::Admin,
            &[Scope::Upload, Scope::Submit],
        )
        .await;
    s.moderator("mod@platform.test", "platform").await;
    let moderator = s.token_for("mod@platform.test", &[Scope::Moderate]).await;
    let id = s.integration(&dev).await;
    assert_eq!(
        s.upload(&dev, id, publishable_zip("Notes", "1.0.0"))
            .await
            .status(),
        201
    );
    let r = s
        .client
        .put(s.url(&format!("/api/v1/integrations/{id}/webhook")))
        .bearer_auth(&dev)
        .json(&json!({"url": "https://hooks.vendor-widgets.ru/widgetry"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let secret = r.json::<Value>().await.unwrap()["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let credentials = "demo login: qa@vendor-widgets.ru / password: Zt9-very-secret-77";
    let r = s
        .post(&format!("/api/v1/integrations/{id}/submissions"))
        .bearer_auth(&dev)
        .json(&json!({
            "languages": ["en"],
            "description": {"en": "Notes. Support: +7 495 215-37-84, help@vendor-widgets.ru"},
            "instructions": {"en": "Install it and open a lead."},
            "test_credentials": credentials,
            "support_phone": "+7 495 215-37-84",
            "support_email": "help@vendor-widgets.ru"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let sid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // Moderators still read the credentials.
    let seen: Value = s
        .get(&format!("/api/v1/moderation/submissions/{sid}"))
        .bearer_auth(&moderator)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        seen["submission"]["test_credentials"], credentials,
        "{seen}"
    );
    // Stored sealed.
    use sqlx::Row;
    let stored_secret: String = sqlx::query("SELECT secret FROM webhooks")
        .fetch_one(s.registry.pool())
        .await
        .unwrap()
        .try_get("secret")
        .unwrap();
    assert!(stored_secret.starts_with("wgs1:") && !stored_secret.contains(&secret));
    // Nothing in the database files in clear (the WAL included).
    let data = s.data.path();
    let mut stored = Vec::new();
    for name in ["widgetry.db", "widgetry.db-wal"] {
        if let Ok(bytes) = std::fs::read(data.join(name)) {
            stored.extend(bytes);
        }
    }
    assert!(!stored.is_empty());
    let contains = |needle: &str| stored.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(!contains(&secret), "the webhook secret is stored in clear");
    assert!(
        !contains("Zt9-very-secret-77"),
        "test credentials are stored in clear"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(data), 0o700, "the data folder");
        for name in ["widgetry.db", "secrets.key", "url-signing.key"] {
            assert_eq!(mode(&data.join(name)), 0o600, "{name}");
        }
    }
}

/// A legacy integration's secret key never leaves the server: not in the manifest of the
/// version views (the owner's or another account's), not in `manifest.json` as served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_secret_keys_are_not_published() {
    let s = TestServer::start().await;
    let (dev, shop, moderator) = s.vendor_shop_moderator().await;
    let key = "a1".repeat(32);
    let legacy = s
        .registry
        .import_legacy("vendor", "old_notes", &key, Some("Old Notes"))
        .await
        .unwrap();
    let files: Vec<(String, Vec<u8>)> = publishable_files("Old Notes", "1.0.0")
        .into_iter()
        .map(|(path, bytes)| {
            if path != "manifest.json" {
                return (path, bytes);
            }
            let mut m: Value = serde_json::from_slice(&bytes).unwrap();
            m["widget"]["code"] = "old_notes".into();
            m["widget"]["secret_key"] = key.clone().into();
            (path, serde_json::to_vec_pretty(&m).unwrap())
        })
        .collect();
    let r = s.upload(&dev, legacy.id.0, zip(&files)).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let detail: Value = s
        .get(&format!("/api/v1/integrations/{}/versions/1", legacy.id))
        .bearer_auth(&dev)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(detail["manifest"]["widget"].get("secret_key").is_none());
    assert_eq!(detail["manifest"]["widget"]["code"], "old_notes");
    let base = detail["files_base_url"].as_str().unwrap();
    let served = s
        .client
        .get(format!("{base}/manifest.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !served.contains(&key) && !served.contains("secret_key"),
        "{served}"
    );
    // Published: the public manifest and another account's view hold no key either.
    let r = s
        .post(&format!("/api/v1/integrations/{}/submissions", legacy.id))
        .bearer_auth(&dev)
        .json(&json!({
            "languages": ["en", "ru"],
            "description": {
                "en": "Notes. Support: +7 495 215-37-84, help@vendor-widgets.ru",
                "ru": "Заметки. Поддержка: +7 495 215-37-84, help@vendor-widgets.ru"
            },
            "instructions": {"en": "Install it and open a lead.", "ru": "Установите и откройте сделку."},
            "support_phone": "+7 495 215-37-84",
            "support_email": "help@vendor-widgets.ru"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = s
        .post(&format!("/api/v1/moderation/submissions/{sid}/approve"))
        .bearer_auth(&moderator)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let public = s
        .client
        .get(s.public_file("old_notes", "1.0.0", "manifest.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), 200);
    assert!(!public.text().await.unwrap().contains(&key));
    let theirs = s
        .get(&format!("/api/v1/integrations/{}/versions/1", legacy.id))
        .bearer_auth(&shop)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!theirs.contains(&key), "{theirs}");
}

/// Webhook targets in special-purpose ranges the old check missed are refused at delivery,
/// and the refusal is recorded for the owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_refuse_nat64_and_reserved_targets() {
    for target in [
        "http://[64:ff9b::7f00:1]:9/hook",
        "http://[::127.0.0.1]:9/hook",
        "http://198.18.0.1:9/hook",
        "http://240.0.0.1:9/hook",
    ] {
        let s = TestServer::start_on(None, |c| {
            c.webhooks.retry = widgetry_registry::RetryPolicy {
                base_delay_ms: 50,
                max_attempts: 1,
            };
        })
        .await;
        let dev = s
            .token(
                "dev@vendor.test",
                "vendor",
                Role::Admin,
                &[Scope::Upload, Scope::Submit],
            )
            .await;
        let id = s.integration(&dev).await;
        let r = s
            .client
            .put(s.url(&format!("/api/v1/integrations/{id}/webhook")))
            .bearer_auth(&dev)
            .json(&json!({"url": target}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{target}: {}", r.text().await.unwrap());
        assert_eq!(
            s.upload(&dev, id, widget_zip("Notes", "1.0.0"))
                .await
                .status(),
            201
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let delivery = loop {
            let w: Value = s
                .get(&format!("/api/v1/integrations/{id}/webhook"))
                .bearer_auth(&dev)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let d = w["deliveries"][0].clone();
            if d["attempts"].as_i64().unwrap_or(0) >= 1 {
                break d;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{target}: no attempt: {w}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let error = delivery["last_error"].as_str().unwrap_or_default();
        assert!(error.contains("refused"), "{target}: {delivery}");
        assert_ne!(delivery["state"], "delivered", "{target}");
    }
}

on_both!(sign_in_throttle_counts_first_and_locks_no_one_out);

/// Requests with made-up methods do not grow the metrics: their labels are bounded, and the
/// gauges of the process, the database pool and the queues are there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_stay_bounded() {
    let s = TestServer::start().await;
    let before = s.metrics().await.len();
    for i in 0..200 {
        let method =
            reqwest::Method::from_bytes(format!("M{i:04}{}", "X".repeat(2000)).as_bytes()).unwrap();
        let r = s
            .client
            .request(method, s.url(&format!("/nowhere/{i}")))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());
    }
    let text = s.metrics().await;
    assert!(
        !text.contains("XXXXXXXX") && !text.contains("/nowhere"),
        "a raw value became a label"
    );
    assert!(text.contains("method=\"OTHER\""), "{text}");
    assert!(
        text.len() < before + 8_000,
        "metrics grew from {before} to {} bytes",
        text.len()
    );
    for gauge in [
        "widgetry_process_resident_memory_bytes",
        "widgetry_process_open_fds",
        "widgetry_db_pool_connections",
        "widgetry_validation_slots_in_use",
        "widgetry_validation_waiting",
        "widgetry_password_hashing_waiting",
    ] {
        assert!(text.contains(gauge), "{gauge} missing");
    }
}
