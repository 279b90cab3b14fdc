//! Finds files nothing refers to. A file is used when it is a fixed part of a widget
//! (manifest, script.js, style.css, the declared i18n files, the logos), when the manifest
//! names it, or when its name (or, for scripts and templates, its name without extension)
//! appears as a word in any other text file. One pass over each text file, looking for the
//! candidate names only (one Aho-Corasick automaton).

use crate::catalog as rules;
use crate::context::{Ctx, is_text_file};
use crate::diag::Loc;
use crate::images::LOGOS;
use crate::paths;
use aho_corasick::AhoCorasick;
use std::collections::{HashMap, HashSet};

/// Runs the unused-file rule.
pub fn check(ctx: &mut Ctx<'_>) {
    if ctx.manifest.is_none() {
        return;
    }
    let mut fixed: HashSet<String> = [
        "manifest.json",
        "script.js",
        "style.css",
        "amoforms.js",
        "widget.php",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for locale in ctx.locales() {
        fixed.insert(format!("i18n/{locale}.json"));
    }
    for (name, ..) in LOGOS {
        fixed.insert(format!("images/{name}"));
    }
    // The words that would name each candidate file: its name, and for scripts and
    // templates its stem.
    let mut words: Vec<&str> = Vec::new();
    let mut ids_of: HashMap<&str, usize> = HashMap::new();
    let mut candidates: Vec<(&str, Vec<usize>)> = Vec::new();
    for (path, _) in ctx.package.files() {
        if fixed.contains(path) || path.starts_with("i18n/") {
            continue;
        }
        let name = paths::file_name(path);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let by_stem = matches!(
            paths::extension(path).as_deref(),
            Some("js" | "twig" | "html" | "tpl" | "css")
        );
        let mut ids = Vec::new();
        for word in [Some(name), by_stem.then_some(stem)].into_iter().flatten() {
            if word.is_empty() {
                continue;
            }
            let id = *ids_of.entry(word).or_insert_with(|| {
                words.push(word);
                words.len() - 1
            });
            ids.push(id);
        }
        candidates.push((path, ids));
    }
    if candidates.is_empty() {
        return;
    }
    // Where each word appears as a whole word (letters, digits, `_`, `.` and `-` make up
    // words; path separators split them, so `lib/helper.js` names `helper.js`): the files,
    // at most two distinct ones per word are needed. One pass over each text.
    let mut seen_in: Vec<Vec<&str>> = vec![Vec::new(); words.len()];
    let Ok(automaton) = AhoCorasick::new(&words) else {
        return;
    };
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '-');
    for (file, _) in ctx.package.files() {
        if !is_text_file(file) {
            continue;
        }
        let Some(text) = ctx.text(file) else { continue };
        for m in automaton.find_overlapping_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if before.is_some_and(is_word) || after.is_some_and(is_word) {
                continue;
            }
            let files = &mut seen_in[m.pattern().as_usize()];
            if files.len() < 2 && !files.contains(&file) {
                files.push(file);
            }
        }
    }
    for (path, ids) in candidates {
        // A mention counts only from another file: a script naming itself is still unused.
        let mentioned = ids.iter().any(|id| seen_in[*id].iter().any(|f| *f != path));
        if mentioned {
            continue;
        }
        ctx.out.add(
            &rules::PACKAGE_UNUSED_FILE,
            Loc::file(path),
            &[("file", &path)],
        );
    }
}
