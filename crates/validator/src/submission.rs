//! Checks a submission to moderation beyond what the publication profile asks of the
//! package: the fields the integrator submits with it (publication languages, description,
//! instructions, support contacts, name and description changes, test credentials) and
//! what those fields ask of the package (every publication language declared, with its
//! language file and tour images).
//!
//! Owns the request-field rules (`submission.*`, no file, a JSON pointer into the request
//! body such as `/description/ru`) and the package rules about publication languages.
//! Problems the package checks already report are not reported again: a declared language
//! without its file is `i18n.missing_file`, an undeclared language with a file is
//! `i18n.undeclared_file`, and the files of publication languages go through the i18n rules
//! (structure, empty texts, keys the manifest and tour use) because [`Ctx::languages`]
//! names them. New names and descriptions go through the listing rules.

use crate::catalog::{self as rules, Rule};
use crate::context::Ctx;
use crate::diag::{Findings, Loc};
use crate::json::escape;
use crate::options::{Lang, Options};
use serde_json::Value;
use std::collections::BTreeMap;

/// Instructions shorter than this many characters are reported as too short.
const INSTRUCTIONS_MIN_CHARS: usize = 20;
/// At most this many hosts are named in the test-credentials warning.
const HOSTS_SHOWN: usize = 3;

/// A test a text passes or fails, such as [`is_phone`].
type TextTest = fn(&str) -> bool;

/// What an integrator submits for moderation besides the package (all texts as given).
#[derive(Debug, Clone, Copy)]
pub struct SubmissionFields<'a> {
    /// The languages to publish in, such as `["en", "ru"]`.
    pub languages: &'a [String],
    /// Per language: what the widget does (with a support phone and e-mail).
    pub description: &'a BTreeMap<String, String>,
    /// Per language: how to connect and use it.
    pub instructions: &'a BTreeMap<String, String>,
    /// The support phone number.
    pub support_phone: &'a str,
    /// The support e-mail address.
    pub support_email: &'a str,
    /// A test account for the third-party system the widget works with (moderators only).
    pub test_credentials: Option<&'a str>,
    /// Optional per-language new names, applied on approval.
    pub name_changes: &'a BTreeMap<String, String>,
    /// Optional per-language new listing descriptions, applied on approval.
    pub description_changes: &'a BTreeMap<String, String>,
}

/// The publication languages worth checking further: allowed ones, each once, in order.
pub(crate) fn languages(fields: &SubmissionFields<'_>, options: &Options<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in fields.languages {
        if options.allowed_locales.contains(l) && !out.contains(l) {
            out.push(l.clone());
        }
    }
    out
}

/// A finding about a field of the request body.
fn field(pointer: String) -> Loc {
    Loc {
        pointer: Some(pointer),
        ..Loc::default()
    }
}

/// The rules about the request fields alone (no package needed).
pub(crate) fn check_fields(
    fields: &SubmissionFields<'_>,
    options: &Options<'_>,
    out: &mut Findings,
) {
    check_languages(fields, options, out);
    for language in languages(fields, options) {
        let key = escape(&language);
        match fields.description.get(&language) {
            Some(text) if !text.trim().is_empty() => {
                let contacts: [(TextTest, &'static Rule); 2] = [
                    (contains_phone, &rules::SUBMISSION_DESCRIPTION_NO_PHONE),
                    (contains_email, &rules::SUBMISSION_DESCRIPTION_NO_EMAIL),
                ];
                for (found, rule) in contacts {
                    if !found(text) {
                        out.add(
                            rule,
                            field(format!("/description/{key}")),
                            &[("language", &language)],
                        );
                    }
                }
            }
            _ => out.add(
                &rules::SUBMISSION_DESCRIPTION_MISSING,
                field(format!("/description/{key}")),
                &[("language", &language)],
            ),
        }
        match fields.instructions.get(&language).map(|t| t.trim()) {
            Some(text) if !text.is_empty() => {
                let count = text.chars().count();
                if count < INSTRUCTIONS_MIN_CHARS {
                    out.add(
                        &rules::SUBMISSION_INSTRUCTIONS_SHORT,
                        field(format!("/instructions/{key}")),
                        &[
                            ("language", &language),
                            ("count", &count),
                            ("limit", &INSTRUCTIONS_MIN_CHARS),
                        ],
                    );
                }
            }
            _ => out.add(
                &rules::SUBMISSION_INSTRUCTIONS_MISSING,
                field(format!("/instructions/{key}")),
                &[("language", &language)],
            ),
        }
    }
    check_contacts(fields, out);
    check_changes(fields, options.lang, out);
    crate::placeholders::check_fields(fields, out);
}

fn check_languages(fields: &SubmissionFields<'_>, options: &Options<'_>, out: &mut Findings) {
    if fields.languages.is_empty() {
        out.add(
            &rules::SUBMISSION_LANGUAGES_EMPTY,
            field("/languages".to_string()),
            &[],
        );
        return;
    }
    let allowed = options.allowed_locales.join(", ");
    for (i, language) in fields.languages.iter().enumerate() {
        let at = || field(format!("/languages/{i}"));
        if fields.languages[..i].contains(language) {
            out.add(
                &rules::SUBMISSION_LANGUAGE_DUPLICATE,
                at(),
                &[("language", language)],
            );
        } else if !options.allowed_locales.contains(language) {
            out.add(
                &rules::SUBMISSION_LANGUAGE_NOT_ALLOWED,
                at(),
                &[("language", language), ("allowed", &allowed)],
            );
        }
    }
}

fn check_contacts(fields: &SubmissionFields<'_>, out: &mut Findings) {
    type Contact<'f> = (
        &'f str,
        &'static str,
        fn(&str) -> bool,
        &'static Rule,
        &'static Rule,
    );
    let contacts: [Contact<'_>; 2] = [
        (
            fields.support_phone,
            "/support_phone",
            is_phone,
            &rules::SUBMISSION_SUPPORT_PHONE_MISSING,
            &rules::SUBMISSION_SUPPORT_PHONE_INVALID,
        ),
        (
            fields.support_email,
            "/support_email",
            is_email,
            &rules::SUBMISSION_SUPPORT_EMAIL_MISSING,
            &rules::SUBMISSION_SUPPORT_EMAIL_INVALID,
        ),
    ];
    for (value, pointer, valid, missing, invalid) in contacts {
        let value = value.trim();
        if value.is_empty() {
            out.add(missing, field(pointer.to_string()), &[]);
        } else if !valid(value) {
            out.add(invalid, field(pointer.to_string()), &[("value", &value)]);
        }
    }
}

fn check_changes(fields: &SubmissionFields<'_>, lang: Lang, out: &mut Findings) {
    let kinds = [
        ("name", fields.name_changes, ["name", "название"]),
        (
            "description",
            fields.description_changes,
            ["description", "описание"],
        ),
    ];
    for (kind, changes, [what_en, what_ru]) in kinds {
        let what = match lang {
            Lang::En => what_en,
            Lang::Ru => what_ru,
        };
        for (language, text) in changes {
            let loc = field(format!("/changes/{kind}/{}", escape(language)));
            let args: [(&'static str, &dyn std::fmt::Display); 2] =
                [("what", &what), ("language", language)];
            if !fields.languages.contains(language) {
                out.add(&rules::SUBMISSION_CHANGE_LANGUAGE, loc, &args);
            } else if text.trim().is_empty() {
                out.add(&rules::SUBMISSION_CHANGE_EMPTY, loc, &args);
            } else {
                let label = format!("changes.{kind}.{language}");
                if kind == "name" {
                    crate::listing::check_name(out, text, loc, &label);
                } else {
                    crate::listing::check_description(out, text, loc, &label);
                }
            }
        }
    }
}

/// The rules about what the submission asks of the package: every publication language
/// declared, with its language file and tour images; a test account when the script talks
/// to a third-party system. Runs after the package checks (`ctx.languages` set).
pub(crate) fn check_package(ctx: &mut Ctx<'_>, fields: &SubmissionFields<'_>) {
    check_test_credentials(ctx, fields);
    let Some(manifest) = ctx.manifest.as_ref() else {
        return;
    };
    // Without a valid `widget.locale` the manifest rules have already said so.
    let Some(declared) = manifest.get("/widget/locale").and_then(Value::as_array) else {
        return;
    };
    let tour_images = manifest.get("/tour/tour_images").and_then(Value::as_object);
    for language in &ctx.languages {
        if declared.iter().any(|l| l.as_str() == Some(language)) {
            continue;
        }
        let file = format!("i18n/{language}.json");
        if !ctx.package.contains(&file) {
            ctx.out.add(
                &rules::SUBMISSION_LANGUAGE_NOT_DECLARED,
                manifest.loc("/widget/locale"),
                &[("language", language)],
            );
            ctx.out.add(
                &rules::SUBMISSION_I18N_MISSING,
                Loc::file(file),
                &[("language", language)],
            );
        }
        // The manifest rules ask tour images of declared locales only.
        if let Some(images) = tour_images
            && images
                .get(language)
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
        {
            ctx.out.add(
                &rules::MANIFEST_TOUR_IMAGES_LOCALE,
                manifest.loc("/tour/tour_images"),
                &[("locale", language)],
            );
        }
    }
}

fn check_test_credentials(ctx: &mut Ctx<'_>, fields: &SubmissionFields<'_>) {
    if fields
        .test_credentials
        .is_some_and(|t| !t.trim().is_empty())
    {
        return;
    }
    let mut hosts: Vec<String> = Vec::new();
    for (path, _) in ctx.package.files() {
        if !crate::script::is_script(path) || crate::text::is_third_party(path) {
            continue;
        }
        let Some(text) = ctx.text(path) else { continue };
        for (_, host) in crate::text::url_hosts(text) {
            if is_service_host(&host) && !hosts.contains(&host) {
                hosts.push(host);
            }
        }
    }
    if hosts.is_empty() {
        return;
    }
    let mut shown: Vec<String> = hosts
        .iter()
        .take(HOSTS_SHOWN)
        .map(|h| format!("`{h}`"))
        .collect();
    if hosts.len() > HOSTS_SHOWN {
        shown.push("…".to_string());
    }
    ctx.out.add(
        &rules::SUBMISSION_TEST_CREDENTIALS_MISSING,
        field("/test_credentials".to_string()),
        &[("hosts", &shown.join(", "))],
    );
}

/// The CRM's own domains: talking to them needs no other account.
const PLATFORM_DOMAINS: &[&str] = &["amocrm.ru", "amocrm.com", "kommo.com"];

/// Public CDNs and standard namespaces a script names without using a service.
const PUBLIC_HOSTS: &[&str] = &[
    "code.jquery.com",
    "ajax.googleapis.com",
    "ajax.aspnetcdn.com",
    "cdnjs.cloudflare.com",
    "cdn.jsdelivr.net",
    "unpkg.com",
    "fonts.googleapis.com",
    "fonts.gstatic.com",
    "w3.org",
    "www.w3.org",
];

/// Whether a host (lowercase) is a third-party system: a domain name that is neither the
/// CRM's own, nor a public CDN or namespace, nor a local or example address.
fn is_service_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let domain = labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    let platform = PLATFORM_DOMAINS
        .iter()
        .any(|d| crate::text::is_domain_or_subdomain(host, d));
    domain && !platform && !PUBLIC_HOSTS.contains(&host) && !crate::text::is_test_host(host)
}

/// Whether a character may be part of a phone number as written: digits, `+`, spaces
/// (also no-break and thin), dashes, dots and parentheses.
fn is_phone_char(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '+' | ' ' | '-' | '.' | '(' | ')' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{2013}'
        )
}

/// Whether a run of phone characters is one phone number: 7 to 15 digits (E.164 allows 15),
/// and a `+` only once, before the first digit.
fn phone_like(run: &str) -> bool {
    let digits = run.chars().filter(char::is_ascii_digit).count();
    let plus_ok = match (run.find('+'), run.find(|c: char| c.is_ascii_digit())) {
        (None, _) => true,
        (Some(p), Some(d)) => p < d && run.matches('+').count() == 1,
        (Some(_), None) => false,
    };
    (7..=15).contains(&digits) && plus_ok
}

/// Whether a whole value is a phone number, such as `+7 (495) 215-37-84`.
pub fn is_phone(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && s.chars().all(is_phone_char) && phone_like(s)
}

/// Whether a text contains a phone number somewhere: a run of phone characters with 7 to
/// 15 digits. A `+` starts a new number, so two numbers side by side are two runs.
pub fn contains_phone(text: &str) -> bool {
    text.split(|c: char| !is_phone_char(c))
        .flat_map(|run| {
            // Split before every `+`, keeping it with the number it starts.
            let mut parts = Vec::new();
            let mut start = 0;
            for (i, _) in run.match_indices('+') {
                parts.push(&run[start..i]);
                start = i;
            }
            parts.push(&run[start..]);
            parts
        })
        .any(phone_like)
}

/// Whether a whole value is an e-mail address: `local@domain.tld`, the top-level domain of
/// at least two letters.
pub fn is_email(s: &str) -> bool {
    let Some((_, domain)) = s.rsplit_once('@') else {
        return false;
    };
    crate::manifest::is_email(s)
        && domain.split('.').all(|l| !l.is_empty())
        && domain
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

/// Whether a text contains an e-mail address somewhere (in prose, in brackets, or in a
/// `mailto:` link).
pub fn contains_email(text: &str) -> bool {
    let local_char = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain_char = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-');
    text.match_indices('@').any(|(at, _)| {
        let before = &text[..at];
        let after = &text[at + 1..];
        let local_len: usize = before
            .chars()
            .rev()
            .take_while(|c| local_char(*c))
            .map(char::len_utf8)
            .sum();
        let domain_len: usize = after
            .chars()
            .take_while(|c| domain_char(*c))
            .map(char::len_utf8)
            .sum();
        let local = before[before.len() - local_len..].trim_start_matches('.');
        let domain = after[..domain_len].trim_end_matches(['.', '-']);
        !local.is_empty() && is_email(&format!("{local}@{domain}"))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_as_people_write_them() {
        for s in [
            "+7 495 215-37-84",
            "+7 (495) 215-37-84",
            "8 800 555 35 35",
            "+1.415.555.0100",
            "4951234567",
            "+44\u{a0}20\u{a0}7946\u{a0}0958",
        ] {
            assert!(is_phone(s), "{s}");
            assert!(contains_phone(&format!("Call us: {s}.")), "{s}");
        }
        for s in [
            "",
            "call us",
            "123-45",
            "+7 495 215-37-84 ext. 5",
            "7+495 123 45 67",
            "1234567890123456",
        ] {
            assert!(!is_phone(s), "{s}");
        }
    }

    #[test]
    fn phones_inside_texts() {
        assert!(contains_phone("Support: +7 495 215-37-84, support@acme.io"));
        assert!(contains_phone("тел.:+7(495)1234567"));
        assert!(contains_phone("+7 495 215-37-84 +7 495 765-43-21"));
        assert!(!contains_phone("Version 1.2.3, since 2024"));
        assert!(!contains_phone("Write to support@acme.io"));
        assert!(!contains_phone(""));
    }

    #[test]
    fn email_addresses() {
        for s in [
            "support@acme.io",
            "first.last+tag@mail.acme.co.uk",
            "почта@сайт.рф",
        ] {
            assert!(is_email(s), "{s}");
        }
        for s in [
            "",
            "support",
            "a@b",
            "a@b.c",
            "a@.io",
            "a@io.",
            "a b@acme.io",
            "a@b@acme.io",
            "a@acme.i0",
        ] {
            assert!(!is_email(s), "{s}");
        }
        assert!(contains_email("Write to support@acme.io."));
        assert!(contains_email("(support@acme.io)"));
        assert!(contains_email("<a href=\"mailto:help@acme.io\">mail</a>"));
        assert!(contains_email("Пишите: почта@сайт.рф"));
        assert!(!contains_email("Follow @acme on social media"));
        assert!(!contains_email("user@localhost"));
        assert!(!contains_email("no address here"));
    }

    #[test]
    fn service_hosts() {
        for h in ["api.acme.io", "hooks.slack.com", "crm.vendor.ru"] {
            assert!(is_service_host(h), "{h}");
        }
        for h in [
            "acme.amocrm.ru",
            "kommo.com",
            "cdn.jsdelivr.net",
            "www.w3.org",
            "localhost",
            "api.example.com",
            "10.0.0.1",
            "self.render_template",
            "x",
        ] {
            assert!(!is_service_host(h), "{h}");
        }
    }
}
