//! `widgetry`: the integrator's command-line tool and, with the `server` feature (the
//! default), the marketplace server.
//!
//! `main` parses the command line and hands each subcommand to its module under
//! `commands/`. Exit codes: 0 success, 1 the package has errors or the server refused (or, for
//! `status --wait`, rejected), 2 usage, I/O or connection error.

mod api;
mod client;
mod commands;
mod folder;
mod pairs;
mod render;
mod shell;
mod sse;
mod texts;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Widgetry: check, pack and publish amoCRM / Kommo widgets.
#[derive(Debug, Parser)]
#[command(name = "widgetry", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour: `auto` (when the output is a terminal and NO_COLOR is unset), `always`, `never`.
    #[arg(long, global = true, value_enum, env = "WIDGETRY_COLOR", default_value_t = shell::ColorArg::Auto)]
    color: shell::ColorArg,
    /// Print results, warnings and errors only: no status lines, notes or progress.
    #[arg(long, short, global = true, env = "WIDGETRY_QUIET")]
    quiet: bool,
}

/// Each subcommand's arguments are built only when that subcommand runs or its help is shown
/// (`defer`): building the whole tree cost every run about 280,000 instructions. The `Args`
/// structs therefore carry plain comments, not doc comments: clap would apply a doc comment
/// after the variant's own, replacing the subcommand's about line in its help.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
enum Command {
    /// Check a widget folder or widget.zip and explain every problem.
    Lint(commands::lint::Args),
    /// Build a deterministic widget.zip from a widget folder.
    Pack(commands::pack::Args),
    /// Create a new widget folder that passes the checks.
    Init(commands::init::Args),
    /// List every rule the validator checks.
    Rules(commands::rules::Args),
    /// Run the widget in an emulated amoCRM page in headless Chromium and report what it did.
    Preview(commands::preview::Args),
    /// Sign in to a Widgetry server and save an API token for this machine.
    Login(commands::login::Args),
    /// Create and list the integrations of your account.
    Integrations(commands::integrations::Args),
    /// Upload a widget folder or widget.zip into an integration.
    Push(commands::push::Args),
    /// Submit a version to moderation, for publication in every account's catalogue.
    Submit(commands::submit::Args),
    /// Show an integration's versions and submissions; `--wait` for the moderators' decision.
    Status(commands::status::Args),
    /// Withdraw a submission that is still in review.
    Withdraw(commands::withdraw::Args),
    /// Publish an earlier approved version again, without a new review.
    Rollback(commands::rollback::Args),
    /// Set, show or delete the webhook that receives an integration's status changes.
    Webhook(commands::webhook::Args),
    /// Moderators: the queue, a submission's report and diff, approve, reject.
    Moderate(commands::moderate::Args),
    /// Run the marketplace server.
    #[cfg(feature = "server")]
    Serve(Box<commands::serve::Args>),
    /// Operator commands: create users, import legacy integrations, collect blobs, rotate the secrets key.
    #[cfg(feature = "server")]
    Admin(commands::admin::Args),
    /// Run the marketplace server (not in this build).
    #[cfg(not(feature = "server"))]
    #[command(hide = true, disable_help_flag = true)]
    Serve(commands::without_server::Args),
    /// Operator commands (not in this build).
    #[cfg(not(feature = "server"))]
    #[command(hide = true, disable_help_flag = true)]
    Admin(commands::without_server::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    shell::configure(cli.color, cli.quiet);
    let result = match cli.command {
        Command::Lint(args) => commands::lint::run(args),
        Command::Pack(args) => commands::pack::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Preview(args) => commands::preview::run(args),
        Command::Login(args) => commands::login::run(args),
        Command::Integrations(args) => commands::integrations::run(args),
        Command::Push(args) => commands::push::run(args),
        Command::Submit(args) => commands::submit::run(args),
        Command::Status(args) => commands::status::run(args),
        Command::Withdraw(args) => commands::withdraw::run(args),
        Command::Rollback(args) => commands::rollback::run(args),
        Command::Webhook(args) => commands::webhook::run(args),
        Command::Moderate(args) => commands::moderate::run(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => commands::serve::run(*args),
        #[cfg(feature = "server")]
        Command::Admin(args) => commands::admin::run(args),
        #[cfg(not(feature = "server"))]
        Command::Serve(_) => commands::without_server::run("serve"),
        #[cfg(not(feature = "server"))]
        Command::Admin(_) => commands::without_server::run("admin"),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            shell::error(&e);
            for cause in e.chain().skip(1) {
                shell::detail(format!("  caused by: {cause}"));
            }
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// clap's own consistency checks, on every subcommand (deferred ones included).
    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// A deferred subcommand keeps the about line of its variant once its arguments are built:
    /// a doc comment on an `Args` struct would replace it.
    #[test]
    fn deferred_subcommands_keep_their_about_line() {
        let mut cli = Cli::command();
        let before: Vec<(String, String)> = cli
            .get_subcommands()
            .map(|c| {
                let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
                (c.get_name().to_owned(), about)
            })
            .collect();
        cli.build();
        for (name, about) in before {
            let built = cli.find_subcommand(&name).and_then(|c| c.get_about());
            assert_eq!(
                built.map(|a| a.to_string()).unwrap_or_default(),
                about,
                "widgetry {name}"
            );
        }
    }
}
