//! Instants and durations as scenarios write them.
//!
//! The engine counts whole seconds since the Unix epoch: every rule works in
//! minutes or hours, and integer arithmetic keeps runs byte-identical.

mod zone;

use chrono::{DateTime, NaiveTime, SecondsFormat, Utc};

pub use zone::{Clock, Gap, WEEKDAYS, Zone};

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
    let b: &[u8; 20] = text.as_bytes().try_into().ok()?;
    let shape = b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':' && b[19] == b'Z';
    if !shape {
        return None;
    }
    // Two digits at `at`, or 100 (out of every range below) if either is not a digit.
    let pair = |at: usize| {
        let (tens, ones) = (b[at].wrapping_sub(b'0'), b[at + 1].wrapping_sub(b'0'));
        if tens < 10 && ones < 10 { i64::from(tens * 10 + ones) } else { 100 }
    };
    let (hour, minute, second) = (pair(11), pair(14), pair(17));
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let date: [u8; 10] = b[..10].try_into().ok()?;
    Some(utc_days(date, pair)? * DAY + hour * HOUR + minute * MINUTE + second)
}

thread_local! {
    /// The last date `utc_days` read and its days: a generated timeline has
    /// a few dozen steps a user-day, one after another.
    static LAST_DATE: std::cell::Cell<([u8; 10], i64)> = const { std::cell::Cell::new(([0; 10], 0)) };
}

/// Days from 1970-01-01 to the date `YYYY-MM-DD` of `date`, whose two-digit
/// numbers at a place `pair` reads; `None` for a date that does not exist.
fn utc_days(date: [u8; 10], pair: impl Fn(usize) -> i64) -> Option<i64> {
    let (last, days) = LAST_DATE.get();
    if last == date {
        return Some(days);
    }
    let (century, year_of_century) = (pair(0), pair(2));
    if century > 99 || year_of_century > 99 {
        return None;
    }
    let year = century * 100 + year_of_century;
    let (month, day) = (pair(5), pair(8));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let valid_day = (1..=12).contains(&month) && (1..=month_days[(month - 1) as usize]).contains(&day);
    if !valid_day {
        return None;
    }
    let days = days_from_civil(year, month, day);
    LAST_DATE.set((date, days));
    Some(days)
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

/// The date of the proleptic Gregorian calendar `days` after 1970-01-01
/// (Howard Hinnant's `civil_from_days`), as (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `t` if RFC 3339 can write it in UTC, else an error naming `text`.
fn in_range(t: Instant, text: &str) -> Result<Instant, String> {
    if (MIN_INSTANT..=MAX_INSTANT).contains(&t) {
        Ok(t)
    } else {
        Err(format!("`{text}` is outside the years 0000 to 9999, which RFC 3339 (and so casim's output) can write"))
    }
}

/// Parses a step time in UTC (see `parse_local`).
pub fn parse_time(text: &str, base: Instant) -> Result<Instant, String> {
    parse_local(text, base, Zone::UTC)
}

/// Parses a step time on the clock of `zone` (docs/scenario-format.md, "Times"):
/// `"HH:MM"`, `"HH:MM:SS"` or `"Nd HH:MM"` after `base` (the wall-clock time
/// of the start, or of a repeat's repetition: `Clock::wall_base`), `"Mon 09:00"`
/// (that weekday of the ISO week, Monday first, holding `base`), `"2026-01-08 09:00"`
/// (a local date and time), or an RFC 3339 instant (its own offset). A local
/// time the clocks skip is an error; one they live twice is the earlier instant.
pub fn parse_local(text: &str, base: Instant, zone: Zone) -> Result<Instant, String> {
    // The form `casim generate` writes at every step, before trimming and
    // searching the text (issue 11: hundreds of thousands of steps).
    if let Some(t) = utc_seconds(text) {
        return in_range(t, text);
    }
    let trimmed = text.trim();
    // `Tue`/`Thu` hold a `T` too: a weekday is never an instant.
    let weekday = trimmed.split_once(' ').is_some_and(|(d, _)| WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(d)));
    if trimmed.contains('T') && !weekday {
        return parse_rfc3339(trimmed);
    }
    let wall = local_wall(trimmed, text, base)?;
    let t = zone.instant(wall).map_err(|gap| gap_error(text, wall, gap, zone))?;
    in_range(t, text)
}

/// The wall-clock seconds a non-RFC 3339 time names, `base` being the wall
/// clock's origin for offsets and weekdays.
fn local_wall(trimmed: &str, text: &str, base: Instant) -> Result<Instant, String> {
    let (day, clock) = match trimmed.split_once(' ') {
        Some((d, clock)) => (Some(d), clock.trim()),
        None => (None, trimmed),
    };
    let offset = parse_clock(clock).ok_or_else(|| time_expectation(text))?;
    let day_start = match day {
        None => Some(base),
        Some(d) if WEEKDAYS.iter().any(|w| w.eq_ignore_ascii_case(d)) => {
            Some(week_start(base) + weekday_number(d, text)? * DAY)
        }
        Some(d) if d.ends_with('d') && d.starts_with(|c: char| c.is_ascii_digit()) => {
            let days = parse_day_offset(d, text)?;
            days.checked_mul(DAY).and_then(|d| base.checked_add(d))
        }
        Some(d) if d.starts_with(|c: char| c.is_ascii_digit()) => Some(parse_date(d, text)? * DAY),
        Some(d) => Some(week_start(base) + weekday_number(d, text)? * DAY),
    };
    // `base` may be a late repetition's start: near i64's end the sum overflows.
    Ok(day_start.and_then(|d| d.checked_add(offset)).unwrap_or(Instant::MAX))
}

/// The wall-clock midnight of the Monday of the ISO week holding `wall`.
fn week_start(wall: Instant) -> Instant {
    let date = wall.div_euclid(DAY);
    (date - zone::weekday(date) as i64) * DAY
}

/// `Mon` … `Sun` (any case) as 0 … 6.
fn weekday_number(word: &str, text: &str) -> Result<i64, String> {
    if let Some(i) = WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(word)) {
        return Ok(i as i64);
    }
    let nearest = crate::error::nearest(word, WEEKDAYS).map(|w| format!("; did you mean `{w}`?")).unwrap_or_default();
    Err(format!(
        "`{text}`: `{word}` is not a day; expected \"Nd\" (e.g. \"1d 09:00\"), a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun) or a date YYYY-MM-DD{nearest}"
    ))
}

/// `YYYY-MM-DD` as days since 1970-01-01, or an error for a date that does not exist.
fn parse_date(word: &str, text: &str) -> Result<i64, String> {
    let date: [u8; 10] = word.as_bytes().try_into().map_err(|_| time_expectation(text))?;
    if date[4] != b'-' || date[7] != b'-' {
        return Err(time_expectation(text));
    }
    let pair = |at: usize| {
        let (tens, ones) = (date[at].wrapping_sub(b'0'), date[at + 1].wrapping_sub(b'0'));
        if tens < 10 && ones < 10 { i64::from(tens * 10 + ones) } else { 100 }
    };
    utc_days(date, pair).ok_or_else(|| format!("`{text}`: `{word}` is not a date of the calendar (YYYY-MM-DD)"))
}

/// A local time the clocks skip, in words: what happened and the time it
/// would be read as, so the writer can choose.
fn gap_error(text: &str, wall: Instant, gap: Gap, zone: Zone) -> String {
    let later = zone.calendar(wall - gap.before);
    format!(
        "`{text}` does not exist in {}: the clocks go forward from {} to {} that night, skipping {}; write a time outside the gap (e.g. `{}`)",
        zone.name().unwrap_or("UTC"),
        offset_words(gap.before),
        offset_words(gap.after),
        duration(gap.after - gap.before),
        later.as_str(),
    )
}

fn offset_words(offset: Seconds) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    format!("UTC{sign}{:02}:{:02}", offset.abs() / HOUR, offset.abs() % HOUR / MINUTE)
}

/// Parses a routine's time (personas): `"HH:MM"`, `"HH:MM:SS"` or `"Nd HH:MM"`,
/// an offset from the start of the working day; no weekday, date or instant.
pub fn parse_offset(text: &str) -> Result<Seconds, String> {
    let trimmed = text.trim();
    let relative = match trimmed.split_once(' ') {
        Some((d, _)) => d.ends_with('d') && d.starts_with(|c: char| c.is_ascii_digit()),
        None => !trimmed.contains('T'),
    };
    if !relative {
        return Err(format!(
            "`{text}` is not an offset; routine times are offsets from the start of the day: \"HH:MM\" or \"Nd HH:MM\""
        ));
    }
    parse_time(trimmed, 0)
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
        "`{text}` is not a time; expected \"HH:MM\", \"HH:MM:SS\", \"Nd HH:MM\" (e.g. \"1d 09:00\"), a weekday \"Mon 09:00\", a date \"2026-01-08 09:00\" or an RFC 3339 instant"
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
    match rfc3339_short(t) {
        Some(short) => short.as_str().to_string(),
        None => DateTime::<Utc>::from_timestamp(t, 0)
            .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_else(|| t.to_string()),
    }
}

/// `rfc3339` by hand, on the stack, within the four-digit years (every
/// instant casim accepts): JSON outputs write one or two per item, and
/// chrono's general formatting cost more than the rest of the item.
fn rfc3339_short(t: Instant) -> Option<Short> {
    if !(MIN_INSTANT..=MAX_INSTANT).contains(&t) {
        return None;
    }
    let mut out = date_time(t);
    out.push(b"Z");
    Some(out)
}

/// `YYYY-MM-DDTHH:MM:SS` of `t` read as UTC (or of wall-clock seconds), on
/// the stack: what RFC 3339 writes before the offset.
fn date_time(t: Instant) -> Short {
    let (date, secs) = (t.div_euclid(DAY), t.rem_euclid(DAY));
    let (year, month, day) = civil_from_days(date);
    let mut out = Short::default();
    out.push_two(year / 100);
    out.push_two(year % 100);
    out.push(b"-");
    out.push_two(month);
    out.push(b"-");
    out.push_two(day);
    out.push(b"T");
    out.push_two(secs / HOUR);
    out.push(b":");
    out.push_two(secs % HOUR / MINUTE);
    out.push(b":");
    out.push_two(secs % MINUTE);
    out
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

impl Relative {
    /// The words, on the stack: outputs write one or more per prompt, and
    /// `core::fmt` cost more than the digits.
    pub fn text(self) -> Short {
        let offset = self.0 - self.1;
        let days = offset.div_euclid(DAY);
        let secs = offset.rem_euclid(DAY);
        let mut out = Short::default();
        if days != 0 {
            out.push_i64(days);
            out.push(b"d ");
        }
        out.push_two(secs / HOUR);
        out.push(b":");
        out.push_two(secs % HOUR / MINUTE);
        if secs % MINUTE != 0 {
            out.push(b":");
            out.push_two(secs % MINUTE);
        }
        out
    }
}

impl std::fmt::Display for Relative {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text().as_str())
    }
}

/// An instant or a duration in words, short enough for the stack (the
/// longest, a duration of `Seconds::MIN`, takes 25 bytes).
#[derive(Clone, Copy, Default)]
pub struct Short {
    bytes: [u8; 32],
    len: usize,
}

impl Short {
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and signs are ever pushed.
        std::str::from_utf8(self.as_bytes()).unwrap_or("?")
    }

    /// The words as UTF-8 (ASCII), for outputs built as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn push(&mut self, text: &[u8]) {
        self.bytes[self.len..self.len + text.len()].copy_from_slice(text);
        self.len += text.len();
    }

    fn push_u64(&mut self, n: u64) {
        let digits = n.checked_ilog10().unwrap_or(0) as usize + 1;
        let (mut rest, end) = (n, self.len + digits);
        for d in self.bytes[self.len..end].iter_mut().rev() {
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        self.len = end;
    }

    fn push_i64(&mut self, n: i64) {
        if n < 0 {
            self.push(b"-");
        }
        self.push_u64(n.unsigned_abs());
    }

    /// `n` in 0..100 as two digits.
    /// Euclidean remainders: a local time just before year 0000 (an instant
    /// at its start, west of UTC) writes digits, not a panic.
    fn push_two(&mut self, n: i64) {
        self.push(&[b'0' + (n / 10).rem_euclid(10) as u8, b'0' + n.rem_euclid(10) as u8]);
    }
}

/// Formats a duration compactly: `45m`, `1h`, `4h45m`, `2d`, `1d2h`.
pub fn duration(d: Seconds) -> String {
    Duration(d).to_string()
}

/// `duration` as a value to format in place.
#[derive(Debug, Clone, Copy)]
pub struct Duration(pub Seconds);

impl Duration {
    /// The words, on the stack (see `Relative::text`).
    pub fn text(self) -> Short {
        let d = self.0;
        let mut out = Short::default();
        if d == 0 {
            out.push(b"0s");
            return out;
        }
        if d < 0 {
            out.push(b"-");
        }
        let mut rest = d.unsigned_abs();
        for (unit, suffix) in [(DAY, b"d"), (HOUR, b"h"), (MINUTE, b"m"), (1, b"s")] {
            let unit = unit.unsigned_abs();
            if rest >= unit {
                out.push_u64(rest / unit);
                out.push(suffix);
                rest %= unit;
            }
        }
        out
    }
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text().as_str())
    }
}

/// Serde `serialize_with` for an instant: RFC 3339 in UTC, as every output writes it.
pub fn serialize_rfc3339<S: serde::Serializer>(t: &Instant, s: S) -> Result<S::Ok, S::Error> {
    match rfc3339_short(*t) {
        Some(short) => s.serialize_str(short.as_str()),
        None => s.serialize_str(&rfc3339(*t)),
    }
}

/// Serde `serialize_with` for an optional instant: RFC 3339, or null.
pub fn serialize_opt_rfc3339<S: serde::Serializer>(t: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => serialize_rfc3339(t, s),
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

    /// Issue 15: weekdays of the ISO week (Monday first) holding the base,
    /// local dates, and the relative forms, on the clock of a zone.
    #[test]
    fn weekday_and_date_forms() {
        // DEFAULT_START is Monday 2026-01-05; a base on Wednesday the 7th keeps that week.
        let wednesday = DEFAULT_START + 2 * DAY + 10 * HOUR;
        assert_eq!(parse_time("Mon 09:00", DEFAULT_START), Ok(DEFAULT_START + 9 * HOUR));
        assert_eq!(parse_time("Thu 13:00", wednesday), Ok(DEFAULT_START + 3 * DAY + 13 * HOUR));
        assert_eq!(parse_time("mon 09:00", wednesday), Ok(DEFAULT_START + 9 * HOUR));
        assert_eq!(parse_time("Sun 23:59", DEFAULT_START), Ok(DEFAULT_START + 6 * DAY + 23 * HOUR + 59 * MINUTE));
        // A Sunday base belongs to the week that began the Monday before.
        assert_eq!(parse_time("Mon 09:00", DEFAULT_START + 6 * DAY + HOUR), Ok(DEFAULT_START + 9 * HOUR));
        assert_eq!(parse_time("2026-01-08 09:00", 12), Ok(DEFAULT_START + 3 * DAY + 9 * HOUR));
        assert_eq!(parse_time("2024-02-29 00:00:30", 0), parse_rfc3339("2024-02-29T00:00:30Z"));
    }

    #[test]
    fn local_forms_read_on_the_zones_clock() {
        let paris = Zone::parse("Europe/Paris").unwrap();
        let at = |text: &str| parse_rfc3339(text).unwrap();
        // The base is the wall clock: local midnight of Monday 2026-03-23.
        let base = at("2026-03-23T00:00:00Z");
        assert_eq!(parse_local("09:00", base, paris), Ok(at("2026-03-23T08:00:00Z")));
        assert_eq!(parse_local("Thu 09:00", base, paris), Ok(at("2026-03-26T08:00:00Z")));
        assert_eq!(parse_local("7d 09:00", base, paris), Ok(at("2026-03-30T07:00:00Z")));
        assert_eq!(parse_local("2026-03-30 09:00", base, paris), Ok(at("2026-03-30T07:00:00Z")));
        // An instant keeps its own offset, whatever the zone.
        assert_eq!(parse_local("2026-03-30T09:00:00Z", base, paris), Ok(at("2026-03-30T09:00:00Z")));
        // The fall-back hour is lived twice: the earlier instant (+02:00).
        assert_eq!(parse_local("2026-10-25 02:30", base, paris), Ok(at("2026-10-25T00:30:00Z")));
        // The spring-forward gap does not exist.
        let gap = parse_local("Sun 02:30", base, paris).unwrap_err();
        assert!(gap.contains("does not exist in Europe/Paris"), "{gap}");
        assert!(gap.contains("UTC+01:00 to UTC+02:00"), "{gap}");
        assert!(gap.contains("Sun 29 Mar 03:30 +02:00"), "{gap}");
        assert_eq!(parse_local("Sun 03:00", base, paris), Ok(at("2026-03-29T01:00:00Z")));
    }

    /// Local times at the ends of the four-digit years are written, never a panic.
    #[test]
    fn local_times_at_the_calendars_ends_do_not_panic() {
        let new_york = Zone::parse("America/New_York").unwrap();
        let kiritimati = Zone::parse("Pacific/Kiritimati").unwrap();
        for t in [MIN_INSTANT, MAX_INSTANT] {
            for zone in [new_york, kiritimati] {
                assert_eq!(zone.rfc3339(t).as_str().len(), 25, "{t}");
                assert!(!zone.calendar(t).as_str().is_empty());
            }
        }
    }

    #[test]
    fn bad_weekdays_and_dates_say_what_was_expected() {
        let err = parse_time("Mnd 09:00", 0).unwrap_err();
        assert!(err.contains("did you mean `Mon`?") && err.contains("expected"), "{err}");
        for bad in ["2026-02-30 09:00", "2026-13-01 09:00", "2025-02-29 09:00"] {
            assert!(parse_time(bad, 0).unwrap_err().contains("is not a date of the calendar"), "{bad}");
        }
        for bad in ["Mon 25:00", "Mon", "2026-01-08", "2026-1-8 09:00", "Monday 09:00", "+1d 09:00"] {
            assert!(parse_time(bad, 0).unwrap_err().contains("expected"), "{bad}");
        }
    }

    #[test]
    fn routine_offsets_take_only_the_relative_forms() {
        assert_eq!(parse_offset("08:30"), Ok(8 * HOUR + 30 * MINUTE));
        assert_eq!(parse_offset("1d 02:00"), Ok(DAY + 2 * HOUR));
        for bad in ["Mon 09:00", "2026-01-08 09:00", "2026-01-05T00:00:00Z", "Tue 09:00"] {
            assert!(parse_offset(bad).unwrap_err().contains("routine times are offsets"), "{bad}");
        }
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

    /// RFC 3339 by hand reads as chrono writes it, over the four-digit years.
    #[test]
    fn rfc3339_by_hand_reads_as_chrono_writes_it() {
        let chrono = |t: Instant| {
            DateTime::<Utc>::from_timestamp(t, 0).map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap()
        };
        let mut t = MIN_INSTANT;
        while t <= MAX_INSTANT {
            assert_eq!(rfc3339(t), chrono(t), "{t}");
            // A prime step, not a whole number of days: every hour, day of the year and leap rule.
            t += 1_000_003;
        }
        for t in [MIN_INSTANT, MAX_INSTANT, 0, -1, 951_782_400, 951_868_799, DEFAULT_START, 4_107_542_399] {
            assert_eq!(rfc3339(t), chrono(t), "{t}");
        }
        assert_eq!(rfc3339(MAX_INSTANT + 1), chrono(MAX_INSTANT + 1));
    }

    /// The words written by hand read as `core::fmt` wrote them, up to the extremes.
    #[test]
    fn words_on_the_stack_read_as_format_wrote_them() {
        let relative_by_format = |t: Instant, start: Instant| {
            let (days, secs) = ((t - start).div_euclid(DAY), (t - start).rem_euclid(DAY));
            let day = if days != 0 { format!("{days}d ") } else { String::new() };
            let seconds = if secs % MINUTE != 0 { format!(":{:02}", secs % MINUTE) } else { String::new() };
            format!("{day}{:02}:{:02}{seconds}", secs / HOUR, secs % HOUR / MINUTE)
        };
        let duration_by_format = |d: Seconds| {
            let mut out = if d < 0 { "-".to_string() } else { String::new() };
            let mut rest = d.unsigned_abs();
            for (unit, suffix) in [(DAY, 'd'), (HOUR, 'h'), (MINUTE, 'm'), (1, 's')] {
                let unit = unit.unsigned_abs();
                if rest >= unit {
                    out.push_str(&format!("{}{suffix}", rest / unit));
                    rest %= unit;
                }
            }
            if d == 0 { "0s".to_string() } else { out }
        };
        let values = [0, 1, 59, 60, 61, 3_599, 3_600, 86_399, 86_400, 90_061, 9 * DAY + 7, 1 << 40, i64::MAX / 2];
        for v in values.into_iter().flat_map(|v| [v, -v]).chain([i64::MIN / 2, i64::MIN + 1, i64::MIN, i64::MAX]) {
            assert_eq!(duration(v), duration_by_format(v), "{v}");
            if let Some(t) = DEFAULT_START.checked_add(v / 2) {
                assert_eq!(relative(t, DEFAULT_START), relative_by_format(t, DEFAULT_START), "{v}");
            }
        }
    }
}
