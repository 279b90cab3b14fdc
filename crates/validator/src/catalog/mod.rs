//! The rule catalogue: every finding the validator can raise, with its stable code, its
//! severity under each profile, its English and Russian message and hint, why it exists and
//! a minimal example. `widgetry rules` and `docs/rules.md` are generated from this table.
//!
//! Messages and hints are templates: `{name}` is replaced by the argument of that name that
//! the check supplies when it raises the finding.

/// Declares one rule as a `pub const`; the English message doubles as its doc comment.
macro_rules! rule {
    ($name:ident, $code:literal, $up:ident / $publ:ident,
     en: $en:literal, ru: $ru:literal,
     hint_en: $hen:literal, hint_ru: $hru:literal,
     why: $why:literal, example: $ex:literal $(,)?) => {
        #[doc = $en]
        pub const $name: $crate::catalog::Rule = $crate::catalog::Rule {
            code: $code,
            upload: $crate::diag::Severity::$up,
            publication: $crate::diag::Severity::$publ,
            message: $crate::catalog::Text { en: $en, ru: $ru },
            hint: $crate::catalog::Text { en: $hen, ru: $hru },
            why: $why,
            example: $ex,
        };
    };
}

mod archive;
mod css;
mod i18n;
mod images;
mod json;
mod library;
mod listing;
mod manifest;
mod package;
mod preview;
mod script;
mod submission;
mod text;

pub use archive::*;
pub use css::*;
pub use i18n::*;
pub use images::*;
pub use json::*;
pub use library::*;
pub use listing::*;
pub use manifest::*;
pub use package::*;
pub use preview::*;
pub use script::*;
pub use submission::*;
pub use text::*;

use crate::diag::Severity;
use crate::options::{Lang, Profile};
use sha2::{Digest, Sha256};

/// A text in both languages the validator speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Russian.
    pub ru: &'static str,
}

impl Text {
    /// The text in one language.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ru => self.ru,
        }
    }
}

/// One rule of the catalogue.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, `area.name`; never reused for another meaning.
    pub code: &'static str,
    /// Severity under the upload profile.
    pub upload: Severity,
    /// Severity under the publication profile.
    pub publication: Severity,
    /// One-line message template, lowercase, no final period.
    pub message: Text,
    /// How to fix it.
    pub hint: Text,
    /// What the rule checks and why it matters (English, for the catalogue).
    pub why: &'static str,
    /// A minimal example that triggers the rule.
    pub example: &'static str,
}

impl Rule {
    /// The severity under a profile.
    pub fn severity(&self, profile: Profile) -> Severity {
        match profile {
            Profile::Upload => self.upload,
            Profile::Publication => self.publication,
        }
    }

    /// The area, the part of the code before the first dot.
    pub fn area(&self) -> &'static str {
        self.code.split('.').next().unwrap_or(self.code)
    }
}

/// Every rule, grouped by area, in catalogue order.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [
        archive::RULES,
        json::RULES,
        manifest::RULES,
        i18n::RULES,
        images::RULES,
        script::RULES,
        library::RULES,
        css::RULES,
        text::RULES,
        listing::RULES,
        package::RULES,
        submission::RULES,
        preview::RULES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// Looks a rule up by its code.
pub fn find(code: &str) -> Option<&'static Rule> {
    all().find(|r| r.code == code)
}

/// A SHA-256 over every rule's code, severities, message and hint templates and the default
/// limits: two validators with the same hash judge packages the same way. Kept in the source
/// (`rules_hash.rs`), as computing it is a tenth of a cold `widgetry lint`; a test checks it
/// against [`compute_rules_hash`] (`WIDGETRY_BLESS=1` rewrites it).
pub fn rules_hash() -> &'static str {
    rules_hash::RULES_HASH
}

mod rules_hash;

/// Computes [`rules_hash`] from the rules.
pub fn compute_rules_hash() -> String {
    let mut h = Sha256::new();
    for r in all() {
        for part in [
            r.code,
            r.upload.as_str(),
            r.publication.as_str(),
            r.message.en,
            r.message.ru,
            r.hint.en,
            r.hint.ru,
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
    }
    let limits = format!("{:?}", crate::options::Limits::default());
    h.update(limits.as_bytes());
    hex::encode(h.finalize())
}

/// Replaces each `{name}` in a template by the argument of that name. A placeholder without
/// an argument stays as it is, so a missing argument shows instead of vanishing.
pub fn fill(template: &str, args: &[(&'static str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a "similar name" hint names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Similar {
    /// A JSON or i18n key.
    Key,
    /// A file of the package.
    File,
    /// A location.
    Location,
}

/// The tail of a hint that points at a near miss (`; there is a key with a similar name:
/// `x``), in the report's language; empty when there is no near miss.
pub fn similar(lang: Lang, what: Similar, name: Option<&str>) -> String {
    let Some(name) = name else {
        return String::new();
    };
    match (lang, what) {
        (Lang::En, Similar::Key) => format!("; there is a key with a similar name: `{name}`"),
        (Lang::En, Similar::File) => format!("; there is a file with a similar name: `{name}`"),
        (Lang::En, Similar::Location) => {
            format!("; there is a location with a similar name: `{name}`")
        }
        (Lang::Ru, Similar::Key) => format!("; есть ключ с похожим именем: `{name}`"),
        (Lang::Ru, Similar::File) => format!("; есть файл с похожим именем: `{name}`"),
        (Lang::Ru, Similar::Location) => format!("; есть область с похожим именем: `{name}`"),
    }
}

/// The placeholder names a template uses.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        names.push(&after[..end]);
        rest = &after[end + 1..];
    }
    names
}

/// The catalogue as Markdown: the source of `docs/rules.md`.
pub fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# Widgetry validation rules\n\n");
    out.push_str(
        "Generated from the validator's rule table by `widgetry rules --format markdown`; \
         do not edit by hand (a test fails when this file is stale).\n\n",
    );
    out.push_str(&format!(
        "Validator {}, rule set `{}`.\n\n",
        crate::VERSION,
        rules_hash()
    ));
    out.push_str("Severity is given per profile: `upload` (a private upload) and `publication` (a submission to moderation).\n\n");
    let mut area = "";
    for r in all() {
        if r.area() != area {
            area = r.area();
            out.push_str(&format!("## {area}\n\n"));
            out.push_str("| code | upload | publication | message |\n| --- | --- | --- | --- |\n");
            for s in all().filter(|s| s.area() == area) {
                out.push_str(&format!(
                    "| [`{}`](#{}) | {} | {} | {} |\n",
                    s.code,
                    s.code.replace('.', ""),
                    s.upload.as_str(),
                    s.publication.as_str(),
                    s.message.en.replace('|', "\\|")
                ));
            }
            out.push('\n');
        }
        out.push_str(&format!("### {}\n\n", r.code));
        out.push_str(&format!(
            "- upload: **{}**, publication: **{}**\n",
            r.upload.as_str(),
            r.publication.as_str()
        ));
        out.push_str(&format!("- message: {}\n", r.message.en));
        out.push_str(&format!("- сообщение: {}\n", r.message.ru));
        out.push_str(&format!("- hint: {}\n", r.hint.en));
        out.push_str(&format!("- подсказка: {}\n\n", r.hint.ru));
        out.push_str(r.why);
        out.push_str("\n\nExample:\n\n```text\n");
        out.push_str(r.example);
        out.push_str("\n```\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in all() {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            let (area, name) = r.code.split_once('.').expect("code has an area");
            assert!(!area.is_empty() && !name.is_empty(), "{}", r.code);
            assert!(
                r.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.' || c.is_ascii_digit()),
                "{}",
                r.code
            );
        }
        assert!(
            seen.len() > 50,
            "catalogue looks incomplete: {}",
            seen.len()
        );
    }

    #[test]
    fn every_rule_has_both_languages_and_matching_placeholders() {
        for r in all() {
            for t in [r.message, r.hint] {
                assert!(!t.en.trim().is_empty(), "{} has no English text", r.code);
                assert!(!t.ru.trim().is_empty(), "{} has no Russian text", r.code);
                let mut en = placeholders(t.en);
                let mut ru = placeholders(t.ru);
                en.sort();
                ru.sort();
                assert_eq!(en, ru, "{}: placeholders differ between languages", r.code);
            }
            assert!(!r.why.trim().is_empty(), "{} has no explanation", r.code);
            assert!(!r.example.trim().is_empty(), "{} has no example", r.code);
            assert!(
                !r.message.en.ends_with('.'),
                "{}: messages do not end with a period",
                r.code
            );
            assert!(
                r.publication >= r.upload,
                "{}: publication is never laxer than upload",
                r.code
            );
        }
    }

    #[test]
    fn fill_replaces_known_and_keeps_unknown_placeholders() {
        let args = [("a", "1".to_string())];
        assert_eq!(fill("x {a} y {b} z {", &args), "x 1 y {b} z {");
        assert_eq!(placeholders("{a} and {b}"), vec!["a", "b"]);
    }

    #[test]
    fn rules_hash_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/catalog/rules_hash.rs");
        let computed = compute_rules_hash();
        if std::env::var_os("WIDGETRY_BLESS").is_some() {
            let source = format!(
                "//! The rule set's hash, generated by the test `rules_hash_is_current`\n//! (`WIDGETRY_BLESS=1 cargo test -p widgetry-validator rules_hash_is_current`).\n\n/// See [`super::rules_hash`].\npub(super) const RULES_HASH: &str = \"{computed}\";\n"
            );
            std::fs::write(path, source).expect("write rules_hash.rs");
            return;
        }
        assert_eq!(
            rules_hash(),
            computed,
            "src/catalog/rules_hash.rs is stale: run `WIDGETRY_BLESS=1 cargo test -p widgetry-validator rules_hash_is_current`, then the same for docs_rules_md_is_current"
        );
    }

    #[test]
    fn docs_rules_md_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
        let generated = markdown();
        if std::env::var_os("WIDGETRY_BLESS").is_some() {
            std::fs::write(path, &generated).expect("write docs/rules.md");
            return;
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/rules.md is stale: run `WIDGETRY_BLESS=1 cargo test -p widgetry-validator docs_rules_md_is_current`"
        );
    }
}
