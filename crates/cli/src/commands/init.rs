//! `widgetry init`: writes a new widget folder that passes the checks.
//!
//! The files come from `widgetry-scaffold` (pure, in memory); this module checks the
//! arguments, refuses to overwrite a non-empty folder without `--force`, writes the files
//! and says what the author must still supply.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use widgetry_scaffold::{LOCALES, ScaffoldOptions, Support, check_location, scaffold};

// Arguments of `widgetry init` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create the widget in.
    pub dir: PathBuf,
    /// The widget's display name (at most 30 characters for publication).
    #[arg(long, default_value = "My widget")]
    pub name: String,
    /// Languages, comma-separated (allowed: ru, en, es, pt, tr, id).
    #[arg(long, value_delimiter = ',', default_value = "ru,en")]
    pub locales: Vec<String>,
    /// Manifest locations, comma-separated (e.g. lcard-1,ccard-1,settings).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "lcard-1,ccard-1,settings"
    )]
    pub locations: Vec<String>,
    /// Support e-mail address.
    #[arg(long, value_name = "EMAIL")]
    pub support_email: Option<String>,
    /// Support page (https://…).
    #[arg(long, value_name = "URL")]
    pub support_link: Option<String>,
    /// Support phone, shown in the description.
    #[arg(long, value_name = "PHONE")]
    pub support_phone: Option<String>,
    /// Write into a folder that is not empty, overwriting files of the same name.
    #[arg(long)]
    pub force: bool,
}

/// Runs `widgetry init`.
pub fn run(args: Args) -> Result<ExitCode> {
    let opts = options(&args)?;
    check_target(&args.dir, args.force)?;
    let files = scaffold(&opts);
    for (rel, data) in &files {
        let path = args.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("failed to create folder `{}`", parent.display()))?;
        }
        std::fs::write(&path, data)
            .with_context(|| format!("failed to write `{}`", path.display()))?;
    }
    crate::shell::status(
        "Created",
        format!(
            "widget `{}` in {} ({} files)",
            opts.name,
            args.dir.display(),
            files.len()
        ),
    );
    for (rel, _) in &files {
        crate::say!("  {rel}");
    }
    let missing = missing_contacts(&args);
    if !missing.is_empty() {
        crate::say!();
        crate::say!("still to supply before publication:");
        for m in &missing {
            crate::say!("  - {m}");
        }
    }
    let dir = shell_path(&args.dir);
    crate::say!();
    crate::say!("next steps:");
    crate::say!("  widgetry lint {dir} --profile publication");
    crate::say!("  widgetry pack {dir}");
    Ok(ExitCode::SUCCESS)
}

/// Checks the arguments and turns them into scaffold options.
fn options(args: &Args) -> Result<ScaffoldOptions> {
    let name = args.name.trim();
    if name.is_empty() {
        bail!("the widget name is empty");
    }
    if name.chars().count() > 30 {
        crate::shell::warn(format!(
            "the name `{name}` is longer than 30 characters; publication requires at most 30"
        ));
    }
    let locales = clean_list(&args.locales);
    if locales.is_empty() {
        bail!("no locale given; use `--locales ru,en`");
    }
    for locale in &locales {
        if !LOCALES.contains(&locale.as_str()) {
            bail!("unknown locale `{locale}`; allowed: {}", LOCALES.join(", "));
        }
    }
    let locations = clean_list(&args.locations);
    if locations.is_empty() {
        bail!("no location given; use e.g. `--locations lcard-1,settings`");
    }
    for location in &locations {
        check_location(location).map_err(anyhow::Error::msg)?;
    }
    let support = match (&args.support_link, &args.support_email) {
        (None, None) => None,
        (link, email) => {
            if let Some(link) = link
                && !(link.starts_with("https://") || link.starts_with("http://"))
            {
                bail!("the support link `{link}` is not an http(s) URL");
            }
            if let Some(email) = email
                && !looks_like_email(email)
            {
                bail!("the support e-mail `{email}` is not an e-mail address");
            }
            Some(Support {
                link: link
                    .clone()
                    .unwrap_or_else(|| widgetry_scaffold::PLACEHOLDER_LINK.to_string()),
                email: email
                    .clone()
                    .unwrap_or_else(|| widgetry_scaffold::PLACEHOLDER_EMAIL.to_string()),
            })
        }
    };
    Ok(ScaffoldOptions {
        name: name.to_string(),
        locales,
        locations,
        support,
        phone: args.support_phone.clone(),
    })
}

/// Trimmed, non-empty, deduplicated entries in their given order.
fn clean_list(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

fn looks_like_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Refuses an existing non-empty folder (unless `force`) and anything that is not a folder.
fn check_target(dir: &Path, force: bool) -> Result<()> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).with_context(|| format!("failed to read `{}`", dir.display())),
        Ok(meta) if !meta.is_dir() => bail!("`{}` exists and is not a folder", dir.display()),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dir)
                .with_context(|| format!("failed to read folder `{}`", dir.display()))?;
            if entries.next().is_some() && !force {
                bail!(
                    "folder `{}` is not empty; use `--force` to write into it anyway",
                    dir.display()
                );
            }
            Ok(())
        }
    }
}

/// What the author must still supply, in words.
fn missing_contacts(args: &Args) -> Vec<String> {
    let mut out = Vec::new();
    if args.support_link.is_none() {
        out.push(format!(
            "a support page: replace `{}` in manifest.json (`widget.support.link`)",
            widgetry_scaffold::PLACEHOLDER_LINK
        ));
    }
    if args.support_email.is_none() {
        out.push(format!(
            "a support e-mail: replace `{}` in manifest.json and in every i18n description",
            widgetry_scaffold::PLACEHOLDER_EMAIL
        ));
    }
    if args.support_phone.is_none() {
        out.push(format!(
            "a support phone: replace `{}` and the TODO sentence in every i18n description",
            widgetry_scaffold::PLACEHOLDER_PHONE
        ));
    }
    out
}

/// The folder as it can be typed in a shell (quoted when it holds spaces or quotes).
fn shell_path(dir: &Path) -> String {
    let s = dir.display().to_string();
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_trimmed_and_deduplicated() {
        let items = vec![" ru".to_string(), "en".into(), "".into(), "ru".into()];
        assert_eq!(clean_list(&items), ["ru", "en"]);
    }

    #[test]
    fn shell_paths_are_quoted_when_needed() {
        assert_eq!(shell_path(Path::new("my-widget")), "my-widget");
        assert_eq!(shell_path(Path::new("my widget")), "'my widget'");
        assert_eq!(shell_path(Path::new("it's")), "'it'\\''s'");
    }
}
