//! What both targets check on every report, besides "no panic".

use widgetry_validator::{Checked, Limits, Options, Profile, Severity};

/// Small limits, so an input can reach every limit quickly (and the fuzzer stays fast).
pub fn small_limits() -> Limits {
    Limits {
        max_archive_bytes: 1024 * 1024,
        max_entries: 64,
        max_total_uncompressed: 1024 * 1024,
        max_entry_uncompressed: 256 * 1024,
        ratio_threshold: 64 * 1024,
        max_manifest_bytes: 64 * 1024,
        max_json_depth: 32,
        ..Limits::default()
    }
}

pub fn options(profile: Profile, limits: Limits) -> Options<'static> {
    Options {
        profile,
        limits,
        ..Options::default()
    }
}

/// Invariants every report must keep, whatever the input.
pub fn check_invariants(c: &Checked, limits: &Limits) {
    let r = &c.report;
    let errors = r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    assert_eq!(r.errors, errors);
    assert_eq!(r.valid, errors == 0);
    for d in &r.diagnostics {
        assert!(
            widgetry_validator::catalog::find(&d.code).is_some(),
            "unknown code {}",
            d.code
        );
        assert!(!d.message.is_empty());
        if let Some(line) = d.line {
            assert!(line >= 1, "{d:?}");
        }
        if let Some(column) = d.column {
            assert!(column >= 1, "{d:?}");
        }
    }
    assert!(c.package.len() <= limits.max_entries);
    assert!(c.package.total_bytes() <= limits.max_total_uncompressed);
    for (_, data) in c.package.files() {
        assert!(data.len() as u64 <= limits.max_entry_uncompressed);
    }
}
