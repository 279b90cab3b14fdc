//! What every server process of one service shares through the database, never through its
//! own memory: settings all processes must agree on (the URL-signing key's fingerprint), and
//! sign-in throttling (wrong passwords per e-mail address, counted by whichever process
//! answered).

use crate::Registry;
use crate::error::Result;
use crate::util::now_ms;
use sqlx::Row;
use std::time::Duration;

/// Wrong passwords allowed per e-mail address within [`LOGIN_WINDOW`].
pub const MAX_LOGIN_FAILURES: i64 = 10;
/// How long wrong passwords are counted, from the first one.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

fn window_ms() -> i64 {
    i64::try_from(LOGIN_WINDOW.as_millis()).unwrap_or(i64::MAX)
}

/// The throttle's key for an address: trimmed and lowercased.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Registry {
    /// Records `value` under `name` unless some value is recorded already, and returns the
    /// recorded one (the first process to start decides).
    pub async fn claim_setting(&self, name: &str, value: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO service_settings (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(value)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT value FROM service_settings WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("value")?)
    }

    /// The value recorded under `name`, if any.
    pub async fn setting(&self, name: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM service_settings WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    /// Records `value` under `name`, replacing what was there.
    pub async fn set_setting(&self, name: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO service_settings (name, value, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(value)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// `Some(wait)` while sign-ins for `email` are refused: [`MAX_LOGIN_FAILURES`] wrong
    /// passwords within [`LOGIN_WINDOW`], through any process.
    pub async fn login_blocked(&self, email: &str) -> Result<Option<Duration>> {
        let now = now_ms();
        let row =
            sqlx::query("SELECT failures, window_start FROM login_failures WHERE email_key = $1")
                .bind(email_key(email))
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let failures: i64 = row.try_get("failures")?;
        let start: i64 = row.try_get("window_start")?;
        let left = start.saturating_add(window_ms()).saturating_sub(now);
        Ok((failures >= MAX_LOGIN_FAILURES && left > 0)
            .then(|| Duration::from_millis(u64::try_from(left).unwrap_or(0))))
    }

    /// Counts a wrong password for `email` (a window older than [`LOGIN_WINDOW`] starts
    /// over). One statement, so concurrent failures through several processes all count.
    pub async fn record_login_failure(&self, email: &str) -> Result<()> {
        let now = now_ms();
        let expired = now.saturating_sub(window_ms());
        sqlx::query(
            "INSERT INTO login_failures (email_key, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (email_key) DO UPDATE SET \
             failures = CASE WHEN login_failures.window_start <= $3 THEN 1 ELSE login_failures.failures + 1 END, \
             window_start = CASE WHEN login_failures.window_start <= $3 THEN $2 ELSE login_failures.window_start END",
        )
        .bind(email_key(email))
        .bind(now)
        .bind(expired)
        .execute(&self.pool)
        .await?;
        // Now and then, forget windows that ended (the table holds recent failures only).
        if rand::random_range(0..64u32) == 0 {
            sqlx::query("DELETE FROM login_failures WHERE window_start <= $1")
                .bind(expired)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Forgets the wrong passwords of `email` (a successful sign-in).
    pub async fn clear_login_failures(&self, email: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE email_key = $1")
            .bind(email_key(email))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
