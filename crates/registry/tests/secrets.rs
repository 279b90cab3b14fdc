//! Secrets at rest, on SQLite, PostgreSQL and with blobs on S3: a webhook secret is stored
//! sealed and read back in clear by the delivery worker; secrets stored in clear before
//! sealing began are sealed when the registry opens; rotating the key seals everything again
//! and drops the old key; a process with another key refuses to start.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::{Env, Widget, widget_zip};
use sqlx::Row;
use widgetry_registry::{Lang, Registry, Role};

on_both!(secrets_are_sealed_and_rotate);

async fn stored_secret(r: &Registry) -> String {
    sqlx::query("SELECT secret FROM webhooks")
        .fetch_one(r.pool())
        .await
        .unwrap()
        .try_get("secret")
        .unwrap()
}

/// The secret the delivery worker would sign with.
async fn delivered_secret(r: &Registry) -> String {
    let due = r.claim_deliveries(10, 1).await.unwrap();
    assert!(!due.is_empty(), "a delivery is due");
    due[0].secret.clone()
}

async fn secrets_are_sealed_and_rotate(mut env: Env) {
    let (_, _, alice) = env.user("alice@acme.io", "acme", Role::Admin).await;
    let (integration, _) = env.integration(&alice).await;
    let (_, secret) = env
        .registry
        .set_webhook(&alice, integration.id, "https://hooks.acme.io/w")
        .await
        .unwrap();
    env.registry
        .upload_version(
            &alice,
            integration.id,
            &widget_zip(&Widget::version("1.0.0")),
            Lang::En,
        )
        .await
        .unwrap();
    let stored = stored_secret(&env.registry).await;
    assert!(
        stored.starts_with("wgs1:") && !stored.contains(&secret),
        "{stored}"
    );
    assert_eq!(delivered_secret(&env.registry).await, secret);

    // A secret stored in clear (before sealing began) is sealed when the registry opens.
    sqlx::query("UPDATE webhooks SET secret = $1")
        .bind(&secret)
        .execute(env.registry.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM service_settings WHERE name = 'stored_secrets_sealed'")
        .execute(env.registry.pool())
        .await
        .unwrap();
    env.reopen().await;
    let resealed = stored_secret(&env.registry).await;
    assert!(resealed.starts_with("wgs1:"), "{resealed}");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(delivered_secret(&env.registry).await, secret);

    // Rotation: a new key in the file (the old one dropped), everything sealed again.
    let key_file = env.dir.path().join("secrets.key");
    let before = std::fs::read_to_string(&key_file).unwrap();
    let (key, count) = env.registry.rotate_secrets_key(&key_file).await.unwrap();
    assert_eq!(count, 1);
    let after = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(before, after);
    assert_eq!(
        after.lines().count(),
        1,
        "the old key is gone from the file"
    );
    let rotated = stored_secret(&env.registry).await;
    assert!(rotated.contains(&format!(":{key}:")), "{rotated}");
    env.reopen().await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(delivered_secret(&env.registry).await, secret);

    // The old key no longer opens this service.
    let old = env.dir.path().join("old.key");
    std::fs::write(&old, before).unwrap();
    let refused = Registry::open_full(&env.url, env.dir.path(), &env.blobs, &old).await;
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("same --secrets-key-file"), "{message}");
}
