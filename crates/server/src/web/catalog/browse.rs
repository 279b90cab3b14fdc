//! The catalogue (search and pages) and a widget page.

use super::*;

pub(super) async fn index(
    State(state): State<AppState>,
    user: SignedIn,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let registry = &state.inner.registry;
    let origin = state.files_origin();
    let p = &user.principal;
    let lang = user.viewer.lang;
    let entries = registry.catalog(p.account.id).await?;
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
    Ok(page(
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
    ))
}

/// Widgets on one catalogue page.
pub(super) const PAGE_SIZE: usize = 48;

/// What a catalogue search looks in, lowercased: the integration's names in every language
/// and the widget code.
pub(super) fn entry_haystack(entry: &CatalogEntry) -> String {
    haystack(
        entry.integration.name.values().map(String::as_str),
        &entry.live_version.code,
    )
}

pub(super) fn haystack<'a>(names: impl IntoIterator<Item = &'a str>, code: &str) -> String {
    let mut parts: Vec<&str> = names.into_iter().collect();
    parts.push(code);
    parts.join("\n").to_lowercase()
}

/// A widget of the catalogue with its version's texts.
pub(super) struct Loaded {
    pub(super) entry: CatalogEntry,
    pub(super) texts: Texts,
    pub(super) tile: Tile,
}

pub(super) async fn load(state: &AppState, user: &SignedIn, code: &str) -> Result<Loaded, Error> {
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

pub(super) async fn widget(
    State(state): State<AppState>,
    user: SignedIn,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> PageResult {
    let lang = user.viewer.lang;
    let w = load(&state, &user, &code).await?;
    let description = w
        .texts
        .manifest_text("/widget/description")
        .or_else(|| localized(&w.entry.integration.description, lang))
        .map(|d| paragraphs(&d))
        .unwrap_or_default();
    let installation = w.entry.installation.as_ref().filter(|n| n.active);
    Ok(page(
        &user.viewer,
        "catalog/widget.html",
        context! {
            w => &w.tile,
            description => description,
            tour => tour(&w.texts, &w.tile, lang),
            tour_description => w.texts.manifest_text("/tour/tour_description"),
            updated_at => installation.map(|n| n.updated_at),
            admins_only => i18n::fill(lang, "catalog-admins_only", &[("account", &user.principal.account.name)]),
            notice => notice(lang, &q),
        },
    ))
}
