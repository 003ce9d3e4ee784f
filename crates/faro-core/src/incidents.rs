//! Incident rules: priorities, states and their transitions, escalation levels, numbers like
//! `INC-2026-0001`, and the limits of what people type.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Self::High, Self::Medium, Self::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or(Invalid::Priority)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentState {
    New,
    InProgress,
    /// Waiting for the client: the SLA clock is paused.
    WaitingClient,
    Resolved,
    Closed,
}

impl IncidentState {
    pub const ALL: [IncidentState; 5] = [
        Self::New,
        Self::InProgress,
        Self::WaitingClient,
        Self::Resolved,
        Self::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in_progress",
            Self::WaitingClient => "waiting_client",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or(Invalid::IncidentState)
    }

    /// Still being worked on (the SLA matters).
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }

    /// States staff may move an incident to from this one. Closing needs the client's
    /// confirmation and has its own action; reopening a closed incident too.
    pub fn staff_targets(self) -> &'static [IncidentState] {
        use IncidentState::*;
        match self {
            New => &[InProgress, WaitingClient, Resolved],
            InProgress => &[WaitingClient, Resolved],
            WaitingClient => &[InProgress, Resolved],
            Resolved => &[InProgress],
            Closed => &[],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Escalation {
    FirstLine,
    Remote,
    OnSite,
}

impl Escalation {
    pub const ALL: [Escalation; 3] = [Self::FirstLine, Self::Remote, Self::OnSite];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstLine => "first_line",
            Self::Remote => "remote",
            Self::OnSite => "on_site",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or(Invalid::Escalation)
    }
}

/// `INC-2026-0001`: the year it was opened and its order within that year.
pub fn format_number(year: i32, seq: i64) -> String {
    format!("INC-{year}-{seq:04}")
}

/// Reads a number from a URL (`INC-2026-0001`, any case); anything else is not one.
pub fn parse_number(s: &str) -> Option<(i32, i64)> {
    let rest = s.trim().to_ascii_uppercase();
    let rest = rest.strip_prefix("INC-")?;
    let (year, seq) = rest.split_once('-')?;
    if year.len() != 4 || seq.len() < 4 || seq.len() > 9 {
        return None;
    }
    if !year.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((year.parse().ok()?, seq.parse().ok()?))
}

/// The affected system: optional, at most 120 characters on one line.
pub fn parse_system(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.chars().count() > 120 || s.chars().any(char::is_control) {
        return Err(Invalid::System);
    }
    Ok(s.to_string())
}

/// A description or a comment: 1..=20,000 characters of Markdown.
pub fn parse_message(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.is_empty() || s.chars().count() > 20_000 || s.contains('\0') {
        return Err(Invalid::Message);
    }
    Ok(s.replace("\r\n", "\n"))
}

/// What the first bytes of an attachment say it is: an image or a video a browser can show
/// (served inline), or `application/octet-stream` (always a download).
pub fn attachment_type(head: &[u8]) -> &'static str {
    if let Some(image) = crate::kb::sniff_image(head) {
        return image;
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return if &head[8..12] == b"qt  " {
            "video/quicktime"
        } else {
            "video/mp4"
        };
    }
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return "video/webm";
    }
    "application/octet-stream"
}

/// An incident as lists and pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: Uuid,
    pub number: String,
    pub membership_id: Uuid,
    pub membership_name: String,
    pub title: String,
    pub description: String,
    pub system: String,
    pub priority: Priority,
    pub state: IncidentState,
    pub escalation: Escalation,
    pub opened_by: Option<Uuid>,
    pub opened_by_name: String,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub first_response_due: DateTime<Utc>,
    pub resolution_due: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// How an incident stands against its service level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaMark {
    Ok,
    /// Due within the hour.
    DueSoon,
    Breached,
    /// The clock is not running: waiting for the client, resolved or closed.
    Stopped,
}

impl Incident {
    /// The next due time (the first response while there is none, then the resolution)
    /// against `now`.
    pub fn sla_mark(&self, now: DateTime<Utc>) -> SlaMark {
        if !self.state.is_open() || self.state == IncidentState::WaitingClient {
            return SlaMark::Stopped;
        }
        let due = if self.first_response_at.is_none() {
            self.first_response_due.min(self.resolution_due)
        } else {
            self.resolution_due
        };
        if due <= now {
            SlaMark::Breached
        } else if due - now <= chrono::TimeDelta::hours(1) {
            SlaMark::DueSoon
        } else {
            SlaMark::Ok
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        assert_eq!(format_number(2026, 1), "INC-2026-0001");
        assert_eq!(format_number(2026, 12345), "INC-2026-12345");
        assert_eq!(parse_number("inc-2026-0001"), Some((2026, 1)));
        assert_eq!(parse_number("INC-2026-12345"), Some((2026, 12345)));
        for bad in [
            "",
            "INC-26-0001",
            "INC-2026-1",
            "INC-2026-00a1",
            "2026-0001",
            "INC-2026-0001-2",
        ] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn staff_never_close_directly() {
        for s in IncidentState::ALL {
            assert!(!s.staff_targets().contains(&IncidentState::Closed));
            assert!(!s.staff_targets().contains(&s));
        }
    }

    #[test]
    fn parsing() {
        assert_eq!(Priority::parse("high"), Ok(Priority::High));
        assert!(Priority::parse("urgentísima").is_err());
        assert!(parse_message("  ").is_err());
        assert!(parse_message("La impresora no imprime").is_ok());
        assert!(parse_system("ERP\nx").is_err());
    }
}
