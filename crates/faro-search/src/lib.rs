//! Faro's knowledge-base search: a tantivy index with Spanish analysis, typo tolerance and membership scoping.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod analyzer;
mod engine;
mod error;
mod exclusion;
mod highlight;
mod index;
mod meili;
mod pairs;
mod query;
mod schema;
mod search;
mod spanish;
mod syntax;
pub mod synth;

use serde::{Deserialize, Serialize};

pub use engine::{Answer, Cursor, SearchEngine};
pub use error::SearchError;
pub use index::SearchIndex;
pub use meili::{LAYOUT_VERSION, MeiliConfig, MeiliEngine};
pub use schema::SCHEMA_VERSION;

/// The `kind` of download items in the index.
pub const KIND_DOWNLOAD: &str = "download";
/// The `kind` of catalogue resources in the index.
pub const KIND_RESOURCE: &str = "resource";
/// The `kind` of incidents in the index.
pub const KIND_INCIDENT: &str = "incident";

/// Upper bound on `SearchRequest::limit`; a page never needs more and it bounds memory.
pub const MAX_LIMIT: usize = 200;
/// Upper bound on `SearchRequest::offset`: deep paging costs offset + limit in memory.
pub const MAX_OFFSET: usize = 10_000;

/// An article as the index sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: uuid::Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Plain text: the caller strips markdown.
    pub body: String,
    pub tags: Vec<String>,
    /// "tutorial" | "procedure" | "faq" | "maintenance" for articles, [`KIND_DOWNLOAD`] or
    /// [`KIND_RESOURCE`]; matched exactly.
    pub kind: String,
    /// Slugs of the article's category and all its ancestors, so filtering by a parent
    /// category also finds articles in its sub-categories. Empty when uncategorised.
    pub categories: Vec<String>,
    /// `None`: a global article every client sees.
    pub membership: Option<uuid::Uuid>,
    /// Further memberships that see it (a download published to several clients).
    #[serde(default)]
    pub also_memberships: Vec<uuid::Uuid>,
    pub published: bool,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Who is searching. This is a hard filter on every query, never a ranking hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Staff: every membership; drafts only when a request asks for them.
    All,
    /// A client: published articles of this membership plus global ones.
    Membership(uuid::Uuid),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// Words, "quoted phrases", `-excluded` words and `-"phrases"`. Empty: browse newest first.
    pub text: String,
    pub scope: Scope,
    /// Any of these kinds; empty for all.
    pub kinds: Vec<String>,
    /// A category slug; matches its sub-categories too.
    pub category: Option<String>,
    /// Honoured only for [`Scope::All`].
    pub include_unpublished: bool,
    /// Clamped to [`MAX_LIMIT`]; 0 only counts.
    pub limit: usize,
    /// Clamped to [`MAX_OFFSET`].
    pub offset: usize,
    /// Documents never to return (e.g. the incident whose look-alikes are sought).
    #[serde(default)]
    pub exclude: Vec<uuid::Uuid>,
}

impl SearchRequest {
    /// A first page of 20 results, no filters.
    pub fn new(text: impl Into<String>, scope: Scope) -> Self {
        Self {
            text: text.into(),
            scope,
            kinds: Vec::new(),
            category: None,
            include_unpublished: false,
            limit: 20,
            offset: 0,
            exclude: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Matching documents in scope, before paging.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// The text could not be read as query syntax and was searched as plain words.
    pub fell_back: bool,
    /// No article had every word, so these match only some of them.
    pub relaxed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: uuid::Uuid,
    pub slug: String,
    pub title: String,
    /// HTML-escaped title with matches in `<b>`.
    pub title_html: String,
    /// HTML-escaped passage of the body (or summary) with matches in `<b>`.
    pub snippet_html: String,
    pub kind: String,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub slug: String,
    pub title: String,
    pub kind: String,
}
