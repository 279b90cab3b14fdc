//! End-to-end tests over HTTP against a real server.

mod support;

use support::*;

#[tokio::test]
async fn healthz_answers_ok() {
    let s = TestServer::start().await;
    let r = s.get("/healthz").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["status"], "ok");
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
    let r = s
        .post("/api/v1/validate")
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
    let mut messages = Vec::new();
    for lang in ["en", "ru-RU,ru;q=0.9"] {
        let r = s
            .post("/api/v1/validate")
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
    let r = s
        .post("/api/v1/validate")
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
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(problem(r).await["code"], "upload.missing_file");

    let r = s
        .post("/api/v1/validate")
        .body("not multipart")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(problem(r).await["code"], "upload.not_multipart");

    let r = s
        .post("/api/v1/validate?profile=strict")
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
    // Just over the cap: refused by the streaming count.
    let r = s
        .post("/api/v1/validate")
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
        .multipart(reqwest::multipart::Form::new().part("widget", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(problem(r).await["code"], "upload.too_large");

    // Exactly the cap is fine (and not a zip).
    let r = s
        .post("/api/v1/validate")
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
    let text = s
        .get("/metrics")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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
    for (method, path) in widgetry_server::router::route_list() {
        let documented = path.replace("{*", "{");
        let item = paths
            .get(&documented)
            .unwrap_or_else(|| panic!("{path} is not in the OpenAPI document"));
        assert!(
            item.get(method.to_lowercase()).is_some(),
            "{method} {path} is not in the OpenAPI document"
        );
    }
    assert_eq!(
        paths
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum::<usize>(),
        widgetry_server::router::route_list().len(),
        "the document describes routes the router does not have"
    );
}
