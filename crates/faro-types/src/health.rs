//! `/healthz` and `/readyz`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"status": "ok", "database": "ok", "search": {"engine": "meilisearch", "status": "ok"}}))]
pub struct Health {
    /// `ok`, or `unavailable` (with status 503) when the database does not answer.
    pub status: String,
    /// Only on `/readyz`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Only on `/readyz`: the search engine (`embedded` or `meilisearch`) and whether it
    /// answers (`ok` or `unavailable`). A search engine that does not answer makes searches
    /// 503 but does not make the node unready: everything else still works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchHealth>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SearchHealth {
    pub engine: String,
    pub status: String,
}
