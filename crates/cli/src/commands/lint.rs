//! `widgetry lint <folder|zip>`: validates a widget folder (exactly the files `pack` would
//! put into `widget.zip`) or an archive, and prints every finding as text, JSON or SARIF.
//!
//! Exit status: 0 when no finding is an error, 1 when at least one is, 2 for usage errors and
//! paths that cannot be read (reported by `main`).

use crate::folder;
use crate::render::{self, sarif, text};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use widgetry_validator::{Input, Lang, Limits, Options, Profile};

// Arguments of `widgetry lint` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The widget folder or `widget.zip` to check.
    pub path: PathBuf,
    /// Which rules decide severities: `upload` (a private upload) or `publication` (a
    /// submission to moderation).
    #[arg(long, value_enum, env = "WIDGETRY_PROFILE", default_value_t = ProfileArg::Upload)]
    pub profile: ProfileArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of messages and hints [default: from LC_ALL, LC_MESSAGES or LANG, else en].
    #[arg(long, value_enum, env = "WIDGETRY_LANG")]
    pub lang: Option<LangArg>,
    /// The languages a widget may declare, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        env = "WIDGETRY_ALLOWED_LOCALES",
        default_value = "ru,en,es,pt,tr,id"
    )]
    pub allowed_locales: Vec<String>,
    /// Largest accepted archive, in bytes.
    #[arg(long, env = "WIDGETRY_MAX_ARCHIVE_BYTES", default_value_t = Limits::default().max_archive_bytes)]
    pub max_archive_bytes: u64,
    /// Most entries in the archive.
    #[arg(long, env = "WIDGETRY_MAX_ENTRIES", default_value_t = Limits::default().max_entries)]
    pub max_entries: usize,
    /// Largest total of uncompressed bytes.
    #[arg(long, env = "WIDGETRY_MAX_TOTAL_UNCOMPRESSED", default_value_t = Limits::default().max_total_uncompressed)]
    pub max_total_uncompressed: u64,
    /// Largest uncompressed entry, in bytes.
    #[arg(long, env = "WIDGETRY_MAX_ENTRY_UNCOMPRESSED", default_value_t = Limits::default().max_entry_uncompressed)]
    pub max_entry_uncompressed: u64,
}

/// `--profile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProfileArg {
    /// What a private upload must satisfy; publication rules are warnings.
    Upload,
    /// Everything a submission to moderation must satisfy.
    Publication,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Upload => Profile::Upload,
            ProfileArg::Publication => Profile::Publication,
        }
    }
}

/// `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Russian.
    Ru,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Ru => Lang::Ru,
        }
    }
}

/// `--format` of `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Text,
    /// The validation report as one JSON object.
    Json,
    /// A SARIF 2.1.0 log.
    Sarif,
}

/// The message language: `--lang` or `WIDGETRY_LANG` when given, else the locale from the
/// first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG`, else English.
pub fn resolve_lang(arg: Option<LangArg>) -> Lang {
    if let Some(lang) = arg {
        return lang.into();
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .map(|v| Lang::from_tag_list(&v))
        .unwrap_or_default()
}

/// Runs `widgetry lint`.
pub fn run(args: Args) -> Result<ExitCode> {
    let lang = resolve_lang(args.lang);
    let options = Options {
        profile: args.profile.into(),
        lang,
        allowed_locales: args
            .allowed_locales
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        limits: Limits {
            max_archive_bytes: args.max_archive_bytes,
            max_entries: args.max_entries,
            max_total_uncompressed: args.max_total_uncompressed,
            max_entry_uncompressed: args.max_entry_uncompressed,
            ..Limits::default()
        },
        integration: None,
    };
    let (checked, root) = check(&args.path, &options)?;
    let report = &checked.report;
    let output = match args.format {
        Format::Text => {
            let name = display_name(&args.path);
            let style = text::Style {
                lang,
                color: crate::shell::stdout_has_color(),
                preview: false,
            };
            text::render(report, &checked.package, &name, style)
        }
        Format::Json => render::json::render(report)?,
        Format::Sarif => {
            let origin = sarif::Origin {
                root_uri: root.as_deref().map(sarif::dir_uri),
            };
            sarif::render(report, lang, &origin)?
        }
    };
    write_stdout(&output)?;
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// How the summary names the package: the path as given, or for `.` and `..` the name of
/// the folder they stand for.
fn display_name(path: &Path) -> String {
    if path.file_name().is_some() {
        return path.display().to_string();
    }
    std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads and validates `path`; also returns the absolute folder path when it is a folder.
fn check(
    path: &Path,
    options: &Options<'_>,
) -> Result<(widgetry_validator::Checked, Option<PathBuf>)> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    if meta.is_dir() {
        let files = folder::select(path)?.read_all()?;
        let root = std::path::absolute(path).ok();
        Ok((
            widgetry_validator::check(Input::Files(files), options),
            root,
        ))
    } else {
        let bytes =
            std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
        Ok((widgetry_validator::check(Input::Zip(&bytes), options), None))
    }
}

/// Writes the result to stdout (see [`crate::shell::write_result`]).
fn write_stdout(text: &str) -> Result<()> {
    crate::shell::write_result(text).context("failed to write to standard output")
}
