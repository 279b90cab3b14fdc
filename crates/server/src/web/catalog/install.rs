//! Installing with settings, changing them, uninstalling.

use super::*;

pub(super) async fn install_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(code): Path<String>,
) -> Response {
    let registry = &state.inner.registry;
    let w = match load(&state, &user, &code).await {
        Ok(w) => w,
        Err(e) => return failure(&user.viewer, e),
    };
    if user.principal.role != Role::Admin {
        return admins_only(&user, &format!("/catalog/{}", w.tile.code));
    }
    let parts = match form_parts(registry, &user, &w).await {
        Ok(p) => p,
        Err(e) => return failure(&user.viewer, e),
    };
    form_page(
        &user,
        StatusCode::OK,
        &w,
        &parts,
        &parts.current,
        &[],
        false,
    )
}

pub(super) async fn install(
    State(state): State<AppState>,
    user: SignedIn,
    Path(code): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> Response {
    let posted = Posted(&posted);
    if !csrf_ok(&user.principal, posted.get("csrf")) {
        return csrf_refused();
    }
    let registry = &state.inner.registry;
    let w = match load(&state, &user, &code).await {
        Ok(w) => w,
        Err(e) => return failure(&user.viewer, e),
    };
    if user.principal.role != Role::Admin {
        return admins_only(&user, &format!("/catalog/{}", w.tile.code));
    }
    let parts = match form_parts(registry, &user, &w).await {
        Ok(p) => p,
        Err(e) => return failure(&user.viewer, e),
    };
    let settings = settings_from_form(&parts.specs, &parts.users, &posted, &parts.current);
    match registry
        .install(&user.principal, &code, &settings, parts.pipeline_id)
        .await
    {
        Ok(_) => {
            let notice = if parts.current.is_null() {
                "installed"
            } else {
                "updated"
            };
            Redirect::to(&format!("/catalog/{}?notice={notice}", w.tile.code)).into_response()
        }
        Err(Error::InvalidSettings(problems)) => {
            let typed_password = parts.specs.iter().any(|s| match s.kind {
                Kind::Pass => !posted.get(&field_name(&s.key)).is_empty(),
                Kind::UsersLp => parts.users.iter().any(|u| {
                    !posted
                        .get(&format!("{}.password", user_field_name(&s.key, u.id)))
                        .is_empty()
                }),
                _ => false,
            });
            form_page(
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                &w,
                &parts,
                &settings,
                &problems,
                typed_password,
            )
        }
        Err(e) => failure(&user.viewer, e),
    }
}

/// A form with only the CSRF token.
#[derive(Deserialize)]
pub(in crate::web) struct CsrfForm {
    #[serde(default)]
    pub(in crate::web) csrf: String,
}

pub(super) async fn uninstall(
    State(state): State<AppState>,
    user: SignedIn,
    Path(code): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&user.principal, &f.csrf) {
        return csrf_refused();
    }
    if user.principal.role != Role::Admin {
        return admins_only(&user, &format!("/catalog/{}", segment(&code)));
    }
    match state.inner.registry.uninstall(&user.principal, &code).await {
        Ok(()) => {
            Redirect::to(&format!("/catalog/{}?notice=uninstalled", segment(&code))).into_response()
        }
        Err(e) => failure(&user.viewer, e),
    }
}
