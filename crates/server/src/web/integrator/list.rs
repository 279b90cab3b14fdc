//! The list of the account's integrations.

use super::*;

pub(super) async fn list(State(state): State<AppState>, user: SignedIn) -> Response {
    let registry = &state.inner.registry;
    let lang = user.viewer.lang;
    let integrations = match registry.list_integrations(&user.principal).await {
        Ok(list) => list,
        Err(e) => return failure(&user.viewer, e),
    };
    let mut rows = Vec::with_capacity(integrations.len());
    for i in &integrations {
        let versions = match registry.list_versions(&user.principal, i.id).await {
            Ok(v) => v,
            Err(e) => return failure(&user.viewer, e),
        };
        rows.push(integration_view(lang, i, &versions));
    }
    page(
        &user.viewer,
        "integrator/list.html",
        context! { integrations => Value::from_serialize(&rows) },
    )
}
