//! `/search?q=…`: the search box in every page's header. Results are scoped to what the viewer
//! may read; a syntax error falls back to plain words, never to an error page.

use axum::extract::{Query, State};
use axum::response::Response;
use faro_core::kb::ArticleKind;
use faro_search::{KIND_DOWNLOAD, KIND_INCIDENT, KIND_RESOURCE};
use serde::Deserialize;

use super::{category_rows, kind_choices, search_scope};
use crate::AppState;
use crate::context::Signed;
use crate::error::{WebError, WebResult};
use crate::views::{SearchRow, SearchView, render};

const PAGE: usize = 20;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    page: Option<usize>,
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<SearchQuery>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let text: String = q.q.chars().take(300).collect();
    let categories = state.store.categories().await?;
    let article_kind = ArticleKind::parse(&q.kind).ok();
    let kind: String = match q.kind.as_str() {
        "articles" | "download" | "resource" | "incident" => q.kind.clone(),
        _ => article_kind
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default(),
    };
    let kinds: Vec<String> = match kind.as_str() {
        "articles" => ArticleKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        "" => Vec::new(),
        other => vec![other.to_owned()],
    };
    let category = categories
        .iter()
        .find(|c| c.slug == q.category)
        .map(|c| c.slug.clone());
    let page = q.page.unwrap_or(1).clamp(1, 500);
    let mut rows = Vec::new();
    let mut total = 0;
    let mut fell_back = false;
    if let (false, Some(scope)) = (text.trim().is_empty(), search_scope(s.viewer())) {
        let req = faro_search::SearchRequest {
            text: text.clone(),
            scope,
            kinds,
            category: category.clone(),
            include_unpublished: s.viewer().is_staff(),
            limit: PAGE,
            offset: (page - 1) * PAGE,
            exclude: Vec::new(),
        };
        let index = state.search.clone();
        let results = tokio::task::spawn_blocking(move || index.search(&req))
            .await
            .map_err(WebError::internal)?
            .map_err(WebError::internal)?;
        total = results.total;
        fell_back = results.fell_back;
        // The database has the last word on what the viewer may read.
        let ids_of = |kind: &str| -> Vec<uuid::Uuid> {
            results
                .hits
                .iter()
                .filter(|h| h.kind == kind)
                .map(|h| h.id)
                .collect()
        };
        let other_ids: Vec<uuid::Uuid> = results
            .hits
            .iter()
            .filter(|h| ![KIND_DOWNLOAD, KIND_RESOURCE, KIND_INCIDENT].contains(&h.kind.as_str()))
            .map(|h| h.id)
            .collect();
        let readable = state.store.articles_by_ids(s.viewer(), &other_ids).await?;
        let downloads = state
            .store
            .download_items_by_ids(s.viewer(), &ids_of(KIND_DOWNLOAD))
            .await?;
        let resources = state.store.resources_by_ids(&ids_of(KIND_RESOURCE)).await?;
        let incidents = state
            .store
            .incidents_by_ids(s.viewer(), &ids_of(KIND_INCIDENT))
            .await?;
        for hit in results.hits {
            let row = if let Some(a) = readable.iter().find(|a| a.id == hit.id) {
                SearchRow {
                    href: format!("/kb/{}", a.slug),
                    title_html: hit.title_html,
                    snippet_html: hit.snippet_html,
                    kind: t.kind(a.kind),
                    category: a.category.as_ref().map(|c| c.name.clone()),
                    updated_at: a.updated_at,
                    summary: a.summary.clone(),
                }
            } else if let Some(d) = downloads.iter().find(|d| d.id == hit.id) {
                SearchRow {
                    href: format!("/downloads/{}", d.slug),
                    title_html: hit.title_html,
                    snippet_html: hit.snippet_html,
                    kind: t.download_kind(d.kind),
                    category: Some(d.category.clone()).filter(|c| !c.is_empty()),
                    updated_at: d.updated_at,
                    summary: String::new(),
                }
            } else if let Some(r) = resources.iter().find(|r| r.id == hit.id) {
                SearchRow {
                    href: format!("/resources/{}", r.slug),
                    title_html: hit.title_html,
                    snippet_html: hit.snippet_html,
                    kind: t.search_kind_resource,
                    category: Some(r.category.clone()).filter(|c| !c.is_empty()),
                    updated_at: r.updated_at,
                    summary: String::new(),
                }
            } else if let Some(i) = incidents.iter().find(|i| i.id == hit.id) {
                SearchRow {
                    href: format!("/incidents/{}", i.number),
                    title_html: hit.title_html,
                    snippet_html: hit.snippet_html,
                    kind: t.search_kind_incident,
                    category: Some(t.incident_state(i.state).to_owned()),
                    updated_at: i.updated_at,
                    summary: String::new(),
                }
            } else {
                continue;
            };
            rows.push(row);
        }
    }
    let enc = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let base = format!(
        "/search?q={}&kind={}&category={}",
        enc(&text),
        kind,
        enc(category.as_deref().unwrap_or(""))
    );
    let prev = (page > 1).then(|| format!("{base}&page={}", page - 1));
    let next = (page * PAGE < total).then(|| format!("{base}&page={}", page + 1));
    Ok(render(&SearchView {
        p: s.ctx.page(t.search_title),
        q: text,
        rows,
        total,
        fell_back,
        kind,
        category: category.unwrap_or_default(),
        kinds: kind_choices(t),
        categories: category_rows(&categories),
        prev,
        next,
    }))
}

#[derive(Deserialize)]
pub struct SuggestQuery {
    #[serde(default)]
    q: String,
}

#[derive(serde::Serialize)]
pub struct SuggestionJson {
    url: String,
    title: String,
}

/// `/search/suggest?q=…`: titles while typing (JSON, for the enhancement script), scoped.
pub async fn suggest(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<SuggestQuery>,
) -> WebResult<axum::Json<Vec<SuggestionJson>>> {
    let text: String = q.q.chars().take(100).collect();
    let Some(scope) = search_scope(s.viewer()).filter(|_| text.trim().chars().count() >= 2) else {
        return Ok(axum::Json(Vec::new()));
    };
    let index = state.search.clone();
    let found = tokio::task::spawn_blocking(move || index.suggest(&text, &scope, 8))
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)?;
    Ok(axum::Json(
        found
            .into_iter()
            .map(|s| SuggestionJson {
                url: match s.kind.as_str() {
                    KIND_DOWNLOAD => format!("/downloads/{}", s.slug),
                    KIND_RESOURCE => format!("/resources/{}", s.slug),
                    KIND_INCIDENT => format!("/incidents/{}", s.slug),
                    _ => format!("/kb/{}", s.slug),
                },
                title: s.title,
            })
            .collect(),
    ))
}
