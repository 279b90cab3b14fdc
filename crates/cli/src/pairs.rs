//! The `KEY=TEXT` command-line values: localized texts (`ru=Текст`, or plain `Text` for
//! English) and reasons (`script.debugger=Remove the debugger statement`).

use serde_json::{Map, Value};

/// `lang=text` as (lang, text); a value without a two-letter lowercase language before the
/// first `=` is English text.
pub fn localized(value: &str) -> (String, String) {
    match value.split_once('=') {
        Some((l, t)) if l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()) => {
            (l.to_string(), t.to_string())
        }
        _ => ("en".to_string(), value.to_string()),
    }
}

/// Localized values into a JSON object, later values winning.
pub fn localized_map(values: &[String]) -> Map<String, Value> {
    values
        .iter()
        .map(|v| {
            let (lang, text) = localized(v);
            (lang, Value::String(text))
        })
        .collect()
}

/// `KEY=TEXT` as (key, text); both must be non-empty.
pub fn key_text(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((k, t)) if !k.trim().is_empty() && !t.trim().is_empty() => {
            Ok((k.trim().to_string(), t.to_string()))
        }
        _ => Err(format!("`{value}` is not CODE=TEXT")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_values() {
        assert_eq!(localized("ru=Текст"), ("ru".into(), "Текст".into()));
        assert_eq!(localized("Plain text"), ("en".into(), "Plain text".into()));
        assert_eq!(localized("a=b=c"), ("en".into(), "a=b=c".into()));
        assert_eq!(localized("Ru=x"), ("en".into(), "Ru=x".into()));
        assert_eq!(localized("en="), ("en".into(), String::new()));
        let map = localized_map(&["x".into(), "ru=y".into(), "en=z".into()]);
        assert_eq!(
            Value::Object(map),
            serde_json::json!({"en": "z", "ru": "y"})
        );
    }

    #[test]
    fn key_text_values() {
        assert_eq!(
            key_text("script.debugger=Remove it = now"),
            Ok(("script.debugger".into(), "Remove it = now".into()))
        );
        assert!(key_text("no-text=").is_err());
        assert!(key_text("=text").is_err());
        assert!(key_text("plain").is_err());
    }
}
