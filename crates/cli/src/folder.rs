//! Reads a widget folder the way `pack` will put it into `widget.zip`: which files go in,
//! which are left out and why. `lint <folder>` judges exactly that selection.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

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
    /// Paths left out, with the reason.
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

/// Selects the files of a widget folder. (First cut: every regular file; the exclusion
/// rules are being written.)
pub fn select(root: &Path) -> Result<Selection> {
    let mut sel = Selection::default();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .with_context(|| format!("failed to read folder `{}`", dir.display()))?;
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let rel = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                sel.included.push(Included { rel, abs: path });
            }
        }
    }
    sel.included.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(sel)
}
