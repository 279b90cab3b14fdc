//! The CLI's side of the HTTP API: where the server and the token come from (flags, the
//! `WIDGETRY_SERVER` / `WIDGETRY_TOKEN` environment, or the credentials file that `login`
//! writes with mode 0600), and a small client that turns `application/problem+json` answers
//! into typed errors.

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use widgetry_validator::Diagnostic;

/// What `widgetry login` stores.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credentials {
    /// The server's base URL, such as `http://127.0.0.1:8080`.
    pub server: String,
    /// An API token (`wgt_...`).
    pub token: String,
}

/// Where the credentials file lives: `WIDGETRY_CONFIG`, else `<config dir>/widgetry/credentials.json`.
pub fn credentials_path() -> Result<PathBuf> {
    if let Some(path) = std::env::var_os("WIDGETRY_CONFIG") {
        return Ok(PathBuf::from(path));
    }
    let dir = dirs::config_dir().ok_or_else(|| {
        anyhow!("no configuration folder is known for this user; set WIDGETRY_CONFIG")
    })?;
    Ok(dir.join("widgetry").join("credentials.json"))
}

/// Writes the credentials, readable by the user only.
pub fn save(creds: &Credentials) -> Result<PathBuf> {
    let path = credentials_path()?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create `{}`", dir.display()))?;
    }
    let tmp = path.with_extension("json.tmp");
    let body = serde_json::to_vec_pretty(creds)?;
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options
            .open(&tmp)
            .with_context(|| format!("failed to write `{}`", tmp.display()))?;
        f.write_all(&body)?;
        f.sync_all()?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::rename(&tmp, &path)
        .with_context(|| format!("failed to write `{}`", path.display()))?;
    Ok(path)
}

/// The server and token to use: `--server` and the environment win over the saved file.
pub fn resolve(server: Option<&str>) -> Result<Credentials> {
    let saved: Option<Credentials> = match credentials_path() {
        Ok(path) if path.exists() => {
            let text = std::fs::read(&path)
                .with_context(|| format!("failed to read `{}`", path.display()))?;
            Some(
                serde_json::from_slice(&text)
                    .with_context(|| format!("`{}` is not a credentials file", path.display()))?,
            )
        }
        _ => None,
    };
    let server = server
        .map(str::to_string)
        .or_else(|| {
            std::env::var("WIDGETRY_SERVER")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .or_else(|| saved.as_ref().map(|c| c.server.clone()))
        .ok_or_else(|| {
            anyhow!("no server: run `widgetry login --server URL` or set WIDGETRY_SERVER")
        })?;
    let token = std::env::var("WIDGETRY_TOKEN")
        .ok()
        .filter(|s| !s.is_empty())
        .or_else(|| saved.filter(|c| c.server == server).map(|c| c.token))
        .ok_or_else(|| anyhow!("not logged in to {server}: run `widgetry login --server {server}` or set WIDGETRY_TOKEN"))?;
    Ok(Credentials { server, token })
}

// `--server`, for the commands that act as the logged-in user (not a doc comment: see
// `Command` in main.rs).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ServerArg {
    /// The server (default: the one `widgetry login` saved, or WIDGETRY_SERVER).
    #[arg(long, global = true)]
    pub server: Option<String>,
}

impl ServerArg {
    /// A client for this server, signed in with the saved (or `WIDGETRY_TOKEN`) token.
    pub fn client(&self) -> Result<Client> {
        let creds = resolve(self.server.as_deref())?;
        Client::new(&creds.server, Some(creds.token))
    }
}

/// An RFC 9457 problem the server answered with.
#[derive(Debug, Clone, Deserialize)]
pub struct Problem {
    /// HTTP status.
    #[serde(default)]
    pub status: u16,
    /// The stable code, such as `submission.blocked`.
    #[serde(default)]
    pub code: Option<String>,
    /// Short summary.
    #[serde(default)]
    pub title: String,
    /// What happened.
    #[serde(default)]
    pub detail: Option<String>,
    /// Validation findings, for refused uploads.
    #[serde(default)]
    pub errors: Vec<Diagnostic>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}", self.title, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        match &self.detail {
            Some(d) if !d.is_empty() => write!(f, "): {d}"),
            _ => write!(f, ")"),
        }
    }
}

impl std::error::Error for Problem {}

/// Turns a non-success response into a [`Problem`] error.
pub async fn check(response: reqwest::Response) -> Result<reqwest::Response> {
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let mut problem: Problem = serde_json::from_str(&text).unwrap_or(Problem {
        status,
        code: None,
        title: format!("HTTP {status}"),
        detail: Some(text.chars().take(500).collect()),
        errors: Vec::new(),
    });
    problem.status = status;
    Err(problem.into())
}

/// For a command that the server may refuse: prints the refusal and gives exit status 1;
/// any other error (no answer, a broken one) is passed on, for exit status 2.
pub fn refused(error: anyhow::Error, what: &str) -> Result<std::process::ExitCode> {
    let problem = error.downcast::<Problem>()?;
    crate::shell::error(format!("the server refused {what}: {problem}"));
    Ok(std::process::ExitCode::from(1))
}

/// A client for one server with one token.
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Client {
    /// A client for `server`, optionally authenticated.
    pub fn new(server: &str, token: Option<String>) -> Result<Client> {
        let base = server.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            bail!("the server address `{server}` must start with http:// or https://");
        }
        // The client's TLS provider; a second call (or one in a build that installed
        // another) changes nothing.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(concat!("widgetry-cli/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Client { http, base, token })
    }

    /// A request to a path under the server.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            req = req.bearer_auth(token);
        }
        if let Ok(lang) = std::env::var("WIDGETRY_LANG") {
            req = req.header("Accept-Language", lang);
        }
        req
    }

    /// GET a JSON document.
    pub async fn get<T: for<'de> Deserialize<'de>>(&self, path: &str) -> Result<T> {
        let response = self
            .request(reqwest::Method::GET, path)
            .send()
            .await
            .with_context(|| self.unreachable())?;
        Ok(check(response).await?.json().await?)
    }

    /// POST a JSON body, read a JSON answer.
    pub async fn post<B: Serialize, T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    /// PUT a JSON body, read a JSON answer.
    pub async fn put<B: Serialize, T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.send_json(reqwest::Method::PUT, path, body).await
    }

    /// DELETE a resource; the answer's body is ignored.
    pub async fn delete(&self, path: &str) -> Result<()> {
        let response = self
            .request(reqwest::Method::DELETE, path)
            .send()
            .await
            .with_context(|| self.unreachable())?;
        check(response).await?;
        Ok(())
    }

    async fn send_json<B: Serialize, T: for<'de> Deserialize<'de>>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &B,
    ) -> Result<T> {
        let response = self
            .request(method, path)
            .json(body)
            .send()
            .await
            .with_context(|| self.unreachable())?;
        Ok(check(response).await?.json().await?)
    }

    /// The message for a server that does not answer.
    pub fn unreachable(&self) -> String {
        format!("failed to reach {}", self.base)
    }
}

/// A tokio runtime for one command.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")
}
