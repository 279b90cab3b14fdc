//! Known third-party libraries bundled in a package: each `.js` and `.css` file is looked up
//! in the table of published library files ([`crate::libraries`]); a recognised file is listed
//! in the report, exempt from the rules about the author's own code (its findings would be
//! about code the author did not write), and its published vulnerabilities are reported.
//!
//! Style sheets stay under the CSS rules even when recognised: a global selector restyles the
//! CRM whoever wrote it.

use crate::catalog as rules;
use crate::context::Ctx;
use crate::diag::{LibraryFound, Loc};
use crate::libraries::{self, Recognition};

/// Recognises the libraries of the package, records them in `ctx`, and reports vulnerable
/// versions.
pub fn check(ctx: &mut Ctx<'_>) {
    let package = ctx.package;
    for (path, bytes) in package.files() {
        if !matches!(
            crate::paths::extension(path).as_deref(),
            Some("js" | "mjs" | "css")
        ) {
            continue;
        }
        let Some(library) = libraries::recognise(path, bytes) else {
            continue;
        };
        let advisories: Vec<String> = libraries::advisories(library.name, &library.version)
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        if !advisories.is_empty() {
            ctx.out.add(
                &rules::LIBRARY_VULNERABLE,
                Loc::file(path),
                &[
                    ("file", &path),
                    ("library", &library.name),
                    ("version", &library.version),
                    ("advisories", &advisories.join(", ")),
                ],
            );
        }
        let how = match library.how {
            Recognition::Hash => "hash",
            Recognition::NormalisedHash => "normalised_hash",
            Recognition::Banner => "banner",
        };
        ctx.out.library(LibraryFound {
            file: path.to_string(),
            name: library.name.to_string(),
            version: library.version.clone(),
            how: how.to_string(),
            advisories,
        });
        ctx.libraries.insert(path.to_string());
    }
}
