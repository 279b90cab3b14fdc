//! Everything the CLI says to people goes through here (as cargo's `Shell`): results on
//! stdout (the [`say!`] macro); status lines with a right-aligned verb (`   Uploaded ...`),
//! notes, warnings and errors on stderr. Colour only where the stream takes it
//! (`--color auto|always|never`; `auto` follows the terminal and `NO_COLOR` /
//! `CLICOLOR_FORCE`, through `anstream`); `--quiet` leaves results, warnings and errors.
//!
//! The settings are the process's, set once by `main` from the global flags.

use anstyle::{AnsiColor, Style};
use std::fmt::Display;
use std::io::Write;
use std::sync::OnceLock;

/// `--color`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    /// Colour when the stream is a terminal (and `NO_COLOR` is not set).
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Clone, Copy)]
struct Settings {
    color: anstream::ColorChoice,
    quiet: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Sets the process's output settings (the first call wins).
pub fn configure(color: ColorArg, quiet: bool) {
    let color = match color {
        ColorArg::Auto => anstream::ColorChoice::Auto,
        ColorArg::Always => anstream::ColorChoice::Always,
        ColorArg::Never => anstream::ColorChoice::Never,
    };
    let _ = SETTINGS.set(Settings { color, quiet });
}

fn settings() -> Settings {
    SETTINGS.get().copied().unwrap_or(Settings {
        color: anstream::ColorChoice::Auto,
        quiet: false,
    })
}

/// Standard output, colour stripped where it does not belong.
pub fn stdout() -> anstream::AutoStream<std::io::Stdout> {
    anstream::AutoStream::new(std::io::stdout(), settings().color)
}

fn stderr() -> anstream::AutoStream<std::io::Stderr> {
    anstream::AutoStream::new(std::io::stderr(), settings().color)
}

/// Whether standard output shows colour (for renderers that style their own output).
pub fn stdout_has_color() -> bool {
    stdout().current_choice() != anstream::ColorChoice::Never
}

/// Whether standard error shows colour (for reports rendered there).
pub fn stderr_has_color() -> bool {
    stderr().current_choice() != anstream::ColorChoice::Never
}

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    settings().quiet
}

/// A line of the command's result on stdout.
#[macro_export]
macro_rules! say {
    () => {{
        use std::io::Write as _;
        let _ = writeln!($crate::shell::stdout());
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($crate::shell::stdout(), $($arg)*);
    }};
}

fn line(style: Style, label: &str, message: &dyn Display) {
    let _ = writeln!(stderr(), "{style}{label}{style:#} {message}");
}

/// `    Verb message` on stderr (not with `--quiet`).
pub fn status(verb: &str, message: impl Display) {
    if quiet() {
        return;
    }
    let style = Style::new().bold().fg_color(Some(AnsiColor::Green.into()));
    line(style, &format!("{verb:>12}"), &message);
}

/// `note: message` on stderr (not with `--quiet`).
pub fn note(message: impl Display) {
    if quiet() {
        return;
    }
    let style = Style::new().bold().fg_color(Some(AnsiColor::Cyan.into()));
    line(style, "note:", &message);
}

/// `warning: message` on stderr.
pub fn warn(message: impl Display) {
    let style = Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()));
    line(style, "warning:", &message);
}

/// `error: message` on stderr.
pub fn error(message: impl Display) {
    let style = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    line(style, "error:", &message);
}

/// A line of progress on stderr, unstyled (not with `--quiet`).
pub fn progress(message: impl Display) {
    if !quiet() {
        let _ = writeln!(stderr(), "{message}");
    }
}

/// A command's whole result (a report, JSON, SARIF, the rule catalogue) on stdout, byte for
/// byte (the renderer decided about colour); a closed pipe (`widgetry lint . | head`) is not
/// an error.
pub fn write_result(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    }
}

/// A multi-line result already laid out (a queue, a status page) on stdout, as is.
pub fn print(text: impl Display) {
    let _ = write!(stdout(), "{text}");
}

/// A rendered report (findings with their snippets) on stderr, its colour stripped where
/// the stream does not take it. Shown with `--quiet` too: it explains an error or a warning.
pub fn report(text: impl Display) {
    let _ = write!(stderr(), "{text}");
}

/// A question on stderr, without a newline, before reading the answer from stdin.
pub fn prompt(label: impl Display) {
    let mut err = stderr();
    let _ = write!(err, "{label}");
    let _ = err.flush();
}

/// An indented continuation line on stderr (`  caused by: ...`), never styled.
pub fn detail(message: impl Display) {
    let _ = writeln!(stderr(), "{message}");
}
