//! End-to-end tests over HTTP against a real server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use widgetry_registry::{Role, Scope};

#[tokio::test]
async fn liveness_and_readiness_answer() {
    let s = TestServer::start().await;
    let r = s.get("/healthz/live").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "ok");
    for path in ["/healthz/ready", "/healthz"] {
        let r = s.get(path).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["status"], "ready", "{v}");
        assert_eq!(v["database"]["ok"], true, "{v}");
        assert_eq!(v["blob_store"]["ok"], true, "{v}");
    }
}

#[tokio::test]
async fn unknown_route_is_problem_json_404() {
    let s = TestServer::start().await;
    let r = s.get("/nope").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let p = problem(r).await;
    assert_eq!(p["status"], 404);
    let r = s.client.delete(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    problem(r).await;
}

#[tokio::test]
async fn validate_returns_the_report_and_stores_nothing() {
    let s = TestServer::start().await;
    let t = s
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    let r = s
        .post("/api/v1/validate")
        .bearer_auth(&t)
        .multipart(form(widget_zip("Hello", "1.0.0"), "widget.zip"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["valid"], true, "{v:#}");
    assert_eq!(v["profile"], "upload");

    // The publication profile flags the scaffold's placeholder contacts.
    let r = s
        .post("/api/v1/validate?profile=publication")
        .bearer_auth(&t)
        .multipart(form(widget_zip("Hello", "1.0.0"), "widget.zip"))
        .send()
        .await
        .unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["profile"], "publication");
    assert_eq!(v["valid"], false);
    assert_eq!(s.upload_leftovers(), 0);
}

#[tokio::test]
async fn validate_speaks_the_requested_language() {
    let s = TestServer::start().await;
    let t = s
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    let mut messages = Vec::new();
    for lang in ["en", "ru-RU,ru;q=0.9"] {
        let r = s
            .post("/api/v1/validate")
            .bearer_auth(&t)
            .header("accept-language", lang)
            .multipart(form(broken_zip(), "widget.zip"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["valid"], false);
        messages.push(v["diagnostics"][0]["message"].as_str().unwrap().to_string());
    }
    assert_ne!(messages[0], messages[1]);
    assert!(
        messages[1].chars().any(|c| ('а'..='я').contains(&c)),
        "{}",
        messages[1]
    );
}

#[tokio::test]
async fn upload_intake_refuses_wrong_name_missing_field_and_bad_requests() {
    let s = TestServer::start().await;
    let t = s
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    let r = s
        .post("/api/v1/validate")
        .bearer_auth(&t)
        .multipart(form(widget_zip("Hello", "1.0.0"), "my-widget.zip"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let p = problem(r).await;
    assert_eq!(p["code"], "upload.wrong_file_name");
    assert!(p["detail"].as_str().unwrap().contains("widget.zip"));
    assert!(p["detail"].as_str().unwrap().contains("my-widget.zip"));

    let part = reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("widget.zip");
    let r = s
        .post("/api/v1/validate")
        .bearer_auth(&t)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(problem(r).await["code"], "upload.missing_file");

    let r = s
        .post("/api/v1/validate")
        .bearer_auth(&t)
        .body("not multipart")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(problem(r).await["code"], "upload.not_multipart");

    let r = s
        .post("/api/v1/validate?profile=strict")
        .bearer_auth(&t)
        .multipart(form(widget_zip("Hello", "1.0.0"), "widget.zip"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(problem(r).await["code"], "request.bad_query");
    assert_eq!(s.upload_leftovers(), 0);
}

#[tokio::test]
async fn upload_past_the_cap_is_413_while_streaming() {
    let s = TestServer::start_with(|c| c.max_upload_bytes = 64 * 1024).await;
    let t = s
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    // Just over the cap: refused by the streaming count.
    let r = s
        .post("/api/v1/validate")
        .bearer_auth(&t)
        .multipart(form(vec![0u8; 64 * 1024 + 1], "widget.zip"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let p = problem(r).await;
    assert_eq!(p["code"], "upload.too_large");
    assert_eq!(p["limit"], 64 * 1024);

    // Far over: refused by the body limit, streamed in chunks without a length.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..64).map(|_| Ok(vec![0u8; 16 * 1024])).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let part = reqwest::multipart::Part::stream(body).file_name("widget.zip");
    let r = s
        .post("/api/v1/validate")
        .bearer_auth(&t)
        .multipart(reqwest::multipart::Form::new().part("widget", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(problem(r).await["code"], "upload.too_large");

    // Exactly the cap is fine (and not a zip).
    let r = s
        .post("/api/v1/validate")
        .bearer_auth(&t)
        .multipart(form(vec![0u8; 64 * 1024], "widget.zip"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(s.upload_leftovers(), 0);
}

#[tokio::test]
async fn metrics_count_requests_by_route() {
    let s = TestServer::start().await;
    s.get("/healthz").send().await.unwrap();
    let text = s.metrics().await;
    assert!(
        text.contains(
            "widgetry_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("widgetry_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn openapi_document_describes_every_route() {
    let s = TestServer::start().await;
    let r = s.get("/api/openapi.json").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let doc: serde_json::Value = r.json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let routes = widgetry_server::router::route_list();
    assert_eq!(
        paths
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum::<usize>(),
        routes.len(),
        "the served document is the router's"
    );
    assert!(routes.len() > 40, "{routes:?}");
    // Every documented route is served: a request with sample parameters reaches its handler
    // (whatever the handler answers without credentials), never the router's fallbacks.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (method, path) in &routes {
        let mut concrete = String::new();
        let mut rest = path.as_str();
        while let Some(open) = rest.find('{') {
            concrete.push_str(&rest[..open]);
            let close = rest[open..].find('}').unwrap() + open;
            concrete.push_str(if &rest[open..=close] == "{path}" {
                "dir/file.js"
            } else {
                "1"
            });
            rest = &rest[close + 1..];
        }
        concrete.push_str(rest);
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = no_redirects
            .request(method.clone(), s.url(&concrete))
            .send()
            .await
            .unwrap();
        let status = r.status();
        assert_ne!(status, 405, "{method} {path} is documented but not served");
        if status == 404 {
            let body = r.text().await.unwrap();
            assert!(
                !body.contains("route not found"),
                "{method} {path} is documented but not served: {body}"
            );
        }
    }
    let mut ids: Vec<&str> = paths
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .map(|op| {
            op["operationId"]
                .as_str()
                .expect("every operation has an id")
        })
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");
    // The document is valid OpenAPI for the reference validator too (Python's
    // openapi-spec-validator; required in CI, skipped with a note where it is missing).
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", "import json,sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1])))"])
        .arg(file.path())
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named") => {
            assert!(
                std::env::var_os("WIDGETRY_REQUIRE_OPENAPI_VALIDATOR").is_none(),
                "openapi-spec-validator is required but missing"
            );
            eprintln!(
                "note: openapi-spec-validator is not installed; the document was not checked by it"
            );
        }
        Ok(o) => panic!(
            "the OpenAPI document is invalid: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => {
            assert!(
                std::env::var_os("WIDGETRY_REQUIRE_OPENAPI_VALIDATOR").is_none(),
                "python3: {e}"
            );
            eprintln!(
                "note: python3 is not available; the document was not checked by openapi-spec-validator"
            );
        }
    }
}

#[tokio::test]
async fn session_login_csrf_me_and_logout() {
    let s = TestServer::start().await;
    s.user("a@example.org", "alpha", Role::Admin).await;
    let r = s
        .post("/api/v1/session")
        .json(&serde_json::json!({"email": "a@example.org", "password": "wrong password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(problem(r).await["code"], "auth.bad_credentials");

    let session = s.login("A@Example.org").await;
    let me: serde_json::Value = s
        .get("/api/v1/me")
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["email"], "a@example.org");
    assert_eq!(me["account"]["subdomain"], "alpha");
    assert_eq!(me["role"], "admin");
    assert_eq!(me["auth"], "session");
    assert_eq!(me["csrf_token"], session.csrf.as_str());

    // A cookie request that changes state needs the CSRF token.
    let body = serde_json::json!({"name": {"en": "X"}, "redirect_uri": "https://example.org/cb"});
    let r = s
        .post("/api/v1/integrations")
        .header("cookie", &session.cookie)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(problem(r).await["code"], "auth.csrf");
    let r = s
        .post("/api/v1/integrations")
        .header("cookie", &session.cookie)
        .header("x-csrf-token", "not-the-token")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = s
        .post("/api/v1/integrations")
        .header("cookie", &session.cookie)
        .header("x-csrf-token", &session.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let r = s
        .client
        .delete(s.url("/api/v1/session"))
        .header("cookie", &session.cookie)
        .header("x-csrf-token", &session.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let r = s
        .get("/api/v1/me")
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = s.get("/api/v1/me").send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
    problem(r).await;
}

#[tokio::test]
async fn tokens_are_listed_revoked_and_scoped() {
    let s = TestServer::start().await;
    let upload_only = s
        .token("a@example.org", "alpha", Role::Admin, &[Scope::Upload])
        .await;
    let install_only = s.token_for("a@example.org", &[Scope::Install]).await;
    let admin = s.token_for("a@example.org", &[Scope::Admin]).await;

    // 403 naming the missing scope.
    let r = s
        .post("/api/v1/integrations")
        .bearer_auth(&install_only)
        .json(&serde_json::json!({"name": {"en": "X"}, "redirect_uri": "https://example.org/cb"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let p = problem(r).await;
    assert_eq!(p["title"], "missing scope");
    assert_eq!(p["detail"], "this token lacks the `upload` scope");
    assert_eq!(p["scope"], "upload");

    let id = s.integration(&upload_only).await;
    let zip = widget_zip("Hello", "1.0.0");
    let r = s.upload(&install_only, id, zip).await;
    assert_eq!(r.status(), 403);
    assert_eq!(problem(r).await["scope"], "upload");

    // Tokens: listing needs a session or `admin`.
    let r = s
        .get("/api/v1/tokens")
        .bearer_auth(&upload_only)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(problem(r).await["scope"], "admin");
    let list: serde_json::Value = s
        .get("/api/v1/tokens")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tokens = list["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 3);
    assert!(tokens.iter().all(|t| t.get("token").is_none()));
    let victim = tokens
        .iter()
        .find(|t| t["scopes"] == serde_json::json!(["install"]))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = s
        .client
        .delete(s.url(&format!("/api/v1/tokens/{victim}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = s
        .get("/api/v1/me")
        .bearer_auth(&install_only)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // Bad requests are problem+json too.
    let r = s
        .post("/api/v1/tokens")
        .bearer_auth(&admin)
        .json(&serde_json::json!({"name": "x", "scopes": ["everything"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    problem(r).await;
    // A lifetime out of range names its field and reason; the same rule as the token page's.
    let me = s
        .registry
        .authenticate_token(&admin)
        .await
        .unwrap()
        .unwrap();
    let before = s.registry.list_tokens(&me).await.unwrap().len();
    for days in [0, 3651] {
        let r = s
            .post("/api/v1/tokens")
            .bearer_auth(&admin)
            .json(&serde_json::json!({"name": "x", "scopes": ["upload"], "expires_in_days": days}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let p = problem(r).await;
        assert_eq!(p["code"], "request.invalid");
        assert_eq!(p["field"], "/expires_in_days");
        assert_eq!(p["reason"], "token.lifetime");
    }
    let after = s.registry.list_tokens(&me).await.unwrap().len();
    assert_eq!(before, after, "nothing was stored");
}

#[tokio::test]
async fn upload_accepts_refuses_and_detects_conflicts() {
    let s = TestServer::start().await;
    let t = s
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    let id = s.integration(&t).await;

    // Refused: every finding listed, nothing stored.
    let r = s.upload(&t, id, broken_zip()).await;
    assert_eq!(r.status(), 400);
    let p = problem(r).await;
    assert_eq!(p["code"], "validation.failed");
    assert!(!p["errors"].as_array().unwrap().is_empty());
    assert!(p["errors"][0]["code"].is_string());
    let versions: serde_json::Value = s
        .get(&format!("/api/v1/integrations/{id}/versions"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(versions["versions"], serde_json::json!([]));

    // Wrong file name.
    let r = s
        .post(&format!("/api/v1/integrations/{id}/versions"))
        .bearer_auth(&t)
        .multipart(form(widget_zip("Hello", "1.0.0"), "hello.zip"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(problem(r).await["code"], "upload.wrong_file_name");

    // Accepted.
    let first = widget_zip("Hello", "1.0.0");
    let r = s.upload(&t, id, first.clone()).await;
    assert_eq!(r.status(), 201);
    assert_eq!(
        r.headers()["location"],
        format!("/api/v1/integrations/{id}/versions/1").as_str()
    );
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["version"]["number"], 1);
    assert_eq!(v["version"]["widget_version"], "1.0.0");
    let code = v["version"]["code"].as_str().unwrap().to_string();
    assert!(code.starts_with("hello_"), "{code}");
    assert_eq!(v["version"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["version"]["size"], first.len());
    assert!(v["warnings"].is_array());

    // The same bytes again: 409 naming the version.
    let r = s.upload(&t, id, first.clone()).await;
    assert_eq!(r.status(), 409);
    let p = problem(r).await;
    assert_eq!(p["code"], "version.duplicate_archive");
    assert_eq!(p["existing_version"]["number"], 1);
    assert_eq!(p["existing_version"]["widget_version"], "1.0.0");

    // A version that does not increase: 409 naming the next acceptable one.
    let r = s.upload(&t, id, widget_zip("Hello v2", "1.0.0")).await;
    assert_eq!(r.status(), 409);
    let p = problem(r).await;
    assert_eq!(p["code"], "version.not_increasing");
    assert_eq!(p["next_version"], "1.0.1");
    assert!(p["detail"].as_str().unwrap().contains("1.0.1"));

    let r = s.upload(&t, id, widget_zip("Hello", "1.0.1")).await;
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["version"]["number"], 2);
    assert_eq!(v["version"]["code"], code.as_str());

    let list: serde_json::Value = s
        .get(&format!("/api/v1/integrations/{id}/versions"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let numbers: Vec<i64> = list["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [2, 1]);
    let detail: serde_json::Value = s
        .get(&format!("/api/v1/integrations/{id}/versions/1"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["widget_version"], "1.0.0");
    assert_eq!(detail["manifest"]["widget"]["version"], "1.0.0");
    assert!(
        detail["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "script.js")
    );
    let r = s
        .get(&format!("/api/v1/integrations/{id}/versions/9"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // 413 past the cap on the upload route too.
    let s2 = TestServer::start_with(|c| c.max_upload_bytes = 1024).await;
    let t2 = s2
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    let id2 = s2.integration(&t2).await;
    let r = s2.upload(&t2, id2, widget_zip("Hello", "1.0.0")).await;
    assert_eq!(r.status(), 413);
    assert_eq!(problem(r).await["code"], "upload.too_large");
    assert_eq!(s2.upload_leftovers(), 0);

    let metrics = s.metrics().await;
    assert!(
        metrics.contains("widgetry_uploads_total{outcome=\"accepted\",code=\"\"} 2"),
        "{metrics}"
    );
    assert!(
        metrics
            .contains("widgetry_uploads_total{outcome=\"refused\",code=\"validation.failed\"} 1")
    );
    assert!(
        metrics.contains(
            "widgetry_uploads_total{outcome=\"refused\",code=\"version.not_increasing\"} 1"
        )
    );
    assert!(
        metrics.contains(
            "widgetry_uploads_total{outcome=\"refused\",code=\"upload.wrong_file_name\"} 1"
        )
    );
}

/// Uploads a valid widget into a new integration; returns (integration id, code).
async fn published_privately(s: &TestServer, token: &str) -> (i64, String) {
    let id = s.integration(token).await;
    let r = s.upload(token, id, widget_zip("Hello", "1.0.0")).await;
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await.unwrap();
    (id, v["version"]["code"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn another_accounts_private_objects_answer_404_everywhere() {
    let s = TestServer::start().await;
    let all = [Scope::Upload, Scope::Install, Scope::Admin, Scope::Submit];
    let a = s.token("a@example.org", "alpha", Role::Admin, &all).await;
    let b = s.token("b@example.org", "beta", Role::Admin, &all).await;
    let (id, code) = published_privately(&s, &a).await;
    let a_tokens: serde_json::Value = s
        .get("/api/v1/tokens")
        .bearer_auth(&a)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let a_token_id = a_tokens["tokens"][0]["id"].as_i64().unwrap();

    let client = &s.client;
    let requests = vec![
        client.get(s.url(&format!("/api/v1/integrations/{id}"))),
        client
            .patch(s.url(&format!("/api/v1/integrations/{id}")))
            .json(&serde_json::json!({"redirect_uri": "https://evil.example.org/"})),
        client.post(s.url(&format!("/api/v1/integrations/{id}/convert"))),
        client.get(s.url(&format!("/api/v1/integrations/{id}/versions"))),
        client.get(s.url(&format!("/api/v1/integrations/{id}/versions/1"))),
        client
            .post(s.url(&format!("/api/v1/integrations/{id}/versions")))
            .multipart(form(widget_zip("Hello", "2.0.0"), "widget.zip")),
        client.delete(s.url(&format!("/api/v1/tokens/{a_token_id}"))),
        client.get(s.public_file(&code, "1.0.0", "script.js")),
        client.get(s.url(&format!("/api/v4/widgets/{code}"))),
        client
            .post(s.url(&format!("/api/v4/widgets/{code}")))
            .json(&serde_json::json!({"settings": {"api_key": "k"}})),
        client.delete(s.url(&format!("/api/v4/widgets/{code}"))),
    ];
    for request in requests {
        let request = request.bearer_auth(&b).build().unwrap();
        let what = format!("{} {}", request.method(), request.url().path());
        let r = client.execute(request).await.unwrap();
        assert_eq!(r.status(), 404, "{what}");
        problem(r).await;
    }
    // Nor is it listed anywhere for B.
    let list: serde_json::Value = s
        .get("/api/v1/integrations")
        .bearer_auth(&b)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["integrations"], serde_json::json!([]));
    let catalog: serde_json::Value = s
        .get("/api/v1/catalog")
        .bearer_auth(&b)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(catalog["integrations"], serde_json::json!([]));
    let r = s
        .get("/api/v4/widgets")
        .bearer_auth(&b)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);

    // A still sees everything.
    let catalog: serde_json::Value = s
        .get("/api/v1/catalog")
        .bearer_auth(&a)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(catalog["integrations"][0]["id"], id);
    assert_eq!(
        catalog["integrations"][0]["live_version"]["widget_version"],
        "1.0.0"
    );
    assert_eq!(catalog["integrations"][0]["installed"], false);
}

#[tokio::test]
async fn widgets_api_v4_lists_installs_and_uninstalls() {
    let s = TestServer::start().await;
    let admin = s
        .token(
            "a@example.org",
            "alpha",
            Role::Admin,
            &[Scope::Upload, Scope::Install],
        )
        .await;
    s.user("m@example.org", "alpha", Role::Member).await;
    let member = s.token_for("m@example.org", &[Scope::Upload]).await;
    let (id, code) = published_privately(&s, &admin).await;

    let r = s
        .get("/api/v4/widgets?limit=251")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    problem(r).await;
    let r = s
        .get("/api/v4/widgets?page=1&limit=250")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/hal+json");
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["_page"], 1);
    let w = &v["_embedded"]["widgets"][0];
    assert_eq!(w["id"], id);
    assert_eq!(w["code"], code.as_str());
    assert_eq!(w["version"], "1.0.0");
    assert!(w["rating"].is_string());
    assert_eq!(w["is_active_in_account"], false);
    assert_eq!(w["is_crm_template"], false);
    assert!(w["client_uuid"].is_string());
    let field = &w["settings_template"][0];
    assert_eq!(field["key"], "api_key");
    assert_eq!(field["type"], "text");
    assert_eq!(field["is_required"], true);
    for key in [
        "name",
        "is_lead_source",
        "is_work_with_dp",
        "pipeline_id",
        "_links",
    ] {
        assert!(w.get(key).is_some() || key == "name", "{key}");
    }

    let widget = format!("/api/v4/widgets/{code}");
    // A required field missing.
    let r = s
        .post(&widget)
        .bearer_auth(&admin)
        .json(&serde_json::json!({"settings": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let p = problem(r).await;
    assert_eq!(p["code"], "settings.invalid");
    assert_eq!(p["errors"][0]["key"], "api_key");
    assert_eq!(p["errors"][0]["code"], "settings.required");

    // A member may not install; a token without `install` is told which scope it lacks.
    let r = s
        .post(&widget)
        .bearer_auth(&member)
        .json(&serde_json::json!({"settings": {"api_key": "k"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(problem(r).await["scope"], "install");

    let r = s
        .post(&widget)
        .bearer_auth(&admin)
        .json(&serde_json::json!({"settings": {"api_key": "k"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/hal+json");
    let w: serde_json::Value = r.json().await.unwrap();
    assert_eq!(w["is_active_in_account"], true);
    assert_eq!(w["settings"]["api_key"], "k");

    let w: serde_json::Value = s
        .get(&widget)
        .bearer_auth(&member)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(w["is_active_in_account"], true);

    let r = s
        .client
        .delete(s.url(&widget))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let w: serde_json::Value = s
        .get(&widget)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(w["is_active_in_account"], false);
}

#[tokio::test]
async fn member_cannot_convert_and_market_integrations_do_not_convert() {
    let s = TestServer::start().await;
    let admin = s
        .token(
            "a@example.org",
            "alpha",
            Role::Admin,
            &[Scope::Upload, Scope::Admin],
        )
        .await;
    s.user("m@example.org", "alpha", Role::Member).await;
    let member = s.login("m@example.org").await;
    let id = s.integration(&admin).await;
    let r = s
        .post(&format!("/api/v1/integrations/{id}/convert"))
        .header("cookie", &member.cookie)
        .header("x-csrf-token", &member.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    problem(r).await;
    let r = s
        .post(&format!("/api/v1/integrations/{id}/convert"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    problem(r).await;

    let r = s
        .client
        .patch(s.url(&format!("/api/v1/integrations/{id}")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"name": {"en": "Renamed"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["name"]["en"], "Renamed");
}

#[tokio::test]
async fn a_raised_upload_cap_raises_the_archive_limit_too() {
    // 22 MiB of incompressible files: over the default 20 MiB archive limit, under a 30 MiB cap.
    let s = TestServer::start_with(|c| c.max_upload_bytes = 30 * 1024 * 1024).await;
    let t = s
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    let id = s.integration(&t).await;
    let mut files = widget_files("Big Widget", "1.0.0");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for i in 0..2 {
        let noise: Vec<u8> = (0..11 * 1024 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        files.push((format!("media/clip{i}.bin"), noise));
    }
    let bytes = zip(&files);
    assert!(bytes.len() > 20 * 1024 * 1024 && bytes.len() < 30 * 1024 * 1024);
    let r = s.upload(&t, id, bytes).await;
    let status = r.status();
    assert_eq!(status, 201, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn legacy_uploads_need_code_and_key_and_a_rotated_key_replaces_the_old_one() {
    let s = TestServer::start().await;
    let t = s
        .token(
            "a@example.org",
            "alpha",
            Role::Admin,
            &[Scope::Upload, Scope::Admin],
        )
        .await;
    let old_key = "3c9a1e7b5d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c2e4b6d8f1a3c5e7b9d0f2a4c";
    let legacy = s
        .registry
        .import_legacy("alpha", "acme_reports", old_key, Some("Acme Reports"))
        .await
        .unwrap();
    let with_key = |version: &str, key: &str| {
        let mut files = widget_files("Acme Reports", version);
        for (path, bytes) in &mut files {
            if path == "manifest.json" {
                let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                v["widget"]["code"] = "acme_reports".into();
                v["widget"]["secret_key"] = key.into();
                *bytes = serde_json::to_vec_pretty(&v).unwrap();
            }
        }
        zip(&files)
    };
    // Without code and key: refused, naming both rules.
    let r = s
        .upload(&t, legacy.id.0, widget_zip("Acme Reports", "1.0.0"))
        .await;
    assert_eq!(r.status(), 400);
    let codes: Vec<String> = problem(r).await["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    assert!(
        codes.contains(&"manifest.legacy_code_missing".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"manifest.legacy_secret_missing".to_string()),
        "{codes:?}"
    );
    // With them: accepted.
    let r = s.upload(&t, legacy.id.0, with_key("1.0.0", old_key)).await;
    assert_eq!(r.status(), 201);

    // Rotation: a new key, shown once; the old one no longer matches.
    let r = s
        .post(&format!("/api/v1/integrations/{}/secret", legacy.id))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    let new_key = body["secret_key"].as_str().unwrap().to_string();
    assert_eq!(new_key.len(), 64);
    assert_ne!(new_key, old_key);
    let r = s.upload(&t, legacy.id.0, with_key("1.0.1", old_key)).await;
    assert_eq!(r.status(), 400);
    let errors = problem(r).await["errors"].clone();
    assert!(
        errors
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "manifest.secret_mismatch"),
        "{errors}"
    );
    let r = s.upload(&t, legacy.id.0, with_key("1.0.1", &new_key)).await;
    assert_eq!(r.status(), 201);

    // Another account cannot rotate it (404, not 403).
    let other = s
        .token("b@example.org", "beta", Role::Admin, &[Scope::Upload])
        .await;
    let r = s
        .post(&format!("/api/v1/integrations/{}/secret", legacy.id))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn a_published_version_is_public_to_everyone_and_cached_for_good() {
    // Publication is moderation's job (issue 4); until that exists the test seeds it the way
    // an approval will leave the row: public, with the published version set.
    let s = TestServer::start().await;
    let owner = s
        .token("a@example.org", "alpha", Role::Admin, &[Scope::Upload])
        .await;
    let other = s
        .token("b@example.org", "beta", Role::Admin, &[Scope::Install])
        .await;
    let id = s.integration(&owner).await;
    let r = s
        .upload(&owner, id, widget_zip("Public Widget", "1.0.0"))
        .await;
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await.unwrap();
    let code = v["version"]["code"].as_str().unwrap().to_string();
    let path = s.public_file(&code, "1.0.0", "script.js");
    // Private: no one gets it without the owner's signed URL.
    assert_eq!(
        s.client
            .get(&path)
            .bearer_auth(&other)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(s.client.get(&path).send().await.unwrap().status(), 404);

    sqlx::query(
        "UPDATE integrations SET visibility = 'public', published_version_id = latest_version_id WHERE id = $1",
    )
    .bind(id)
    .execute(s.registry.pool())
    .await
    .unwrap();
    sqlx::query("UPDATE versions SET state = 'published' WHERE integration_id = $1")
        .bind(id)
        .execute(s.registry.pool())
        .await
        .unwrap();

    let r = s.client.get(&path).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let r = s
        .client
        .get(&path)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    // Every account sees it in its catalogue and in the widgets API.
    let catalog: serde_json::Value = s
        .get("/api/v1/catalog")
        .bearer_auth(&other)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        catalog["integrations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["code"] == code.as_str()),
        "{catalog}"
    );
    let r = s
        .get(&format!("/api/v4/widgets/{code}"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let w: serde_json::Value = r.json().await.unwrap();
    assert_eq!(w["code"], code.as_str());
    assert_eq!(w["is_active_in_account"], false);
}
