//! Installing with settings, changing them, uninstalling.

use super::*;

pub(super) async fn install_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(code): Path<String>,
) -> PageResult {
    let registry = &state.inner.registry;
    let w = load(&state, &user, &code).await?;
    if user.principal.role != Role::Admin {
        return Ok(admins_only(&user, &format!("/catalog/{}", w.tile.code)));
    }
    let parts = form_parts(registry, &user, &w).await?;
    Ok(form_page(
        &user,
        StatusCode::OK,
        &w,
        &parts,
        &parts.current,
        &[],
        false,
    ))
}

pub(super) async fn install(
    State(state): State<AppState>,
    user: SignedIn,
    Path(code): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> PageResult {
    let posted = Posted(&posted);
    check_csrf(&user.principal, posted.get("csrf"))?;
    let registry = &state.inner.registry;
    let w = load(&state, &user, &code).await?;
    if user.principal.role != Role::Admin {
        return Ok(admins_only(&user, &format!("/catalog/{}", w.tile.code)));
    }
    let parts = form_parts(registry, &user, &w).await?;
    let settings = settings_from_form(&parts.specs, &parts.users, &posted, &parts.current);
    Ok(
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
            Err(e) => return Err(e.into()),
        },
    )
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
) -> PageResult {
    check_csrf(&user.principal, &f.csrf)?;
    if user.principal.role != Role::Admin {
        return Ok(admins_only(&user, &format!("/catalog/{}", segment(&code))));
    }
    Ok(
        match state.inner.registry.uninstall(&user.principal, &code).await {
            Ok(()) => Redirect::to(&format!("/catalog/{}?notice=uninstalled", segment(&code)))
                .into_response(),
            Err(e) => return Err(e.into()),
        },
    )
}
