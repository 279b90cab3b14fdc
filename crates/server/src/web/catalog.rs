//! amoMarket for an account: the catalogue (its own private integrations and the public ones,
//! with logo, name, short description, status and version, searchable by name or code), the
//! widget page (description, tour images, install, reconfigure, uninstall) and the settings
//! form generated from the manifest's `settings`, with the registry's problems beside each
//! field. Texts of a widget come from its version's `i18n/<locale>.json` in the page's
//! language, else English, else the integration's own texts.

use super::i18n::text;
use super::pages::not_found;
use super::render::{Template, page, page_with};
use super::session::{SignedIn, Viewer, csrf_ok, csrf_refused};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use widgetry_registry::{
    CatalogEntry, Error, Principal, Registry, Role, SettingsProblem, User, Visibility,
};
use widgetry_validator::Lang;

pub(crate) const TEMPLATES: &[Template] = &[
    (
        "catalog/index.html",
        include_str!("../../templates/catalog/index.html"),
    ),
    (
        "catalog/widget.html",
        include_str!("../../templates/catalog/widget.html"),
    ),
    (
        "catalog/install.html",
        include_str!("../../templates/catalog/install.html"),
    ),
];

pub(crate) const MESSAGES: &[super::i18n::Msg] = &[
    ("catalog.title", "Catalogue", "Каталог"),
    (
        "catalog.search",
        "Search by name or code",
        "Поиск по названию или коду",
    ),
    ("catalog.search_button", "Search", "Найти"),
    ("catalog.search_clear", "Show all", "Показать все"),
    (
        "catalog.count",
        "Widgets found: {n}",
        "Найдено виджетов: {n}",
    ),
    ("catalog.pages", "Pages", "Страницы"),
    (
        "catalog.page_of",
        "page {page} of {pages}",
        "страница {page} из {pages}",
    ),
    ("catalog.prev", "Previous page", "Предыдущая страница"),
    ("catalog.next", "Next page", "Следующая страница"),
    (
        "catalog.empty",
        "There are no widgets to install yet. Widgets appear here when your account uploads one, or when a widget is published for everyone.",
        "Пока нечего устанавливать. Виджеты появятся здесь, когда ваш аккаунт загрузит виджет или когда виджет опубликуют для всех.",
    ),
    (
        "catalog.empty_hint",
        "Create an integration and upload a widget",
        "Создать интеграцию и загрузить виджет",
    ),
    (
        "catalog.no_match",
        "No widget matches “{q}”.",
        "Нет виджетов по запросу «{q}».",
    ),
    ("catalog.private", "private", "частный"),
    ("catalog.public", "public", "публичный"),
    ("catalog.installed", "installed", "установлен"),
    ("catalog.not_installed", "not installed", "не установлен"),
    ("catalog.version", "version {v}", "версия {v}"),
    ("catalog.own", "your integration", "ваша интеграция"),
    ("catalog.description", "Description", "Описание"),
    ("catalog.tour", "Tour", "Обзор"),
    (
        "catalog.tour_image",
        "{name}: tour image {n}",
        "{name}: изображение обзора {n}",
    ),
    ("catalog.back", "Back to the catalogue", "Назад в каталог"),
    (
        "catalog.back_widget",
        "Back to the widget",
        "Назад к виджету",
    ),
    ("catalog.install", "Install", "Установить"),
    ("catalog.reconfigure", "Settings", "Настройки"),
    ("catalog.uninstall", "Uninstall", "Удалить"),
    (
        "catalog.uninstall_confirm",
        "Uninstall {name} from this account?",
        "Удалить {name} из этого аккаунта?",
    ),
    (
        "catalog.installed_since",
        "Installed; settings last saved {when}.",
        "Установлен; настройки сохранены {when}.",
    ),
    (
        "catalog.admins_only",
        "Only administrators of the account {account} can install, configure and uninstall widgets. Ask one of them to do it.",
        "Устанавливать, настраивать и удалять виджеты могут только администраторы аккаунта {account}. Попросите одного из них.",
    ),
    ("catalog.forbidden", "Not allowed", "Нет доступа"),
    (
        "catalog.install_title",
        "Install {name}",
        "Установка: {name}",
    ),
    (
        "catalog.reconfigure_title",
        "Settings of {name}",
        "Настройки: {name}",
    ),
    (
        "catalog.required_note",
        "Fields marked * are required.",
        "Поля, отмеченные *, обязательны.",
    ),
    (
        "catalog.no_settings",
        "This widget has no settings.",
        "У этого виджета нет настроек.",
    ),
    (
        "catalog.form_problems",
        "The settings were not saved. Correct the fields marked below.",
        "Настройки не сохранены. Исправьте отмеченные поля.",
    ),
    (
        "catalog.retype_passwords",
        "Passwords are never sent back to the page: type the new ones again (fields left empty keep the saved value).",
        "Пароли не возвращаются на страницу: введите новые ещё раз (пустые поля сохраняют прежнее значение).",
    ),
    ("catalog.save", "Save settings", "Сохранить настройки"),
    (
        "catalog.pass_keep",
        "A value is saved; leave empty to keep it.",
        "Значение сохранено; оставьте поле пустым, чтобы не менять его.",
    ),
    (
        "catalog.users_hint",
        "One value per user of the account; leave empty for users who need none.",
        "Отдельное значение для каждого пользователя аккаунта; оставьте пустым для тех, кому оно не нужно.",
    ),
    (
        "catalog.users_lp_hint",
        "A login and a password per user of the account; leave both empty for users who need none. A password left empty keeps the saved one.",
        "Логин и пароль для каждого пользователя аккаунта; оставьте оба поля пустыми для тех, кому они не нужны. Пустой пароль сохраняет прежний.",
    ),
    ("catalog.login_for", "{email}: login", "{email}: логин"),
    (
        "catalog.password_for",
        "{email}: password",
        "{email}: пароль",
    ),
    (
        "catalog.custom_hint",
        "The widget draws this setting itself inside amoCRM. Here you can enter its value as JSON text (for example {\"mode\": \"full\"}) or a number.",
        "Эту настройку виджет рисует сам внутри amoCRM. Здесь можно указать её значение как JSON-текст (например, {\"mode\": \"full\"}) или число.",
    ),
    (
        "catalog.problem.required",
        "A value is required.",
        "Укажите значение.",
    ),
    (
        "catalog.problem.custom",
        "Enter valid JSON text (for example {\"mode\": \"full\"}) or a number.",
        "Введите корректный JSON-текст (например, {\"mode\": \"full\"}) или число.",
    ),
    (
        "catalog.notice.installed",
        "The widget is installed.",
        "Виджет установлен.",
    ),
    (
        "catalog.notice.updated",
        "The settings are saved.",
        "Настройки сохранены.",
    ),
    (
        "catalog.notice.uninstalled",
        "The widget is uninstalled.",
        "Виджет удалён.",
    ),
];

/// The page routes of this module.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(index))
        .route("/catalog/{code}", get(widget))
        .route("/catalog/{code}/install", get(install_form).post(install))
        .route("/catalog/{code}/uninstall", post(uninstall))
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "ru",
        _ => "en",
    }
}

/// A `{"en": .., "ru": ..}` map in the language, else English, else the first non-empty.
fn localized(map: &BTreeMap<String, String>, lang: Lang) -> Option<String> {
    [lang_code(lang), "en"]
        .iter()
        .filter_map(|l| map.get(*l))
        .chain(map.values())
        .find(|s| !s.trim().is_empty())
        .cloned()
}

/// Whether a manifest text looks like an i18n key (`widget.name`) rather than literal text.
fn key_like(raw: &str) -> bool {
    raw.contains('.') && !raw.chars().any(char::is_whitespace)
}

/// A widget version as the pages show it: manifest, file paths and i18n documents.
#[derive(Debug, Default)]
struct Texts {
    manifest: Value,
    files: Vec<String>,
    /// `i18n/<locale>.json` documents in lookup order: the page language, English, then the
    /// manifest's locales.
    i18n: Vec<Value>,
}

impl Texts {
    async fn load(
        registry: &Registry,
        p: &Principal,
        entry: &CatalogEntry,
        lang: Lang,
    ) -> Result<Texts, Error> {
        let detail = registry
            .get_version(p, entry.integration.id, entry.live_version.number)
            .await?;
        let mut order = vec![lang_code(lang).to_string(), "en".to_string()];
        if let Some(list) = detail
            .manifest
            .pointer("/widget/locale")
            .and_then(Value::as_array)
        {
            order.extend(list.iter().filter_map(|v| v.as_str().map(str::to_string)));
        }
        let mut i18n = Vec::new();
        let mut seen = Vec::new();
        for locale in order {
            if seen.contains(&locale) {
                continue;
            }
            let path = format!("i18n/{locale}.json");
            seen.push(locale);
            let Some(file) = detail.files.iter().find(|f| f.path == path) else {
                continue;
            };
            match registry.blobs().get(&file.sha256).await {
                Ok(Some(bytes)) => {
                    if let Ok(doc) = serde_json::from_slice(&bytes) {
                        i18n.push(doc);
                    }
                }
                Ok(None) => tracing::warn!(path, sha256 = %file.sha256, "an i18n blob is missing"),
                Err(e) => tracing::warn!(path, error = %e, "cannot read an i18n blob"),
            }
        }
        Ok(Texts {
            manifest: detail.manifest,
            files: detail.files.into_iter().map(|f| f.path).collect(),
            i18n,
        })
    }

    /// An i18n key (`widget.name`) in the first document that has it.
    fn lookup(&self, key: &str) -> Option<String> {
        self.i18n.iter().find_map(|doc| {
            let mut node = doc;
            for part in key.split('.') {
                node = node.get(part)?;
            }
            node.as_str()
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
        })
    }

    /// A manifest text: its translation, or the text itself when it is not a key.
    fn text(&self, raw: &str) -> Option<String> {
        self.lookup(raw)
            .or_else(|| (!raw.trim().is_empty() && !key_like(raw)).then(|| raw.to_string()))
    }

    /// The text at a manifest pointer (`/widget/short_description`).
    fn manifest_text(&self, pointer: &str) -> Option<String> {
        self.manifest
            .pointer(pointer)
            .and_then(Value::as_str)
            .and_then(|raw| self.text(raw))
    }

    fn has(&self, path: &str) -> bool {
        self.files.iter().any(|f| f == path)
    }
}

use crate::files::urls::{file_path, segment};

/// At most `max` characters, cut at a word with `…`.
fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

fn paragraphs(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// One widget as the catalogue and its page show it.
#[derive(Debug, Clone, Serialize)]
struct Tile {
    code: String,
    name: String,
    short: String,
    logo: Option<String>,
    public: bool,
    own: bool,
    installed: bool,
    version: String,
    /// Where the viewer's account fetches the live version's files (files origin).
    files_base: Option<String>,
}

fn tile(
    entry: &CatalogEntry,
    texts: &Texts,
    origin: &crate::files::FilesOrigin,
    account_id: i64,
    lang: Lang,
) -> Tile {
    let integration = &entry.integration;
    let version = &entry.live_version;
    let code = version.code.clone();
    let files_base = origin.base_for(account_id, integration, version);
    let widget_name = texts.manifest_text("/widget/name");
    let name = localized(&integration.name, lang)
        .or_else(|| widget_name.clone())
        .unwrap_or_else(|| code.clone());
    let short = texts
        .manifest_text("/widget/short_description")
        .or_else(|| localized(&integration.description, lang))
        .map(|s| shorten(&s, 160))
        .unwrap_or_default();
    let logo = ["images/logo_medium.png", "images/logo.png"]
        .into_iter()
        .find(|p| texts.has(p))
        .and_then(|p| Some(format!("{}/{}", files_base.as_ref()?, file_path(p))));
    Tile {
        name,
        short,
        logo,
        public: integration.visibility == Visibility::Public,
        own: integration.account_id == account_id,
        installed: entry.installation.as_ref().is_some_and(|n| n.active),
        version: version.widget_version.clone(),
        code,
        files_base,
    }
}

/// Whether a search matches (case-insensitive, in any name or the code).
fn matches(query: &str, haystack: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty() || haystack.contains(&q)
}

/// A tour image of the widget page.
#[derive(Debug, Serialize)]
struct TourImage {
    src: String,
    alt: String,
}

fn tour(texts: &Texts, tile: &Tile, lang: Lang) -> Vec<TourImage> {
    let images = texts
        .manifest
        .pointer("/tour/tour_images")
        .and_then(Value::as_object);
    let Some(images) = images else {
        return Vec::new();
    };
    let list = [lang_code(lang), "en"]
        .iter()
        .find_map(|l| images.get(*l).and_then(Value::as_array))
        .cloned()
        .unwrap_or_default();
    let Some(base) = &tile.files_base else {
        return Vec::new();
    };
    list.iter()
        .filter_map(Value::as_str)
        .map(|p| p.trim_start_matches('/'))
        .filter(|p| texts.has(p))
        .enumerate()
        .map(|(i, p)| TourImage {
            src: format!("{base}/{}", file_path(p)),
            alt: text(lang, "catalog.tour_image")
                .replace("{name}", &tile.name)
                .replace("{n}", &(i + 1).to_string()),
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    q: Option<String>,
    notice: Option<String>,
    page: Option<usize>,
}

/// The notice named by `?notice=`, among this module's.
fn notice(lang: Lang, q: &PageQuery) -> Option<&'static str> {
    match q.notice.as_deref()? {
        "installed" => Some(text(lang, "catalog.notice.installed")),
        "updated" => Some(text(lang, "catalog.notice.updated")),
        "uninstalled" => Some(text(lang, "catalog.notice.uninstalled")),
        _ => None,
    }
}

/// A message page with a status.
fn message(
    viewer: &Viewer,
    status: StatusCode,
    heading: &str,
    body: String,
    back: &str,
) -> Response {
    page_with(
        status,
        viewer,
        "message.html",
        context! { heading => heading, text => body, back => back },
    )
}

/// Why a member cannot install (403).
fn admins_only(user: &SignedIn, back: &str) -> Response {
    let lang = user.viewer.lang;
    message(
        &user.viewer,
        StatusCode::FORBIDDEN,
        text(lang, "catalog.forbidden"),
        text(lang, "catalog.admins_only").replace("{account}", &user.principal.account.name),
        back,
    )
}

/// The page for a registry refusal or failure.
pub(super) fn failure(viewer: &Viewer, e: Error) -> Response {
    match e {
        Error::NotFound => not_found(viewer),
        Error::Forbidden(why) => message(
            viewer,
            StatusCode::FORBIDDEN,
            text(viewer.lang, "catalog.forbidden"),
            why,
            "/catalog",
        ),
        other => crate::ApiError::from(other).into_response(),
    }
}

async fn index(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<PageQuery>,
) -> Response {
    let registry = &state.inner.registry;
    let origin = state.files_origin();
    let p = &user.principal;
    let lang = user.viewer.lang;
    let entries = match registry.catalog(p.account.id).await {
        Ok(e) => e,
        Err(e) => return failure(&user.viewer, e),
    };
    // Search and page on what the catalogue rows carry (names in every language and the
    // code), then read the version texts of the shown page only: the page costs the same
    // with ten widgets or ten thousand.
    let query = q.q.as_deref().unwrap_or_default().trim().to_string();
    let needle = query.to_lowercase();
    let found: Vec<&CatalogEntry> = entries
        .iter()
        .filter(|e| matches(&needle, &entry_haystack(e)))
        .collect();
    let pages = found.len().div_ceil(PAGE_SIZE).max(1);
    let current = q.page.unwrap_or(1).clamp(1, pages);
    let shown_entries = found.iter().skip((current - 1) * PAGE_SIZE).take(PAGE_SIZE);
    let shown: Vec<Tile> = futures_util::future::join_all(shown_entries.map(|entry| async move {
        let texts = match Texts::load(registry, p, entry, lang).await {
            Ok(t) => t,
            Err(e) => {
                tracing::warn!(code = %entry.live_version.code, error = %e, "cannot read a catalogue entry's version");
                Texts::default()
            }
        };
        tile(entry, &texts, origin, p.account.id, lang)
    }))
    .await;
    page(
        &user.viewer,
        "catalog/index.html",
        context! {
            q => query,
            tiles => shown,
            total => entries.len(),
            found => found.len(),
            page => current,
            pages => pages,
        },
    )
}

/// Widgets on one catalogue page.
const PAGE_SIZE: usize = 48;

/// What a catalogue search looks in, lowercased: the integration's names in every language
/// and the widget code.
fn entry_haystack(entry: &CatalogEntry) -> String {
    haystack(
        entry.integration.name.values().map(String::as_str),
        &entry.live_version.code,
    )
}

fn haystack<'a>(names: impl IntoIterator<Item = &'a str>, code: &str) -> String {
    let mut parts: Vec<&str> = names.into_iter().collect();
    parts.push(code);
    parts.join("\n").to_lowercase()
}

/// A widget of the catalogue with its version's texts.
struct Loaded {
    entry: CatalogEntry,
    texts: Texts,
    tile: Tile,
}

async fn load(state: &AppState, user: &SignedIn, code: &str) -> Result<Loaded, Error> {
    let registry = &state.inner.registry;
    let p = &user.principal;
    let entry = registry.catalog_entry(p.account.id, code).await?;
    let texts = Texts::load(registry, p, &entry, user.viewer.lang).await?;
    let tile = tile(
        &entry,
        &texts,
        state.files_origin(),
        p.account.id,
        user.viewer.lang,
    );
    Ok(Loaded { entry, texts, tile })
}

async fn widget(
    State(state): State<AppState>,
    user: SignedIn,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let lang = user.viewer.lang;
    let w = match load(&state, &user, &code).await {
        Ok(w) => w,
        Err(e) => return failure(&user.viewer, e),
    };
    let description = w
        .texts
        .manifest_text("/widget/description")
        .or_else(|| localized(&w.entry.integration.description, lang))
        .map(|d| paragraphs(&d))
        .unwrap_or_default();
    let installation = w.entry.installation.as_ref().filter(|n| n.active);
    page(
        &user.viewer,
        "catalog/widget.html",
        context! {
            w => &w.tile,
            description => description,
            tour => tour(&w.texts, &w.tile, lang),
            tour_description => w.texts.manifest_text("/tour/tour_description"),
            updated_at => installation.map(|n| n.updated_at),
            admins_only => text(lang, "catalog.admins_only").replace("{account}", &user.principal.account.name),
            notice => notice(lang, &q),
        },
    )
}

// ---- The settings form ----

/// A settings field type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Pass,
    Users,
    UsersLp,
    Custom,
}

impl Kind {
    fn parse(s: &str) -> Kind {
        match s {
            "pass" => Kind::Pass,
            "users" => Kind::Users,
            "users_lp" => Kind::UsersLp,
            "custom" => Kind::Custom,
            // `text`, and unknown types (the registry says what is wrong with them).
            _ => Kind::Text,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Pass => "pass",
            Kind::Users => "users",
            Kind::UsersLp => "users_lp",
            Kind::Custom => "custom",
        }
    }
}

/// One field of the manifest's `settings`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Spec {
    key: String,
    /// The manifest's `name` (usually an i18n key).
    name: String,
    kind: Kind,
    required: bool,
}

/// The manifest's `settings`, in manifest order.
fn specs(manifest: &Value) -> Vec<Spec> {
    let Some(fields) = manifest.get("settings").and_then(Value::as_object) else {
        return Vec::new();
    };
    fields
        .iter()
        .map(|(key, field)| Spec {
            key: key.clone(),
            name: field
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(key)
                .to_string(),
            kind: Kind::parse(field.get("type").and_then(Value::as_str).unwrap_or("text")),
            required: field
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
        .collect()
}

/// Form field names: `s.{key}`, `s.{key}.{user}`, `s.{key}.{user}.login|password`.
fn field_name(key: &str) -> String {
    format!("s.{key}")
}

fn user_field_name(key: &str, user: i64) -> String {
    format!("s.{key}.{user}")
}

/// An HTML id for a settings key.
fn field_id(key: &str) -> String {
    let slug: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("setting-{slug}")
}

/// A posted form: name/value pairs (names may repeat).
pub(super) struct Posted<'a>(pub(super) &'a [(String, String)]);

impl Posted<'_> {
    /// The first value of a field, empty when absent.
    pub(super) fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

fn stored_str<'a>(current: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut node = current;
    for part in path {
        node = node.get(*part)?;
    }
    node.as_str().filter(|s| !s.is_empty())
}

/// The settings object a posted form means. Empty fields are left out; an empty password
/// (`pass`, or a `users_lp` password) keeps the value saved in `current`.
fn settings_from_form(
    specs: &[Spec],
    users: &[User],
    posted: &Posted<'_>,
    current: &Value,
) -> Value {
    let mut out = Map::new();
    for s in specs {
        let key = s.key.as_str();
        let value = match s.kind {
            Kind::Text | Kind::Custom => {
                let v = posted.get(&field_name(key)).trim();
                (!v.is_empty()).then(|| Value::String(v.to_string()))
            }
            Kind::Pass => {
                let v = posted.get(&field_name(key));
                if v.is_empty() {
                    stored_str(current, &[key]).map(|old| Value::String(old.to_string()))
                } else {
                    Some(Value::String(v.to_string()))
                }
            }
            Kind::Users => {
                let mut m = Map::new();
                for u in users {
                    let v = posted.get(&user_field_name(key, u.id)).trim();
                    if !v.is_empty() {
                        m.insert(u.id.to_string(), Value::String(v.to_string()));
                    }
                }
                (!m.is_empty()).then_some(Value::Object(m))
            }
            Kind::UsersLp => {
                let mut m = Map::new();
                for u in users {
                    let base = user_field_name(key, u.id);
                    let login = posted.get(&format!("{base}.login")).trim();
                    let password = posted.get(&format!("{base}.password"));
                    if login.is_empty() && password.is_empty() {
                        continue;
                    }
                    let uid = u.id.to_string();
                    let password = if password.is_empty() {
                        stored_str(current, &[key, &uid, "password"]).unwrap_or_default()
                    } else {
                        password
                    };
                    m.insert(
                        uid,
                        serde_json::json!({"login": login, "password": password}),
                    );
                }
                (!m.is_empty()).then_some(Value::Object(m))
            }
        };
        if let Some(v) = value {
            out.insert(s.key.clone(), v);
        }
    }
    Value::Object(out)
}

/// One user's inputs in a `users` or `users_lp` field.
#[derive(Debug, Serialize)]
struct UserInput {
    email: String,
    /// `users`: the value input; `users_lp`: the login input.
    id: String,
    name: String,
    value: String,
    /// `users_lp`: the password input.
    password_id: String,
    password_name: String,
    label: String,
    password_label: String,
    /// A password is saved for this user.
    stored: bool,
}

/// One field of the settings form as the template draws it.
#[derive(Debug, Serialize)]
struct FieldView {
    key: String,
    id: String,
    name: String,
    label: String,
    kind: &'static str,
    required: bool,
    /// Text and custom values (never a password).
    value: String,
    /// A `pass` field has a saved value (empty keeps it).
    stored: bool,
    hint: Option<String>,
    error: Option<String>,
    /// The ids of the hint and the error, for `aria-describedby`.
    describedby: String,
    users: Vec<UserInput>,
}

/// A registry problem in the page's language (the common ones translated).
fn problem_text(lang: Lang, message: &str) -> String {
    match message {
        "a value is required" => text(lang, "catalog.problem.required").to_string(),
        "a `custom` field takes a JSON string or a number" => {
            text(lang, "catalog.problem.custom").to_string()
        }
        other => {
            let mut s = other.to_string();
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            format!("{s}.")
        }
    }
}

/// The form's fields showing `values` (passwords never), with `current` telling which
/// passwords are saved, and each problem beside its field; problems without a field come
/// back separately.
fn form_view(
    specs: &[Spec],
    label: &dyn Fn(&Spec) -> String,
    users: &[User],
    values: &Value,
    current: &Value,
    problems: &[SettingsProblem],
    lang: Lang,
) -> (Vec<FieldView>, Vec<String>) {
    let mut general = Vec::new();
    for p in problems {
        if p.key.is_empty() || !specs.iter().any(|s| s.key == p.key) {
            let what = if p.key.is_empty() {
                problem_text(lang, &p.message)
            } else {
                format!("{}: {}", p.key, problem_text(lang, &p.message))
            };
            general.push(what);
        }
    }
    let fields = specs
        .iter()
        .map(|s| {
            let key = s.key.as_str();
            let id = field_id(key);
            let errors: Vec<String> = problems
                .iter()
                .filter(|p| p.key == s.key)
                .map(|p| problem_text(lang, &p.message))
                .collect();
            let error = (!errors.is_empty()).then(|| errors.join(" "));
            let stored = s.kind == Kind::Pass && stored_str(current, &[key]).is_some();
            let hint = match s.kind {
                Kind::Pass if stored => Some(text(lang, "catalog.pass_keep")),
                Kind::Users => Some(text(lang, "catalog.users_hint")),
                Kind::UsersLp => Some(text(lang, "catalog.users_lp_hint")),
                Kind::Custom => Some(text(lang, "catalog.custom_hint")),
                _ => None,
            };
            let describedby = [
                hint.map(|_| format!("{id}-hint")),
                error.as_ref().map(|_| format!("{id}-error")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let value = match (s.kind, values.get(key)) {
                (Kind::Text | Kind::Custom, Some(Value::String(v))) => v.clone(),
                (Kind::Text | Kind::Custom, Some(Value::Null) | None) => String::new(),
                (Kind::Text | Kind::Custom, Some(other)) => other.to_string(),
                _ => String::new(),
            };
            let user_inputs = match s.kind {
                Kind::Users | Kind::UsersLp => users
                    .iter()
                    .map(|u| {
                        let uid = u.id.to_string();
                        let name = user_field_name(key, u.id);
                        let (value, name, password_name) = if s.kind == Kind::Users {
                            (
                                stored_str(values, &[key, &uid]).unwrap_or_default(),
                                name,
                                String::new(),
                            )
                        } else {
                            (
                                stored_str(values, &[key, &uid, "login"]).unwrap_or_default(),
                                format!("{name}.login"),
                                format!("{name}.password"),
                            )
                        };
                        UserInput {
                            email: u.email.clone(),
                            id: format!("{id}-{uid}"),
                            name,
                            value: value.to_string(),
                            password_id: format!("{id}-{uid}-password"),
                            password_name,
                            label: text(lang, "catalog.login_for").replace("{email}", &u.email),
                            password_label: text(lang, "catalog.password_for")
                                .replace("{email}", &u.email),
                            stored: stored_str(current, &[key, &uid, "password"]).is_some(),
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            FieldView {
                key: s.key.clone(),
                name: field_name(key),
                label: label(s),
                kind: s.kind.as_str(),
                required: s.required,
                value,
                stored,
                hint: hint.map(str::to_string),
                error,
                describedby,
                users: user_inputs,
                id,
            }
        })
        .collect();
    (fields, general)
}

/// What the install page needs besides the widget.
struct FormParts {
    specs: Vec<Spec>,
    users: Vec<User>,
    /// The active installation's settings (`null` when not installed).
    current: Value,
    pipeline_id: Option<i64>,
}

async fn form_parts(registry: &Registry, user: &SignedIn, w: &Loaded) -> Result<FormParts, Error> {
    let users = registry.account_users(&user.principal).await?;
    let installation = w.entry.installation.as_ref().filter(|n| n.active);
    Ok(FormParts {
        specs: specs(&w.texts.manifest),
        users,
        current: installation.map_or(Value::Null, |n| n.settings.clone()),
        pipeline_id: installation.and_then(|n| n.pipeline_id),
    })
}

/// Renders the settings form.
fn form_page(
    user: &SignedIn,
    status: StatusCode,
    w: &Loaded,
    parts: &FormParts,
    values: &Value,
    problems: &[SettingsProblem],
    retype: bool,
) -> Response {
    let lang = user.viewer.lang;
    let label = |s: &Spec| w.texts.text(&s.name).unwrap_or_else(|| s.key.clone());
    let (fields, general) = form_view(
        &parts.specs,
        &label,
        &parts.users,
        values,
        &parts.current,
        problems,
        lang,
    );
    page_with(
        status,
        &user.viewer,
        "catalog/install.html",
        context! {
            w => &w.tile,
            reconfigure => !parts.current.is_null(),
            fields => fields,
            failed => !problems.is_empty(),
            general => general,
            retype => retype,
        },
    )
}

async fn install_form(
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

async fn install(
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
pub(super) struct CsrfForm {
    #[serde(default)]
    pub(super) csrf: String,
}

async fn uninstall(
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest() -> Value {
        json!({"settings": {
            "login": {"name": "settings.login", "type": "text", "required": true},
            "secret": {"name": "settings.secret", "type": "pass", "required": true},
            "ext": {"name": "settings.ext", "type": "users"},
            "creds": {"name": "settings.creds", "type": "users_lp", "required": false},
            "blob": {"name": "Literal name", "type": "custom"},
            "odd": {"name": "settings.odd", "type": "color"}
        }})
    }

    fn user(id: i64, email: &str) -> User {
        User {
            id,
            email: email.to_string(),
            is_moderator: false,
            is_operator: false,
            created_at: 0,
        }
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn specs_follow_the_manifest() {
        let s = specs(&manifest());
        let kinds: Vec<(&str, Kind, bool)> = s
            .iter()
            .map(|s| (s.key.as_str(), s.kind, s.required))
            .collect();
        assert_eq!(
            kinds,
            [
                ("login", Kind::Text, true),
                ("secret", Kind::Pass, true),
                ("ext", Kind::Users, false),
                ("creds", Kind::UsersLp, false),
                ("blob", Kind::Custom, false),
                ("odd", Kind::Text, false),
            ]
        );
        assert!(specs(&json!({})).is_empty());
    }

    #[test]
    fn settings_form_is_built_from_the_manifest() {
        let texts = Texts {
            manifest: manifest(),
            files: Vec::new(),
            i18n: vec![json!({"settings": {"login": "Логин", "secret": "Секрет"}})],
        };
        let users = [user(7, "a@x.io"), user(9, "b@x.io")];
        let current = json!({"login": "me", "secret": "s3", "ext": {"9": "104"},
            "creds": {"7": {"login": "l7", "password": "p7"}}, "blob": 5});
        let label = |s: &Spec| texts.text(&s.name).unwrap_or_else(|| s.key.clone());
        let problems = [
            SettingsProblem {
                key: "login".into(),
                message: "a value is required".into(),
            },
            SettingsProblem {
                key: String::new(),
                message: "settings must be a JSON object".into(),
            },
        ];
        let (fields, general) = form_view(
            &specs(&texts.manifest),
            &label,
            &users,
            &current,
            &current,
            &problems,
            Lang::Ru,
        );
        assert_eq!(general, ["Settings must be a JSON object."]);
        let f = |k: &str| fields.iter().find(|f| f.key == k).unwrap();
        let login = f("login");
        assert_eq!(
            (login.label.as_str(), login.kind, login.required),
            ("Логин", "text", true)
        );
        assert_eq!(login.value, "me");
        assert_eq!(login.id, "setting-login");
        assert_eq!(login.name, "s.login");
        assert_eq!(login.error.as_deref(), Some("Укажите значение."));
        assert_eq!(login.describedby, "setting-login-error");
        // A saved password is never shown, only said to be there.
        let secret = f("secret");
        assert_eq!((secret.value.as_str(), secret.stored), ("", true));
        assert_eq!(secret.describedby, "setting-secret-hint");
        // One input per user.
        let ext = f("ext");
        let ext_users: Vec<(&str, &str, &str)> = ext
            .users
            .iter()
            .map(|u| (u.name.as_str(), u.id.as_str(), u.value.as_str()))
            .collect();
        assert_eq!(
            ext_users,
            [
                ("s.ext.7", "setting-ext-7", ""),
                ("s.ext.9", "setting-ext-9", "104")
            ]
        );
        let creds = f("creds");
        assert_eq!(creds.users[0].name, "s.creds.7.login");
        assert_eq!(creds.users[0].password_name, "s.creds.7.password");
        assert_eq!(
            (creds.users[0].value.as_str(), creds.users[0].stored),
            ("l7", true)
        );
        assert!(!creds.users[1].stored);
        // Custom: explained, value shown as text; a literal name stays.
        let blob = f("blob");
        assert_eq!(
            (blob.label.as_str(), blob.value.as_str()),
            ("Literal name", "5")
        );
        assert!(blob.hint.is_some());
        // An untranslated key falls back to the field key.
        assert_eq!(f("odd").label, "odd");
    }

    #[test]
    fn empty_passwords_keep_the_saved_value() {
        let s = specs(&manifest());
        let users = [user(7, "a@x.io"), user(9, "b@x.io")];
        let current = json!({"login": "me", "secret": "old",
            "creds": {"7": {"login": "l7", "password": "p7"}, "9": {"login": "l9", "password": "p9"}}});
        let posted = pairs(&[
            ("csrf", "x"),
            ("s.login", "  new  "),
            ("s.secret", ""),
            ("s.ext.7", "101"),
            ("s.ext.9", " "),
            ("s.creds.7.login", "l7"),
            ("s.creds.7.password", ""),
            ("s.creds.9.login", ""),
            ("s.creds.9.password", ""),
            ("s.blob", "{\"a\": 1}"),
        ]);
        let out = settings_from_form(&s, &users, &Posted(&posted), &current);
        assert_eq!(
            out,
            json!({"login": "new", "secret": "old", "ext": {"7": "101"},
                   "creds": {"7": {"login": "l7", "password": "p7"}}, "blob": "{\"a\": 1}"})
        );
        // A typed password replaces the saved one; nothing saved and nothing typed: left out.
        let posted = pairs(&[("s.secret", "fresh "), ("s.creds.9.password", "n9")]);
        let out = settings_from_form(&s, &users, &Posted(&posted), &current);
        assert_eq!(
            out,
            json!({"secret": "fresh ", "creds": {"9": {"login": "", "password": "n9"}}})
        );
        let out = settings_from_form(&s, &users, &Posted(&posted[..0]), &Value::Null);
        assert_eq!(out, json!({}));
    }

    #[test]
    fn search_matches_names_and_code_ignoring_case() {
        let h = haystack(["Call Tracker", "Трекер звонков"], "call_tracker_x1y2z3");
        assert!(matches("", &h));
        assert!(matches("  ", &h));
        assert!(matches("call", &h));
        assert!(matches("TRACKER", &h));
        assert!(matches("трекер", &h));
        assert!(matches("ТРЕКЕР", &h));
        assert!(matches("x1y2", &h));
        assert!(!matches("hello", &h));
    }

    #[test]
    fn texts_resolve_keys_and_literals() {
        let t = Texts {
            manifest: json!({"widget": {"short_description": "widget.short", "description": "widget.nope"}}),
            files: vec!["images/logo.png".into()],
            i18n: vec![
                json!({"widget": {"short": ""}}),
                json!({"widget": {"short": "Short"}}),
            ],
        };
        // The first non-empty translation, a missing key gives nothing, literal text stays.
        assert_eq!(
            t.manifest_text("/widget/short_description").as_deref(),
            Some("Short")
        );
        assert_eq!(t.manifest_text("/widget/description"), None);
        assert_eq!(t.text("Plain words.").as_deref(), Some("Plain words."));
        assert!(t.has("images/logo.png"));
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 9), "short");
    }
}
