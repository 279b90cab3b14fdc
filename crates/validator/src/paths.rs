//! Entry names: which are safe, their normal form, the key under which two names count as the
//! same file on a case-insensitive or Unicode-normalising file system, and the media type a
//! file is served with.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// Why an entry name is unsafe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    /// Nothing left after normalisation.
    Empty,
    /// Starts with `/`, or with a drive letter such as `C:`.
    Absolute,
    /// Has a `..` segment.
    Traversal,
    /// Uses `\` as a separator.
    Backslash,
    /// Has NUL or another control character.
    ControlChar,
}

/// Checks an entry name and returns its normal form: `/`-separated, without `.` and empty
/// segments, without a trailing slash.
pub fn normalize(name: &str) -> Result<String, PathProblem> {
    if name.chars().any(|c| c.is_control()) {
        return Err(PathProblem::ControlChar);
    }
    if name.contains('\\') {
        return Err(PathProblem::Backslash);
    }
    if name.starts_with('/') || has_drive_letter(name) {
        return Err(PathProblem::Absolute);
    }
    let mut parts = Vec::new();
    for segment in name.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(PathProblem::Traversal),
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Err(PathProblem::Empty);
    }
    Ok(parts.join("/"))
}

fn has_drive_letter(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// The key under which two names collide: Unicode NFC, then lowercase.
pub fn collision_key(normal: &str) -> String {
    if normal.is_ascii() {
        // NFC leaves ASCII as it is: most names need neither table.
        return normal.to_ascii_lowercase();
    }
    normal.nfc().collect::<String>().to_lowercase()
}

/// The last segment of a path.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The extension of a path, lowercase, without the dot (borrowed when it is lowercase
/// already, as nearly every one is).
pub fn extension(path: &str) -> Option<Cow<'_, str>> {
    let name = file_name(path);
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    Some(if ext.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(ext.to_ascii_lowercase())
    } else {
        Cow::Borrowed(ext)
    })
}

/// The content type a widget file is served with, from its extension (the files origin and
/// `widgetry preview` both serve with it).
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "html" | "htm" => "text/html; charset=utf-8",
        "twig" | "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "xhtml" | "xht" => "application/xhtml+xml",
        "pdf" => "application/pdf",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "eot" => "application/vnd.ms-fontobject",
        "map" => "application/json",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examples() {
        assert_eq!(normalize("a/./b//c.js").as_deref(), Ok("a/b/c.js"));
        assert_eq!(normalize("images/"), Ok("images".into()));
        assert_eq!(normalize("../x"), Err(PathProblem::Traversal));
        assert_eq!(normalize("a/../../x"), Err(PathProblem::Traversal));
        assert_eq!(normalize("/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(normalize("C:/x"), Err(PathProblem::Absolute));
        assert_eq!(normalize("a\\b"), Err(PathProblem::Backslash));
        assert_eq!(normalize("a\0b"), Err(PathProblem::ControlChar));
        assert_eq!(normalize("./"), Err(PathProblem::Empty));
        assert_eq!(collision_key("Script.JS"), collision_key("script.js"));
        assert_eq!(collision_key("caf\u{e9}"), collision_key("cafe\u{301}"));
        assert_eq!(extension("images/logo.PNG").as_deref(), Some("png"));
        assert_eq!(extension(".DS_Store"), None);
    }

    proptest! {
        #[test]
        fn normal_forms_are_safe_and_stable(name in "[a-zA-Z0-9./\\\\:_\\x00-\\x1f\u{e9}-]{0,40}") {
            if let Ok(n) = normalize(&name) {
                prop_assert!(!n.is_empty());
                prop_assert!(!n.starts_with('/'));
                prop_assert!(!n.ends_with('/'));
                prop_assert!(!n.contains('\\'));
                prop_assert!(!n.chars().any(|c| c.is_control()));
                prop_assert!(n.split('/').all(|s| !s.is_empty() && s != "." && s != ".."));
                prop_assert_eq!(normalize(&n), Ok(n.clone()));
            }
        }

        #[test]
        fn any_parent_segment_is_refused(prefix in "[a-z/]{0,10}", suffix in "[a-z/]{0,10}") {
            let name = format!("{prefix}/../{suffix}");
            prop_assert!(normalize(&name).is_err());
        }

        #[test]
        fn collision_key_ignores_case(name in "[a-zA-Z]{1,20}") {
            prop_assert_eq!(collision_key(&name.to_uppercase()), collision_key(&name.to_lowercase()));
        }

        /// The ASCII shortcut gives the key the Unicode path gives.
        #[test]
        fn ascii_keys_match_the_unicode_path(name in "[\\x00-\\x7f]{0,40}") {
            prop_assert_eq!(collision_key(&name), name.nfc().collect::<String>().to_lowercase());
        }
    }
}
