//! iCalendar (RFC 5545) invitations for on-site visits: one VEVENT, times in UTC, text escaped
//! and lines folded at 75 octets, CRLF line ends, so any calendar application accepts it.

use chrono::{DateTime, Utc};

/// What an invitation says.
pub struct Invitation<'a> {
    /// Stable across updates of the same visit.
    pub uid: &'a str,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    /// The organiser's e-mail address, if any.
    pub organizer: Option<&'a str>,
    pub stamp: DateTime<Utc>,
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line to 75 octets, never splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The `.ics` text of an invitation (`METHOD:PUBLISH`: an event to add to the calendar).
pub fn invitation(i: &Invitation<'_>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Faro//Soporte//ES".into(),
        "METHOD:PUBLISH".into(),
        "CALSCALE:GREGORIAN".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", escape(i.uid)),
        format!("DTSTAMP:{}", stamp(i.stamp)),
        format!("DTSTART:{}", stamp(i.start)),
        format!("DTEND:{}", stamp(i.end)),
        format!("SUMMARY:{}", escape(i.summary)),
        format!("LOCATION:{}", escape(i.location)),
        format!("DESCRIPTION:{}", escape(i.description)),
        "STATUS:CONFIRMED".into(),
        "SEQUENCE:0".into(),
    ];
    if let Some(o) = i.organizer {
        lines.push(format!("ORGANIZER:mailto:{}", escape(o)));
    }
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_valid_folded_escaped_event() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 8, 30, 0).unwrap();
        let text = invitation(&Invitation {
            uid: "visit-1@faro",
            start,
            end: start + chrono::TimeDelta::hours(2),
            summary: "Visita: INC-2026-0001, impresora; almacén",
            location: "Calle Mayor 1, Getafe\nNave 3",
            description: &"Revisión del equipo. ".repeat(10),
            organizer: Some("soporte@faro.example"),
            stamp: start,
        });
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261201T083000Z\r\n"));
        assert!(text.contains("DTEND:20261201T103000Z\r\n"));
        assert!(text.contains("SUMMARY:Visita: INC-2026-0001\\, impresora\\; almacén"));
        assert!(text.contains("LOCATION:Calle Mayor 1\\, Getafe\\nNave 3"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
        }
        // Unfolding gives back the description.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!(
            "DESCRIPTION:{}",
            "Revisión del equipo. ".repeat(10)
        )));
    }
}
