//! Reads a ZIP archive into a [`Package`] without trusting its headers: every entry is
//! inflated under the per-entry, total and ratio limits, and reading stops the moment a limit
//! is crossed, so a hostile archive costs at most the configured budget.

use crate::catalog as rules;
use crate::diag::{Findings, Loc};
use crate::options::{Lang, Limits};
use crate::package::{Intake, Package};
use flate2::{Decompress, FlushDecompress, Status};
use std::io::Cursor;
use zip::CompressionMethod;
use zip::HasZipMetadata;
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
    // One inflate state serves every entry (reset between them) instead of one per entry.
    let mut inflater = Decompress::new(false);
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
        // The local header is parsed only for where the data starts; the data itself is
        // read straight from the archive's bytes.
        let data = match entry.get_metadata().data_start(&mut body) {
            Ok(start) => stored_bytes(bytes, start, entry.compressed_size()),
            Err(e) => {
                out.add(
                    &rules::ARCHIVE_CORRUPT_ENTRY,
                    Loc::file(path.clone()),
                    &[("path", &path), ("detail", &e)],
                );
                continue;
            }
        };
        let entry_data = EntryData {
            data,
            deflated: method == CompressionMethod::Deflated,
            crc: entry.crc32(),
            declared,
        };
        match entry_data.inflate(&mut inflater, budget, compressed, limits) {
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
    Broken(&'static str),
}

/// The bytes an entry's header says it holds, cut at the end of the archive: an entry whose
/// data runs past the end is judged by what is there (its stream or checksum then fails).
fn stored_bytes(bytes: &[u8], start: u64, compressed: u64) -> &[u8] {
    let rest = usize::try_from(start)
        .ok()
        .and_then(|start| bytes.get(start..))
        .unwrap_or_default();
    at_most(rest, compressed)
}

/// The first `n` bytes of `bytes`, or all of them when there are fewer.
fn at_most(bytes: &[u8], n: u64) -> &[u8] {
    let n = usize::try_from(n).map_or(bytes.len(), |n| n.min(bytes.len()));
    &bytes[..n]
}

/// One entry's stored bytes and what its central header says about them.
struct EntryData<'a> {
    data: &'a [u8],
    deflated: bool,
    crc: u32,
    declared: u64,
}

impl EntryData<'_> {
    /// Inflates the entry, stopping as soon as it is over the budget, larger than its header
    /// declares or, past the ratio threshold, more than `max_ratio` times its compressed
    /// size; then checks its CRC-32.
    fn inflate(
        &self,
        inflater: &mut Decompress,
        budget: u64,
        compressed: u64,
        limits: &Limits,
    ) -> Result<Vec<u8>, Inflate> {
        let ratio_cap = limits
            .ratio_threshold
            .max(compressed.max(1).saturating_mul(limits.max_ratio));
        // Never produce more than one byte past the smallest limit, whatever the stream holds.
        let cap = budget.min(ratio_cap);
        let limit = self.declared.min(cap);
        let (data, over) = if self.deflated {
            inflate_at_most(inflater, self.data, limit)?
        } else {
            let kept = at_most(self.data, limit);
            (kept.to_vec(), kept.len() < self.data.len())
        };
        if over {
            let len = limit.saturating_add(1);
            return Err(if self.declared <= cap {
                Inflate::Broken("File is larger than its declared uncompressed size")
            } else if len > budget {
                Inflate::OverBudget
            } else {
                Inflate::Ratio(len / compressed.max(1))
            });
        }
        if crc32fast::hash(&data) != self.crc {
            return Err(Inflate::Broken("Invalid checksum"));
        }
        Ok(data)
    }
}

/// Inflates a raw deflate stream into at most `limit` bytes; the flag tells whether the
/// stream holds more than that. The output has room for one byte more: a stream that fills
/// it is over the limit, and is not inflated any further.
fn inflate_at_most(
    inflater: &mut Decompress,
    mut input: &[u8],
    limit: u64,
) -> Result<(Vec<u8>, bool), Inflate> {
    const CORRUPT: Inflate = Inflate::Broken("corrupt deflate stream");
    inflater.reset(false);
    let room = usize::try_from(limit.saturating_add(1)).map_err(|_| CORRUPT)?;
    let mut data = Vec::with_capacity(room);
    loop {
        let (in_before, out_before) = (inflater.total_in(), inflater.total_out());
        let status = inflater
            .decompress_vec(input, &mut data, FlushDecompress::Finish)
            .map_err(|_| CORRUPT)?;
        if data.len() == room {
            data.pop();
            return Ok((data, true));
        }
        let used = usize::try_from(inflater.total_in() - in_before).map_err(|_| CORRUPT)?;
        input = input.get(used..).unwrap_or_default();
        if status == Status::StreamEnd {
            return Ok((data, false));
        }
        // The input ran out (or the stream is stuck) before the stream's end.
        if used == 0 && inflater.total_out() == out_before {
            return Err(Inflate::Broken("incomplete deflate stream"));
        }
    }
}
