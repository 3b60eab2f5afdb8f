//! Instants and durations as scenarios write them.
//!
//! The engine counts whole seconds since the Unix epoch: every rule works in
//! minutes or hours, and integer arithmetic keeps runs byte-identical.

use chrono::{DateTime, NaiveTime, SecondsFormat, Utc};

/// Seconds since the Unix epoch, UTC.
pub type Instant = i64;
/// A length of time in seconds.
pub type Seconds = i64;

pub const MINUTE: Seconds = 60;
pub const HOUR: Seconds = 3600;
pub const DAY: Seconds = 86_400;

/// The default `start:` of a scenario (contract): 2026-01-05T00:00:00Z.
pub const DEFAULT_START: Instant = 1_767_571_200;

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: RFC 3339 writes four-digit
/// years, so casim accepts and produces no instant outside them.
pub const MIN_INSTANT: Instant = -62_167_219_200;
pub const MAX_INSTANT: Instant = 253_402_300_799;

/// Parses an RFC 3339 instant and returns it in UTC seconds.
pub fn parse_rfc3339(text: &str) -> Result<Instant, String> {
    if let Some(t) = utc_seconds(text.trim()) {
        return in_range(t, text);
    }
    let t = DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.timestamp())
        .map_err(|e| format!("`{text}` is not an RFC 3339 instant ({e}); expected e.g. 2026-01-05T00:00:00Z"))?;
    // An offset can carry 0000-01-01 or 9999-12-31 out of the four-digit years in UTC.
    in_range(t, text)
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the form `rfc3339` writes (and `casim generate`,
/// hundreds of thousands of times), read without chrono's general parser.
/// Anything else, or a date or time that does not exist, is chrono's to read
/// or refuse.
fn utc_seconds(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    let shape = b.len() == 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':';
    if !shape || b[19] != b'Z' {
        return None;
    }
    let number = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let valid_day = (1..=12).contains(&month) && (1..=month_days[(month - 1) as usize]).contains(&day);
    if !valid_day || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * DAY + hour * HOUR + minute * MINUTE + second)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `t` if RFC 3339 can write it in UTC, else an error naming `text`.
fn in_range(t: Instant, text: &str) -> Result<Instant, String> {
    if (MIN_INSTANT..=MAX_INSTANT).contains(&t) {
        Ok(t)
    } else {
        Err(format!("`{text}` is outside the years 0000 to 9999, which RFC 3339 (and so casim's output) can write"))
    }
}

/// Parses a step time: `"HH:MM"`, `"HH:MM:SS"`, `"Nd HH:MM"` relative to `base`
/// (the start day, or the start of a repeat's repetition), or an RFC 3339 instant.
pub fn parse_time(text: &str, base: Instant) -> Result<Instant, String> {
    let trimmed = text.trim();
    if trimmed.contains('T') {
        return parse_rfc3339(trimmed);
    }
    let (days, clock) = match trimmed.split_once(' ') {
        Some((d, clock)) => (parse_day_offset(d, text)?, clock.trim()),
        None => (0, trimmed),
    };
    let offset = parse_clock(clock).ok_or_else(|| time_expectation(text))?;
    // `base` may be a late repetition's start: near i64's end the sum overflows.
    let t = days.checked_mul(DAY).and_then(|d| base.checked_add(d + offset)).unwrap_or(Instant::MAX);
    in_range(t, text)
}

fn parse_day_offset(part: &str, whole: &str) -> Result<i64, String> {
    part.strip_suffix('d')
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| (0..=36_500).contains(n))
        .ok_or_else(|| time_expectation(whole))
}

fn parse_clock(clock: &str) -> Option<Seconds> {
    let format = match clock.matches(':').count() {
        1 => "%H:%M",
        2 => "%H:%M:%S",
        _ => return None,
    };
    let time = NaiveTime::parse_from_str(clock, format).ok()?;
    Some(time.signed_duration_since(NaiveTime::MIN).num_seconds())
}

fn time_expectation(text: &str) -> String {
    format!(
        "`{text}` is not a time; expected \"HH:MM\", \"HH:MM:SS\", \"Nd HH:MM\" (e.g. \"1d 09:00\") or an RFC 3339 instant"
    )
}

/// Parses a duration such as `30s`, `5m`, `1h`, `90m`, `2d` or `1h30m`.
pub fn parse_duration(text: &str) -> Result<Seconds, String> {
    let expectation = || {
        format!("`{text}` is not a duration; expected a number and a unit (s, m, h, d), e.g. 30s, 5m, 1h, 2d or 1h30m")
    };
    let mut total: Seconds = 0;
    let mut digits = String::new();
    let mut seen_unit = false;
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => MINUTE,
            'h' => HOUR,
            'd' => DAY,
            _ => return Err(expectation()),
        };
        let n: Seconds = digits.parse().map_err(|_| expectation())?;
        total = n.checked_mul(unit).and_then(|v| total.checked_add(v)).ok_or_else(expectation)?;
        digits.clear();
        seen_unit = true;
    }
    if !digits.is_empty() || !seen_unit {
        return Err(expectation());
    }
    Ok(total)
}

/// Formats an instant as RFC 3339 with a `Z` suffix (the JSON contract).
pub fn rfc3339(t: Instant) -> String {
    DateTime::<Utc>::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| t.to_string())
}

/// Formats an instant the way scenarios write it: `"05:45"` on the start day,
/// `"1d 09:00"` later, with seconds only when they are not zero.
pub fn relative(t: Instant, start: Instant) -> String {
    Relative(t, start).to_string()
}

/// `relative` as a value to format in place (`write!(out, "{}", Relative(t, start))`),
/// without a string of its own: outputs write one per prompt.
#[derive(Debug, Clone, Copy)]
pub struct Relative(pub Instant, pub Instant);

impl std::fmt::Display for Relative {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let offset = self.0 - self.1;
        let days = offset.div_euclid(DAY);
        let secs = offset.rem_euclid(DAY);
        if days != 0 {
            write!(f, "{days}d ")?;
        }
        // Two digits by hand: every prompt of every output writes one.
        let two = |n: i64| [b'0' + (n / 10 % 10) as u8, b'0' + (n % 10) as u8];
        let [h1, h2] = two(secs / HOUR);
        let [m1, m2] = two(secs % HOUR / MINUTE);
        let clock = [h1, h2, b':', m1, m2];
        f.write_str(std::str::from_utf8(&clock).unwrap_or("??:??"))?;
        if secs % MINUTE != 0 {
            let [s1, s2] = two(secs % MINUTE);
            f.write_str(std::str::from_utf8(&[b':', s1, s2]).unwrap_or(":??"))?;
        }
        Ok(())
    }
}

/// Formats a duration compactly: `45m`, `1h`, `4h45m`, `2d`, `1d2h`.
pub fn duration(d: Seconds) -> String {
    Duration(d).to_string()
}

/// `duration` as a value to format in place.
#[derive(Debug, Clone, Copy)]
pub struct Duration(pub Seconds);

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.0;
        if d == 0 {
            return f.write_str("0s");
        }
        if d < 0 {
            f.write_str("-")?;
        }
        let mut rest = d.unsigned_abs();
        for (unit, suffix) in [(DAY, 'd'), (HOUR, 'h'), (MINUTE, 'm'), (1, 's')] {
            let unit = unit.unsigned_abs();
            if rest >= unit {
                write!(f, "{}{suffix}", rest / unit)?;
                rest %= unit;
            }
        }
        Ok(())
    }
}

/// Serde `serialize_with` for an instant: RFC 3339 in UTC, as every output writes it.
pub fn serialize_rfc3339<S: serde::Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&rfc3339(*t))
}

/// Serde `serialize_with` for an optional instant: RFC 3339, or null.
pub fn serialize_opt_rfc3339<S: serde::Serializer>(t: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&rfc3339(*t)),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick reading of casim's own form gives chrono's instant, and
    /// leaves what does not exist (or any other form) to chrono.
    #[test]
    fn utc_seconds_agrees_with_chrono() {
        let chrono_reads = |text: &str| DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp());
        let mut t = MIN_INSTANT;
        while t <= MAX_INSTANT {
            let text = rfc3339(t);
            assert_eq!(utc_seconds(&text), Some(t), "{text}");
            assert_eq!(chrono_reads(&text), Some(t), "{text}");
            t += 7_919 * DAY + 3_637;
        }
        for text in [
            "2026-02-29T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2000-02-29T12:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-05T24:00:00Z",
            "2026-01-05T23:60:00Z",
            "2026-01-05T23:59:60Z",
            "2026-01-05T00:00:00+01:00",
            "2026-01-05t00:00:00z",
            "2026-01-0500:00:00Z",
        ] {
            if let Some(t) = utc_seconds(text) {
                assert_eq!(chrono_reads(text), Some(t), "{text}");
            }
            assert_eq!(parse_rfc3339(text).ok(), chrono_reads(text).filter(|t| in_range(*t, text).is_ok()), "{text}");
        }
    }

    #[test]
    fn clock_times_are_relative_to_the_base() {
        assert_eq!(parse_time("00:00", DEFAULT_START), Ok(DEFAULT_START));
        assert_eq!(parse_time("05:45", DEFAULT_START), Ok(DEFAULT_START + 5 * HOUR + 45 * MINUTE));
        assert_eq!(parse_time("01:02:03", 0), Ok(3723));
        assert_eq!(parse_time("1d 09:00", 0), Ok(DAY + 9 * HOUR));
        assert_eq!(parse_time("0d 09:00", 0), parse_time("09:00", 0));
    }

    #[test]
    fn rfc3339_instants_ignore_the_base() {
        assert_eq!(parse_time("2026-01-05T05:45:00Z", 12), Ok(DEFAULT_START + 5 * HOUR + 45 * MINUTE));
    }

    #[test]
    fn bad_times_explain_the_accepted_forms() {
        for bad in ["25:00", "9", "1x 09:00", "09:00:00:00", "", "d 09:00", "12:60"] {
            let err = parse_time(bad, 0).unwrap_err();
            assert!(err.contains("expected"), "{bad}: {err}");
        }
    }

    #[test]
    fn instants_stay_within_four_digit_years() {
        assert_eq!(parse_rfc3339("9999-12-31T23:59:59Z"), Ok(MAX_INSTANT));
        assert_eq!(parse_rfc3339("0000-01-01T00:00:00Z"), Ok(MIN_INSTANT));
        for bad in ["9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00+01:00"] {
            assert!(parse_rfc3339(bad).unwrap_err().contains("years 0000 to 9999"), "{bad}");
        }
        assert!(parse_time("1d 00:00", MAX_INSTANT).unwrap_err().contains("years 0000 to 9999"));
        assert!(parse_time("36500d 00:00", i64::MAX - 5).is_err());
        assert_eq!(rfc3339(MAX_INSTANT), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn durations_combine_units() {
        assert_eq!(parse_duration("30s"), Ok(30));
        assert_eq!(parse_duration("90m"), Ok(90 * MINUTE));
        assert_eq!(parse_duration("1h30m"), Ok(90 * MINUTE));
        assert_eq!(parse_duration("2d"), Ok(2 * DAY));
        for bad in ["", "h", "10", "1w", "1.5h", "-1h", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formatting_round_trips() {
        assert_eq!(rfc3339(DEFAULT_START), "2026-01-05T00:00:00Z");
        assert_eq!(relative(DEFAULT_START + DAY + 9 * HOUR, DEFAULT_START), "1d 09:00");
        assert_eq!(relative(DEFAULT_START + 61, DEFAULT_START), "00:01:01");
        assert_eq!(duration(4 * HOUR + 45 * MINUTE), "4h45m");
        assert_eq!(duration(45 * MINUTE), "45m");
    }
}
