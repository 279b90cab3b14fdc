//! `widgetry init`, run as a real binary in temporary folders.

// Test helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use crate::support::{stderr, stdout, widgetry_in as widgetry};
use std::path::Path;
use widgetry_validator::{Input, Options, Profile, Report, validate};

/// Every file under `dir` by relative path (the folder as written, `.widgetignore` aside).
fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn check(files: Vec<(String, Vec<u8>)>, profile: Profile) -> Report {
    validate(
        Input::Files(files),
        &Options {
            profile,
            ..Options::default()
        },
    )
}

#[test]
fn init_writes_a_widget_that_passes_upload() {
    let tmp = tempfile::tempdir().unwrap();
    let out = widgetry(tmp.path(), &["init", "w"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tmp.path().join("w");
    for f in [
        "manifest.json",
        "script.js",
        "style.css",
        "i18n/ru.json",
        "i18n/en.json",
        "images/logo_main.png",
        "README.md",
        ".widgetignore",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let report = check(read_tree(&dir), Profile::Upload);
    assert!(report.valid, "{:#?}", report.diagnostics);
    let text = stdout(&out);
    assert!(
        text.contains("widgetry lint w --profile publication"),
        "{text}"
    );
    assert!(text.contains("widgetry pack w"), "{text}");
    assert!(text.contains("support e-mail"), "{text}");
    assert!(text.contains("support phone"), "{text}");
}

#[test]
fn init_placeholders_pass_upload_and_block_publication() {
    let tmp = tempfile::tempdir().unwrap();
    let out = widgetry(tmp.path(), &["init", "w"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let files = read_tree(&tmp.path().join("w"));
    assert!(check(files.clone(), Profile::Upload).valid);
    let report = check(files, Profile::Publication);
    let found = |code: &str| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.code == code && d.severity == widgetry_validator::Severity::Error)
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    // The placeholder phone and the TODO sentence in every description, the example.com
    // contacts in manifest.json.
    let contacts = found("text.placeholder_contact");
    assert!(
        contacts.iter().any(|m| m.contains("+0 000 000-00-00")),
        "{contacts:#?}"
    );
    assert!(
        found("text.leftover_marker")
            .iter()
            .any(|m| m.contains("TODO"))
    );
    assert!(
        !found("text.test_domain").is_empty(),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn init_with_contacts_and_many_locations_passes_publication() {
    let tmp = tempfile::tempdir().unwrap();
    let out = widgetry(
        tmp.path(),
        &[
            "init",
            "w",
            "--name",
            "Deal Notes Sync",
            "--locales",
            "en,es,pt",
            "--locations",
            "lcard-1,ccard-0,settings,advanced_settings,digital_pipeline,salesbot_designer,sms,mobile_card,widget_page,ai_agent",
            "--support-email",
            "help@acme-widgets.io",
            "--support-link",
            "https://acme-widgets.io/help",
            "--support-phone",
            "+1 415 555-01-23",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("still to supply"),
        "{}",
        stdout(&out)
    );
    let dir = tmp.path().join("w");
    assert!(dir.join("images/logo_dp.png").is_file());
    assert!(dir.join("images/menu.svg").is_file());
    // What pack would ship: the folder without the README and the ignore file.
    let files: Vec<_> = read_tree(&dir)
        .into_iter()
        .filter(|(p, _)| p != "README.md" && p != ".widgetignore")
        .collect();
    let report = check(files, Profile::Publication);
    assert!(report.valid, "{:#?}", report.diagnostics);
}

#[test]
fn init_refuses_a_non_empty_folder_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = widgetry(tmp.path(), &["init", "w"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));
    assert!(!dir.join("manifest.json").exists());

    let out = widgetry(tmp.path(), &["init", "w", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("manifest.json").is_file());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn init_accepts_an_existing_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("w")).unwrap();
    let out = widgetry(tmp.path(), &["init", "w"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn init_refuses_unknown_locales_and_locations() {
    let tmp = tempfile::tempdir().unwrap();
    let out = widgetry(tmp.path(), &["init", "w", "--locales", "ru,de"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown locale `de`"),
        "{}",
        stderr(&out)
    );

    let out = widgetry(tmp.path(), &["init", "w", "--locations", "lcard-1,kanban"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown location `kanban`"),
        "{}",
        stderr(&out)
    );

    let out = widgetry(tmp.path(), &["init", "w", "--locations", "settings-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!tmp.path().join("w").exists());
}

#[test]
fn init_refuses_a_bad_support_link() {
    let tmp = tempfile::tempdir().unwrap();
    let out = widgetry(tmp.path(), &["init", "w", "--support-link", "acme.io"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!tmp.path().join("w").exists());
}
