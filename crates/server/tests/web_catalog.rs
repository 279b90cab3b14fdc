//! The catalogue, widget, settings and token pages over HTTP, as a browser uses them: sign in
//! with the /login form, keep the session cookie, read the CSRF token from the page's hidden
//! field, post forms.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use widgetry_registry::{Role, Scope};

/// A signed-in browser: a client that does not follow redirects, and the session cookie.
struct Browser {
    client: reqwest::Client,
    base: String,
    cookie: String,
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// The value of the first `name="csrf"` hidden field.
fn csrf(html: &str) -> String {
    let at = html
        .find("name=\"csrf\" value=\"")
        .expect("the page has a CSRF field");
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

async fn sign_in(s: &TestServer, email: &str) -> Browser {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = s.page_login(&client, email, "/catalog").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signing in {email}");
    assert_eq!(r.headers()[LOCATION], "/catalog");
    let cookie = r.headers()[SET_COOKIE]
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
    }
}

impl Browser {
    async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookie)
            .send()
            .await
            .unwrap();
        // minijinja writes `/` in attribute values as `&#x2f;`; browsers read it back.
        (r.status(), r.text().await.unwrap().replace("&#x2f;", "/"))
    }

    async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, &self.cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(pairs))
            .send()
            .await
            .unwrap()
    }

    /// The CSRF token of this session, read from a page.
    async fn csrf(&self) -> String {
        let (status, html) = self.get("/tokens").await;
        assert_eq!(status, StatusCode::OK);
        csrf(&html)
    }
}

/// The scaffolded widget with more settings: a required password and one field per user.
fn acme_zip() -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = publishable_files("Acme Notes", "1.0.0")
        .into_iter()
        .map(|(path, bytes)| {
            let is_json =
                path == "manifest.json" || (path.starts_with("i18n/") && path.ends_with(".json"));
            if !is_json {
                return (path, bytes);
            }
            let mut v: Value = serde_json::from_slice(&bytes).unwrap();
            if path == "manifest.json" {
                let settings = v["settings"].as_object_mut().unwrap();
                settings.insert(
                    "password".into(),
                    json!({"name": "settings.password", "type": "pass", "required": true}),
                );
                settings.insert(
                    "ext".into(),
                    json!({"name": "settings.ext", "type": "users", "required": false}),
                );
            } else {
                v["settings"]["password"] = "Service password".into();
                v["settings"]["ext"] = "Phone extension".into();
            }
            (path, serde_json::to_vec_pretty(&v).unwrap())
        })
        .collect();
    zip(&files)
}

/// Uploads a widget for the token's account and returns its code.
async fn uploaded(s: &TestServer, token: &str, bytes: Vec<u8>) -> String {
    let id = s.integration(token).await;
    let r = s.upload(token, id, bytes).await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    v["version"]["code"].as_str().unwrap().to_string()
}

/// Two accounts, each with a private widget: acme (an admin and a member) and evil.
async fn two_accounts(s: &TestServer) -> (String, String) {
    s.user("boss@acme.io", "acme", Role::Admin).await;
    let dev = s
        .token("dev@acme.io", "acme", Role::Member, &[Scope::Upload])
        .await;
    let eve = s
        .token("eve@evil.io", "evil", Role::Admin, &[Scope::Upload])
        .await;
    let acme = uploaded(s, &dev, acme_zip()).await;
    let evil = uploaded(s, &eve, publishable_zip("Evil Eye", "1.0.0")).await;
    (acme, evil)
}

async fn installation(s: &TestServer, code: &str) -> (bool, Option<Value>) {
    let acme = s
        .registry
        .account_by_subdomain("acme")
        .await
        .unwrap()
        .unwrap();
    let w = s.registry.get_widget(acme.id, code).await.unwrap();
    (w.is_active_in_account, w.settings)
}

async fn catalogue_shows_the_accounts_widgets_only_and_searches(db: Db) {
    let s = db.server(|_| {}).await;
    let (acme, evil) = two_accounts(&s).await;
    let boss = sign_in(&s, "boss@acme.io").await;

    let (status, html) = boss.get("/catalog").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("href=\"/catalog/{acme}\"")),
        "{html}"
    );
    assert!(
        !html.contains(&evil),
        "another account's private widget is listed"
    );
    // Logo (on the files origin, through the owner's signed prefix), short description (from
    // the version's i18n), status and version.
    let logo = src_of(&html, "images/logo_medium.png");
    let signed = format!("{}/{acme}/1.0.0/~", s.files_url(""));
    assert!(logo.starts_with(&signed), "{logo}");
    assert!(
        html.contains("Useful notes right inside your cards"),
        "{html}"
    );
    assert!(html.contains("private") && html.contains("not installed"));
    assert!(html.contains("version 1.0.0"));
    // The logo URL is served as it is: the files origin needs no session.
    let r = s.client.get(&logo).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");

    // Search by name (any case) or code; no match has a clear empty state.
    let (_, html) = boss.get("/catalog?q=HELLO").await;
    assert!(html.contains(&format!("/catalog/{acme}\"")));
    let (_, html) = boss.get(&format!("/catalog?q={}", &acme[..6])).await;
    assert!(html.contains(&format!("/catalog/{acme}\"")));
    let (_, html) = boss.get("/catalog?q=nothing-like-it").await;
    assert!(html.contains("id=\"catalog-empty\""));
    assert!(!html.contains(&format!("/catalog/{acme}\"")));
    assert!(html.contains("nothing-like-it"));

    // In Russian.
    let r = boss
        .client
        .get(s.url("/catalog"))
        .header(COOKIE, format!("{}; widgetry_lang=ru", boss.cookie))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Полезные заметки прямо в карточках"),
        "{html}"
    );
    assert!(html.contains("частный"));

    // The widget page: description, tour image, install button for the admin.
    let (status, html) = boss.get(&format!("/catalog/{acme}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"install\""));
    assert!(src_of(&html, "images/tour_1_en.png").starts_with(&signed));
    assert!(html.contains("Shows a panel with useful information"));

    // The other account sees its own widget, not acme's, and acme's page is not found.
    let eve = sign_in(&s, "eve@evil.io").await;
    let (_, html) = eve.get("/catalog").await;
    assert!(html.contains(&format!("/catalog/{evil}\"")));
    assert!(!html.contains(&acme));
    let (status, _) = eve.get(&format!("/catalog/{acme}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = eve.get(&format!("/catalog/{acme}/install")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Signed out: to the sign-in page.
    let r = boss.client.get(s.url("/catalog")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
}

async fn install_reconfigure_and_uninstall_through_the_settings_form(db: Db) {
    let s = db.server(|_| {}).await;
    let (acme, _) = two_accounts(&s).await;
    let boss = sign_in(&s, "boss@acme.io").await;
    let users: Vec<(i64, String)> = {
        // The per-user field names carry the user ids.
        let (_, html) = boss.get(&format!("/catalog/{acme}/install")).await;
        let mut found = Vec::new();
        for piece in html.split("name=\"s.ext.").skip(1) {
            let id: i64 = piece[..piece.find('"').unwrap()].parse().unwrap();
            found.push((id, format!("s.ext.{id}")));
        }
        found
    };
    assert_eq!(users.len(), 2, "one field per account user");
    let path = format!("/catalog/{acme}/install");

    // The form: every field labelled, required ones marked.
    let (status, html) = boss.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    let token = csrf(&html);
    assert!(html.contains("<label for=\"setting-api_key\">"), "{html}");
    assert!(html.contains("Service password"));
    assert!(html.contains("Phone extension"));
    assert!(html.contains("type=\"password\""));
    assert!(
        html.contains(
            "id=\"setting-api_key\" name=\"s.api_key\" type=\"text\" value=\"\" required"
        )
    );

    // A missing required field: 422, the problem beside the field, values kept, the typed
    // password not sent back, nothing stored.
    let r = boss
        .post(
            &path,
            &[
                ("csrf", &token),
                ("s.api_key", ""),
                ("s.password", "hunter2-secret"),
                (&users[0].1, "101"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"setting-api_key-error\""), "{html}");
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"setting-api_key-error\""));
    assert!(html.contains("value=\"101\""), "the typed value is kept");
    assert!(!html.contains("hunter2-secret"), "a password is echoed");
    assert_eq!(installation(&s, &acme).await, (false, None));

    // Installed.
    let r = boss
        .post(
            &path,
            &[
                ("csrf", &token),
                ("s.api_key", "k-123"),
                ("s.password", "hunter2-secret"),
                (&users[0].1, "101"),
                (&users[1].1, ""),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        format!("/catalog/{acme}?notice=installed").as_str()
    );
    let first_user = users[0].0.to_string();
    let stored = json!({"api_key": "k-123", "password": "hunter2-secret", "ext": {first_user.clone(): "101"}});
    assert_eq!(installation(&s, &acme).await, (true, Some(stored)));
    let (_, html) = boss.get(&format!("/catalog/{acme}?notice=installed")).await;
    assert!(html.contains("The widget is installed."));
    assert!(html.contains("id=\"reconfigure\"") && html.contains("id=\"uninstall\""));
    assert!(html.contains("data-confirm="));
    let (_, html) = boss.get("/catalog").await;
    assert!(html.contains(">installed<"));

    // Reconfigure: prefilled (never the password); an empty password keeps the saved one.
    let (status, html) = boss.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"k-123\""));
    assert!(html.contains("value=\"101\""));
    assert!(!html.contains("hunter2-secret"));
    assert!(html.contains("id=\"setting-password-hint\""));
    let r = boss
        .post(
            &path,
            &[
                ("csrf", &token),
                ("s.api_key", "k-456"),
                ("s.password", ""),
                (&users[0].1, "101"),
                (&users[1].1, "102"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        format!("/catalog/{acme}?notice=updated").as_str()
    );
    let second_user = users[1].0.to_string();
    let stored = json!({"api_key": "k-456", "password": "hunter2-secret",
        "ext": {first_user: "101", second_user: "102"}});
    assert_eq!(installation(&s, &acme).await, (true, Some(stored.clone())));

    // A form post without the CSRF token is refused and changes nothing.
    let r = boss
        .post(&path, &[("s.api_key", "forged"), ("s.password", "x")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = boss
        .post(&path, &[("csrf", "0000"), ("s.api_key", "forged")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = boss.post(&format!("/catalog/{acme}/uninstall"), &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(installation(&s, &acme).await, (true, Some(stored)));

    // A member sees why they cannot install and is refused.
    let dev = sign_in(&s, "dev@acme.io").await;
    let (_, html) = dev.get(&format!("/catalog/{acme}")).await;
    assert!(html.contains("id=\"install-why\""));
    assert!(!html.contains("id=\"uninstall\""));
    let (status, _) = dev.get(&path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let dev_csrf = dev.csrf().await;
    let r = dev
        .post(
            &format!("/catalog/{acme}/uninstall"),
            &[("csrf", &dev_csrf)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(installation(&s, &acme).await.0);

    // Uninstalled.
    let r = boss
        .post(&format!("/catalog/{acme}/uninstall"), &[("csrf", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        format!("/catalog/{acme}?notice=uninstalled").as_str()
    );
    assert!(!installation(&s, &acme).await.0);
    let (_, html) = boss.get(&format!("/catalog/{acme}")).await;
    assert!(html.contains("id=\"install\""));
}

async fn tokens_are_created_shown_once_and_revoked(db: Db) {
    let s = db.server(|_| {}).await;
    s.user("boss@acme.io", "acme", Role::Admin).await;
    s.user("dev@acme.io", "acme", Role::Member).await;
    let boss = sign_in(&s, "boss@acme.io").await;
    let (status, html) = boss.get("/tokens").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"tokens-empty\""));
    assert!(html.contains("id=\"scope-install\"") && html.contains("id=\"scope-admin\""));
    assert!(
        !html.contains("id=\"scope-moderate\""),
        "only moderators grant it"
    );
    let token = csrf(&html);

    // Refused field by field, nothing created.
    let r = boss
        .post(
            "/tokens",
            &[("csrf", &token), ("name", "CI"), ("expires_in_days", "0")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"token-scopes-error\"") && html.contains("id=\"token-days-error\""));
    assert!(html.contains("value=\"CI\""));
    // Without the CSRF token: refused.
    let r = boss
        .post("/tokens", &[("name", "CI"), ("scope", "upload")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = boss.get("/tokens").await;
    assert!(html.contains("id=\"tokens-empty\""));

    // Created: the value is on the answer page itself, once.
    let r = boss
        .post(
            "/tokens",
            &[
                ("csrf", &token),
                ("name", "CI upload"),
                ("scope", "upload"),
                ("scope", "submit"),
                ("expires_in_days", "30"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let html = r.text().await.unwrap();
    let at = html.find("id=\"token-value\"").unwrap();
    let rest = &html[at..];
    let start = rest.find("value=\"").unwrap() + "value=\"".len();
    let raw = rest[start..start + rest[start..].find('"').unwrap()].to_string();
    assert!(raw.starts_with("wgt_"), "{raw}");
    let p = s.registry.authenticate_token(&raw).await.unwrap().unwrap();
    assert_eq!(p.scopes(), [Scope::Upload, Scope::Submit]);
    let (_, html) = boss.get("/tokens").await;
    assert!(!html.contains(&raw), "the value is shown again");
    assert!(html.contains(&raw[..12]), "the prefix is listed");
    assert!(html.contains("CI upload") && html.contains("data-state=\"active\""));

    // The member lists only their own tokens and cannot grant install.
    let dev = sign_in(&s, "dev@acme.io").await;
    let (_, html) = dev.get("/tokens").await;
    assert!(html.contains("id=\"tokens-empty\""));
    assert!(!html.contains("id=\"scope-install\""));
    let r = dev
        .post(
            "/tokens",
            &[("csrf", &csrf(&html)), ("name", "x"), ("scope", "install")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Revoked.
    let id = s.registry.list_tokens(&p).await;
    assert!(id.is_err(), "an upload token cannot list tokens");
    let id = html_token_id(&boss.get("/tokens").await.1);
    let r = boss
        .post(&format!("/tokens/{id}/revoke"), &[("csrf", &token)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/tokens?notice=revoked");
    assert!(s.registry.authenticate_token(&raw).await.unwrap().is_none());
    let (_, html) = boss.get("/tokens?notice=revoked").await;
    assert!(html.contains("data-state=\"revoked\""));
    assert!(html.contains("The token is revoked."));
    // A member cannot revoke another user's token.
    let r = dev
        .post(
            &format!("/tokens/{id}/revoke"),
            &[("csrf", &dev.csrf().await)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

fn html_token_id(html: &str) -> i64 {
    let at = html.find("data-token-id=\"").unwrap() + "data-token-id=\"".len();
    html[at..at + html[at..].find('"').unwrap()]
        .parse()
        .unwrap()
}

async fn a_published_widget_of_another_account_is_listed_and_installable(db: Db) {
    let s = db.server(|_| {}).await;
    let vendor = s
        .token(
            "dev@vendor.test",
            "vendor",
            Role::Admin,
            &[Scope::Upload, Scope::Submit],
        )
        .await;
    s.user("admin@shop.test", "shop", Role::Admin).await;
    s.moderator("mod@platform.test", "platform").await;
    let moderator = s.token_for("mod@platform.test", &[Scope::Moderate]).await;
    let id = s.integration(&vendor).await;
    let r = s
        .upload(&vendor, id, publishable_zip("Deal Notes", "1.0.0"))
        .await;
    assert_eq!(r.status(), 201);
    let code = r.json::<Value>().await.unwrap()["version"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let shop = sign_in(&s, "admin@shop.test").await;
    let (_, html) = shop.get("/catalog").await;
    assert!(!html.contains(&code), "listed before publication");

    // Submitted and approved: public.
    let sid = s.submit(&vendor, id, 1).await["id"].as_i64().unwrap();
    let r = s
        .post(&format!("/api/v1/moderation/submissions/{sid}/approve"))
        .bearer_auth(&moderator)
        .json(&json!({"note": "fine"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let (_, html) = shop.get("/catalog").await;
    assert!(
        html.contains(&format!("href=\"/catalog/{code}\"")),
        "{html}"
    );
    assert!(html.contains(">public<"));
    // Published: the public URL, for anyone.
    let logo = s.public_file(&code, "1.0.0", "images/logo_medium.png");
    assert!(html.contains(&format!("src=\"{logo}\"")), "{html}");
    assert_eq!(s.client.get(&logo).send().await.unwrap().status(), 200);
    let (_, html) = shop.get(&format!("/catalog/{code}")).await;
    assert!(!html.contains("your integration"));
    assert!(html.contains("id=\"install\""));

    // Installed from the form.
    let (status, html) = shop.get(&format!("/catalog/{code}/install")).await;
    assert_eq!(status, StatusCode::OK);
    let r = shop
        .post(
            &format!("/catalog/{code}/install"),
            &[("csrf", &csrf(&html)), ("s.api_key", "shop-key")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let account = s
        .registry
        .account_by_subdomain("shop")
        .await
        .unwrap()
        .unwrap();
    let w = s.registry.get_widget(account.id, &code).await.unwrap();
    assert_eq!(w.settings, Some(json!({"api_key": "shop-key"})));
}

/// A catalogue larger than a page is paged (48 a page), searching across every page.
async fn a_large_catalogue_is_paged(db: Db) {
    let s = db.server(|_| {}).await;
    let token = s
        .token("dev@acme.test", "acme", Role::Admin, &[Scope::Upload])
        .await;
    for i in 0..49 {
        uploaded(&s, &token, widget_zip(&format!("Widget {i}"), "1.0.0")).await;
    }
    let b = sign_in(&s, "dev@acme.test").await;
    let tiles = |html: &str| html.matches("class=\"tile\"").count();
    let (status, first) = b.get("/catalog").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tiles(&first), 48);
    assert!(
        first.contains("49 widgets found") && first.contains("page 1 of 2"),
        "{first}"
    );
    assert!(first.contains("rel=\"next\""));
    let (_, second) = b.get("/catalog?page=2").await;
    assert_eq!(tiles(&second), 1);
    assert!(second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""));
    // Past the end: the last page.
    let (_, past) = b.get("/catalog?page=9").await;
    assert_eq!(tiles(&past), 1);
}

/// A sign-in form posted without the token its page set (from another site) signs no one in.
async fn sign_in_needs_the_forms_own_token(db: Db) {
    let s = db.server(|_| {}).await;
    s.user("dev@acme.test", "acme", Role::Admin).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (cookie, token) in [("", ""), ("widgetry_login=aaaa", "bbbb"), ("", "aaaa")] {
        let r = client
            .post(s.url("/login"))
            .header(COOKIE, cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(&[
                ("email", "dev@acme.test"),
                ("password", PASSWORD),
                ("login_csrf", token),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "cookie {cookie:?}, token {token:?}"
        );
        assert!(
            !r.headers()
                .get_all(SET_COOKIE)
                .iter()
                .any(|v| v.to_str().unwrap().starts_with("widgetry_session=")),
            "no session"
        );
        assert!(r.text().await.unwrap().contains("The sign-in form expired"));
    }
    // The form loaded by the same browser signs in.
    let r = s.page_login(&client, "dev@acme.test", "/catalog").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

/// Token creation from the page is rate limited like the API's, and the refusal is a page.
#[tokio::test]
async fn the_token_page_refuses_a_flood_with_a_page() {
    let s = TestServer::start_with(|c| {
        c.rate_limits = widgetry_server::clients::RateLimits {
            tokens_per_minute: 2,
            ..c.rate_limits
        };
    })
    .await;
    s.user("boss@acme.io", "acme", Role::Admin).await;
    let boss = sign_in(&s, "boss@acme.io").await;
    let token = boss.csrf().await;
    let mut refused = None;
    for i in 0..6 {
        let name = format!("t{i}");
        let r = boss
            .post(
                "/tokens",
                &[("csrf", &token), ("name", &name), ("scope", "upload")],
            )
            .await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(r);
            break;
        }
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = refused.expect("the flood was refused");
    assert!(r.headers().contains_key("retry-after"));
    assert!(
        r.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>Too many attempts</h1>"), "{html}");
}

on_both!(
    sign_in_needs_the_forms_own_token,
    a_large_catalogue_is_paged,
    catalogue_shows_the_accounts_widgets_only_and_searches,
    install_reconfigure_and_uninstall_through_the_settings_form,
    tokens_are_created_shown_once_and_revoked,
    a_published_widget_of_another_account_is_listed_and_installable,
);

/// The `src` of the first image whose URL ends with `suffix`.
fn src_of(html: &str, suffix: &str) -> String {
    html.split("src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|src| src.ends_with(suffix))
        .unwrap_or_else(|| panic!("no image ending with {suffix} in {html}"))
        .to_string()
}
