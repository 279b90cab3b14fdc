//! `widgetry admin`: operator commands that work on the server's storage directly (the
//! server may be running): create users (the first user of a fresh install), import legacy
//! integrations with their existing code and secret key.

use super::serve::Storage;
use anyhow::{Context, Result, bail};
use std::io::BufRead;
use std::process::ExitCode;
use widgetry_registry::{NewUser, Registry, Role};

/// Arguments of `widgetry admin`.
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
        let registry = Registry::open(&args.storage.url(), &args.storage.data_dir)
            .await
            .with_context(|| format!("failed to open the registry in `{}`", args.storage.data_dir.display()))?;
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
                println!(
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
                println!(
                    "imported legacy integration {} with code `{}` into account `{account}`; uploads must carry this code and secret key until the owner converts it",
                    integration.id,
                    integration.code.as_deref().unwrap_or(&code)
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
