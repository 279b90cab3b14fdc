//! The CLI's output settings, common to every command: `--color auto|always|never` (and
//! `NO_COLOR`), `--quiet`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::{BROKEN_MANIFEST, run, widget_dir, widgetry};

#[test]
fn color_follows_the_flag_not_only_the_terminal() {
    let (_tmp, root) = widget_dir(BROKEN_MANIFEST);
    let root = root.to_str().unwrap();
    // Piped: no colour unless asked for.
    let plain = run(["lint", root]);
    assert_eq!(plain.code, 1);
    assert!(!plain.stdout.contains('\u{1b}'), "{}", plain.stdout);
    let always = run(["--color", "always", "lint", root]);
    assert_eq!(always.code, 1);
    assert!(always.stdout.contains("\u{1b}["), "{}", always.stdout);
    // The flag goes after the subcommand too, and `never` wins over the environment.
    let never = widgetry()
        .args(["lint", root, "--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&never.stdout).contains('\u{1b}'));
    // An unknown choice is a usage error.
    assert_eq!(run(["--color", "sometimes", "lint", root]).code, 2);
}

#[test]
fn quiet_keeps_results_and_drops_status_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("w");
    let loud = run(["init", dir.to_str().unwrap(), "--name", "Deal Notes"]);
    assert_eq!(loud.code, 0, "{}", loud.stderr);
    assert!(loud.stderr.contains("Created"), "{}", loud.stderr);
    let dir = tmp.path().join("q");
    let quiet = run(["init", "-q", dir.to_str().unwrap(), "--name", "Deal Notes"]);
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stderr.contains("Created"), "{}", quiet.stderr);
    // The result (the files written) is still there.
    assert!(quiet.stdout.contains("manifest.json"), "{}", quiet.stdout);
    // Errors are never quiet.
    let err = run(["-q", "lint", "/nonexistent/widget"]);
    assert_eq!(err.code, 2);
    assert!(err.stderr.starts_with("error: "), "{}", err.stderr);
}

#[test]
fn reports_on_stderr_follow_the_colour_flag_and_survive_quiet() {
    // `pack` refuses a broken folder with the rendered report on stderr.
    let (tmp, root) = widget_dir(BROKEN_MANIFEST);
    let out = tmp.path().join("w.zip");
    let args = |extra: &[&'static str]| {
        let mut a: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        a.extend([
            "pack".to_string(),
            root.to_str().unwrap().to_string(),
            "--output".to_string(),
            out.to_str().unwrap().to_string(),
        ]);
        a
    };
    let plain = run(args(&["--color", "never"]));
    assert_eq!(plain.code, 1, "{}", plain.stderr);
    assert!(plain.stderr.contains("manifest.json"), "{}", plain.stderr);
    assert!(!plain.stderr.contains('\u{1b}'), "{}", plain.stderr);
    let always = run(args(&["--color", "always"]));
    assert!(always.stderr.contains("\u{1b}["), "{}", always.stderr);
    // The report explains the error: `--quiet` keeps it.
    let quiet = run(args(&["-q", "--color", "never"]));
    assert!(quiet.stderr.contains("manifest.json"), "{}", quiet.stderr);
    assert!(!out.exists());
}
