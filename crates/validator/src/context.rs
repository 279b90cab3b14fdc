//! The state one validation pass shares between checks: the package, the options, the parsed
//! manifest and i18n files, and the findings raised so far.

use crate::diag::Findings;
use crate::json::JsonDoc;
use crate::options::Options;
use crate::package::Package;
use std::collections::{BTreeMap, BTreeSet};

/// What every check reads and writes.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The files.
    pub package: &'a Package,
    /// Profile, limits, locales, integration.
    pub options: &'a Options<'a>,
    /// `manifest.json`, once parsed.
    pub manifest: Option<JsonDoc>,
    /// `i18n/<locale>.json` by locale, once parsed.
    pub i18n: BTreeMap<String, JsonDoc>,
    /// Every manifest text shown to users: (JSON pointer in the manifest, value). Values
    /// of the form `a.b` are i18n keys.
    pub i18n_refs: Vec<(String, String)>,
    /// The publication languages of a submission (allowed, each once; empty outside
    /// submissions). The i18n check reads their files too, declared or not, so the
    /// structure, empty-text and key rules cover every language that will be published.
    pub languages: Vec<String>,
    /// Files recognised as known third-party libraries (exempt from the rules about the
    /// author's own code).
    pub libraries: BTreeSet<String>,
    /// Findings so far.
    pub out: Findings,
    /// The text files' contents, decoded once (UTF-8 only, BOM removed).
    texts: BTreeMap<&'a str, &'a str>,
}

impl<'a> Ctx<'a> {
    /// Starts a pass.
    pub fn new(package: &'a Package, options: &'a Options<'a>, out: Findings) -> Self {
        Ctx {
            package,
            options,
            manifest: None,
            i18n: BTreeMap::new(),
            i18n_refs: Vec::new(),
            languages: Vec::new(),
            libraries: BTreeSet::new(),
            out,
            texts: package
                .files()
                .filter(|(path, _)| is_text_file(path))
                .filter_map(|(path, bytes)| Some((path, decode(bytes)?)))
                .collect(),
        }
    }

    /// A text file's content: UTF-8, without a BOM. `None` when absent or not UTF-8 (the
    /// encoding check reports that once).
    pub fn text(&self, path: &str) -> Option<&'a str> {
        match self.texts.get(path) {
            Some(text) => Some(text),
            None if is_text_file(path) => None,
            None => decode(self.package.get(path)?),
        }
    }

    /// Every text file (by extension) that decodes, with its content, in path order.
    pub fn texts(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.texts.iter().map(|(path, text)| (*path, *text))
    }

    /// The locales the manifest declares (valid strings only, in order).
    pub fn locales(&self) -> Vec<String> {
        self.manifest_strings("/widget/locale")
    }

    /// The locations the manifest declares (valid strings only, in order).
    pub fn locations(&self) -> Vec<String> {
        self.manifest_strings("/locations")
    }

    fn manifest_strings(&self, pointer: &str) -> Vec<String> {
        self.manifest
            .as_ref()
            .and_then(|m| m.get(pointer))
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the manifest declares a location, with or without a `-0`/`-1` suffix.
    pub fn has_location(&self, area: &str) -> bool {
        self.locations()
            .iter()
            .any(|l| l == area || l.strip_suffix("-0").or(l.strip_suffix("-1")) == Some(area))
    }
}

/// Bytes as text: UTF-8, a BOM removed.
fn decode(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).ok()
}

/// Whether a path is a text file by its extension.
pub fn is_text_file(path: &str) -> bool {
    matches!(
        crate::paths::extension(path).as_deref(),
        Some(
            "js" | "mjs"
                | "css"
                | "json"
                | "twig"
                | "html"
                | "htm"
                | "md"
                | "txt"
                | "svg"
                | "xml"
                | "tpl"
        )
    )
}
