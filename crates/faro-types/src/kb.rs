//! The knowledge base: categories and articles as readers see them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::accounts::MembershipRef;

/// What an article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleKind {
    Tutorial,
    /// A troubleshooting procedure.
    Procedure,
    Faq,
    Maintenance,
}

/// Where an article is in its life. Clients only ever see `published` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleState {
    Draft,
    Published,
    Archived,
}

/// How a list of articles is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArticleOrder {
    /// Most recently changed first (the default).
    #[default]
    Newest,
    /// Most read first.
    MostRead,
    /// By title, A to Z.
    Title,
}

/// A category of the tree (`parent_id` null at the top).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"id": "019a0000-0000-7000-8000-0000000000c1", "parent_id": null, "slug": "correo", "name": "Correo electrónico"}))]
pub struct Category {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    pub name: String,
}

/// An article in a list: everything but its body.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000a1",
    "slug": "configurar-el-correo-en-el-movil",
    "title": "Configurar el correo en el móvil",
    "summary": "Cuenta IMAP en Android e iOS, paso a paso.",
    "kind": "tutorial",
    "state": "published",
    "category": {"id": "019a0000-0000-7000-8000-0000000000c1", "parent_id": null, "slug": "correo", "name": "Correo electrónico"},
    "membership": null,
    "tags": ["correo", "móvil"],
    "views": 128,
    "revision": 3,
    "updated_at": "2026-11-30T10:00:00Z",
    "published_at": "2026-11-02T09:30:00Z"
}))]
pub struct ArticleSummary {
    pub id: Uuid,
    /// Stable address of the article: `GET /api/v1/kb/articles/{slug}`.
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub kind: ArticleKind,
    pub state: ArticleState,
    pub category: Option<Category>,
    /// The client it was written for; null for every client.
    pub membership: Option<MembershipRef>,
    pub tags: Vec<String>,
    pub views: u64,
    /// Its revision number; each edit adds one.
    pub revision: i32,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

/// An article, whole.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Article {
    #[serde(flatten)]
    pub summary: ArticleSummary,
    /// The body as written, in Markdown.
    pub body: String,
    /// The body as HTML, through the server's sanitiser (the only one: show this, never your
    /// own rendering of `body`).
    pub body_html: String,
    /// What changed in the latest revision, in the editor's words (may be empty).
    pub last_change_note: String,
    pub created_at: DateTime<Utc>,
    /// The article as a PDF, through a signed address that needs no `Authorization` header
    /// (for a link or the browser's PDF viewer); valid for at least ten minutes.
    pub pdf_url: String,
}

/// Query parameters of the article list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ArticleQuery {
    /// Only articles of this kind.
    pub kind: Option<ArticleKind>,
    /// Only articles in the category with this slug, or in its sub-categories.
    pub category: Option<String>,
    /// Staff only: only articles in this state (clients see published ones).
    pub state: Option<ArticleState>,
    /// The order (default `newest`). A cursor continues only in the order it came from.
    pub order: Option<ArticleOrder>,
    /// How many items to return, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
