//! Findings and the report: what a check raises (a rule, a place, arguments) and what the
//! caller receives (every finding resolved to a severity and a message in one language).

use crate::catalog::{self, Rule};
use crate::options::{Lang, Profile};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

/// How serious a finding is under the chosen profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never blocks.
    Info,
    /// Looks wrong; does not block under this profile.
    Warning,
    /// Blocks the upload or the submission.
    Error,
}

impl Severity {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where a finding is: a file, and inside it a JSON pointer and/or a line and column
/// (1-based; the column counts Unicode characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loc {
    /// Path inside the package, `/`-separated, no leading slash.
    pub file: Option<String>,
    /// JSON pointer into the file (RFC 6901), for JSON files.
    pub pointer: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column, in characters.
    pub column: Option<u32>,
}

impl Loc {
    /// The package as a whole.
    pub fn package() -> Loc {
        Loc::default()
    }

    /// A whole file.
    pub fn file(file: impl Into<String>) -> Loc {
        Loc {
            file: Some(file.into()),
            ..Loc::default()
        }
    }

    /// A position in a file.
    pub fn at(file: impl Into<String>, line: u32, column: u32) -> Loc {
        Loc {
            file: Some(file.into()),
            line: Some(line),
            column: Some(column),
            pointer: None,
        }
    }
}

/// A finding as a check raises it, before it is put into a language.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule it breaks.
    pub rule: &'static Rule,
    /// Where.
    pub loc: Loc,
    /// Values for the message and hint placeholders.
    pub args: Vec<(&'static str, String)>,
    /// The most this finding may weigh, whatever the profile says (a rule whose weight
    /// depends on what was found, such as remote code on a public host or a test host).
    pub at_most: Option<Severity>,
}

/// Collects findings during one validation pass. It keeps the first [`MAX_LISTED`] findings
/// of each rule and weight, and counts the rest: a package that repeats one mistake
/// thousands of times costs a counter, not a finding (and memory) per repetition. Findings
/// of one rule and weight have the same severity under any profile, so every severity that
/// occurs keeps findings and the verdict is the same as with all of them.
#[derive(Debug, Default)]
pub struct Findings {
    items: Vec<Finding>,
    libraries: Vec<LibraryFound>,
    /// How many findings each rule (by code) and weight has raised.
    raised: HashMap<(&'static str, Option<Severity>), usize>,
    /// By code, how many findings were not kept.
    omitted: BTreeMap<&'static str, usize>,
}

impl Findings {
    /// Raises a finding.
    pub fn add(&mut self, rule: &'static Rule, loc: Loc, args: &[(&'static str, &dyn Display)]) {
        self.push(rule, loc, args, None);
    }

    /// Raises a finding that weighs at most `at_most` under any profile.
    pub fn add_at_most(
        &mut self,
        rule: &'static Rule,
        loc: Loc,
        args: &[(&'static str, &dyn Display)],
        at_most: Severity,
    ) {
        self.push(rule, loc, args, Some(at_most));
    }

    fn push(
        &mut self,
        rule: &'static Rule,
        loc: Loc,
        args: &[(&'static str, &dyn Display)],
        at_most: Option<Severity>,
    ) {
        let raised = self.raised.entry((rule.code, at_most)).or_default();
        *raised += 1;
        if *raised > MAX_LISTED {
            *self.omitted.entry(rule.code).or_default() += 1;
            return;
        }
        self.items.push(Finding {
            rule,
            loc,
            args: args.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            at_most,
        });
    }

    /// Records a known library found in the package.
    pub fn library(&mut self, library: LibraryFound) {
        self.libraries.push(library);
    }

    /// Everything raised so far.
    pub fn items(&self) -> &[Finding] {
        &self.items
    }

    /// Whether a rule has been raised.
    pub fn has(&self, rule: &'static Rule) -> bool {
        self.items.iter().any(|f| std::ptr::eq(f.rule, rule))
    }

    /// Resolves severities and messages into a report.
    pub fn into_report(self, profile: Profile, lang: Lang) -> Report {
        let mut diagnostics: Vec<Diagnostic> = self
            .items
            .into_iter()
            .map(|f| {
                let severity = match f.at_most {
                    Some(cap) => f.rule.severity(profile).min(cap),
                    None => f.rule.severity(profile),
                };
                let mut hint = catalog::fill(f.rule.hint.get(lang), &f.args);
                // A warning now that moderation will refuse says so.
                let publication = match f.at_most {
                    Some(cap) => f.rule.publication.min(cap),
                    None => f.rule.publication,
                };
                if severity < Severity::Error && publication == Severity::Error {
                    hint.push_str(match lang {
                        Lang::En => " (at moderation this is an error: the submission is refused until it is fixed)",
                        Lang::Ru => " (на модерации это ошибка: заявку не примут, пока это не исправлено)",
                    });
                }
                Diagnostic {
                    code: f.rule.code.to_string(),
                    severity,
                    message: catalog::fill(f.rule.message.get(lang), &f.args),
                    file: f.loc.file,
                    pointer: f.loc.pointer,
                    line: f.loc.line,
                    column: f.loc.column,
                    hint,
                }
            })
            .collect();
        // Package-wide findings first, then by file and position; the sort is stable, so
        // findings at one place keep the order the checks raised them in.
        diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        diagnostics.dedup();
        // The notes about findings not listed go with the package-wide findings, first.
        let rule = &catalog::PACKAGE_MORE_FINDINGS;
        let notes: Vec<Diagnostic> = self
            .omitted
            .iter()
            .map(|(code, count)| {
                let args = [
                    ("count", count.to_string()),
                    ("code", (*code).to_string()),
                    ("limit", MAX_LISTED.to_string()),
                ];
                Diagnostic {
                    code: rule.code.to_string(),
                    severity: rule.severity(profile),
                    message: catalog::fill(rule.message.get(lang), &args),
                    file: None,
                    pointer: None,
                    line: None,
                    column: None,
                    hint: catalog::fill(rule.hint.get(lang), &args),
                }
            })
            .collect();
        let split = diagnostics.partition_point(|d| d.file.is_none() && d.line.is_none());
        diagnostics.splice(split..split, notes);
        let mut report = Report::new(profile, diagnostics);
        let mut libraries = self.libraries;
        libraries.sort_by(|a, b| a.file.cmp(&b.file));
        report.libraries = libraries;
        report
    }
}

/// A report lists at most this many findings of one rule and weight; past that, one
/// `package.more_findings` note per rule says how many more there were.
pub const MAX_LISTED: usize = 100;

/// One finding in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable rule code, such as `manifest.missing_field`.
    pub code: String,
    /// Severity under the report's profile.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The file, when the finding is about one.
    pub file: Option<String>,
    /// JSON pointer into the file, for JSON files.
    pub pointer: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column, in characters.
    pub column: Option<u32>,
    /// How to fix it.
    pub hint: String,
}

/// Which validator produced a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidatorInfo {
    /// The validator's version.
    pub version: String,
    /// SHA-256 of the rule set (codes, severities, texts, default limits).
    pub rules_hash: String,
}

/// The result of validating one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Which validator produced it.
    pub validator: ValidatorInfo,
    /// The profile that decided severities.
    pub profile: Profile,
    /// No finding is an error.
    pub valid: bool,
    /// How many findings are errors.
    pub errors: usize,
    /// How many findings are warnings.
    pub warnings: usize,
    /// Every finding.
    pub diagnostics: Vec<Diagnostic>,
    /// Known third-party libraries recognised in the package (their code is not judged as
    /// the author's), by file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub libraries: Vec<LibraryFound>,
}

/// A known library recognised in a package file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryFound {
    /// The file, a path inside the package.
    pub file: String,
    /// The library's name, such as `jQuery`.
    pub name: String,
    /// Its version.
    pub version: String,
    /// How it was recognised: `hash` (the file is byte for byte a published release file),
    /// `normalised_hash` (the same but for line endings or trailing blanks) or `banner` (its
    /// licence banner and file name only: lower confidence).
    pub how: String,
    /// Published vulnerabilities of that version (advisory identifiers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advisories: Vec<String>,
}

impl Report {
    /// A report of this validator around findings (counts and `valid` derived from them),
    /// such as the findings a server sent back.
    pub fn new(profile: Profile, diagnostics: Vec<Diagnostic>) -> Report {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        Report {
            validator: ValidatorInfo {
                version: crate::VERSION.to_string(),
                rules_hash: catalog::rules_hash().to_string(),
            },
            profile,
            valid: errors == 0,
            errors,
            warnings,
            diagnostics,
            libraries: Vec::new(),
        }
    }

    /// The codes of all findings, in report order (handy in tests).
    pub fn codes(&self) -> Vec<&str> {
        self.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }
}
