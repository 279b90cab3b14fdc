//! Accounts, users, password login, sessions, API tokens, and the [`Principal`] that the
//! server hands to every domain call.
//!
//! Who may do what:
//! - every authenticated principal reads what its account may see;
//! - [`Scope::Upload`]: create and edit integrations, upload versions (role `member` or `admin`);
//! - [`Scope::Install`]: install and uninstall widgets (role `admin` only);
//! - [`Scope::Admin`]: convert legacy integrations (role `admin` only) and manage API tokens
//!   with a token (a session may always manage its own user's tokens);
//! - [`Scope::Submit`] and [`Scope::Moderate`]: moderation (issue 4; `moderate` needs the
//!   user's moderator flag).
//!
//! A session (cookie) carries every scope; a token only the scopes it was created with. The
//! account role still applies on top of the scopes.

use crate::columns::{Flag, Name, ScopeList};
use crate::error::{Error, Result};
use crate::input::{BadInput, DenialCase, InputCode, StateCase};
use crate::time::Timestamp;
use crate::util::{BASE62, constant_time_eq, random_chars, random_hex, sha256_hex};
use crate::{AccountId, Registry, UserId};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, Row};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How long a session cookie lives: 14 days.
pub const SESSION_TTL: Duration = Duration::from_secs(14 * 24 * 60 * 60);
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "widgetry_session";
/// The prefix of every API token.
pub const TOKEN_PREFIX: &str = "wgt_";
/// How many characters of a token are kept for display (`wgt_` and 8 more).
pub const TOKEN_DISPLAY_PREFIX_LEN: usize = 12;
/// Shortest accepted password.
pub const MIN_PASSWORD_LEN: usize = 8;
/// `last_used_at` of a token is refreshed at most this often, to keep reads cheap.
const LAST_USED_RESOLUTION: Duration = Duration::from_secs(60);

/// An API token scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Create and edit integrations, upload versions.
    Upload,
    /// Submit versions to moderation.
    Submit,
    /// Install and uninstall widgets.
    Install,
    /// Moderate (platform moderators only).
    Moderate,
    /// Account administration: tokens, converting legacy integrations.
    Admin,
}

impl Scope {
    /// Every scope, in display order.
    pub const ALL: [Scope; 5] = [
        Scope::Upload,
        Scope::Submit,
        Scope::Install,
        Scope::Moderate,
        Scope::Admin,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Upload => "upload",
            Scope::Submit => "submit",
            Scope::Install => "install",
            Scope::Moderate => "moderate",
            Scope::Admin => "admin",
        }
    }

    /// Parses a space- or comma-separated list (`"upload submit"`), refusing unknown names.
    pub fn parse_list(s: &str) -> Result<Vec<Scope>> {
        let mut scopes: Vec<Scope> = s
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(Scope::from_str)
            .collect::<Result<_>>()?;
        scopes.sort();
        scopes.dedup();
        Ok(scopes)
    }

    /// Formats a list as stored: space-separated.
    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = Error;
    fn from_str(s: &str) -> Result<Scope> {
        Scope::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| Error::input("/scopes", InputCode::ScopeUnknown).with("value", s))
    }
}

/// A user's role in an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// May install and uninstall widgets, convert legacy integrations, manage all tokens.
    Admin,
    /// May create integrations and upload.
    Member,
}

impl Role {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = Error;
    fn from_str(s: &str) -> Result<Role> {
        match s {
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            _ => Err(Error::input("/role", InputCode::RoleUnknown).with("value", s)),
        }
    }
}

/// A CRM account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Account {
    /// Numeric id.
    pub id: AccountId,
    /// Unique subdomain (`example` for `example.amocrm.ru`).
    pub subdomain: String,
    /// Display name.
    pub name: String,
    /// Creation time, unix ms.
    pub created_at: Timestamp,
}

/// A user (the password hash never leaves the registry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    /// Numeric id.
    pub id: UserId,
    /// E-mail, lowercased.
    pub email: String,
    /// Platform moderator.
    #[sqlx(try_from = "Flag")]
    pub is_moderator: bool,
    /// Platform operator.
    #[sqlx(try_from = "Flag")]
    pub is_operator: bool,
    /// Creation time, unix ms.
    pub created_at: Timestamp,
}

/// A user's membership in an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Membership {
    /// The account.
    #[sqlx(flatten)]
    pub account: Account,
    /// The user's role there.
    #[sqlx(try_from = "Name<Role>")]
    pub role: Role,
}

/// A user with the accounts they belong to (the result of a password check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Login {
    /// The user.
    pub user: User,
    /// Their accounts, oldest membership first (the first is the default account).
    pub memberships: Vec<Membership>,
}

/// What [`Registry::create_user`] needs.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// E-mail (trimmed and lowercased).
    pub email: String,
    /// Password, at least [`MIN_PASSWORD_LEN`] characters.
    pub password: String,
    /// The account's subdomain; the account is created when missing.
    pub account_subdomain: String,
    /// The account's name when it is created (default: the subdomain).
    pub account_name: Option<String>,
    /// The user's role in the account.
    pub role: Role,
    /// Platform moderator flag.
    pub moderator: bool,
    /// Platform operator flag.
    pub operator: bool,
}

/// A freshly created session: the cookie value is shown once and stored hashed.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The raw cookie value for [`SESSION_COOKIE`].
    pub cookie_value: String,
    /// The CSRF token state-changing cookie requests must echo in `X-CSRF-Token`.
    pub csrf_token: String,
    /// Expiry, unix ms.
    pub expires_at: Timestamp,
}

/// How a principal authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// A session cookie: every scope; state-changing requests must carry the CSRF token.
    Session {
        /// Session id.
        session_id: i64,
        /// The session's CSRF token.
        csrf_token: String,
    },
    /// An API token with its scopes.
    Token {
        /// Token id.
        token_id: i64,
        /// Granted scopes.
        scopes: Vec<Scope>,
    },
}

/// The authenticated caller: a user acting in one account, by session or token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user.
    pub user: User,
    /// The account the user acts in.
    pub account: Account,
    /// The user's role in that account.
    pub role: Role,
    /// Session or token.
    pub auth: Auth,
}

impl Principal {
    /// Whether the caller holds a scope (sessions hold all; moderation needs the flag too).
    pub fn has_scope(&self, scope: Scope) -> bool {
        if scope == Scope::Moderate && !self.user.is_moderator {
            return false;
        }
        match &self.auth {
            Auth::Session { .. } => true,
            Auth::Token { scopes, .. } => scopes.contains(&scope),
        }
    }

    /// `Ok` when the caller holds the scope, else [`Error::MissingScope`].
    pub fn require_scope(&self, scope: Scope) -> Result<()> {
        if self.has_scope(scope) {
            Ok(())
        } else {
            Err(Error::MissingScope(scope))
        }
    }

    /// `Ok` when the caller is an admin of the account, else [`Error::Forbidden`].
    pub fn require_admin(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::denied(DenialCase::NeedsAdmin))
        }
    }

    /// The scopes the caller holds.
    pub fn scopes(&self) -> Vec<Scope> {
        Scope::ALL
            .into_iter()
            .filter(|s| self.has_scope(*s))
            .collect()
    }

    /// The session's CSRF token, for cookie-authenticated callers.
    pub fn csrf_token(&self) -> Option<&str> {
        match &self.auth {
            Auth::Session { csrf_token, .. } => Some(csrf_token),
            Auth::Token { .. } => None,
        }
    }

    /// Whether the caller authenticated with a session cookie.
    pub fn is_session(&self) -> bool {
        matches!(self.auth, Auth::Session { .. })
    }
}

/// An API token as listed (never the raw value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    /// Numeric id.
    pub id: i64,
    /// The owning user.
    pub user_id: UserId,
    /// The account it acts in.
    pub account_id: AccountId,
    /// Display name.
    pub name: String,
    /// The first characters, for recognising it (`wgt_AbCdEfGh`).
    pub prefix: String,
    /// Granted scopes.
    #[sqlx(try_from = "ScopeList")]
    pub scopes: Vec<Scope>,
    /// Creation time, unix ms.
    pub created_at: Timestamp,
    /// Expiry, unix ms.
    pub expires_at: Option<Timestamp>,
    /// Revocation time, unix ms.
    pub revoked_at: Option<Timestamp>,
    /// Last use, unix ms (refreshed at most once a minute).
    pub last_used_at: Option<Timestamp>,
}

/// Columns of a user, account and role joined: the account's and the role as a
/// [`Membership`] reads them, the user's as `u_*`.
const PRINCIPAL_SELECT: &str = "SELECT u.id AS u_id, u.email AS u_email, u.is_moderator AS u_is_moderator, \
    u.is_operator AS u_is_operator, u.created_at AS u_created_at, a.id, a.subdomain, a.name, a.created_at, m.role \
    FROM memberships m JOIN users u ON u.id = m.user_id JOIN accounts a ON a.id = m.account_id";

/// A row of [`PRINCIPAL_SELECT`].
#[derive(sqlx::FromRow)]
struct PrincipalRow {
    #[sqlx(flatten)]
    membership: Membership,
    u_id: UserId,
    u_email: String,
    #[sqlx(try_from = "Flag")]
    u_is_moderator: bool,
    #[sqlx(try_from = "Flag")]
    u_is_operator: bool,
    u_created_at: Timestamp,
}

impl PrincipalRow {
    fn into_principal(self, auth: Auth) -> Principal {
        Principal {
            user: User {
                id: self.u_id,
                email: self.u_email,
                is_moderator: self.u_is_moderator,
                is_operator: self.u_is_operator,
                created_at: self.u_created_at,
            },
            account: self.membership.account,
            role: self.membership.role,
            auth,
        }
    }
}

fn normalize_email(email: &str) -> Result<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'))
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(Error::input("/email", InputCode::EmailInvalid).with("value", email))
    }
}

/// Checks an account subdomain: lowercase letters, digits and `-`, 1 to 63 characters.
pub fn check_subdomain(s: &str) -> Result<()> {
    let ok = !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
        && !s.starts_with('-')
        && !s.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(Error::input("/account_subdomain", InputCode::SubdomainInvalid).with("value", s))
    }
}

async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(Error::internal)
    })
    .await
    .map_err(Error::internal)?
}

async fn check_password(password: String, phc: String) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&phc).map_err(Error::internal)?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(Error::internal)?
}

/// The longest lifetime of an API token, in days.
pub const MAX_TOKEN_DAYS: u32 = 3650;

/// Everything wrong with a new token's fields, each with its field: the name (1 to 100
/// characters once trimmed), the scopes (at least one), the lifetime in days (1 to
/// [`MAX_TOKEN_DAYS`], or none for no expiry). Empty when nothing is wrong. The API and the
/// token page both check through here; [`Registry::create_token`] checks again.
pub fn token_problems(name: &str, scopes: &[Scope], expires_in_days: Option<u32>) -> Vec<BadInput> {
    let mut problems = Vec::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        problems.push(BadInput::new("/name", InputCode::TokenNameLength));
    }
    if scopes.is_empty() {
        problems.push(BadInput::new("/scopes", InputCode::TokenScopesMissing));
    }
    if expires_in_days.is_some_and(|d| !(1..=MAX_TOKEN_DAYS).contains(&d)) {
        problems.push(
            BadInput::new("/expires_in_days", InputCode::TokenLifetime).with("max", MAX_TOKEN_DAYS),
        );
    }
    problems
}

/// When a token with a lifetime of `days` expires, from now.
pub fn token_expiry(days: Option<u32>) -> Option<Timestamp> {
    days.map(|d| Timestamp::now().plus(std::time::Duration::from_secs(u64::from(d) * 86_400)))
}

/// A valid argon2id hash of a random password: verifying against it when the e-mail is
/// unknown keeps the answer time the same as for a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$BvXC5D4u4G5XPplyYxH0TNuaqRQ4G9XgJ2TI+8AdTfs";

impl Registry {
    /// Creates a user, and the account when no account has that subdomain, with the user's
    /// role there. Refuses a taken e-mail with [`Error::Conflict`].
    pub async fn create_user(&self, new: NewUser) -> Result<(User, Account)> {
        let email = normalize_email(&new.email)?;
        let subdomain = new.account_subdomain.trim().to_lowercase();
        check_subdomain(&subdomain)?;
        if new.password.chars().count() < MIN_PASSWORD_LEN {
            return Err(
                Error::input("/password", InputCode::PasswordShort).with("min", MIN_PASSWORD_LEN)
            );
        }
        let hash = hash_password(new.password).await?;
        let now = Timestamp::now();
        let account_name = new
            .account_name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| subdomain.clone());
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO accounts (subdomain, name, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (subdomain) DO NOTHING",
        )
        .bind(&subdomain)
        .bind(&account_name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let account: Account = sqlx::query_as(
            "SELECT id, subdomain, name, created_at FROM accounts WHERE subdomain = $1",
        )
        .bind(&subdomain)
        .fetch_one(&mut *tx)
        .await?;
        let taken = sqlx::query("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(Error::state(StateCase::EmailTaken).with("email", email));
        }
        let user: User = sqlx::query_as(
            "INSERT INTO users (email, password_hash, is_moderator, is_operator, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id, email, is_moderator, is_operator, created_at",
        )
        .bind(&email)
        .bind(&hash)
        .bind(i64::from(new.moderator))
        .bind(i64::from(new.operator))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO memberships (user_id, account_id, role, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.id)
        .bind(account.id)
        .bind(new.role.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        crate::audit::record(
            &mut tx,
            crate::audit::Event::new("user.created")
                .account(account.id)
                .detail(serde_json::json!({"user_id": user.id, "email": email, "role": new.role})),
        )
        .await?;
        tx.commit().await?;
        Ok((user, account))
    }

    /// Adds a user to an account (or changes their role there).
    pub async fn set_membership(
        &self,
        user_id: UserId,
        account_id: AccountId,
        role: Role,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO memberships (user_id, account_id, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, account_id) DO UPDATE SET role = $3",
        )
        .bind(user_id)
        .bind(account_id)
        .bind(role.as_str())
        .bind(Timestamp::now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Looks up an account by subdomain.
    pub async fn account_by_subdomain(&self, subdomain: &str) -> Result<Option<Account>> {
        Ok(sqlx::query_as(
            "SELECT id, subdomain, name, created_at FROM accounts WHERE subdomain = $1",
        )
        .bind(subdomain.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// An account by id (moderators' and operators' views).
    pub async fn account_by_id(&self, id: AccountId) -> Result<Option<Account>> {
        Ok(
            sqlx::query_as("SELECT id, subdomain, name, created_at FROM accounts WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Checks an e-mail and password. `None` when either is wrong (the time taken does not
    /// tell which).
    pub async fn verify_password(&self, email: &str, password: &str) -> Result<Option<Login>> {
        let ticket = self.hashing.enter()?;
        self.check_password_with(&ticket, email, password).await
    }

    /// [`Registry::verify_password`] for the holder of a place at the hashing gate.
    pub(crate) async fn check_password_with(
        &self,
        ticket: &crate::hashing::Ticket,
        email: &str,
        password: &str,
    ) -> Result<Option<Login>> {
        let email = email.trim().to_lowercase();
        let row = sqlx::query(
            "SELECT id, email, is_moderator, is_operator, created_at, password_hash FROM users WHERE email = $1",
        )
        .bind(&email)
        .fetch_optional(&self.pool)
        .await?;
        let (user, phc) = match &row {
            Some(r) => (
                Some(User::from_row(r)?),
                r.try_get::<String, _>("password_hash")?,
            ),
            None => (None, DUMMY_HASH.to_string()),
        };
        let ok = {
            let _turn = self.hashing.turn(ticket).await?;
            check_password(password.to_string(), phc).await?
        };
        let Some(user) = user.filter(|_| ok) else {
            return Ok(None);
        };
        let memberships = self.memberships(user.id).await?;
        Ok(Some(Login { user, memberships }))
    }

    /// A user's memberships, oldest first.
    pub async fn memberships(&self, user_id: UserId) -> Result<Vec<Membership>> {
        Ok(sqlx::query_as(
            "SELECT a.id, a.subdomain, a.name, a.created_at, m.role FROM memberships m \
             JOIN accounts a ON a.id = m.account_id WHERE m.user_id = $1 ORDER BY m.created_at, a.id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The users of the caller's account (id and e-mail, with their flags), by e-mail: what
    /// a settings form needs for one field per user (`users`, `users_lp`).
    pub async fn account_users(&self, actor: &Principal) -> Result<Vec<User>> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.email, u.is_moderator, u.is_operator, u.created_at FROM memberships m \
             JOIN users u ON u.id = m.user_id WHERE m.account_id = $1 ORDER BY u.email, u.id",
        )
        .bind(actor.account.id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The principal of a user acting in an account, `None` when they are not a member.
    async fn principal(
        &self,
        user_id: UserId,
        account_id: AccountId,
        auth: Auth,
    ) -> Result<Option<Principal>> {
        let sql = format!("{PRINCIPAL_SELECT} WHERE m.user_id = $1 AND m.account_id = $2");
        let row: Option<PrincipalRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.into_principal(auth)))
    }

    /// Starts a session for a member of an account. The cookie value and CSRF token are
    /// returned once; only the cookie's SHA-256 is stored.
    pub async fn create_session(
        &self,
        user_id: UserId,
        account_id: AccountId,
    ) -> Result<NewSession> {
        let member =
            sqlx::query("SELECT role FROM memberships WHERE user_id = $1 AND account_id = $2")
                .bind(user_id)
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        if member.is_none() {
            return Err(Error::NotFound);
        }
        let cookie_value = random_hex(32);
        let csrf_token = random_hex(32);
        let now = Timestamp::now();
        let expires_at = now.plus(SESSION_TTL);
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, account_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(sha256_hex(cookie_value.as_bytes()))
        .bind(user_id)
        .bind(account_id)
        .bind(&csrf_token)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(NewSession {
            cookie_value,
            csrf_token,
            expires_at,
        })
    }

    /// The principal behind a session cookie; `None` when unknown or expired.
    pub async fn session(&self, cookie_value: &str) -> Result<Option<Principal>> {
        let row = sqlx::query(
            "SELECT id, user_id, account_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1",
        )
        .bind(sha256_hex(cookie_value.as_bytes()))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        if row.try_get::<Timestamp, _>("expires_at")? <= Timestamp::now() {
            return Ok(None);
        }
        let auth = Auth::Session {
            session_id: row.try_get("id")?,
            csrf_token: row.try_get("csrf_token")?,
        };
        self.principal(row.try_get("user_id")?, row.try_get("account_id")?, auth)
            .await
    }

    /// Ends a session (logout). Unknown cookies are ignored. Expired sessions are purged too.
    pub async fn delete_session(&self, cookie_value: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2")
            .bind(sha256_hex(cookie_value.as_bytes()))
            .bind(Timestamp::now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an API token for the caller's user in the caller's account (see
    /// [`token_problems`] for the rules of its fields, [`token_expiry`] for a lifetime in
    /// days). Needs a session
    /// or a token with [`Scope::Admin`]; a token cannot grant scopes it lacks, a member
    /// cannot grant `install` or `admin`, and `moderate` needs the moderator flag.
    pub async fn create_token(
        &self,
        actor: &Principal,
        name: &str,
        scopes: &[Scope],
        expires_at: Option<Timestamp>,
    ) -> Result<(ApiToken, String)> {
        if !actor.is_session() {
            actor.require_scope(Scope::Admin)?;
            if let Some(s) = scopes.iter().find(|s| !actor.has_scope(**s)) {
                return Err(Error::MissingScope(*s));
            }
        }
        self.create_token_for(actor.user.id, actor.account.id, name, scopes, expires_at)
            .await
    }

    /// Creates an API token for a member of an account (operator and internal use; the
    /// role rules of [`create_token`](Registry::create_token) apply). Returns the token and
    /// its raw value `wgt_...`, shown once; only its SHA-256 is stored.
    pub async fn create_token_for(
        &self,
        user_id: UserId,
        account_id: AccountId,
        name: &str,
        scopes: &[Scope],
        expires_at: Option<Timestamp>,
    ) -> Result<(ApiToken, String)> {
        let name = name.trim();
        if let Some(first) = token_problems(name, scopes, None).into_iter().next() {
            return Err(Error::BadInput(first));
        }
        let now = Timestamp::now();
        if expires_at.is_some_and(|e| e <= now) {
            return Err(Error::input("/expires_at", InputCode::TokenExpiryPast));
        }
        let Some(p) = self
            .principal(
                user_id,
                account_id,
                Auth::Token {
                    token_id: 0,
                    scopes: Scope::ALL.to_vec(),
                },
            )
            .await?
        else {
            return Err(Error::NotFound);
        };
        for s in scopes {
            match s {
                Scope::Install | Scope::Admin if p.role != Role::Admin => {
                    return Err(Error::denied(DenialCase::ScopeNeedsAdmin).with("scope", s));
                }
                Scope::Moderate if !p.user.is_moderator => {
                    return Err(Error::denied(DenialCase::ModeratorsOnly));
                }
                _ => {}
            }
        }
        let mut scopes = scopes.to_vec();
        scopes.sort();
        scopes.dedup();
        let raw = format!("{TOKEN_PREFIX}{}", random_chars(40, BASE62));
        let prefix = raw[..TOKEN_DISPLAY_PREFIX_LEN].to_string();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, account_id, name, token_hash, prefix, scopes, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(user_id)
        .bind(account_id)
        .bind(name)
        .bind(sha256_hex(raw.as_bytes()))
        .bind(&prefix)
        .bind(Scope::join(&scopes))
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        crate::audit::record(
            &mut tx,
            crate::audit::Event::new("token.created")
                .actor(user_id)
                .account(account_id)
                .detail(serde_json::json!({"token_id": id, "name": name, "scopes": scopes})),
        )
        .await?;
        tx.commit().await?;
        let token = ApiToken {
            id,
            user_id,
            account_id,
            name: name.to_string(),
            prefix,
            scopes,
            created_at: now,
            expires_at,
            revoked_at: None,
            last_used_at: None,
        };
        Ok((token, raw))
    }

    /// The principal behind a raw API token; `None` when unknown, malformed, expired,
    /// revoked, or its user left the account. Refreshes `last_used_at`.
    pub async fn authenticate_token(&self, raw: &str) -> Result<Option<Principal>> {
        if !raw.starts_with(TOKEN_PREFIX) || raw.len() > 200 {
            return Ok(None);
        }
        let hash = sha256_hex(raw.as_bytes());
        let row = sqlx::query(
            "SELECT id, user_id, account_id, name, prefix, token_hash, scopes, created_at, expires_at, revoked_at, last_used_at \
             FROM api_tokens WHERE token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        // The lookup is by hash; compare once more in constant time for good measure.
        if !constant_time_eq(
            row.try_get::<String, _>("token_hash")?.as_bytes(),
            hash.as_bytes(),
        ) {
            return Ok(None);
        }
        let token = ApiToken::from_row(&row)?;
        let now = Timestamp::now();
        if token.revoked_at.is_some() || token.expires_at.is_some_and(|e| e <= now) {
            return Ok(None);
        }
        if token
            .last_used_at
            .is_none_or(|t| now.since(t) >= LAST_USED_RESOLUTION)
        {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token.id)
                .execute(&self.pool)
                .await?;
        }
        let auth = Auth::Token {
            token_id: token.id,
            scopes: token.scopes,
        };
        self.principal(token.user_id, token.account_id, auth).await
    }

    /// Tokens the caller may manage: their own in the account, or every token of the
    /// Whether the credential a principal authenticated with still holds: the session not
    /// ended or expired, the token not revoked or expired (long-lived streams ask again).
    pub async fn still_authenticated(&self, p: &Principal) -> Result<bool> {
        let now = Timestamp::now();
        let row = match &p.auth {
            Auth::Session { session_id, .. } => {
                sqlx::query("SELECT id FROM sessions WHERE id = $1 AND expires_at > $2")
                    .bind(*session_id)
                    .bind(now)
                    .fetch_optional(&self.pool)
                    .await?
            }
            Auth::Token { token_id, .. } => {
                sqlx::query(
                    "SELECT id FROM api_tokens WHERE id = $1 AND revoked_at IS NULL \
                     AND (expires_at IS NULL OR expires_at > $2)",
                )
                .bind(*token_id)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?
            }
        };
        Ok(row.is_some())
    }

    /// account for an admin. Newest first. Needs a session or [`Scope::Admin`].
    pub async fn list_tokens(&self, actor: &Principal) -> Result<Vec<ApiToken>> {
        if !actor.is_session() {
            actor.require_scope(Scope::Admin)?;
        }
        Ok(sqlx::query_as(
            "SELECT id, user_id, account_id, name, prefix, scopes, created_at, expires_at, revoked_at, last_used_at \
             FROM api_tokens WHERE account_id = $1 AND (user_id = $2 OR $3 = 1) ORDER BY id DESC",
        )
        .bind(actor.account.id)
        .bind(actor.user.id)
        .bind(i64::from(actor.role == Role::Admin))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Revokes a token the caller may manage (see [`list_tokens`](Registry::list_tokens));
    /// others answer [`Error::NotFound`]. Revoking twice is fine.
    pub async fn revoke_token(&self, actor: &Principal, token_id: i64) -> Result<()> {
        if !actor.is_session() {
            actor.require_scope(Scope::Admin)?;
        }
        let mut tx = self.begin_write().await?;
        let row =
            sqlx::query("SELECT user_id, account_id, revoked_at FROM api_tokens WHERE id = $1")
                .bind(token_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(row) = row else {
            return Err(Error::NotFound);
        };
        let owner: UserId = row.try_get("user_id")?;
        let account: AccountId = row.try_get("account_id")?;
        if account != actor.account.id || (owner != actor.user.id && actor.role != Role::Admin) {
            return Err(Error::NotFound);
        }
        if row.try_get::<Option<i64>, _>("revoked_at")?.is_none() {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
                .bind(Timestamp::now())
                .bind(token_id)
                .execute(&mut *tx)
                .await?;
            crate::audit::record(
                &mut tx,
                crate::audit::Event::new("token.revoked")
                    .actor(actor.user.id)
                    .account(account)
                    .detail(serde_json::json!({"token_id": token_id})),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_print() {
        assert_eq!(
            Scope::parse_list("upload, admin upload").unwrap(),
            vec![Scope::Upload, Scope::Admin]
        );
        assert!(Scope::parse_list("upload nope").is_err());
        assert_eq!(
            Scope::join(&[Scope::Upload, Scope::Install]),
            "upload install"
        );
        assert_eq!(Scope::Moderate.to_string(), "moderate");
        assert_eq!("member".parse::<Role>().unwrap(), Role::Member);
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[tokio::test]
    async fn account_users_lists_the_callers_account_only() {
        let dir = tempfile::tempdir().unwrap();
        let registry = Registry::open(&Registry::default_database_url(dir.path()), dir.path())
            .await
            .unwrap();
        let new = |email: &str, account: &str, role| NewUser {
            email: email.to_string(),
            password: "correct horse".to_string(),
            account_subdomain: account.to_string(),
            account_name: None,
            role,
            moderator: false,
            operator: false,
        };
        let (boss, acme) = registry
            .create_user(new("boss@acme.io", "acme", Role::Admin))
            .await
            .unwrap();
        let (dev, _) = registry
            .create_user(new("Dev@acme.io", "acme", Role::Member))
            .await
            .unwrap();
        let (eve, evil) = registry
            .create_user(new("eve@evil.io", "evil", Role::Admin))
            .await
            .unwrap();
        // A member of two accounts is listed in both.
        registry
            .set_membership(eve.id, acme.id, Role::Member)
            .await
            .unwrap();
        let session = registry.create_session(boss.id, acme.id).await.unwrap();
        let actor = registry
            .session(&session.cookie_value)
            .await
            .unwrap()
            .unwrap();
        let users = registry.account_users(&actor).await.unwrap();
        let listed: Vec<(UserId, &str)> = users.iter().map(|u| (u.id, u.email.as_str())).collect();
        assert_eq!(
            listed,
            [
                (boss.id, "boss@acme.io"),
                (dev.id, "dev@acme.io"),
                (eve.id, "eve@evil.io")
            ]
        );
        let session = registry.create_session(eve.id, evil.id).await.unwrap();
        let eve_in_evil = registry
            .session(&session.cookie_value)
            .await
            .unwrap()
            .unwrap();
        let users = registry.account_users(&eve_in_evil).await.unwrap();
        assert_eq!(users.iter().map(|u| u.id).collect::<Vec<_>>(), [eve.id]);
    }

    #[test]
    fn emails_and_subdomains() {
        assert_eq!(normalize_email(" A@B.io ").unwrap(), "a@b.io");
        assert!(normalize_email("nope").is_err());
        assert!(check_subdomain("my-acc1").is_ok());
        assert!(check_subdomain("-x").is_err());
        assert!(check_subdomain("A").is_err());
    }
}
