//! The knowledge base as staff write it: article bodies, revisions and their differences,
//! categories, the Markdown preview and uploaded images.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kb::{ArticleKind, ArticleState};

/// A new article, or the whole of an article's next revision (`PUT` replaces every field; an
/// absent optional field is empty). The slug comes from the first title and never changes.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Configurar la VPN en Windows 11",
    "summary": "Conexión al servidor de la oficina desde casa.",
    "body": "## Pasos\n\n1. Abre **Configuración** > Red.\n2. …",
    "kind": "tutorial",
    "category_id": null,
    "membership_id": null,
    "tags": ["vpn", "teletrabajo"],
    "state": "draft",
    "note": "Primera versión"
}))]
pub struct ArticleInput {
    /// 3 to 200 characters.
    pub title: String,
    /// At most 500 characters.
    #[serde(default)]
    pub summary: String,
    /// Markdown, at most 200,000 characters. Images uploaded to the article are referenced as
    /// `![text](/api/v1/kb/images/{id})`.
    #[serde(default)]
    pub body: String,
    pub kind: ArticleKind,
    pub category_id: Option<Uuid>,
    /// The client it is written for; null for every client.
    pub membership_id: Option<Uuid>,
    /// At most 12, of at most 40 characters; trimmed, lower-cased, duplicates dropped.
    #[serde(default)]
    pub tags: Vec<String>,
    /// `draft` when creating, unchanged when editing, if absent.
    pub state: Option<ArticleState>,
    /// What changed, for the history (at most 300 characters).
    #[serde(default)]
    pub note: String,
}

/// The change note of a publication, an archiving or a restore.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeNote {
    #[serde(default)]
    pub note: String,
}

/// A saved revision in the history (without its body).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "number": 3,
    "title": "Configurar la VPN en Windows 11",
    "state": "published",
    "author_name": "Lucía Pérez",
    "note": "Añadida la captura del paso 2",
    "created_at": "2026-11-30T10:00:00Z"
}))]
pub struct RevisionSummary {
    pub number: i32,
    pub title: String,
    pub state: ArticleState,
    pub author_name: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// A revision, whole.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Revision {
    #[serde(flatten)]
    pub revision: RevisionSummary,
    pub summary: String,
    pub body: String,
    pub kind: ArticleKind,
    pub tags: Vec<String>,
}

/// Which two revisions to compare.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// The older revision (default: the one before `to`).
    pub from: Option<i32>,
    /// The newer revision (default: the current one).
    pub to: Option<i32>,
}

/// How a line of the body changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineChange {
    Same,
    Added,
    Removed,
}

/// One line of the body's difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// A field other than the body that changed, with its two values as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldChange {
    /// `title`, `summary`, `kind`, `state` or `tags`.
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The difference between two revisions.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ArticleDiff {
    pub from: RevisionSummary,
    pub to: RevisionSummary,
    pub fields: Vec<FieldChange>,
    /// The body, line by line; `same` lines give context.
    pub lines: Vec<DiffLine>,
    /// True when the two revisions are identical.
    pub same: bool,
}

/// A new category.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Impresoras", "parent_id": null}))]
pub struct NewCategory {
    /// 2 to 80 characters; its slug comes from it.
    pub name: String,
    /// The category it goes in; null for a top-level one.
    pub parent_id: Option<Uuid>,
}

/// Markdown to render.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"markdown": "## Pasos\n\n1. Abre **Configuración**."}))]
pub struct MarkdownInput {
    pub markdown: String,
}

/// Markdown rendered by the server's sanitiser, exactly as readers will see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"html": "<h2 id=\"md-pasos\">Pasos</h2>\n<ol>\n<li>Abre <strong>Configuración</strong>.</li>\n</ol>\n"}))]
pub struct RenderedMarkdown {
    pub html: String,
}

/// An image stored with an article.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000f1",
    "content_type": "image/png",
    "size": 48213,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "markdown": "![paso-2.png](/api/v1/kb/images/019a0000-0000-7000-8000-0000000000f1)",
    "url": "/api/v1/files/eyJhbGciOi…"
}))]
pub struct UploadedImage {
    pub id: Uuid,
    /// Recognised from the bytes (PNG, JPEG, GIF or WebP), never from the file name.
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// What to paste into the body.
    pub markdown: String,
    /// A signed address of the image for the uploader, valid for some minutes.
    pub url: String,
}
