//! Downloads and resources: what staff publish for clients to fetch (documents, templates,
//! software with versions) and the catalogue of free tools. The rules for their fields live here.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::error::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DownloadKind {
    Document,
    Template,
    Software,
}

impl DownloadKind {
    pub const ALL: [DownloadKind; 3] = [Self::Document, Self::Template, Self::Software];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Document => "document",
            Self::Template => "template",
            Self::Software => "software",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(Invalid::DownloadKind)
    }
}

/// A version label as staff type it: `1.9`, `1.10`, `2024.3`, `2.0-rc1`, `v3`.
/// Ordered the way people read versions, not as text: 1.10 comes after 1.9, and a label that
/// continues with letters (`2.0-beta`) comes before the plain one (`2.0`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionLabel(String);

#[derive(Debug, PartialEq, Eq)]
enum Part<'a> {
    Number(u64),
    Word(&'a str),
}

impl VersionLabel {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        let ok = (1..=64).contains(&s.chars().count())
            && s.chars().any(|c| c.is_ascii_alphanumeric())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | ' '));
        if !ok {
            return Err(Invalid::VersionLabel);
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn parts(&self) -> Vec<Part<'_>> {
        let s = self
            .0
            .strip_prefix(['v', 'V'])
            .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(&self.0);
        let mut out = Vec::new();
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            if bytes[i].is_ascii_digit() {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let digits = s[start..i].trim_start_matches('0');
                out.push(Part::Number(
                    digits
                        .parse()
                        .unwrap_or(if digits.is_empty() { 0 } else { u64::MAX }),
                ));
            } else if bytes[i].is_ascii_alphabetic() {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                out.push(Part::Word(&s[start..i]));
            } else {
                i += 1;
            }
        }
        out
    }
}

impl Ord for VersionLabel {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (self.parts(), other.parts());
        for i in 0..a.len().max(b.len()) {
            let ord = match (a.get(i), b.get(i)) {
                (Some(Part::Number(x)), Some(Part::Number(y))) => x.cmp(y),
                (Some(Part::Word(x)), Some(Part::Word(y))) => {
                    x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())
                }
                (Some(Part::Number(_)), Some(Part::Word(_))) => Ordering::Greater,
                (Some(Part::Word(_)), Some(Part::Number(_))) => Ordering::Less,
                // 2.0.1 > 2.0, but 2.0-beta < 2.0.
                (Some(Part::Number(_)), None) => Ordering::Greater,
                (Some(Part::Word(_)), None) => Ordering::Less,
                (None, Some(Part::Number(_))) => Ordering::Less,
                (None, Some(Part::Word(_))) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for VersionLabel {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A category name for downloads and resources: free text, 1..=80 characters, optional.
pub fn parse_category(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.chars().count() > 80 || s.chars().any(char::is_control) {
        return Err(Invalid::CategoryName);
    }
    Ok(s.to_string())
}

/// Release notes or a description in Markdown: at most 50,000 characters.
pub fn parse_notes(input: &str) -> Result<String, Invalid> {
    if input.chars().count() > 50_000 || input.contains('\0') {
        return Err(Invalid::Notes);
    }
    Ok(input.trim().replace("\r\n", "\n"))
}

/// Why a version was withdrawn: 3..=500 characters, shown to everyone who follows its link.
pub fn parse_reason(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    let n = s.chars().count();
    if !(3..=500).contains(&n) || s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Invalid::Reason);
    }
    Ok(s.to_string())
}

/// The official address of a resource: http or https, nothing that could run in the page.
pub fn parse_web_address(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(Invalid::WebAddress)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty()
        || !host.contains('.') && !host.starts_with("localhost")
        || s.len() > 2000
        || s.chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
    {
        return Err(Invalid::WebAddress);
    }
    Ok(s.to_string())
}

/// A file name as the browser sent it, reduced to something safe for a header and a disk:
/// no path, no quotes or control characters, at most 150 characters.
pub fn clean_file_name(raw: &str, fallback: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\' | '/'))
        .take(150)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        fallback.to_string()
    } else {
        cleaned
    }
}

/// A stored file's facts, as shown and checked by readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: Uuid,
    pub key: String,
    pub file_name: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionState {
    /// The newest version that is not withdrawn: what `/latest` serves.
    Current,
    Superseded,
    Withdrawn,
}

impl VersionState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Superseded => "superseded",
            Self::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub id: Uuid,
    pub item_id: Uuid,
    pub label: VersionLabel,
    pub notes: String,
    pub file: StoredFile,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    pub withdrawn: Option<Withdrawal>,
    pub state: VersionState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Sorts versions newest first and marks which is current: the highest label not withdrawn.
pub fn order_versions(versions: &mut [Version]) {
    versions.sort_by(|a, b| {
        b.label
            .cmp(&a.label)
            .then(b.published_at.cmp(&a.published_at))
    });
    let mut current_seen = false;
    for v in versions.iter_mut() {
        v.state = if v.withdrawn.is_some() {
            VersionState::Withdrawn
        } else if current_seen {
            VersionState::Superseded
        } else {
            current_seen = true;
            VersionState::Current
        };
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadItem {
    pub id: Uuid,
    pub slug: String,
    pub kind: DownloadKind,
    pub title: String,
    pub description: String,
    pub category: String,
    /// Published to every client; otherwise only to `memberships`.
    pub all_clients: bool,
    /// Ids and names of the memberships it is published to (empty when `all_clients`).
    pub memberships: Vec<(Uuid, String)>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The current version's label and publication time, if any version is current.
    pub current: Option<(String, DateTime<Utc>)>,
}

/// A tool in the resources catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub url: String,
    /// A copy hosted by the portal, with the version it is.
    pub file: Option<StoredFile>,
    pub file_version: String,
    /// The day staff last checked that it is still useful and safe.
    pub verified_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> VersionLabel {
        VersionLabel::parse(s).unwrap()
    }

    #[test]
    fn versions_sort_as_people_read_them() {
        let mut labels: Vec<VersionLabel> = [
            "1.10", "1.9", "1.9.1", "2.0", "2.0-beta", "2.0-rc1", "2024.3", "2023.12", "v3", "0.9",
        ]
        .iter()
        .map(|s| v(s))
        .collect();
        labels.sort();
        let sorted: Vec<&str> = labels.iter().map(|l| l.as_str()).collect();
        assert_eq!(
            sorted,
            [
                "0.9", "1.9", "1.9.1", "1.10", "2.0-beta", "2.0-rc1", "2.0", "v3", "2023.12",
                "2024.3"
            ]
        );
        assert!(v("1.0") < v("1.0.0"));
        assert!(v("10") > v("9"));
        assert!(v("1.01") == v("1.01") && v("1.1") != v("1.01"));
    }

    #[test]
    fn labels_refuse_junk() {
        for bad in ["", " ", "...", "1/2", "<script>", "1.0\n2", &"9".repeat(65)] {
            assert!(VersionLabel::parse(bad).is_err(), "{bad:?}");
        }
        assert!(VersionLabel::parse(&"9".repeat(40)).is_ok());
    }

    #[test]
    fn current_is_the_highest_not_withdrawn() {
        let file = StoredFile {
            id: Uuid::nil(),
            key: String::new(),
            file_name: String::new(),
            size: 0,
            sha256: String::new(),
        };
        let mk = |label: &str, withdrawn: bool| Version {
            id: Uuid::now_v7(),
            item_id: Uuid::nil(),
            label: v(label),
            notes: String::new(),
            file: file.clone(),
            published_by: String::new(),
            published_at: Utc::now(),
            withdrawn: withdrawn.then(|| Withdrawal {
                reason: "bug".into(),
                at: Utc::now(),
            }),
            state: VersionState::Superseded,
        };
        let mut vs = vec![mk("1.9", false), mk("1.10", true), mk("1.2", false)];
        order_versions(&mut vs);
        let got: Vec<(&str, VersionState)> =
            vs.iter().map(|v| (v.label.as_str(), v.state)).collect();
        assert_eq!(
            got,
            [
                ("1.10", VersionState::Withdrawn),
                ("1.9", VersionState::Current),
                ("1.2", VersionState::Superseded)
            ]
        );
    }

    #[test]
    fn web_addresses_are_http_only() {
        assert!(parse_web_address("https://www.7-zip.org/").is_ok());
        assert!(parse_web_address("http://example.com/a?b=c").is_ok());
        for bad in [
            "javascript:alert(1)",
            "https://",
            "ftp://x.org",
            "https://exa mple.com",
            "https://\"onmouseover=x.com",
            "example.com",
        ] {
            assert!(parse_web_address(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_names_lose_paths_and_quotes() {
        assert_eq!(clean_file_name("C:\\Users\\x\\setup.exe", "f"), "setup.exe");
        assert_eq!(clean_file_name("../../etc/passwd", "f"), "passwd");
        assert_eq!(clean_file_name("a\"b;c.txt", "f"), "abc.txt");
        assert_eq!(clean_file_name("", "archivo"), "archivo");
        assert_eq!(clean_file_name(".htaccess", "f"), "htaccess");
    }
}
