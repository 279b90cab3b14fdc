//! Checks the texts a listing shows, in every language: name (at most 30 characters, no word
//! over 19, no platform brand), short description (at most 50), install-screen description
//! (at most 400 characters of text, no scripts).

use crate::catalog as rules;
use crate::context::Ctx;
use crate::diag::{Findings, Loc};
use crate::json::escape;
use crate::manifest::MANIFEST;
use serde_json::Value;

const NAME_LIMIT: usize = 30;
const NAME_WORD_LIMIT: usize = 19;
const SHORT_LIMIT: usize = 50;
const DESCRIPTION_LIMIT: usize = 400;

/// Runs the listing rules.
pub fn check(ctx: &mut Ctx<'_>) {
    let Some(manifest) = ctx.manifest.as_ref() else {
        return;
    };
    let fields = [
        "/widget/name",
        "/widget/short_description",
        "/widget/description",
    ];
    let mut findings = Vec::new();
    for field in fields {
        let Some(Value::String(value)) = manifest.get(field) else {
            continue;
        };
        let mut resolved_somewhere = false;
        for (locale, doc) in &ctx.i18n {
            let pointer: String = value
                .split('.')
                .map(|p| format!("/{}", escape(p)))
                .collect();
            if let Some(Value::String(text)) = doc.get(&pointer) {
                resolved_somewhere = true;
                let judged = judge(field, text, &format!("i18n/{locale}.json"));
                findings.extend(placed(judged, || doc.loc(&pointer)));
            }
        }
        if !resolved_somewhere {
            findings.extend(placed(judge(field, value, MANIFEST), || {
                manifest.loc(field)
            }));
        }
    }
    emit(&mut ctx.out, findings);
}

/// Holds a new listing name given outside the package (a submission's name change) to the
/// name rules; `label` names where it came from in messages.
pub fn check_name(out: &mut Findings, text: &str, loc: Loc, label: &str) {
    emit(out, placed(judge("/widget/name", text, label), || loc));
}

/// Holds a new install-screen description given outside the package (a submission's
/// description change) to the description rules; `label` names where it came from.
pub fn check_description(out: &mut Findings, text: &str, loc: Loc, label: &str) {
    emit(
        out,
        placed(judge("/widget/description", text, label), || loc),
    );
}

fn emit(out: &mut Findings, findings: Vec<Pending>) {
    for (rule, loc, args) in findings {
        let args: Vec<(&'static str, &dyn std::fmt::Display)> = args
            .iter()
            .map(|(k, v)| (*k, v as &dyn std::fmt::Display))
            .collect();
        out.add(rule, loc, &args);
    }
}

type Pending = (
    &'static crate::catalog::Rule,
    Loc,
    Vec<(&'static str, String)>,
);

/// A rule a text breaks, with the message's arguments: a finding still without its place.
type Judged = (&'static crate::catalog::Rule, Vec<(&'static str, String)>);

/// Gives every judged finding the same place. The place is looked up only when there is a
/// finding: in a language file the first lookup costs a second pass over the file.
fn placed(judged: Vec<Judged>, loc: impl FnOnce() -> Loc) -> Vec<Pending> {
    if judged.is_empty() {
        return Vec::new();
    }
    let loc = loc();
    judged
        .into_iter()
        .map(|(rule, args)| (rule, loc.clone(), args))
        .collect()
}

fn judge(field: &str, text: &str, file: &str) -> Vec<Judged> {
    let mut out: Vec<Judged> = Vec::new();
    let f = ("file", file.to_string());
    match field {
        "/widget/name" => {
            let count = text.chars().count();
            if count > NAME_LIMIT {
                out.push((
                    &rules::LISTING_NAME_LENGTH,
                    vec![
                        f.clone(),
                        ("count", count.to_string()),
                        ("limit", NAME_LIMIT.to_string()),
                    ],
                ));
            }
            if let Some(word) = text
                .split_whitespace()
                .find(|w| w.chars().count() > NAME_WORD_LIMIT)
            {
                out.push((
                    &rules::LISTING_NAME_WORD_LENGTH,
                    vec![
                        f.clone(),
                        ("word", word.to_string()),
                        ("count", word.chars().count().to_string()),
                        ("limit", NAME_WORD_LIMIT.to_string()),
                    ],
                ));
            }
            let lower = text.to_lowercase();
            for brand in ["amocrm", "kommo"] {
                if lower.contains(brand) {
                    let shown = if brand == "amocrm" { "amoCRM" } else { "Kommo" };
                    out.push((
                        &rules::LISTING_BRAND_NAME,
                        vec![f.clone(), ("brand", shown.to_string())],
                    ));
                }
            }
        }
        "/widget/short_description" => {
            let count = text.chars().count();
            if count > SHORT_LIMIT {
                out.push((
                    &rules::LISTING_SHORT_DESCRIPTION_LENGTH,
                    vec![
                        f,
                        ("count", count.to_string()),
                        ("limit", SHORT_LIMIT.to_string()),
                    ],
                ));
            }
        }
        _ => {
            let count = visible_text(text).chars().count();
            if count > DESCRIPTION_LIMIT {
                out.push((
                    &rules::LISTING_DESCRIPTION_LENGTH,
                    vec![
                        f.clone(),
                        ("count", count.to_string()),
                        ("limit", DESCRIPTION_LIMIT.to_string()),
                    ],
                ));
            }
            if crate::loaders::script_tag(text).is_some() {
                out.push((&rules::LISTING_DESCRIPTION_SCRIPT, vec![f]));
            }
        }
    }
    out
}

/// The text of an HTML fragment without its tags.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_do_not_count() {
        assert_eq!(
            visible_text("<b>Hi</b> <a href=\"x\">there</a>"),
            "Hi there"
        );
    }
}
