//! Finds files nothing refers to. A file is used when it is a fixed part of a widget
//! (manifest, script.js, style.css, the declared i18n files, the logos), when the manifest
//! names it, or when its name (or, for scripts and templates, its name without extension)
//! appears as a word in any other text file. One linear pass over all text.

use crate::catalog as rules;
use crate::context::{Ctx, is_text_file};
use crate::diag::Loc;
use crate::images::LOGOS;
use crate::paths;
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
    // Every word of every text file (the manifest included) that could name a file, with the
    // first file it appears in and whether it appears in another one too.
    let mut words: HashMap<&str, (&str, bool)> = HashMap::new();
    let texts: Vec<(&str, &str)> = ctx
        .package
        .files()
        .filter(|(p, _)| is_text_file(p))
        .filter_map(|(p, _)| ctx.text(p).map(|t| (p, t)))
        .collect();
    for (file, text) in &texts {
        // Path segments are words of their own, so `lib/helper.js` yields `helper.js`.
        for name in text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
            if !name.is_empty() {
                let entry = words.entry(name).or_insert((file, false));
                if entry.0 != *file {
                    entry.1 = true;
                }
            }
        }
    }
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
        // A mention counts only from another file: a script naming itself is still unused.
        let mentioned = |word: &str| {
            words
                .get(word)
                .is_some_and(|(first, elsewhere)| *elsewhere || *first != path)
        };
        if mentioned(name) || (by_stem && mentioned(stem)) {
            continue;
        }
        ctx.out.add(
            &rules::PACKAGE_UNUSED_FILE,
            Loc::file(path),
            &[("file", &path)],
        );
    }
}
