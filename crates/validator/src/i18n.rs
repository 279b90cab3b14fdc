//! Checks the language files: `i18n/<locale>.json` for every declared locale (and every
//! publication language of a submission that has a file), parsed with positions; the same
//! key structure in all of them; no empty texts; and every i18n key the manifest uses
//! (collected in `ctx.i18n_refs`) resolving in every language.

use crate::catalog as rules;
use crate::context::Ctx;
use crate::diag::Loc;
use crate::json::{JsonDoc, child_pointer, escape};
use crate::manifest::describe;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Runs the i18n rules.
pub fn check(ctx: &mut Ctx<'_>) {
    let locales = ctx.locales();
    if ctx.manifest.is_none() {
        return;
    }
    for (path, _) in ctx.package.files() {
        if let Some(locale) = path
            .strip_prefix("i18n/")
            .and_then(|f| f.strip_suffix(".json"))
            && !locale.contains('/')
            && !locales.iter().any(|l| l == locale)
        {
            ctx.out.add(
                &rules::I18N_UNDECLARED_FILE,
                Loc::file(path),
                &[("file", &path), ("locale", &locale)],
            );
        }
    }
    // Publication languages the manifest does not declare are read when their file exists
    // (the submission check reports the language itself, `i18n.undeclared_file` the file).
    let extra: Vec<String> = ctx
        .languages
        .iter()
        .filter(|l| !locales.contains(l) && ctx.package.contains(&format!("i18n/{l}.json")))
        .cloned()
        .collect();
    let mut seen = Vec::new();
    for locale in locales.iter().chain(&extra) {
        if seen.contains(locale) {
            continue;
        }
        seen.push(locale.clone());
        let path = format!("i18n/{locale}.json");
        if !ctx.package.contains(&path) {
            // Located at the missing file, as every finding about a missing file is.
            ctx.out.add(
                &rules::I18N_MISSING_FILE,
                Loc::file(&path),
                &[("locale", locale)],
            );
            continue;
        }
        let Some(text) = ctx.text(&path) else {
            continue;
        };
        let Some(doc) =
            JsonDoc::parse(&path, text, ctx.options.limits.max_json_depth, &mut ctx.out)
        else {
            continue;
        };
        if !doc.value.is_object() {
            let found = describe(&doc.value, ctx.options.lang);
            ctx.out.add(
                &rules::JSON_NOT_OBJECT,
                doc.loc(""),
                &[("file", &path), ("found", &found)],
            );
            continue;
        }
        ctx.i18n.insert(locale.clone(), doc);
    }
    // Every file's leaves, once: the three checks below read them.
    let leaves: Leaves = ctx
        .i18n
        .iter()
        .map(|(l, d)| (l.clone(), leaves(&d.value)))
        .collect();
    check_leaves(ctx, &leaves);
    check_structure(ctx, &leaves);
    check_refs(ctx, &leaves);
}

/// Each file's leaves, by locale.
type Leaves = BTreeMap<String, FileLeaves>;

/// The leaves of one language file.
struct FileLeaves {
    /// Dot path -> leaf.
    by_path: BTreeMap<String, Leaf>,
    /// The JSON pointer of every object member, in the order [`leaves`] meets them: spelled
    /// all at once, in one walk, the first time a finding needs one (a clean file spells
    /// none; a file with many findings does not walk its objects once per finding).
    pointers: OnceLock<Vec<String>>,
}

impl FileLeaves {
    /// The JSON pointer of a leaf of this file, whose value is `value`.
    fn pointer(&self, value: &Value, leaf: &Leaf) -> String {
        let pointers = self.pointers.get_or_init(|| {
            let mut out = Vec::new();
            walk_members(value, String::new(), |parent, key, _| {
                let member = child_pointer(parent, key);
                out.push(member.clone());
                member
            });
            out
        });
        pointers.get(leaf.node).cloned().unwrap_or_default()
    }
}

/// Calls `visit(parent's state, key, value)` for every member of every object in `value`,
/// depth first and always in the same order, and hands the state it returns for an object to
/// that object's members. [`leaves`] numbers members in this order and
/// [`FileLeaves::pointer`] spells them in it: one walk, so the two always agree.
fn walk_members<'v, S>(
    value: &'v Value,
    root: S,
    mut visit: impl FnMut(&S, &'v str, &'v Value) -> S,
) {
    let mut stack = vec![(root, value)];
    while let Some((state, v)) = stack.pop() {
        if let Value::Object(map) = v {
            for (key, child) in map {
                let member = visit(&state, key, child);
                if child.is_object() {
                    stack.push((member, child));
                }
            }
        }
    }
}

/// A value that is not an object.
struct Leaf {
    /// Its member's place in the order [`leaves`] meets members.
    node: usize,
    /// It is a text of blanks only.
    blank: bool,
}

/// The leaves of one file.
fn leaves(value: &Value) -> FileLeaves {
    let mut by_path = BTreeMap::new();
    let mut members = 0;
    walk_members(value, String::new(), |dots, key, child| {
        // Spelled with `push_str`: `format!` cost more than the rest of the walk.
        let mut path = String::with_capacity(dots.len() + 1 + key.len());
        if !dots.is_empty() {
            path.push_str(dots);
            path.push('.');
        }
        path.push_str(key);
        let node = members;
        members += 1;
        if child.is_object() {
            return path;
        }
        if !path.is_empty() {
            let blank = matches!(child, Value::String(s) if s.trim().is_empty());
            by_path.insert(path, Leaf { node, blank });
        }
        // A leaf has no members: its state is never read.
        String::new()
    });
    FileLeaves {
        by_path,
        pointers: OnceLock::new(),
    }
}

fn check_leaves(ctx: &mut Ctx<'_>, leaves: &Leaves) {
    for (locale, file) in leaves {
        let Some(doc) = ctx.i18n.get(locale) else {
            continue;
        };
        // Anything but a blank text is data the widget may read through `self.i18n()`
        // (month names, numbers); only the keys manifest.json shows must be texts.
        for (key, leaf) in file.by_path.iter().filter(|(_, leaf)| leaf.blank) {
            ctx.out.add(
                &rules::I18N_EMPTY_VALUE,
                doc.loc(&file.pointer(&doc.value, leaf)),
                &[("key", key), ("locale", locale)],
            );
        }
    }
}

fn check_structure(ctx: &mut Ctx<'_>, all: &Leaves) {
    for (locale, file) in all {
        let Some(doc) = ctx.i18n.get(locale) else {
            continue;
        };
        let keys = &file.by_path;
        // Each key missing here is reported once, naming the first language that has it.
        let mut reported = std::collections::BTreeSet::new();
        for (other, other_file) in all {
            if other == locale {
                continue;
            }
            let Some(other_doc) = ctx.i18n.get(other) else {
                continue;
            };
            for (key, leaf) in &other_file.by_path {
                if !keys.contains_key(key) && !covered(keys, key) && reported.insert(key.clone()) {
                    // The other file's pointer, placed in this file (its nearest parent here).
                    let pointer = other_file.pointer(&other_doc.value, leaf);
                    ctx.out.add(
                        &rules::I18N_STRUCTURE_MISMATCH,
                        doc.loc(&pointer),
                        &[("key", key), ("locale", locale), ("other", other)],
                    );
                }
            }
        }
    }
}

/// Whether a key is absent only because a parent is a leaf here (a type difference, which the
/// parent's own mismatch already shows).
fn covered(keys: &BTreeMap<String, Leaf>, key: &str) -> bool {
    let mut prefix = key;
    while let Some((p, _)) = prefix.rsplit_once('.') {
        if keys.contains_key(p) {
            return true;
        }
        prefix = p;
    }
    false
}

/// Looks a dot path up in an i18n value, whatever is at the end.
fn lookup<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    let mut v = value;
    for part in key.split('.') {
        v = v.get(part)?;
    }
    Some(v)
}

/// Looks a dot path up in an i18n value; a text (or number) at the end resolves.
fn resolve<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    lookup(value, key).filter(|v| matches!(v, Value::String(_) | Value::Number(_)))
}

/// Whether a manifest text looks like an i18n key: dot-separated identifiers, no spaces.
fn looks_like_key(s: &str) -> bool {
    s.contains('.')
        && s.split('.').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
}

fn check_refs(ctx: &mut Ctx<'_>, leaves: &Leaves) {
    let Some(manifest) = ctx.manifest.as_ref() else {
        return;
    };
    let mut refs = ctx.i18n_refs.clone();
    if ctx.has_location("ai_agent") {
        refs.push((
            "/locations".to_string(),
            "widget.ai_agent_description".to_string(),
        ));
    }
    let locales: Vec<String> = ctx.i18n.keys().cloned().collect();
    for (pointer, value) in refs {
        let field = pointer.trim_start_matches('/').replace('/', ".");
        let resolves_somewhere = ctx
            .i18n
            .values()
            .any(|d| resolve(&d.value, &value).is_some());
        if !resolves_somewhere && !looks_like_key(&value) {
            ctx.out.add(
                &rules::I18N_PLAIN_TEXT,
                manifest.loc(&pointer),
                &[("field", &field)],
            );
            continue;
        }
        for locale in &locales {
            let Some(doc) = ctx.i18n.get(locale) else {
                continue;
            };
            if resolve(&doc.value, &value).is_some() {
                continue;
            }
            if let Some(other) = lookup(&doc.value, &value) {
                let found = describe(other, ctx.options.lang);
                let at = format!(
                    "/{}",
                    value.split('.').map(escape).collect::<Vec<_>>().join("/")
                );
                ctx.out.add(
                    &rules::I18N_WRONG_TYPE,
                    doc.loc(&at),
                    &[
                        ("key", &value),
                        ("locale", locale),
                        ("found", &found),
                        ("field", &field),
                    ],
                );
                continue;
            }
            let nested = nested_example(&value);
            let candidates: Vec<&str> = leaves
                .values()
                .flat_map(|file| file.by_path.keys().map(String::as_str))
                .collect();
            let suggestion = rules::similar(
                ctx.options.lang,
                rules::Similar::Key,
                crate::manifest::suggest(&value, &candidates),
            );
            ctx.out.add(
                &rules::I18N_KEY_UNRESOLVED,
                manifest.loc(&pointer),
                &[
                    ("field", &field),
                    ("key", &value),
                    ("locale", locale),
                    ("nested", &nested),
                    ("suggestion", &suggestion),
                ],
            );
        }
    }
}

/// `a.b.c` -> `{"a": {"b": {"c": "..."}}}`.
fn nested_example(key: &str) -> String {
    let parts: Vec<&str> = key.split('.').collect();
    let mut out = String::new();
    for p in &parts {
        out.push_str(&format!("{{\"{p}\": "));
    }
    out.push_str("\"...\"");
    out.push_str(&"}".repeat(parts.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leaf_pointer_is_spelled_from_its_members() {
        let value: Value = serde_json::from_str(
            r#"{"a": {"x": 1, "b/c": {"d~e": " ", "f": [1]}}, "g": "h", "": {"": 2}}"#,
        )
        .unwrap_or_default();
        let file = leaves(&value);
        let pointers: BTreeMap<&str, String> = file
            .by_path
            .iter()
            .map(|(path, leaf)| (path.as_str(), file.pointer(&value, leaf)))
            .collect();
        // Members with empty names make no dot path, and no leaf.
        let expected = [
            ("a.b/c.d~e", "/a/b~1c/d~0e"),
            ("a.b/c.f", "/a/b~1c/f"),
            ("a.x", "/a/x"),
            ("g", "/g"),
        ];
        assert_eq!(
            pointers
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
            expected
        );
        for (path, pointer) in &pointers {
            assert!(value.pointer(pointer).is_some(), "{path}: {pointer}");
        }
    }
}
