//! The scenario's clock: its IANA time zone (`timezone:`, UTC when absent), how a
//! local wall-clock time becomes an instant across daylight saving changes, and
//! how outputs write an instant on that clock.
//!
//! A wall-clock time is held as "wall seconds": seconds since 1970-01-01 00:00
//! on the local clock, so that day arithmetic stays integer arithmetic (a local
//! day is always 86,400 wall seconds, even when it lasts 23 or 25 hours).

use chrono::{DateTime, LocalResult, Offset, TimeZone};
use chrono_tz::{TZ_VARIANTS, Tz};

use super::{DAY, HOUR, Instant, MINUTE, Relative, Seconds, Short, civil_from_days, date_time};

/// A scenario's time zone: `None` is UTC without a `timezone:` key, whose
/// outputs keep the relative form (`"1d 09:00"`) they have always had.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Zone(Option<Tz>);

/// A local time the zone skips (the spring-forward gap): the offsets in force
/// before and after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub before: Seconds,
    pub after: Seconds,
}

impl Zone {
    /// UTC, no `timezone:`.
    pub const UTC: Zone = Zone(None);

    /// Reads an IANA name (`Europe/Paris`); an unknown one gives the nearest
    /// valid name, if any is close.
    pub fn parse(name: &str) -> Result<Zone, Option<String>> {
        name.trim().parse::<Tz>().map(|tz| Zone(Some(tz))).map_err(|_| {
            let names = TZ_VARIANTS.iter().map(|tz| tz.name());
            crate::error::nearest(name.trim(), names).or_else(|| same_city(name))
        })
    }

    /// The IANA name, or `None` without `timezone:`.
    pub fn name(self) -> Option<&'static str> {
        self.0.map(|tz| tz.name())
    }

    /// Whether a `timezone:` was given: outputs then write calendar times.
    pub fn is_set(self) -> bool {
        self.0.is_some()
    }

    /// The zone's offset from UTC at instant `t`, in seconds (east positive).
    pub fn offset(self, t: Instant) -> Seconds {
        let Some(tz) = self.0 else { return 0 };
        match DateTime::from_timestamp(t, 0) {
            Some(utc) => i64::from(tz.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc()),
            None => 0,
        }
    }

    /// The wall-clock time at instant `t`.
    pub fn wall(self, t: Instant) -> Instant {
        t + self.offset(t)
    }

    /// The instant a wall-clock time names. Ambiguous times (the fall-back
    /// hour, lived twice) are the earlier instant; a time the clocks skip
    /// (the spring-forward gap) is an error for the caller to report.
    pub fn instant(self, wall: Instant) -> Result<Instant, Gap> {
        let Some(tz) = self.0 else { return Ok(wall) };
        let Some(naive) = DateTime::from_timestamp(wall, 0).map(|d| d.naive_utc()) else { return Ok(wall) };
        match tz.from_local_datetime(&naive) {
            LocalResult::Single(t) => Ok(t.timestamp()),
            LocalResult::Ambiguous(a, b) => Ok(a.timestamp().min(b.timestamp())),
            // A day either side is outside any gap: no zone changes its offset twice in two days.
            LocalResult::None => Err(Gap { before: self.offset(wall - DAY), after: self.offset(wall + DAY) }),
        }
    }

    /// The instant of a generated wall-clock time (personas' schedules): as
    /// `instant`, but a time in the gap is read with the offset before it, so
    /// it moves forward by the gap's length (02:30 becomes 03:30 in Paris),
    /// as a calendar moves a meeting the clocks skip.
    pub fn generated(self, wall: Instant) -> Instant {
        self.instant(wall).unwrap_or_else(|gap| wall - gap.before)
    }

    /// `t` as a calendar time on this clock: `Thu 8 Jan 09:00 +01:00`, with
    /// seconds only when they are not zero.
    pub fn calendar(self, t: Instant) -> Short {
        let offset = self.offset(t);
        let wall = t + offset;
        let (date, secs) = (wall.div_euclid(DAY), wall.rem_euclid(DAY));
        let (_, month, day) = civil_from_days(date);
        let mut out = Short::default();
        out.push(WEEKDAYS[weekday(date)].as_bytes());
        out.push(b" ");
        out.push_u64(day.unsigned_abs());
        out.push(b" ");
        out.push(MONTHS[(month - 1) as usize].as_bytes());
        out.push(b" ");
        push_clock(&mut out, secs, secs % MINUTE != 0);
        out.push(b" ");
        push_offset(&mut out, offset);
        out
    }

    /// `t` as RFC 3339 with this clock's offset: `2026-01-08T09:00:00+01:00`
    /// (JSON's `local_at`).
    pub fn rfc3339(self, t: Instant) -> Short {
        let offset = self.offset(t);
        let mut out = date_time(t + offset);
        push_offset(&mut out, offset);
        out
    }
}

/// An unknown name whose city is a zone's (`Paris` for `Europe/Paris`).
fn same_city(name: &str) -> Option<String> {
    let city = name.trim().rsplit('/').next()?.to_lowercase().replace(' ', "_");
    TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .find(|n| n.rsplit('/').next().is_some_and(|c| c.to_lowercase() == city))
        .map(str::to_string)
}

/// Weekday names, Monday first (ISO 8601), as time forms and outputs write them.
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// 0 = Monday … 6 = Sunday, of the day `date` days after 1970-01-01 (a Thursday).
pub(super) fn weekday(date: i64) -> usize {
    (date + 3).rem_euclid(7) as usize
}

/// `HH:MM`, and `:SS` when `seconds`.
fn push_clock(out: &mut Short, secs: Seconds, seconds: bool) {
    out.push_two(secs / HOUR);
    out.push(b":");
    out.push_two(secs % HOUR / MINUTE);
    if seconds {
        out.push(b":");
        out.push_two(secs % MINUTE);
    }
}

/// `+01:00`, `-05:00`, `+05:45`.
fn push_offset(out: &mut Short, offset: Seconds) {
    out.push(if offset < 0 { b"-" } else { b"+" });
    let abs = offset.abs();
    out.push_two(abs / HOUR);
    out.push(b":");
    out.push_two(abs % HOUR / MINUTE);
}

/// A scenario's start and zone: how every text output writes an instant.
/// Without `timezone:` it is the relative form of before (`"1d 09:00"`);
/// with one, the calendar time and its offset (`Thu 8 Jan 09:00 +01:00`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Clock {
    pub start: Instant,
    pub zone: Zone,
}

impl Clock {
    pub fn new(start: Instant, zone: Zone) -> Clock {
        Clock { start, zone }
    }

    /// `t` in words, on the stack (outputs write one or more per prompt).
    pub fn text(self, t: Instant) -> Short {
        if self.zone.is_set() { self.zone.calendar(t) } else { Relative(t, self.start).text() }
    }

    /// `text` as a `String`.
    pub fn show(self, t: Instant) -> String {
        self.text(t).as_str().to_string()
    }

    /// The wall-clock time a relative time counts from: `start` on the local
    /// clock, moved by `base - start` (a repetition's offset).
    pub fn wall_base(self, base: Instant) -> Instant {
        self.zone.wall(self.start).saturating_add(base.saturating_sub(self.start))
    }

    /// Reads a time of the timeline on this clock (`time::parse_local`),
    /// `base` being the start or a repetition's start.
    pub fn parse(self, text: &str, base: Instant) -> Result<Instant, String> {
        super::parse_local(text, self.wall_base(base), self.zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_rfc3339;

    fn paris() -> Zone {
        Zone::parse("Europe/Paris").unwrap()
    }

    fn at(text: &str) -> Instant {
        parse_rfc3339(text).unwrap()
    }

    #[test]
    fn unknown_zones_suggest_the_nearest_name() {
        assert_eq!(Zone::parse("Europe/Pariss"), Err(Some("Europe/Paris".to_string())));
        assert_eq!(Zone::parse("europe/paris"), Err(Some("Europe/Paris".to_string())));
        assert_eq!(Zone::parse("Paris"), Err(Some("Europe/Paris".to_string())));
        assert_eq!(Zone::parse("Nowhere/Atall"), Err(None));
        assert_eq!(paris().name(), Some("Europe/Paris"));
        assert_eq!(Zone::UTC.name(), None);
    }

    #[test]
    fn wall_clock_follows_daylight_saving() {
        // Paris: +01:00 in winter, +02:00 from 2026-03-29 01:00Z.
        assert_eq!(paris().offset(at("2026-01-08T08:00:00Z")), HOUR);
        assert_eq!(paris().offset(at("2026-03-30T07:00:00Z")), 2 * HOUR);
        assert_eq!(paris().instant(at("2026-01-08T09:00:00Z")), Ok(at("2026-01-08T08:00:00Z")));
        assert_eq!(paris().instant(at("2026-03-30T09:00:00Z")), Ok(at("2026-03-30T07:00:00Z")));
        assert_eq!(Zone::UTC.instant(42), Ok(42));
    }

    #[test]
    fn the_gap_is_an_error_and_the_fold_the_earlier_instant() {
        let gap = paris().instant(at("2026-03-29T02:30:00Z"));
        assert_eq!(gap, Err(Gap { before: HOUR, after: 2 * HOUR }));
        // 02:30 on 2026-10-25 happens at 00:30Z (+02:00) and again at 01:30Z (+01:00).
        assert_eq!(paris().instant(at("2026-10-25T02:30:00Z")), Ok(at("2026-10-25T00:30:00Z")));
        // A generated time in the gap moves forward by the gap: 02:30 reads as 03:30 +02:00.
        assert_eq!(paris().generated(at("2026-03-29T02:30:00Z")), at("2026-03-29T01:30:00Z"));
    }

    #[test]
    fn calendar_times_carry_their_offset() {
        assert_eq!(paris().calendar(at("2026-01-08T08:00:00Z")).as_str(), "Thu 8 Jan 09:00 +01:00");
        assert_eq!(paris().calendar(at("2026-03-30T07:00:30Z")).as_str(), "Mon 30 Mar 09:00:30 +02:00");
        assert_eq!(paris().rfc3339(at("2026-01-08T08:00:00Z")).as_str(), "2026-01-08T09:00:00+01:00");
        let kathmandu = Zone::parse("Asia/Kathmandu").unwrap();
        assert_eq!(kathmandu.rfc3339(at("2026-01-08T00:00:00Z")).as_str(), "2026-01-08T05:45:00+05:45");
        let new_york = Zone::parse("America/New_York").unwrap();
        assert_eq!(new_york.calendar(at("2026-01-08T14:00:00Z")).as_str(), "Thu 8 Jan 09:00 -05:00");
    }

    #[test]
    fn a_clock_without_zone_writes_relative_times() {
        let start = at("2026-01-05T00:00:00Z");
        assert_eq!(Clock::new(start, Zone::UTC).show(start + DAY + 9 * HOUR), "1d 09:00");
        assert_eq!(Clock::new(start, paris()).show(start + DAY + 8 * HOUR), "Tue 6 Jan 09:00 +01:00");
        assert_eq!(Clock::new(start, paris()).wall_base(start + DAY), start + DAY + HOUR);
    }
}
