//! The corpus: complete widget packages of the shapes people really build (bundler output,
//! loaders, vendored libraries, leftovers), one folder each under `tests/corpus/`, and
//! their expected verdicts in `tests/corpus/verdicts.md`.
//!
//! Every folder is read as files by relative `/`-separated path (hidden files included),
//! validated under both profiles with `Input::Files`, and held to its row: the verdict of
//! each profile, every "must report" code present with its severity, every "must not
//! report" code absent. All mismatches are listed at once, with the shape and the codes
//! its reports carry; a folder without a row and a row without a folder are mismatches too.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use widgetry_validator::{Input, Options, Profile, Report, Severity, validate};

const PROFILES: [Profile; 2] = [Profile::Upload, Profile::Publication];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every file under `dir`, by path relative to `root` with `/` separators, sorted.
fn read_files(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_files(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_str().expect("UTF-8 file name"))
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, std::fs::read(&path).unwrap()));
        }
    }
}

/// The shape folders, by name.
fn shapes() -> BTreeMap<String, Vec<(String, Vec<u8>)>> {
    let root = corpus_dir();
    let mut shapes = BTreeMap::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_dir() {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let mut files = Vec::new();
        read_files(&path, &path, &mut files);
        shapes.insert(name, files);
    }
    shapes
}

/// One expectation about a code: under which profiles, and with which severity (`None`
/// in the "must not report" column).
#[derive(Debug, Clone)]
struct CodeRule {
    profiles: Vec<Profile>,
    code: String,
    severity: Option<Severity>,
}

#[derive(Debug)]
struct Row {
    line: usize,
    shape: String,
    accepted: [bool; 2],
    must: Vec<CodeRule>,
    must_not: Vec<CodeRule>,
}

fn parse_profile(s: &str) -> Option<Profile> {
    match s {
        "upload" => Some(Profile::Upload),
        "publication" => Some(Profile::Publication),
        _ => None,
    }
}

fn parse_severity(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

fn parse_verdict(s: &str, line: usize) -> Result<bool, String> {
    match s {
        "accepted" => Ok(true),
        "refused" => Ok(false),
        other => Err(format!(
            "verdicts.md:{line}: verdict `{other}` is neither `accepted` nor `refused`"
        )),
    }
}

/// Parses a code column: `profile:code:severity`, `code:severity` (`with_severity`), or
/// `profile:code`, `code` (without); `-` is none.
fn parse_codes(cell: &str, with_severity: bool, line: usize) -> Result<Vec<CodeRule>, String> {
    let cell = cell.trim();
    if cell == "-" || cell.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for item in cell.split(',') {
        let item = item.trim().trim_matches('`');
        let mut parts: Vec<&str> = item.split(':').collect();
        let profiles = match parts.first().and_then(|p| parse_profile(p)) {
            Some(p) => {
                parts.remove(0);
                vec![p]
            }
            None => PROFILES.to_vec(),
        };
        let (code, severity) = match (with_severity, parts.as_slice()) {
            (true, [code, severity]) => match parse_severity(severity) {
                Some(s) => (*code, Some(s)),
                None => {
                    return Err(format!(
                        "verdicts.md:{line}: `{item}`: unknown severity `{severity}`"
                    ));
                }
            },
            (false, [code]) => (*code, None),
            _ => {
                return Err(format!(
                    "verdicts.md:{line}: `{item}` is not of the form {}",
                    if with_severity {
                        "[profile:]code:severity"
                    } else {
                        "[profile:]code"
                    }
                ));
            }
        };
        if !code.contains('.') {
            return Err(format!(
                "verdicts.md:{line}: `{code}` does not look like a rule code"
            ));
        }
        out.push(CodeRule {
            profiles,
            code: code.to_string(),
            severity,
        });
    }
    Ok(out)
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// The rows of the verdict table (the table whose header starts with `shape`).
fn rows() -> Result<Vec<Row>, Vec<String>> {
    let text = std::fs::read_to_string(corpus_dir().join("verdicts.md")).unwrap();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut header: Option<Vec<String>> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if !line.trim_start().starts_with('|') {
            if header.is_some() && !rows.is_empty() {
                break;
            }
            continue;
        }
        let cells = cells(line);
        if header.is_none() {
            if cells.first().map(String::as_str) == Some("shape") {
                header = Some(cells);
            }
            continue;
        }
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':')))
        {
            continue; // the separator line
        }
        let head = header.as_ref().unwrap();
        let col = |name: &str| -> Option<&str> {
            head.iter()
                .position(|h| h == name)
                .and_then(|i| cells.get(i))
                .map(String::as_str)
        };
        let (Some(shape), Some(up), Some(publ), Some(must), Some(must_not)) = (
            col("shape"),
            col("upload"),
            col("publication"),
            col("must report"),
            col("must not report"),
        ) else {
            errors.push(format!("verdicts.md:{n}: the row has too few columns"));
            continue;
        };
        let parsed = (|| -> Result<Row, String> {
            Ok(Row {
                line: n,
                shape: shape.to_string(),
                accepted: [parse_verdict(up, n)?, parse_verdict(publ, n)?],
                must: parse_codes(must, true, n)?,
                must_not: parse_codes(must_not, false, n)?,
            })
        })();
        match parsed {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    if header.is_none() {
        errors.push("verdicts.md has no table with a `shape` column".to_string());
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn codes_of(report: &Report) -> String {
    let mut seen: Vec<String> = Vec::new();
    for d in &report.diagnostics {
        let entry = format!("{}:{}", d.code, d.severity.as_str());
        if !seen.contains(&entry) {
            seen.push(entry);
        }
    }
    if seen.is_empty() {
        "none".to_string()
    } else {
        seen.join(", ")
    }
}

fn check(files: &[(String, Vec<u8>)], profile: Profile) -> Report {
    validate(
        Input::Files(files.to_vec()),
        &Options {
            profile,
            ..Options::default()
        },
    )
}

/// Every mismatch of one shape against its row.
fn judge(row: &Row, files: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, profile) in PROFILES.into_iter().enumerate() {
        let report = check(files, profile);
        let p = profile.as_str();
        let mut problems = Vec::new();
        let errors = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let accepted = errors == 0;
        if accepted != row.accepted[i] {
            problems.push(if row.accepted[i] {
                format!("expected accepted, got refused ({errors} errors)")
            } else {
                "expected refused, got accepted".to_string()
            });
        }
        for rule in row.must.iter().filter(|r| r.profiles.contains(&profile)) {
            let severity = rule.severity.unwrap_or(Severity::Error);
            let found: Vec<Severity> = report
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.code)
                .map(|d| d.severity)
                .collect();
            if found.is_empty() {
                problems.push(format!("missing {}:{}", rule.code, severity.as_str()));
            } else if !found.contains(&severity) {
                let got: Vec<&str> = found.iter().map(|s| s.as_str()).collect();
                problems.push(format!(
                    "{} is {} instead of {}",
                    rule.code,
                    got.join("/"),
                    severity.as_str()
                ));
            }
        }
        for rule in row
            .must_not
            .iter()
            .filter(|r| r.profiles.contains(&profile))
        {
            let hits = report
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.code)
                .collect::<Vec<_>>();
            if let Some(first) = hits.first() {
                problems.push(format!(
                    "unexpected {}:{} ({} time(s), first at {}{})",
                    rule.code,
                    first.severity.as_str(),
                    hits.len(),
                    first.file.as_deref().unwrap_or("<package>"),
                    first.line.map(|l| format!(":{l}")).unwrap_or_default()
                ));
            }
        }
        if !problems.is_empty() {
            out.push(format!(
                "{} [{p}] (verdicts.md:{}): {}\n    codes: {}",
                row.shape,
                row.line,
                problems.join("; "),
                codes_of(&report)
            ));
        }
    }
    out
}

#[test]
fn every_corpus_shape_gets_its_expected_verdict() {
    let shapes = shapes();
    let rows = match rows() {
        Ok(rows) => rows,
        Err(errors) => panic!("verdicts.md is malformed:\n{}", errors.join("\n")),
    };
    let mut mismatches = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for row in &rows {
        if seen.contains(&row.shape.as_str()) {
            mismatches.push(format!(
                "{} (verdicts.md:{}): a second row for the same shape",
                row.shape, row.line
            ));
            continue;
        }
        seen.push(&row.shape);
        match shapes.get(&row.shape) {
            Some(files) => mismatches.extend(judge(row, files)),
            None => mismatches.push(format!(
                "{} (verdicts.md:{}): the row has no folder tests/corpus/{}",
                row.shape, row.line, row.shape
            )),
        }
    }
    for name in shapes.keys() {
        if !seen.contains(&name.as_str()) {
            mismatches.push(format!(
                "{name}: the folder tests/corpus/{name} has no row in verdicts.md"
            ));
        }
    }
    if !mismatches.is_empty() {
        let mut msg = String::new();
        let failing: std::collections::BTreeSet<&str> = mismatches
            .iter()
            .map(|m| m.split([' ', ':']).next().unwrap_or(""))
            .collect();
        writeln!(
            msg,
            "{} of {} corpus shapes do not get their expected verdict:\n",
            failing.len(),
            rows.len().max(shapes.len())
        )
        .unwrap();
        for m in &mismatches {
            writeln!(msg, "- {m}").unwrap();
        }
        panic!("{msg}");
    }
}

#[test]
fn corpus_logos_are_pngs_of_the_required_sizes() {
    // The corpus is only worth something if its shapes are otherwise sound: the logos are
    // real PNGs of the sizes amoCRM requires (read from the IHDR chunk).
    const SIZES: &[(&str, u32, u32)] = &[
        ("logo_main.png", 400, 272),
        ("logo_small.png", 108, 108),
        ("logo.png", 130, 100),
        ("logo_medium.png", 240, 84),
        ("logo_min.png", 84, 84),
        ("logo_dp.png", 174, 109),
    ];
    let mut wrong = Vec::new();
    for (shape, files) in shapes() {
        for (path, data) in &files {
            let Some(name) = path.strip_prefix("images/") else {
                continue;
            };
            let Some(&(_, w, h)) = SIZES.iter().find(|(n, ..)| *n == name) else {
                continue;
            };
            let size = (data.len() >= 24 && data.starts_with(b"\x89PNG\r\n\x1a\n")).then(|| {
                (
                    u32::from_be_bytes(data[16..20].try_into().unwrap()),
                    u32::from_be_bytes(data[20..24].try_into().unwrap()),
                )
            });
            if size != Some((w, h)) {
                wrong.push(format!("{shape}/{path}: {size:?}, expected {w}x{h}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
