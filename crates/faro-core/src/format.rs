//! Dates and numbers as people read them: es-ES by default, en-GB style for English.
//! Times are shown in the operator's time zone (Europe/Madrid).

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

use crate::i18n::Lang;

pub const DISPLAY_TZ: Tz = chrono_tz::Europe::Madrid;

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `26/11/2026 21:05` (es) or `26/11/2026, 21:05` (en).
pub fn date_time(lang: Lang, at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&DISPLAY_TZ);
    let sep = match lang {
        Lang::Es => "",
        Lang::En => ",",
    };
    format!(
        "{:02}/{:02}/{}{sep} {:02}:{:02}",
        t.day(),
        t.month(),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// `26 de noviembre de 2026` (es) or `26 November 2026` (en).
pub fn long_date(lang: Lang, at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&DISPLAY_TZ);
    let m = t.month0() as usize;
    match lang {
        Lang::Es => format!("{} de {} de {}", t.day(), MONTHS_ES[m], t.year()),
        Lang::En => format!("{} {} {}", t.day(), MONTHS_EN[m], t.year()),
    }
}

/// `26/11/2026`: for form fields and compact tables.
pub fn short_date(at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&DISPLAY_TZ);
    format!("{:02}/{:02}/{}", t.day(), t.month(), t.year())
}

/// Whole numbers with grouping: `12.345` (es, which does not group four-digit numbers: `1234`),
/// `1,234` (en).
pub fn integer(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let (sep, min_len) = match lang {
        Lang::Es => ('.', 5),
        Lang::En => (',', 4),
    };
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    if digits.len() < min_len {
        out.push_str(&digits);
        return out;
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn spanish_forms() {
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 20, 5, 0).unwrap();
        assert_eq!(date_time(Lang::Es, at), "26/11/2026 21:05");
        assert_eq!(long_date(Lang::Es, at), "26 de noviembre de 2026");
        assert_eq!(long_date(Lang::En, at), "26 November 2026");
        // Summer time: UTC+2.
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 10, 0, 0).unwrap();
        assert_eq!(date_time(Lang::Es, summer), "01/07/2026 12:00");
    }

    #[test]
    fn numbers() {
        assert_eq!(integer(Lang::Es, 1234), "1234");
        assert_eq!(integer(Lang::Es, 12345), "12.345");
        assert_eq!(integer(Lang::Es, -1234567), "-1.234.567");
        assert_eq!(integer(Lang::En, 1234), "1,234");
        assert_eq!(integer(Lang::En, 7), "7");
    }
}

/// Parses a date as people type it here: `dd/mm/aaaa` (also `d/m/aaaa`, `dd-mm-aaaa`) or ISO
/// `aaaa-mm-dd`.
pub fn parse_date(input: &str) -> Result<chrono::NaiveDate, crate::Invalid> {
    let s = input.trim();
    let parsed = if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
    } else {
        chrono::NaiveDate::parse_from_str(&s.replace('-', "/"), "%d/%m/%Y")
    };
    parsed.map_err(|_| crate::Invalid::Date)
}

/// The first instant after `date` ends in the display time zone: a code "valid until 31/12"
/// works all of that day in Spain.
pub fn end_of_day(date: chrono::NaiveDate) -> Result<DateTime<Utc>, crate::Invalid> {
    use chrono::TimeZone;
    let next = date.succ_opt().ok_or(crate::Invalid::Date)?;
    let midnight = next.and_hms_opt(0, 0, 0).ok_or(crate::Invalid::Date)?;
    DISPLAY_TZ
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or(crate::Invalid::Date)
}

/// An optional future expiry date from a form field: empty means none.
pub fn parse_future_day(
    input: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, crate::Invalid> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    let at = end_of_day(parse_date(input)?)?;
    if at <= now {
        return Err(crate::Invalid::Date);
    }
    Ok(Some(at))
}

/// The day an expiry instant belongs to, as `dd/mm/aaaa` (inverse of `end_of_day`).
pub fn expiry_day(at: DateTime<Utc>) -> String {
    short_date(at - chrono::TimeDelta::seconds(1))
}

#[cfg(test)]
mod date_tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates() {
        let d = parse_date("31/12/2026").unwrap();
        assert_eq!(parse_date("2026-12-31").unwrap(), d);
        assert_eq!(parse_date("31-12-2026").unwrap(), d);
        assert!(parse_date("31/02/2026").is_err());
        assert!(parse_date("mañana").is_err());
        let end = end_of_day(d).unwrap();
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 12, 31, 23, 0, 0).unwrap());
        assert_eq!(expiry_day(end), "31/12/2026");
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap();
        assert!(parse_future_day("01/01/2020", now).is_err());
        assert_eq!(parse_future_day(" ", now).unwrap(), None);
        assert!(parse_future_day("01/01/2027", now).unwrap().is_some());
    }
}

/// A file size for people: `850 B`, `12,4 KB`, `1,5 GB` (binary units, one decimal).
pub fn file_size(lang: Lang, bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let text = format!("{value:.1}");
    let text = match lang {
        Lang::Es => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text} {}", UNITS[unit])
}

/// Today's date in the display time zone.
pub fn today(now: DateTime<Utc>) -> chrono::NaiveDate {
    now.with_timezone(&DISPLAY_TZ).date_naive()
}

/// A calendar date as `dd/mm/aaaa`.
pub fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(file_size(Lang::Es, 850), "850 B");
        assert_eq!(file_size(Lang::Es, 1536), "1,5 KB");
        assert_eq!(file_size(Lang::En, 3 * 1024 * 1024 * 1024 / 2), "1.5 GB");
    }
}
