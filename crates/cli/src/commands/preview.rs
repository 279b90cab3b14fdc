//! `widgetry preview <folder|zip>`: runs the widget's `script.js` in the preview's emulated
//! amoCRM page, the same host the server's preview serves (`widgetry_preview`), in the
//! system's headless Chromium: one run per area the manifest opens (or those asked with
//! `--location`), then prints what the widget did as findings (`preview.*` rules), like
//! `lint`. `--open` serves the preview on 127.0.0.1 and prints its address instead, until
//! interrupted.
//!
//! The widget's files, the host and the frame are served by a loopback HTTP server of this
//! process; the frame is sandboxed by its own content security policy, as on the server. When
//! a run is over the host posts its events (and the screenshot it drew of the area) back to
//! that server, and the browser is closed. `--screenshots DIR` keeps the screenshots as
//! `DIR/<area>.png`.
//!
//! Exit status: 0 when no finding is an error, 1 when at least one is, 2 for usage errors,
//! unreadable paths, a package without `manifest.json` or `script.js`, or no browser.

use super::lint::{LangArg, resolve_lang};
use crate::folder;
use crate::render::{self, text};
use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use widgetry_preview::{areas, assets, fixtures::Overrides, frame};
use widgetry_validator::preview::Event;
use widgetry_validator::{Input, Options, Package, Profile};

// Arguments of `widgetry preview` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The widget folder or `widget.zip` to run.
    pub path: PathBuf,
    /// An area to run in (`lcard`, `llist`, `settings`, `advanced-settings`, `leads-dp`, ...),
    /// repeatable [default: every area the manifest's locations open].
    #[arg(long = "location", value_name = "AREA")]
    pub locations: Vec<String>,
    /// The widget's language to run in, one of its `widget.locale` [default: the first].
    #[arg(long)]
    pub locale: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of messages and hints [default: from LC_ALL, LC_MESSAGES or LANG, else en].
    #[arg(long, value_enum, env = "WIDGETRY_LANG")]
    pub lang: Option<LangArg>,
    /// Serve the preview on 127.0.0.1 and print its address, instead of running it.
    #[arg(long)]
    pub open: bool,
    /// The Chromium (or Chrome) binary.
    #[arg(long, env = "WIDGETRY_CHROMIUM", default_value = "/usr/bin/chromium")]
    pub chromium: PathBuf,
    /// Seconds one area may run.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Write each area's screenshot to this folder as `<area>.png` (created if missing).
    #[arg(long, value_name = "DIR")]
    pub screenshots: Option<PathBuf>,
}

/// What the host posts when a run is over.
#[derive(Debug, Default, serde::Deserialize)]
struct Reported {
    #[serde(default)]
    events: Vec<Event>,
    /// The area drawn when the run ended, as a PNG data URL.
    #[serde(default)]
    screenshot: Option<String>,
}

/// `--format` of `preview`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style diagnostics with source snippets.
    Text,
    /// The findings as one JSON object (the shape of `lint --format json`).
    Json,
}

/// What the loopback server serves: the package and how to run it.
struct Site {
    package: Package,
    manifest: Value,
    code: String,
    version: String,
    locale: String,
    /// `http://127.0.0.1:<port>`.
    base: String,
    /// Where runs report their events: `(area, events)`.
    reports: std::sync::Mutex<mpsc::Sender<(String, Reported)>>,
}

/// The most bytes a run's report may have.
const MAX_REPORT_BYTES: usize = 4 * 1024 * 1024;

/// Runs `widgetry preview`.
pub fn run(args: Args) -> Result<ExitCode> {
    let lang = resolve_lang(args.lang);
    let package = read(&args.path)?;
    let manifest: Value = package
        .get("manifest.json")
        .ok_or_else(|| anyhow!("`{}` has no manifest.json", args.path.display()))
        .and_then(|b| {
            serde_json::from_slice(b).context("manifest.json is not JSON: run `widgetry lint`")
        })?;
    if !package.contains("script.js") {
        bail!("`{}` has no script.js", args.path.display());
    }
    let (open, _) = areas::of_manifest(&manifest);
    let chosen: Vec<areas::Area> = if args.locations.is_empty() {
        open
    } else {
        let mut chosen = Vec::new();
        for asked in &args.locations {
            let area = open
                .iter()
                .find(|a| a.id == asked)
                .copied()
                .ok_or_else(|| {
                    let ids: Vec<&str> = open.iter().map(|a| a.id).collect();
                    anyhow!(
                        "the manifest opens no area `{asked}`; it opens: {}",
                        ids.join(", ")
                    )
                })?;
            chosen.push(area);
        }
        chosen
    };
    let locale = frame::language(&manifest, args.locale.as_deref(), "");
    if let Some(asked) = &args.locale
        && *asked != locale
    {
        bail!(
            "the widget declares no locale `{asked}` (widget.locale: {})",
            frame::locales(&manifest).join(", ")
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("failed to start the preview server")?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .context("failed to listen on 127.0.0.1")?;
    let port = listener.local_addr()?.port();
    let text_of = |pointer: &str| {
        manifest
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (reports, reported) = mpsc::channel();
    let site = Arc::new(Site {
        reports: std::sync::Mutex::new(reports),
        code: Some(text_of("/widget/code"))
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "preview_widget".into()),
        version: text_of("/widget/version"),
        package,
        manifest: manifest.clone(),
        locale,
        base: format!("http://127.0.0.1:{port}"),
    });
    runtime.spawn(serve(site.clone(), listener));
    if args.open {
        crate::shell::status("Serving", format!("the preview at {}/", site.base));
        let urls: String = chosen
            .iter()
            .map(|area| format!("{}: {}\n", area.id, frame_url(&site, area, "load")))
            .collect();
        crate::shell::write_result(&urls).context("failed to write to standard output")?;
        crate::shell::note("press Ctrl-C to stop");
        loop {
            std::thread::park();
        }
    }
    if let Some(dir) = &args.screenshots {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create `{}`", dir.display()))?;
    }
    if !args.chromium.is_file() {
        bail!(
            "no browser at `{}`: install Chromium (Debian: apt-get install chromium) or name it with --chromium or WIDGETRY_CHROMIUM",
            args.chromium.display()
        );
    }
    let mut events = Vec::new();
    for area in &chosen {
        crate::shell::status(
            "Running",
            format!("{} in {} ({})", site.code, area.id, site.locale),
        );
        let started = Instant::now();
        let Reported {
            events: mut run,
            screenshot,
        } = run_in_browser(
            &args.chromium,
            &frame_url(&site, area, frame::thorough_scenario(area)),
            area.id,
            &reported,
            Duration::from_secs(args.timeout.max(1)),
        )?;
        if let Some(dir) = &args.screenshots {
            keep_screenshot(dir, area.id, screenshot.as_deref())?;
        }
        if !run.iter().any(|e| e.kind == "done") {
            run.push(Event {
                t: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                area: area.id.to_string(),
                kind: "error".into(),
                data: serde_json::json!({
                    "message": format!("the run did not finish within {} s", args.timeout)
                }),
            });
        }
        events.extend(run);
    }
    let report = widgetry_validator::preview::report(&events, Profile::Publication, lang);
    let output = match args.format {
        Format::Text => {
            let style = text::Style {
                lang,
                color: crate::shell::stdout_has_color(),
                preview: true,
            };
            text::render(
                &report,
                &site.package,
                &args.path.display().to_string(),
                style,
            )
        }
        Format::Json => render::json::render(&report)?,
    };
    crate::shell::write_result(&output).context("failed to write to standard output")?;
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Writes the screenshot of `area` to `dir/<area>.png`, or says why there is none.
fn keep_screenshot(dir: &Path, area: &str, data_url: Option<&str>) -> Result<()> {
    let Some(data_url) = data_url else {
        crate::shell::warn(format!("no screenshot of {area}: the run drew none"));
        return Ok(());
    };
    match widgetry_validator::preview::screenshot(data_url) {
        Ok(shot) => {
            let path = dir.join(format!("{area}.png"));
            std::fs::write(&path, &shot.png)
                .with_context(|| format!("failed to write `{}`", path.display()))?;
            crate::shell::status(
                "Saved",
                format!("{} ({}x{})", path.display(), shot.width, shot.height),
            );
        }
        Err(e) => crate::shell::warn(format!("no screenshot of {area}: {e}")),
    }
    Ok(())
}

/// The package's files (a folder as `pack` would zip it, or an archive), through the
/// validator, so a preview runs exactly what an upload would store.
fn read(path: &Path) -> Result<Package> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("failed to read `{}`", path.display()))?;
    let options = Options::default();
    let checked = if meta.is_dir() {
        widgetry_validator::check(Input::Files(folder::select(path)?.read_all()?), &options)
    } else {
        let bytes =
            std::fs::read(path).with_context(|| format!("failed to read `{}`", path.display()))?;
        widgetry_validator::check(Input::Zip(&bytes), &options)
    };
    Ok(checked.package)
}

fn frame_url(site: &Site, area: &areas::Area, scenario: &str) -> String {
    format!(
        "{}/frame?area={}&lang={}&scenario={scenario}",
        site.base, area.id, site.locale
    )
}

/// An answer of the loopback server: status, headers besides the common ones, body.
type Answer = (u16, Vec<(&'static str, String)>, Vec<u8>);

/// Answers one request of the loopback server: the frame, the host's assets, the widget's
/// files, and the runs' reports (`POST /report/<area>`); 404 for anything else.
fn answer(site: &Site, path: &str, query: &str, body: Option<&[u8]>) -> Answer {
    let typed = |status: u16, content_type: &str, body: Vec<u8>| -> Answer {
        (
            status,
            vec![("content-type", content_type.to_string())],
            body,
        )
    };
    if let Some(area) = path.strip_prefix("/report/") {
        let reported: Reported = body
            .and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or_default();
        if let Ok(reports) = site.reports.lock() {
            let _ = reports.send((area.to_string(), reported));
        }
        return typed(204, "text/plain", Vec::new());
    }
    if path == "/frame" {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let Some(area) = frame::area_of(&site.manifest, get("area")) else {
            return typed(404, "text/plain", b"no such area".to_vec());
        };
        let overrides = Overrides::from_query(&pairs);
        let files = format!("{}/files", site.base);
        let report = format!("{}/report/{}", site.base, area.id);
        let run = frame::Run {
            code: &site.code,
            version: &site.version,
            manifest: &site.manifest,
            client_uuid: "00000000-0000-0000-0000-000000000000",
            path: &files,
            area,
            lang: &site.locale,
            scenario: frame::scenario(get("scenario")),
            overrides: &overrides,
            subdomain: "preview",
            parent_origin: &site.base,
            report_url: Some(&report),
        };
        let (status, mut headers, body) =
            typed(200, "text/html; charset=utf-8", run.document().into_bytes());
        headers.push((
            "content-security-policy",
            frame::policy(&site.base, &files, Some(&report)),
        ));
        return (status, headers, body);
    }
    if let Some(asset) = path.strip_prefix("/sandbox/").and_then(assets::find) {
        return typed(200, asset.content_type, asset.bytes.to_vec());
    }
    if let Some(file) = path.strip_prefix("/files/") {
        let file = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
        return match site.package.get(&file) {
            // The document guard of the files origin: an HTML or SVG file opened on its own
            // runs nothing (it does not affect scripts, styles or data loaded by the frame).
            Some(bytes) => {
                let (status, mut headers, body) = typed(
                    200,
                    widgetry_validator::paths::content_type(&file),
                    bytes.to_vec(),
                );
                headers.push((
                    "content-security-policy",
                    "sandbox; default-src 'none'".to_string(),
                ));
                (status, headers, body)
            }
            None => typed(404, "text/plain", b"not in the package".to_vec()),
        };
    }
    typed(404, "text/plain", b"not found".to_vec())
}

/// Serves `site` on `listener` until the process ends (one task per connection).
async fn serve(site: Arc<Site>, listener: tokio::net::TcpListener) {
    use http_body_util::{BodyExt, Full, Limited};
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let site = site.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(
                move |request: hyper::Request<hyper::body::Incoming>| {
                    let site = site.clone();
                    async move {
                        let path = request.uri().path().to_string();
                        let query = request.uri().query().unwrap_or_default().to_string();
                        let body = if request.method() == hyper::Method::POST {
                            Limited::new(request.into_body(), MAX_REPORT_BYTES)
                                .collect()
                                .await
                                .ok()
                                .map(|b| b.to_bytes())
                        } else {
                            None
                        };
                        let (status, headers, body) = answer(&site, &path, &query, body.as_deref());
                        let mut response =
                            hyper::Response::new(Full::new(bytes::Bytes::from(body)));
                        *response.status_mut() = hyper::StatusCode::from_u16(status)
                            .unwrap_or(hyper::StatusCode::NOT_FOUND);
                        let h = response.headers_mut();
                        for (name, value) in [
                            ("x-content-type-options", "nosniff".to_string()),
                            ("access-control-allow-origin", "*".to_string()),
                            ("cross-origin-resource-policy", "cross-origin".to_string()),
                            ("cache-control", "no-store".to_string()),
                        ]
                        .into_iter()
                        .chain(headers)
                        {
                            if let Ok(v) = hyper::header::HeaderValue::from_str(&value) {
                                h.insert(name, v);
                            }
                        }
                        Ok::<_, std::convert::Infallible>(response)
                    }
                },
            );
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Runs one frame URL in headless Chromium until the host reports the run of `area` (or
/// `timeout` passes), then closes the browser.
fn run_in_browser(
    chromium: &Path,
    url: &str,
    area: &str,
    reported: &mpsc::Receiver<(String, Reported)>,
    timeout: Duration,
) -> Result<Reported> {
    let profile = std::env::temp_dir().join(format!(
        "widgetry-{}-{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    // Chromium also makes a folder for its lock socket in the temporary folder, and leaves it
    // there when it is stopped. Pointed at a folder inside the profile, it goes with the
    // profile; but a socket's path is limited to 107 bytes, so only when the folder's path
    // leaves room for the socket's (an overlong one would keep Chromium from starting).
    let scratch = profile.join("tmp");
    let scratch = (scratch.as_os_str().len() <= MAX_SCRATCH_PATH).then_some(scratch);
    if let Some(scratch) = &scratch {
        std::fs::create_dir_all(scratch)
            .with_context(|| format!("failed to create `{}`", scratch.display()))?;
    }
    let mut command = Command::new(chromium);
    if let Some(scratch) = &scratch {
        command.env("TMPDIR", scratch);
    }
    let spawned = command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--mute-audio",
            // A CRM page's width, so the screenshots show the layout users see.
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let child = match spawned {
        Ok(child) => child,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&profile);
            return Err(e).with_context(|| format!("failed to start `{}`", chromium.display()));
        }
    };
    let mut browser = Browser { child, profile };
    let deadline = Instant::now() + timeout;
    let mut events = Reported::default();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match reported.recv_timeout(left.min(Duration::from_millis(200))) {
            Ok((from, run)) if from == area => {
                events = run;
                break;
            }
            Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if browser.child.try_wait()?.is_some() {
            break;
        }
    }
    Ok(events)
}

/// The longest temporary folder given to Chromium: its lock socket's path
/// (`<folder>/org.chromium.Chromium.XXXXXX/SingletonSocket`) must fit in 107 bytes.
const MAX_SCRATCH_PATH: usize = 64;

/// A headless Chromium and its profile folder. Dropping it kills the browser and removes
/// the folder, on every way out of a run. Chromium's helper processes (GPU, network) can
/// write to the profile for a moment after the browser process is gone, so the removal is
/// repeated until the folder stays gone (at most about a second).
struct Browser {
    child: std::process::Child,
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for _ in 0..20 {
            let _ = std::fs::remove_dir_all(&self.profile);
            std::thread::sleep(Duration::from_millis(50));
            if !self.profile.exists() {
                break;
            }
        }
    }
}
