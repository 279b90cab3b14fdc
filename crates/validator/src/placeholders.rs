//! Placeholder contacts and leftover markers in what users and moderators read: the
//! support contacts of `manifest.json`, the texts of the language files, and the fields of a
//! submission. "No test data" (rule book) covers them: a widget published with
//! `support@test.com`, `+0 000 000-00-00` or "TODO: replace ..." in its description is not
//! finished.
//!
//! - **Placeholder domains**: the names reserved for examples and tests (RFC 2606/6761:
//!   `example.*`, `*.test`, `*.invalid`, `*.localhost`, `*.local`) and the common
//!   placeholder domains of [`PLACEHOLDER_DOMAINS`] (`test.com`, `domain.com`,
//!   `yourdomain.*`, `site.com`...). The list holds no real mail or hosting provider.
//! - **Placeholder phones**: seven to fifteen digits, all the same digit, a subscriber
//!   number (the last seven digits) of one repeated digit, `1234567` or `7654321`, or
//!   `123456789` anywhere.
//! - **Leftover markers**: `TODO` and `FIXME` as upper-case words (lower-case `todo` is a
//!   Spanish and Portuguese word), `lorem ipsum`, and the scaffold's own placeholder
//!   sentences.
//!
//! In files, reserved test domains are `text.test_domain`'s (it reads every text file);
//! this module reports the other placeholder domains there, and every placeholder domain in
//! submission fields.

use crate::catalog as rules;
use crate::context::Ctx;
use crate::diag::{Findings, Loc};
use crate::json::escape;
use serde_json::Value;
use std::sync::OnceLock;

/// Placeholder domains that are not reserved names: exact second-level names (any TLD when
/// the entry ends in `.*`).
pub const PLACEHOLDER_DOMAINS: &[&str] = &[
    "example.*",
    "test.com",
    "test.ru",
    "test.net",
    "test.org",
    "testing.test",
    "domain.com",
    "domain.ru",
    "domain.tld",
    "yourdomain.*",
    "your-domain.*",
    "mydomain.*",
    "my-domain.*",
    "site.com",
    "site.ru",
    "mysite.*",
    "yoursite.*",
    "your-site.*",
    "yourwebsite.*",
    "mywebsite.*",
    "yourcompany.*",
    "your-company.*",
    "mycompany.*",
    "company.com",
    "placeholder.com",
    "sample.com",
    "foo.com",
    "foobar.com",
    "yourapp.*",
    "email.test",
];

/// Scaffold sentences and other leftovers, lower case, matched case-insensitively.
const LEFTOVER_PHRASES: &[&str] = &[
    "lorem ipsum",
    "replace the placeholder contacts",
    "замените контакты-заглушки",
    "your support phone",
    "your support e-mail",
];

/// Upper-case leftover words, matched as whole words.
const LEFTOVER_WORDS: &[&str] = &["TODO", "FIXME"];

/// What a text holds that should not be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// A placeholder domain (in a URL or an e-mail address) or phone number.
    Contact(String),
    /// A leftover marker.
    Marker(String),
}

/// Whether a host is a placeholder: reserved for examples and tests, or in
/// [`PLACEHOLDER_DOMAINS`] (or a subdomain of one).
pub fn is_placeholder_domain(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    if crate::text::is_test_host(&h) {
        return true;
    }
    let labels: Vec<&str> = h.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let n = labels.len();
    let registrable = format!("{}.{}", labels[n - 2], labels[n - 1]);
    PLACEHOLDER_DOMAINS
        .iter()
        .any(|d| match d.strip_suffix(".*") {
            Some(name) => labels[n - 2] == name,
            None => registrable == *d,
        })
}

/// Whether the digits of a phone number are a placeholder. In free text (`in_text`), nines
/// after the country code are an input mask (`+7 (999) 999-99-99`: 9 stands for any digit),
/// not a number.
pub fn is_placeholder_phone(digits: &str, in_text: bool) -> bool {
    let n = digits.len();
    if !(7..=15).contains(&n) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let same = |s: &str| s.bytes().all(|b| Some(b) == s.bytes().next());
    let subscriber = &digits[n - 7..];
    if in_text && subscriber.bytes().all(|b| b == b'9') && digits[1..].bytes().all(|b| b == b'9') {
        return false;
    }
    same(digits)
        || same(subscriber)
        || matches!(subscriber, "1234567" | "7654321")
        || digits.contains("123456789")
}

/// Every placeholder in a text, each once, in order.
pub(crate) fn find(text: &str, reserved_too: bool) -> Vec<Found> {
    find_in(text, reserved_too, true)
}

/// [`find`], saying whether `text` is free text (where `+7 (999) 999-99-99` is a mask) or a
/// phone field.
fn find_in(text: &str, reserved_too: bool, in_text: bool) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    let mut push = |f: Found| {
        if !out.contains(&f) {
            out.push(f);
        }
    };
    for (_, host) in crate::text::url_hosts(text)
        .into_iter()
        .chain(email_domains(text))
    {
        if is_placeholder_domain(&host) && (reserved_too || !crate::text::is_test_host(&host)) {
            push(Found::Contact(host));
        }
    }
    for phone in phones(text) {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        if is_placeholder_phone(&digits, in_text) {
            push(Found::Contact(phone.to_string()));
        }
    }
    for phrase in leftover_phrases(text) {
        push(Found::Marker(phrase.to_string()));
    }
    static WORDS: Finders = OnceLock::new();
    for (word, finder) in LEFTOVER_WORDS.iter().zip(finders(&WORDS, LEFTOVER_WORDS)) {
        let whole = finder.find_iter(text.as_bytes()).any(|i| {
            let before = text.get(..i).and_then(|t| t.chars().next_back());
            let after = text.get(i + word.len()..).and_then(|t| t.chars().next());
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        });
        if whole {
            push(Found::Marker((*word).to_string()));
        }
    }
    out
}

/// A searcher for each word of a fixed list, built once.
type Finders = OnceLock<Vec<memchr::memmem::Finder<'static>>>;

/// The searchers for `words`, built the first time: the placeholder search runs for every
/// string of every language file.
fn finders(
    cell: &'static Finders,
    words: &'static [&'static str],
) -> &'static [memchr::memmem::Finder<'static>] {
    cell.get_or_init(|| words.iter().map(memchr::memmem::Finder::new).collect())
}

/// The [`LEFTOVER_PHRASES`] a text holds, whatever its case, in the list's order.
///
/// Lowercasing every text (most of them Cyrillic in a Russian file) cost more than the rest
/// of the placeholder search, so:
/// - ASCII phrases are looked for in a copy with only the ASCII letters lowercased. Full
///   lowercasing gives the same answer: the only other characters that lowercase to ASCII
///   letters are the Kelvin sign (to `k`) and `İ` (to `i` and a combining dot), and no phrase
///   has a `k` or ends in `i` (a test checks it).
/// - Other phrases are looked for in a lowercase copy, made only when the text holds every
///   ASCII byte of the phrase that is not a letter (spaces, hyphens): no case mapping makes
///   or removes those.
fn leftover_phrases(text: &str) -> impl Iterator<Item = &'static str> {
    static PHRASES: Finders = OnceLock::new();
    let mut ascii_lower: Option<String> = None;
    let mut lower: Option<String> = None;
    let mut found = Vec::new();
    for (phrase, finder) in LEFTOVER_PHRASES
        .iter()
        .zip(finders(&PHRASES, LEFTOVER_PHRASES))
    {
        // Most texts are short labels: no phrase fits in them, and no copy is made.
        if text.len() < phrase.len() {
            continue;
        }
        let hay = if phrase.is_ascii() {
            ascii_lower.get_or_insert_with(|| text.to_ascii_lowercase())
        } else if phrase
            .bytes()
            .filter(|b| b.is_ascii() && !b.is_ascii_alphabetic())
            .all(|b| memchr::memchr(b, text.as_bytes()).is_some())
        {
            lower.get_or_insert_with(|| text.to_lowercase())
        } else {
            continue;
        };
        if finder.find(hay.as_bytes()).is_some() {
            found.push(*phrase);
        }
    }
    found.into_iter()
}

/// The domains of the e-mail addresses in a text, lowercase.
fn email_domains(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let local = text[..at].chars().next_back();
        if !local.is_some_and(|c| c.is_alphanumeric() || "._-+".contains(c)) {
            continue;
        }
        let domain: String = text[at + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '-')
            .collect();
        let domain = domain.trim_end_matches('.').to_lowercase();
        if domain.contains('.') {
            out.push((at + 1, domain));
        }
    }
    out
}

/// Phone-like runs: a `+` or digit, then digits, spaces, `-`, `.`, `(` and `)`, with seven
/// to fifteen digits, not inside a word.
fn phones(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Straight to the next `+` or digit: most texts have none.
        match b[i..].iter().position(|c| *c == b'+' || c.is_ascii_digit()) {
            Some(k) => i += k,
            None => break,
        }
        let starts = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < b.len() && (b[end].is_ascii_digit() || b" -.()".contains(&b[end])) {
            end += 1;
        }
        let run = text[i..end].trim_end_matches([' ', '-', '.', '(']);
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        let in_word = b
            .get(i + run.len())
            .is_some_and(|c| c.is_ascii_alphabetic());
        if (7..=15).contains(&digits) && !in_word {
            out.push(run);
        }
        i = end.max(i + 1);
    }
    out
}

fn report(out: &mut Findings, loc: Loc, where_: &str, found: Vec<Found>) {
    for f in found {
        match f {
            Found::Contact(text) => out.add(
                &rules::TEXT_PLACEHOLDER_CONTACT,
                loc.clone(),
                &[("text", &text), ("where", &where_)],
            ),
            Found::Marker(text) => out.add(
                &rules::TEXT_LEFTOVER_MARKER,
                loc.clone(),
                &[("text", &text), ("where", &where_)],
            ),
        }
    }
}

/// The support contacts of `manifest.json` and every text of the language files.
pub fn check_package(ctx: &mut Ctx<'_>) {
    if let Some(manifest) = &ctx.manifest {
        for key in ["link", "email"] {
            let pointer = format!("/widget/support/{key}");
            if let Some(Value::String(value)) = manifest.get(&pointer) {
                let found = find(value, false);
                if !found.is_empty() {
                    let field = format!("widget.support.{key}");
                    report(&mut ctx.out, manifest.loc(&pointer), &field, found);
                }
            }
        }
    }
    for (locale, doc) in &ctx.i18n {
        // Every value is a node (its parent and its key); a pointer is spelled out only for a
        // text with a finding.
        let mut nodes: Vec<(Option<usize>, Step<'_>)> = Vec::new();
        let mut stack: Vec<(Option<usize>, &Value)> = vec![(None, &doc.value)];
        while let Some((node, value)) = stack.pop() {
            match value {
                Value::Object(map) => {
                    for (k, v) in map.iter().rev() {
                        nodes.push((node, Step::Key(k)));
                        stack.push((Some(nodes.len() - 1), v));
                    }
                }
                Value::Array(items) => {
                    for (i, v) in items.iter().enumerate().rev() {
                        nodes.push((node, Step::Index(i)));
                        stack.push((Some(nodes.len() - 1), v));
                    }
                }
                Value::String(text) => {
                    let found = find(text, false);
                    if !found.is_empty() {
                        let pointer = pointer_of(&nodes, node);
                        let key = pointer.trim_start_matches('/').replace('/', ".");
                        let where_ = format!("i18n/{locale}.json: {key}");
                        report(&mut ctx.out, doc.loc(&pointer), &where_, found);
                    }
                }
                _ => {}
            }
        }
    }
}

/// One step of a JSON pointer.
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// The JSON pointer of a node of the walk in [`check_package`].
fn pointer_of(nodes: &[(Option<usize>, Step<'_>)], mut node: Option<usize>) -> String {
    let mut steps = Vec::new();
    while let Some((parent, step)) = node.and_then(|n| nodes.get(n)) {
        steps.push(match step {
            Step::Key(k) => escape(k).into_owned(),
            Step::Index(i) => i.to_string(),
        });
        node = *parent;
    }
    steps.iter().rev().map(|s| format!("/{s}")).collect()
}

/// A submission's texts: descriptions, instructions, support contacts, changes.
pub(crate) fn check_fields(fields: &crate::SubmissionFields<'_>, out: &mut Findings) {
    let maps = [
        ("description", fields.description),
        ("instructions", fields.instructions),
        ("name_changes", fields.name_changes),
        ("description_changes", fields.description_changes),
    ];
    for (name, map) in maps {
        for (language, text) in map {
            let pointer = format!("/{name}/{}", escape(language));
            let loc = Loc {
                pointer: Some(pointer),
                ..Loc::default()
            };
            report(out, loc, &format!("{name}.{language}"), find(text, true));
        }
    }
    for (name, text) in [
        ("support_phone", fields.support_phone),
        ("support_email", fields.support_email),
    ] {
        let loc = Loc {
            pointer: Some(format!("/{name}")),
            ..Loc::default()
        };
        report(out, loc, name, find_in(text, true, name != "support_phone"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_domains_and_real_ones() {
        for h in [
            "test.com",
            "support.test.ru",
            "example.de",
            "mail.example.com",
            "yourdomain.ru",
            "site.com",
            "widget.test",
            "domain.com",
        ] {
            assert!(is_placeholder_domain(h), "{h}");
        }
        for h in [
            "gmail.com",
            "mail.ru",
            "yandex.ru",
            "amocrm.ru",
            "testing.com",
            "contest.com",
            "website.org",
            "lidgen-crm.ru",
        ] {
            assert!(!is_placeholder_domain(h), "{h}");
        }
    }

    #[test]
    fn placeholder_phones_and_real_ones() {
        for d in [
            "00000000000",
            "70000000000",
            "74951234567",
            "1111111",
            "380123456789",
        ] {
            assert!(is_placeholder_phone(d, true), "{d}");
        }
        for d in ["74952153784", "4951234", "12345", "79161230000"] {
            assert!(!is_placeholder_phone(d, true), "{d}");
        }
        // An input mask in a text; a placeholder in the phone field.
        assert!(!is_placeholder_phone("79999999999", true));
        assert!(is_placeholder_phone("79999999999", false));
    }

    #[test]
    fn the_scaffold_text_is_found_whole() {
        let text = "Notes for deals. Support: support@example.com, +0 000 000-00-00. TODO: replace the placeholder contacts with your own.";
        let found = find(text, true);
        assert!(
            found.contains(&Found::Contact("example.com".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&Found::Contact("+0 000 000-00-00".into())),
            "{found:?}"
        );
        assert!(found.contains(&Found::Marker("TODO".into())), "{found:?}");
        assert!(found.contains(&Found::Marker("replace the placeholder contacts".into())));
        // In files the reserved names are text.test_domain's.
        assert!(!find(text, false).contains(&Found::Contact("example.com".into())));
    }

    /// The phrases are found whatever their case, each once, in the list's order, as in a
    /// lowercase copy of the text.
    #[test]
    fn leftover_phrases_ignore_case() {
        let found: Vec<_> =
            leftover_phrases("Your Support Phone here. LOREM IPSUM dolor, lorem ipsum.").collect();
        assert_eq!(found, ["lorem ipsum", "your support phone"]);
        let found: Vec<_> = leftover_phrases("ЗАМЕНИТЕ Контакты-Заглушки своими").collect();
        assert_eq!(found, ["замените контакты-заглушки"]);
        // Without its hyphen the phrase is not there, with or without a lowercase copy.
        assert_eq!(leftover_phrases("замените контакты заглушки").count(), 0);
        assert_eq!(leftover_phrases("lorem").count(), 0);
        for text in [
            "LOREM İPSUM",
            "Lorem \u{212A}ipsum",
            "замените контакты-заглушки",
            "Replace The Placeholder Contacts",
            "your support e-mail: x",
            "your support email",
        ] {
            let lower = text.to_lowercase();
            let expected: Vec<_> = LEFTOVER_PHRASES
                .iter()
                .copied()
                .filter(|p| lower.contains(p))
                .collect();
            assert_eq!(
                leftover_phrases(text).collect::<Vec<_>>(),
                expected,
                "{text}"
            );
        }
    }

    /// What makes the ASCII shortcut of [`leftover_phrases`] exact: the phrases are lowercase,
    /// and no ASCII phrase has a `k` (the Kelvin sign lowercases to one) or ends in `i` (`İ`
    /// lowercases to an `i` and a combining dot).
    #[test]
    fn leftover_phrases_suit_the_ascii_shortcut() {
        for phrase in LEFTOVER_PHRASES {
            assert_eq!(phrase.to_lowercase(), *phrase);
            if phrase.is_ascii() {
                assert!(!phrase.contains('k') && !phrase.ends_with('i'), "{phrase}");
            }
        }
    }

    #[test]
    fn pointers_are_spelled_from_the_walk() {
        // {"a/b": [x, {"c": <node 3>}]}: keys escaped, indexes as numbers.
        let nodes = [
            (None, Step::Key("a/b")),
            (Some(0), Step::Index(1)),
            (Some(0), Step::Index(0)),
            (Some(1), Step::Key("c")),
        ];
        assert_eq!(pointer_of(&nodes, Some(3)), "/a~1b/1/c");
        assert_eq!(pointer_of(&nodes, Some(2)), "/a~1b/0");
        assert_eq!(pointer_of(&nodes, None), "");
    }

    #[test]
    fn real_texts_pass() {
        for text in [
            "Поддержка: +7 495 215-37-84, help@lidgen-crm.ru, https://lidgen-crm.ru/help",
            "Todo el equipo: soporte@acme-crm.es. Lista de tareas (todo list).",
            "Version 2.10.3 released 2024-05-17, 250 leads per batch, ID 4815162342",
            "TODOS los días",
        ] {
            assert_eq!(find(text, true), Vec::<Found>::new(), "{text}");
        }
    }
}
