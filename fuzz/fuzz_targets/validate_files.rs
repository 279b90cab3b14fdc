//! Feeds the rules directly, without ZIP framing: the input is split into files at each
//! `\n@@@ ` marker; the text after the marker up to the next newline is the file's path, the
//! rest its content. So JSON, JS, CSS and template rules get the fuzzer's full attention.
//!
//! ```text
//! manifest body...
//! @@@ script.js
//! define([], function () { ... });
//! @@@ i18n/en.json
//! {"widget": {...}}
//! ```
//! The text before the first marker is `manifest.json`.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use widgetry_validator::{Input, Profile, check};

const MARKER: &[u8] = b"\n@@@ ";

fn split(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut rest = data;
    let mut name = "manifest.json".to_string();
    loop {
        let cut = rest.windows(MARKER.len()).position(|w| w == MARKER);
        let (content, next) = match cut {
            Some(i) => (&rest[..i], Some(&rest[i + MARKER.len()..])),
            None => (rest, None),
        };
        files.push((name, content.to_vec()));
        let Some(next) = next else { break };
        let end = next.iter().position(|&b| b == b'\n').unwrap_or(next.len());
        name = String::from_utf8_lossy(&next[..end]).into_owned();
        rest = &next[(end + 1).min(next.len())..];
        if files.len() >= 32 {
            break;
        }
    }
    files
}

fuzz_target!(|data: &[u8]| {
    let files = split(data);
    let limits = common::small_limits();
    for profile in [Profile::Upload, Profile::Publication] {
        let c = check(
            Input::Files(files.clone()),
            &common::options(profile, limits.clone()),
        );
        common::check_invariants(&c, &limits);
    }
});
