//! What both test files build their documents from.

use chrono::{DateTime, Duration, Utc};
use faro_search::Document;
use uuid::Uuid;

pub fn at(days: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_750_000_000, 0).unwrap_or_default() + Duration::days(days)
}

/// A published global tutorial `art-<n>`, updated `n` days after a fixed day.
pub fn doc(n: u128, title: &str, body: &str) -> Document {
    Document {
        id: Uuid::from_u128(n),
        slug: format!("art-{n}"),
        title: title.into(),
        summary: String::new(),
        body: body.into(),
        tags: Vec::new(),
        kind: "tutorial".into(),
        categories: Vec::new(),
        membership: None,
        also_memberships: Vec::new(),
        published: true,
        updated_at: at(n as i64),
    }
}
