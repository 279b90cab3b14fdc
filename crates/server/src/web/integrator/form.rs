//! Creating and editing an integration.

use super::*;

/// The create/edit form's fields.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(super) struct IntegrationForm {
    #[serde(default, skip_serializing)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) name_en: String,
    #[serde(default)]
    pub(super) name_ru: String,
    #[serde(default)]
    pub(super) description_en: String,
    #[serde(default)]
    pub(super) description_ru: String,
    #[serde(default)]
    pub(super) redirect_uri: String,
}

impl IntegrationForm {
    pub(super) fn of(i: &Integration) -> IntegrationForm {
        let get = |m: &BTreeMap<String, String>, k: &str| m.get(k).cloned().unwrap_or_default();
        IntegrationForm {
            csrf: String::new(),
            name_en: get(&i.name, "en"),
            name_ru: get(&i.name, "ru"),
            description_en: get(&i.description, "en"),
            description_ru: get(&i.description, "ru"),
            redirect_uri: i.redirect_uri.clone(),
        }
    }

    /// The names and descriptions over `base` (other languages kept; an empty field removes
    /// its language).
    pub(super) fn texts(
        &self,
        base_name: &BTreeMap<String, String>,
        base_description: &BTreeMap<String, String>,
    ) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
        let merge = |base: &BTreeMap<String, String>, en: &str, ru: &str| {
            let mut m = base.clone();
            for (k, v) in [("en", en), ("ru", ru)] {
                if v.trim().is_empty() {
                    m.remove(k);
                } else {
                    m.insert(k.to_string(), v.trim().to_string());
                }
            }
            m
        };
        (
            merge(base_name, &self.name_en, &self.name_ru),
            merge(base_description, &self.description_en, &self.description_ru),
        )
    }

    /// Errors found before asking the registry: field id -> message.
    pub(super) fn check(&self, lang: Lang) -> BTreeMap<String, String> {
        let mut errors = BTreeMap::new();
        if self.name_en.trim().is_empty() && self.name_ru.trim().is_empty() {
            errors.insert(
                "name-en".into(),
                input::sentence(lang, InputCode::NameMissing, &[]),
            );
        }
        if self.redirect_uri.trim().is_empty() {
            errors.insert(
                "redirect-uri".into(),
                text(lang, "integrator-err-redirect_missing").into(),
            );
        }
        errors
    }
}

/// The form field a registry refusal of an integration's texts is about (`/name` alone is
/// the English name's field), with its message.
pub(super) fn field_of_bad_input(lang: Lang, bad: &BadInput) -> (String, String) {
    let field = match bad.field.as_str() {
        "/name" => "name-en".to_string(),
        other => input::field_id(other, "name-en"),
    };
    (field, input::bad_input(lang, bad))
}

pub(super) fn form_page(
    viewer: &Viewer,
    status: StatusCode,
    editing: Option<&Integration>,
    values: &IntegrationForm,
    errors: &BTreeMap<String, String>,
) -> Response {
    let problem = (!errors.is_empty()).then(|| text(viewer.lang, "integrator-form-failed"));
    page_with(
        status,
        viewer,
        "integrator/form.html",
        context! {
            editing => editing.map(|i| context! { id => i.id, name => i.display_name() }),
            values => Value::from_serialize(values),
            errors => Value::from_serialize(errors),
            problem => problem,
        },
    )
}

pub(super) async fn new_form(user: SignedIn) -> Response {
    form_page(
        &user.viewer,
        StatusCode::OK,
        None,
        &IntegrationForm::default(),
        &BTreeMap::new(),
    )
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: SignedIn,
    Form(f): Form<IntegrationForm>,
) -> PageResult {
    check_csrf(&user.principal, &f.csrf)?;
    let lang = user.viewer.lang;
    let viewer = at(&user.viewer, "/integrations/new".into());
    let errors = f.check(lang);
    if !errors.is_empty() {
        return Ok(form_page(
            &viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            &f,
            &errors,
        ));
    }
    let (name, description) = f.texts(&BTreeMap::new(), &BTreeMap::new());
    let new = NewIntegration {
        name,
        description,
        redirect_uri: f.redirect_uri.trim().to_string(),
    };
    Ok(
        match state
            .inner
            .registry
            .create_integration(&user.principal, new)
            .await
        {
            Ok((integration, secret)) => {
                integration_page(
                    &state,
                    &user,
                    integration,
                    Extras {
                        secret: Some(secret),
                        notice: Some(text(lang, "integrator-notice-created").into()),
                        ..Extras::default()
                    },
                )
                .await?
            }
            Err(Error::BadInput(bad)) => {
                let (field, message) = field_of_bad_input(lang, &bad);
                let errors = BTreeMap::from([(field, message)]);
                form_page(&viewer, StatusCode::UNPROCESSABLE_ENTITY, None, &f, &errors)
            }
            Err(e) => return Err(e.into()),
        },
    )
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
) -> PageResult {
    let integration = own(&state, &user, &id).await?;
    Ok(form_page(
        &user.viewer,
        StatusCode::OK,
        Some(&integration),
        &IntegrationForm::of(&integration),
        &BTreeMap::new(),
    ))
}

pub(super) async fn edit(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<IntegrationForm>,
) -> PageResult {
    let integration = own_posted(&state, &user, &id, &f.csrf).await?;
    let lang = user.viewer.lang;
    let errors = f.check(lang);
    if !errors.is_empty() {
        return Ok(form_page(
            &user.viewer,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&integration),
            &f,
            &errors,
        ));
    }
    let (name, description) = f.texts(&integration.name, &integration.description);
    let update = IntegrationUpdate {
        name: Some(name),
        description: Some(description),
        redirect_uri: Some(f.redirect_uri.trim().to_string()),
    };
    Ok(
        match state
            .inner
            .registry
            .update_integration(&user.principal, integration.id, update)
            .await
        {
            Ok(_) => see_page(integration.id, "edited"),
            Err(Error::BadInput(bad)) => {
                let (field, message) = field_of_bad_input(lang, &bad);
                let errors = BTreeMap::from([(field, message)]);
                form_page(
                    &user.viewer,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(&integration),
                    &f,
                    &errors,
                )
            }
            Err(e) => return Err(e.into()),
        },
    )
}
