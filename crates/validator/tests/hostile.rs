//! Hostile archives: every way a `widget.zip` can try to hurt the validator or the people who
//! unpack it. Each archive is built here, byte by byte where a ZIP library would refuse to
//! write it. Each test asserts the exact codes raised, that the report is not valid where it
//! must not be, and that the validator kept inside its limits (what it holds in memory after
//! reading never exceeds the configured budget).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use proptest::prelude::*;
use support::{BZIP2, Entry, build, crc32, deflate, valid_widget_files, valid_widget_zip, zip_of};
use widgetry_validator::{Checked, Input, Limits, Options, Profile, Report, Severity, check};

const MIB: usize = 1024 * 1024;

fn opts(profile: Profile, limits: Limits) -> Options<'static> {
    Options {
        profile,
        limits,
        ..Options::default()
    }
}

/// Validates under the upload profile with the default limits.
fn run(zip: &[u8]) -> Checked {
    run_with(zip, Limits::default())
}

/// Validates under both profiles with `limits`; checks the invariants every hostile archive
/// must keep, and returns the upload result.
fn run_with(zip: &[u8], limits: Limits) -> Checked {
    let publication = check(Input::Zip(zip), &opts(Profile::Publication, limits.clone()));
    let upload = check(Input::Zip(zip), &opts(Profile::Upload, limits.clone()));
    for c in [&upload, &publication] {
        assert_within_limits(c, &limits);
        // Same findings under both profiles; only severities may differ.
        assert_eq!(c.report.codes(), upload.report.codes());
        for d in &c.report.diagnostics {
            assert!(
                widgetry_validator::catalog::find(&d.code).is_some(),
                "unknown code {}",
                d.code
            );
        }
    }
    upload
}

/// Nothing the validator holds after reading is larger than the limits allow.
fn assert_within_limits(c: &Checked, limits: &Limits) {
    assert!(c.package.len() <= limits.max_entries);
    assert!(c.package.total_bytes() <= limits.max_total_uncompressed);
    for (path, data) in c.package.files() {
        assert!(
            data.len() as u64 <= limits.max_entry_uncompressed,
            "{path} holds {} bytes",
            data.len()
        );
    }
}

/// The first archive or JSON finding (package-level manifest findings sort before it).
#[allow(clippy::expect_used)] // a test helper: a missing finding is a failed test
fn first(report: &Report) -> &widgetry_validator::Diagnostic {
    report
        .diagnostics
        .iter()
        .find(|d| d.code.starts_with("archive.") || d.code.starts_with("json."))
        .expect("an archive or JSON finding")
}

/// The codes of the archive and JSON families, in report order (other families, such as the
/// manifest rules a hostile archive without a manifest also breaks, are left out).
fn codes(report: &Report) -> Vec<&str> {
    report
        .codes()
        .into_iter()
        .filter(|c| c.starts_with("archive.") || c.starts_with("json."))
        .collect()
}

/// The findings with a given code.
fn with_code<'r>(report: &'r Report, code: &str) -> Vec<&'r widgetry_validator::Diagnostic> {
    report
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect()
}

/// The small valid widget plus extra entries, built with the raw writer.
fn widget_plus(extra: Vec<Entry>) -> Vec<u8> {
    let mut entries: Vec<Entry> = valid_widget_files()
        .iter()
        .map(|(n, d)| Entry::deflated(n, d))
        .collect();
    entries.extend(extra);
    build(&entries)
}

fn zeros(n: usize) -> Vec<u8> {
    vec![0u8; n]
}

#[test]
fn baseline_widget_has_no_archive_findings() {
    let c = run(&valid_widget_zip());
    assert_eq!(codes(&c.report), Vec::<&str>::new());
    assert_eq!(c.package.len(), valid_widget_files().len());
    let raw = run(&widget_plus(vec![]));
    assert_eq!(codes(&raw.report), Vec::<&str>::new());
    assert_eq!(
        raw.package, c.package,
        "the raw writer and the zip crate agree"
    );
}

// ---------------------------------------------------------------------------------------------
// Zip bombs and lying headers

#[test]
fn bomb_by_ratio() {
    // 2 MiB of zeros deflate to about 2 KiB: a ratio near 1000:1 on an entry over 1 MiB.
    let bomb = Entry::deflated("images/bomb.png", &zeros(2 * MIB));
    assert!(bomb.data.len() < 20 * 1024);
    let c = run(&widget_plus(vec![bomb]));
    assert_eq!(codes(&c.report), ["archive.ratio_exceeded"]);
    assert!(!c.report.valid);
    let d = &with_code(&c.report, "archive.ratio_exceeded")[0];
    assert_eq!(d.file.as_deref(), Some("images/bomb.png"));
    assert!(!c.package.contains("images/bomb.png"));
}

#[test]
fn compressible_entry_under_the_ratio_threshold_is_fine() {
    // 900 KiB of zeros: a huge ratio, but under 1 MiB the ratio is not judged.
    let c = run(&widget_plus(vec![Entry::deflated(
        "pad.txt",
        &zeros(900 * 1024),
    )]));
    assert_eq!(codes(&c.report), Vec::<&str>::new());
    assert!(c.package.contains("pad.txt"));
}

#[test]
fn bomb_by_total_size() {
    // Forty entries of 60 KiB each, every one under the per-entry limit of 64 KiB, against a
    // total of 256 KiB: the fifth crosses the total and reading stops there.
    let limits = Limits {
        max_entry_uncompressed: 64 * 1024,
        max_total_uncompressed: 256 * 1024,
        ..Limits::default()
    };
    let chunk: Vec<u8> = (0..60 * 1024).map(|i| (i % 251) as u8).collect();
    let entries: Vec<Entry> = (0..40)
        .map(|i| Entry::deflated(format!("lib/part{i:02}.js"), &chunk))
        .collect();
    let c = run_with(&build(&entries), limits.clone());
    assert_eq!(codes(&c.report), ["archive.total_too_large"]);
    assert!(!c.report.valid);
    assert_eq!(
        c.package.len(),
        4,
        "reading stops at the first entry over the total"
    );
    assert!(c.package.total_bytes() <= limits.max_total_uncompressed);
    assert!(first(&c.report).message.contains("262144"));
}

#[test]
fn bomb_by_overlapping_entries() {
    // One 900 KiB deflated local entry, and 200 central records all pointing at it: each
    // passes the per-entry and ratio limits, together they would be 175 MiB.
    let payload = zeros(900 * 1024);
    let first = Entry::deflated("a000.js", &payload);
    let mut entries = vec![first.clone()];
    for i in 1..200 {
        entries.push(first.clone().with(|e| {
            e.name = format!("a{i:03}.js").into_bytes();
            e.write_local = false;
            e.local_offset_override = Some(0);
        }));
    }
    let zip = build(&entries);
    assert!(zip.len() < 64 * 1024);
    let c = run(&zip);
    assert_eq!(codes(&c.report), ["archive.total_too_large"]);
    assert!(c.package.total_bytes() <= 100 * MIB as u64);
    // Each entry is 900 KiB: 113 of them fit under 100 MiB.
    assert_eq!(c.package.len(), 113);
}

#[test]
fn header_that_lies_about_the_uncompressed_size() {
    // Declared 100 bytes; inflates to 5 MiB. Reading stops at byte 101.
    let liar = Entry::deflated("script.js", &zeros(5 * MIB)).with(|e| e.uncompressed_size = 100);
    let c = run(&build(&[liar]));
    assert_eq!(codes(&c.report), ["archive.corrupt_entry"]);
    assert!(!c.report.valid);
    let d = first(&c.report);
    assert_eq!(d.file.as_deref(), Some("script.js"));
    assert!(d.message.contains("declared"), "{}", d.message);
    assert!(!c.package.contains("script.js"));
}

#[test]
fn header_that_lies_small_about_a_bomb_larger_than_the_entry_limit() {
    // Declared 1 KiB; really 30 MiB of zeros, over the 20 MiB entry limit and the ratio.
    let liar = Entry::deflated("script.js", &zeros(30 * MIB)).with(|e| e.uncompressed_size = 1024);
    let c = run(&build(&[liar]));
    assert_eq!(codes(&c.report), ["archive.corrupt_entry"]);
    assert!(c.package.is_empty());
}

#[test]
fn declared_size_over_the_entry_limit_is_refused_without_inflating() {
    let limits = Limits {
        max_entry_uncompressed: 1024,
        ..Limits::default()
    };
    let big = Entry::stored("script.js", b"tiny").with(|e| e.uncompressed_size = 4096);
    let c = run_with(&build(&[big]), limits);
    assert_eq!(codes(&c.report), ["archive.entry_too_large"]);
    assert!(c.package.is_empty());
}

#[test]
fn entry_over_the_entry_limit_is_caught_while_inflating() {
    let limits = Limits {
        max_entry_uncompressed: 64 * 1024,
        ..Limits::default()
    };
    let data: Vec<u8> = (0..100 * 1024).map(|i| (i * 7 % 256) as u8).collect();
    let c = run_with(&build(&[Entry::deflated("script.js", &data)]), limits);
    assert_eq!(codes(&c.report), ["archive.entry_too_large"]);
    assert!(c.package.is_empty());
}

#[test]
fn ratio_is_not_fooled_by_a_declared_compressed_size() {
    // 5 MiB of zeros deflate to about 5 KiB; the header claims 1.9 GiB of compressed data to
    // make the ratio look like 0.003:1. The ratio must be judged against what the archive
    // can hold, not what the header says.
    let liar = Entry::deflated("images/bomb.png", &zeros(5 * MIB))
        .with(|e| e.compressed_size = 0x7000_0000);
    let c = run(&widget_plus(vec![liar]));
    assert_eq!(codes(&c.report), ["archive.ratio_exceeded"]);
    assert!(!c.package.contains("images/bomb.png"));
}

// ---------------------------------------------------------------------------------------------
// Unsafe names

#[test]
fn parent_directory_paths() {
    let c = run(&widget_plus(vec![
        Entry::stored("../evil.js", b"x"),
        Entry::stored("images/../../etc/cron.d/x", b"x"),
    ]));
    assert_eq!(
        codes(&c.report),
        ["archive.path_traversal", "archive.path_traversal"]
    );
    assert!(!c.report.valid);
    assert_eq!(c.package.len(), valid_widget_files().len());
}

#[test]
fn absolute_paths() {
    let c = run(&widget_plus(vec![
        Entry::stored("/etc/passwd", b"root:x:0:0"),
        Entry::stored("C:/x", b"x"),
        Entry::stored("c:evil.js", b"x"),
    ]));
    assert_eq!(
        codes(&c.report),
        [
            "archive.absolute_path",
            "archive.absolute_path",
            "archive.absolute_path"
        ]
    );
    assert!(!c.report.valid);
    let files: Vec<_> = with_code(&c.report, "archive.absolute_path")
        .iter()
        .map(|d| d.file.clone().unwrap())
        .collect();
    assert_eq!(files, ["/etc/passwd", "C:/x", "c:evil.js"]);
}

#[test]
fn backslash_paths() {
    let c = run(&widget_plus(vec![
        Entry::stored("images\\evil.png", b"x"),
        Entry::stored("..\\..\\evil.js", b"x"),
    ]));
    assert_eq!(
        codes(&c.report),
        ["archive.backslash_path", "archive.backslash_path"]
    );
    assert!(!c.report.valid);
}

#[test]
fn control_characters_in_names() {
    let c = run(&widget_plus(vec![
        Entry::stored("script.js\0.png", b"x"),
        Entry::stored("a\nb.js", b"x"),
    ]));
    assert_eq!(
        codes(&c.report),
        ["archive.invalid_path", "archive.invalid_path"]
    );
}

#[test]
fn symlink_entries() {
    let link = Entry::stored("lib/passwd.js", b"/etc/passwd").with(|e| {
        e.version_made_by = 3 << 8 | 30;
        e.external_attributes = 0o120777 << 16;
    });
    let c = run(&widget_plus(vec![link]));
    assert_eq!(codes(&c.report), ["archive.symlink"]);
    assert!(!c.report.valid);
    assert_eq!(first(&c.report).file.as_deref(), Some("lib/passwd.js"));
    assert!(!c.package.contains("lib/passwd.js"));
}

#[test]
fn symlink_mode_from_a_dos_archiver_is_not_a_link() {
    // External attributes only carry a Unix mode when the archive was made on Unix.
    let dos = Entry::stored("lib/x.js", b"x").with(|e| {
        e.version_made_by = 20;
        e.external_attributes = 0o120777 << 16;
    });
    let c = run(&widget_plus(vec![dos]));
    assert_eq!(codes(&c.report), Vec::<&str>::new());
}

#[test]
fn duplicate_names() {
    let c = run(&widget_plus(vec![
        Entry::stored("script.js", b"alert('second')"),
        Entry::stored("./script.js", b"alert('third')"),
    ]));
    // Both copies normalise to `script.js`: the two identical findings are merged.
    assert_eq!(codes(&c.report), ["archive.duplicate_entry"]);
    assert!(!c.report.valid);
    // The first copy is the one kept.
    let files = valid_widget_files();
    let kept = files.iter().find(|(name, _)| name == "script.js").unwrap();
    assert_eq!(c.package.get("script.js"), Some(kept.1.as_slice()));
}

#[test]
fn duplicate_of_a_refused_entry_is_still_a_duplicate() {
    // The first copy is refused (bad CRC); the second must still be reported as a duplicate,
    // not stored in its place as if it were the only one, nor called a case collision.
    let bad = Entry::stored("lib/a.js", b"first").with(|e| e.crc ^= 1);
    let c = run(&widget_plus(vec![
        bad,
        Entry::stored("lib/a.js", b"second"),
    ]));
    assert_eq!(
        codes(&c.report),
        ["archive.corrupt_entry", "archive.duplicate_entry"]
    );
    assert!(!c.package.contains("lib/a.js"));
}

#[test]
fn case_colliding_names() {
    let c = run(&widget_plus(vec![Entry::stored("Script.js", b"x")]));
    assert_eq!(codes(&c.report), ["archive.case_collision"]);
    assert!(!c.report.valid);
    let d = first(&c.report);
    assert_eq!(d.file.as_deref(), Some("Script.js"));
    assert!(d.message.contains("`script.js`"), "{}", d.message);
}

#[test]
fn unicode_normalisation_colliding_names() {
    // NFC "café" (U+00E9) and NFD "café" (e + U+0301) are one file on macOS.
    let c = run(&widget_plus(vec![
        Entry::stored("templates/caf\u{e9}.twig", b"a"),
        Entry::stored("templates/cafe\u{301}.twig", b"b"),
    ]));
    assert_eq!(codes(&c.report), ["archive.case_collision"]);
    assert!(!c.report.valid);
}

#[test]
fn encrypted_entries() {
    let secret = Entry::stored("secret.js", b"not really encrypted").with(|e| e.flags |= 1);
    let c = run(&widget_plus(vec![secret]));
    assert_eq!(codes(&c.report), ["archive.encrypted_entry"]);
    assert!(!c.report.valid);
    assert!(!c.package.contains("secret.js"));
}

#[test]
fn non_utf8_entry_names() {
    // "Про.js" in CP866, without the UTF-8 flag.
    let name = b"\x8f\xe0\xae.js".to_vec();
    let e = Entry::stored(&name, b"x").with(|e| e.flags = 0);
    let c = run(&widget_plus(vec![e]));
    assert_eq!(codes(&c.report), ["archive.non_utf8_name"]);
    assert!(!c.report.valid);
    // And with the UTF-8 flag set (a lie): the same.
    let e = Entry::stored(&name, b"x");
    let c = run(&widget_plus(vec![e]));
    assert_eq!(codes(&c.report), ["archive.non_utf8_name"]);
}

// ---------------------------------------------------------------------------------------------
// Layout

#[test]
fn wrapped_folder() {
    let files: Vec<(String, Vec<u8>)> = valid_widget_files()
        .into_iter()
        .map(|(n, d)| (format!("my-widget/{n}"), d))
        .collect();
    let mut entries = vec![Entry::dir("my-widget/")];
    entries.extend(files.iter().map(|(n, d)| Entry::deflated(n, d)));
    let c = run(&build(&entries));
    assert_eq!(codes(&c.report), ["archive.wrapped_folder"]);
    assert!(!c.report.valid);
    assert_eq!(
        first(&c.report).file.as_deref(),
        Some("my-widget/manifest.json")
    );
    // The rest of the checks see the folder's contents at the root.
    assert!(c.package.contains("manifest.json"));
}

#[test]
fn os_junk() {
    let c = run(&widget_plus(vec![
        Entry::dir("__MACOSX/"),
        Entry::stored("__MACOSX/._script.js", b"\0\x05\x16\x07"),
        Entry::stored(".DS_Store", b"\0\0\0\x01Bud1"),
        Entry::stored("images/Thumbs.db", b"x"),
    ]));
    assert_eq!(
        codes(&c.report),
        ["archive.os_junk", "archive.os_junk", "archive.os_junk"]
    );
    for d in with_code(&c.report, "archive.os_junk") {
        assert_eq!(d.severity, Severity::Warning);
    }
    let zip = widget_plus(vec![Entry::stored(".DS_Store", b"x")]);
    let publication = check(
        Input::Zip(&zip),
        &opts(Profile::Publication, Limits::default()),
    );
    let junk = with_code(&publication.report, "archive.os_junk");
    assert_eq!(junk.len(), 1);
    assert_eq!(junk[0].severity, Severity::Error);
    assert!(!publication.report.valid);
}

#[test]
fn nested_archive() {
    let inner = zip_of(&[("x.js", b"x")]);
    let c = run(&widget_plus(vec![
        Entry::stored("lib/vendor.zip", &inner),
        Entry::stored("lib/more.tar.gz", b"\x1f\x8b"),
    ]));
    assert_eq!(
        codes(&c.report),
        ["archive.nested_archive", "archive.nested_archive"]
    );
    for d in &c.report.diagnostics {
        if d.code == "archive.nested_archive" {
            assert_eq!(d.severity, Severity::Warning);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Entries that cannot be read

#[test]
fn unsupported_compression_method() {
    // A bzip2 stream header ("BZh9") written raw under method 12.
    let e = Entry::stored("script.js", b"BZh91AY&SY").with(|e| e.method = BZIP2);
    let c = run(&build(&[e]));
    assert_eq!(codes(&c.report), ["archive.unsupported_compression"]);
    assert!(!c.report.valid);
    let lzma = Entry::stored("script.js", b"x").with(|e| e.method = 14);
    let c = run(&build(&[lzma]));
    assert_eq!(codes(&c.report), ["archive.unsupported_compression"]);
}

#[test]
fn crc_mismatch() {
    let stored = Entry::stored("lib/a.js", b"var a = 1;").with(|e| e.crc = crc32(b"var a = 2;"));
    let deflated =
        Entry::deflated("lib/b.js", &b"var b = 1;\n".repeat(100)).with(|e| e.crc ^= 0x8000_0000);
    let c = run(&widget_plus(vec![stored, deflated]));
    assert_eq!(
        codes(&c.report),
        ["archive.corrupt_entry", "archive.corrupt_entry"]
    );
    assert!(!c.report.valid);
    assert!(!c.package.contains("lib/a.js"));
    assert!(!c.package.contains("lib/b.js"));
}

#[test]
fn corrupt_deflate_stream() {
    let mut e = Entry::deflated("lib/a.js", &b"function a() {}\n".repeat(200));
    e.data.iter_mut().for_each(|b| *b = 0xFF);
    let c = run(&widget_plus(vec![e]));
    assert_eq!(codes(&c.report), ["archive.corrupt_entry"]);
}

#[test]
fn deflate_stream_cut_short() {
    // The header's sizes and CRC are the real ones; the stream stops halfway.
    let text = b"function a() { return 'abcdefghijklmnopqrstuvwxyz'; }\n".repeat(200);
    let mut e = Entry::deflated("lib/a.js", &text);
    e.data.truncate(e.data.len() / 2);
    e.compressed_size = e.data.len() as u32;
    let c = run(&widget_plus(vec![e]));
    assert_eq!(codes(&c.report), ["archive.corrupt_entry"]);
    let d = first(&c.report);
    assert_eq!(d.file.as_deref(), Some("lib/a.js"));
    assert!(
        d.message.contains("incomplete deflate stream"),
        "{}",
        d.message
    );
    assert!(!c.package.contains("lib/a.js"));
}

#[test]
fn entry_data_past_the_end_of_the_archive() {
    let e = Entry::stored("lib/a.js", b"x").with(|e| e.local_offset_override = Some(0x00FF_FFFF));
    let c = run(&widget_plus(vec![e]));
    assert_eq!(codes(&c.report), ["archive.corrupt_entry"]);
}

// ---------------------------------------------------------------------------------------------
// Archives that cannot be read at all

#[test]
fn truncated_archive() {
    let zip = valid_widget_zip();
    let c = run(&zip[..zip.len() / 2]);
    assert_eq!(codes(&c.report), ["archive.corrupt"]);
    assert!(!c.report.valid);
    assert!(c.package.is_empty());
    // Cut anywhere: never a panic, never valid.
    for cut in (2..zip.len()).step_by(97) {
        let c = run(&zip[..cut]);
        assert!(!c.report.valid, "cut at {cut}");
    }
}

#[test]
fn corrupted_central_directory() {
    let zip = valid_widget_zip();
    let cd = support::central_directory_offset(&zip);
    // Signature of the first central record destroyed.
    let mut bad = zip.clone();
    bad[cd..cd + 4].copy_from_slice(b"XXXX");
    let c = run(&bad);
    // The reader guesses the directory was shifted (as for a self-extracting archive), so
    // each entry it then finds is unreadable too; the archive itself is reported first.
    let found = codes(&c.report);
    assert_eq!(found[0], "archive.corrupt");
    assert!(
        found[1..].iter().all(|c| *c == "archive.corrupt_entry"),
        "{found:?}"
    );
    assert!(c.package.is_empty());
    assert!(!c.report.valid);
    // EOCD pointing past the end.
    let mut bad = zip.clone();
    let e = bad.len() - 22;
    bad[e + 16..e + 20].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    let c = run(&bad);
    assert_eq!(codes(&c.report), ["archive.corrupt"]);
    // EOCD claiming more entries than the directory can hold.
    let mut bad = zip;
    bad[e + 8..e + 12].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF][..]);
    let c = run(&bad);
    assert!(!c.report.valid);
    assert!(
        matches!(
            codes(&c.report).as_slice(),
            ["archive.corrupt"] | ["archive.too_many_entries"]
        ),
        "{:?}",
        c.report.codes()
    );
}

#[test]
fn not_a_zip() {
    let c = run(b"hello, this is a text file\n");
    assert_eq!(c.report.codes(), ["archive.not_zip"]);
    assert!(!c.report.valid);
    let png = support::png(1, 1);
    assert!(png.starts_with(b"\x89PNG"));
    let c = run(&png);
    assert_eq!(c.report.codes(), ["archive.not_zip"]);
    // "PK" and nothing else of a ZIP.
    let c = run(b"PK\x03\x04 this is not really a zip");
    assert_eq!(c.report.codes(), ["archive.corrupt"]);
}

#[test]
fn zero_bytes() {
    let c = run(b"");
    assert_eq!(c.report.codes(), ["archive.not_zip"]);
    assert!(!c.report.valid);
    assert!(first(&c.report).message.contains("empty"));
}

#[test]
fn empty_zip() {
    let mut zip = Vec::new();
    support::eocd(&mut zip, 0, 0, 0);
    let c = run(&zip);
    assert!(c.package.is_empty());
    assert!(!codes(&c.report).iter().any(|c| c.starts_with("json.")));
}

#[test]
fn ten_thousand_entries() {
    let entries: Vec<Entry> = (0..10_000)
        .map(|i| Entry::stored(format!("f{i}.js"), b""))
        .collect();
    let c = run(&build(&entries));
    assert_eq!(c.report.codes(), ["archive.too_many_entries"]);
    assert!(!c.report.valid);
    assert!(c.package.is_empty());
    assert!(first(&c.report).message.contains("10000"));
}

// ---------------------------------------------------------------------------------------------
// Hostile manifests

/// The small valid widget with its manifest replaced.
fn widget_with_manifest(manifest: &[u8]) -> Vec<u8> {
    let files = support::Widget::valid()
        .set("manifest.json", manifest)
        .files;
    build(
        &files
            .iter()
            .map(|(n, d)| Entry::deflated(n, d))
            .collect::<Vec<_>>(),
    )
}

#[test]
fn manifest_nested_ten_thousand_levels() {
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let c = run(&widget_with_manifest(deep.as_bytes()));
    assert_eq!(
        codes(&c.report),
        ["json.too_deep"],
        "{:?}",
        c.report.codes()
    );
    let d = with_code(&c.report, "json.too_deep")[0];
    assert_eq!(d.file.as_deref(), Some("manifest.json"));
    assert_eq!((d.line, d.column), (Some(1), Some(65)));
    assert!(!c.report.valid);
}

#[test]
fn manifest_with_a_bom() {
    let mut m = b"\xEF\xBB\xBF".to_vec();
    m.extend_from_slice(support::MANIFEST.as_bytes());
    let c = run(&widget_with_manifest(&m));
    assert_eq!(codes(&c.report), ["json.bom"], "{:?}", c.report.codes());
    let d = with_code(&c.report, "json.bom")[0];
    assert_eq!(d.file.as_deref(), Some("manifest.json"));
    assert!(!c.report.valid);
}

#[test]
fn manifest_with_a_closer_in_place_of_a_value() {
    // Found by fuzzing: the position scanner looped forever on `}` inside an array, adding a
    // pointer on every turn until memory ran out.
    let c = run(&widget_with_manifest(
        br#"{"widget": {"name": "widget.name", "locale": ["en",, "interface_version": 2}}"#,
    ));
    assert_eq!(codes(&c.report), ["json.syntax"], "{:?}", c.report.codes());
    assert!(!c.report.valid);
}

/// 50 MB of valid JSON: a manifest padded with a long array of numbers.
fn fifty_mb_manifest() -> Vec<u8> {
    let mut m = Vec::with_capacity(50_000_100);
    m.extend_from_slice(br#"{"widget":{"name":"widget.name"},"pad":["#);
    while m.len() < 50_000_000 {
        m.extend_from_slice(b"1234567890,");
    }
    m.extend_from_slice(b"0]}");
    m
}

#[test]
fn fifty_megabyte_manifest_deflated() {
    // Deflated, 50 MB of repetitive JSON is about 100 KiB: under the archive limit. Its
    // header honestly declares 50 MB, over the 20 MiB entry limit, so it is refused before a
    // byte is inflated.
    let m = fifty_mb_manifest();
    let zip = build(&[Entry::deflated("manifest.json", &m)]);
    assert!(zip.len() < 20 * MIB);
    let c = run(&zip);
    assert_eq!(codes(&c.report), ["archive.entry_too_large"]);
    // Declared as 1 MiB, reading stops past the declared size; declared as 15 MiB, the ratio
    // (100 x ~100 KiB) is crossed first, while inflating.
    let liar = Entry::deflated("manifest.json", &m).with(|e| e.uncompressed_size = MIB as u32);
    let c2 = run(&build(&[liar]));
    assert_eq!(codes(&c2.report), ["archive.corrupt_entry"]);
    assert!(c2.package.is_empty());
    let under_limit =
        Entry::deflated("manifest.json", &m).with(|e| e.uncompressed_size = 15 * MIB as u32);
    let c3 = run(&build(&[under_limit]));
    assert_eq!(codes(&c3.report), ["archive.ratio_exceeded"]);
    assert!(c3.package.is_empty());
    assert_eq!(first(&c.report).file.as_deref(), Some("manifest.json"));
    assert!(!c.report.valid);
    assert!(c.package.is_empty());
}

#[test]
fn fifty_megabyte_manifest_stored() {
    // Stored, the archive itself is over 20 MiB and is refused before any parsing.
    let m = fifty_mb_manifest();
    let zip = build(&[Entry::stored("manifest.json", &m)]);
    let c = run(&zip);
    assert_eq!(c.report.codes(), ["archive.too_large"]);
    assert!(c.package.is_empty());
}

#[test]
fn fifty_megabyte_manifest_with_raised_archive_limits() {
    // With the archive limits raised, the manifest's own 1 MiB limit must still apply.
    let limits = Limits {
        max_archive_bytes: 200 * MIB as u64,
        max_total_uncompressed: 200 * MIB as u64,
        max_entry_uncompressed: 100 * MIB as u64,
        max_ratio: 100_000,
        ..Limits::default()
    };
    let zip = build(&[Entry::deflated("manifest.json", &fifty_mb_manifest())]);
    let c = run_with(&zip, limits);
    assert!(c.package.contains("manifest.json"));
    assert!(!c.report.valid);
    let on_manifest: Vec<&str> = c
        .report
        .diagnostics
        .iter()
        .filter(|d| d.file.as_deref() == Some("manifest.json"))
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(
        on_manifest,
        ["manifest.too_large"],
        "{:?}",
        c.report.codes()
    );
}

// ---------------------------------------------------------------------------------------------
// Properties: whatever the bytes, no panic and no limit crossed.

fn small_limits() -> Limits {
    Limits {
        max_archive_bytes: 256 * 1024,
        max_entries: 64,
        max_total_uncompressed: 512 * 1024,
        max_entry_uncompressed: 128 * 1024,
        ratio_threshold: 16 * 1024,
        ..Limits::default()
    }
}

fn valid_small_zip() -> &'static [u8] {
    static ZIP: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    ZIP.get_or_init(valid_widget_zip)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(prefix in prop::bool::ANY, bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let mut data = if prefix { b"PK\x03\x04".to_vec() } else { Vec::new() };
        data.extend(bytes);
        let c = run_with(&data, small_limits());
        prop_assert!(c.package.total_bytes() <= small_limits().max_total_uncompressed);
    }

    #[test]
    fn mutated_valid_zip_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut data = valid_small_zip().to_vec();
        for (at, byte) in edits {
            let i = at.index(data.len());
            data[i] = byte;
        }
        if let Some(cut) = cut {
            data.truncate(cut.index(data.len()));
        }
        run_with(&data, small_limits());
    }

    #[test]
    fn mutated_headers_never_panic(
        field in 0usize..46,
        value in any::<u32>(),
        which in any::<prop::sample::Index>(),
    ) {
        // Overwrite one 32-bit word inside a central record: sizes, offsets, lengths, attributes.
        let mut data = valid_small_zip().to_vec();
        let cd = support::central_directory_offset(&data);
        let records: Vec<usize> = (cd..data.len() - 4)
            .filter(|&i| data[i..i + 4] == [0x50, 0x4b, 0x01, 0x02])
            .collect();
        let at = records[which.index(records.len())] + field;
        if at + 4 <= data.len() {
            data[at..at + 4].copy_from_slice(&value.to_le_bytes());
        }
        run_with(&data, small_limits());
    }
}

#[test]
fn deflate_helper_round_trips() {
    let data = b"hello hello hello hello".repeat(10);
    let zip = build(&[Entry {
        data: deflate(&data),
        ..Entry::deflated("a.txt", &data)
    }]);
    let c = run(&zip);
    assert_eq!(c.package.get("a.txt"), Some(data.as_slice()));
}

/// A script that binds one name to a URL thousands of times and loads that name thousands
/// of times: the name resolution is bounded (values per name, loads per file), so the report
/// is one finding, not millions of dependencies.
#[test]
fn loads_through_names_stay_bounded() {
    let mut js = String::from(
        "define([], function () { return function () { this.callbacks = {render: function () { return true; }, init: function () { return true; }, bind_actions: function () { return true; }}; }; });\n",
    );
    for i in 0..20_000 {
        js.push_str(&format!(
            "var u = 'http://localhost:8080/m{}.js'; require([u]);\n",
            i % 50
        ));
    }
    let zip = widget_plus(vec![Entry::stored("js/loader.js", js.as_bytes())]);
    let c = run(&zip);
    let remote = with_code(&c.report, "script.remote_code");
    assert!(
        !remote.is_empty() && remote.len() <= 8,
        "{}: {:?}",
        remote.len(),
        codes(&c.report)
    );
    assert!(
        remote
            .iter()
            .all(|d| d.file.as_deref() == Some("js/loader.js"))
    );
}

/// A language file of 20,000 keys the other language lacks, repeated in a duplicate-key
/// object: the duplicate check is one set lookup per key (it used to compare each key with
/// every earlier one, minutes for a file under the size limits), and the report lists at
/// most `MAX_LISTED` findings of a kind, then says how many more there were.
#[test]
fn a_language_file_of_many_keys_gives_a_bounded_report() {
    let mut en = String::from(
        "{\"widget\": {\"name\": \"W\", \"description\": \"D\", \"short_description\": \"S\"}, \"extra\": {",
    );
    for i in 0..20_000 {
        en.push_str(&format!("\"k{i}\": \"t\", "));
    }
    en.push_str("\"k0\": \"again\"}}");
    let zip = support::Widget::valid().set("i18n/en.json", en).zip();
    let c = run(&zip);
    let report = &c.report;
    let listed = widgetry_validator::diag::MAX_LISTED;
    let mismatch = with_code(report, "i18n.structure_mismatch");
    assert_eq!(mismatch.len(), listed);
    let more = with_code(report, "package.more_findings");
    assert_eq!(more.len(), 1, "{:?}", report.codes());
    let omitted: usize = more[0].message.split(' ').next().unwrap().parse().unwrap();
    assert!(omitted >= 20_000 - listed, "{}", more[0].message);
    assert!(
        more[0]
            .message
            .contains("more `i18n.structure_mismatch` findings"),
        "{}",
        more[0].message
    );
    assert_eq!(more[0].severity, Severity::Info);
    assert_eq!(with_code(report, "json.duplicate_key").len(), 1);
    assert!(
        report.diagnostics.len() < 4 * listed,
        "{}",
        report.diagnostics.len()
    );
    // The verdict stands: the listed findings keep their severities.
    assert!(!report.valid);
    assert_eq!(
        report.errors,
        report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    );
}
