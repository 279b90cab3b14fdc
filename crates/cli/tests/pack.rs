//! `widgetry pack`, run as a real binary in temporary folders.

// Test helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use crate::support::{stderr, stdout, widgetry_in as widgetry};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use widgetry_validator::{Input, Options, Profile, validate};

/// A temporary folder with a freshly initialised widget in `w/`.
fn widget() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = widgetry(tmp.path(), &["init", "w"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tmp.path().join("w");
    (tmp, dir)
}

fn write(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn names(zip_bytes: &[u8]) -> Vec<String> {
    let archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect()
}

#[test]
fn init_then_pack_gives_a_valid_archive() {
    let (tmp, _) = widget();
    let out = widgetry(tmp.path(), &["pack", "w"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(tmp.path().join("widget.zip")).unwrap();
    let report = validate(Input::Zip(&bytes), &Options::default());
    assert!(report.valid, "{:#?}", report.diagnostics);
    let mut listed = names(&bytes);
    let sorted = {
        let mut s = listed.clone();
        s.sort();
        s
    };
    assert_eq!(listed, sorted, "entries are sorted");
    listed.retain(|n| n.ends_with('/'));
    assert!(listed.is_empty(), "no directory entries");
    let text = stdout(&out);
    assert!(
        text.contains("sha256:") && text.contains("files:  12"),
        "{text}"
    );
    assert!(stderr(&out).contains("Finished"), "{}", stderr(&out));
}

#[test]
fn packed_entries_have_fixed_metadata() {
    let (tmp, _) = widget();
    let out = widgetry(tmp.path(), &["pack", "w", "-o", "out.zip"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(tmp.path().join("out.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
        assert_eq!(entry.last_modified(), Some(zip::DateTime::default()));
    }
}

#[test]
fn pack_is_deterministic_even_after_touching_files() {
    let (tmp, dir) = widget();
    assert!(
        widgetry(tmp.path(), &["pack", "w", "-o", "a.zip"])
            .status
            .success()
    );
    assert!(
        widgetry(tmp.path(), &["pack", "w", "-o", "b.zip"])
            .status
            .success()
    );
    let later = SystemTime::now() + Duration::from_secs(3600);
    for f in ["manifest.json", "script.js", "images/logo.png"] {
        let file = std::fs::File::options()
            .write(true)
            .open(dir.join(f))
            .unwrap();
        file.set_modified(later).unwrap();
    }
    assert!(
        widgetry(tmp.path(), &["pack", "w", "-o", "c.zip"])
            .status
            .success()
    );
    let a = std::fs::read(tmp.path().join("a.zip")).unwrap();
    let b = std::fs::read(tmp.path().join("b.zip")).unwrap();
    let c = std::fs::read(tmp.path().join("c.zip")).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, c);
}

#[test]
fn junk_and_the_output_itself_stay_out_of_the_archive() {
    let (tmp, dir) = widget();
    write(&dir.join(".git/config"), "[core]");
    write(&dir.join("node_modules/jquery/index.js"), "x");
    write(&dir.join("__MACOSX/._script.js"), "x");
    write(&dir.join(".DS_Store"), "x");
    write(&dir.join("images/Thumbs.db"), "x");
    write(&dir.join("old/previous.zip"), "x");
    // The output inside the folder, packed twice: the first archive never goes into the second.
    for _ in 0..2 {
        let out = widgetry(tmp.path(), &["pack", "w", "-o", "w/dist.bin"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let bytes = std::fs::read(dir.join("dist.bin")).unwrap();
    let listed = names(&bytes);
    assert_eq!(listed.len(), 12, "{listed:?}");
    for n in &listed {
        assert!(
            !(n.starts_with(".git")
                || n.starts_with("node_modules")
                || n.starts_with("__MACOSX")
                || n.ends_with(".DS_Store")
                || n.ends_with("Thumbs.db")
                || n.ends_with(".zip")
                || n == "dist.bin"
                || n == ".widgetignore"
                || n == "README.md"),
            "{n}"
        );
    }
}

#[test]
fn widgetignore_patterns_are_honoured_and_explained() {
    let (tmp, dir) = widget();
    write(&dir.join(".widgetignore"), "# sources\n*.psd\ndocs/\n");
    write(&dir.join("art/logo.psd"), "x");
    write(&dir.join("docs/notes.md"), "x");
    write(&dir.join("README.md"), "# now packed\n");
    let out = widgetry(tmp.path(), &["pack", "w", "--list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("art/logo.psd  (matched `.widgetignore` line 2: `*.psd`)"),
        "{text}"
    );
    assert!(
        text.contains("docs/  (matched `.widgetignore` line 3: `docs/`)"),
        "{text}"
    );
    assert!(
        text.contains(".widgetignore  (the ignore file itself)"),
        "{text}"
    );

    let out = widgetry(tmp.path(), &["pack", "w"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = names(&std::fs::read(tmp.path().join("widget.zip")).unwrap());
    assert!(listed.contains(&"README.md".to_string()), "{listed:?}");
    assert!(
        !listed
            .iter()
            .any(|n| n.ends_with(".psd") || n.starts_with("docs/"))
    );
}

#[test]
fn list_names_exclusions_with_reasons_and_writes_nothing() {
    let (tmp, dir) = widget();
    write(&dir.join(".git/HEAD"), "ref");
    write(&dir.join(".DS_Store"), "x");
    let out = widgetry(tmp.path(), &["pack", "w", "--list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("included (12):"), "{text}");
    assert!(text.contains("  manifest.json\n"), "{text}");
    assert!(text.contains(".git/  (version control folder)"), "{text}");
    assert!(
        text.contains(".DS_Store  (operating system junk file)"),
        "{text}"
    );
    assert!(
        text.contains("README.md  (matched `.widgetignore` line"),
        "{text}"
    );
    assert!(!tmp.path().join("widget.zip").exists());
}

#[test]
fn pack_refuses_a_broken_folder_and_writes_nothing() {
    let (tmp, dir) = widget();
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    let out = widgetry(tmp.path(), &["pack", "w"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("error[manifest.missing]"), "{err}");
    assert!(err.contains("refusing to pack"), "{err}");
    assert!(!tmp.path().join("widget.zip").exists());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["w"], "no temporary file is left behind");

    let out = widgetry(tmp.path(), &["pack", "w", "--no-lint"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("widget.zip").exists());
}

#[test]
fn warnings_do_not_stop_the_pack() {
    let (tmp, _) = widget();
    // The placeholder contacts are warnings under the upload profile.
    let out = widgetry(tmp.path(), &["pack", "w"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning["), "{}", stderr(&out));
}

#[test]
fn missing_folder_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = widgetry(tmp.path(), &["pack", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("failed to read folder"),
        "{}",
        stderr(&out)
    );
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = widgetry(tmp.path(), &["pack", "empty"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn packed_archive_with_contacts_passes_publication() {
    let tmp = tempfile::tempdir().unwrap();
    let out = widgetry(
        tmp.path(),
        &[
            "init",
            "w",
            "--support-email",
            "help@acme-widgets.io",
            "--support-link",
            "https://acme-widgets.io/help",
            "--support-phone",
            "+1 415 555-01-23",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(widgetry(tmp.path(), &["pack", "w"]).status.success());
    let bytes = std::fs::read(tmp.path().join("widget.zip")).unwrap();
    let options = Options {
        profile: Profile::Publication,
        ..Options::default()
    };
    let report = validate(Input::Zip(&bytes), &options);
    assert!(report.valid, "{:#?}", report.diagnostics);
}
