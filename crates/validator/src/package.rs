//! The in-memory package: every file of a widget by its normal path, whether it came from a
//! ZIP archive or from a folder. Entry names are admitted here: unsafe paths, duplicates,
//! OS junk, links and the size limits are judged once for both sources.

use crate::catalog as rules;
use crate::diag::{Findings, Loc};
use crate::options::Limits;
use crate::paths::{self, PathProblem};
use std::collections::{BTreeMap, HashMap};

/// The files of a widget, by normal path (`i18n/en.json`), sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Package {
    files: BTreeMap<String, Vec<u8>>,
}

impl Package {
    /// The bytes of a file.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Whether a file exists.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// A package of empty files at these paths (for tests).
    #[cfg(test)]
    pub(crate) fn from_paths(paths: &[&str]) -> Package {
        Package {
            files: paths
                .iter()
                .map(|p| ((*p).to_string(), Vec::new()))
                .collect(),
        }
    }

    /// Every file, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Every file, sorted by path, the bytes handed over (no copy).
    pub fn into_files(self) -> impl Iterator<Item = (String, Vec<u8>)> {
        self.files.into_iter()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total size of all files, in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(|v| v.len() as u64).sum()
    }

    /// When `manifest.json` is not at the root but every file sits in one top-level folder
    /// that holds it, that folder's name.
    pub fn wrapping_folder(&self) -> Option<String> {
        if self.contains("manifest.json") {
            return None;
        }
        let mut top: Option<&str> = None;
        for path in self.files.keys() {
            let (first, _) = path.split_once('/')?;
            match top {
                None => top = Some(first),
                Some(t) if t == first => {}
                Some(_) => return None,
            }
        }
        let top = top?;
        self.contains(&format!("{top}/manifest.json"))
            .then(|| top.to_string())
    }

    /// The package with a leading folder removed from every path.
    pub fn strip_folder(self, folder: &str) -> Package {
        let prefix = format!("{folder}/");
        Package {
            files: self
                .files
                .into_iter()
                .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|s| (s.to_string(), v)))
                .collect(),
        }
    }
}

/// What kind of OS junk a path is, if any.
pub fn os_junk(path: &str) -> bool {
    path == "__MACOSX"
        || path.starts_with("__MACOSX/")
        || matches!(
            paths::file_name(path),
            ".DS_Store" | "Thumbs.db" | "desktop.ini"
        )
}

/// Whether a path names an archive inside the archive.
pub fn nested_archive(path: &str) -> bool {
    matches!(
        paths::extension(path).as_deref(),
        Some("zip" | "rar" | "7z" | "tar" | "gz" | "tgz" | "bz2" | "xz" | "jar")
    )
}

/// Admits entries one by one into a package, raising the entry-level findings.
pub(crate) struct Intake<'a> {
    limits: &'a Limits,
    files: BTreeMap<String, Vec<u8>>,
    keys: HashMap<String, String>,
    total: u64,
    /// Set once the total size limit is reached: nothing more is read.
    pub exhausted: bool,
}

impl<'a> Intake<'a> {
    pub fn new(limits: &'a Limits) -> Self {
        Intake {
            limits,
            files: BTreeMap::new(),
            keys: HashMap::new(),
            total: 0,
            exhausted: false,
        }
    }

    /// Judges a name. Returns the normal path under which the entry may be read, or `None`
    /// when it is refused (the reason is raised) or is a directory.
    pub fn admit_name(&mut self, raw: &str, is_dir: bool, out: &mut Findings) -> Option<String> {
        let normal = match paths::normalize(raw) {
            Ok(n) => n,
            Err(PathProblem::Empty) if is_dir => return None,
            Err(problem) => {
                let shown = raw.escape_debug().to_string();
                let rule = match problem {
                    PathProblem::Traversal => &rules::ARCHIVE_PATH_TRAVERSAL,
                    PathProblem::Absolute => &rules::ARCHIVE_ABSOLUTE_PATH,
                    PathProblem::Backslash => &rules::ARCHIVE_BACKSLASH_PATH,
                    PathProblem::ControlChar | PathProblem::Empty => &rules::ARCHIVE_INVALID_PATH,
                };
                out.add(rule, Loc::file(shown.clone()), &[("path", &shown)]);
                return None;
            }
        };
        if is_dir {
            return None;
        }
        if os_junk(&normal) {
            out.add(
                &rules::ARCHIVE_OS_JUNK,
                Loc::file(normal.clone()),
                &[("path", &normal)],
            );
            return None;
        }
        // Every admitted name is keyed, whether or not its content is later stored, so a
        // second copy of a refused entry is still a duplicate.
        let key = paths::collision_key(&normal);
        if let Some(other) = self.keys.get(&key) {
            if *other == normal {
                out.add(
                    &rules::ARCHIVE_DUPLICATE_ENTRY,
                    Loc::file(normal.clone()),
                    &[("path", &normal)],
                );
                return None;
            }
            out.add(
                &rules::ARCHIVE_CASE_COLLISION,
                Loc::file(normal.clone()),
                &[("path", &normal), ("other", other)],
            );
            return None;
        }
        self.keys.insert(key, normal.clone());
        if nested_archive(&normal) {
            out.add(
                &rules::ARCHIVE_NESTED_ARCHIVE,
                Loc::file(normal.clone()),
                &[("path", &normal)],
            );
        }
        Some(normal)
    }

    /// How many more bytes the next entry may have before a limit is crossed: the smaller of
    /// the per-entry limit and what is left of the total.
    pub fn budget(&self) -> u64 {
        self.limits.max_entry_uncompressed.min(
            self.limits
                .max_total_uncompressed
                .saturating_sub(self.total),
        )
    }

    /// Raises the finding for an entry whose content went past `budget()`.
    pub fn over_budget(&mut self, path: &str, out: &mut Findings) {
        let left = self
            .limits
            .max_total_uncompressed
            .saturating_sub(self.total);
        if left < self.limits.max_entry_uncompressed {
            out.add(
                &rules::ARCHIVE_TOTAL_TOO_LARGE,
                Loc::file(path.to_string()),
                &[("limit", &self.limits.max_total_uncompressed)],
            );
            self.exhausted = true;
        } else {
            out.add(
                &rules::ARCHIVE_ENTRY_TOO_LARGE,
                Loc::file(path.to_string()),
                &[
                    ("path", &path),
                    ("limit", &self.limits.max_entry_uncompressed),
                ],
            );
        }
    }

    /// Stores an admitted entry's content.
    pub fn store(&mut self, path: String, data: Vec<u8>) {
        self.total += data.len() as u64;
        self.files.insert(path, data);
    }

    pub fn finish(self) -> Package {
        Package { files: self.files }
    }
}

/// Builds a package from files the caller already holds (a folder read by the CLI). The
/// same name rules and limits apply as for an archive.
pub(crate) fn from_files(
    files: Vec<(String, Vec<u8>)>,
    limits: &Limits,
    out: &mut Findings,
) -> Package {
    if files.len() > limits.max_entries {
        out.add(
            &rules::ARCHIVE_TOO_MANY_ENTRIES,
            Loc::package(),
            &[("count", &files.len()), ("limit", &limits.max_entries)],
        );
        return Package::default();
    }
    let mut intake = Intake::new(limits);
    for (name, data) in files {
        if intake.exhausted {
            break;
        }
        let Some(path) = intake.admit_name(&name, false, out) else {
            continue;
        };
        if data.len() as u64 > intake.budget() {
            intake.over_budget(&path, out);
            continue;
        }
        intake.store(path, data);
    }
    intake.finish()
}
