//! The list of the account's integrations.

use super::*;

pub(super) async fn list(State(state): State<AppState>, user: SignedIn) -> PageResult {
    let registry = &state.inner.registry;
    let lang = user.viewer.lang;
    let integrations = registry.list_integrations(&user.principal).await?;
    let mut rows = Vec::with_capacity(integrations.len());
    for i in &integrations {
        let versions = registry.list_versions(&user.principal, i.id).await?;
        rows.push(integration_view(lang, i, &versions));
    }
    Ok(page(
        &user.viewer,
        "integrator/list.html",
        context! { integrations => Value::from_serialize(&rows) },
    ))
}
