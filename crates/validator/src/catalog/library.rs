//! Rules about the known third-party libraries a package bundles.

use super::Rule;

rule!(LIBRARY_VULNERABLE, "library.vulnerable", Info / Warning,
    en: "`{file}` is {library} {version}, which has published vulnerabilities: {advisories}",
    ru: "`{file}` — это {library} {version}, у этой версии есть опубликованные уязвимости: {advisories}",
    hint_en: "update {library} to its current release (the advisories name the fixed versions) and test the widget again",
    hint_ru: "обновите {library} до актуального выпуска (в бюллетенях указаны исправленные версии) и проверьте виджет заново",
    why: "A bundled library runs with the CRM user's session. Moderators see which libraries a widget bundles; a version with a published vulnerability (for example jQuery before 3.5.0, whose HTML parsing lets crafted text run script) puts every account that installs the widget at risk.",
    example: "vendor/jquery.min.js, byte for byte jQuery 3.4.1");

/// The library rules, in catalogue order.
pub(super) const RULES: &[&Rule] = &[&LIBRARY_VULNERABLE];
