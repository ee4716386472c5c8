//! Calendar dates without a date library: the proleptic Gregorian date of a day counted from
//! 1970-01-01 (Howard Hinnant's `civil_from_days`). Std has no calendar, and `time` or `chrono`
//! would be a dependency for these few lines; packages (ZIP time stamps), backup ids and
//! registry indexes (RFC 3339) need them. And durations written for people.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The (year, month, day) of `days` after 1970-01-01 (negative: before).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    // In range by construction: 1..=31 and 1..=12.
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `seconds` after 1970-01-01 as RFC 3339 in UTC: `2026-11-21T15:04:05Z`.
pub(crate) fn rfc3339(seconds: i64) -> String {
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// The days from 1970-01-01 to the proleptic Gregorian date (year, month, day): the inverse of
/// [`civil_from_days`] (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Seconds after 1970-01-01 of an RFC 3339 time in UTC as [`rfc3339`] writes it
/// (`2026-11-21T15:04:05Z`); `None` for anything else.
pub(crate) fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let shape = b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z';
    if !shape {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    if !valid {
        return None;
    }
    let days = days_from_civil(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// `time` as RFC 3339, to the second.
pub(crate) fn rfc3339_of(time: SystemTime) -> String {
    let seconds = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    };
    rfc3339(seconds)
}

/// A short wait as people write it: `0.84 s`, `12 s`.
pub(crate) fn seconds(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 10.0 {
        format!("{secs:.2} s")
    } else {
        format!("{secs:.0} s")
    }
}

/// How long something has run: `42s`, `5m 07s`, `3h 02m`, `2d 04h`.
pub(crate) fn elapsed(duration: Duration) -> String {
    let s = duration.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        3600..86_400 => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {:02}h", s / 86_400, s % 86_400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_round_trips() {
        for seconds in [0, 951_782_400, 1_763_737_445, 253_402_300_799] {
            assert_eq!(
                super::parse_rfc3339(&super::rfc3339(seconds)),
                Some(seconds)
            );
        }
        for bad in [
            "",
            "2026-11-21 15:04:05Z",
            "2026-13-01T00:00:00Z",
            "2026-11-21T15:04:05+01:00",
        ] {
            assert_eq!(super::parse_rfc3339(bad), None, "{bad}");
        }
    }

    use super::*;

    #[test]
    fn durations_as_people_write_them() {
        assert_eq!(seconds(Duration::from_millis(840)), "0.84 s");
        assert_eq!(seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(elapsed(Duration::from_secs(42)), "42s");
        assert_eq!(elapsed(Duration::from_secs(307)), "5m 07s");
        assert_eq!(elapsed(Duration::from_secs(3 * 3600 + 120)), "3h 02m");
        assert_eq!(
            elapsed(Duration::from_secs(2 * 86_400 + 4 * 3600)),
            "2d 04h"
        );
        assert_eq!(
            rfc3339_of(UNIX_EPOCH + Duration::from_secs(86_400)),
            "1970-01-02T00:00:00Z"
        );
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(3652), (1980, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_413), (2025, 11, 21));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(rfc3339(1_763_737_445), "2025-11-21T15:04:05Z");
    }
}
