//! What every server process of one service shares through the database, never through its
//! own memory: settings all processes must agree on (the URL-signing key's fingerprint), and
//! sign-in throttling (attempts per client address and e-mail address, counted by whichever
//! process answered, before the password is checked).

use crate::Registry;
use crate::auth::Login;
use crate::error::{Error, Result};
use crate::time::Timestamp;
use sqlx::Row;
use std::time::Duration;

/// Sign-in attempts a client may make for one e-mail address without waiting, within
/// [`LOGIN_WINDOW`].
pub const FREE_SIGN_IN_ATTEMPTS: i64 = 5;
/// How long attempts are remembered after the last one.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);
/// The first wait once the free attempts are used up; it doubles with every further one.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
/// The longest wait.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// Failed attempts on one e-mail address (by other clients) before every attempt on it is
/// slowed down.
const SLOW_DOWN_AFTER: i64 = 10;
/// The slow-down per further failed attempt, and its ceiling.
const SLOW_DOWN_STEP: Duration = Duration::from_millis(200);
const MAX_SLOW_DOWN: Duration = Duration::from_secs(3);

/// The throttle's key for an address: trimmed and lowercased.
fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The wait before a client's next attempt after its `attempts`-th (counted before the
/// password is checked).
fn backoff(attempts: i64) -> Duration {
    if attempts < FREE_SIGN_IN_ATTEMPTS {
        return Duration::ZERO;
    }
    let doublings = u32::try_from(attempts - FREE_SIGN_IN_ATTEMPTS)
        .unwrap_or(u32::MAX)
        .min(20);
    FIRST_BACKOFF
        .saturating_mul(2u32.saturating_pow(doublings))
        .min(MAX_BACKOFF)
}

/// The slow-down of an attempt on an address other clients failed `failures` times.
fn slow_down(failures: i64) -> Duration {
    if failures < SLOW_DOWN_AFTER {
        return Duration::ZERO;
    }
    let steps = u32::try_from(failures - SLOW_DOWN_AFTER + 1).unwrap_or(u32::MAX);
    SLOW_DOWN_STEP.saturating_mul(steps).min(MAX_SLOW_DOWN)
}

/// What a sign-in attempt may do: go ahead after `delay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SignInAttempt {
    /// Wait this long before checking the password (the address is under attack).
    delay: Duration,
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
        .bind(Timestamp::now())
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
        .bind(Timestamp::now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Checks `email` and `password` for a sign-in by `client` (its address), behind the
    /// guards against guessing and floods. First a place among the sign-ins under way (the
    /// hashing gate), else [`Error::Busy`] before anything is written; then the attempt is
    /// counted before the password is checked, in one transaction, so that parallel attempts
    /// cannot slip past the count: [`Error::TooManyAttempts`] when this client used up its
    /// free attempts for the address and must still wait (longer after every further
    /// attempt). A client that never failed for an address is never refused, whoever else
    /// guesses at it (the owner cannot be locked out); it is only slowed down, without
    /// holding a place meanwhile. A right password forgets the client's attempts. `None`:
    /// wrong e-mail or password.
    pub async fn sign_in(
        &self,
        client: &str,
        email: &str,
        password: &str,
    ) -> Result<Option<Login>> {
        let ticket = self.hashing.enter()?;
        let key = email_key(email);
        let attempt = crate::with_retry(|_| self.count_sign_in(client, &key)).await??;
        if rand::random_range(0..64u32) == 0 {
            sqlx::query("DELETE FROM login_failures WHERE updated_at <= $1")
                .bind(Timestamp::now().minus(LOGIN_WINDOW))
                .execute(&self.pool)
                .await?;
        }
        let ticket = if attempt.delay.is_zero() {
            ticket
        } else {
            drop(ticket);
            tokio::time::sleep(attempt.delay).await;
            self.hashing.enter()?
        };
        let login = self.check_password_with(&ticket, email, password).await?;
        drop(ticket);
        if login.is_some() {
            sqlx::query("DELETE FROM login_failures WHERE client_key = $1 AND email_key = $2")
                .bind(client)
                .bind(&key)
                .execute(&self.pool)
                .await?;
        }
        Ok(login)
    }

    async fn count_sign_in(&self, client: &str, email: &str) -> Result<Result<SignInAttempt>> {
        let now = Timestamp::now();
        let expired = now.minus(LOGIN_WINDOW);
        let mut tx = self.begin_write().await?;
        let lock = match self.backend {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT failures, blocked_until, updated_at FROM login_failures \
             WHERE client_key = $1 AND email_key = $2{lock}"
        )))
        .bind(client)
        .bind(email)
        .fetch_optional(&mut *tx)
        .await?;
        let earlier = match &row {
            Some(r) if r.try_get::<Timestamp, _>("updated_at")? > expired => {
                let blocked_until: Timestamp = r.try_get("blocked_until")?;
                if blocked_until > now {
                    return Ok(Err(Error::TooManyAttempts(blocked_until.since(now))));
                }
                r.try_get::<i64, _>("failures")?
            }
            _ => 0,
        };
        let attempts = earlier + 1;
        let blocked_until = now.plus(backoff(attempts));
        if row.is_some() {
            sqlx::query(
                "UPDATE login_failures SET failures = $1, blocked_until = $2, updated_at = $3 \
                 WHERE client_key = $4 AND email_key = $5",
            )
            .bind(attempts)
            .bind(blocked_until)
            .bind(now)
            .bind(client)
            .bind(email)
            .execute(&mut *tx)
            .await?;
        } else {
            // A concurrent first attempt inserting the same row makes this fail with a unique
            // violation: the transaction runs again and finds the row.
            sqlx::query(
                "INSERT INTO login_failures (client_key, email_key, failures, blocked_until, updated_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(client)
            .bind(email)
            .bind(attempts)
            .bind(blocked_until)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let by_others: i64 = sqlx::query(
            "SELECT CAST(COALESCE(SUM(failures), 0) AS BIGINT) AS n FROM login_failures \
             WHERE email_key = $1 AND updated_at > $2 AND client_key <> $3",
        )
        .bind(email)
        .bind(expired)
        .bind(client)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        tx.commit().await?;
        Ok(Ok(SignInAttempt {
            delay: slow_down(by_others),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_after_the_free_attempts_up_to_a_ceiling() {
        assert_eq!(backoff(1), Duration::ZERO);
        assert_eq!(backoff(FREE_SIGN_IN_ATTEMPTS - 1), Duration::ZERO);
        assert_eq!(backoff(FREE_SIGN_IN_ATTEMPTS), FIRST_BACKOFF);
        assert_eq!(backoff(FREE_SIGN_IN_ATTEMPTS + 1), FIRST_BACKOFF * 2);
        assert_eq!(backoff(FREE_SIGN_IN_ATTEMPTS + 3), FIRST_BACKOFF * 8);
        assert_eq!(backoff(1_000), MAX_BACKOFF);
        assert_eq!(slow_down(SLOW_DOWN_AFTER - 1), Duration::ZERO);
        assert_eq!(slow_down(SLOW_DOWN_AFTER), SLOW_DOWN_STEP);
        assert_eq!(slow_down(10_000), MAX_SLOW_DOWN);
    }
}
