//! Sign-in throttling: after too many wrong passwords for one e-mail address within a window,
//! further attempts for it are refused until the window ends, whether they come through the
//! API or the sign-in page. Kept in memory per process (a restart forgets it; several
//! processes each count their own).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Wrong passwords allowed per e-mail address within [`WINDOW`].
pub const MAX_FAILURES: u32 = 10;
/// How long failures are remembered.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Addresses remembered at most (the oldest windows are dropped first).
const MAX_KEYS: usize = 100_000;

/// Failed sign-ins by e-mail address.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl LoginThrottle {
    /// `Some(wait)` when sign-ins for `email` are refused for now.
    pub fn blocked(&self, email: &str) -> Option<Duration> {
        self.blocked_at(email, Instant::now())
    }

    fn blocked_at(&self, email: &str, now: Instant) -> Option<Duration> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let (count, since) = map.get(&key(email))?;
        let elapsed = now.saturating_duration_since(*since);
        (*count >= MAX_FAILURES && elapsed < WINDOW).then(|| WINDOW - elapsed)
    }

    /// Records a wrong password for `email`.
    pub fn failed(&self, email: &str) {
        self.failed_at(email, Instant::now());
    }

    fn failed_at(&self, email: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, (_, since)| now.saturating_duration_since(*since) < WINDOW);
        }
        let entry = map.entry(key(email)).or_insert((0, now));
        if now.saturating_duration_since(entry.1) >= WINDOW {
            *entry = (0, now);
        }
        entry.0 = entry.0.saturating_add(1);
    }

    /// Forgets the failures of `email` (a successful sign-in).
    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&key(email));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_too_many_failures_until_the_window_ends() {
        let t = LoginThrottle::default();
        let start = Instant::now();
        for _ in 0..MAX_FAILURES - 1 {
            t.failed_at("Dev@Example.org", start);
        }
        assert_eq!(t.blocked_at("dev@example.org", start), None);
        t.failed_at(" dev@example.org ", start);
        assert!(t.blocked_at("DEV@example.org", start).is_some());
        assert_eq!(t.blocked_at("other@example.org", start), None);
        assert_eq!(t.blocked_at("dev@example.org", start + WINDOW), None);
        // A new window starts counting again.
        t.failed_at("dev@example.org", start + WINDOW);
        assert_eq!(t.blocked_at("dev@example.org", start + WINDOW), None);
        t.succeeded("dev@example.org");
        assert_eq!(t.blocked_at("dev@example.org", start), None);
    }
}
