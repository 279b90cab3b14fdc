//! Times as the pages and the CLI show them. The API itself carries unix milliseconds.

/// `2026-11-25 14:03 UTC` for a unix time in milliseconds; the raw number when it is outside
/// the range of dates (years -9999 to 9999).
pub fn utc_datetime(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        Err(_) => format!("{ms} ms"),
    }
}

#[cfg(test)]
mod tests {
    use super::utc_datetime;

    #[test]
    fn shows_minutes_in_utc_across_leap_days_and_before_1970() {
        assert_eq!(utc_datetime(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_datetime(1_764_079_380_000), "2025-11-25 14:03 UTC");
        assert_eq!(utc_datetime(951_825_600_000), "2000-02-29 12:00 UTC");
        assert_eq!(utc_datetime(-1), "1969-12-31 23:59 UTC");
        assert_eq!(utc_datetime(i64::MAX), format!("{} ms", i64::MAX));
    }
}
