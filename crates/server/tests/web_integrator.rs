//! The integrator's pages over HTTP: a browser's requests (form posts with the session
//! cookie and the page's CSRF token, multipart uploads), the pages' answers, and what the
//! registry holds afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{self, Db, TestServer, broken_zip, publishable_zip, widget_files, zip};
use widgetry_registry::{IntegrationId, Principal, Reason, Role};

/// A form body, `application/x-www-form-urlencoded`.
fn encode(form: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}

/// A browser: no redirects followed, the session cookie kept by hand.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookie: String,
    lang: &'static str,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Page {
    /// The CSRF token of the page's forms.
    fn csrf(&self) -> String {
        let rest = self
            .body
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .unwrap_or_else(|| panic!("no csrf field in {}", self.body));
        rest.split('"').next().unwrap().to_string()
    }

    /// Whether the page contains `needle` (slashes in texts and attribute values come
    /// escaped as `&#x2f;`, which the needle need not spell).
    fn has(&self, needle: &str) -> bool {
        self.body.contains(needle) || self.body.replace("&#x2f;", "/").contains(needle)
    }

    #[track_caller]
    fn assert_has(&self, needle: &str) {
        assert!(
            self.has(needle),
            "`{needle}` not in the page:\n{}",
            self.body
        );
    }

    #[track_caller]
    fn assert_lacks(&self, needle: &str) {
        assert!(!self.has(needle), "`{needle}` in the page:\n{}", self.body);
    }

    /// The HTML of the element that starts with `start` up to the closing `end`.
    fn between(&self, start: &str, end: &str) -> String {
        let from = self
            .body
            .find(start)
            .unwrap_or_else(|| panic!("`{start}` not in {}", self.body));
        let rest = &self.body[from..];
        let to = rest.find(end).map_or(rest.len(), |i| i + end.len());
        rest[..to].to_string()
    }
}

impl Browser {
    async fn sign_in(s: &TestServer, email: &str) -> Browser {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = s.page_login(&client, email, "/integrations").await;
        assert_eq!(r.status(), 303, "signing in");
        let cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        Browser {
            client,
            base: s.url(""),
            cookie,
            lang: "en",
        }
    }

    /// The principal behind the browser's session, for registry checks.
    async fn principal(&self, s: &TestServer) -> Principal {
        let value = self.cookie.split_once('=').unwrap().1;
        s.registry.session(value).await.unwrap().unwrap()
    }

    async fn page(r: reqwest::RequestBuilder) -> Page {
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        Page {
            status,
            location,
            body: r.text().await.unwrap(),
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("accept-language", self.lang)
    }

    async fn get(&self, path: &str) -> Page {
        Browser::page(self.request(reqwest::Method::GET, path)).await
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        Browser::page(
            self.request(reqwest::Method::POST, path)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(encode(form)),
        )
        .await
    }

    /// Follows a 303 to the page it names.
    async fn follow(&self, p: &Page) -> Page {
        assert_eq!(p.status, 303, "expected a redirect:\n{}", p.body);
        self.get(p.location.as_deref().unwrap()).await
    }

    async fn upload(&self, id: i64, csrf: Option<&str>, bytes: Vec<u8>, name: &str) -> Page {
        let mut form = reqwest::multipart::Form::new();
        if let Some(token) = csrf {
            form = form.text("csrf", token.to_string());
        }
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str("application/zip")
            .unwrap();
        form = form.part("widget", part);
        Browser::page(
            self.request(reqwest::Method::POST, &format!("/integrations/{id}/upload"))
                .multipart(form),
        )
        .await
    }

    /// Uploads the publishable Deal Notes package at `version` as `file_name`.
    async fn upload_notes(
        &self,
        id: i64,
        csrf: Option<&str>,
        version: &str,
        file_name: &str,
    ) -> Page {
        self.upload(id, csrf, publishable_zip("Deal Notes", version), file_name)
            .await
    }

    /// Creates an integration through the form; returns its id and the page shown.
    async fn create(&self, name: &str) -> (i64, Page) {
        let form = self.get("/integrations/new").await;
        assert_eq!(form.status, 200, "{}", form.body);
        let csrf = form.csrf();
        let p = self
            .post(
                "/integrations",
                &[
                    ("csrf", &csrf),
                    ("name_en", name),
                    ("name_ru", "Заметки"),
                    ("description_en", "Notes in lead cards"),
                    ("description_ru", "Заметки в карточке сделки"),
                    ("redirect_uri", "https://vendor-widgets.ru/oauth"),
                ],
            )
            .await;
        assert_eq!(p.status, 200, "{}", p.body);
        let id = p
            .body
            .split(r#"action="/integrations/"#)
            .find_map(|rest| {
                rest.split_once("/upload\"")
                    .and_then(|(n, _)| n.parse().ok())
            })
            .expect("the upload form");
        (id, p)
    }

    async fn submit(&self, id: i64, fields: &[(&str, &str)]) -> Page {
        let form = self.get(&format!("/integrations/{id}/submit")).await;
        assert_eq!(form.status, 200, "{}", form.body);
        let csrf = form.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(&format!("/integrations/{id}/submit"), &all).await
    }
}

/// A submission that passes every rule, as the form sends it.
const GOOD: &[(&str, &str)] = &[
    ("version", "1"),
    ("languages", "en"),
    ("languages", "ru"),
    (
        "description_en",
        "Shows deal notes in lead cards. Support: +7 495 215-37-84, help@vendor-widgets.ru",
    ),
    (
        "description_ru",
        "Показывает заметки в карточке сделки. Поддержка: +7 495 215-37-84, help@vendor-widgets.ru",
    ),
    (
        "instructions_en",
        "Install the widget, enter the API key from your vendor-widgets.ru profile, open a lead.",
    ),
    (
        "instructions_ru",
        "Установите виджет, введите API-ключ из профиля vendor-widgets.ru и откройте сделку.",
    ),
    ("test_credentials", "login: demo / password: demo-pass-1"),
    ("support_phone", "+7 495 215-37-84"),
    ("support_email", "help@vendor-widgets.ru"),
];

async fn world(db: Db) -> (TestServer, Browser) {
    let s = db.server(|_| {}).await;
    s.user("dev@vendor.test", "vendor", Role::Admin).await;
    let b = Browser::sign_in(&s, "dev@vendor.test").await;
    (s, b)
}

async fn create_shows_the_secret_once_and_errors_beside_fields(db: Db) {
    let (s, b) = world(db).await;

    // The list before: empty, with a link to create one.
    let list = b.get("/integrations").await;
    assert_eq!(list.status, 200);
    list.assert_has(r#"href="/integrations/new""#);
    list.assert_has("no integrations yet");

    // Errors beside the fields, values kept, 422.
    let form = b.get("/integrations/new").await;
    form.assert_has(r#"<label for="name-en">Name (English)</label>"#);
    form.assert_has(r#"<label for="redirect-uri">Redirect URI"#);
    let post = |name: &'static str| {
        let csrf = form.csrf();
        let b = &b;
        async move {
            b.post(
                "/integrations",
                &[
                    ("csrf", &csrf),
                    ("name_en", name),
                    ("description_en", "Kept <text>"),
                    ("redirect_uri", "ftp://vendor.test/x"),
                ],
            )
            .await
        }
    };
    let p = post("").await;
    assert_eq!(p.status, 422);
    p.assert_has(r#"id="name-en-error" class="error">Enter a name in English or in Russian."#);
    let p = post("Deal Notes").await;
    assert_eq!(p.status, 422);
    p.assert_has(r#"id="redirect-uri-error" class="error">Enter an absolute https://"#);
    p.assert_has(r#"aria-describedby="redirect-uri-hint redirect-uri-error""#);
    p.assert_has(r#"value="ftp://vendor.test/x""#);
    p.assert_has(r#"value="Deal Notes""#);
    p.assert_has("Kept &lt;text&gt;</textarea>");
    let me = b.principal(&s).await;
    assert!(s.registry.list_integrations(&me).await.unwrap().is_empty());

    // Created: the page itself, with the secret key in its box, shown only now.
    let (id, p) = b.create("Deal Notes").await;
    p.assert_has(r#"id="secret-key""#);
    p.assert_has("Secret key: shown only now");
    let secret = p
        .between(r#"<code class="secret" id="secret-value">"#, "</code>")
        .trim_start_matches(r#"<code class="secret" id="secret-value">"#)
        .trim_end_matches("</code>")
        .to_string();
    assert_eq!(secret.len(), 64);
    let stored = s
        .registry
        .integration_by_id(IntegrationId(id))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.secret_matches(&secret));
    assert_eq!(stored.name["ru"], "Заметки");
    p.assert_has("generated at the first upload");
    p.assert_has(&stored.client_uuid);

    // The page after does not show it.
    let again = b.get(&format!("/integrations/{id}")).await;
    assert_eq!(again.status, 200);
    again.assert_lacks(&secret);
    again.assert_lacks(r#"id="secret-key""#);
    let list = b.get("/integrations").await;
    list.assert_has(&format!(r#"href="/integrations/{id}">Deal Notes</a>"#));
    list.assert_lacks(&secret);

    // Rotating shows a new key once; the old one stops matching.
    let p = b
        .post(
            &format!("/integrations/{id}/secret"),
            &[("csrf", &again.csrf())],
        )
        .await;
    assert_eq!(p.status, 200);
    let rotated = p
        .between(r#"<code class="secret" id="secret-value">"#, "</code>")
        .trim_start_matches(r#"<code class="secret" id="secret-value">"#)
        .trim_end_matches("</code>")
        .to_string();
    assert_ne!(rotated, secret);
    let stored = s
        .registry
        .integration_by_id(IntegrationId(id))
        .await
        .unwrap()
        .unwrap();
    assert!(stored.secret_matches(&rotated) && !stored.secret_matches(&secret));

    // Edit: names and redirect URI change, the form comes back filled.
    let edit = b.get(&format!("/integrations/{id}/edit")).await;
    edit.assert_has(r#"value="https://vendor-widgets.ru/oauth""#);
    let p = b
        .post(
            &format!("/integrations/{id}/edit"),
            &[
                ("csrf", &edit.csrf()),
                ("name_en", "Deal Notes 2"),
                ("name_ru", ""),
                ("redirect_uri", "https://vendor-widgets.ru/oauth2"),
            ],
        )
        .await;
    let p = b.follow(&p).await;
    p.assert_has("Changes saved.");
    p.assert_has("<h1>Deal Notes 2</h1>");
    let stored = s
        .registry
        .integration_by_id(IntegrationId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.redirect_uri, "https://vendor-widgets.ru/oauth2");
    assert!(!stored.name.contains_key("ru"));

    // History lists the events.
    let h = b.get(&format!("/integrations/{id}/history")).await;
    assert_eq!(h.status, 200);
    h.assert_has("integration created");
    h.assert_has("secret key replaced");
    h.assert_has("you (dev@vendor.test)");

    // Another account sees nothing of it.
    s.user("other@shop.test", "shop", Role::Admin).await;
    let other = Browser::sign_in(&s, "other@shop.test").await;
    for path in ["", "/edit", "/submit", "/history"] {
        let p = other.get(&format!("/integrations/{id}{path}")).await;
        assert_eq!(p.status, 404, "{path}");
    }
    let p = other
        .upload(
            id,
            Some(&other.get("/integrations").await.csrf()),
            publishable_zip("X", "1.0.0"),
            "widget.zip",
        )
        .await;
    assert_eq!(p.status, 404);
}

async fn uploads_show_the_report_by_file_and_list_versions(db: Db) {
    let (s, b) = world(db).await;
    let (id, page) = b.create("Deal Notes").await;
    let csrf = page.csrf();
    page.assert_has(r#"enctype="multipart/form-data" data-progress"#);
    page.assert_has(r#"<label for="widget-file">Package (widget.zip)"#);
    page.assert_has(r#"<progress hidden"#);
    page.assert_has("data-progress-text");

    // No manifest: refused, 400, the findings listed, nothing stored.
    let p = b.upload(id, Some(&csrf), broken_zip(), "widget.zip").await;
    assert_eq!(p.status, 400);
    p.assert_has(r#"id="upload-report""#);
    p.assert_has(r#"id="widget-file-error""#);
    p.assert_has(r#"aria-invalid="true""#);
    p.assert_has("nothing was stored");

    // A manifest with a syntax error on a known line: grouped under the file, with the line
    // and the offending line marked.
    let mut files = widget_files("Deal Notes", "1.0.0");
    let manifest = files
        .iter_mut()
        .find(|(p, _)| p == "manifest.json")
        .unwrap();
    let text = String::from_utf8(manifest.1.clone()).unwrap();
    let broken = text.replacen("\"widget\": {", "\"widget\": {,", 1);
    assert_ne!(broken, text);
    let line = broken.lines().position(|l| l.contains("{,")).unwrap() + 1;
    manifest.1 = broken.into_bytes();
    let p = b.upload(id, Some(&csrf), zip(&files), "widget.zip").await;
    assert_eq!(p.status, 400);
    let report = p.between(
        r#"<section id="upload-report""#,
        r#"<h2 id="versions-heading">"#,
    );
    assert!(report.contains("<code>manifest.json</code>"), "{report}");
    assert!(report.contains(&format!("line {line}")), "{report}");
    assert!(report.contains("<mark>"), "{report}");
    assert!(report.contains("How to fix:"), "{report}");
    let me = b.principal(&s).await;
    assert!(
        s.registry
            .list_versions(&me, IntegrationId(id))
            .await
            .unwrap()
            .is_empty()
    );
    // Counted like the API's refusals (one use case behind both).
    let metrics = s.metrics().await;
    assert!(
        metrics
            .contains("widgetry_uploads_total{outcome=\"refused\",code=\"validation.failed\"} 2"),
        "{metrics}"
    );

    // The same in Russian.
    let ru = Browser {
        lang: "ru",
        ..Browser::sign_in(&s, "dev@vendor.test").await
    };
    let p = ru
        .upload(
            id,
            Some(&ru.get("/integrations").await.csrf()),
            zip(&files),
            "widget.zip",
        )
        .await;
    assert_eq!(p.status, 400);
    p.assert_has("Загрузка отклонена");
    p.assert_has(&format!("строка {line}"));

    // The file must be named widget.zip; no file chosen says so.
    let p = b
        .upload_notes(id, Some(&csrf), "1.0.0", "my-widget.zip")
        .await;
    assert_eq!(p.status, 400);
    p.assert_has("The file is named my-widget.zip; it must be named widget.zip.");
    let p = b.upload(id, Some(&csrf), Vec::new(), "").await;
    assert_eq!(p.status, 400);
    p.assert_has("Choose the widget.zip file first.");

    // Accepted: redirect to the page with a notice naming the version; listed.
    let p = b.upload_notes(id, Some(&csrf), "1.0.0", "widget.zip").await;
    assert_eq!(p.status, 303, "{}", p.body);
    assert_eq!(
        p.location.as_deref(),
        Some(format!("/integrations/{id}?notice=uploaded&version=1").as_str())
    );
    let p = b.follow(&p).await;
    p.assert_has("Version 1 (1.0.0) uploaded without warnings.");
    let row = p.between(r#"<tr id="version-1">"#, "</tr>");
    assert!(
        row.contains("1.0.0") && row.contains(r#"data-state="uploaded""#),
        "{row}"
    );
    let code = s
        .registry
        .integration_by_id(IntegrationId(id))
        .await
        .unwrap()
        .unwrap()
        .code
        .unwrap();
    p.assert_has(&format!("<code>{code}</code>"));

    // The 409s say what to do.
    let p = b.upload_notes(id, Some(&csrf), "1.0.0", "widget.zip").await;
    assert_eq!(p.status, 409);
    p.assert_has("already uploaded as version 1 (1.0.0)");
    let p = b.upload_notes(id, Some(&csrf), "0.9.0", "widget.zip").await;
    assert_eq!(p.status, 409);
    p.assert_has("is not higher than the latest version 1.0.0");
    p.assert_has("to 1.0.1 or higher");
    assert_eq!(
        s.registry
            .list_versions(&me, IntegrationId(id))
            .await
            .unwrap()
            .len(),
        1
    );

    // Without the CSRF token: refused, nothing stored.
    let p = b.upload_notes(id, None, "1.0.1", "widget.zip").await;
    assert_eq!(p.status, 403);
    let p = b
        .upload_notes(id, Some("forged"), "1.0.1", "widget.zip")
        .await;
    assert_eq!(p.status, 403);
    assert_eq!(
        s.registry
            .list_versions(&me, IntegrationId(id))
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(s.upload_leftovers(), 0);
}

async fn an_upload_past_the_limit_is_413_on_the_page(db: Db) {
    let s = db.server(|c| c.max_upload_bytes = 64 * 1024).await;
    s.user("dev@vendor.test", "vendor", Role::Admin).await;
    let b = Browser::sign_in(&s, "dev@vendor.test").await;
    let (id, page) = b.create("Deal Notes").await;
    page.assert_has("at most 64 KB");
    let big: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let p = b.upload(id, Some(&page.csrf()), big, "widget.zip").await;
    assert_eq!(p.status, 413);
    p.assert_has("larger than the upload limit of 64 KB");
    assert_eq!(s.upload_leftovers(), 0);
}

async fn submit_blocked_then_in_review_then_withdrawn(db: Db) {
    let (s, b) = world(db).await;
    s.moderator("mod@platform.test", "platform").await;
    let moderator = Browser::sign_in(&s, "mod@platform.test")
        .await
        .principal(&s)
        .await;
    let (id, page) = b.create("Deal Notes").await;
    let p = b
        .upload_notes(id, Some(&page.csrf()), "1.0.0", "widget.zip")
        .await;
    assert_eq!(p.status, 303, "{}", p.body);

    // The form: every field, labelled; the version defaults to the latest.
    let form = b.get(&format!("/integrations/{id}/submit")).await;
    assert_eq!(form.status, 200);
    for label in [
        r#"<label for="sub-version">Version"#,
        r#"<label for="sub-lang-en">English (en)</label>"#,
        r#"<label for="sub-lang-ru">Russian (ru)</label>"#,
        r#"<label for="sub-description-en">Description (English (en))"#,
        r#"<label for="sub-instructions-ru">Instructions (Russian (ru))"#,
        r#"<label for="sub-change-name-en">New name (English (en), optional)</label>"#,
        r#"<label for="sub-test-credentials">Test credentials</label>"#,
        r#"<label for="sub-support-phone">Support phone"#,
        r#"<label for="sub-support-email">Support e-mail"#,
        "shown to moderators only",
    ] {
        form.assert_has(label);
    }
    form.assert_has(r#"<option value="1" selected>"#);

    // Blocked: an empty Russian description and a bad e-mail. 400, the findings, values kept
    // (not the test credentials), nothing queued.
    let mut bad: Vec<(&str, &str)> = GOOD
        .iter()
        .copied()
        .filter(|(k, _)| *k != "description_ru" && *k != "support_email")
        .collect();
    bad.push(("support_email", "help-at-vendor"));
    let p = b.submit(id, &bad).await;
    assert_eq!(p.status, 400, "{}", p.body);
    p.assert_has("nothing was queued");
    p.assert_has(r#"id="submit-report""#);
    p.assert_has("submission.description_missing");
    p.assert_has("<code class=\"pointer\">/description/ru</code>");
    p.assert_has(r#"<span id="sub-description-ru-error" class="error">"#);
    p.assert_has(r#"<span id="sub-support-email-error" class="error">"#);
    p.assert_has(r#"value="help-at-vendor""#);
    p.assert_has("Shows deal notes in lead cards.");
    p.assert_lacks("demo-pass-1");
    p.assert_has("the test credentials were not kept: enter them again");
    assert!(
        s.registry
            .review_queue(&moderator)
            .await
            .unwrap()
            .is_empty()
    );
    let me = b.principal(&s).await;
    assert!(
        s.registry
            .list_submissions(&me, IntegrationId(id))
            .await
            .unwrap()
            .is_empty()
    );

    // Without CSRF: 403, nothing queued.
    let p = b.post(&format!("/integrations/{id}/submit"), GOOD).await;
    assert_eq!(p.status, 403);
    assert!(
        s.registry
            .review_queue(&moderator)
            .await
            .unwrap()
            .is_empty()
    );

    // Submitted: back on the integration page, in review.
    let p = b.submit(id, GOOD).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let p = b.follow(&p).await;
    p.assert_has("Submitted for moderation.");
    let queue = s.registry.review_queue(&moderator).await.unwrap();
    assert_eq!(queue.len(), 1);
    let sid = queue[0].id;
    let row = p.between(&format!(r#"<tr id="submission-{sid}">"#), "</tr>");
    assert!(row.contains(r#"data-state="in_review""#), "{row}");
    assert!(row.contains("Withdraw"), "{row}");
    p.assert_lacks("demo-pass-1");

    // Withdraw without CSRF: refused, still in review.
    let withdraw = format!("/integrations/{id}/submissions/{sid}/withdraw");
    let r = b.post(&withdraw, &[("csrf", "forged")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(s.registry.review_queue(&moderator).await.unwrap().len(), 1);

    // Withdrawn.
    let r = b.post(&withdraw, &[("csrf", &p.csrf())]).await;
    let p = b.follow(&r).await;
    p.assert_has("Submission withdrawn.");
    let row = p.between(&format!(r#"<tr id="submission-{sid}">"#), "</tr>");
    assert!(row.contains(r#"data-state="withdrawn""#), "{row}");
    assert!(!row.contains("<button"), "{row}");
    assert!(
        s.registry
            .review_queue(&moderator)
            .await
            .unwrap()
            .is_empty()
    );
    // Twice: a conflict shown on the page.
    let r = b.post(&withdraw, &[("csrf", &p.csrf())]).await;
    assert_eq!(r.status, 409);
    r.assert_has("no longer in review");

    // Resubmitted, rejected with reasons: the reasons are on the page, the form is prefilled
    // from the last submission.
    let r = b.submit(id, GOOD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let sid = s.registry.review_queue(&moderator).await.unwrap()[0].id;
    s.registry
        .reject(
            &moderator,
            sid,
            vec![Reason {
                code: "moderation.unclear_instructions".into(),
                text: "Say where the API key comes from.".into(),
            }],
            Some("Almost there".into()),
        )
        .await
        .unwrap();
    let p = b.get(&format!("/integrations/{id}")).await;
    let row = p.between(&format!(r#"<tr id="submission-{sid}">"#), "</tr>");
    assert!(
        row.contains(
            "<code>moderation.unclear_instructions</code>: Say where the API key comes from."
        ),
        "{row}"
    );
    assert!(row.contains("Almost there"), "{row}");
    let form = b.get(&format!("/integrations/{id}/submit")).await;
    form.assert_has("help@vendor-widgets.ru");

    // Approved and published, then a second version published: the first can be rolled back to.
    let r = b.submit(id, GOOD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let sid = s.registry.review_queue(&moderator).await.unwrap()[0].id;
    s.registry
        .approve(&moderator, sid, None, None)
        .await
        .unwrap();
    let p = b
        .upload_notes(id, Some(&p.csrf()), "1.0.1", "widget.zip")
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let mut second: Vec<(&str, &str)> = GOOD
        .iter()
        .copied()
        .filter(|(k, _)| *k != "version")
        .collect();
    second.push(("version", "2"));
    let r = b.submit(id, &second).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let sid = s.registry.review_queue(&moderator).await.unwrap()[0].id;
    s.registry
        .approve(&moderator, sid, None, None)
        .await
        .unwrap();
    let p = b.get(&format!("/integrations/{id}")).await;
    let row = p.between(r#"<tr id="version-1">"#, "</tr>");
    assert!(
        row.contains(r#"data-state="superseded""#) && row.contains("Roll back"),
        "{row}"
    );
    let r = b
        .post(
            &format!("/integrations/{id}/rollback"),
            &[("csrf", &p.csrf()), ("version", "1")],
        )
        .await;
    let p = b.follow(&r).await;
    p.assert_has("The earlier version is published again.");
    let row = p.between(r#"<tr id="version-1">"#, "</tr>");
    assert!(row.contains(r#"data-state="published""#), "{row}");
    let h = b.get(&format!("/integrations/{id}/history")).await;
    h.assert_has("rolled back");
    h.assert_has("submission rejected");
    // The moderator's decisions are attributed to "a platform moderator", the integrator's
    // own actions to "you".
    h.assert_has("a platform moderator");
    h.assert_has("you (");
}

async fn posts_without_csrf_change_nothing_and_legacy_converts(db: Db) {
    let (s, b) = world(db).await;
    let me = b.principal(&s).await;
    let (id, page) = b.create("Deal Notes").await;
    let before = s
        .registry
        .integration_by_id(IntegrationId(id))
        .await
        .unwrap()
        .unwrap();

    for (path, form) in [
        (
            "/integrations".to_string(),
            vec![("name_en", "X"), ("redirect_uri", "https://x.test/")],
        ),
        (
            format!("/integrations/{id}/edit"),
            vec![("name_en", "Changed"), ("redirect_uri", "https://x.test/")],
        ),
        (format!("/integrations/{id}/secret"), vec![]),
        (format!("/integrations/{id}/convert"), vec![]),
        (
            format!("/integrations/{id}/rollback"),
            vec![("version", "1")],
        ),
    ] {
        let p = b.post(&path, &form).await;
        assert_eq!(p.status, 403, "{path}");
        // An HTML page in the site's layout for the signed-in viewer, never problem+json.
        p.assert_has("<h1>The form expired</h1>");
        p.assert_has(r#"action="/logout""#);
        let mut forged = form.clone();
        forged.push(("csrf", "not-the-token"));
        let p = b.post(&path, &forged).await;
        assert_eq!(p.status, 403, "{path}");
    }
    assert_eq!(s.registry.list_integrations(&me).await.unwrap().len(), 1);
    assert_eq!(
        s.registry
            .integration_by_id(IntegrationId(id))
            .await
            .unwrap()
            .unwrap(),
        before
    );

    // A market integration shows no Convert button; converting it is a conflict.
    page.assert_lacks("/convert");
    let p = b
        .post(
            &format!("/integrations/{id}/convert"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(p.status, 409);
    p.assert_has("The integration is not a legacy integration: there is nothing to convert.");

    // A legacy one: the button for admins (with a confirmation), then converted.
    let legacy = s
        .registry
        .import_legacy("vendor", "old_widget", &"ab".repeat(32), Some("Old widget"))
        .await
        .unwrap();
    let p = b.get(&format!("/integrations/{}", legacy.id)).await;
    p.assert_has("legacy");
    p.assert_has(&format!(
        r#"action="/integrations/{}/convert" class="inline" data-confirm="#,
        legacy.id
    ));
    s.user("member@vendor.test", "vendor", Role::Member).await;
    let mut member = Browser::sign_in(&s, "member@vendor.test").await;
    let mp = member.get(&format!("/integrations/{}", legacy.id)).await;
    mp.assert_lacks("/convert");
    // Refused, saying why in the member's language.
    for (lang, why) in [
        ("en", "Only an admin of the account may do this."),
        ("ru", "Это может сделать только администратор аккаунта."),
    ] {
        member.lang = lang;
        let r = member
            .post(
                &format!("/integrations/{}/convert", legacy.id),
                &[("csrf", &mp.csrf())],
            )
            .await;
        assert_eq!(r.status, 403);
        r.assert_has(why);
    }
    let r = b
        .post(
            &format!("/integrations/{}/convert", legacy.id),
            &[("csrf", &p.csrf())],
        )
        .await;
    let p = b.follow(&r).await;
    p.assert_has("Converted to the market scheme.");
    p.assert_has(r#"<dd id="integration-scheme">market</dd>"#);
}

async fn warnings_after_upload_and_package_findings_of_a_submission_show_their_lines(db: Db) {
    let (_s, b) = world(db).await;
    let (id, page) = b.create("Deal Notes").await;
    // Debug code: a warning on upload, an error for publication.
    let mut files = support::publishable_files("Deal Notes", "1.0.0");
    let script = files.iter_mut().find(|(p, _)| p == "script.js").unwrap();
    let text = String::from_utf8(script.1.clone()).unwrap();
    let edited = text.replacen(
        "render: function () {",
        "render: function () {\n      debugger;",
        1,
    );
    assert_ne!(edited, text);
    let line = edited
        .lines()
        .position(|l| l.contains("debugger;"))
        .unwrap()
        + 1;
    script.1 = edited.into_bytes();
    // A bundled library: listed after the upload, not judged as the author's code.
    files.push((
        "vendor/jquery-3.7.1.min.js".into(),
        b"/*! jQuery v3.7.1 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n!function(e){e.ajax({async:false})}(window);\n".to_vec(),
    ));

    let p = b
        .upload(id, Some(&page.csrf()), zip(&files), "widget.zip")
        .await;
    let p = b.follow(&p).await;
    p.assert_has("Version 1 (1.0.0) uploaded with ");
    let libraries = p
        .between(r#"<section class="libraries""#, "</section>")
        .replace("&#x2f;", "/");
    assert!(
        libraries.contains("<code>vendor/jquery-3.7.1.min.js</code>")
            && libraries.contains("jQuery 3.7.1"),
        "{libraries}"
    );
    p.assert_lacks("script.sync_xhr");
    let warnings = p.between(
        r#"<section id="upload-warnings""#,
        r#"<h2 id="versions-heading">"#,
    );
    assert!(warnings.contains("<code>script.js</code>"), "{warnings}");
    assert!(warnings.contains(&format!("line {line}")), "{warnings}");
    assert!(
        warnings.contains("<mark>      debugger;</mark>"),
        "{warnings}"
    );

    let p = b.submit(id, GOOD).await;
    assert_eq!(p.status, 400, "{}", p.body);
    let report = p.between(r#"<section id="submit-report""#, "</main>");
    assert!(report.contains("<code>script.js</code>"), "{report}");
    assert!(report.contains("script.debugger"), "{report}");
    assert!(report.contains(&format!("line {line}")), "{report}");
    assert!(report.contains("<mark>      debugger;</mark>"), "{report}");
}

async fn pages_that_cannot_be_shown_are_html_in_the_viewers_language(db: Db) {
    let (s, mut b) = world(db).await;
    let (id, _) = b.create("Deal Notes").await;
    s.user("other@elsewhere.test", "elsewhere", Role::Admin)
        .await;
    let mut other = Browser::sign_in(&s, "other@elsewhere.test").await;
    // Another account's integration, one that does not exist, an id that is not one.
    for path in [
        format!("/integrations/{id}"),
        "/integrations/999999/edit".to_string(),
        "/integrations/abc/history".to_string(),
    ] {
        let p = other.get(&path).await;
        assert_eq!(p.status, 404, "{path}");
        p.assert_has("<h1>Not found</h1>");
        p.assert_has(r#"href="/integrations""#);
        p.assert_has(r#"action="/logout""#);
    }
    other.lang = "ru";
    let p = other.get(&format!("/integrations/{id}")).await;
    assert_eq!(p.status, 404);
    p.assert_has("<h1>Не найдено</h1>");
    // A refused state change: 409 with the reason, in the page's language.
    b.lang = "ru";
    let page = b.get(&format!("/integrations/{id}")).await;
    let r = b
        .post(
            &format!("/integrations/{id}/rollback"),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.status, 400);
    r.assert_has("Сначала выберите версию.");
    // A state the change does not fit: 409, translated by its case, not the registry's English.
    let up = b
        .upload(
            id,
            Some(&page.csrf()),
            zip(&widget_files("Deal Notes", "1.0.0")),
            "widget.zip",
        )
        .await;
    assert_eq!(up.status, 303, "{}", up.body);
    let r = b
        .post(
            &format!("/integrations/{id}/rollback"),
            &[("csrf", &page.csrf()), ("version", "1")],
        )
        .await;
    assert_eq!(r.status, 409);
    r.assert_has("У интеграции нет опубликованной версии, от которой можно откатиться.");
    r.assert_lacks("roll back from");
    // Not a moderator: the console's own refusal.
    let p = b.get("/moderation").await;
    assert_eq!(p.status, 403);
    p.assert_has("<h1>Только для модераторов</h1>");
}

on_both!(
    pages_that_cannot_be_shown_are_html_in_the_viewers_language,
    create_shows_the_secret_once_and_errors_beside_fields,
    uploads_show_the_report_by_file_and_list_versions,
    an_upload_past_the_limit_is_413_on_the_page,
    submit_blocked_then_in_review_then_withdrawn,
    posts_without_csrf_change_nothing_and_legacy_converts,
    warnings_after_upload_and_package_findings_of_a_submission_show_their_lines,
);
