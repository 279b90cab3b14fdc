//! Reads a widget folder the way `pack` will put it into `widget.zip`: which files go in,
//! which are left out and why. `lint <folder>` judges exactly that selection.
//!
//! Left out: version-control and dependency folders (`.git/`, `node_modules/`, …), OS junk
//! (`__MACOSX/`, `.DS_Store`, `Thumbs.db`), nested `*.zip` files, symbolic links and other
//! non-regular files, the archive being written (when it lies inside the folder), the
//! root `.widgetignore` file and everything its gitignore-style patterns match.

use anyhow::{Context, Result};
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};

/// The name of the ignore file at the root of a widget folder.
pub const IGNORE_FILE: &str = ".widgetignore";

/// Folders never packed, with the reason.
const SKIPPED_DIRS: &[(&str, &str)] = &[
    (".git", "version control folder"),
    (".hg", "version control folder"),
    (".svn", "version control folder"),
    ("node_modules", "dependency folder"),
    ("__MACOSX", "macOS archive metadata"),
];

/// Files never packed, with the reason.
const SKIPPED_FILES: &[(&str, &str)] = &[
    (".DS_Store", "operating system junk file"),
    ("Thumbs.db", "operating system junk file"),
    ("desktop.ini", "operating system junk file"),
];

/// One file that goes into the package.
#[derive(Debug, Clone)]
pub struct Included {
    /// Path relative to the widget root, `/`-separated.
    pub rel: String,
    /// Where it is on disk.
    pub abs: PathBuf,
}

/// What a folder contributes to a package.
#[derive(Debug, Default)]
pub struct Selection {
    /// Files that go in, sorted by `rel`.
    pub included: Vec<Included>,
    /// Paths left out, with the reason, sorted by path. A folder left out as a whole is
    /// listed once, with a trailing `/`.
    pub excluded: Vec<(String, String)>,
}

impl Selection {
    /// Reads every included file.
    pub fn read_all(&self) -> Result<Vec<(String, Vec<u8>)>> {
        self.included
            .iter()
            .map(|f| {
                std::fs::read(&f.abs)
                    .with_context(|| format!("failed to read `{}`", f.abs.display()))
                    .map(|data| (f.rel.clone(), data))
            })
            .collect()
    }
}

/// Selects the files of a widget folder.
#[allow(dead_code)] // used by `lint`, which is being written
pub fn select(root: &Path) -> Result<Selection> {
    select_excluding(root, None)
}

/// Selects the files of a widget folder, also leaving out `output` (the archive being
/// written) when it lies inside the folder.
pub fn select_excluding(root: &Path, output: Option<&Path>) -> Result<Selection> {
    let meta = std::fs::metadata(root)
        .with_context(|| format!("failed to read folder `{}`", root.display()))?;
    if !meta.is_dir() {
        anyhow::bail!("`{}` is not a folder", root.display());
    }
    let root = root
        .canonicalize()
        .with_context(|| format!("failed to read folder `{}`", root.display()))?;
    let rules = IgnoreRules::load(&root)?;
    let output = output.and_then(canonical_output);
    let mut walk = Walk {
        root: &root,
        rules: &rules,
        output: output.as_deref(),
        sel: Selection::default(),
    };
    walk.dir(&root)?;
    let mut sel = walk.sel;
    sel.included.sort_by(|a, b| a.rel.cmp(&b.rel));
    sel.excluded.sort();
    Ok(sel)
}

/// The absolute path the output will have, even when it does not exist yet.
fn canonical_output(output: &Path) -> Option<PathBuf> {
    if let Ok(p) = output.canonicalize() {
        return Some(p);
    }
    let name = output.file_name()?;
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parent.canonicalize().ok().map(|p| p.join(name))
}

/// The patterns of the root `.widgetignore`, with the file's lines to name them.
struct IgnoreRules {
    matcher: Option<Gitignore>,
    lines: Vec<String>,
}

impl IgnoreRules {
    fn load(root: &Path) -> Result<IgnoreRules> {
        let path = root.join(IGNORE_FILE);
        if !path.is_file() {
            return Ok(IgnoreRules {
                matcher: None,
                lines: Vec::new(),
            });
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("failed to read `{}`", path.display()))?;
        let mut builder = GitignoreBuilder::new(root);
        for (i, line) in text.lines().enumerate() {
            builder
                .add_line(Some(path.clone()), line)
                .with_context(|| format!("invalid pattern on `{IGNORE_FILE}` line {}", i + 1))?;
        }
        let matcher = builder
            .build()
            .with_context(|| format!("failed to read the patterns of `{}`", path.display()))?;
        Ok(IgnoreRules {
            matcher: Some(matcher),
            lines: text.lines().map(str::to_string).collect(),
        })
    }

    /// Why a path is ignored, if it is.
    fn reason(&self, abs: &Path, is_dir: bool) -> Option<String> {
        let matcher = self.matcher.as_ref()?;
        match matcher.matched(abs, is_dir) {
            Match::Ignore(glob) => {
                let original = glob.original();
                let line = self
                    .lines
                    .iter()
                    .position(|l| l.trim() == original.trim())
                    .map(|i| format!(" line {}", i + 1))
                    .unwrap_or_default();
                Some(format!("matched `{IGNORE_FILE}`{line}: `{original}`"))
            }
            Match::None | Match::Whitelist(_) => None,
        }
    }
}

struct Walk<'a> {
    root: &'a Path,
    rules: &'a IgnoreRules,
    output: Option<&'a Path>,
    sel: Selection,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path) -> Result<()> {
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("failed to read folder `{}`", dir.display()))?;
        let mut entries = entries
            .collect::<std::io::Result<Vec<_>>>()
            .with_context(|| format!("failed to read folder `{}`", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let kind = entry
                .file_type()
                .with_context(|| format!("failed to read `{}`", path.display()))?;
            let rel = self.rel(&path);
            let Some(rel) = rel else {
                let shown = path
                    .strip_prefix(self.root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                self.exclude(shown, "the name is not valid UTF-8; rename it");
                continue;
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            if kind.is_symlink() {
                self.exclude(rel, "symbolic link (the validator refuses links)");
            } else if kind.is_dir() {
                if let Some((_, why)) = SKIPPED_DIRS.iter().find(|(n, _)| *n == name) {
                    self.exclude(format!("{rel}/"), why);
                } else if let Some(why) = self.rules.reason(&path, true) {
                    self.exclude(format!("{rel}/"), &why);
                } else {
                    self.dir(&path)?;
                }
            } else if !kind.is_file() {
                self.exclude(rel, "not a regular file");
            } else if rel == IGNORE_FILE {
                self.exclude(rel, "the ignore file itself");
            } else if self.output == Some(path.as_path()) {
                self.exclude(rel, "the archive being written");
            } else if let Some((_, why)) = SKIPPED_FILES.iter().find(|(n, _)| *n == name) {
                self.exclude(rel, why);
            } else if name.to_ascii_lowercase().ends_with(".zip") {
                self.exclude(rel, "nested archive");
            } else if let Some(why) = self.rules.reason(&path, false) {
                self.exclude(rel, &why);
            } else {
                self.sel.included.push(Included { rel, abs: path });
            }
        }
        Ok(())
    }

    /// The `/`-separated path relative to the root, if every part is UTF-8.
    fn rel(&self, path: &Path) -> Option<String> {
        let parts = path
            .strip_prefix(self.root)
            .ok()?
            .components()
            .map(|c| c.as_os_str().to_str())
            .collect::<Option<Vec<_>>>()?;
        Some(parts.join("/"))
    }

    fn exclude(&mut self, rel: String, why: &str) {
        self.sel.excluded.push((rel, why.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (p, content) in files {
            let path = dir.path().join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, content).unwrap();
        }
        dir
    }

    fn included(sel: &Selection) -> Vec<&str> {
        sel.included.iter().map(|f| f.rel.as_str()).collect()
    }

    fn reason<'a>(sel: &'a Selection, path: &str) -> Option<&'a str> {
        sel.excluded
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.as_str())
    }

    #[test]
    fn junk_is_left_out_with_reasons() {
        let dir = tree(&[
            ("manifest.json", "{}"),
            ("script.js", ""),
            ("images/logo.png", ""),
            (".git/config", ""),
            ("node_modules/x/index.js", ""),
            ("__MACOSX/._a", ""),
            (".DS_Store", ""),
            ("images/Thumbs.db", ""),
            ("old/backup.ZIP", ""),
        ]);
        let sel = select(dir.path()).unwrap();
        assert_eq!(
            included(&sel),
            ["images/logo.png", "manifest.json", "script.js"]
        );
        assert_eq!(reason(&sel, ".git/"), Some("version control folder"));
        assert_eq!(reason(&sel, "node_modules/"), Some("dependency folder"));
        assert_eq!(reason(&sel, "__MACOSX/"), Some("macOS archive metadata"));
        assert_eq!(
            reason(&sel, ".DS_Store"),
            Some("operating system junk file")
        );
        assert_eq!(
            reason(&sel, "images/Thumbs.db"),
            Some("operating system junk file")
        );
        assert_eq!(reason(&sel, "old/backup.ZIP"), Some("nested archive"));
    }

    #[test]
    fn widgetignore_patterns_name_their_line() {
        let dir = tree(&[
            ("manifest.json", "{}"),
            (".widgetignore", "# art\n\n*.psd\nsrc/\n!keep.psd\n"),
            ("art/a.psd", ""),
            ("keep.psd", ""),
            ("src/main.ts", ""),
        ]);
        let sel = select(dir.path()).unwrap();
        assert_eq!(included(&sel), ["keep.psd", "manifest.json"]);
        assert_eq!(
            reason(&sel, "art/a.psd"),
            Some("matched `.widgetignore` line 3: `*.psd`")
        );
        assert_eq!(
            reason(&sel, "src/"),
            Some("matched `.widgetignore` line 4: `src/`")
        );
        assert_eq!(
            reason(&sel, ".widgetignore"),
            Some("the ignore file itself")
        );
    }

    #[test]
    fn output_inside_the_folder_is_left_out() {
        let dir = tree(&[("manifest.json", "{}"), ("dist/widget.bin", "")]);
        let out = dir.path().join("dist/widget.bin");
        let sel = select_excluding(dir.path(), Some(&out)).unwrap();
        assert_eq!(included(&sel), ["manifest.json"]);
        assert_eq!(
            reason(&sel, "dist/widget.bin"),
            Some("the archive being written")
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_left_out() {
        let dir = tree(&[("manifest.json", "{}")]);
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("link.txt")).unwrap();
        let sel = select(dir.path()).unwrap();
        assert_eq!(included(&sel), ["manifest.json"]);
        assert!(
            reason(&sel, "link.txt")
                .unwrap()
                .starts_with("symbolic link")
        );
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = select(&dir.path().join("nope")).unwrap_err();
        assert!(err.to_string().starts_with("failed to read folder"));
    }
}
