//! The status history an event stream reads, on SQLite, PostgreSQL and with blobs on S3: a
//! run of other events longer than a page does not hide the next status change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::{Env, Widget, widget_zip};
use widgetry_registry::{Lang, Role};

on_both!(status_changes_behind_a_long_run_of_other_events_are_found);

async fn status_changes_behind_a_long_run_of_other_events_are_found(env: Env) {
    let r = &env.registry;
    let (_, acme, alice) = env.user("alice@acme.io", "acme", Role::Admin).await;
    let (integration, _) = env.integration(&alice).await;
    r.upload_version(
        &alice,
        integration.id,
        &widget_zip(&Widget::version("1.0.0")),
        Lang::En,
    )
    .await
    .unwrap();
    let first = r
        .integration_history(&alice, integration.id, 0, true, 100)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    // 150 events that are no status change (edits of the listing, say).
    for _ in 0..150 {
        sqlx::query(
            "INSERT INTO audit_events (at, actor_user_id, account_id, integration_id, kind, detail_json) \
             VALUES (1, NULL, $1, $2, 'integration.updated', '{}')",
        )
        .bind(acme.id)
        .bind(integration.id)
        .execute(r.pool())
        .await
        .unwrap();
    }
    r.upload_version(
        &alice,
        integration.id,
        &widget_zip(&Widget::version("1.0.1")),
        Lang::En,
    )
    .await
    .unwrap();
    let next = r
        .integration_history(&alice, integration.id, first[0].id, true, 100)
        .await
        .unwrap();
    assert_eq!(next.len(), 1, "{next:?}");
    assert_eq!(next[0].kind, "version.uploaded");
    assert_eq!(next[0].detail["widget_version"], "1.0.1");
    // Without the filter, every event is there, in order.
    let all = r
        .integration_history(&alice, integration.id, first[0].id, false, 1000)
        .await
        .unwrap();
    assert_eq!(all.len(), 151);
}
