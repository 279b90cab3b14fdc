//! `widgetry login --server URL`: signs in with email and password (or takes an existing token),
//! creates an API token for this machine, and saves it with the server address in the
//! credentials file (mode 0600). The token may upload and submit, and moderate when the user is
//! a moderator. The password is never stored.

use crate::client::{self, Client, Credentials};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::io::BufRead;
use std::process::ExitCode;

// Arguments of `widgetry login` (not a doc comment: see `Command` in main.rs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The server's address, such as `http://127.0.0.1:8080`.
    #[arg(long, env = "WIDGETRY_SERVER")]
    pub server: String,
    /// The account user's email (asked for when missing).
    #[arg(long)]
    pub email: Option<String>,
    /// Read the password from the first line of standard input instead of asking.
    #[arg(long)]
    pub password_stdin: bool,
    /// Save this existing API token instead of signing in.
    #[arg(long, conflicts_with_all = ["email", "password_stdin"])]
    pub token: Option<String>,
    /// Days until the new token expires.
    #[arg(long, default_value_t = 90)]
    pub expires_in_days: u32,
}

/// Runs `widgetry login`.
pub fn run(args: Args) -> Result<ExitCode> {
    client::runtime()?.block_on(login(args))
}

async fn login(args: Args) -> Result<ExitCode> {
    let token = match args.token.clone() {
        Some(token) => token,
        None => sign_in_and_create_token(&args).await?,
    };
    let client = Client::new(&args.server, Some(token.clone()))?;
    let me: Value = client
        .get("/api/v1/me")
        .await
        .context("the server refused the token")?;
    let path = client::save(&Credentials {
        server: args.server.trim_end_matches('/').to_string(),
        token,
    })?;
    let email = me
        .pointer("/user/email")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let account = me
        .pointer("/account/subdomain")
        .and_then(Value::as_str)
        .unwrap_or("?");
    crate::shell::status(
        "Logged in",
        format!(
            "to {} as {email} (account `{account}`); token saved in {}",
            args.server,
            path.display()
        ),
    );
    Ok(ExitCode::SUCCESS)
}

async fn sign_in_and_create_token(args: &Args) -> Result<String> {
    let email = match &args.email {
        Some(e) => e.clone(),
        None => prompt("email: ")?,
    };
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("failed to read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        rpassword::prompt_password("password: ").context("failed to read the password")?
    };
    let client = Client::new(&args.server, None)?;
    let response = client
        .request(reqwest::Method::POST, "/api/v1/session")
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .with_context(|| client.unreachable())?;
    let response = client::check(response).await?;
    let cookie = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.split(';')
                .next()
                .filter(|kv| kv.starts_with("widgetry_session="))
        })
        .map(str::to_string);
    let session: Value = response.json().await?;
    let Some(cookie) = cookie else {
        bail!("the server did not start a session");
    };
    let csrf = session
        .get("csrf_token")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    // Account admins get `install` too (installing widgets through the API), moderators
    // `moderate` (for `widgetry moderate`).
    let mut scopes = vec!["upload", "submit"];
    if session.get("role").and_then(Value::as_str) == Some("admin") {
        scopes.push("install");
    }
    if session.pointer("/user/is_moderator") == Some(&Value::Bool(true)) {
        scopes.push("moderate");
    }
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "this machine".to_string());
    let response = client
        .request(reqwest::Method::POST, "/api/v1/tokens")
        .header(reqwest::header::COOKIE, cookie.clone())
        .header("X-CSRF-Token", csrf.clone())
        .json(&json!({
            "name": format!("widgetry CLI on {host}"),
            "scopes": scopes,
            "expires_in_days": args.expires_in_days,
        }))
        .send()
        .await
        .with_context(|| client.unreachable())?;
    let created: Value = client::check(response).await?.json().await?;
    // The session was only needed to create the token.
    let _ = client
        .request(reqwest::Method::DELETE, "/api/v1/session")
        .header(reqwest::header::COOKIE, cookie)
        .header("X-CSRF-Token", csrf)
        .send()
        .await;
    created
        .get("token")
        .and_then(Value::as_str)
        .map(str::to_string)
        .context("the server did not return a token")
}

fn prompt(label: &str) -> Result<String> {
    crate::shell::prompt(label);
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let value = line.trim().to_string();
    if value.is_empty() {
        bail!("no {} given", label.trim_end_matches(": "));
    }
    Ok(value)
}
