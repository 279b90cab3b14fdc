//! The moderators queue and the history of decisions.

use super::*;

/// One row of the queue or of the history.
#[derive(Debug, Serialize)]
pub(super) struct QueueRow {
    pub(super) id: i64,
    pub(super) name: BTreeMap<String, String>,
    pub(super) code: String,
    pub(super) account: String,
    pub(super) number: i64,
    pub(super) widget_version: String,
    pub(super) languages: Vec<String>,
    pub(super) created_at: i64,
    pub(super) waiting_days: u64,
    pub(super) state: &'static str,
    pub(super) decided_at: Option<i64>,
}

pub(super) async fn queue_rows(
    registry: &Registry,
    list: Vec<Submission>,
) -> Result<Vec<QueueRow>, Error> {
    let now = widgetry_registry::Timestamp::now();
    let mut names: HashMap<IntegrationId, BTreeMap<String, String>> = HashMap::new();
    let mut accounts: HashMap<AccountId, String> = HashMap::new();
    let mut rows = Vec::with_capacity(list.len());
    for s in list {
        if let Entry::Vacant(e) = names.entry(s.integration_id) {
            let integration = registry.integration_by_id(s.integration_id).await?;
            e.insert(integration.map(|i| i.name).unwrap_or_default());
        }
        if let Entry::Vacant(e) = accounts.entry(s.account_id) {
            e.insert(account_label(registry, s.account_id).await);
        }
        rows.push(QueueRow {
            id: s.id.into(),
            name: names.get(&s.integration_id).cloned().unwrap_or_default(),
            account: accounts.get(&s.account_id).cloned().unwrap_or_default(),
            code: s.code,
            number: s.version.number,
            widget_version: s.version.widget_version,
            languages: s.languages,
            created_at: s.created_at.into(),
            waiting_days: days_between(s.created_at, now),
            state: s.state.as_str(),
            decided_at: s.decision.map(|d| d.at).map(i64::from),
        });
    }
    Ok(rows)
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct QueueQuery {
    pub(super) view: Option<String>,
}

/// `GET /moderation`: the queue, or `?view=decided` the recently decided submissions.
pub(super) async fn queue(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<QueueQuery>,
) -> PageResult {
    moderators_only(&user)?;
    let registry = &state.inner.registry;
    let decided = q.view.as_deref() == Some("decided");
    let list = if decided {
        registry
            .review_history(&user.principal, HISTORY_LIMIT)
            .await
    } else {
        registry.review_queue(&user.principal).await
    };
    let rows = match list {
        Ok(list) => queue_rows(registry, list).await,
        Err(e) => Err(e),
    };
    Ok(match rows {
        Ok(rows) => page(
            &user.viewer,
            "moderation/queue.html",
            context! { decided => decided, rows => rows },
        ),
        Err(e) => return Err(e.into()),
    })
}
