//! What the catalogue pages show of a widget: its texts in the page language, tiles, tour images, notices, refusals.

use super::*;

/// A widget version as the pages show it: manifest, file paths and i18n documents.
#[derive(Debug, Default)]
pub(super) struct Texts {
    pub(super) manifest: Value,
    pub(super) files: Vec<String>,
    /// `i18n/<locale>.json` documents in lookup order: the page language, English, then the
    /// manifest's locales.
    pub(super) i18n: Vec<Value>,
}

impl Texts {
    pub(super) async fn load(
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
    pub(super) fn lookup(&self, key: &str) -> Option<String> {
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
    pub(super) fn text(&self, raw: &str) -> Option<String> {
        self.lookup(raw)
            .or_else(|| (!raw.trim().is_empty() && !key_like(raw)).then(|| raw.to_string()))
    }

    /// The text at a manifest pointer (`/widget/short_description`).
    pub(super) fn manifest_text(&self, pointer: &str) -> Option<String> {
        self.manifest
            .pointer(pointer)
            .and_then(Value::as_str)
            .and_then(|raw| self.text(raw))
    }

    pub(super) fn has(&self, path: &str) -> bool {
        self.files.iter().any(|f| f == path)
    }
}

/// At most `max` characters, cut at a word with `…`.
pub(super) fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

pub(super) fn paragraphs(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// One widget as the catalogue and its page show it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct Tile {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) short: String,
    pub(super) logo: Option<String>,
    public: bool,
    pub(super) own: bool,
    pub(super) installed: bool,
    pub(super) version: String,
    /// Where the viewer's account fetches the live version's files (files origin).
    pub(super) files_base: Option<String>,
}

pub(super) fn tile(
    entry: &CatalogEntry,
    texts: &Texts,
    origin: &crate::files::FilesOrigin,
    account_id: widgetry_registry::AccountId,
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
pub(super) fn matches(query: &str, haystack: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty() || haystack.contains(&q)
}

/// A tour image of the widget page.
#[derive(Debug, Serialize)]
pub(super) struct TourImage {
    pub(super) src: String,
    pub(super) alt: String,
}

pub(super) fn tour(texts: &Texts, tile: &Tile, lang: Lang) -> Vec<TourImage> {
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
            alt: i18n::fill(
                lang,
                "catalog-tour_image",
                &[("name", &tile.name), ("n", &(i + 1).to_string())],
            )
            .into_owned(),
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct PageQuery {
    pub(super) q: Option<String>,
    pub(super) notice: Option<String>,
    pub(super) page: Option<usize>,
}

/// The notice named by `?notice=`, among this module's.
pub(super) fn notice(lang: Lang, q: &PageQuery) -> Option<&'static str> {
    match q.notice.as_deref()? {
        "installed" => Some(text(lang, "catalog-notice-installed")),
        "updated" => Some(text(lang, "catalog-notice-updated")),
        "uninstalled" => Some(text(lang, "catalog-notice-uninstalled")),
        _ => None,
    }
}

/// A message page with a status.
pub(super) fn message(
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
pub(super) fn admins_only(user: &SignedIn, back: &str) -> Response {
    let lang = user.viewer.lang;
    message(
        &user.viewer,
        StatusCode::FORBIDDEN,
        text(lang, "catalog-forbidden"),
        i18n::fill(
            lang,
            "catalog-admins_only",
            &[("account", &user.principal.account.name)],
        )
        .into_owned(),
        back,
    )
}
