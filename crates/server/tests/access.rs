//! The access matrix as a table: for every route that needs more than signing in, a token
//! without the scope gets 403 naming it, a member gets 403 where the admin role is needed,
//! another account's admin (holding every scope) gets 404 on the private objects, nobody
//! signed in gets 401, and none of these refusals changes anything.
//!
//! (`http.rs` tests the 404s route by route and a few scopes; this covers every route and
//! caller in one table.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use widgetry_registry::{Role, Scope};

/// One route: how to call it, and what it needs.
struct Route {
    method: &'static str,
    path: String,
    body: Body,
    /// The scope a token needs (sessions hold every scope).
    scope: Option<Scope>,
    /// Whether the `admin` role in the account is needed.
    admin_role: bool,
    /// Whether another account must not learn that the object exists (404).
    private: bool,
}

#[derive(Clone)]
enum Body {
    None,
    Json(serde_json::Value),
    Widget(&'static str),
}

impl Route {
    fn request(&self, s: &TestServer) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(self.method.as_bytes()).unwrap();
        let r = s.client.request(method, s.url(&self.path));
        match &self.body {
            Body::None => r,
            Body::Json(v) => r.json(v),
            Body::Widget(version) => r.multipart(form(widget_zip("Hello", version), "widget.zip")),
        }
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

fn route(method: &'static str, path: String, body: Body, scope: Option<Scope>) -> Route {
    Route {
        method,
        path,
        body,
        scope,
        admin_role: false,
        private: true,
    }
}

/// A token of the same user holding every scope but `scope`.
async fn token_without(s: &TestServer, email: &str, scope: Scope) -> String {
    let others: Vec<Scope> = [Scope::Upload, Scope::Submit, Scope::Install, Scope::Admin]
        .into_iter()
        .filter(|x| *x != scope)
        .collect();
    s.token_for(email, &others).await
}

#[tokio::test]
async fn access_matrix() {
    let s = TestServer::start().await;
    let all = [Scope::Upload, Scope::Submit, Scope::Install, Scope::Admin];
    let admin = s.token("a@example.org", "alpha", Role::Admin, &all).await;
    s.user("m@example.org", "alpha", Role::Member).await;
    let member = s.login("m@example.org").await;
    let stranger = s.token("b@example.org", "beta", Role::Admin, &all).await;

    let id = s.integration(&admin).await;
    let r = s.upload(&admin, id, widget_zip("Hello", "1.0.0")).await;
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await.unwrap();
    let code = v["version"]["code"].as_str().unwrap().to_string();
    // The token the DELETE route aims at (the newest).
    let victim = s.token_for("a@example.org", &[Scope::Upload]).await;
    let tokens: serde_json::Value = s
        .get("/api/v1/tokens")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token_id = tokens["tokens"][0]["id"].as_i64().unwrap();

    let integration =
        serde_json::json!({"name": {"en": "X"}, "redirect_uri": "https://example.org/cb"});
    let install = serde_json::json!({"settings": {"api_key": "k"}});
    let table = vec![
        // Signing in is enough: validation stores nothing.
        Route {
            private: false,
            ..route(
                "POST",
                "/api/v1/validate".into(),
                Body::Widget("1.0.0"),
                None,
            )
        },
        Route {
            private: false,
            ..route(
                "GET",
                "/api/v1/tokens".into(),
                Body::None,
                Some(Scope::Admin),
            )
        },
        Route {
            private: false,
            ..route(
                "POST",
                "/api/v1/tokens".into(),
                Body::Json(serde_json::json!({"name": "x", "scopes": ["upload"]})),
                Some(Scope::Admin),
            )
        },
        route(
            "DELETE",
            format!("/api/v1/tokens/{token_id}"),
            Body::None,
            Some(Scope::Admin),
        ),
        Route {
            private: false,
            ..route(
                "POST",
                "/api/v1/integrations".into(),
                Body::Json(integration.clone()),
                Some(Scope::Upload),
            )
        },
        route(
            "GET",
            format!("/api/v1/integrations/{id}"),
            Body::None,
            None,
        ),
        route(
            "PATCH",
            format!("/api/v1/integrations/{id}"),
            Body::Json(serde_json::json!({"redirect_uri": "https://evil.example.org/"})),
            Some(Scope::Upload),
        ),
        Route {
            admin_role: true,
            ..route(
                "POST",
                format!("/api/v1/integrations/{id}/convert"),
                Body::None,
                Some(Scope::Admin),
            )
        },
        route(
            "GET",
            format!("/api/v1/integrations/{id}/versions"),
            Body::None,
            None,
        ),
        route(
            "GET",
            format!("/api/v1/integrations/{id}/versions/1"),
            Body::None,
            None,
        ),
        route(
            "POST",
            format!("/api/v1/integrations/{id}/versions"),
            Body::Widget("2.0.0"),
            Some(Scope::Upload),
        ),
        route(
            "POST",
            format!("/api/v1/integrations/{id}/submissions"),
            Body::Json(serde_json::json!({"languages": ["en"]})),
            Some(Scope::Submit),
        ),
        route(
            "GET",
            format!("/api/v1/integrations/{id}/submissions"),
            Body::None,
            None,
        ),
        route(
            "GET",
            format!("/api/v1/integrations/{id}/submissions/1"),
            Body::None,
            None,
        ),
        route(
            "POST",
            format!("/api/v1/integrations/{id}/submissions/1/withdraw"),
            Body::None,
            Some(Scope::Submit),
        ),
        route(
            "POST",
            format!("/api/v1/integrations/{id}/rollback"),
            Body::Json(serde_json::json!({"version": 1})),
            Some(Scope::Submit),
        ),
        route(
            "GET",
            format!("/api/v1/integrations/{id}/audit"),
            Body::None,
            None,
        ),
        route(
            "GET",
            format!("/api/v1/integrations/{id}/events?after=0"),
            Body::None,
            None,
        ),
        route(
            "PUT",
            format!("/api/v1/integrations/{id}/webhook"),
            Body::Json(serde_json::json!({"url": "https://hooks.example.org/x"})),
            Some(Scope::Submit),
        ),
        route(
            "GET",
            format!("/api/v1/integrations/{id}/webhook"),
            Body::None,
            None,
        ),
        route(
            "DELETE",
            format!("/api/v1/integrations/{id}/webhook"),
            Body::None,
            Some(Scope::Submit),
        ),
        route("GET", format!("/api/v4/widgets/{code}"), Body::None, None),
        Route {
            admin_role: true,
            ..route(
                "POST",
                format!("/api/v4/widgets/{code}"),
                Body::Json(install.clone()),
                Some(Scope::Install),
            )
        },
        Route {
            admin_role: true,
            ..route(
                "DELETE",
                format!("/api/v4/widgets/{code}"),
                Body::None,
                Some(Scope::Install),
            )
        },
    ];

    let mut checked = 0;
    for route in &table {
        let name = route.name();

        // Nobody signed in.
        let r = route.request(&s).send().await.unwrap();
        assert_eq!(r.status(), 401, "anonymous {name}");
        problem(r).await;
        checked += 1;

        // A token of the owner's admin without the needed scope: 403 naming it.
        if let Some(scope) = route.scope {
            let t = token_without(&s, "a@example.org", scope).await;
            let r = route.request(&s).bearer_auth(&t).send().await.unwrap();
            assert_eq!(r.status(), 403, "{name} without `{}`", scope.as_str());
            let p = problem(r).await;
            assert_eq!(p["scope"], scope.as_str(), "{name}: {p:#}");
            assert!(
                p["detail"].as_str().unwrap().contains(scope.as_str()),
                "{name}: {p:#}"
            );
            checked += 1;
        }

        // A member (a session holds every scope) where the admin role is needed.
        if route.admin_role {
            let r = route
                .request(&s)
                .header("cookie", &member.cookie)
                .header("x-csrf-token", &member.csrf)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 403, "member {name}");
            let p = problem(r).await;
            assert_eq!(p["code"], "auth.forbidden", "member {name}");
            assert_eq!(p["reason"], "auth.needs_admin", "member {name}");
            checked += 1;
        }

        // Another account's admin with every scope: the object does not exist for them.
        if route.private {
            let r = route
                .request(&s)
                .bearer_auth(&stranger)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 404, "another account: {name}");
            problem(r).await;
            checked += 1;
        }
    }
    // A member cannot revoke the admin's token: it is not theirs to see.
    let r = s
        .client
        .delete(s.url(&format!("/api/v1/tokens/{token_id}")))
        .header("cookie", &member.cookie)
        .header("x-csrf-token", &member.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    // Nor make themselves a token with scopes their role does not allow.
    for scope in ["install", "admin"] {
        let r = s
            .post("/api/v1/tokens")
            .header("cookie", &member.cookie)
            .header("x-csrf-token", &member.csrf)
            .json(&serde_json::json!({"name": "x", "scopes": [scope]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "member token with `{scope}`");
        problem(r).await;
    }
    // A token cannot grant scopes it lacks.
    let t = token_without(&s, "a@example.org", Scope::Install).await;
    let r = s
        .post("/api/v1/tokens")
        .bearer_auth(&t)
        .json(&serde_json::json!({"name": "x", "scopes": ["install"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(problem(r).await["scope"], "install");
    eprintln!("{} routes, {checked} refusals checked", table.len());

    // None of the refusals changed anything.
    let r = s
        .get("/api/v1/me")
        .bearer_auth(&victim)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the token was not revoked");
    let i: serde_json::Value = s
        .get(&format!("/api/v1/integrations/{id}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(i["redirect_uri"], "https://example.org/oauth", "{i:#}");
    assert_eq!(i["latest_version"], 1);
    let list: serde_json::Value = s
        .get("/api/v1/integrations")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["integrations"].as_array().unwrap().len(), 1);
    let w: serde_json::Value = s
        .get(&format!("/api/v4/widgets/{code}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(w["is_active_in_account"], false);
    assert_eq!(s.upload_leftovers(), 0);

    let submissions: serde_json::Value = s
        .get(&format!("/api/v1/integrations/{id}/submissions"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(submissions["submissions"], serde_json::json!([]));
    let hook = s
        .get(&format!("/api/v1/integrations/{id}/webhook"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(hook.status(), 404, "no webhook was set");

    // And the owner's admin, with the scope, gets through each of the guarded routes. Some
    // then refuse for what the request asks, past every access check: `convert` a market
    // integration (409), submit a package not fit for publication (400 with its findings),
    // withdraw a submission that does not exist (404), roll back a private one (409).
    let past_access = [
        ("/convert", 409, "conflict", Some("integration.not_legacy")),
        ("/submissions", 400, "submission.blocked", None),
        ("/withdraw", 404, "not_found", None),
        (
            "/rollback",
            409,
            "rollback.not_public",
            Some("rollback.not_public"),
        ),
    ];
    for route in table.iter().filter(|r| r.admin_role || r.scope.is_some()) {
        let r = route.request(&s).bearer_auth(&admin).send().await.unwrap();
        let status = r.status().as_u16();
        if let Some((_, expected, code, reason)) = past_access
            .iter()
            .find(|(suffix, ..)| route.path.ends_with(suffix))
        {
            assert_eq!(status, *expected, "owner {}", route.name());
            let p = problem(r).await;
            assert_eq!(p["code"], *code, "owner {}", route.name());
            if let Some(reason) = reason {
                assert_eq!(p["reason"], *reason, "owner {}", route.name());
            }
            continue;
        }
        assert!(
            (200..300).contains(&status),
            "owner {}: {status} {}",
            route.name(),
            r.text().await.unwrap()
        );
    }
}

/// Another account sees a public integration without its private facts: not how many
/// versions were uploaded (`latest_version`), not when the last came (`updated_at`), not the
/// unapproved update, in any view.
#[tokio::test]
async fn public_views_hold_no_private_facts() {
    let s = TestServer::start().await;
    let (dev, shop, moderator) = s.vendor_shop_moderator().await;
    let id = s.integration(&dev).await;
    let r = s.upload(&dev, id, publishable_zip("Notes", "1.0.0")).await;
    assert_eq!(r.status(), 201);
    let code = r.json::<serde_json::Value>().await.unwrap()["version"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let r = s
        .post(&format!("/api/v1/integrations/{id}/submissions"))
        .bearer_auth(&dev)
        .json(&serde_json::json!({
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
    let sid = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = s
        .post(&format!("/api/v1/moderation/submissions/{sid}/approve"))
        .bearer_auth(&moderator)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Two private uploads after the publication.
    for v in ["1.0.1", "1.0.2"] {
        assert_eq!(
            s.upload(&dev, id, publishable_zip("Notes", v))
                .await
                .status(),
            201
        );
    }
    let json = |token: &str, path: String| {
        let r = s.get(&path).bearer_auth(token).send();
        async move {
            let r = r.await.unwrap();
            assert_eq!(r.status(), 200, "GET {path}");
            r.json::<serde_json::Value>().await.unwrap()
        }
    };
    let mine = json(&dev, format!("/api/v1/integrations/{id}")).await;
    assert_eq!(mine["latest_version"], 3);
    assert!(mine.get("updated_at").is_some());
    let theirs = json(&shop, format!("/api/v1/integrations/{id}")).await;
    assert!(theirs.get("latest_version").is_none(), "{theirs}");
    assert!(theirs.get("updated_at").is_none(), "{theirs}");
    let catalog = json(&shop, "/api/v1/catalog".to_string()).await;
    let item = &catalog["integrations"][0];
    assert!(item.get("latest_version").is_none(), "{item}");
    assert!(item.get("updated_at").is_none(), "{item}");
    assert_eq!(item["live_version"]["widget_version"], "1.0.0");
    let versions = json(&shop, format!("/api/v1/integrations/{id}/versions")).await;
    let listed: Vec<&str> = versions["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["widget_version"].as_str().unwrap())
        .collect();
    assert_eq!(listed, vec!["1.0.0"]);
    for n in [2, 3] {
        let r = s
            .get(&format!("/api/v1/integrations/{id}/versions/{n}"))
            .bearer_auth(&shop)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
    }
    let widget = json(&shop, format!("/api/v4/widgets/{code}")).await;
    assert_eq!(widget["version"], "1.0.0");
    let all = format!("{theirs}{catalog}{versions}{widget}");
    assert!(!all.contains("1.0.1") && !all.contains("1.0.2"), "{all}");
}
