//! # widgetry-scaffold
//!
//! Generates a complete amoCRM / Kommo widget in memory: manifest, i18n files, an AMD
//! `script.js`, a scoped `style.css`, every logo at its exact size, tour images, a README
//! and a `.widgetignore` example. Pure: no I/O, deterministic output for the same options.
//!
//! ```
//! use widgetry_scaffold::{scaffold, ScaffoldOptions};
//! let files = scaffold(&ScaffoldOptions::default());
//! assert!(files.iter().any(|(path, _)| path == "manifest.json"));
//! ```
//!
//! The result passes the validator's upload profile with no error. Under the publication
//! profile, the only things left to the author are the support contacts: when none are
//! given, placeholders (`https://example.com/support`, `support@example.com`,
//! `+0 000 000-00-00`) marked `TODO` are used, and the publication rules flag them.

#![deny(missing_docs)]

mod docs;
mod images;
mod manifest;
mod script;
mod texts;

/// Support contacts of the widget's author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Support {
    /// A working support page (`https://…`).
    pub link: String,
    /// A support e-mail address.
    pub email: String,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldOptions {
    /// The widget's display name (the same in every language).
    pub name: String,
    /// Locales, each gets an `i18n/<locale>.json` and tour images.
    pub locales: Vec<String>,
    /// Manifest `locations`; each one gets its companion object, i18n keys and callback.
    pub locations: Vec<String>,
    /// Support contacts; `None` uses clearly marked placeholders.
    pub support: Option<Support>,
    /// Support phone shown in the description; `None` uses a placeholder marked `TODO`.
    pub phone: Option<String>,
}

impl Default for ScaffoldOptions {
    fn default() -> Self {
        ScaffoldOptions {
            name: "My widget".to_string(),
            locales: vec!["ru".to_string(), "en".to_string()],
            locations: vec![
                "lcard-1".to_string(),
                "ccard-1".to_string(),
                "settings".to_string(),
            ],
            support: None,
            phone: None,
        }
    }
}

/// Placeholder support page used when no contacts are given.
pub const PLACEHOLDER_LINK: &str = "https://example.com/support";
/// Placeholder support e-mail used when no contacts are given.
pub const PLACEHOLDER_EMAIL: &str = "support@example.com";
/// Placeholder support phone used when none is given.
pub const PLACEHOLDER_PHONE: &str = "+0 000 000-00-00";

pub use widgetry_validator::locations::{PLAIN_AREAS, SUFFIXED_AREAS};
/// The locales a widget may declare by default.
pub use widgetry_validator::options::DEFAULT_LOCALES as LOCALES;

/// Checks one location value (`lcard-1`, `settings`, …). The error is a lowercase phrase.
pub fn check_location(location: &str) -> Result<(), String> {
    let (base, suffix) = split_location(location);
    if SUFFIXED_AREAS.contains(&base) {
        return match suffix {
            None | Some("0") | Some("1") => Ok(()),
            Some(other) => Err(format!(
                "location `{location}` has the suffix `-{other}`; card and list areas take `-0` or `-1`"
            )),
        };
    }
    if PLAIN_AREAS.contains(&location) {
        return Ok(());
    }
    if PLAIN_AREAS.contains(&base) {
        return Err(format!("location `{base}` takes no suffix"));
    }
    Err(format!("unknown location `{location}`"))
}

/// Splits `lcard-1` into `("lcard", Some("1"))`.
fn split_location(location: &str) -> (&str, Option<&str>) {
    match location.rsplit_once('-') {
        Some((base, suffix)) => (base, Some(suffix)),
        None => (location, None),
    }
}

/// What the generators need, derived once from the options.
pub(crate) struct Plan<'a> {
    pub opts: &'a ScaffoldOptions,
    /// Locations without their suffix, deduplicated, in the given order.
    pub areas: Vec<&'a str>,
    /// A code-like slug of the name (`my_widget`).
    pub slug: String,
    /// The CSS root class (`my-widget-root`).
    pub root_class: String,
    pub link: String,
    pub email: String,
    pub phone: String,
    /// Scheme and host of the support link, for the service URLs a location needs.
    pub origin: String,
    /// Whether any contact is a placeholder.
    pub placeholders: bool,
    /// Hue (0..360) derived from the name.
    pub hue: f32,
}

impl<'a> Plan<'a> {
    fn new(opts: &'a ScaffoldOptions) -> Self {
        let mut areas: Vec<&str> = Vec::new();
        for l in &opts.locations {
            let base = split_location(l).0;
            let area = if SUFFIXED_AREAS.contains(&base) {
                base
            } else {
                l.as_str()
            };
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
        let slug = slug(&opts.name);
        let root_class = format!("{}-root", slug.replace('_', "-"));
        let (link, email) = match &opts.support {
            Some(s) => (s.link.clone(), s.email.clone()),
            None => (PLACEHOLDER_LINK.to_string(), PLACEHOLDER_EMAIL.to_string()),
        };
        let phone = opts
            .phone
            .clone()
            .unwrap_or_else(|| PLACEHOLDER_PHONE.to_string());
        let origin = origin(&link);
        Plan {
            opts,
            areas,
            slug,
            root_class,
            link,
            email,
            phone,
            origin,
            placeholders: opts.support.is_none() || opts.phone.is_none(),
            hue: (fnv1a(opts.name.as_bytes()) % 360) as f32,
        }
    }

    /// Whether an area (without suffix) is among the locations.
    pub fn has(&self, area: &str) -> bool {
        self.areas.contains(&area)
    }
}

/// Generates the widget: every file by its `/`-separated path, sorted by path.
pub fn scaffold(opts: &ScaffoldOptions) -> Vec<(String, Vec<u8>)> {
    let plan = Plan::new(opts);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    files.push((
        "manifest.json".into(),
        manifest::manifest(&plan).into_bytes(),
    ));
    for locale in &opts.locales {
        files.push((
            format!("i18n/{locale}.json"),
            texts::i18n_file(&plan, locale).into_bytes(),
        ));
    }
    files.push(("script.js".into(), script::script(&plan).into_bytes()));
    if plan.has("amoforms") {
        files.push(("amoforms.js".into(), script::amoforms(&plan).into_bytes()));
    }
    files.push(("style.css".into(), docs::style(&plan).into_bytes()));
    files.push(("README.md".into(), docs::readme(&plan).into_bytes()));
    files.push((".widgetignore".into(), docs::widgetignore().into_bytes()));
    files.extend(images::images(&plan));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

/// A code-like slug: lowercase ASCII letters, digits and `_`, starting with a letter.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    let out: String = out.chars().take(40).collect();
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_lowercase() => out,
        Some(_) => format!("w_{out}"),
        None => "my_widget".to_string(),
    }
}

/// `https://acme.io/help` → `https://acme.io`.
fn origin(link: &str) -> String {
    let (scheme, rest) = match link.split_once("://") {
        Some((s, r)) if !r.is_empty() => (s, r),
        _ => return "https://example.com".to_string(),
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    let scheme_ok = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
    if !host_ok || !scheme_ok {
        return "https://example.com".to_string();
    }
    format!("https://{}", host.to_ascii_lowercase())
}

/// 32-bit FNV-1a: a stable hash for colours.
pub(crate) fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Pretty JSON, two-space indent, LF, trailing newline.
pub(crate) fn pretty(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests;
