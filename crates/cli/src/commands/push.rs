//! `widgetry push [folder|zip] --integration ID`: uploads a widget into an integration. A
//! folder is linted and packed first (exactly as `pack` would); the upload shows a progress
//! bar; the answer is the new version (number, `widget.version`, code, SHA-256 and warnings)
//! or, on refusal, the server's findings rendered like `lint` with the local source lines.

use crate::client::{self, Client, Problem};
use crate::commands::{lint, pack};
use crate::folder;
use crate::render::text;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;
use widgetry_validator::{Diagnostic, Input, Options, Profile, Report, check};

// Arguments of `widgetry push` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The widget folder or `widget.zip` to upload.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// The integration to upload into.
    #[arg(long, env = "WIDGETRY_INTEGRATION")]
    pub integration: u64,
    /// Upload without linting the folder first.
    #[arg(long)]
    pub no_lint: bool,
    #[command(flatten)]
    pub server: client::ServerArg,
}

/// Runs `widgetry push`.
pub fn run(args: Args) -> Result<ExitCode> {
    let client = args.server.client()?;
    let lang = lint::resolve_lang(None);
    let name = args.path.display().to_string();
    let (bytes, package) = if args.path.is_dir() {
        let files = folder::select(&args.path)?.read_all()?;
        let checked = check(
            Input::Files(files.clone()),
            &Options {
                profile: Profile::Upload,
                lang,
                ..Options::default()
            },
        );
        if !args.no_lint && !checked.report.valid {
            let style = text::Style {
                lang,
                color: crate::shell::stderr_has_color(),
                preview: false,
            };
            crate::shell::report(text::render(
                &checked.report,
                &checked.package,
                &name,
                style,
            ));
            crate::shell::error(format!(
                "not uploading `{name}`: fix the errors above (or use `--no-lint`)"
            ));
            return Ok(ExitCode::from(1));
        }
        let bytes = pack::zip_bytes(&files).context("failed to pack the folder")?;
        (bytes, checked.package)
    } else {
        let bytes = std::fs::read(&args.path)
            .with_context(|| format!("failed to read `{}`", args.path.display()))?;
        let package = check(Input::Zip(&bytes), &Options::default()).package;
        (bytes, package)
    };
    let outcome = client::runtime()?.block_on(upload(&client, args.integration, bytes));
    match outcome {
        Ok(answer) => {
            let v = answer.get("version").cloned().unwrap_or(Value::Null);
            let field = |k: &str| {
                v.get(k)
                    .map(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| x.to_string())
                    })
                    .unwrap_or_default()
            };
            crate::say!(
                "uploaded version {} (widget.version {}) into integration {}",
                field("number"),
                field("widget_version"),
                args.integration
            );
            crate::say!("  code:   {}", field("code"));
            crate::say!("  sha256: {}", field("sha256"));
            crate::say!("  size:   {} bytes", field("size"));
            if let Some(files) = v.get("files_base_url").and_then(Value::as_str) {
                // Signed and expiring: the owner account's way to its private files.
                crate::say!("  files:  {files}/script.js");
            }
            let warnings: Vec<Diagnostic> = answer
                .get("warnings")
                .and_then(|w| serde_json::from_value(w.clone()).ok())
                .unwrap_or_default();
            if !warnings.is_empty() {
                let style = text::Style {
                    lang,
                    color: crate::shell::stderr_has_color(),
                    preview: false,
                };
                crate::shell::report(text::render(&report_of(warnings), &package, &name, style));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => match e.downcast::<Problem>() {
            Ok(problem) if !problem.errors.is_empty() => {
                let style = text::Style {
                    lang,
                    color: crate::shell::stderr_has_color(),
                    preview: false,
                };
                crate::shell::report(text::render(
                    &report_of(problem.errors.clone()),
                    &package,
                    &name,
                    style,
                ));
                crate::shell::error(format!("the server refused the upload: {problem}"));
                Ok(ExitCode::from(1))
            }
            Ok(problem) => {
                crate::shell::error(format!("the server refused the upload: {problem}"));
                Ok(ExitCode::from(1))
            }
            Err(e) => Err(e),
        },
    }
}

/// A report around findings the server sent, for the text renderer.
fn report_of(diagnostics: Vec<Diagnostic>) -> Report {
    Report::new(Profile::Upload, diagnostics)
}

async fn upload(client: &Client, integration: u64, bytes: Vec<u8>) -> Result<Value> {
    let total = bytes.len() as u64;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("uploading");
    let counter = bar.clone();
    let chunks: Vec<bytes::Bytes> = bytes
        .chunks(64 * 1024)
        .map(bytes::Bytes::copy_from_slice)
        .collect();
    let stream = futures_util::stream::iter(chunks.into_iter().map(move |c| {
        counter.inc(c.len() as u64);
        Ok::<_, std::io::Error>(c)
    }));
    let part =
        reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), total)
            .file_name("widget.zip")
            .mime_str("application/zip")?;
    let form = reqwest::multipart::Form::new().part("widget", part);
    let response = client
        .request(
            reqwest::Method::POST,
            &format!("/api/v1/integrations/{integration}/versions"),
        )
        .multipart(form)
        .send()
        .await
        .with_context(|| client.unreachable());
    bar.finish_and_clear();
    let response = client::check(response?).await?;
    Ok(response.json().await?)
}
