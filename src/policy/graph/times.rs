//! Graph beta `conditionalAccessTimes` (R-CA-1 `times`): `allTimes`,
//! `includeDays`/`excludeDays` (`conditionalAccessDays`: `daysOfWeek`,
//! `timeZone` as `+HH` or `+HH:MM`, `startTime`/`endTime` as `HH:MM:SS`,
//! `allDay`) and `includeRange`/`excludeRange` (`conditionalAccessTimeRange`:
//! `timeZone`, `startDateTime`/`endDateTime`). A time zone casim cannot read
//! as a fixed offset is an error: evaluating in the wrong zone would move
//! every window.

use super::walk::{Field, Result, each_string};
use crate::policy::conditions::{DAY_NAMES, DaysWindow, TimeCondition, parse_clock, parse_offset};

pub(super) fn times(t: &Field) -> Result<TimeCondition> {
    t.object()?;
    Ok(TimeCondition {
        all_times: t.get("allTimes").map(|b| b.bool()).transpose()?.unwrap_or(false),
        include_days: t.get("includeDays").map(|d| days(&d)).transpose()?,
        exclude_days: t.get("excludeDays").map(|d| days(&d)).transpose()?,
        include_range: t.get("includeRange").map(|r| range(&r)).transpose()?,
        exclude_range: t.get("excludeRange").map(|r| range(&r)).transpose()?,
    })
}

fn offset(f: &Field) -> Result<i64> {
    match f.get("timeZone") {
        None => Ok(0),
        Some(z) => {
            let text = z.str()?;
            parse_offset(text).ok_or_else(|| {
                z.error(format!(
                    "`{text}` is not a time zone casim can read; expected an ISO 8601 offset such as +01 or -05:30"
                ))
            })
        }
    }
}

fn clock(f: &Field, key: &str) -> Result<Option<i64>> {
    let Some(c) = f.get(key) else { return Ok(None) };
    let text = c.str()?;
    parse_clock(text).map(Some).ok_or_else(|| c.error(format!("`{text}` is not a time of day; expected HH:MM:SS")))
}

fn days(d: &Field) -> Result<DaysWindow> {
    d.object()?;
    let mut out = DaysWindow {
        offset_seconds: offset(d)?,
        start: clock(d, "startTime")?,
        end: clock(d, "endTime")?,
        all_day: d.get("allDay").map(|b| b.bool()).transpose()?.unwrap_or(false),
        ..DaysWindow::default()
    };
    each_string(d, "daysOfWeek", |f, t| {
        let day = DAY_NAMES.iter().position(|n| n.eq_ignore_ascii_case(t.trim())).ok_or_else(|| {
            f.error(format!("`{t}` is not a day of the week; expected Sunday, Monday, … Saturday"))
                .with_help(crate::error::did_you_mean(&t.to_lowercase(), DAY_NAMES.iter().copied()))
        })?;
        out.days.push(day as u8);
        Ok(())
    })?;
    Ok(out)
}

fn range(r: &Field) -> Result<(i64, i64)> {
    r.object()?;
    let zone = offset(r)?;
    let instant = |key: &str| -> Result<i64> {
        let f = r.get(key).ok_or_else(|| r.error(format!("a time range needs `{key}`")))?;
        let text = f.str()?;
        chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S")
            .map(|t| t.and_utc().timestamp() - zone)
            .or_else(|_| crate::time::parse_rfc3339(text))
            .map_err(|_| f.error(format!("`{text}` is not a date and time; expected YYYY-MM-DDTHH:MM:SS")))
    };
    Ok((instant("startDateTime")?, instant("endDateTime")?))
}
