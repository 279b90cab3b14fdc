//! The moderators' console over HTTP, without a browser: who may see it, what the queue and a
//! submission show, the viewer and the raw files' headers, and the decision forms' refusals
//! (CSRF, reasons without a text or with an unknown code, a version published meanwhile, a
//! submission decided already). The browser flow (tests/browser.rs) drives the same pages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use reqwest::StatusCode;
use serde_json::json;
use widgetry_registry::{Role, Scope};

const CREDENTIALS: &str = "demo login: moderator@vendor-widgets.ru / password: <Xq7&demo>";

/// The publishable widget plus an SVG and an HTML file, to see how the viewer shows markup.
fn widget(version: &str) -> Vec<u8> {
    let mut files = publishable_files("Deal Notes", version);
    files.push((
        "images/badge.svg".into(),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
    ));
    files.push((
        "templates/panel.html".into(),
        b"<p onclick=\"alert(1)\">hi</p>".to_vec(),
    ));
    // A bundled library the validator recognises by its banner and name (and an old one).
    files.push((
        "vendor/jquery-3.4.1.min.js".into(),
        b"/*! jQuery v3.4.1 | (c) JS Foundation and other contributors | jquery.org/license */\n!function(e){e.ajax({async:false})}(window);\n".to_vec(),
    ));
    zip(&files)
}

/// A page with minijinja's escaped slashes (`&#x2f;`) written plainly, to compare with.
fn unslash(page: String) -> String {
    page.replace("&#x2f;", "/")
}

struct Console {
    s: TestServer,
    /// A client that does not follow redirects.
    client: reqwest::Client,
    dev_token: String,
    dev: Session,
    moderator: Session,
    id: i64,
}

async fn console(db: Db) -> Console {
    let s = db.server(|_| {}).await;
    let dev_token = s
        .token(
            "dev@vendor.test",
            "vendor",
            Role::Admin,
            &[Scope::Upload, Scope::Submit],
        )
        .await;
    s.moderator("mod@platform.test", "platform").await;
    let dev = s.login("dev@vendor.test").await;
    let moderator = s.login("mod@platform.test").await;
    let id = s.integration(&dev_token).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Console {
        s,
        client,
        dev_token,
        dev,
        moderator,
        id,
    }
}

impl Console {
    async fn upload(&self, version: &str) {
        let r = self
            .s
            .upload(&self.dev_token, self.id, widget(version))
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }

    async fn submit(&self, number: i64) -> i64 {
        let r = self
            .s
            .post(&format!("/api/v1/integrations/{}/submissions", self.id))
            .bearer_auth(&self.dev_token)
            .json(&json!({
                "version": number,
                "languages": ["en"],
                "description": {"en": "Shows deal notes. Support: +7 495 215-37-84, help@vendor-widgets.ru"},
                "instructions": {"en": "Install it and open a lead."},
                "test_credentials": CREDENTIALS,
                "support_phone": "+7 495 215-37-84",
                "support_email": "help@vendor-widgets.ru"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    async fn get(
        &self,
        who: &Session,
        path: &str,
    ) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let r = self
            .client
            .get(self.s.url(path))
            .header("cookie", &who.cookie)
            .send()
            .await
            .unwrap();
        (
            r.status(),
            r.headers().clone(),
            unslash(r.text().await.unwrap()),
        )
    }

    async fn post(
        &self,
        who: &Session,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let r = self
            .client
            .post(self.s.url(path))
            .header("cookie", &who.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(form)
                    .finish(),
            )
            .send()
            .await
            .unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (r.status(), location, unslash(r.text().await.unwrap()))
    }
}

async fn who_sees_the_console(db: Db) {
    let c = console(db).await;
    c.upload("1.0.0").await;
    let sid = c.submit(1).await;

    let r = c.client.get(c.s.url("/moderation")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login?next=%2Fmoderation");

    for path in [
        "/moderation".to_string(),
        format!("/moderation/{sid}"),
        format!("/moderation/{sid}/files/script.js"),
        format!("/moderation/{sid}/raw/script.js"),
    ] {
        let (status, _, body) = c.get(&c.dev, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(body.contains("for platform moderators"), "{path}: {body}");
        assert!(!body.contains("Xq7"), "{path}");
    }
    let (status, _, _) = c
        .post(
            &c.dev,
            &format!("/moderation/{sid}/approve"),
            &[("csrf", &c.dev.csrf), ("base_version", "")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _, body) = c.get(&c.moderator, "/moderation").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("deal_notes_"), "{body}");
    assert!(body.contains("<td>vendor</td>"), "{body}");
    assert!(body.contains("less than a day"), "{body}");
    let (_, _, decided) = c.get(&c.moderator, "/moderation?view=decided").await;
    assert!(
        decided.contains("No submission has been decided yet."),
        "{decided}"
    );

    let (status, headers, page) = c.get(&c.moderator, &format!("/moderation/{sid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "private, no-store");
    assert!(page.contains("Test data — for moderators only"));
    // The credentials are shown escaped, like everything the integrator wrote.
    assert!(page.contains("password: &lt;Xq7&amp;demo&gt;"), "{page}");
    assert!(page.contains("+7 495 215-37-84"));
    assert!(page.contains("Nothing is published yet"));
    assert!(page.contains(&format!(
        "href=\"/moderation/{sid}/files/images/badge.svg\""
    )));
    assert!(page.contains("name=\"base_version\" value=\"\""));

    for missing in [
        "/moderation/999999",
        "/moderation/nope",
        &format!("/moderation/{sid}/files/nope.js"),
    ] {
        let (status, _, _) = c.get(&c.moderator, missing).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
    }

    // Russian from Accept-Language.
    let r = c
        .client
        .get(c.s.url("/moderation"))
        .header("cookie", &c.moderator.cookie)
        .header("accept-language", "ru")
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    assert!(body.contains("Ожидают проверки"), "{body}");
}

async fn the_viewer_never_renders_markup(db: Db) {
    let c = console(db).await;
    c.upload("1.0.0").await;
    let sid = c.submit(1).await;

    // The moderator sees which libraries the package bundles, and their advisories.
    let (status, _, page) = c.get(&c.moderator, &format!("/moderation/{sid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Bundled libraries"), "{page}");
    assert!(
        page.contains("<code>vendor/jquery-3.4.1.min.js</code>"),
        "{page}"
    );
    assert!(page.contains("jQuery 3.4.1"), "{page}");
    assert!(page.contains("<code>CVE-2020-11022</code>"), "{page}");
    assert!(page.contains("by licence banner and file name"), "{page}");

    let (status, _, page) = c
        .get(
            &c.moderator,
            &format!("/moderation/{sid}/files/images/badge.svg"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "{page}");
    let (_, _, page) = c
        .get(
            &c.moderator,
            &format!("/moderation/{sid}/files/images/logo.png"),
        )
        .await;
    assert!(
        page.contains(&format!(
            "<img src=\"/moderation/{sid}/raw/images/logo.png\""
        )),
        "{page}"
    );

    for (path, content_type) in [
        ("images/badge.svg", "text/plain; charset=utf-8"),
        ("templates/panel.html", "text/plain; charset=utf-8"),
        ("script.js", "text/plain; charset=utf-8"),
        ("images/logo.png", "image/png"),
    ] {
        let (status, headers, _) = c
            .get(&c.moderator, &format!("/moderation/{sid}/raw/{path}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers["content-type"], content_type, "{path}");
        assert_eq!(
            headers["content-security-policy"], "sandbox; default-src 'none'",
            "{path}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    }
}

async fn decisions_refused_on_the_page(db: Db) {
    let c = console(db).await;
    c.upload("1.0.0").await;
    c.upload("1.0.1").await;
    let first = c.submit(1).await;
    let second = c.submit(2).await;
    let m = &c.moderator;
    let reject = format!("/moderation/{second}/reject");

    let (status, _, _) = c
        .post(
            m,
            &reject,
            &[
                ("csrf", "forged"),
                ("code_0", "moderation.ui"),
                ("text_0", "x"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _, page) = c
        .post(
            m,
            &reject,
            &[
                ("csrf", &m.csrf),
                ("code_0", "moderation.ui"),
                ("text_0", ""),
                ("code_1", "no.such_rule"),
                ("text_1", "something"),
                ("code_2", ""),
                ("text_2", ""),
                ("note", "kept <as typed>"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("Say what the integrator should fix."),
        "{page}"
    );
    assert!(page.contains("This code is unknown"), "{page}");
    assert!(page.contains("aria-describedby=\"text_0-error\""), "{page}");
    assert!(page.contains("kept &lt;as typed&gt;"), "{page}");
    let (status, _, page) = c.post(m, &reject, &[("csrf", &m.csrf)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Give at least one reason."), "{page}");

    // The second version is approved while the first one is on a moderator's screen.
    let (status, location, _) = c
        .post(
            m,
            &format!("/moderation/{second}/approve"),
            &[("csrf", &m.csrf), ("base_version", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/moderation/{second}?notice=approved"));
    let (_, _, page) = c.get(m, &location).await;
    assert!(
        page.contains("Approved: the version is published."),
        "{page}"
    );
    assert!(page.contains("Approved on"), "{page}");
    assert!(
        !page.contains("action=\"/moderation/"),
        "a decided submission has no forms"
    );

    // Approving the first against "nothing published" is refused: reload and decide again.
    let (status, _, page) = c
        .post(
            m,
            &format!("/moderation/{first}/approve"),
            &[("csrf", &m.csrf), ("base_version", ""), ("note", "ok")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("Another version of this integration was published while you were reviewing"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<a href=\"/moderation/{first}\">Reload the page</a>"
        )),
        "{page}"
    );
    // Reloaded, the page compares with version 2 and sends it as the base.
    let (_, _, page) = c.get(m, &format!("/moderation/{first}")).await;
    assert!(page.contains("Compared with version 2 (1.0.1)"), "{page}");
    assert!(page.contains("name=\"base_version\" value=\"2\""), "{page}");

    // Approved against the version published now, the older version is still refused.
    let (status, _, page) = c
        .post(
            m,
            &format!("/moderation/{first}/approve"),
            &[("csrf", &m.csrf), ("base_version", "2")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        page.contains("A newer version of this integration is published already"),
        "{page}"
    );

    // Deciding a decided submission again.
    let (status, _, page) = c
        .post(
            m,
            &reject,
            &[
                ("csrf", &m.csrf),
                ("code_0", "moderation.ui"),
                ("text_0", "late"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("no longer in review"), "{page}");

    // A rejection with reasons goes through and lists them.
    let (status, location, _) = c
        .post(
            m,
            &format!("/moderation/{first}/reject"),
            &[
                ("csrf", &m.csrf),
                ("code_0", ""),
                ("text_0", ""),
                ("code_1", "moderation.not_working"),
                ("text_1", "the panel stays empty"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = c.get(m, &location).await;
    assert!(
        page.contains("Rejected: the integrator sees your reasons."),
        "{page}"
    );
    assert!(
        page.contains("<code>moderation.not_working</code>: the panel stays empty"),
        "{page}"
    );
    let (_, _, history) = c.get(m, "/moderation?view=decided").await;
    assert!(
        history.contains("rejected") && history.contains("approved"),
        "{history}"
    );
}

on_both!(
    who_sees_the_console,
    the_viewer_never_renders_markup,
    decisions_refused_on_the_page
);
