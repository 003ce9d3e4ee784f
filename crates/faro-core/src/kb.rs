//! Knowledge-base rules: article kinds and states, slugs, tags and the limits of what staff type.

use crate::error::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ArticleKind {
    Tutorial,
    /// A troubleshooting procedure ("procedimiento").
    Procedure,
    Faq,
    Maintenance,
}

impl ArticleKind {
    pub const ALL: [ArticleKind; 4] = [
        Self::Tutorial,
        Self::Procedure,
        Self::Faq,
        Self::Maintenance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tutorial => "tutorial",
            Self::Procedure => "procedure",
            Self::Faq => "faq",
            Self::Maintenance => "maintenance",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(Invalid::ArticleKind)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ArticleState {
    Draft,
    Published,
    Archived,
}

impl ArticleState {
    pub const ALL: [ArticleState; 3] = [Self::Draft, Self::Published, Self::Archived];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(Invalid::ArticleState)
    }
}

/// Folds Spanish (and other Latin) accents to ASCII for slugs and comparisons.
pub fn fold(c: char) -> Option<char> {
    let folded = match c {
        'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
        _ => return None,
    };
    Some(folded)
}

/// A URL name: lower-case ASCII letters, digits and single hyphens, 1..=120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    /// Makes a slug from a title: "Configuración de la impresora" -> "configuracion-de-la-impresora".
    pub fn from_title(title: &str) -> Result<Self, Invalid> {
        let mut s = String::with_capacity(title.len());
        for c in title.chars() {
            match fold(c) {
                Some(f) => s.push(f),
                None if !s.ends_with('-') && !s.is_empty() => s.push('-'),
                None => {}
            }
        }
        let s: String = s.trim_end_matches('-').chars().take(100).collect();
        Self::parse(s.trim_end_matches('-'))
    }

    /// Accepts only slugs as `from_title` makes them, so junk in a URL is simply not found.
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let ok = !s.is_empty()
            && s.len() <= 120
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(Invalid::Slug)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `base-2`, `base-3`, …: for a title whose slug is taken.
    pub fn numbered(&self, n: u32) -> Self {
        Self(format!(
            "{}-{n}",
            self.0
                .chars()
                .take(110)
                .collect::<String>()
                .trim_end_matches('-')
        ))
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub const MAX_TAGS: usize = 12;

/// Tags as staff type them, comma-separated: trimmed, lower-case, no duplicates, at most 12 of
/// at most 40 characters.
pub fn parse_tags(input: &str) -> Result<Vec<String>, Invalid> {
    let mut tags: Vec<String> = Vec::new();
    for raw in input.split(',') {
        let t = raw
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 40 || t.chars().any(char::is_control) {
            return Err(Invalid::Tags);
        }
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(Invalid::Tags);
    }
    Ok(tags)
}

/// An article title: 3..=200 characters, no control characters.
pub fn parse_title(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    let n = s.chars().count();
    if !(3..=200).contains(&n) || s.chars().any(char::is_control) {
        return Err(Invalid::Title);
    }
    Ok(s.to_string())
}

/// A summary: at most 500 characters (may be empty).
pub fn parse_summary(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.chars().count() > 500 || s.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(Invalid::Summary);
    }
    Ok(s.to_string())
}

pub const MAX_BODY: usize = 200_000;

/// An article body in Markdown: at most 200,000 characters, no NUL.
pub fn parse_body(input: &str) -> Result<String, Invalid> {
    if input.chars().count() > MAX_BODY || input.contains('\0') {
        return Err(Invalid::Body);
    }
    Ok(input.replace("\r\n", "\n"))
}

/// A comment: 1..=5,000 characters of Markdown.
pub fn parse_comment(input: &str) -> Result<String, Invalid> {
    let s = input.trim();
    if s.is_empty() || s.chars().count() > 5000 || s.contains('\0') {
        return Err(Invalid::Comment);
    }
    Ok(s.replace("\r\n", "\n"))
}

/// A category of the knowledge base (a tree: `parent_id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: uuid::Uuid,
    pub parent_id: Option<uuid::Uuid>,
    pub slug: String,
    pub name: String,
}

/// An article as readers and editors see it.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: uuid::Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: ArticleKind,
    pub state: ArticleState,
    pub category: Option<Category>,
    /// `None`: global, for every client.
    pub membership_id: Option<uuid::Uuid>,
    pub membership_name: Option<String>,
    pub tags: Vec<String>,
    pub views: u64,
    pub revision: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// What changed in the latest revision, in the editor's words (may be empty).
    pub last_change_note: String,
}

/// What an editor submits: a new article or a new revision of one.
#[derive(Debug, Clone)]
pub struct ArticleDraft {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: ArticleKind,
    pub state: ArticleState,
    pub category_id: Option<uuid::Uuid>,
    pub membership_id: Option<uuid::Uuid>,
    pub tags: Vec<String>,
    /// What changed, in the editor's words (may be empty).
    pub note: String,
}

/// One saved version of an article.
#[derive(Debug, Clone)]
pub struct Revision {
    pub number: i32,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: ArticleKind,
    pub state: ArticleState,
    pub tags: Vec<String>,
    pub author_name: String,
    pub note: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub id: uuid::Uuid,
    pub author_id: Option<uuid::Uuid>,
    pub author_name: String,
    /// Markdown as typed.
    pub body: String,
    pub hidden: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What readers said about an article.
#[derive(Debug, Clone, Default)]
pub struct FeedbackSummary {
    pub helpful: u64,
    pub not_helpful: u64,
    /// (helpful?, remark, when), newest first; only non-empty remarks.
    pub remarks: Vec<(bool, String, chrono::DateTime<chrono::Utc>)>,
}

/// An article in the "least helpful" list.
#[derive(Debug, Clone)]
pub struct FeedbackRow {
    pub slug: String,
    pub title: String,
    pub helpful: u64,
    pub not_helpful: u64,
}

/// An image stored with an article.
#[derive(Debug, Clone)]
pub struct Image {
    pub id: uuid::Uuid,
    pub content_type: String,
    pub sha256: String,
    pub stored: ImageBytes,
}

/// Where an image's bytes are.
#[derive(Debug, Clone)]
pub enum ImageBytes {
    InFileStore(crate::downloads::StoredFile),
    /// Uploaded before images moved to the file store, and not moved yet.
    InDatabase(Vec<u8>),
}

/// Image types accepted for articles, recognised by their first bytes (never by the name the
/// browser sends).
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            Slug::from_title("Configuración de la Impresora")
                .unwrap()
                .as_str(),
            "configuracion-de-la-impresora"
        );
        assert_eq!(
            Slug::from_title("¿Qué hago si la VPN no conecta?")
                .unwrap()
                .as_str(),
            "que-hago-si-la-vpn-no-conecta"
        );
        assert_eq!(
            Slug::from_title("  Año 2026: niño  ").unwrap().as_str(),
            "ano-2026-nino"
        );
        assert!(Slug::from_title("¿¿??").is_err());
        assert!(Slug::parse("Mayúsculas").is_err());
        assert!(Slug::parse("../etc").is_err());
        assert_eq!(Slug::parse("vpn").unwrap().numbered(2).as_str(), "vpn-2");
    }

    #[test]
    fn tags() {
        assert_eq!(
            parse_tags(" VPN, Red ,vpn,, impresoras ").unwrap(),
            vec!["vpn", "red", "impresoras"]
        );
        assert!(parse_tags(&"x,".repeat(20)).is_ok()); // duplicates collapse
        assert!(
            parse_tags(
                &(0..13)
                    .map(|i| format!("t{i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )
            .is_err()
        );
        assert!(parse_tags(&"a".repeat(41)).is_err());
    }

    #[test]
    fn images_by_content() {
        assert_eq!(
            sniff_image(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some("image/png")
        );
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff_image(b"<html>"), None);
    }

    #[test]
    fn kinds_and_limits() {
        assert_eq!(ArticleKind::parse("faq").unwrap(), ArticleKind::Faq);
        assert!(ArticleKind::parse("blog").is_err());
        assert_eq!(
            ArticleState::parse("archived").unwrap(),
            ArticleState::Archived
        );
        assert!(parse_title("ab").is_err());
        assert!(parse_body(&"x".repeat(MAX_BODY + 1)).is_err());
        assert!(parse_comment("   ").is_err());
    }
}
