//! Service-level clock: business hours (by default Monday to Friday, 8:00 to 18:00 in
//! Europe/Madrid, minus a holiday list), and the first-response and resolution targets per
//! priority counted in those hours.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How far the clock looks ahead before giving up (a calendar without working days).
const MAX_DAYS: i64 = 3660;

#[derive(Debug, Clone, PartialEq)]
pub struct BusinessHours {
    pub tz: Tz,
    /// Working weekdays, Monday first.
    pub days: [bool; 7],
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub holidays: Vec<NaiveDate>,
}

impl Default for BusinessHours {
    /// Monday–Friday, 8:00–18:00, Europe/Madrid, no holidays.
    fn default() -> Self {
        Self {
            tz: chrono_tz::Europe::Madrid,
            days: [true, true, true, true, true, false, false],
            start: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN),
            holidays: Vec::new(),
        }
    }
}

impl BusinessHours {
    /// Working minutes in one full working day.
    pub fn day_minutes(&self) -> i64 {
        (self.end - self.start).num_minutes().max(0)
    }

    fn is_working_day(&self, d: NaiveDate) -> bool {
        self.days[d.weekday().num_days_from_monday() as usize] && !self.holidays.contains(&d)
    }

    fn utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // Working hours never fall in a daylight-saving gap here; `earliest` covers the fold.
        self.tz
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local))
    }

    /// The working window of day `d` as UTC instants, if it is a working day.
    fn window(&self, d: NaiveDate) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        (self.is_working_day(d) && self.start < self.end).then(|| {
            (
                self.utc(d.and_time(self.start)),
                self.utc(d.and_time(self.end)),
            )
        })
    }

    /// The instant `minutes` working minutes after `from`.
    pub fn add_minutes(&self, from: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        let mut left = minutes.max(0);
        let mut day = from.with_timezone(&self.tz).date_naive();
        for _ in 0..MAX_DAYS {
            if let Some((open, close)) = self.window(day) {
                let cursor = from.max(open);
                if cursor < close {
                    let available = (close - cursor).num_minutes();
                    if left <= available {
                        return cursor + Duration::minutes(left);
                    }
                    left -= available;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        from + Duration::days(MAX_DAYS)
    }

    /// Working minutes between `a` and `b` (0 when `b` is not after `a`).
    pub fn minutes_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = 0;
        let mut day = a.with_timezone(&self.tz).date_naive();
        let last = b.with_timezone(&self.tz).date_naive();
        while day <= last {
            if let Some((open, close)) = self.window(day) {
                let from = a.max(open);
                let to = b.min(close);
                if to > from {
                    total += (to - from).num_minutes();
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        total
    }
}

/// Minutes of working time to first response and to resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub first_response: i64,
    pub resolution: i64,
}

/// Targets per priority: high, medium, low.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub high: Target,
    pub medium: Target,
    pub low: Target,
}

impl Targets {
    /// Alta 1 h / 4 h, Media 4 h / 2 días, Baja 2 días / 10 días, a "día" being one working day.
    pub fn defaults(hours: &BusinessHours) -> Self {
        let day = hours.day_minutes();
        Self {
            high: Target {
                first_response: 60,
                resolution: 4 * 60,
            },
            medium: Target {
                first_response: 4 * 60,
                resolution: 2 * day,
            },
            low: Target {
                first_response: 2 * day,
                resolution: 10 * day,
            },
        }
    }
}

/// Reads a duration of working time: `90m`, `4h`, `2d` (working days of `day_minutes`).
fn parse_span(s: &str, day_minutes: i64) -> Option<i64> {
    let s = s.trim();
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = n.parse().ok().filter(|n| *n > 0 && *n <= 100_000)?;
    match unit.trim() {
        "m" | "min" => Some(n),
        "h" => Some(n * 60),
        "d" | "días" | "dias" | "dia" | "día" => Some(n * day_minutes),
        _ => None,
    }
}

/// Reads targets like `alta=1h/4h, media=4h/2d, baja=2d/10d` (first response / resolution;
/// `high`, `medium`, `low` work too). Priorities left out keep `defaults`.
pub fn parse_targets(s: &str, day_minutes: i64, defaults: Targets) -> Result<Targets, String> {
    let mut t = defaults;
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, spans) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?} is not priority=first/resolution"))?;
        let (first, resolution) = spans
            .split_once('/')
            .ok_or_else(|| format!("{part:?} needs first-response/resolution, e.g. 1h/4h"))?;
        let target = Target {
            first_response: parse_span(first, day_minutes)
                .ok_or_else(|| format!("{first:?} is not a duration like 90m, 4h or 2d"))?,
            resolution: parse_span(resolution, day_minutes)
                .ok_or_else(|| format!("{resolution:?} is not a duration like 90m, 4h or 2d"))?,
        };
        match name.trim().to_lowercase().as_str() {
            "alta" | "high" => t.high = target,
            "media" | "medium" => t.medium = target,
            "baja" | "low" => t.low = target,
            other => return Err(format!("{other:?} is not alta, media or baja")),
        }
    }
    Ok(t)
}

/// Reads working hours like `08:00-18:00`.
pub fn parse_hours(s: &str) -> Result<(NaiveTime, NaiveTime), String> {
    let (a, b) = s
        .trim()
        .split_once('-')
        .ok_or_else(|| format!("{s:?} is not hh:mm-hh:mm"))?;
    let time = |v: &str| {
        NaiveTime::parse_from_str(v.trim(), "%H:%M").map_err(|_| format!("{v:?} is not hh:mm"))
    };
    let (start, end) = (time(a)?, time(b)?);
    if start >= end {
        return Err(format!("{s:?} ends before it starts"));
    }
    Ok((start, end))
}

/// Reads working weekdays like `1-5` or `1,2,3,4,5,6` (1 is Monday).
pub fn parse_days(s: &str) -> Result<[bool; 7], String> {
    let mut days = [false; 7];
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let n = |v: &str| {
            v.trim()
                .parse::<usize>()
                .ok()
                .filter(|d| (1..=7).contains(d))
                .ok_or_else(|| format!("{v:?} is not a weekday 1-7"))
        };
        for d in n(a)?..=n(b)? {
            days[d - 1] = true;
        }
    }
    if !days.contains(&true) {
        return Err(format!("{s:?} has no working day"));
    }
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn madrid(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Madrid
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn within_a_working_day() {
        let h = BusinessHours::default();
        // Thursday 26 November 2026, 10:00.
        let at = madrid(2026, 11, 26, 10, 0);
        assert_eq!(h.add_minutes(at, 60), madrid(2026, 11, 26, 11, 0));
        assert_eq!(h.minutes_between(at, madrid(2026, 11, 26, 11, 30)), 90);
    }

    #[test]
    fn across_the_night() {
        let h = BusinessHours::default();
        let at = madrid(2026, 11, 26, 17, 30);
        assert_eq!(h.add_minutes(at, 60), madrid(2026, 11, 27, 8, 30));
        // Opened at night: the clock starts at 8:00.
        assert_eq!(
            h.add_minutes(madrid(2026, 11, 26, 22, 0), 60),
            madrid(2026, 11, 27, 9, 0)
        );
        assert_eq!(
            h.minutes_between(madrid(2026, 11, 26, 17, 30), madrid(2026, 11, 27, 8, 30)),
            60
        );
    }

    #[test]
    fn across_the_weekend_and_holidays() {
        let mut h = BusinessHours::default();
        // Friday 27 November 17:00 + 2 h -> Monday 30 at 9:00.
        let friday = madrid(2026, 11, 27, 17, 0);
        assert_eq!(h.add_minutes(friday, 120), madrid(2026, 11, 30, 9, 0));
        // Saturday counts nothing.
        assert_eq!(
            h.minutes_between(madrid(2026, 11, 28, 9, 0), madrid(2026, 11, 29, 20, 0)),
            0
        );
        // With Monday a holiday (say, a regional one), it moves to Tuesday.
        h.holidays
            .push(NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(h.add_minutes(friday, 120), madrid(2026, 12, 1, 9, 0));
        // Christmas week: 24 (Thu) works, 25 (Fri) is a holiday.
        h.holidays
            .push(NaiveDate::from_ymd_opt(2026, 12, 25).unwrap());
        let two_days = 2 * h.day_minutes();
        assert_eq!(
            h.add_minutes(madrid(2026, 12, 24, 12, 0), two_days),
            madrid(2026, 12, 29, 12, 0)
        );
    }

    #[test]
    fn across_daylight_saving_changes() {
        let h = BusinessHours::default();
        // Friday 27 March 2026 17:00 + 2 h: clocks go forward on Sunday 29.
        assert_eq!(
            h.add_minutes(madrid(2026, 3, 27, 17, 0), 120),
            madrid(2026, 3, 30, 9, 0)
        );
        // Friday 23 October 2026 17:00 + 2 h: clocks go back on Sunday 25.
        assert_eq!(
            h.add_minutes(madrid(2026, 10, 23, 17, 0), 120),
            madrid(2026, 10, 26, 9, 0)
        );
    }

    #[test]
    fn adding_and_measuring_agree() {
        let h = BusinessHours::default();
        let start = madrid(2026, 11, 26, 16, 45);
        for minutes in [0, 1, 75, 600, 601, 3000, 6000] {
            let due = h.add_minutes(start, minutes);
            assert_eq!(h.minutes_between(start, due), minutes, "{minutes}");
        }
    }

    #[test]
    fn configuration_is_read() {
        let h = BusinessHours::default();
        let d = Targets::defaults(&h);
        let t = parse_targets("alta=30m/2h, baja=1d/5d", h.day_minutes(), d).unwrap();
        assert_eq!(t.high.first_response, 30);
        assert_eq!(t.high.resolution, 120);
        assert_eq!(t.medium, d.medium);
        assert_eq!(t.low.resolution, 5 * 600);
        for bad in ["alta=1h", "urgente=1h/2h", "alta=0h/1h", "alta=1x/2h"] {
            assert!(parse_targets(bad, 600, d).is_err(), "{bad}");
        }
        assert_eq!(
            parse_hours("09:00-14:00").unwrap(),
            (
                NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(14, 0, 0).unwrap()
            )
        );
        assert!(parse_hours("18:00-08:00").is_err());
        assert_eq!(
            parse_days("1-5").unwrap(),
            [true, true, true, true, true, false, false]
        );
        assert_eq!(
            parse_days("1,3,6").unwrap(),
            [true, false, true, false, false, true, false]
        );
        assert!(parse_days("0-8").is_err());
    }

    #[test]
    fn default_targets() {
        let h = BusinessHours::default();
        let t = Targets::defaults(&h);
        assert_eq!(t.high.first_response, 60);
        assert_eq!(t.high.resolution, 240);
        assert_eq!(t.medium.resolution, 1200);
        assert_eq!(t.low.first_response, 1200);
        assert_eq!(t.low.resolution, 6000);
        // A calendar with no working days never panics or loops forever.
        let none = BusinessHours {
            days: [false; 7],
            ..BusinessHours::default()
        };
        let at = madrid(2026, 11, 26, 10, 0);
        assert!(none.add_minutes(at, 10) > at + Duration::days(3000));
    }
}
