//! Time as the registry keeps it: [`Timestamp`], a moment in UTC with millisecond precision,
//! stored and sent as unix milliseconds (the database columns and the API's JSON stay
//! numbers), shown as `2026-11-25 14:03 UTC`.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A moment, in unix milliseconds (UTC).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
    sqlx::Type,
)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct Timestamp(i64);

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Timestamp {
    /// Now: the clock every stored time is read from.
    pub fn now() -> Timestamp {
        Timestamp(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(millis)
                .unwrap_or(0),
        )
    }

    /// The moment `ms` unix milliseconds after the epoch.
    pub const fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    /// Unix milliseconds.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// `d` later (saturating).
    pub fn plus(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_add(millis(d)))
    }

    /// `ms` milliseconds later (saturating; a negative `ms` is earlier).
    pub fn plus_millis(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }

    /// `d` earlier (saturating).
    pub fn minus(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_sub(millis(d)))
    }

    /// How long after `earlier` this is (zero when it is not after).
    pub fn since(self, earlier: Timestamp) -> Duration {
        Duration::from_millis(u64::try_from(self.0.saturating_sub(earlier.0)).unwrap_or(0))
    }
}

impl fmt::Display for Timestamp {
    /// `2026-11-25 14:03 UTC`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&widgetry_api::utc_datetime(self.0))
    }
}

impl From<Timestamp> for i64 {
    fn from(t: Timestamp) -> i64 {
        t.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_and_display_is_utc_minutes() {
        let t = Timestamp::from_millis(1_764_079_380_000);
        assert_eq!(t.to_string(), "2025-11-25 14:03 UTC");
        assert_eq!(
            t.plus(Duration::from_secs(60)).as_millis(),
            1_764_079_440_000
        );
        assert_eq!(t.minus(Duration::from_secs(60)).since(t), Duration::ZERO);
        assert_eq!(
            t.since(t.minus(Duration::from_millis(5))),
            Duration::from_millis(5)
        );
        assert_eq!(
            Timestamp::from_millis(i64::MAX)
                .plus(Duration::MAX)
                .as_millis(),
            i64::MAX
        );
        assert!(Timestamp::now() > t);
    }
}
