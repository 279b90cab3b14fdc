//! Reads a ZIP archive into a [`Package`] without trusting its headers: every entry is
//! inflated under the per-entry, total and ratio limits, and reading stops the moment a limit
//! is crossed, so a hostile archive costs at most the configured budget.

use crate::catalog as rules;
use crate::diag::{Findings, Loc};
use crate::options::{Lang, Limits};
use crate::package::{Intake, Package};
use std::io::{Cursor, Read};
use zip::CompressionMethod;
use zip::ZipReadOptions;
use zip::unstable::read::ZipIterable;

/// Reads an archive. Returns `None` when it cannot be read at all (the reason is raised).
pub(crate) fn read(
    bytes: &[u8],
    limits: &Limits,
    lang: Lang,
    out: &mut Findings,
) -> Option<Package> {
    if bytes.len() as u64 > limits.max_archive_bytes {
        out.add(
            &rules::ARCHIVE_TOO_LARGE,
            Loc::package(),
            &[("size", &bytes.len()), ("limit", &limits.max_archive_bytes)],
        );
        return None;
    }
    if !bytes.starts_with(b"PK") {
        let what = match (bytes.is_empty(), lang) {
            (true, Lang::En) => "the file is empty",
            (true, Lang::Ru) => "файл пуст",
            (false, Lang::En) => "it does not start with a ZIP signature",
            (false, Lang::Ru) => "он не начинается с сигнатуры ZIP",
        };
        out.add(
            &rules::ARCHIVE_NOT_ZIP,
            Loc::package(),
            &[("detail", &what)],
        );
        return None;
    }
    let mut archive = match ZipIterable::try_new(Cursor::new(bytes), Default::default()) {
        Ok(a) => a,
        Err(e) => {
            out.add(&rules::ARCHIVE_CORRUPT, Loc::package(), &[("detail", &e)]);
            return None;
        }
    };
    if archive.len() > limits.max_entries {
        out.add(
            &rules::ARCHIVE_TOO_MANY_ENTRIES,
            Loc::package(),
            &[("count", &archive.len()), ("limit", &limits.max_entries)],
        );
        return None;
    }
    let mut intake = Intake::new(limits);
    let mut body = Cursor::new(bytes);
    let entries = match archive.files() {
        Ok(e) => e,
        Err(e) => {
            out.add(&rules::ARCHIVE_CORRUPT, Loc::package(), &[("detail", &e)]);
            return None;
        }
    };
    for next in entries.by_ref() {
        if intake.exhausted {
            break;
        }
        let entry = match next {
            Ok(entry) => entry,
            Err(e) => {
                out.add(&rules::ARCHIVE_CORRUPT, Loc::package(), &[("detail", &e)]);
                break;
            }
        };
        let raw = entry.name_raw();
        let Ok(name) = std::str::from_utf8(raw) else {
            let shown = String::from_utf8_lossy(raw).to_string();
            out.add(
                &rules::ARCHIVE_NON_UTF8_NAME,
                Loc::file(shown.clone()),
                &[("path", &shown)],
            );
            continue;
        };
        let name = name.to_string();
        let is_dir = entry.is_dir();
        let Some(path) = intake.admit_name(&name, is_dir, out) else {
            continue;
        };
        if entry.is_symlink() {
            out.add(
                &rules::ARCHIVE_SYMLINK,
                Loc::file(path.clone()),
                &[("path", &path)],
            );
            continue;
        }
        if entry.encrypted() {
            out.add(
                &rules::ARCHIVE_ENCRYPTED_ENTRY,
                Loc::file(path.clone()),
                &[("path", &path)],
            );
            continue;
        }
        let method = entry.compression();
        if !matches!(
            method,
            CompressionMethod::Stored | CompressionMethod::Deflated
        ) {
            out.add(
                &rules::ARCHIVE_UNSUPPORTED_COMPRESSION,
                Loc::file(path.clone()),
                &[("path", &path), ("method", &method)],
            );
            continue;
        }
        // The ratio is judged against the compressed bytes the archive can actually hold
        // from this entry on, not against a size the header may have inflated.
        let available = (bytes.len() as u64).saturating_sub(entry.header_start());
        let compressed = entry.compressed_size().min(available);
        let budget = intake.budget();
        let declared = entry.size();
        if declared > budget {
            intake.over_budget(&path, out);
            continue;
        }
        let file = match entry.with_reader(&mut body, ZipReadOptions::new()) {
            Ok(f) => f,
            Err(e) => {
                out.add(
                    &rules::ARCHIVE_CORRUPT_ENTRY,
                    Loc::file(path.clone()),
                    &[("path", &path), ("detail", &e)],
                );
                continue;
            }
        };
        match inflate(file, budget, compressed, declared, limits) {
            Ok(data) => intake.store(path, data),
            Err(Inflate::OverBudget) => intake.over_budget(&path, out),
            Err(Inflate::Ratio(ratio)) => out.add(
                &rules::ARCHIVE_RATIO_EXCEEDED,
                Loc::file(path.clone()),
                &[
                    ("path", &path),
                    ("ratio", &ratio),
                    ("limit", &limits.max_ratio),
                ],
            ),
            Err(Inflate::Broken(e)) => out.add(
                &rules::ARCHIVE_CORRUPT_ENTRY,
                Loc::file(path.clone()),
                &[("path", &path), ("detail", &e)],
            ),
        }
    }
    Some(intake.finish())
}

enum Inflate {
    OverBudget,
    Ratio(u64),
    Broken(std::io::Error),
}

/// Inflates one entry in chunks, stopping as soon as it is over the budget or, past the ratio
/// threshold, more than `max_ratio` times its compressed size.
fn inflate(
    file: impl Read,
    budget: u64,
    compressed: u64,
    declared: u64,
    limits: &Limits,
) -> Result<Vec<u8>, Inflate> {
    let ratio_cap = limits
        .ratio_threshold
        .max(compressed.max(1).saturating_mul(limits.max_ratio));
    // Never read more than one byte past the smaller limit, whatever the stream holds.
    let cap = budget.min(ratio_cap);
    let mut data = Vec::with_capacity(usize::try_from(declared.min(cap)).unwrap_or(0));
    if let Err(e) = file.take(cap.saturating_add(1)).read_to_end(&mut data) {
        return Err(Inflate::Broken(e));
    }
    let len = data.len() as u64;
    if len > budget {
        return Err(Inflate::OverBudget);
    }
    if len > ratio_cap {
        return Err(Inflate::Ratio(len / compressed.max(1)));
    }
    Ok(data)
}
