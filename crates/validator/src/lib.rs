//! # widgetry-validator
//!
//! Reads an amoCRM / Kommo widget package (`widget.zip`, or the files of a widget folder)
//! and says, completely and precisely, what is wrong with it. Pure: no I/O beyond the bytes
//! handed to it, no threads, no global state but the rule catalogue.
//!
//! ```
//! use widgetry_validator::{validate, Input, Options};
//! let report = validate(Input::Zip(b"not a zip"), &Options::default());
//! assert!(!report.valid);
//! assert_eq!(report.codes(), ["archive.not_zip"]);
//! ```
//!
//! Every finding carries a stable code from [`catalog`], a severity decided by the
//! [`Profile`], a message and hint in the chosen [`Lang`], and its place: file, JSON pointer,
//! line and column. All findings are collected in one pass.
//!
//! [`check_submission`] judges a package submitted to moderation: the publication profile
//! plus the rules about what is submitted with it ([`SubmissionFields`]), in one report.

#![deny(missing_docs)]

mod archive;
mod bundled;
pub mod catalog;
mod context;
mod css;
pub mod diag;
mod i18n;
mod images;
pub mod json;
pub mod libraries;
pub mod lines;
mod listing;
mod loaders;
pub mod locations;
mod manifest;
pub mod options;
pub mod package;
pub mod paths;
mod placeholders;
pub mod preview;
mod script;
mod submission;
mod text;
mod unused;

pub use context::{Ctx, is_text_file};
pub use diag::{Diagnostic, Finding, Findings, LibraryFound, Loc, Report, Severity, ValidatorInfo};
pub use options::{IntegrationContext, Lang, Limits, Options, Profile, Scheme};
pub use package::Package;
pub use submission::SubmissionFields;

/// The validator's version, carried in every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What to validate.
#[derive(Debug, Clone)]
pub enum Input<'a> {
    /// The bytes of a `widget.zip`.
    Zip(&'a [u8]),
    /// The files of a widget folder, by relative `/`-separated path, as the CLI read them.
    Files(Vec<(String, Vec<u8>)>),
}

/// A report and the package it judged (empty when the archive could not be read).
#[derive(Debug)]
pub struct Checked {
    /// The findings.
    pub report: Report,
    /// The files, for showing source lines beside findings.
    pub package: Package,
}

/// Validates a package and returns the report.
pub fn validate(input: Input<'_>, options: &Options<'_>) -> Report {
    check(input, options).report
}

/// Validates a package and returns the report together with the files it read.
pub fn check(input: Input<'_>, options: &Options<'_>) -> Checked {
    run(input, options, None)
}

/// Checks a package for publication: the publication profile plus the submission rules, one
/// report, every finding. The profile in `options` is ignored.
///
/// Findings about the submitted fields have no file and a JSON pointer into the request
/// body (`/description/ru`, `/support_email`, `/languages/1`); findings about the package
/// point into it as usual.
pub fn check_submission(
    input: Input<'_>,
    options: &Options<'_>,
    fields: &SubmissionFields<'_>,
) -> Checked {
    let options = Options {
        profile: Profile::Publication,
        ..options.clone()
    };
    run(input, &options, Some(fields))
}

/// One validation pass; with submission fields, their rules too.
fn run(input: Input<'_>, options: &Options<'_>, fields: Option<&SubmissionFields<'_>>) -> Checked {
    let mut out = Findings::default();
    if let Some(fields) = fields {
        submission::check_fields(fields, options, &mut out);
    }
    let package = match input {
        Input::Zip(bytes) => archive::read(bytes, &options.limits, options.lang, &mut out),
        Input::Files(files) => Some(package::from_files(files, &options.limits, &mut out)),
    };
    let Some(mut package) = package else {
        return Checked {
            report: out.into_report(options.profile, options.lang),
            package: Package::default(),
        };
    };
    if let Some(folder) = package.wrapping_folder() {
        out.add(
            &catalog::ARCHIVE_WRAPPED_FOLDER,
            Loc::file(format!("{folder}/manifest.json")),
            &[("folder", &folder)],
        );
        package = package.strip_folder(&folder);
    }
    let mut ctx = Ctx::new(&package, options, out);
    if let Some(fields) = fields {
        ctx.languages = submission::languages(fields, options);
    }
    bundled::check(&mut ctx);
    text::check_encoding(&mut ctx);
    manifest::check(&mut ctx);
    i18n::check(&mut ctx);
    images::check(&mut ctx);
    script::check(&mut ctx);
    css::check(&mut ctx);
    text::check_content(&mut ctx);
    placeholders::check_package(&mut ctx);
    listing::check(&mut ctx);
    unused::check(&mut ctx);
    if let Some(fields) = fields {
        submission::check_package(&mut ctx, fields);
    }
    let report = ctx.out.into_report(options.profile, options.lang);
    Checked { report, package }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the unit tests of the rule modules.

    use crate::{Diagnostic, Input, Options, Profile, check};

    /// Validates in-memory text files and keeps the findings whose code starts with `prefix`.
    pub fn findings(files: &[(&str, &str)], profile: Profile, prefix: &str) -> Vec<Diagnostic> {
        let files = files
            .iter()
            .map(|(p, s)| ((*p).to_string(), s.as_bytes().to_vec()))
            .collect();
        let options = Options {
            profile,
            ..Options::default()
        };
        check(Input::Files(files), &options)
            .report
            .diagnostics
            .into_iter()
            .filter(|d| d.code.starts_with(prefix))
            .collect()
    }
}
