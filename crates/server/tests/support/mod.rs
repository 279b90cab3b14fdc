//! The test harness: a real server on `127.0.0.1:0` with a temporary data folder, a reqwest
//! client, and widget packages built in code.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::net::SocketAddr;
use widgetry_registry::{NewUser, Registry, Role, Scope};
use widgetry_server::{AppState, Listeners, ServerConfig};

/// A running server. Dropping it stops the server and removes the data folder.
pub struct TestServer {
    pub addr: SocketAddr,
    /// The files origin's listener.
    pub files_addr: SocketAddr,
    pub client: reqwest::Client,
    pub data: tempfile::TempDir,
    pub registry: Registry,
    /// The configuration it runs with (database URL included), reused by [`restart`].
    ///
    /// [`restart`]: TestServer::restart
    pub config: ServerConfig,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        TestServer::start_with(|_| {}).await
    }

    pub async fn start_with(configure: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let database_url = fresh_postgres().await;
        TestServer::start_on(database_url, configure).await
    }

    /// A server on SQLite (`None`) or on the given database URL (see [`fresh_postgres`]).
    pub async fn start_on(
        database_url: Option<String>,
        configure: impl FnOnce(&mut ServerConfig),
    ) -> TestServer {
        let data = tempfile::tempdir().unwrap();
        let mut config = ServerConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            data_dir: data.path().to_path_buf(),
            database_url,
            // Every test client is 127.0.0.1: the per-client rate limits are tested on their
            // own (hardening.rs), and kept out of the way elsewhere.
            rate_limits: widgetry_server::clients::RateLimits {
                sign_in_per_minute: 100_000,
                tokens_per_minute: 100_000,
                validate_per_minute: 100_000,
            },
            ..ServerConfig::default()
        };
        configure(&mut config);
        TestServer::run(data, config, "127.0.0.1:0".parse().unwrap()).await
    }

    async fn run(
        data: tempfile::TempDir,
        mut config: ServerConfig,
        files_at: SocketAddr,
    ) -> TestServer {
        let files = tokio::net::TcpListener::bind(files_at).await.unwrap();
        let files_addr = files.local_addr().unwrap();
        config.files_bind = files_addr;
        config.files_url = Some(url::Url::parse(&format!("http://{files_addr}")).unwrap());
        let state = AppState::open(config.clone()).await.unwrap();
        let registry = state.registry().clone();
        let api = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = api.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            widgetry_server::serve_on(Listeners { api, files }, state, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        TestServer {
            addr,
            files_addr,
            client: reqwest::Client::new(),
            data,
            registry,
            config,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A URL on the files origin.
    pub fn files_url(&self, path: &str) -> String {
        format!("http://{}{}", self.files_addr, path)
    }

    /// The public URL of a file: `{files origin}/{code}/{version}/{path}`.
    pub fn public_file(&self, code: &str, version: &str, path: &str) -> String {
        self.files_url(&format!("/{code}/{version}/{path}"))
    }

    /// The `files_base_url` the API hands the caller of `token` for a version (by sequence
    /// number) of an integration.
    pub async fn files_base(&self, token: &str, integration: i64, number: i64) -> String {
        let r = self
            .get(&format!(
                "/api/v1/integrations/{integration}/versions/{number}"
            ))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: serde_json::Value = r.json().await.unwrap();
        v["files_base_url"]
            .as_str()
            .expect("the version view carries files_base_url")
            .to_string()
    }

    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.get(self.url(path))
    }

    /// The Prometheus text of `/metrics`.
    pub async fn metrics(&self) -> String {
        self.get("/metrics")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.client.post(self.url(path))
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap();
        }
    }

    /// Stops the server gracefully (requests in flight finish), closes its database pool, and
    /// starts a new one on the same data folder and database (the pages and API on a new
    /// port, the files origin on the same one, so files URLs handed out before still lead
    /// there).
    pub async fn restart(mut self) -> TestServer {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.unwrap();
        }
        self.registry.close().await;
        let data = tempfile::TempDir::new().unwrap();
        let data = std::mem::replace(&mut self.data, data);
        TestServer::run(data, self.config.clone(), self.files_addr).await
    }

    /// Files left in the temporary upload folder.
    pub fn upload_leftovers(&self) -> usize {
        let dir = widgetry_server::upload::tmp_dir(self.data.path());
        std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// The scaffolded widget's files (placeholder contacts: fine for a private upload, refused
/// at publication), with `widget.version` set.
pub fn widget_files(name: &str, version: &str) -> Vec<(String, Vec<u8>)> {
    scaffolded(
        widgetry_scaffold::ScaffoldOptions {
            name: name.to_string(),
            ..widgetry_scaffold::ScaffoldOptions::default()
        },
        version,
    )
}

fn scaffolded(opts: widgetry_scaffold::ScaffoldOptions, version: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = widgetry_scaffold::scaffold(&opts);
    for (path, bytes) in &mut files {
        if path == "manifest.json" {
            let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            v["widget"]["version"] = version.into();
            *bytes = serde_json::to_vec_pretty(&v).unwrap();
        }
    }
    files
}

/// The scaffolded widget made ready for publication: real-looking support contacts instead
/// of the scaffold's placeholders.
pub fn publishable_files(name: &str, version: &str) -> Vec<(String, Vec<u8>)> {
    scaffolded(
        widgetry_scaffold::ScaffoldOptions {
            name: name.to_string(),
            support: Some(widgetry_scaffold::Support {
                link: "https://vendor-widgets.ru/support".into(),
                email: "help@vendor-widgets.ru".into(),
            }),
            phone: Some("+7 495 215-37-84".into()),
            ..widgetry_scaffold::ScaffoldOptions::default()
        },
        version,
    )
}

/// A publishable `widget.zip`.
pub fn publishable_zip(name: &str, version: &str) -> Vec<u8> {
    zip(&publishable_files(name, version))
}

/// A zip of files.
pub fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, bytes) in files {
        w.start_file(path.as_str(), options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A valid `widget.zip`.
pub fn widget_zip(name: &str, version: &str) -> Vec<u8> {
    zip(&widget_files(name, version))
}

/// A package that fails the upload profile: no `manifest.json`, and an i18n file only.
pub fn broken_zip() -> Vec<u8> {
    let files: Vec<(String, Vec<u8>)> = widget_files("Broken", "1.0.0")
        .into_iter()
        .filter(|(p, _)| p != "manifest.json")
        .collect();
    zip(&files)
}

/// A multipart form with `bytes` in field `widget` under `file_name`.
pub fn form(bytes: Vec<u8>, file_name: &str) -> reqwest::multipart::Form {
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_string())
        .mime_str("application/zip")
        .unwrap();
    reqwest::multipart::Form::new().part("widget", part)
}

/// Reads a problem+json answer, checking the content type.
pub async fn problem(r: reqwest::Response) -> serde_json::Value {
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json"),
        "content type of a {} answer",
        r.status()
    );
    r.json().await.unwrap()
}

/// The storage a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Db {
    /// SQLite and the blob folder under the data folder.
    Sqlite,
    /// A fresh PostgreSQL database and the blob folder.
    Postgres,
    /// Blobs on the test S3 server under a fresh prefix, on PostgreSQL when
    /// `WIDGETRY_TEST_POSTGRES_URL` is set (SQLite otherwise).
    S3,
}

/// The test S3 server's bucket under a fresh prefix, or `None` when
/// `WIDGETRY_TEST_S3_BUCKET` is unset. The server is described by the standard AWS variables
/// prefixed with `WIDGETRY_TEST_` (`WIDGETRY_TEST_AWS_ENDPOINT_URL`, ...), so tests never pick
/// up real credentials.
pub fn test_s3() -> Option<widgetry_registry::S3Config> {
    let bucket = std::env::var("WIDGETRY_TEST_S3_BUCKET").ok()?;
    let prefix = format!("test-{}", uuid::Uuid::new_v4().simple());
    Some(widgetry_registry::S3Config::from_env(
        bucket,
        prefix,
        |name| std::env::var(format!("WIDGETRY_TEST_{name}")).ok(),
    ))
}

impl Db {
    /// The database URL: `None` (SQLite under the data folder) or a fresh PostgreSQL database.
    pub async fn url(self) -> Option<String> {
        match self {
            Db::Sqlite => None,
            Db::Postgres => Some(
                fresh_postgres()
                    .await
                    .expect("WIDGETRY_TEST_POSTGRES_URL is set"),
            ),
            Db::S3 => fresh_postgres().await,
        }
    }

    /// A server on this storage.
    pub async fn server(self, configure: impl FnOnce(&mut ServerConfig)) -> TestServer {
        let blobs = match self {
            Db::S3 => Some(widgetry_registry::BlobStoreConfig::S3(
                test_s3().expect("WIDGETRY_TEST_S3_BUCKET is set"),
            )),
            Db::Sqlite | Db::Postgres => None,
        };
        TestServer::start_on(self.url().await, |config| {
            config.blob_store = blobs;
            configure(config);
        })
        .await
    }
}

/// One test per storage: `name::sqlite` always, `name::postgres` when
/// `WIDGETRY_TEST_POSTGRES_URL` is set and `name::s3` when `WIDGETRY_TEST_S3_BUCKET` is (they
/// pass, saying so, otherwise).
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::Db::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(widgetry_test_postgres), ignore = "needs WIDGETRY_TEST_POSTGRES_URL: a PostgreSQL server to test against")]
            async fn postgres() {
                super::$name($crate::support::Db::Postgres).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(widgetry_test_s3), ignore = "needs WIDGETRY_TEST_S3_BUCKET (and WIDGETRY_TEST_AWS_*): an S3-compatible server to test against")]
            async fn s3() {
                super::$name($crate::support::Db::S3).await;
            }
        }
    )*};
}

/// With `WIDGETRY_TEST_POSTGRES_URL` set, a fresh database on that server for one test.
pub async fn fresh_postgres() -> Option<String> {
    widgetry_testkit::fresh_postgres("server").await
}

/// The test account a submission hands the moderators.
#[allow(dead_code)]
pub const SUBMISSION_CREDENTIALS: &str =
    "demo login: moderator@vendor-widgets.ru / password: Xq7-demo-9931";

/// The fields of a submission a publishable widget passes with (both languages, support
/// contacts, test credentials); `version` is the caller's.
#[allow(dead_code)]
pub fn submission_fields() -> serde_json::Value {
    serde_json::json!({
        "languages": ["en", "ru"],
        "description": {
            "en": "Shows deal notes in lead cards. Support: +7 495 215-37-84, help@vendor-widgets.ru",
            "ru": "Показывает заметки в карточке сделки. Поддержка: +7 495 215-37-84, help@vendor-widgets.ru"
        },
        "instructions": {
            "en": "Install the widget, enter the API key from your vendor-widgets.ru profile, open a lead.",
            "ru": "Установите виджет, введите API-ключ из профиля vendor-widgets.ru и откройте сделку."
        },
        "test_credentials": SUBMISSION_CREDENTIALS,
        "support_phone": "+7 495 215-37-84",
        "support_email": "help@vendor-widgets.ru"
    })
}

pub const PASSWORD: &str = "correct horse battery";

/// A signed-in user: session cookie and CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl TestServer {
    /// Creates a user in an account (created when new).
    pub async fn user(&self, email: &str, account: &str, role: Role) {
        self.user_with(email, account, role, false).await;
    }

    /// Creates a platform moderator (an admin of `account`).
    pub async fn moderator(&self, email: &str, account: &str) {
        self.user_with(email, account, Role::Admin, true).await;
    }

    async fn user_with(&self, email: &str, account: &str, role: Role, moderator: bool) {
        self.registry
            .create_user(NewUser {
                email: email.to_string(),
                password: PASSWORD.to_string(),
                account_subdomain: account.to_string(),
                account_name: None,
                role,
                moderator,
                operator: false,
            })
            .await
            .unwrap();
    }

    /// Signs in over HTTP.
    pub async fn login(&self, email: &str) -> Session {
        let r = self
            .post("/api/v1/session")
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        if r.status() != 200 {
            panic!(
                "signing in: {} {}",
                r.status(),
                r.text().await.unwrap_or_default()
            );
        }
        let set_cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
        assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let v: serde_json::Value = r.json().await.unwrap();
        Session {
            cookie,
            csrf: v["csrf_token"].as_str().unwrap().to_string(),
        }
    }

    /// Loads the sign-in page as a browser does: its pairing cookie (`name=value`) and the
    /// body of the filled-in form (`email`, the test password, `next`, the hidden token).
    pub async fn login_form(
        &self,
        client: &reqwest::Client,
        email: &str,
        next: &str,
    ) -> (String, String) {
        let form = client.get(self.url("/login")).send().await.unwrap();
        let pairing =
            cookie_pair(&form, "widgetry_login").expect("the sign-in page sets its pairing cookie");
        let html = form.text().await.unwrap();
        let marker = "name=\"login_csrf\" value=\"";
        let at = html.find(marker).expect("the sign-in form has its token") + marker.len();
        let token = &html[at..at + html[at..].find('"').unwrap()];
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("email", email)
            .append_pair("password", PASSWORD)
            .append_pair("next", next)
            .append_pair("login_csrf", token)
            .finish();
        (pairing, body)
    }

    /// Signs in through the sign-in page as a browser does: loads the form (its pairing
    /// cookie and hidden token), then posts it. Returns the answer to the post (303 on
    /// success); `client` must not follow redirects.
    pub async fn page_login(
        &self,
        client: &reqwest::Client,
        email: &str,
        next: &str,
    ) -> reqwest::Response {
        let (pairing, body) = self.login_form(client, email, next).await;
        client
            .post(self.url("/login"))
            .header("cookie", pairing)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// The usual three parties, with API tokens: a vendor's admin who uploads and submits
    /// (`dev@vendor.test`), a shop's admin who installs (`admin@shop.test`), and a moderator
    /// (`mod@platform.test`).
    pub async fn vendor_shop_moderator(&self) -> (String, String, String) {
        let dev = self
            .token(
                "dev@vendor.test",
                "vendor",
                Role::Admin,
                &[Scope::Upload, Scope::Submit],
            )
            .await;
        let shop = self
            .token("admin@shop.test", "shop", Role::Admin, &[Scope::Install])
            .await;
        self.moderator("mod@platform.test", "platform").await;
        let moderator = self
            .token_for("mod@platform.test", &[Scope::Moderate])
            .await;
        (dev, shop, moderator)
    }

    /// A user with a token of the given scopes: creates the user, signs in, makes the token.
    pub async fn token(&self, email: &str, account: &str, role: Role, scopes: &[Scope]) -> String {
        self.user(email, account, role).await;
        self.token_for(email, scopes).await
    }

    /// A token for an existing user.
    pub async fn token_for(&self, email: &str, scopes: &[Scope]) -> String {
        let s = self.login(email).await;
        let names: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
        let r = self
            .post("/api/v1/tokens")
            .header("cookie", &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .json(&serde_json::json!({"name": "test", "scopes": names}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let v: serde_json::Value = r.json().await.unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    /// Creates an integration and returns its id.
    pub async fn integration(&self, token: &str) -> i64 {
        let r = self
            .post("/api/v1/integrations")
            .bearer_auth(token)
            .json(&serde_json::json!({
                "name": {"en": "Hello", "ru": "Привет"},
                "description": {"en": "Says hello"},
                "redirect_uri": "https://example.org/oauth"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["secret_key"].as_str().unwrap().len(), 64);
        v["id"].as_i64().unwrap()
    }

    /// Submits version `number` of integration `id` for review with [`submission_fields`];
    /// asserts 201.
    #[allow(dead_code)]
    pub async fn submit(&self, token: &str, id: i64, number: i64) -> serde_json::Value {
        let mut fields = submission_fields();
        fields["version"] = number.into();
        let r = self
            .post(&format!("/api/v1/integrations/{id}/submissions"))
            .bearer_auth(token)
            .json(&fields)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        assert_eq!(status, 201, "{text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Uploads a package.
    pub async fn upload(&self, token: &str, id: i64, bytes: Vec<u8>) -> reqwest::Response {
        self.post(&format!("/api/v1/integrations/{id}/versions"))
            .bearer_auth(token)
            .multipart(form(bytes, "widget.zip"))
            .send()
            .await
            .unwrap()
    }
}

/// The `name=value` pair of the cookie `name` an answer sets, if it sets one.
pub fn cookie_pair(r: &reqwest::Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&prefix))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}
