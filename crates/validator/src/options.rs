//! What the caller hands the validator besides the bytes: the profile, the limits, the
//! allowed locales, the message language and, on the server, the integration context.

use serde::{Deserialize, Serialize};

/// Which set of rules decides severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// What a private upload must satisfy; publication rules are warnings.
    #[default]
    Upload,
    /// Everything a package needs before it may be submitted to moderation.
    Publication,
}

impl Profile {
    /// The lowercase name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Upload => "upload",
            Profile::Publication => "publication",
        }
    }
}

/// The language of messages and hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// Picks a language from an `Accept-Language` header or a `LANG`-style value
    /// (`ru_RU.UTF-8`, `ru-RU,ru;q=0.9,en;q=0.8`); English when nothing matches.
    pub fn from_tag_list(value: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in value.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("ru") {
                Lang::Ru
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

/// Archive and file limits. Every limit is enforced while reading, never trusted from headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest accepted archive, in bytes (20 MiB).
    pub max_archive_bytes: u64,
    /// Most entries in the archive (2,000).
    pub max_entries: usize,
    /// Largest total of uncompressed bytes (100 MiB).
    pub max_total_uncompressed: u64,
    /// Largest uncompressed entry (20 MiB).
    pub max_entry_uncompressed: u64,
    /// Highest compression ratio for entries over `ratio_threshold` bytes (100).
    pub max_ratio: u64,
    /// Entries smaller than this are not held to the ratio (1 MiB).
    pub ratio_threshold: u64,
    /// Largest `manifest.json` (1 MiB).
    pub max_manifest_bytes: u64,
    /// Deepest JSON nesting in manifest and i18n files (64).
    pub max_json_depth: usize,
    /// Largest image, in bytes; larger is a publication error (300 KB).
    pub max_image_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        const MIB: u64 = 1024 * 1024;
        Limits {
            max_archive_bytes: 20 * MIB,
            max_entries: 2_000,
            max_total_uncompressed: 100 * MIB,
            max_entry_uncompressed: 20 * MIB,
            max_ratio: 100,
            ratio_threshold: MIB,
            max_manifest_bytes: MIB,
            max_json_depth: 64,
            max_image_bytes: 300 * 1024,
        }
    }
}

/// The locales a widget may declare by default.
pub const DEFAULT_LOCALES: &[&str] = &["ru", "en", "es", "pt", "tr", "id"];

/// Whether the target integration is of the new (amoMarket) scheme or a legacy one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Created in Widgetry: the code is generated, the manifest needs neither code nor key.
    Market,
    /// Imported from the old developer section: every upload carries code and secret key.
    Legacy,
}

/// The integration an upload goes into, supplied by the server.
pub struct IntegrationContext<'a> {
    /// The integration's scheme.
    pub scheme: Scheme,
    /// The integration's widget code, once it has one.
    pub code: Option<&'a str>,
    /// Tells whether a secret key from the manifest matches the integration's stored hash.
    pub secret_matches: &'a dyn Fn(&str) -> bool,
}

impl std::fmt::Debug for IntegrationContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntegrationContext")
            .field("scheme", &self.scheme)
            .field("code", &self.code)
            .finish_non_exhaustive()
    }
}

/// Everything besides the bytes.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// Which rules decide severities.
    pub profile: Profile,
    /// Archive and file limits.
    pub limits: Limits,
    /// The locales a widget may declare.
    pub allowed_locales: Vec<String>,
    /// The language of messages and hints.
    pub lang: Lang,
    /// The integration an upload goes into (server only).
    pub integration: Option<&'a IntegrationContext<'a>>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            profile: Profile::Upload,
            limits: Limits::default(),
            allowed_locales: DEFAULT_LOCALES.iter().map(|s| s.to_string()).collect(),
            lang: Lang::En,
            integration: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_highest_quality_known_language() {
        assert_eq!(Lang::from_tag_list("ru-RU,ru;q=0.9,en;q=0.8"), Lang::Ru);
        assert_eq!(Lang::from_tag_list("de-DE,en;q=0.5,ru;q=0.4"), Lang::En);
        assert_eq!(Lang::from_tag_list("en;q=0.3, ru;q=0.7"), Lang::Ru);
        assert_eq!(Lang::from_tag_list("ru_RU.UTF-8"), Lang::Ru);
        assert_eq!(Lang::from_tag_list("fr"), Lang::En);
        assert_eq!(Lang::from_tag_list(""), Lang::En);
    }
}
