//! The registry's domain flows, each run on SQLite and (with `WIDGETRY_TEST_POSTGRES_URL`)
//! on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::{Env, Widget, new_integration, widget_zip, zip_files};
use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;
use widgetry_registry::{
    DenialCase, Error, IntegrationId, IntegrationUpdate, Lang, NewUser, Registry, Role, Scheme,
    Scope, StateCase, Timestamp, VersionState, compare_versions, is_code,
};

on_both!(
    users_sessions_and_tokens,
    integrations_crud_and_isolation,
    upload_success,
    upload_refused_by_validator_stores_nothing,
    version_rules_and_duplicates,
    legacy_import_upload_and_convert,
    concurrent_uploads_are_gap_free,
    cancelled_uploads_leave_no_dangling_version,
    reopen_keeps_everything,
    install_and_uninstall,
);

async fn users_sessions_and_tokens(env: Env) {
    let r = &env.registry;
    let (admin, acme, admin_session) = env.user("Admin@Acme.io", "acme", Role::Admin).await;
    assert_eq!(admin.email, "admin@acme.io");
    assert_eq!(acme.subdomain, "acme");
    let (_, same_acme, member) = env.user("member@acme.io", "acme", Role::Member).await;
    assert_eq!(same_acme.id, acme.id, "the account is reused");

    // Passwords.
    let login = r
        .verify_password("ADMIN@acme.io", "password-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(login.user.id, admin.id);
    assert_eq!(login.memberships[0].account.id, acme.id);
    assert_eq!(login.memberships[0].role, Role::Admin);
    assert!(
        r.verify_password("admin@acme.io", "wrong-password")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        r.verify_password("nobody@acme.io", "password-1")
            .await
            .unwrap()
            .is_none()
    );
    let dup = r
        .create_user(NewUser {
            email: "admin@acme.io".into(),
            password: "password-2".into(),
            account_subdomain: "other".into(),
            account_name: None,
            role: Role::Admin,
            moderator: false,
            operator: false,
        })
        .await;
    assert!(
        matches!(&dup, Err(Error::StateConflict(r)) if r.case == StateCase::EmailTaken),
        "{dup:?}"
    );
    let short = r
        .create_user(NewUser {
            email: "x@acme.io".into(),
            password: "short".into(),
            account_subdomain: "acme".into(),
            account_name: None,
            role: Role::Member,
            moderator: false,
            operator: false,
        })
        .await;
    assert!(matches!(short, Err(Error::BadInput(_))));

    // Sessions.
    let s = r.create_session(admin.id, acme.id).await.unwrap();
    let p = r.session(&s.cookie_value).await.unwrap().unwrap();
    assert_eq!(p.user.id, admin.id);
    assert_eq!(p.csrf_token(), Some(s.csrf_token.as_str()));
    assert!(p.has_scope(Scope::Install) && p.is_session());
    assert!(!p.has_scope(Scope::Moderate), "moderate needs the flag");
    r.delete_session(&s.cookie_value).await.unwrap();
    assert!(r.session(&s.cookie_value).await.unwrap().is_none());
    assert!(r.session("not-a-session").await.unwrap().is_none());

    // Tokens.
    let (token, raw) = r
        .create_token(&admin_session, "ci", &[Scope::Upload], None)
        .await
        .unwrap();
    assert!(raw.starts_with("wgt_") && raw.len() == 44, "{raw}");
    assert_eq!(token.prefix, raw[..12]);
    let tp = r.authenticate_token(&raw).await.unwrap().unwrap();
    assert_eq!(
        (tp.user.id, tp.account.id, tp.role),
        (admin.id, acme.id, Role::Admin)
    );
    assert!(tp.require_scope(Scope::Upload).is_ok());
    match tp.require_scope(Scope::Install) {
        Err(Error::MissingScope(Scope::Install)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        Error::MissingScope(Scope::Upload).to_string(),
        "this token lacks the `upload` scope"
    );
    let listed = r.list_tokens(&admin_session).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].last_used_at.is_some());
    // A token without `admin` cannot mint tokens, and none can grant scopes it lacks.
    assert!(matches!(
        r.create_token(&tp, "x", &[Scope::Upload], None).await,
        Err(Error::MissingScope(Scope::Admin))
    ));
    // A member cannot hold `install` or `admin`.
    assert!(matches!(
        r.create_token(&member, "x", &[Scope::Install], None).await,
        Err(Error::Forbidden(d)) if d.case == DenialCase::ScopeNeedsAdmin
    ));
    assert!(matches!(
        r.create_token(&admin_session, "x", &[Scope::Moderate], None)
            .await,
        Err(Error::Forbidden(d)) if d.case == DenialCase::ModeratorsOnly
    ));
    assert!(matches!(
        r.create_token(&admin_session, "x", &[], None).await,
        Err(Error::BadInput(_))
    ));
    assert!(
        r.authenticate_token("wgt_nonsense")
            .await
            .unwrap()
            .is_none()
    );
    assert!(r.authenticate_token("Bearer x").await.unwrap().is_none());

    // Expired tokens are refused.
    let soon = widgetry_registry_now() + 300;
    let (_, short_lived) = r
        .create_token(
            &admin_session,
            "short",
            &[Scope::Upload],
            Some(Timestamp::from_millis(soon)),
        )
        .await
        .unwrap();
    assert!(r.authenticate_token(&short_lived).await.unwrap().is_some());
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(r.authenticate_token(&short_lived).await.unwrap().is_none());
    assert!(matches!(
        r.create_token(
            &admin_session,
            "past",
            &[Scope::Upload],
            Some(Timestamp::from_millis(1))
        )
        .await,
        Err(Error::BadInput(_))
    ));

    // Revoked tokens are refused; a member cannot revoke (or see) the admin's token.
    assert!(matches!(
        r.revoke_token(&member, token.id).await,
        Err(Error::NotFound)
    ));
    assert!(r.list_tokens(&member).await.unwrap().is_empty());
    r.revoke_token(&admin_session, token.id).await.unwrap();
    r.revoke_token(&admin_session, token.id).await.unwrap();
    assert!(r.authenticate_token(&raw).await.unwrap().is_none());
    let (_, other_acct, outsider) = env.user("eve@evil.io", "evil", Role::Admin).await;
    assert_ne!(other_acct.id, acme.id);
    assert!(matches!(
        r.revoke_token(&outsider, token.id).await,
        Err(Error::NotFound)
    ));
}

fn widgetry_registry_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

async fn integrations_crud_and_isolation(env: Env) {
    let r = &env.registry;
    let (_, acme, alice) = env.user("alice@acme.io", "acme", Role::Member).await;
    let (_, _, eve) = env.user("eve@evil.io", "evil", Role::Admin).await;
    let (created, secret) = env.integration(&alice).await;
    assert_eq!(secret.len(), 64);
    assert!(
        secret
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(created.account_id, acme.id);
    assert_eq!(created.scheme, Scheme::Market);
    assert_eq!(created.code, None);
    assert_eq!(created.last_seq, 0);
    assert!(created.secret_matches(&secret));
    assert_eq!(created.name["ru"], "Мой виджет");
    assert_eq!(
        uuid::Uuid::parse_str(&created.client_uuid)
            .unwrap()
            .get_version_num(),
        4
    );

    let got = r.get_integration(&alice, created.id).await.unwrap();
    assert_eq!(got, created);
    assert_eq!(
        r.list_integrations(&alice).await.unwrap(),
        vec![created.clone()]
    );
    assert!(r.list_integrations(&eve).await.unwrap().is_empty());
    assert!(matches!(
        r.get_integration(&eve, created.id).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        r.get_integration(&alice, IntegrationId(999_999)).await,
        Err(Error::NotFound)
    ));

    let update = IntegrationUpdate {
        name: Some(
            [("en".to_string(), "Renamed".to_string())]
                .into_iter()
                .collect(),
        ),
        redirect_uri: Some("http://localhost:8000/cb".into()),
        ..IntegrationUpdate::default()
    };
    assert!(matches!(
        r.update_integration(&eve, created.id, update.clone()).await,
        Err(Error::NotFound)
    ));
    let updated = r
        .update_integration(&alice, created.id, update)
        .await
        .unwrap();
    assert_eq!(updated.name.len(), 1);
    assert_eq!(updated.display_name(), "Renamed");
    assert_eq!(updated.description, created.description);
    assert_eq!(updated.redirect_uri, "http://localhost:8000/cb");

    // Validation.
    let mut bad = new_integration("x");
    bad.redirect_uri = "http://example.com/cb".into();
    assert!(matches!(
        r.create_integration(&alice, bad).await,
        Err(Error::BadInput(_))
    ));
    let mut bad = new_integration("x");
    bad.name = [("en".to_string(), "   ".to_string())]
        .into_iter()
        .collect();
    assert!(matches!(
        r.create_integration(&alice, bad).await,
        Err(Error::BadInput(_))
    ));
    let mut bad = new_integration("x");
    bad.name.insert("xx".into(), "Name".into());
    assert!(matches!(
        r.create_integration(&alice, bad).await,
        Err(Error::BadInput(_))
    ));

    // A token without `upload` cannot create.
    let (_, admin_acme, admin) = env.user("boss@acme.io", "acme", Role::Admin).await;
    assert_eq!(admin_acme.id, acme.id);
    let (_, raw) = r
        .create_token(&admin, "t", &[Scope::Install], None)
        .await
        .unwrap();
    let install_only = r.authenticate_token(&raw).await.unwrap().unwrap();
    assert!(matches!(
        r.create_integration(&install_only, new_integration("y"))
            .await,
        Err(Error::MissingScope(Scope::Upload))
    ));
    let events = r.audit_events(created.id).await.unwrap();
    let kinds: Vec<_> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["integration.created", "integration.updated"]);
}

async fn upload_success(env: Env) {
    let r = &env.registry;
    let (alice_user, acme, alice) = env.user("alice@acme.io", "acme", Role::Member).await;
    let (_, evil, eve) = env.user("eve@evil.io", "evil", Role::Admin).await;
    let (integration, secret) = env.integration(&alice).await;
    let zip = widget_zip(&Widget::version("0.1.0"));
    let out = r
        .upload_version(&alice, integration.id, &zip, Lang::En)
        .await
        .unwrap();
    let v = &out.version;
    assert_eq!(v.number, 1);
    assert_eq!(v.widget_version, "0.1.0");
    assert_eq!(v.state, VersionState::Uploaded);
    assert_eq!(v.uploaded_by, alice_user.id);
    assert_eq!(v.archive_size as usize, zip.len());
    assert!(
        is_code(&v.code) && v.code.starts_with("my_widget_"),
        "{}",
        v.code
    );
    assert_eq!(v.code.len(), "my_widget_".len() + 6);
    assert!(
        out.warnings
            .iter()
            .all(|d| d.severity != widgetry_registry_severity_error())
    );

    let i = r.get_integration(&alice, integration.id).await.unwrap();
    assert_eq!(i.code.as_deref(), Some(v.code.as_str()));
    assert_eq!(i.latest_version_id, Some(v.id));
    assert_eq!(i.last_seq, 1);

    // Every file and the archive are blobs.
    let detail = r.get_version(&alice, integration.id, 1).await.unwrap();
    assert_eq!(detail.version, *v);
    assert_eq!(detail.manifest["widget"]["version"], "0.1.0");
    assert!(detail.report.valid);
    let paths: Vec<_> = detail.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths.contains(&"manifest.json") && paths.contains(&"script.js"),
        "{paths:?}"
    );
    assert!(r.blobs().exists(&v.archive_sha256).await.unwrap());
    assert_eq!(
        r.blobs().get(&v.archive_sha256).await.unwrap().unwrap(),
        zip
    );
    for f in &detail.files {
        let bytes = r.blobs().get(&f.sha256).await.unwrap().unwrap();
        assert_eq!(bytes.len() as i64, f.size, "{}", f.path);
    }
    let script = detail.files.iter().find(|f| f.path == "script.js").unwrap();
    assert_eq!(script.content_type, "text/javascript; charset=utf-8");

    // Files resolve for the owner only.
    let f = r
        .resolve_file(Some(acme.id), &v.code, "0.1.0", "script.js")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(f.sha256, script.sha256);
    assert!(!f.public);
    assert!(
        r.resolve_file(Some(evil.id), &v.code, "0.1.0", "script.js")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        r.resolve_file(None, &v.code, "0.1.0", "script.js")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        r.resolve_file(Some(acme.id), &v.code, "0.1.0", "nope.js")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        r.resolve_file(Some(acme.id), &v.code, "9.9.9", "script.js")
            .await
            .unwrap()
            .is_none()
    );

    // Versions, catalogue and widgets API are private to the owner account.
    assert_eq!(
        r.list_versions(&alice, integration.id).await.unwrap(),
        vec![v.clone()]
    );
    assert!(matches!(
        r.list_versions(&eve, integration.id).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        r.get_version(&eve, integration.id, 1).await,
        Err(Error::NotFound)
    ));
    assert!(matches!(
        r.get_version(&alice, integration.id, 2).await,
        Err(Error::NotFound)
    ));
    let catalog = r.catalog(acme.id).await.unwrap();
    assert_eq!(catalog.len(), 1);
    assert_eq!(catalog[0].live_version.id, v.id);
    assert!(r.catalog(evil.id).await.unwrap().is_empty());
    assert!(matches!(
        r.get_widget(evil.id, &v.code).await,
        Err(Error::NotFound)
    ));
    let w = r.get_widget(acme.id, &v.code).await.unwrap();
    assert_eq!((w.id, w.version.as_str()), (integration.id, "0.1.0"));
    assert_eq!(w.client_uuid, integration.client_uuid);
    assert!(!w.is_active_in_account);
    // Another account cannot upload into it either.
    assert!(matches!(
        r.upload_version(&eve, integration.id, &zip, Lang::En).await,
        Err(Error::NotFound)
    ));

    // The secret key is stored only as its SHA-256.
    let hash: String = sqlx::query_scalar("SELECT secret_hash FROM integrations WHERE id = $1")
        .bind(integration.id)
        .fetch_one(r.pool())
        .await
        .unwrap();
    assert_ne!(hash, secret);
    assert_eq!(hash.len(), 64);
    if env.backend == "sqlite" {
        r.close().await;
        for name in ["widgetry.db", "widgetry.db-wal"] {
            if let Ok(bytes) = std::fs::read(env.dir.path().join(name)) {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "raw secret found in {name}"
                );
            }
        }
    }
    let events = r_events_kinds(&env, integration.id).await;
    assert!(events.contains(&"version.uploaded".to_string()));
}

fn widgetry_registry_severity_error() -> widgetry_validator::Severity {
    widgetry_validator::Severity::Error
}

async fn r_events_kinds(env: &Env, id: IntegrationId) -> Vec<String> {
    let registry = Registry::open_on(&env.url, env.dir.path(), &env.blobs)
        .await
        .unwrap();
    let kinds = registry
        .audit_events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    registry.close().await;
    kinds
}

async fn version_count(r: &Registry) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM versions")
        .fetch_one(r.pool())
        .await
        .unwrap()
}

async fn upload_refused_by_validator_stores_nothing(env: Env) {
    let r = &env.registry;
    let (_, _, alice) = env.user("alice@acme.io", "acme", Role::Member).await;
    let (integration, _) = env.integration(&alice).await;
    let blobs_before = env.blob_count().await;

    match r
        .upload_version(&alice, integration.id, b"not a zip", Lang::En)
        .await
    {
        Err(Error::Invalid(report)) => assert_eq!(report.codes(), ["archive.not_zip"]),
        other => panic!("{other:?}"),
    }
    // A widget without its manifest: every finding comes back, nothing is stored.
    let files: Vec<_> = widgetry_scaffold::scaffold(&Default::default())
        .into_iter()
        .filter(|(p, _)| p != "manifest.json")
        .collect();
    match r
        .upload_version(&alice, integration.id, &zip_files(files), Lang::Ru)
        .await
    {
        Err(Error::Invalid(report)) => {
            assert!(!report.valid && report.errors >= 1, "{report:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(version_count(r).await, 0);
    assert_eq!(env.blob_count().await, blobs_before);
    let i = r.get_integration(&alice, integration.id).await.unwrap();
    assert_eq!((i.last_seq, i.code, i.latest_version_id), (0, None, None));

    // Without the `upload` scope nothing happens either.
    let (_, _, admin) = env.user("boss@acme.io", "acme", Role::Admin).await;
    let (_, raw) = r
        .create_token(&admin, "t", &[Scope::Install], None)
        .await
        .unwrap();
    let p = r.authenticate_token(&raw).await.unwrap().unwrap();
    let zip = widget_zip(&Widget::version("1.0.0"));
    assert!(matches!(
        r.upload_version(&p, integration.id, &zip, Lang::En).await,
        Err(Error::MissingScope(Scope::Upload))
    ));
    assert_eq!(env.blob_count().await, blobs_before);
}

async fn version_rules_and_duplicates(env: Env) {
    let r = &env.registry;
    let (_, _, alice) = env.user("alice@acme.io", "acme", Role::Member).await;
    let (integration, _) = env.integration(&alice).await;
    let first = widget_zip(&Widget::version("1.0.0"));
    r.upload_version(&alice, integration.id, &first, Lang::En)
        .await
        .unwrap();
    let blobs = env.blob_count().await;

    match r
        .upload_version(&alice, integration.id, &first, Lang::En)
        .await
    {
        Err(Error::DuplicateArchive {
            number,
            widget_version,
        }) => {
            assert_eq!((number, widget_version.as_str()), (1, "1.0.0"));
        }
        other => panic!("{other:?}"),
    }
    let same_version = widget_zip(&Widget {
        name: Some("Other".into()),
        ..Widget::version("1.0.0")
    });
    match r
        .upload_version(&alice, integration.id, &same_version, Lang::En)
        .await
    {
        Err(Error::VersionNotIncreasing {
            given,
            latest,
            next,
        }) => {
            assert_eq!(
                (given.as_str(), latest.as_str(), next.as_str()),
                ("1.0.0", "1.0.0", "1.0.1")
            );
        }
        other => panic!("{other:?}"),
    }
    let lower = widget_zip(&Widget::version("0.9.9"));
    match r
        .upload_version(&alice, integration.id, &lower, Lang::En)
        .await
    {
        Err(Error::VersionNotIncreasing { latest, next, .. }) => {
            assert_eq!((latest.as_str(), next.as_str()), ("1.0.0", "1.0.1"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        env.blob_count().await,
        blobs,
        "refused uploads store no blob"
    );
    assert_eq!(version_count(r).await, 1);

    // The sequence stays gap-free after refusals; numeric parts compare as numbers.
    let code = r
        .get_integration(&alice, integration.id)
        .await
        .unwrap()
        .code;
    for (n, v) in [(2, "1.0.1"), (3, "1.0.10"), (4, "2.0")] {
        let out = r
            .upload_version(
                &alice,
                integration.id,
                &widget_zip(&Widget::version(v)),
                Lang::En,
            )
            .await
            .unwrap();
        assert_eq!(out.version.number, n);
        assert_eq!(Some(out.version.code), code, "the code never changes");
    }
    match r
        .upload_version(
            &alice,
            integration.id,
            &widget_zip(&Widget::version("1.0.9")),
            Lang::En,
        )
        .await
    {
        Err(Error::VersionNotIncreasing { latest, next, .. }) => {
            assert_eq!((latest.as_str(), next.as_str()), ("2.0", "2.1"));
        }
        other => panic!("{other:?}"),
    }
    let numbers: Vec<_> = r
        .list_versions(&alice, integration.id)
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.number)
        .collect();
    assert_eq!(numbers, [4, 3, 2, 1]);
}

async fn legacy_import_upload_and_convert(env: Env) {
    let r = &env.registry;
    let (_, _, admin) = env.user("boss@acme.io", "acme", Role::Admin).await;
    let (_, _, member) = env.user("dev@acme.io", "acme", Role::Member).await;
    let key = "0123456789abcdef".repeat(4);
    assert!(matches!(
        r.import_legacy("acme", "Bad-Code", &key, None).await,
        Err(Error::BadInput(_))
    ));
    assert!(matches!(
        r.import_legacy("acme", "old_widget", "abc", None).await,
        Err(Error::BadInput(_))
    ));
    assert!(matches!(
        r.import_legacy("nope", "old_widget", &key, None).await,
        Err(Error::BadInput(_))
    ));
    let legacy = r
        .import_legacy(
            "acme",
            "old_widget",
            &key.to_uppercase(),
            Some("Old widget"),
        )
        .await
        .unwrap();
    assert_eq!(legacy.scheme, Scheme::Legacy);
    assert_eq!(legacy.code.as_deref(), Some("old_widget"));
    assert_eq!(legacy.display_name(), "Old widget");
    assert!(matches!(
        r.import_legacy("acme", "old_widget", &key, None).await,
        Err(Error::StateConflict(r)) if r.case == StateCase::CodeTaken
    ));

    // Uploads need the code and the key.
    let plain = widget_zip(&Widget::version("1.0.0"));
    match r.upload_version(&member, legacy.id, &plain, Lang::En).await {
        Err(Error::Invalid(report)) => {
            let codes = report.codes();
            assert!(codes.contains(&"manifest.legacy_code_missing"), "{codes:?}");
            assert!(
                codes.contains(&"manifest.legacy_secret_missing"),
                "{codes:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let wrong_key = widget_zip(&Widget {
        code: Some("old_widget".into()),
        secret_key: Some("f".repeat(64)),
        ..Widget::version("1.0.0")
    });
    match r
        .upload_version(&member, legacy.id, &wrong_key, Lang::En)
        .await
    {
        Err(Error::Invalid(report)) => {
            assert!(report.codes().contains(&"manifest.secret_mismatch"));
        }
        other => panic!("{other:?}"),
    }
    let wrong_code = widget_zip(&Widget {
        code: Some("other_code".into()),
        secret_key: Some(key.clone()),
        ..Widget::version("1.0.0")
    });
    assert!(matches!(
        r.upload_version(&member, legacy.id, &wrong_code, Lang::En)
            .await,
        Err(Error::Invalid(_))
    ));
    let good = widget_zip(&Widget {
        code: Some("old_widget".into()),
        secret_key: Some(key.clone()),
        ..Widget::version("1.0.0")
    });
    let out = r
        .upload_version(&member, legacy.id, &good, Lang::En)
        .await
        .unwrap();
    assert_eq!(
        (out.version.number, out.version.code.as_str()),
        (1, "old_widget")
    );

    // Converting: admin role and the `admin` scope, once, audited.
    assert!(matches!(
        r.convert(&member, legacy.id).await,
        Err(Error::Forbidden(d)) if d.case == DenialCase::NeedsAdmin
    ));
    let (_, raw) = r
        .create_token(&admin, "t", &[Scope::Upload], None)
        .await
        .unwrap();
    let upload_only = r.authenticate_token(&raw).await.unwrap().unwrap();
    assert!(matches!(
        r.convert(&upload_only, legacy.id).await,
        Err(Error::MissingScope(Scope::Admin))
    ));
    let (_, _, eve) = env.user("eve@evil.io", "evil", Role::Admin).await;
    assert!(matches!(
        r.convert(&eve, legacy.id).await,
        Err(Error::NotFound)
    ));
    let converted = r.convert(&admin, legacy.id).await.unwrap();
    assert_eq!(converted.scheme, Scheme::Market);
    assert_eq!(converted.code.as_deref(), Some("old_widget"));
    assert!(matches!(
        r.convert(&admin, legacy.id).await,
        Err(Error::StateConflict(r)) if r.case == StateCase::NotLegacy
    ));
    let events = r.audit_events(legacy.id).await.unwrap();
    let conv = events
        .iter()
        .find(|e| e.kind == "integration.converted")
        .unwrap();
    assert_eq!(
        (conv.from_state.as_deref(), conv.to_state.as_deref()),
        (Some("legacy"), Some("market"))
    );
    // Afterwards the manifest needs neither.
    let out = r
        .upload_version(
            &member,
            legacy.id,
            &widget_zip(&Widget::version("1.0.1")),
            Lang::En,
        )
        .await
        .unwrap();
    assert_eq!(
        (out.version.number, out.version.code.as_str()),
        (2, "old_widget")
    );
}

/// Uploads until accepted, taking the next acceptable version after each refusal (parallel
/// clients race for the next number).
async fn upload_until_accepted(
    r: &Registry,
    actor: &widgetry_registry::Principal,
    id: IntegrationId,
    mut version: String,
) -> widgetry_registry::Version {
    for _ in 0..200 {
        let zip = widget_zip(&Widget::version(&version));
        match r.upload_version(actor, id, &zip, Lang::En).await {
            Ok(out) => return out.version,
            Err(Error::VersionNotIncreasing { next, .. }) => version = next,
            Err(Error::DuplicateArchive { widget_version, .. }) => {
                version = widgetry_registry::next_version(&widget_version)
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    panic!("no upload accepted after 200 attempts");
}

async fn concurrent_uploads_are_gap_free(env: Env) {
    let r = &env.registry;
    let (_, _, alice) = env.user("alice@acme.io", "acme", Role::Member).await;
    let (integration, _) = env.integration(&alice).await;
    let alice = Arc::new(alice);
    let mut tasks = Vec::new();
    for i in 0..32 {
        let (r, alice) = (r.clone(), alice.clone());
        tasks.push(tokio::spawn(async move {
            upload_until_accepted(&r, &alice, integration.id, format!("1.{i}.0")).await
        }));
    }
    let mut versions = Vec::new();
    for t in tasks {
        versions.push(t.await.unwrap());
    }
    versions.sort_by_key(|v| v.number);
    let numbers: Vec<i64> = versions.iter().map(|v| v.number).collect();
    assert_eq!(numbers, (1..=32).collect::<Vec<_>>(), "distinct, gap-free");
    let codes: BTreeSet<_> = versions.iter().map(|v| v.code.clone()).collect();
    assert_eq!(codes.len(), 1, "one code for all: {codes:?}");
    for pair in versions.windows(2) {
        assert_eq!(
            compare_versions(&pair[1].widget_version, &pair[0].widget_version),
            std::cmp::Ordering::Greater,
            "numbers follow versions: {pair:?}"
        );
    }
    let i = r.get_integration(&alice, integration.id).await.unwrap();
    assert_eq!(i.last_seq, 32);
    assert_eq!(i.latest_version_id, Some(versions[31].id));
    assert_all_blobs_present(r).await;
}

/// Every archive and file named by a version row is in the blob store.
async fn assert_all_blobs_present(r: &Registry) {
    let archives: Vec<String> = sqlx::query_scalar("SELECT archive_sha256 FROM versions")
        .fetch_all(r.pool())
        .await
        .unwrap();
    let files: Vec<String> = sqlx::query_scalar("SELECT sha256 FROM version_files")
        .fetch_all(r.pool())
        .await
        .unwrap();
    for sha in archives.iter().chain(&files) {
        assert!(r.blobs().exists(sha).await.unwrap(), "missing blob {sha}");
    }
    let orphans: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM version_files f WHERE f.version_id = v.id)",
    )
    .fetch_one(r.pool())
    .await
    .unwrap();
    assert_eq!(orphans, 0, "every version has its file index");
}

async fn cancelled_uploads_leave_no_dangling_version(env: Env) {
    let r = &env.registry;
    let (_, _, alice) = env.user("alice@acme.io", "acme", Role::Member).await;
    let (integration, _) = env.integration(&alice).await;
    let alice = Arc::new(alice);
    // Uploads dropped at various points (like a client going away or a crash mid-way).
    for (i, delay_ms) in [0u64, 1, 3, 7, 15, 30, 60, 120].into_iter().enumerate() {
        let (r2, alice2) = (r.clone(), alice.clone());
        let zip = widget_zip(&Widget::version(&format!("3.{i}.0")));
        let task = tokio::spawn(async move {
            let _ = r2
                .upload_version(&alice2, integration.id, &zip, Lang::En)
                .await;
        });
        tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
        task.abort();
        let _ = task.await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_all_blobs_present(r).await;
    let i = r.get_integration(&alice, integration.id).await.unwrap();
    let count = version_count(r).await;
    assert_eq!(i.last_seq, count, "the sequence matches the rows");
    // The registry still accepts uploads afterwards.
    let v = upload_until_accepted(r, &alice, integration.id, "9.0.0".into()).await;
    assert_eq!(v.number, count + 1);
}

async fn reopen_keeps_everything(mut env: Env) {
    let (_, acme, alice) = env.user("alice@acme.io", "acme", Role::Admin).await;
    let (integration, secret) = env.integration(&alice).await;
    let (_, raw) = env
        .registry
        .create_token(&alice, "ci", &[Scope::Upload], None)
        .await
        .unwrap();
    let out = env
        .registry
        .upload_version(
            &alice,
            integration.id,
            &widget_zip(&Widget::version("1.0.0")),
            Lang::En,
        )
        .await
        .unwrap();
    if env.local_blobs() {
        std::fs::write(env.blob_root().join("tmp").join("left.tmp"), b"partial").unwrap();
    }

    env.reopen().await;
    let r = &env.registry;
    assert!(
        r.verify_password("alice@acme.io", "password-1")
            .await
            .unwrap()
            .is_some()
    );
    let p = r.authenticate_token(&raw).await.unwrap().unwrap();
    let i = r.get_integration(&p, integration.id).await.unwrap();
    assert!(i.secret_matches(&secret));
    assert_eq!(i.code.as_deref(), Some(out.version.code.as_str()));
    assert_eq!(
        r.list_versions(&p, integration.id).await.unwrap(),
        vec![out.version.clone()]
    );
    let f = r
        .resolve_file(Some(acme.id), &out.version.code, "1.0.0", "manifest.json")
        .await
        .unwrap()
        .unwrap();
    assert!(r.blobs().get(&f.sha256).await.unwrap().is_some());
    if env.local_blobs() {
        assert_eq!(
            std::fs::read_dir(env.blob_root().join("tmp"))
                .unwrap()
                .count(),
            0
        );
    }
    let next = r
        .upload_version(
            &p,
            integration.id,
            &widget_zip(&Widget::version("1.0.1")),
            Lang::En,
        )
        .await
        .unwrap();
    assert_eq!(next.version.number, 2);
}

async fn install_and_uninstall(env: Env) {
    let r = &env.registry;
    let (_, acme, admin) = env.user("boss@acme.io", "acme", Role::Admin).await;
    let (_, _, member) = env.user("dev@acme.io", "acme", Role::Member).await;
    let (_, evil, eve) = env.user("eve@evil.io", "evil", Role::Admin).await;
    let (integration, _) = env.integration(&member).await;
    let out = r
        .upload_version(
            &member,
            integration.id,
            &widget_zip(&Widget::version("1.0.0")),
            Lang::En,
        )
        .await
        .unwrap();
    let code = out.version.code.clone();

    let page = r.list_widgets(acme.id, 1, 250).await.unwrap();
    assert_eq!((page.total, page.items.len()), (1, 1));
    let w = &page.items[0];
    assert_eq!(
        (w.code.as_str(), w.version.as_str()),
        (code.as_str(), "1.0.0")
    );
    assert_eq!(w.name, "My widget");
    let api_key = w
        .settings_template
        .iter()
        .find(|f| f.key == "api_key")
        .unwrap();
    assert_eq!((api_key.kind.as_str(), api_key.is_required), ("text", true));
    assert!(
        !api_key.name.is_empty() && api_key.name != "settings.api_key",
        "{api_key:?}"
    );
    assert!(!w.is_crm_template && !w.is_active_in_account);
    assert_eq!(r.list_widgets(evil.id, 1, 10).await.unwrap().total, 0);
    assert!(
        r.list_widgets(acme.id, 2, 250)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(matches!(
        r.list_widgets(acme.id, 1, 251).await,
        Err(Error::BadInput(_))
    ));
    assert!(matches!(
        r.list_widgets(acme.id, 0, 10).await,
        Err(Error::BadInput(_))
    ));

    // Who may install.
    let ok = json!({"api_key": "k-123"});
    assert!(matches!(
        r.install(&member, &code, &ok, None).await,
        Err(Error::Forbidden(d)) if d.case == DenialCase::NeedsAdmin
    ));
    assert!(matches!(
        r.install(&eve, &code, &ok, None).await,
        Err(Error::NotFound)
    ));
    let (_, raw) = r
        .create_token(&admin, "t", &[Scope::Upload], None)
        .await
        .unwrap();
    let upload_only = r.authenticate_token(&raw).await.unwrap().unwrap();
    assert!(matches!(
        r.install(&upload_only, &code, &ok, None).await,
        Err(Error::MissingScope(Scope::Install))
    ));

    // Settings are checked against the manifest.
    match r.install(&admin, &code, &json!({}), None).await {
        Err(Error::InvalidSettings(p)) => assert_eq!(p[0].key, "api_key"),
        other => panic!("{other:?}"),
    }
    match r
        .install(&admin, &code, &json!({"api_key": "k", "extra": "x"}), None)
        .await
    {
        Err(Error::InvalidSettings(p)) => assert_eq!(p[0].key, "extra"),
        other => panic!("{other:?}"),
    }
    match r.install(&admin, &code, &json!({"api_key": 5}), None).await {
        Err(Error::InvalidSettings(p)) => assert_eq!(p[0].key, "api_key"),
        other => panic!("{other:?}"),
    }
    let installed = r.install(&admin, &code, &ok, None).await.unwrap();
    assert!(installed.is_active_in_account);
    assert_eq!(installed.settings, Some(ok.clone()));
    let changed = r
        .install(&admin, &code, &json!({"api_key": "new"}), None)
        .await
        .unwrap();
    assert_eq!(changed.settings, Some(json!({"api_key": "new"})));
    let catalog = r.catalog(acme.id).await.unwrap();
    assert!(catalog[0].installation.as_ref().unwrap().active);

    // Uninstall keeps an audit record.
    assert!(matches!(
        r.uninstall(&member, &code).await,
        Err(Error::Forbidden(d)) if d.case == DenialCase::NeedsAdmin
    ));
    assert!(matches!(
        r.uninstall(&eve, &code).await,
        Err(Error::NotFound)
    ));
    r.uninstall(&admin, &code).await.unwrap();
    assert!(matches!(
        r.uninstall(&admin, &code).await,
        Err(Error::NotFound)
    ));
    assert!(
        !r.get_widget(acme.id, &code)
            .await
            .unwrap()
            .is_active_in_account
    );
    let kinds: Vec<_> = r
        .audit_events(integration.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            "integration.created",
            "version.uploaded",
            "widget.installed",
            "widget.settings_changed",
            "widget.uninstalled"
        ]
    );
    // Reinstalling works.
    assert!(
        r.install(&admin, &code, &ok, None)
            .await
            .unwrap()
            .is_active_in_account
    );
}
