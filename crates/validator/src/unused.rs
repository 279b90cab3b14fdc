//! Finds files nothing refers to. A file is used when it is a fixed part of a widget
//! (manifest, script.js, style.css, the declared i18n files, the logos), when the manifest
//! names it, or when its name (or, for scripts and templates, its name without extension)
//! appears as a word in any other text file. One pass over each text file, looking for the
//! candidate names only.

use crate::catalog as rules;
use crate::context::Ctx;
use crate::diag::Loc;
use crate::images::LOGOS;
use crate::paths;
use aho_corasick::{AhoCorasick, packed};
use memchr::memmem::Finder;
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
    let texts: Vec<(&str, &str)> = ctx.texts().collect();
    let seen_in = mentions(&words, &texts);
    for (path, ids) in candidates {
        // A mention counts only from another file: a script naming itself is still unused.
        let mentioned = ids.iter().any(|id| {
            seen_in
                .get(*id)
                .is_some_and(|f| f.iter().any(|f| *f != path))
        });
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

/// Where each word appears as a whole word: the files, at most two distinct ones per word
/// (enough to know whether a file other than the word's own names it). One pass over each
/// text for all the words.
///
/// When every word is made of word characters only (the usual file names), Teddy (the SIMD
/// multi-pattern search of `aho-corasick`) finds them with leftmost-longest matches: a
/// match hides an overlapping occurrence only when that occurrence is not a whole word, as
/// the hidden one would need a separator inside the match. Words shorter than four bytes
/// (`dp`, `row`) would make Teddy's fingerprints match almost everywhere in code, so a few
/// of them are looked for one by one with `memmem` instead. Otherwise, or when Teddy cannot
/// be built (too many words, no SIMD), an overlapping Aho-Corasick automaton does it all.
fn mentions<'t>(words: &[&str], texts: &[(&'t str, &str)]) -> Vec<Vec<&'t str>> {
    let mut seen_in: Vec<Vec<&str>> = vec![Vec::new(); words.len()];
    let mut record = |file: &'t str, text: &str, id: usize, start: usize, end: usize| {
        if whole_word(text, start, end)
            && let Some(files) = seen_in.get_mut(id)
            && files.len() < 2
            && !files.contains(&file)
        {
            files.push(file);
        }
    };
    let plain = words.iter().all(|w| w.chars().all(is_word));
    let (mut short, mut long): (Vec<usize>, Vec<usize>) =
        (0..words.len()).partition(|&id| words[id].len() < SHORT_WORD);
    if short.len() > MAX_SHORT_WORDS {
        long = (0..words.len()).collect();
        short.clear();
    }
    let teddy = if plain && !long.is_empty() {
        packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(long.iter().map(|&id| words[id]))
            .build()
    } else {
        None
    };
    if plain && (teddy.is_some() || long.is_empty()) {
        let finders: Vec<(usize, Finder<'_>)> = short
            .iter()
            .map(|&id| (id, Finder::new(words[id])))
            .collect();
        for (file, text) in texts {
            for m in teddy.iter().flat_map(|t| t.find_iter(text)) {
                if let Some(&id) = long.get(m.pattern().as_usize()) {
                    record(file, text, id, m.start(), m.end());
                }
            }
            for (id, finder) in &finders {
                for at in finder.find_iter(text.as_bytes()) {
                    record(file, text, *id, at, at + words[*id].len());
                }
            }
        }
    } else if let Ok(automaton) = AhoCorasick::new(words) {
        for (file, text) in texts {
            for m in automaton.find_overlapping_iter(*text) {
                record(file, text, m.pattern().as_usize(), m.start(), m.end());
            }
        }
    }
    seen_in
}

/// Words shorter than this many bytes are looked for one by one...
const SHORT_WORD: usize = 4;
/// ... when there are at most this many of them (each costs a pass over the texts).
const MAX_SHORT_WORDS: usize = 8;

/// Letters, digits, `_`, `.` and `-` make up words; path separators split them, so
/// `lib/helper.js` names `helper.js`.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Whether `text[start..end]` is a whole word.
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !(before.is_some_and(is_word) || after.is_some_and(is_word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teddy_and_the_automaton_agree() {
        let texts = [
            (
                "script.js",
                "define(['./lib/helper'], function () { var t = 'row.twig'; });",
            ),
            (
                "lib/helper.js",
                "// helper.js names itself; see also x-card.twig and menu",
            ),
            (
                "lib/other.js",
                "var a = 'not_list.twig', b = 'list.twig.bak', c = '../menu';",
            ),
            (
                "templates/row.twig",
                "<div>{{ card }} rows row.twigs row-row row</div>",
            ),
        ];
        let mut words = vec![
            "helper.js",
            "helper",
            "row.twig",
            "row",
            "list.twig",
            "list",
            "menu.twig",
            "menu",
            "card.twig",
            "card",
            "other.js",
            "other",
        ];
        let found = mentions(&words, &texts);
        let expected: Vec<Vec<&str>> = vec![
            vec!["lib/helper.js"],
            vec!["script.js"],
            vec!["script.js"],
            vec!["templates/row.twig"],
            vec![],
            vec![],
            vec![],
            vec!["lib/helper.js", "lib/other.js"],
            vec![],
            vec!["templates/row.twig"],
            vec![],
            vec![],
        ];
        assert_eq!(found, expected);
        // A name with a space is not a plain word: the automaton finds the same mentions.
        words.push("my file.js");
        let found = mentions(&words, &texts);
        assert_eq!(found[..12], expected[..]);
        assert!(found[12].is_empty());
    }

    /// `mentions` through the automaton (a name with a space makes the set not plain).
    fn by_automaton<'t>(words: &[&str], texts: &[(&'t str, &str)]) -> Vec<Vec<&'t str>> {
        let mut all = words.to_vec();
        all.push("not plain");
        let mut found = mentions(&all, texts);
        found.pop();
        found
    }

    #[test]
    fn short_names_alone_or_many_are_found_the_same_way() {
        let texts = [
            (
                "script.js",
                "var a = 'dp', b = dp.x, c = 'ab.js'; // row rows ui-kit ui",
            ),
            ("t.twig", "{{ row }} {{ dpx }} [a] ui.js"),
        ];
        // Only short names: no Teddy at all.
        let words = ["dp", "row", "ui", "a"];
        let found = mentions(&words, &texts);
        assert_eq!(found, by_automaton(&words, &texts));
        assert_eq!(found[1], ["script.js", "t.twig"]);
        assert_eq!(found[2], ["script.js"]);
        // More short names than are searched one by one: Teddy takes them all.
        let words = [
            "dp", "row", "ui", "a", "b", "c", "x", "ab", "js", "kit", "ui.js",
        ];
        assert_eq!(mentions(&words, &texts), by_automaton(&words, &texts));
    }
}
