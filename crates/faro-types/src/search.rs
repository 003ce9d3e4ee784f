//! Search across what the caller may read: knowledge-base articles, incidents, downloads and
//! resources, with highlighted passages; and suggestions while typing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::kb::ArticleKind;

/// What a result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchType {
    Article,
    Incident,
    Download,
    Resource,
}

/// Query parameters of a search.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Words (accents, capitals and word forms do not matter; a small typo is forgiven),
    /// `"quoted phrases"`, and `-word` or `-"phrase"` to exclude. At most 300 characters.
    pub q: String,
    /// Only results of this type.
    #[serde(rename = "type")]
    pub kind_of: Option<SearchType>,
    /// Only articles of this kind (implies `type=article`).
    pub kind: Option<ArticleKind>,
    /// Only articles in the category with this slug or its sub-categories.
    pub category: Option<String>,
    /// How many results to return, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One result.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "article",
    "id": "019a0000-0000-7000-8000-0000000000a1",
    "title": "Configurar la VPN en Windows 11",
    "title_html": "Configurar la <b>VPN</b> en Windows 11",
    "snippet_html": "…abre la conexión <b>VPN</b> desde la barra de tareas…",
    "kind": "tutorial",
    "category": "Redes",
    "link": "/kb/configurar-la-vpn-en-windows-11",
    "api_url": "/api/v1/kb/articles/configurar-la-vpn-en-windows-11",
    "updated_at": "2026-11-30T10:00:00Z"
}))]
pub struct SearchHit {
    #[serde(rename = "type")]
    pub kind_of: SearchType,
    pub id: Uuid,
    pub title: String,
    /// The title, HTML-escaped, with the matched words in `<b>`.
    pub title_html: String,
    /// A passage of the text, HTML-escaped, with the matched words in `<b>`.
    pub snippet_html: String,
    /// An article's kind.
    pub kind: Option<ArticleKind>,
    /// The article's category, a download's or resource's, or an incident's state.
    pub category: Option<String>,
    /// Where the portal shows it.
    pub link: String,
    /// Where the API serves it (null where the API does not serve that type yet).
    pub api_url: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// A page of results.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchHit>,
    /// Matches in the caller's scope, over every page (an upper bound: results the database
    /// no longer lets the caller read are dropped from pages).
    pub total: u64,
    /// Present when more results follow.
    pub next_cursor: Option<String>,
    /// No result had every word: these have some of them.
    pub relaxed: bool,
    /// The text could not be read as search syntax and was searched as plain words.
    pub fell_back: bool,
}

/// A title suggested while typing.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"type": "article", "title": "Configurar la VPN en Windows 11", "link": "/kb/configurar-la-vpn-en-windows-11"}))]
pub struct Suggestion {
    #[serde(rename = "type")]
    pub kind_of: SearchType,
    pub title: String,
    pub link: String,
}

/// Query parameters of the suggestions.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SuggestQuery {
    /// What has been typed so far (2 to 100 characters; fewer suggest nothing).
    pub q: String,
}
