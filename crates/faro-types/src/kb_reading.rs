//! What readers do with an article: comment on it, say whether it helped, e-mail it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A comment under an article.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000d1",
    "author_name": "Marta Gil",
    "body": "En el paso 3 a mí me pedía **reiniciar**.",
    "body_html": "<p>En el paso 3 a mí me pedía <strong>reiniciar</strong>.</p>\n",
    "hidden": false,
    "mine": true,
    "created_at": "2026-11-30T10:00:00Z"
}))]
pub struct Comment {
    pub id: Uuid,
    pub author_name: String,
    /// Markdown as typed.
    pub body: String,
    /// Through the server's sanitiser: show this.
    pub body_html: String,
    /// Hidden by staff: only staff see hidden comments.
    pub hidden: bool,
    /// Written by the caller.
    pub mine: bool,
    pub created_at: DateTime<Utc>,
}

/// A new comment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "En el paso 3 a mí me pedía **reiniciar**."}))]
pub struct NewComment {
    /// Markdown, 1 to 5,000 characters.
    pub body: String,
}

/// Staff hide a comment from clients, or show it again.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentVisibility {
    pub hidden: bool,
}

/// "¿Te ha resultado útil?": one answer per person and article; a new one replaces the old.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"helpful": false, "remark": "Falta el caso de Windows 10."}))]
pub struct FeedbackInput {
    pub helpful: bool,
    /// Optional, at most 1,000 characters; staff read it.
    #[serde(default)]
    pub remark: String,
}

/// The caller's own answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MyFeedback {
    /// Null until they answer.
    pub helpful: Option<bool>,
}

/// A remark left with an answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedbackRemark {
    pub helpful: bool,
    pub remark: String,
    pub created_at: DateTime<Utc>,
}

/// What readers said about one article (staff).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FeedbackSummary {
    pub helpful: u64,
    pub not_helpful: u64,
    /// Newest first.
    pub remarks: Vec<FeedbackRemark>,
}

/// An article in the least-helpful report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"slug": "configurar-la-vpn", "title": "Configurar la VPN", "helpful": 2, "not_helpful": 7}))]
pub struct FeedbackReportRow {
    pub slug: String,
    pub title: String,
    pub helpful: u64,
    pub not_helpful: u64,
}

/// E-mail an article (its text, and its PDF attached) to an address.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"to": "compras@cliente.example", "message": "Te paso los pasos que te comenté."}))]
pub struct ShareArticle {
    pub to: String,
    /// Optional, at most 1,000 characters.
    #[serde(default)]
    pub message: String,
}
