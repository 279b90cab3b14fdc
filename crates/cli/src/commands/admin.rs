//! `widgetry admin`: operator commands that work on the server's storage directly (the
//! server may be running): create users (the first user of a fresh install), import legacy
//! integrations with their existing code and secret key, collect unreferenced blobs.

use super::serve::Storage;
use anyhow::{Context, Result, bail};
use std::io::BufRead;
use std::process::ExitCode;
use std::time::Duration;
use widgetry_registry::{GcOptions, MIN_GC_GRACE, NewUser, Role};

// Arguments of `widgetry admin` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    storage: Storage,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Create a user in an account (the account is created when it does not exist).
    CreateUser {
        /// The user's email.
        #[arg(long)]
        email: String,
        /// The account's subdomain (`example` for example.amocrm.ru).
        #[arg(long)]
        account: String,
        /// The account's display name, when it is created.
        #[arg(long)]
        account_name: Option<String>,
        /// The user's role in the account.
        #[arg(long, value_enum, default_value_t = RoleArg::Admin)]
        role: RoleArg,
        /// Make the user a platform moderator.
        #[arg(long)]
        moderator: bool,
        /// Make the user a platform operator.
        #[arg(long)]
        operator: bool,
        /// Read the password from the first line of standard input instead of asking.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Import an integration created before the marketplace scheme, with its code and secret key.
    ImportLegacy {
        /// The owner account's subdomain.
        #[arg(long)]
        account: String,
        /// The widget code the integration already has.
        #[arg(long)]
        code: String,
        /// Its secret key (64 hexadecimal characters).
        #[arg(long, env = "WIDGETRY_LEGACY_SECRET_KEY")]
        secret_key: String,
        /// A display name (default: the code).
        #[arg(long)]
        name: Option<String>,
    },
    /// Delete blobs that no version names (left by refused or interrupted uploads) and that
    /// were written longer ago than the grace period. Safe while servers run: a blob that a
    /// committed version names is never deleted.
    Gc {
        /// Say what would be deleted; delete nothing.
        #[arg(long)]
        dry_run: bool,
        /// Only blobs written longer ago than this many seconds (at least 60).
        #[arg(long, default_value_t = 3600)]
        grace_secs: u64,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Seal every stored secret (webhook secrets, test credentials) with a new key and
    /// replace the secrets key file. Stop every server process first, and start them all
    /// with the new file afterwards.
    RotateSecretsKey,
}

/// `--role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RoleArg {
    /// May install widgets, convert legacy integrations and manage the account's tokens.
    Admin,
    /// May create integrations and upload.
    Member,
}

/// Runs `widgetry admin`.
pub fn run(args: Args) -> Result<ExitCode> {
    let runtime = crate::client::runtime()?;
    runtime.block_on(async {
        let registry = args.storage.open().await?;
        match args.command {
            Command::CreateUser { email, account, account_name, role, moderator, operator, password_stdin } => {
                let password = if password_stdin {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line).context("failed to read the password")?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                } else {
                    let first = rpassword::prompt_password("password: ").context("failed to read the password")?;
                    let again = rpassword::prompt_password("again: ").context("failed to read the password")?;
                    if first != again {
                        bail!("the two passwords differ");
                    }
                    first
                };
                let role = match role {
                    RoleArg::Admin => Role::Admin,
                    RoleArg::Member => Role::Member,
                };
                let (user, account) = registry
                    .create_user(NewUser {
                        email,
                        password,
                        account_subdomain: account,
                        account_name,
                        role,
                        moderator,
                        operator,
                    })
                    .await?;
                crate::say!(
                    "created user {} ({}) in account `{}` as {}{}{}",
                    user.id,
                    user.email,
                    account.subdomain,
                    role.as_str(),
                    if moderator { ", moderator" } else { "" },
                    if operator { ", operator" } else { "" },
                );
            }
            Command::ImportLegacy { account, code, secret_key, name } => {
                let integration = registry.import_legacy(&account, &code, &secret_key, name.as_deref()).await?;
                crate::say!(
                    "imported legacy integration {} with code `{}` into account `{account}`; uploads must carry this code and secret key until the owner converts it",
                    integration.id,
                    integration.code.as_deref().unwrap_or(&code)
                );
            }
            Command::RotateSecretsKey => {
                let path = args.storage.secrets_key_file();
                let (key, count) = registry.rotate_secrets_key(&path).await.context("rotating the secrets key failed")?;
                crate::say!(
                    "sealed {count} stored secret{} with the new key {key}, now in `{}`; give this file to every server process before starting it",
                    if count == 1 { "" } else { "s" },
                    path.display()
                );
            }
            Command::Gc { dry_run, grace_secs, json } => {
                if Duration::from_secs(grace_secs) < MIN_GC_GRACE {
                    bail!("--grace-secs must be at least {} (uploads in flight write their blobs before their rows)", MIN_GC_GRACE.as_secs());
                }
                crate::shell::progress(format!("collecting unreferenced blobs in {}{}", registry.blobs().describe(), if dry_run { " (dry run)" } else { "" }));
                let report = registry
                    .collect_garbage(GcOptions { grace: Duration::from_secs(grace_secs), dry_run })
                    .await
                    .context("the collection failed (what was deleted before the failure stays deleted; run it again)")?;
                if json {
                    crate::say!("{}", serde_json::to_string_pretty(&report)?);
                } else {
                    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
                    crate::say!(
                        "{} blobs ({:.1} MiB) in the store: {} recent (kept, younger than {grace_secs} s), {} named by a version (kept), {} unreferenced {} ({:.1} MiB)",
                        report.scanned,
                        mib(report.scanned_bytes),
                        report.recent,
                        report.referenced,
                        report.deleted,
                        if dry_run { "would be deleted" } else { "deleted" },
                        mib(report.deleted_bytes),
                    );
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
