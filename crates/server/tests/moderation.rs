//! Moderation and publication over HTTP, on SQLite and (with `WIDGETRY_TEST_POSTGRES_URL`)
//! on PostgreSQL: the whole lifecycle (private until approved, update of a public widget,
//! rollback), rejection with reasons, withdrawal, submissions blocked by the publication and
//! submission rules, who may read test credentials, the moderators' routes refused to
//! everyone else, concurrent approvals, the history, server-sent events, and signed webhooks
//! retried against a local receiver.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use widgetry_registry::{Role, Scope};

const CREDENTIALS: &str = SUBMISSION_CREDENTIALS;

/// A server with an integrator's account (`vendor`: an admin and a member), another account
/// (`shop`) and a platform moderator, plus one integration of `vendor`.
struct World {
    s: TestServer,
    /// `vendor` admin: upload, submit, install.
    dev: String,
    /// `vendor` member: upload, submit.
    member: String,
    /// `shop` admin: every scope it can hold.
    shop: String,
    /// The moderator's token with `moderate`.
    moderator: String,
    /// The integration.
    id: i64,
}

async fn world(db: Db, configure: impl FnOnce(&mut widgetry_server::ServerConfig)) -> World {
    let s = db.server(configure).await;
    let dev = s
        .token(
            "dev@vendor.test",
            "vendor",
            Role::Admin,
            &[Scope::Upload, Scope::Submit, Scope::Install],
        )
        .await;
    let member = s
        .token(
            "member@vendor.test",
            "vendor",
            Role::Member,
            &[Scope::Upload, Scope::Submit],
        )
        .await;
    let shop = s
        .token(
            "admin@shop.test",
            "shop",
            Role::Admin,
            &[Scope::Upload, Scope::Submit, Scope::Install, Scope::Admin],
        )
        .await;
    s.moderator("mod@platform.test", "platform").await;
    let moderator = s.token_for("mod@platform.test", &[Scope::Moderate]).await;
    let id = s.integration(&dev).await;
    World {
        s,
        dev,
        member,
        shop,
        moderator,
        id,
    }
}

/// A submission that passes every submission rule.
fn fields() -> Value {
    submission_fields()
}

async fn body(r: reqwest::Response) -> Value {
    let status = r.status();
    let text = r.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: {text}"))
}

impl World {
    async fn upload_ok(&self, version: &str) -> Value {
        let r = self
            .s
            .upload(&self.dev, self.id, publishable_zip("Deal Notes", version))
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        body(r).await
    }

    async fn submit(&self, token: &str, fields: &Value) -> reqwest::Response {
        self.s
            .post(&format!("/api/v1/integrations/{}/submissions", self.id))
            .bearer_auth(token)
            .json(fields)
            .send()
            .await
            .unwrap()
    }

    async fn submit_ok(&self, version: i64) -> Value {
        let mut f = fields();
        f["version"] = version.into();
        let r = self.submit(&self.dev, &f).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        body(r).await
    }

    async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.s.get(path).bearer_auth(token).send().await.unwrap()
    }

    async fn get_json(&self, token: &str, path: &str) -> Value {
        let r = self.get(token, path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        body(r).await
    }

    async fn post_json(&self, token: &str, path: &str, v: &Value) -> reqwest::Response {
        self.s
            .post(path)
            .bearer_auth(token)
            .json(v)
            .send()
            .await
            .unwrap()
    }

    async fn approve(&self, sid: i64, v: &Value) -> reqwest::Response {
        self.post_json(
            &self.moderator,
            &format!("/api/v1/moderation/submissions/{sid}/approve"),
            v,
        )
        .await
    }

    async fn version_states(&self) -> Vec<(i64, String)> {
        let v = self
            .get_json(
                &self.dev,
                &format!("/api/v1/integrations/{}/versions", self.id),
            )
            .await;
        let mut out: Vec<(i64, String)> = v["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["number"].as_i64().unwrap(),
                    v["state"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    }

    async fn queue(&self) -> Vec<Value> {
        self.get_json(&self.moderator, "/api/v1/moderation/queue")
            .await["submissions"]
            .as_array()
            .unwrap()
            .clone()
    }

    async fn history_kinds(&self) -> Vec<String> {
        self.get_json(
            &self.dev,
            &format!("/api/v1/integrations/{}/audit", self.id),
        )
        .await["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_string())
            .collect()
    }

    /// The widget as `/api/v4/widgets/{code}` shows it to a token's account (None: 404).
    async fn widget(&self, token: &str, code: &str) -> Option<Value> {
        let r = self.get(token, &format!("/api/v4/widgets/{code}")).await;
        match r.status().as_u16() {
            200 => Some(body(r).await),
            404 => None,
            s => panic!("GET widget: {s}"),
        }
    }

    async fn catalog_codes(&self, token: &str) -> Vec<String> {
        self.get_json(token, "/api/v1/catalog").await["integrations"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["code"].as_str().map(str::to_string))
            .collect()
    }

    /// What fetching a version's `script.js` answers for the caller of `token` (through the
    /// files base URL the API hands that caller for the widget, else the public URL), or for
    /// anyone (`None`: the public URL).
    async fn file_status(&self, token: Option<&str>, code: &str, version: &str) -> u16 {
        let public = self.s.public_file(code, version, "script.js");
        let url = match token {
            None => public,
            Some(t) => {
                let r = self
                    .s
                    .get(&format!("/api/v4/widgets/{code}"))
                    .bearer_auth(t)
                    .send()
                    .await
                    .unwrap();
                let w: serde_json::Value = if r.status() == 200 {
                    r.json().await.unwrap()
                } else {
                    serde_json::Value::Null
                };
                match w["files_base_url"].as_str() {
                    Some(base) if w["version"] == version => format!("{base}/script.js"),
                    _ => public,
                }
            }
        };
        self.s
            .client
            .get(&url)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

on_both!(
    lifecycle_publishes_updates_and_rolls_back,
    rejection_withdrawal_and_resubmission,
    blocked_submission_lists_every_rule,
    test_credentials_are_for_moderators_only,
    moderation_routes_refuse_everyone_else,
    concurrent_approvals_exactly_one_wins,
    events_stream_status_changes,
    webhook_is_signed_and_retried,
);

async fn lifecycle_publishes_updates_and_rolls_back(db: Db) {
    let w = world(db, |_| {}).await;
    let up = w.upload_ok("1.0.0").await;
    let code = up["version"]["code"].as_str().unwrap().to_string();

    // Private: the owner sees it, another account does not.
    assert!(w.catalog_codes(&w.dev).await.contains(&code));
    assert!(!w.catalog_codes(&w.shop).await.contains(&code));
    assert!(w.widget(&w.shop, &code).await.is_none());
    assert_eq!(w.file_status(Some(&w.shop), &code, "1.0.0").await, 404);
    assert_eq!(w.file_status(None, &code, "1.0.0").await, 404);

    // Submitted: queued, still private.
    let sub = w.submit_ok(1).await;
    assert_eq!(sub["state"], "in_review");
    assert_eq!(sub["code"], code.as_str());
    assert_eq!(sub["version"]["number"], 1);
    assert_eq!(sub["has_test_credentials"], true);
    assert!(sub.get("test_credentials").is_none());
    assert_eq!(w.version_states().await, vec![(1, "in_review".into())]);
    assert!(w.widget(&w.shop, &code).await.is_none());
    let queue = w.queue().await;
    assert_eq!(queue.len(), 1);
    let sid = queue[0]["id"].as_i64().unwrap();

    // The moderator's view: report, files, first publication diff (everything added).
    let review = w
        .get_json(
            &w.moderator,
            &format!("/api/v1/moderation/submissions/{sid}"),
        )
        .await;
    assert_eq!(review["submission"]["test_credentials"], CREDENTIALS);
    assert!(review["base_version"].is_null());
    assert_eq!(review["submission"]["report"]["valid"], true);
    let diff = review["diff"].as_array().unwrap();
    assert!(!diff.is_empty() && diff.iter().all(|c| c["change"] == "added"));
    let files = review["version"]["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f["path"] == "script.js"));
    let r = w
        .get(
            &w.moderator,
            &format!("/api/v1/moderation/submissions/{sid}/files/script.js"),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/plain; charset=utf-8");
    assert!(r.text().await.unwrap().contains("define("));

    // Approved: public for every account, installable with its settings.
    let r = w.approve(sid, &json!({"note": "looks good"})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let decided = body(r).await;
    assert_eq!(decided["state"], "approved");
    assert_eq!(decided["decision"]["outcome"], "approved");
    assert_eq!(w.version_states().await, vec![(1, "published".into())]);
    assert!(w.catalog_codes(&w.shop).await.contains(&code));
    assert_eq!(w.widget(&w.shop, &code).await.unwrap()["version"], "1.0.0");
    assert_eq!(w.file_status(None, &code, "1.0.0").await, 200);
    let r = w
        .post_json(
            &w.shop,
            &format!("/api/v4/widgets/{code}"),
            &json!({"settings": {"api_key": "k-123"}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(
        w.get_json(&w.dev, &format!("/api/v1/integrations/{}", w.id))
            .await["visibility"],
        "public"
    );

    // An update: live for the owner at once, the others keep 1.0.0 until approval.
    w.upload_ok("1.0.1").await;
    assert_eq!(w.widget(&w.dev, &code).await.unwrap()["version"], "1.0.1");
    assert_eq!(w.widget(&w.shop, &code).await.unwrap()["version"], "1.0.0");
    assert_eq!(w.file_status(Some(&w.shop), &code, "1.0.1").await, 404);
    assert_eq!(w.file_status(Some(&w.dev), &code, "1.0.1").await, 200);
    let mut f = fields();
    f["version"] = 2.into();
    f["changes"] = json!({"name": {"en": "Deal Notes Pro"}});
    let r = w.submit(&w.dev, &f).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let sid2 = body(r).await["id"].as_i64().unwrap();
    assert_eq!(w.widget(&w.dev, &code).await.unwrap()["version"], "1.0.1");
    assert_eq!(w.widget(&w.shop, &code).await.unwrap()["version"], "1.0.0");
    let review = w
        .get_json(
            &w.moderator,
            &format!("/api/v1/moderation/submissions/{sid2}"),
        )
        .await;
    assert_eq!(review["base_version"]["number"], 1);
    let manifest = review["diff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "manifest.json")
        .expect("manifest.json changed");
    assert_eq!(manifest["change"], "changed");
    let text = manifest["text_diff"].as_str().unwrap();
    assert!(
        text.contains("-    \"version\": \"1.0.0\"")
            && text.contains("+    \"version\": \"1.0.1\""),
        "{text}"
    );
    let r = w.approve(sid2, &json!({"base_version": 1})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // Both accounts on 1.0.1; the installation moved; the name change applied.
    let shop_view = w.widget(&w.shop, &code).await.unwrap();
    assert_eq!(shop_view["version"], "1.0.1");
    assert_eq!(shop_view["is_active_in_account"], true);
    assert_eq!(shop_view["settings"]["api_key"], "k-123");
    assert_eq!(
        w.version_states().await,
        vec![(1, "superseded".into()), (2, "published".into())]
    );
    assert_eq!(
        w.get_json(&w.dev, &format!("/api/v1/integrations/{}", w.id))
            .await["name"]["en"],
        "Deal Notes Pro"
    );

    // Rollback to 1: no review, a new event, history kept.
    let r = w
        .post_json(
            &w.dev,
            &format!("/api/v1/integrations/{}/rollback", w.id),
            &json!({"version": 1}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(w.widget(&w.shop, &code).await.unwrap()["version"], "1.0.0");
    assert_eq!(
        w.version_states().await,
        vec![(1, "published".into()), (2, "superseded".into())]
    );
    // Rolling back to what is published, or to a version never published, is refused.
    for (version, code_expected) in [(1, "rollback.conflict")] {
        let r = w
            .post_json(
                &w.dev,
                &format!("/api/v1/integrations/{}/rollback", w.id),
                &json!({"version": version}),
            )
            .await;
        assert_eq!(r.status(), 409);
        assert_eq!(problem(r).await["code"], code_expected);
    }
    w.upload_ok("1.0.2").await;
    let r = w
        .post_json(
            &w.dev,
            &format!("/api/v1/integrations/{}/rollback", w.id),
            &json!({"version": 3}),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(problem(r).await["code"], "rollback.not_approved");
    assert_eq!(w.widget(&w.shop, &code).await.unwrap()["version"], "1.0.0");

    let kinds = w.history_kinds().await;
    for kind in [
        "version.uploaded",
        "submission.created",
        "submission.approved",
        "version.published",
        "integration.published",
        "version.superseded",
        "integration.listing_changed",
        "integration.rolled_back",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    // The installation in the other account is its own business, not the owner's history.
    assert!(!kinds.iter().any(|k| k == "widget.installed"));
    let events = w
        .get_json(&w.dev, &format!("/api/v1/integrations/{}/audit", w.id))
        .await;
    let rolled = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "integration.rolled_back")
        .unwrap()
        .clone();
    assert_eq!(rolled["from_state"], "1.0.1");
    assert_eq!(rolled["to_state"], "1.0.0");
    assert!(rolled["actor_user_id"].is_i64());
}

async fn rejection_withdrawal_and_resubmission(db: Db) {
    let w = world(db, |_| {}).await;
    let code = w.upload_ok("1.0.0").await["version"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let sid = w.submit_ok(1).await["id"].as_i64().unwrap();
    let reject = format!("/api/v1/moderation/submissions/{sid}/reject");

    // Bad reasons change nothing.
    // Each refusal names the field (a JSON pointer into the request) and a stable reason.
    for (reasons, needle, field, reason) in [
        (
            json!([]),
            "at least one reason",
            "/reasons",
            "rejection.reasons_missing",
        ),
        (
            json!([{"code": "nonsense.code", "text": "x"}]),
            "unknown code",
            "/reasons/0/code",
            "rejection.reason_code_unknown",
        ),
        (
            json!([{"code": "script.console", "text": "ok"}, {"code": "moderation.unclear_instructions", "text": "  "}]),
            "reason 2: `moderation.unclear_instructions` needs a text",
            "/reasons/1/text",
            "rejection.reason_text_missing",
        ),
    ] {
        let r = w
            .post_json(&w.moderator, &reject, &json!({"reasons": reasons}))
            .await;
        assert_eq!(r.status(), 400);
        let p = problem(r).await;
        assert_eq!(p["code"], "request.invalid");
        assert!(p["detail"].as_str().unwrap().contains(needle), "{p}");
        assert_eq!(
            (p["field"].as_str(), p["reason"].as_str()),
            (Some(field), Some(reason)),
            "{p}"
        );
    }
    assert_eq!(w.version_states().await, vec![(1, "in_review".into())]);

    let reasons = json!([
        {"code": "moderation.unclear_instructions", "text": "Say where the API key comes from."},
        {"code": "script.console", "text": "Remove the console.log in render."}
    ]);
    let r = w
        .post_json(
            &w.moderator,
            &reject,
            &json!({"reasons": reasons, "note": "almost"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    // The integrator sees the reasons on the submission and the version; it stays private.
    let s = w
        .get_json(
            &w.dev,
            &format!("/api/v1/integrations/{}/submissions/{sid}", w.id),
        )
        .await;
    assert_eq!(s["state"], "rejected");
    assert_eq!(s["decision"]["reasons"], reasons);
    assert_eq!(s["decision"]["note"], "almost");
    assert_eq!(w.version_states().await, vec![(1, "rejected".into())]);
    assert!(w.widget(&w.shop, &code).await.is_none());
    assert!(w.queue().await.is_empty());
    let events = w
        .get_json(&w.dev, &format!("/api/v1/integrations/{}/audit", w.id))
        .await;
    let rejected = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "submission.rejected")
        .unwrap()
        .clone();
    assert_eq!(rejected["from_state"], "in_review");
    assert_eq!(rejected["to_state"], "rejected");
    assert_eq!(rejected["detail"]["reasons"], reasons);

    // A decided submission cannot be decided again.
    let r = w.approve(sid, &json!({})).await;
    assert_eq!(r.status(), 409);
    assert_eq!(problem(r).await["code"], "submission.decided");

    // Resubmit, then withdraw.
    let sid2 = w.submit_ok(1).await["id"].as_i64().unwrap();
    assert_ne!(sid, sid2);
    let withdraw = format!("/api/v1/integrations/{}/submissions/{sid2}/withdraw", w.id);
    // Another account cannot withdraw it (not found), nor can a moderator approve a
    // withdrawn one afterwards.
    let r = w.post_json(&w.shop, &withdraw, &json!({})).await;
    assert_eq!(r.status(), 404);
    let r = w.post_json(&w.dev, &withdraw, &json!({})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(body(r).await["state"], "withdrawn");
    assert_eq!(w.version_states().await, vec![(1, "withdrawn".into())]);
    let r = w.post_json(&w.dev, &withdraw, &json!({})).await;
    assert_eq!(r.status(), 409);
    assert_eq!(problem(r).await["code"], "submission.decided");
    let r = w.approve(sid2, &json!({})).await;
    assert_eq!(r.status(), 409);
    assert_eq!(problem(r).await["code"], "submission.decided");
    assert!(w.widget(&w.shop, &code).await.is_none());

    // A version in review cannot be submitted twice.
    w.submit_ok(1).await;
    let r = w.submit(&w.dev, &fields()).await;
    assert_eq!(r.status(), 409);
    let p = problem(r).await;
    assert_eq!(p["code"], "submission.conflict");
    // The finer case, for clients that explain it in their own words.
    assert_eq!(p["reason"], "submission.in_review");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("is already in review"),
        "{p}"
    );
    let list = w
        .get_json(
            &w.dev,
            &format!("/api/v1/integrations/{}/submissions", w.id),
        )
        .await;
    let states: Vec<&str> = list["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["in_review", "withdrawn", "rejected"]);
}

/// Replaces a file's text in a file list.
fn edit(files: &mut [(String, Vec<u8>)], path: &str, f: impl Fn(String) -> String) {
    let entry = files.iter_mut().find(|(p, _)| p == path).unwrap();
    entry.1 = f(String::from_utf8(entry.1.clone()).unwrap()).into_bytes();
}

async fn blocked_submission_lists_every_rule(db: Db) {
    let w = world(db, |_| {}).await;
    // A package that uploads (these are warnings on upload) but is not fit for publication:
    // debug code, an alert, a localhost URL, an empty Russian description.
    let mut files = publishable_files("Deal Notes", "1.0.0");
    edit(&mut files, "script.js", |s| {
        s.replacen(
            "render: function () {",
            "render: function () {\n      debugger;\n      console.log('render');\n      alert('hi');\n      var api = 'http://localhost:8080/api';",
            1,
        )
    });
    let r = w.s.upload(&w.dev, w.id, zip(&files)).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let before = w.history_kinds().await;

    let bad = json!({
        "languages": ["en", "ru", "ru"],
        "description": {"en": "Shows notes. Call us.", "ru": ""},
        "instructions": {"en": "Install it and open a lead card to see the panel."},
        "support_phone": "call me",
        "support_email": "help-at-vendor",
        "changes": {"name": {"es": "Notas"}}
    });
    let r = w.submit(&w.dev, &bad).await;
    assert_eq!(r.status(), 400);
    let p = problem(r).await;
    assert_eq!(p["code"], "submission.blocked");
    let codes: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    for expected in [
        "script.debugger",
        "script.console",
        "script.alert",
        "text.test_domain",
        "submission.language_duplicate",
        "submission.description_no_phone",
        "submission.description_no_email",
        "submission.description_missing",
        "submission.instructions_missing",
        "submission.support_phone_invalid",
        "submission.support_email_invalid",
        "submission.change_language",
    ] {
        assert!(codes.contains(&expected), "{expected} in {codes:?}");
    }
    // Findings about the request point into it.
    let ru = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "submission.description_missing")
        .unwrap();
    assert_eq!(ru["pointer"], "/description/ru");
    assert!(ru["file"].is_null());
    let debugger = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "script.debugger")
        .unwrap();
    assert_eq!(debugger["file"], "script.js");
    assert!(debugger["line"].as_i64().unwrap() > 1);

    // Russian messages on request.
    let r =
        w.s.post(&format!("/api/v1/integrations/{}/submissions", w.id))
            .bearer_auth(&w.dev)
            .header("accept-language", "ru")
            .json(&bad)
            .send()
            .await
            .unwrap();
    let p = problem(r).await;
    assert!(p["errors"].as_array().unwrap().iter().any(|e| {
        e["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('а'..='я').contains(&c))
    }));

    // Nothing queued, nothing changed.
    assert!(w.queue().await.is_empty());
    assert_eq!(w.version_states().await, vec![(1, "uploaded".into())]);
    assert_eq!(w.history_kinds().await, before);
    let list = w
        .get_json(
            &w.dev,
            &format!("/api/v1/integrations/{}/submissions", w.id),
        )
        .await;
    assert!(list["submissions"].as_array().unwrap().is_empty());

    // A missing or unknown version is a conflict that says so.
    let mut f = fields();
    f["version"] = 7.into();
    let r = w.submit(&w.dev, &f).await;
    assert_eq!(r.status(), 409);
    assert_eq!(problem(r).await["code"], "submission.no_version");
    assert!(w.queue().await.is_empty());
}

async fn test_credentials_are_for_moderators_only(db: Db) {
    let w = world(db, |c| c.webhooks.allow_private = true).await;
    let code = w.upload_ok("1.0.0").await["version"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let sid = w.submit_ok(1).await["id"].as_i64().unwrap();
    let own = format!("/api/v1/integrations/{}/submissions/{sid}", w.id);
    let list = format!("/api/v1/integrations/{}/submissions", w.id);

    // The owner account's admin and member: told that credentials exist, never their value.
    for token in [&w.dev, &w.member] {
        for path in [&own, &list] {
            let r = w.get(token, path).await;
            assert_eq!(r.status(), 200);
            let text = r.text().await.unwrap();
            assert!(
                !text.contains(CREDENTIALS) && !text.contains("Xq7-demo"),
                "{text}"
            );
            assert!(text.contains("\"has_test_credentials\":true"));
        }
    }
    // Another account: not found.
    for path in [&own, &list] {
        assert_eq!(w.get(&w.shop, path).await.status(), 404);
    }
    // Nor in the history.
    let r = w
        .get(&w.dev, &format!("/api/v1/integrations/{}/audit", w.id))
        .await;
    assert!(!r.text().await.unwrap().contains("Xq7-demo"));
    // The moderator reads them in the queue and the submission.
    let q = w.queue().await;
    assert_eq!(q[0]["test_credentials"], CREDENTIALS);
    let review = w
        .get_json(
            &w.moderator,
            &format!("/api/v1/moderation/submissions/{sid}"),
        )
        .await;
    assert_eq!(review["submission"]["test_credentials"], CREDENTIALS);
    // After approval the public API shows the widget, never the credentials.
    assert_eq!(w.approve(sid, &json!({})).await.status(), 200);
    for path in [
        "/api/v4/widgets".to_string(),
        format!("/api/v4/widgets/{code}"),
        "/api/v1/catalog".to_string(),
        format!("/api/v1/integrations/{}", w.id),
        format!("/api/v1/integrations/{}/versions/1", w.id),
    ] {
        let r = w.get(&w.shop, &path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert!(!r.text().await.unwrap().contains("Xq7-demo"), "{path}");
    }
}

async fn moderation_routes_refuse_everyone_else(db: Db) {
    let w = world(db, |_| {}).await;
    w.upload_ok("1.0.0").await;
    let sid = w.submit_ok(1).await["id"].as_i64().unwrap();
    // A moderator's token without the `moderate` scope.
    let mod_without = w.s.token_for("mod@platform.test", &[Scope::Upload]).await;
    // The integrator's own session holds every scope but is not a moderator.
    let session = w.s.login("dev@vendor.test").await;
    let routes: Vec<(&str, String, Value)> = vec![
        ("GET", "/api/v1/moderation/queue".into(), Value::Null),
        (
            "GET",
            "/api/v1/moderation/queue?state=decided".into(),
            Value::Null,
        ),
        ("GET", "/api/v1/moderation/reasons".into(), Value::Null),
        (
            "GET",
            format!("/api/v1/moderation/submissions/{sid}"),
            Value::Null,
        ),
        (
            "GET",
            format!("/api/v1/moderation/submissions/{sid}/files/script.js"),
            Value::Null,
        ),
        (
            "POST",
            format!("/api/v1/moderation/submissions/{sid}/approve"),
            json!({}),
        ),
        (
            "POST",
            format!("/api/v1/moderation/submissions/{sid}/reject"),
            json!({"reasons": [{"code": "moderation.other", "text": "no"}]}),
        ),
    ];
    for (method, path, v) in &routes {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let callers: Vec<(&str, reqwest::RequestBuilder)> = vec![
            (
                "integrator token",
                w.s.client
                    .request(method.clone(), w.s.url(path))
                    .bearer_auth(&w.dev),
            ),
            (
                "other account token",
                w.s.client
                    .request(method.clone(), w.s.url(path))
                    .bearer_auth(&w.shop),
            ),
            (
                "moderator token without the scope",
                w.s.client
                    .request(method.clone(), w.s.url(path))
                    .bearer_auth(&mod_without),
            ),
            (
                "integrator session",
                w.s.client
                    .request(method.clone(), w.s.url(path))
                    .header("cookie", &session.cookie)
                    .header("x-csrf-token", &session.csrf),
            ),
            ("nobody", w.s.client.request(method.clone(), w.s.url(path))),
        ];
        for (who, request) in callers {
            let request = if v.is_null() {
                request
            } else {
                request.json(v)
            };
            let r = request.send().await.unwrap();
            let expected = if who == "nobody" { 401 } else { 403 };
            assert_eq!(r.status(), expected, "{who}: {method} {path}");
            let p = problem(r).await;
            if expected == 403 {
                assert_eq!(p["code"], "auth.missing_scope", "{who}: {path}");
                assert_eq!(p["scope"], "moderate");
            }
        }
    }
    // Nothing changed.
    assert_eq!(w.version_states().await, vec![(1, "in_review".into())]);
    assert_eq!(w.queue().await.len(), 1);
    // A moderator cannot be minted by a non-moderator's token request either.
    let r =
        w.s.post("/api/v1/tokens")
            .header("cookie", &session.cookie)
            .header("x-csrf-token", &session.csrf)
            .json(&json!({"name": "sneaky", "scopes": ["moderate"]}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 403);
}

async fn concurrent_approvals_exactly_one_wins(db: Db) {
    let w = world(db, |_| {}).await;
    w.upload_ok("1.0.0").await;
    w.upload_ok("1.0.1").await;
    let a = w.submit_ok(1).await["id"].as_i64().unwrap();
    let b = w.submit_ok(2).await["id"].as_i64().unwrap();
    assert_eq!(w.queue().await.len(), 2);
    let empty = json!({});
    let (ra, rb) = tokio::join!(w.approve(a, &empty), w.approve(b, &empty));
    let (sa, sb) = (ra.status().as_u16(), rb.status().as_u16());
    assert!(
        (sa, sb) == (200, 409) || (sa, sb) == (409, 200),
        "statuses {sa} and {sb}"
    );
    let (loser, loser_response, winner_number) = if sa == 409 { (a, ra, 2) } else { (b, rb, 1) };
    let p = problem(loser_response).await;
    assert_eq!(p["code"], "submission.published_changed");
    assert!(p["detail"].as_str().unwrap().contains("reload"), "{p}");
    // Exactly one published; the loser is still in review.
    let states = w.version_states().await;
    assert_eq!(
        states.iter().filter(|(_, s)| s == "published").count(),
        1,
        "{states:?}"
    );
    assert!(states.contains(&(winner_number, "published".to_string())));
    let queue = w.queue().await;
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["id"], loser);
    // After reloading, the moderator decides against the new base.
    let review = w
        .get_json(
            &w.moderator,
            &format!("/api/v1/moderation/submissions/{loser}"),
        )
        .await;
    assert_eq!(review["base_version"]["number"], winner_number);
    let r = w
        .approve(loser, &json!({"base_version": winner_number}))
        .await;
    if winner_number == 1 {
        // 1.0.1 on top of 1.0.0: fine.
        assert_eq!(r.status(), 200);
        assert_eq!(
            w.version_states().await,
            vec![(1, "superseded".into()), (2, "published".into())]
        );
    } else {
        // 1.0.0 after 1.0.1 would go backwards: refused, nothing changed.
        assert_eq!(r.status(), 409);
        assert_eq!(problem(r).await["code"], "submission.outdated");
        assert_eq!(
            w.version_states().await,
            vec![(1, "in_review".into()), (2, "published".into())]
        );
    }
}

/// Reads server-sent events from a streaming response until `stop` returns true for one;
/// returns every `(id, event, data)` read.
async fn read_events(
    mut r: reqwest::Response,
    stop: impl Fn(&str) -> bool,
) -> Vec<(i64, String, Value)> {
    let mut buffer = String::new();
    let mut out = Vec::new();
    loop {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(20), r.chunk())
            .await
            .expect("an event within 20 s")
            .unwrap()
            .expect("the stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let (mut id, mut event, mut data) = (0, String::new(), String::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().parse().unwrap();
                } else if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if event.is_empty() {
                continue; // keep-alive comment
            }
            let done = stop(&event);
            out.push((id, event, serde_json::from_str(&data).unwrap()));
            if done {
                return out;
            }
        }
    }
}

async fn events_stream_status_changes(db: Db) {
    let w = world(db, |_| {}).await;
    w.upload_ok("1.0.0").await;
    let path = format!("/api/v1/integrations/{}/events", w.id);
    // Another account may not follow it.
    assert_eq!(w.get(&w.shop, &path).await.status(), 404);
    // Following new events only.
    let live = w.get(&w.dev, &path).await;
    assert_eq!(live.status(), 200);
    assert!(
        live.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let sid = w.submit_ok(1).await["id"].as_i64().unwrap();
    assert_eq!(w.approve(sid, &json!({})).await.status(), 200);
    let events = read_events(live, |e| e == "submission.approved").await;
    let kinds: Vec<&str> = events.iter().map(|(_, k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["submission.created", "submission.approved"]);
    let (_, _, approved) = &events[1];
    assert_eq!(approved["from_state"], "in_review");
    assert_eq!(approved["to_state"], "approved");
    // The rest of the publication follows; replaying from 0 gives the history in order,
    // and `Last-Event-ID` resumes after an event.
    let replay = read_events(w.get(&w.dev, &format!("{path}?after=0")).await, |e| {
        e == "integration.published"
    })
    .await;
    let kinds: Vec<&str> = replay.iter().map(|(_, k, _)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "version.uploaded",
            "submission.created",
            "submission.approved",
            "version.published",
            "integration.published"
        ]
    );
    assert!(replay.windows(2).all(|p| p[0].0 < p[1].0));
    let resumed =
        w.s.get(&path)
            .bearer_auth(&w.dev)
            .header("last-event-id", replay[2].0.to_string())
            .send()
            .await
            .unwrap();
    let rest = read_events(resumed, |e| e == "integration.published").await;
    assert_eq!(rest[0].1, "version.published");
}

/// A local webhook receiver: answers 500 to the first `failures` requests, then 204; keeps
/// every request's headers and body.
#[derive(Clone, Default)]
struct Receiver {
    seen: Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>,
    failures: Arc<Mutex<usize>>,
}

async fn receiver(failures: usize) -> (Receiver, String) {
    use axum::routing::post;
    let state = Receiver {
        failures: Arc::new(Mutex::new(failures)),
        ..Receiver::default()
    };
    let app = axum::Router::new()
        .route(
            "/hook",
            post(
                |axum::extract::State(r): axum::extract::State<Receiver>,
                 headers: axum::http::HeaderMap,
                 body: String| async move {
                    r.seen.lock().unwrap().push((headers, body));
                    let mut left = r.failures.lock().unwrap();
                    if *left > 0 {
                        *left -= 1;
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        axum::http::StatusCode::NO_CONTENT
                    }
                },
            ),
        )
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (state, url)
}

fn hmac_hex(secret: &str, message: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn webhook_is_signed_and_retried(db: Db) {
    let w = world(db, |c| {
        c.webhooks.allow_private = true;
        c.webhooks.retry = widgetry_registry::RetryPolicy {
            base_delay_ms: 50,
            max_attempts: 5,
        };
    })
    .await;
    let (rx, url) = receiver(2).await;
    let hook = format!("/api/v1/integrations/{}/webhook", w.id);
    // Bad URLs are refused and nothing is set.
    let r =
        w.s.client
            .put(w.s.url(&hook))
            .bearer_auth(&w.dev)
            .json(&json!({"url": "ftp://example.org/x"}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(w.get(&w.dev, &hook).await.status(), 404);
    let r =
        w.s.client
            .put(w.s.url(&hook))
            .bearer_auth(&w.dev)
            .json(&json!({"url": url}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    let secret = body(r).await["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    // Only the owner reads it, and never the secret again.
    assert_eq!(w.get(&w.shop, &hook).await.status(), 404);
    let shown = w.get(&w.dev, &hook).await.text().await.unwrap();
    assert!(!shown.contains(&secret));

    w.upload_ok("1.0.0").await;
    // The upload's event fails twice (500), then is delivered.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let delivery = loop {
        let v = w.get_json(&w.dev, &hook).await;
        let d = v["deliveries"][0].clone();
        if d["state"] == "delivered" {
            break d;
        }
        assert!(std::time::Instant::now() < deadline, "not delivered: {v}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(delivery["kind"], "version.uploaded");
    assert_eq!(delivery["attempts"], 3);
    let log = delivery["attempt_log"].as_array().unwrap();
    let statuses: Vec<i64> = log.iter().map(|a| a["status"].as_i64().unwrap()).collect();
    assert_eq!(statuses, [500, 500, 204]);
    assert!(log[0]["error"].as_str().unwrap().contains("500"));
    assert!(log[2]["error"].is_null());

    let seen = rx.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    for (headers, body) in &seen {
        let ts = headers["x-widgetry-timestamp"].to_str().unwrap();
        let expected = format!("sha256={}", hmac_hex(&secret, &format!("{ts}.{body}")));
        assert_eq!(headers["x-widgetry-signature"].to_str().unwrap(), expected);
        assert_eq!(headers["x-widgetry-event"], "version.uploaded");
        assert_eq!(headers["content-type"], "application/json");
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["kind"], "version.uploaded");
        assert_eq!(v["integration"]["id"], w.id);
        // A forged body does not match the signature.
        assert_ne!(
            expected,
            format!("sha256={}", hmac_hex(&secret, &format!("{ts}.{body} ")))
        );
    }
    // Every attempt of one delivery carries the same delivery id.
    let ids: Vec<&str> = seen
        .iter()
        .map(|(h, _)| h["x-widgetry-delivery"].to_str().unwrap())
        .collect();
    assert!(ids.windows(2).all(|p| p[0] == p[1]));

    // Submission and approval are delivered too, in order, without credentials.
    let sid = w.submit_ok(1).await["id"].as_i64().unwrap();
    assert_eq!(w.approve(sid, &json!({})).await.status(), 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let kinds: Vec<String> = rx
            .seen
            .lock()
            .unwrap()
            .iter()
            .map(|(h, _)| h["x-widgetry-event"].to_str().unwrap().to_string())
            .collect();
        if kinds.iter().any(|k| k == "integration.published") {
            for k in [
                "submission.created",
                "submission.approved",
                "version.published",
            ] {
                assert!(kinds.iter().any(|x| x == k), "{k} in {kinds:?}");
            }
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{kinds:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        rx.seen
            .lock()
            .unwrap()
            .iter()
            .all(|(_, b)| !b.contains("Xq7-demo"))
    );
}

#[tokio::test]
async fn webhook_to_an_internal_address_is_refused_by_default() {
    let s = TestServer::start_with(|c| {
        c.webhooks.retry = widgetry_registry::RetryPolicy {
            base_delay_ms: 20,
            max_attempts: 2,
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
    let (rx, url) = receiver(0).await;
    let hook = format!("/api/v1/integrations/{id}/webhook");
    let r = s
        .client
        .put(s.url(&hook))
        .bearer_auth(&dev)
        .json(&json!({"url": url}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = s
        .upload(&dev, id, publishable_zip("Deal Notes", "1.0.0"))
        .await;
    assert_eq!(r.status(), 201);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let delivery = loop {
        let v: Value = s
            .get(&hook)
            .bearer_auth(&dev)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["deliveries"][0]["state"] == "failed" {
            break v["deliveries"][0].clone();
        }
        assert!(std::time::Instant::now() < deadline, "{v}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(delivery["attempts"], 2);
    assert!(
        delivery["last_error"]
            .as_str()
            .unwrap()
            .contains("internal address"),
        "{delivery}"
    );
    assert!(rx.seen.lock().unwrap().is_empty());
}
