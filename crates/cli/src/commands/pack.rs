//! `widgetry pack`: builds a deterministic `widget.zip` from a widget folder.
//!
//! The folder's selection (see `folder.rs`) is linted with the upload profile first; errors
//! stop the pack. The archive holds the files at its root, sorted by path, each Deflate
//! compressed with a fixed timestamp (1980-01-01 00:00:00) and fixed permissions (0644),
//! with no directory entries and no extra fields: the same folder always gives the same
//! bytes. It is written to a temporary file beside the output and renamed into place.

use crate::folder::{self, Selection};
use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use widgetry_validator::{Input, Options, Profile, check};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

// Arguments of `widgetry pack` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The widget folder to pack.
    pub folder: PathBuf,
    /// Where to write the archive.
    #[arg(short, long, value_name = "FILE", default_value = "widget.zip")]
    pub output: PathBuf,
    /// Pack without linting first.
    #[arg(long)]
    pub no_lint: bool,
    /// Print what would go into the archive and what is left out, and write nothing.
    #[arg(long)]
    pub list: bool,
}

/// Runs `widgetry pack`.
pub fn run(args: Args) -> Result<ExitCode> {
    let selection = folder::select_excluding(&args.folder, Some(&args.output))?;
    if args.list {
        print_list(&selection);
        return Ok(ExitCode::SUCCESS);
    }
    if selection.included.is_empty() {
        anyhow::bail!("no files to pack in `{}`", args.folder.display());
    }
    status(
        "Packing",
        &format!(
            "{} ({} files)",
            args.folder.display(),
            selection.included.len()
        ),
    );
    let files = selection.read_all()?;
    if !args.no_lint {
        let lang = crate::commands::lint::resolve_lang(None);
        let options = Options {
            profile: Profile::Upload,
            lang,
            ..Options::default()
        };
        let checked = check(Input::Files(files.clone()), &options);
        let report = &checked.report;
        if !report.diagnostics.is_empty() {
            let style = crate::render::text::Style {
                lang,
                color: crate::shell::stderr_has_color(),
                preview: false,
            };
            let name = args.folder.display().to_string();
            crate::shell::report(crate::render::text::render(
                report,
                &checked.package,
                &name,
                style,
            ));
        }
        if !report.valid {
            crate::shell::error(format!(
                "refusing to pack `{}`: {} error{} (use `--no-lint` to pack anyway)",
                args.folder.display(),
                report.errors,
                plural(report.errors)
            ));
            return Ok(ExitCode::from(1));
        }
    }
    let bytes = zip_bytes(&files).context("failed to build the archive")?;
    write_atomically(&args.output, &bytes)?;
    let digest = Sha256::digest(&bytes);
    let hex = hex::encode(digest);
    status(
        "Finished",
        &format!(
            "{} ({} files, {})",
            args.output.display(),
            files.len(),
            human_size(bytes.len() as u64)
        ),
    );
    crate::say!("{}", args.output.display());
    crate::say!("  files:  {}", files.len());
    crate::say!("  size:   {} bytes", bytes.len());
    crate::say!("  sha256: {hex}");
    Ok(ExitCode::SUCCESS)
}

/// Builds the archive in memory: sorted entries, fixed metadata, Deflate.
pub fn zip_bytes(files: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .system(System::Unix)
        .large_file(false);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in sorted {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Writes to a temporary file beside `path`, then renames it into place.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("`{}` is not a file path", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes)
        .with_context(|| format!("failed to write `{}`", tmp.display()))
        .and_then(|()| {
            std::fs::rename(&tmp, path)
                .with_context(|| format!("failed to write `{}`", path.display()))
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Prints the findings, one per line. (The lint command's renderer may replace this.)
fn print_list(sel: &Selection) {
    crate::say!("included ({}):", sel.included.len());
    for f in &sel.included {
        crate::say!("  {}", f.rel);
    }
    crate::say!("left out ({}):", sel.excluded.len());
    for (path, why) in &sel.excluded {
        crate::say!("  {path}  ({why})");
    }
}

/// A cargo-style status line on stderr: a right-aligned verb and a message.
fn status(verb: &str, message: &str) {
    crate::shell::status(verb, message);
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn human_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_bytes_do_not_depend_on_input_order() {
        let a = vec![
            ("b.txt".to_string(), b"two".to_vec()),
            ("a.txt".to_string(), b"one".to_vec()),
        ];
        let mut b = a.clone();
        b.reverse();
        assert_eq!(zip_bytes(&a).unwrap(), zip_bytes(&b).unwrap());
    }

    #[test]
    fn entries_have_fixed_metadata() {
        let bytes = zip_bytes(&[("i18n/en.json".to_string(), b"{}".to_vec())]).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 1);
        let entry = archive.by_index(0).unwrap();
        assert_eq!(entry.name().unwrap(), "i18n/en.json");
        assert_eq!(entry.compression(), CompressionMethod::Deflated);
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
        assert_eq!(entry.last_modified(), Some(DateTime::default()));
        assert!(entry.extra_data().is_none_or(|e| e.is_empty()));
    }
}
