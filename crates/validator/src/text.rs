//! Checks every text file as text: UTF-8 without BOM, LF line endings, and left-over test
//! data: local or example addresses and placeholder secrets. Third-party files (`vendor/`,
//! `node_modules/`, `*.min.js`, `*.min.css`) are held to the encoding rules only.

use crate::catalog as rules;
use crate::context::{Ctx, is_text_file};
use crate::diag::Loc;
use crate::lines::LineIndex;
use aho_corasick::{AhoCorasick, MatchKind, packed};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether a path is a third-party file, exempt from the content rules.
pub fn is_third_party(path: &str) -> bool {
    path.ends_with(".min.js")
        || path.ends_with(".min.css")
        || path.split('/').any(|s| {
            matches!(
                s,
                "vendor" | "vendors" | "node_modules" | "bower_components"
            )
        })
}

/// Runs the encoding rules on every text file.
pub fn check_encoding(ctx: &mut Ctx<'_>) {
    for (path, data) in ctx.package.files() {
        if !is_text_file(path) || ctx.libraries.contains(path) {
            continue;
        }
        let body = match data.strip_prefix(BOM) {
            Some(rest) => {
                let rule = if path.ends_with(".json") {
                    &rules::JSON_BOM
                } else {
                    &rules::TEXT_BOM
                };
                ctx.out.add(rule, Loc::at(path, 1, 1), &[("file", &path)]);
                rest
            }
            None => data,
        };
        // Decoded once for the whole pass; only an undecodable file is read again here,
        // to say where it breaks.
        let decoded = match ctx.text(path) {
            Some(text) => Ok(text),
            None => std::str::from_utf8(body),
        };
        let text = match decoded {
            Ok(t) => t,
            Err(e) => {
                let valid = std::str::from_utf8(&body[..e.valid_up_to()]).unwrap_or_default();
                let (line, column) = LineIndex::new(valid).position(valid, valid.len());
                let rule = if path.ends_with(".json") {
                    &rules::JSON_NOT_UTF8
                } else {
                    &rules::TEXT_NOT_UTF8
                };
                ctx.out
                    .add(rule, Loc::at(path, line, column), &[("file", &path)]);
                continue;
            }
        };
        let mut crlf = memchr::memmem::find_iter(body, b"\r\n");
        if let Some(first) = crlf.next() {
            let count = 1 + crlf.count();
            let (line, column) = LineIndex::new(text).position(text, first);
            ctx.out.add(
                &rules::TEXT_CRLF,
                Loc::at(path, line, column),
                &[("file", &path), ("count", &count)],
            );
        }
    }
}

/// Placeholder markers, lowercase: a shipped file should contain none of them.
const PLACEHOLDERS: &[&str] = &[
    "your_api_key",
    "your-api-key",
    "yourapikey",
    "your_token",
    "your-token",
    "your_secret",
    "your-secret",
    "your_client_secret",
    "your_password",
    "replace_me",
    "replace-me",
    "changeme",
    "change_me",
    "insert_your",
    "api_key_here",
    "token_here",
    "secret_here",
    "xxxxxxxxxx",
    "sk_test_",
    "pk_test_",
    "dummy_key",
    "dummy_token",
    "00000000-0000-0000-0000-000000000000",
];

/// Runs the content rules (test domains, placeholders) on first-party text files.
pub fn check_content(ctx: &mut Ctx<'_>) {
    let texts: Vec<(&str, &str)> = ctx
        .texts()
        .filter(|(p, _)| !is_third_party(p) && !ctx.libraries.contains(*p))
        .collect();
    let mut lower = Vec::new();
    for (path, text) in texts {
        let found = scan(text, &mut lower);
        if found.domains.is_empty() && found.placeholders.is_empty() {
            continue;
        }
        let index = LineIndex::new(text);
        for (offset, domain) in found.domains {
            let (line, column) = index.position(text, offset);
            ctx.out.add(
                &rules::TEXT_TEST_DOMAIN,
                Loc::at(path, line, column),
                &[("file", &path), ("domain", &domain)],
            );
        }
        for (offset, marker) in found.placeholders {
            let shown = text.get(offset..offset + marker.len()).unwrap_or(marker);
            let (line, column) = index.position(text, offset);
            ctx.out.add(
                &rules::TEXT_PLACEHOLDER_SECRET,
                Loc::at(path, line, column),
                &[("file", &path), ("text", &shown)],
            );
        }
    }
}

/// What the content scan found in one text.
#[derive(Debug, Default)]
struct Found {
    /// Each distinct local or example host once, with the offset of its first occurrence.
    domains: Vec<(usize, String)>,
    /// Each placeholder marker once, with the offset of its first occurrence.
    placeholders: Vec<(usize, &'static str)>,
}

/// The bare loopback names; with [`PLACEHOLDERS`], the words the content scan looks for
/// (pattern ids below `LOOPBACK.len()` are loopback names, the rest placeholders).
const LOOPBACK: &[&str] = &["localhost", "127.0.0.1"];

/// The words of the content scan, searched in a lowercased copy of each text: Teddy (the
/// SIMD multi-pattern search of the `aho-corasick` crate) where the CPU has it, else one
/// Aho-Corasick automaton. Either way the text is read once for all words, with
/// leftmost-first matches: a marker inside a longer one at the same place is not reported
/// twice.
enum Words {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Words {
    /// The searcher, built once per process.
    fn get() -> Option<&'static Words> {
        static WORDS: OnceLock<Option<Words>> = OnceLock::new();
        WORDS.get_or_init(|| Words::new(true)).as_ref()
    }

    /// Teddy when `packed` and the CPU allows, else the automaton.
    fn new(packed: bool) -> Option<Words> {
        let words = LOOPBACK.iter().chain(PLACEHOLDERS);
        if packed
            && let Some(s) = packed::Config::new()
                .builder()
                .extend(words.clone())
                .build()
        {
            return Some(Words::Packed(s));
        }
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(words)
            .ok()
            .map(Words::Automaton)
    }

    /// Calls `f(pattern id, start, end)` for each match in `hay`, in order.
    fn each(&self, hay: &[u8], mut f: impl FnMut(usize, usize, usize)) {
        match self {
            Words::Packed(s) => {
                for m in s.find_iter(hay) {
                    f(m.pattern().as_usize(), m.start(), m.end());
                }
            }
            Words::Automaton(a) => {
                for m in a.find_iter(hay) {
                    f(m.pattern().as_usize(), m.start(), m.end());
                }
            }
        }
    }
}

/// Where hosts start: after `//` (URLs), after `@` (email addresses), and the bare loopback
/// names; and the placeholder markers, ASCII case-insensitive. `lower` is a buffer reused
/// between texts.
fn scan(text: &str, lower: &mut Vec<u8>) -> Found {
    let mut found = Found::default();
    let b = text.as_bytes();
    // Every place a host starts, with the host; then each host once, at its first place.
    let mut hosts: Vec<(usize, &str)> = Vec::new();
    // URLs: the host after `//`, without user info and port.
    // In a run of slashes the host follows the last two (`///host` names `host`).
    for i in slashes().find_iter(b) {
        let mut start = i + 2;
        while b.get(start) == Some(&b'/') {
            start += 1;
        }
        hosts.extend(url_host(text, start));
    }
    // Email addresses: the domain after `@`.
    for i in memchr::memchr_iter(b'@', b) {
        let local_ok = i > 0 && is_host_char(b[i - 1]);
        let start = i + 1;
        let mut end = start;
        while end < b.len() && is_host_char(b[end]) {
            end += 1;
        }
        let domain = text[start..end].trim_end_matches('.');
        if local_ok && domain.contains('.') {
            hosts.push((start, domain));
        }
    }
    if let Some(words) = Words::get() {
        lower.clear();
        lower.extend(b.iter().map(u8::to_ascii_lowercase));
        let mut markers_seen = [false; PLACEHOLDERS.len()];
        words.each(lower, |id, start, end| {
            if id < LOOPBACK.len() {
                // Bare `localhost` and loopback addresses, as whole words.
                let boundary = |c: Option<u8>| {
                    c.is_none_or(|c| {
                        !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
                    })
                };
                if boundary(start.checked_sub(1).map(|j| b[j])) && boundary(b.get(end).copied()) {
                    hosts.push((start, &text[start..end]));
                }
            } else if let Some(seen) = markers_seen.get_mut(id - LOOPBACK.len())
                && !*seen
            {
                *seen = true;
                found
                    .placeholders
                    .push((start, PLACEHOLDERS[id - LOOPBACK.len()]));
            }
        });
    }
    hosts.sort_by_key(|(offset, _)| *offset);
    let mut seen = BTreeSet::new();
    for (offset, host) in hosts {
        if is_test_host(host) && seen.insert(host.to_ascii_lowercase()) {
            found.domains.push((offset, host.to_string()));
        }
    }
    found.domains.sort();
    found.placeholders.sort();
    found
}

/// The host of the URL authority starting at `start` (just after `//`), without user info
/// and port, with its offset; `None` when there is no host there.
pub(crate) fn url_host(text: &str, start: usize) -> Option<(usize, &str)> {
    let b = text.as_bytes();
    let mut end = start;
    while end < b.len() && (is_host_char(b[end]) || matches!(b[end], b'@' | b':' | b'[' | b']')) {
        end += 1;
    }
    let authority = text.get(start..end)?;
    let host_part = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host_part.starts_with('[') {
        host_part
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
    } else {
        host_part.split(':').next().unwrap_or("")
    };
    (!host.is_empty()).then_some((end - host_part.len(), host))
}

/// A searcher for `//`, built once: every text and every string of the language files is
/// searched for URLs.
fn slashes() -> &'static memchr::memmem::Finder<'static> {
    static SLASHES: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    SLASHES.get_or_init(|| memchr::memmem::Finder::new("//"))
}

/// Every distinct host (lowercase) a text names in a URL, with the offset of its first
/// occurrence: `scheme://host`, or `//host` right after a quote (a protocol-relative URL in
/// a string). A `//` comment is not a URL, so commented-out code names no host.
pub fn url_hosts(text: &str) -> Vec<(usize, String)> {
    let b = text.as_bytes();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for i in slashes().find_iter(b) {
        let url = i > 0 && matches!(b[i - 1], b':' | b'\'' | b'"' | b'`');
        if !url {
            continue;
        }
        if let Some((offset, host)) = url_host(text, i + 2) {
            let host = host.trim_end_matches('.').to_ascii_lowercase();
            if !host.is_empty() && seen.insert(host.clone()) {
                out.push((offset, host));
            }
        }
    }
    out
}

fn is_host_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'.' || c == b'-' || c == b'_'
}

/// Whether a host is local, reserved for examples or tests, or an obvious placeholder.
pub fn is_test_host(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    let tld = h.rsplit('.').next().unwrap_or("");
    h == "localhost"
        || h.ends_with(".localhost")
        || h == "0.0.0.0"
        || h.starts_with("127.")
        || h == "::1"
        || (h.contains('.') && matches!(tld, "test" | "example" | "invalid" | "local"))
        || ["example.com", "example.net", "example.org", "example.ru"]
            .iter()
            .any(|d| is_domain_or_subdomain(&h, d))
}

/// Whether `host` is `domain` or one of its subdomains.
pub(crate) fn is_domain_or_subdomain(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_domains(text: &str) -> Vec<(usize, String)> {
        scan(text, &mut Vec::new()).domains
    }

    #[test]
    fn finds_local_and_example_hosts() {
        let text = "a = 'https://localhost:3000/x'; b='http://api.acme.example/v1';\nmail: help@example.com, ok@acme.io, //cdn.jsdelivr.net\nhost: 'localhost'; rx.test(s); c='127.0.0.1:80'";
        let hosts: Vec<String> = test_domains(text).into_iter().map(|(_, h)| h).collect();
        assert_eq!(
            hosts,
            ["localhost", "api.acme.example", "example.com", "127.0.0.1"]
        );
    }

    #[test]
    fn words_are_lowercase_and_both_searchers_agree() {
        // The words are searched in a lowercased copy of the text.
        for w in LOOPBACK.iter().chain(PLACEHOLDERS) {
            assert_eq!(*w, w.to_ascii_lowercase());
        }
        let hay = b"x your_api_key = 'changeme'; localhost:80 your_token_here 127.0.0.1 \
                    xxxxxxxxxxxxxxxxxxxxxxx sk_test_1 00000000-0000-0000-0000-000000000000";
        let hits = |w: Words| {
            let mut out = Vec::new();
            w.each(hay, |id, start, end| out.push((id, start, end)));
            out
        };
        let automaton = hits(Words::new(false).expect("automaton"));
        assert_eq!(automaton.len(), 9, "{automaton:?}");
        if let Some(packed @ Words::Packed(_)) = Words::new(true) {
            assert_eq!(hits(packed), automaton);
        }
    }

    #[test]
    fn markers_are_found_in_any_case_once_each() {
        let text = "const KEY = 'YOUR_API_KEY'; // your_api_key\nfetch('http://LocalHost:3000/x'); a='///LOCALHOST'";
        let found = scan(text, &mut Vec::new());
        assert_eq!(found.placeholders, [(13, "your_api_key")]);
        let at = text.find("LocalHost").expect("in the text");
        assert_eq!(found.domains, [(at, "LocalHost".to_string())]);
        // Slashes in a run: the host after the last two.
        let found = scan("a='///LOCALHOST'", &mut Vec::new());
        assert_eq!(found.domains, [(6, "LOCALHOST".to_string())]);
    }

    #[test]
    fn url_hosts_are_found_once_and_comments_are_not_urls() {
        let text = "// see the docs\n//self.render();\nvar a = 'https://user@API.Acme.io:8443/v1';\nvar b = \"//cdn.jsdelivr.net/x.js\"; var c = 'https://api.acme.io/v2';\nvar d = `wss://[::1]:9000`;";
        let hosts: Vec<String> = url_hosts(text).into_iter().map(|(_, h)| h).collect();
        assert_eq!(hosts, ["api.acme.io", "cdn.jsdelivr.net", "::1"]);
        let (offset, _) = url_hosts(text)[0];
        assert!(text[offset..].starts_with("API.Acme.io"));
        assert!(url_hosts("a // b").is_empty());
        assert!(url_hosts("x = 'https://'").is_empty());
    }

    #[test]
    fn real_hosts_and_code_are_not_test_hosts() {
        for h in [
            "acme.io",
            "cdn.jsdelivr.net",
            "examples.com",
            "myexample.com",
            "amocrm.ru",
            "testing.com",
        ] {
            assert!(!is_test_host(h), "{h}");
        }
        for h in [
            "localhost",
            "my.localhost",
            "127.0.0.2",
            "a.test",
            "EXAMPLE.COM",
            "x.example.org",
        ] {
            assert!(is_test_host(h), "{h}");
        }
        assert!(test_domains("if (re.test(value)) { obj.example.test = 1 }").is_empty());
    }
}
