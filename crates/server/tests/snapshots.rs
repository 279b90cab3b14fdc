//! Snapshots (insta) of what clients read and would notice changing: the OpenAPI document,
//! the problem+json bodies of typical refusals, and rendered pages (the sign-in page in both
//! languages). A change shows as a diff of the
//! files under `tests/snapshots/`; when it is meant, accept it with `cargo insta review` (or
//! rerun with `INSTA_UPDATE=always`) and commit the new snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Map, Value, json};
use widgetry_registry::{Role, Scope};

#[tokio::test]
async fn the_openapi_document() {
    let s = TestServer::start().await;
    let r = s.get("/api/openapi.json").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn problem_bodies_of_typical_refusals() {
    let s = TestServer::start().await;
    let token = s
        .token("a@example.org", "alpha", Role::Member, &[Scope::Upload])
        .await;
    let id = s.integration(&token).await;
    let mut bodies = Map::new();
    // Each body carries its status and code, so the snapshot pins both.
    let mut record = async |name: &str, r: reqwest::Response| {
        bodies.insert(name.to_string(), problem(r).await);
    };
    record("unknown_route", s.get("/nope").send().await.unwrap()).await;
    record(
        "no_credentials",
        s.get("/api/v1/integrations").send().await.unwrap(),
    )
    .await;
    record(
        "missing_scope",
        s.post("/api/v1/tokens")
            .bearer_auth(&token)
            .json(&json!({"name": "ci", "scopes": ["upload"]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    record(
        "not_a_zip",
        s.upload(&token, id, b"not a zip".to_vec()).await,
    )
    .await;
    let mut manifest: Value = serde_json::from_slice(
        &publishable_files("Deal Notes", "1.0.0")
            .into_iter()
            .find(|(p, _)| p == "manifest.json")
            .unwrap()
            .1,
    )
    .unwrap();
    manifest["locations"] = json!(["lcard-2"]);
    let files: Vec<(String, Vec<u8>)> = publishable_files("Deal Notes", "1.0.0")
        .into_iter()
        .map(|(p, b)| match p.as_str() {
            "manifest.json" => (p, serde_json::to_vec_pretty(&manifest).unwrap()),
            _ => (p, b),
        })
        .collect();
    record("invalid_widget", s.upload(&token, id, zip(&files)).await).await;
    insta::assert_json_snapshot!("problems", Value::Object(bodies));
}

/// The page with its one random value (the sign-in form's pairing token) masked.
async fn page(s: &TestServer, path: &str, lang: &str) -> String {
    let r = s
        .get(path)
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    let html = r.text().await.unwrap();
    let marker = "name=\"login_csrf\" value=\"";
    match html.find(marker) {
        Some(at) => {
            let start = at + marker.len();
            let end = start + html[start..].find('"').unwrap();
            format!("{}[token]{}", &html[..start], &html[end..])
        }
        None => html,
    }
}

#[tokio::test]
async fn the_sign_in_page_in_english_and_russian() {
    let s = TestServer::start().await;
    insta::assert_snapshot!("page_login_en", page(&s, "/login", "en").await);
    insta::assert_snapshot!("page_login_ru", page(&s, "/login", "ru").await);
}
