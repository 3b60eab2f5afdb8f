//! The time axis every timeline of a report shares: its span and scale. The
//! page's script draws each user's timeline on it (page.js, `X` and `grid`),
//! with the lanes' labels in the first 170 pixels.

use crate::time::{DAY, HOUR, Instant, Zone};

/// The time axis shared by every timeline of a report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Axis {
    pub from: Instant,
    pub to: Instant,
    pub px_per_hour: f64,
}

impl Axis {
    /// Whole hours around short runs (up to 36 hours), whole UTC days around longer ones.
    pub(super) fn new(first: Instant, last: Instant) -> Axis {
        let last = last.max(first + HOUR);
        if last - first <= 36 * HOUR {
            let from = first.div_euclid(HOUR) * HOUR;
            let to = (last + HOUR - 1).div_euclid(HOUR) * HOUR;
            let hours = ((to - from) / HOUR) as f64;
            Axis { from, to, px_per_hour: (1100.0 / hours).clamp(30.0, 400.0) }
        } else {
            let from = first.div_euclid(DAY) * DAY;
            let to = (last + DAY - 1).div_euclid(DAY) * DAY;
            let hours = ((to - from) / HOUR) as f64;
            Axis { from, to, px_per_hour: (1200.0 / hours).clamp(6.0, 12.0) }
        }
    }
}

/// The scenario clock's offsets from UTC over the axis, for the page's script
/// to write local times (page.js `off`): `(seconds from the axis's start,
/// offset)` at the start and at each change (daylight saving). Empty without
/// `timezone:`, and the page then writes UTC.
pub(super) fn offsets(zone: Zone, axis: &Axis) -> Vec<(i64, i64)> {
    if !zone.is_set() {
        return Vec::new();
    }
    let mut out = vec![(0, zone.offset(axis.from))];
    // A day at a time: no zone changes its offset twice in a day (`Zone::instant`
    // assumes the same), then the second of the change by bisection.
    let mut t = axis.from;
    while t < axis.to {
        let next = (t + DAY).min(axis.to);
        let (before, after) = (zone.offset(t), zone.offset(next));
        if before != after {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if zone.offset(mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push((hi - axis.from, after));
        }
        t = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_change_at_the_second_the_clocks_do() {
        let paris = Zone::parse("Europe/Paris").expect("a zone");
        // 2026-03-23 to 2026-04-02 UTC: Paris moves from +01:00 to +02:00 at 01:00 UTC on 29 March.
        let axis = Axis::new(1_774_224_000, 1_775_088_000);
        let change = 1_774_746_000 - axis.from;
        assert_eq!(offsets(paris, &axis), vec![(0, 3600), (change, 7200)]);
        assert!(offsets(Zone::default(), &axis).is_empty());
    }
}
