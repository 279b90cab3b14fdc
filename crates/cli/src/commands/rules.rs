//! `widgetry rules [CODE]`: the validator's rule catalogue. Without `CODE`, every rule;
//! with it, that rule in full, like `rustc --explain`. `--format markdown` prints the
//! catalogue exactly as committed in `docs/rules.md`; `--format json` gives it to scripts.

use super::lint::{LangArg, ProfileArg, resolve_lang};
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::process::ExitCode;
use widgetry_validator::catalog::{self, Rule};
use widgetry_validator::{Lang, Profile, Severity};

// Arguments of `widgetry rules` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show only this rule, in full (for example `manifest.missing_field`).
    pub code: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Show only the severities under this profile (default: both).
    #[arg(long, value_enum, env = "WIDGETRY_PROFILE")]
    pub profile: Option<ProfileArg>,
    /// Language of messages and hints [default: from LC_ALL, LC_MESSAGES or LANG, else en].
    #[arg(long, value_enum, env = "WIDGETRY_LANG")]
    pub lang: Option<LangArg>,
}

/// `--format` of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable blocks, one per rule.
    Text,
    /// The catalogue as in `docs/rules.md`.
    Markdown,
    /// The rules as JSON.
    Json,
}

/// Runs `widgetry rules`.
pub fn run(args: Args) -> Result<ExitCode> {
    let lang = resolve_lang(args.lang);
    let profile = args.profile.map(Profile::from);
    let rules: Vec<&'static Rule> = match &args.code {
        None => catalog::all().collect(),
        Some(code) => match catalog::find(code.trim()) {
            Some(rule) => vec![rule],
            None => {
                crate::shell::report(unknown_code(code));
                return Ok(ExitCode::from(2));
            }
        },
    };
    let out = match args.format {
        Format::Markdown => match &args.code {
            None => catalog::markdown(),
            Some(_) => rules.iter().map(|r| markdown_section(r)).collect(),
        },
        Format::Json => {
            let value = match (&args.code, rules.as_slice()) {
                (Some(_), [rule]) => rule_json(rule, profile),
                _ => Value::Array(rules.iter().map(|r| rule_json(r, profile)).collect()),
            };
            let mut s = serde_json::to_string_pretty(&value)?;
            s.push('\n');
            s
        }
        Format::Text => {
            let mut s = String::new();
            for (i, rule) in rules.iter().enumerate() {
                if i > 0 {
                    s.push('\n');
                }
                s.push_str(&rule_text(rule, profile, lang));
            }
            s
        }
    };
    crate::shell::write_result(&out).context("failed to write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

fn severities(rule: &Rule, profile: Option<Profile>, lang: Lang) -> String {
    let word = |s: Severity| crate::render::severity_word(s, lang);
    match profile {
        Some(p) => crate::texts::fill(
            lang,
            "rules-profile",
            &[
                ("severity", word(rule.severity(p))),
                ("profile", p.as_str()),
            ],
        )
        .into_owned(),
        None => format!(
            "upload: {}, publication: {}",
            word(rule.upload),
            word(rule.publication)
        ),
    }
}

/// One rule as a readable block.
fn rule_text(rule: &Rule, profile: Option<Profile>, lang: Lang) -> String {
    let labels = [
        "rules-severity",
        "rules-message",
        "rules-why",
        "rules-example",
        "rules-help",
    ]
    .map(|id| crate::texts::text(lang, id));
    let mut s = String::new();
    let _ = writeln!(s, "{}", rule.code);
    let _ = writeln!(s, "  {}: {}", labels[0], severities(rule, profile, lang));
    let _ = writeln!(s, "  {}: {}", labels[1], rule.message.get(lang));
    let _ = writeln!(s, "  {}: {}", labels[2], rule.why);
    let _ = writeln!(s, "  {}:", labels[3]);
    for line in rule.example.lines() {
        let _ = writeln!(s, "      {line}");
    }
    let _ = writeln!(s, "  {}: {}", labels[4], rule.hint.get(lang));
    s
}

fn rule_json(rule: &Rule, profile: Option<Profile>) -> Value {
    let mut v = json!({
        "code": rule.code,
        "area": rule.area(),
        "upload": rule.upload,
        "publication": rule.publication,
        "message": { "en": rule.message.en, "ru": rule.message.ru },
        "hint": { "en": rule.hint.en, "ru": rule.hint.ru },
        "why": rule.why,
        "example": rule.example,
    });
    if let (Some(p), Some(obj)) = (profile, v.as_object_mut()) {
        obj.insert("profile".into(), json!(p));
        obj.insert("severity".into(), json!(rule.severity(p)));
    }
    v
}

/// The `### code` section of the catalogue's Markdown, exactly as in `docs/rules.md`.
fn markdown_section(rule: &Rule) -> String {
    let all = catalog::markdown();
    let heading = format!("### {}\n", rule.code);
    let Some(start) = all.find(&heading) else {
        return String::new();
    };
    let rest = &all[start + heading.len()..];
    let end = ["\n### ", "\n## "]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
        .map_or(rest.len(), |e| e + 1);
    format!("{heading}{}", &rest[..end])
}

/// The message for a code that is not in the catalogue, with the closest codes.
fn unknown_code(code: &str) -> String {
    let close = close_matches(code);
    let mut s = format!("error: there is no rule `{code}`\n");
    match close.as_slice() {
        [] => s.push_str("help: `widgetry rules` lists every rule\n"),
        [one] => {
            let _ = writeln!(s, "help: there is a rule with a similar code: `{one}`");
        }
        many => {
            let list: Vec<String> = many.iter().map(|c| format!("`{c}`")).collect();
            let _ = writeln!(
                s,
                "help: there are rules with similar codes: {}",
                list.join(", ")
            );
        }
    }
    s
}

/// Codes close to `query`: by edit distance to the whole code or to its name after the dot,
/// or containing it; at most five, closest first.
fn close_matches(query: &str) -> Vec<&'static str> {
    let q = query.trim().to_ascii_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let limit = (q.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &'static str)> = catalog::all()
        .filter_map(|r| {
            let name = r.code.split_once('.').map_or(r.code, |(_, n)| n);
            let d = distance(&q, r.code).min(distance(&q, name));
            let contains = q.len() >= 3 && (r.code.contains(&q) || q.contains(name));
            if d <= limit {
                Some((d, r.code))
            } else if contains {
                Some((limit + 1, r.code))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, c)| c).collect()
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }

    #[test]
    fn close_matches_find_typos_and_bare_names() {
        let first = catalog::all().next().map(|r| r.code).unwrap_or_default();
        let typo: String = first.chars().filter(|&c| c != '_').collect();
        assert!(close_matches(&typo).contains(&first), "{typo} -> {first}");
        assert!(close_matches("json.syntx").contains(&"json.syntax"));
        assert!(close_matches("syntax").contains(&"json.syntax"));
        assert!(close_matches("zzzzzzzzzzzzzzzzzz").is_empty());
    }

    #[test]
    fn markdown_sections_are_cut_from_the_catalogue() {
        for rule in catalog::all() {
            let section = markdown_section(rule);
            assert!(section.starts_with(&format!("### {}\n", rule.code)));
            assert!(catalog::markdown().contains(&section));
            assert!(!section.contains("\n### "), "{}", rule.code);
        }
    }
}
