//! The time axis every timeline of a report shares: its span and scale. The
//! page's script draws each user's timeline on it (page.js, `X` and `grid`),
//! with the lanes' labels in the first 170 pixels.

use crate::time::{DAY, HOUR, Instant};

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
