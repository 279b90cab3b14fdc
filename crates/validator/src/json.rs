//! JSON files with positions: parses manifest and i18n files, knows where every value and key
//! starts (so a finding at `/widget/locale/1` gets a real line and column), refuses nesting
//! past the limit before any recursive parser sees it, and finds duplicate keys, which
//! `serde_json` would silently collapse. Positions are worked out the first time a finding
//! needs one: a clean file costs one pass that records nothing.

use crate::catalog as rules;
use crate::diag::{Findings, Loc};
use crate::lines::LineIndex;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// A parsed JSON file and the positions of its values.
#[derive(Debug)]
pub struct JsonDoc {
    /// The file's path in the package.
    pub file: String,
    /// The parsed value.
    pub value: Value,
    /// Where each value and key starts, by pointer; filled by the first `loc`.
    positions: OnceLock<HashMap<String, Pos>>,
    lines: OnceLock<LineIndex>,
    text: String,
}

#[derive(Debug, Clone, Copy)]
struct Pos {
    key: Option<usize>,
    value: usize,
}

impl JsonDoc {
    /// Parses `text` (already known to be UTF-8, BOM removed). Raises syntax, depth and
    /// duplicate-key findings; returns `None` when there is no value to check further.
    pub fn parse(file: &str, text: &str, max_depth: usize, out: &mut Findings) -> Option<JsonDoc> {
        let quick = scan(text, max_depth, false);
        if let Some(offset) = quick.too_deep_at {
            let (line, column) = LineIndex::new(text).position(text, offset);
            out.add(
                &rules::JSON_TOO_DEEP,
                Loc::at(file, line, column),
                &[("file", &file), ("limit", &max_depth)],
            );
            return None;
        }
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let detail = strip_position(&e.to_string());
                // serde_json counts columns in bytes; findings count characters.
                let lines = LineIndex::new(text);
                let loc = match lines.offset(text, e.line(), e.column()) {
                    Some(offset) => {
                        let (line, column) = lines.position(text, offset);
                        Loc::at(file, line, column)
                    }
                    None => Loc::file(file),
                };
                out.add(
                    &rules::JSON_SYNTAX,
                    loc,
                    &[("file", &file), ("detail", &detail)],
                );
                return None;
            }
        };
        let doc = JsonDoc {
            file: file.to_string(),
            value,
            positions: OnceLock::new(),
            lines: OnceLock::new(),
            text: text.to_string(),
        };
        // serde_json keeps the last of duplicate keys, so the value has fewer keys than the
        // text exactly when the text has duplicates. Only then (or when the quick pass did
        // not read the text to its end) is the text read again, recording pointers, to find
        // them and fill the positions their findings need.
        let duplicates = if quick.finished && quick.keys == key_count(&doc.value) {
            Vec::new()
        } else {
            let full = scan(text, max_depth, true);
            let _ = doc.positions.set(full.positions);
            full.duplicates
        };
        for (pointer, offset) in duplicates {
            let (line, column) = doc.lines().position(text, offset);
            let key = pointer.rsplit('/').next().map(unescape).unwrap_or_default();
            out.add(
                &rules::JSON_DUPLICATE_KEY,
                Loc {
                    file: Some(file.to_string()),
                    pointer: Some(pointer.clone()),
                    line: Some(line),
                    column: Some(column),
                },
                &[("key", &key), ("file", &file)],
            );
        }
        Some(doc)
    }

    /// Where the value at `pointer` starts; the nearest existing parent when it is absent.
    pub fn loc(&self, pointer: &str) -> Loc {
        self.loc_with(pointer, false)
    }

    /// Where the key of the member at `pointer` starts (for findings about the key itself).
    pub fn key_loc(&self, pointer: &str) -> Loc {
        self.loc_with(pointer, true)
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    fn loc_with(&self, pointer: &str, key: bool) -> Loc {
        // The text parsed once already: the recording pass cannot stop any earlier.
        let positions = self
            .positions
            .get_or_init(|| scan(&self.text, usize::MAX, true).positions);
        let mut probe = pointer;
        let pos = loop {
            if let Some(p) = positions.get(probe) {
                break Some(p);
            }
            match probe.rfind('/') {
                Some(i) => probe = &probe[..i],
                None => break None,
            }
        };
        let mut loc = Loc::file(self.file.clone());
        loc.pointer = Some(pointer.to_string());
        if let Some(p) = pos {
            let offset = if key {
                p.key.unwrap_or(p.value)
            } else {
                p.value
            };
            let (line, column) = self.lines().position(&self.text, offset);
            loc.line = Some(line);
            loc.column = Some(column);
        }
        loc
    }

    /// The value at a pointer: what `serde_json`'s `Value::pointer` finds, without its two
    /// copies of every segment (the checks ask for a few hundred pointers per package).
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(&self.value);
        }
        let rest = pointer.strip_prefix('/')?;
        rest.split('/')
            .try_fold(&self.value, |target, segment| match target {
                Value::Object(map) => map.get(unescape(segment).as_ref()),
                Value::Array(list) => array_index(segment).and_then(|i| list.get(i)),
                _ => None,
            })
    }
}

/// Escapes a key for use in a JSON pointer (RFC 6901).
pub fn escape(key: &str) -> Cow<'_, str> {
    if !key.contains(['~', '/']) {
        return Cow::Borrowed(key);
    }
    Cow::Owned(key.replace('~', "~0").replace('/', "~1"))
}

/// The pointer of the member `key` of the object at `parent`.
pub fn child_pointer(parent: &str, key: &str) -> String {
    let key = escape(key);
    let mut pointer = String::with_capacity(parent.len() + 1 + key.len());
    pointer.push_str(parent);
    pointer.push('/');
    pointer.push_str(&key);
    pointer
}

/// Undoes [`escape`].
pub fn unescape(segment: &str) -> Cow<'_, str> {
    if !segment.contains('~') {
        return Cow::Borrowed(segment);
    }
    Cow::Owned(segment.replace("~1", "/").replace("~0", "~"))
}

/// An array index in a pointer: decimal digits, no sign, no leading zero (RFC 6901).
fn array_index(segment: &str) -> Option<usize> {
    if segment.starts_with('+') || (segment.starts_with('0') && segment.len() != 1) {
        return None;
    }
    segment.parse().ok()
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[derive(Default)]
struct Scan {
    positions: HashMap<String, Pos>,
    /// Found only by the recording pass.
    duplicates: Vec<(String, usize)>,
    too_deep_at: Option<usize>,
    /// The keys of every object, duplicates included.
    keys: usize,
    /// The text was read to its end.
    finished: bool,
}

/// The keys of every object in a value.
fn key_count(value: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                count += map.len();
                stack.extend(map.values());
            }
            Value::Array(list) => stack.extend(list),
            _ => {}
        }
    }
    count
}

enum Frame<'t> {
    Object {
        pointer: String,
        keys: HashSet<Cow<'t, str>>,
    },
    Array {
        pointer: String,
        index: usize,
    },
}

/// One pass over the text, iterative (no recursion, whatever the nesting), that finds nesting
/// past `max_depth` and counts keys and, when `record` is set, finds duplicate keys and the
/// start of every value and key by pointer. It trusts nothing: on text that
/// is not JSON it simply stops, and `serde_json` reports the syntax error.
fn scan(text: &str, max_depth: usize, record: bool) -> Scan {
    let b = text.as_bytes();
    let mut out = Scan::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    // The pointer and key offset of the value about to be read.
    let mut pending: Option<(String, Option<usize>)> = Some((String::new(), None));
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // Inside an object with no value pending, the next token is a key or a `}`.
        if pending.is_none()
            && let Some(Frame::Object { pointer, keys }) = stack.last_mut()
        {
            if c == b'}' {
                stack.pop();
                i += 1;
                continue;
            }
            if c != b'"' {
                return out;
            }
            let Some(end) = string_end(b, i) else {
                return out;
            };
            out.keys += 1;
            let child = if record {
                // Most keys have no escapes: they are the text between the quotes.
                let raw = text.get(i + 1..end - 1).unwrap_or_default();
                let key: Cow<'_, str> = if raw.contains('\\') {
                    Cow::Owned(serde_json::from_str(&text[i..end]).unwrap_or_default())
                } else {
                    Cow::Borrowed(raw)
                };
                let child = child_pointer(pointer, &key);
                // A set, not a list: an object of many keys costs one lookup per key.
                if !keys.insert(key) {
                    out.duplicates.push((child.clone(), i));
                }
                child
            } else {
                String::new()
            };
            pending = Some((child, Some(i)));
            i = end;
            continue;
        }
        if pending.is_none() {
            match stack.last_mut() {
                Some(Frame::Array { pointer, index }) => {
                    if c == b']' {
                        stack.pop();
                        i += 1;
                        continue;
                    }
                    let child = if record {
                        format!("{pointer}/{index}")
                    } else {
                        String::new()
                    };
                    pending = Some((child, None));
                    *index += 1;
                }
                _ => return out,
            }
        }
        let Some((pointer, key)) = pending.take() else {
            return out;
        };
        if record {
            out.positions
                .entry(pointer.clone())
                .or_insert(Pos { key, value: i });
        }
        match c {
            b'{' | b'[' => {
                if stack.len() >= max_depth {
                    out.too_deep_at = Some(i);
                    return out;
                }
                stack.push(if c == b'{' {
                    Frame::Object {
                        pointer,
                        keys: HashSet::new(),
                    }
                } else {
                    Frame::Array { pointer, index: 0 }
                });
                i += 1;
            }
            b'"' => {
                let Some(end) = string_end(b, i) else {
                    return out;
                };
                i = end;
            }
            // A closer where a value should be (`[1, }`): not JSON; stop, or the loop would
            // never advance and would record a new pointer on every turn.
            b'}' | b']' => return out,
            _ => {
                while i < b.len()
                    && !matches!(b[i], b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    i += 1;
                }
            }
        }
    }
    out.finished = true;
    out
}

/// The offset just past the closing quote of the string starting at `start`.
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> (Option<JsonDoc>, Findings) {
        let mut f = Findings::default();
        let d = JsonDoc::parse("manifest.json", text, 64, &mut f);
        (d, f)
    }

    #[test]
    fn positions_of_values_and_keys() {
        let text =
            "{\n  \"widget\": {\n    \"locale\": [\"ru\", \"en\"],\n    \"a/b\": 1\n  }\n}\n";
        let (d, f) = doc(text);
        let d = d.unwrap();
        assert!(f.items().is_empty());
        let l = d.loc("/widget/locale/1");
        assert_eq!((l.line, l.column), (Some(3), Some(22)));
        let k = d.key_loc("/widget/locale");
        assert_eq!((k.line, k.column), (Some(3), Some(5)));
        let e = d.key_loc("/widget/a~1b");
        assert_eq!((e.line, e.column), (Some(4), Some(5)));
        // An absent member points at its nearest parent.
        let m = d.loc("/widget/name");
        assert_eq!((m.line, m.column), (Some(2), Some(13)));
    }

    #[test]
    fn get_finds_what_serde_json_pointer_finds() {
        let text = r#"{"a": {"b/c": [10, {"d~e": true}], "": 1, "0": 2, "~1": 3}, "l": [0, 1]}"#;
        let (d, _) = doc(text);
        let d = d.unwrap();
        for pointer in [
            "",
            "/",
            "/a",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1/d~0e",
            "/a/",
            "/a/0",
            "/a/~01",
            "/a/b/c",
            "/l/1",
            "/l/01",
            "/l/+1",
            "/l/-1",
            "/l/2",
            "/l/1/x",
            "a",
            "/x",
            "/a/~1",
        ] {
            assert_eq!(d.get(pointer), d.value.pointer(pointer), "{pointer}");
        }
    }

    #[test]
    fn columns_count_characters() {
        let (d, _) = doc("{\"имя\": \"значение\", \"x\": 1}");
        let l = d.unwrap().loc("/x");
        assert_eq!(l.column, Some(26));
    }

    #[test]
    fn duplicate_keys_are_found() {
        let (_, f) = doc("{\"a\": 1,\n \"a\": 2}");
        assert_eq!(f.items().len(), 1);
        assert_eq!(f.items()[0].rule.code, "json.duplicate_key");
        assert_eq!(f.items()[0].loc.line, Some(2));
    }

    #[test]
    fn duplicate_keys_are_found_wherever_they_are() {
        // Inside a value that a later duplicate replaces, spelled with an escape, in an
        // array; and none where the same key is in different objects.
        for (text, expected) in [
            (r#"{"a": {"x": 1, "x": 2}, "a": 3}"#, vec!["/a/x", "/a"]),
            (r#"{"a": 1, "\u0061": 2}"#, vec!["/a"]),
            (r#"[{"k": 1}, {"k": 2, "k": 3}]"#, vec!["/1/k"]),
            (r#"{"a": {"k": 1}, "b": {"k": 1}, "c": [{"k": 1}]}"#, vec![]),
        ] {
            let (_, f) = doc(text);
            let found: Vec<_> = f
                .items()
                .iter()
                .map(|d| d.loc.pointer.clone().unwrap_or_default())
                .collect();
            assert_eq!(found, expected, "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let (d, f) = doc(&text);
        assert!(d.is_none());
        assert_eq!(f.items()[0].rule.code, "json.too_deep");
        assert_eq!(f.items()[0].loc.column, Some(65));
    }

    #[test]
    fn syntax_error_columns_count_characters() {
        let (_, f) = doc("{\"имя\": \"значение\" \"x\": 1}");
        assert_eq!(f.items()[0].rule.code, "json.syntax");
        assert_eq!(f.items()[0].loc.column, Some(20));
    }

    #[test]
    fn a_closer_in_place_of_a_value_ends_the_scan() {
        // Found by fuzzing: `}` inside an array used to loop forever, adding a pointer per turn.
        for text in ["{\"a\": [\"x\",, 2}", "[1, }", "{\"a\": ]}", "[}"] {
            let (d, f) = doc(text);
            assert!(d.is_none(), "{text}");
            assert_eq!(f.items()[0].rule.code, "json.syntax", "{text}");
        }
    }

    #[test]
    fn syntax_errors_have_positions() {
        let (d, f) = doc("{\n  \"a\": 1,\n  \"b\": }\n");
        assert!(d.is_none());
        let item = &f.items()[0];
        assert_eq!(item.rule.code, "json.syntax");
        assert_eq!(item.loc.line, Some(3));
        assert!(item.args[1].1.contains("expected value"), "{:?}", item.args);
    }
}
