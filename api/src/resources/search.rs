//! Search: the engine (Spanish analysis, typos, phrases, exclusion) finds candidates in
//! the caller's scope, then the database has the last word on each one (a result the caller
//! may no longer read is dropped). Suggestions while typing; articles related to one.

use actix_web::{HttpResponse, get, web};
use faro_core::Viewer;
use faro_core::kb::ArticleKind;
use faro_core::viewer::Scope;
use faro_search::{KIND_DOWNLOAD, KIND_INCIDENT, KIND_RESOURCE, SearchRequest};
use faro_types::search::{
    SearchHit, SearchPage, SearchQuery, SearchType, SuggestQuery, Suggestion,
};
use faro_types::{PageQuery, kb::ArticleSummary};
use uuid::Uuid;

use super::convert;
use super::kb::readable;
use super::paging::Paging;
use crate::auth::Auth;
use crate::extract::Query;
use crate::problem::{ApiError, ApiResult, Text};
use crate::server::Api;

const DEFAULT_LIMIT: u32 = 20;

/// Who the index may answer for: nobody outside a membership or the staff.
pub fn scope(viewer: &Viewer) -> Option<faro_search::Scope> {
    match viewer.scope() {
        Scope::AllMemberships => Some(faro_search::Scope::All),
        Scope::Membership(m) => Some(faro_search::Scope::Membership(m)),
        Scope::Nothing => None,
    }
}

fn type_of(kind: &str) -> SearchType {
    match kind {
        KIND_DOWNLOAD => SearchType::Download,
        KIND_RESOURCE => SearchType::Resource,
        KIND_INCIDENT => SearchType::Incident,
        _ => SearchType::Article,
    }
}

/// The index's kinds a query asks for (empty: every kind).
fn kinds(q: &SearchQuery) -> Vec<String> {
    if let Some(k) = q.kind {
        return vec![convert::article_kind_in(k).as_str().to_owned()];
    }
    match q.kind_of {
        None => Vec::new(),
        Some(SearchType::Article) => ArticleKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        Some(SearchType::Download) => vec![KIND_DOWNLOAD.to_owned()],
        Some(SearchType::Resource) => vec![KIND_RESOURCE.to_owned()],
        Some(SearchType::Incident) => vec![KIND_INCIDENT.to_owned()],
    }
}

/// A search server that fails or does not answer is a 503 to retry, not a server bug.
pub fn failed(e: faro_search::SearchError) -> ApiError {
    match e {
        faro_search::SearchError::Engine(_) => {
            tracing::warn!(error = %e, "search engine unavailable");
            ApiError::unavailable(5, |t| t.api_search_unavailable)
        }
        e => ApiError::internal(e),
    }
}

/// Search
///
/// Articles (the caller's membership's and global published ones; staff also drafts),
/// incidents of the caller's membership, downloads published to it and resources. Accents,
/// capitals and word forms do not matter and a small typo is forgiven; `"phrases"` and
/// `-excluded` words work; junk syntax is searched as plain words (`fell_back`). Each result
/// has its title and a passage with the matched words in `<b>` (HTML-escaped otherwise).
#[utoipa::path(
    operation_id = "search",
    tag = "search",
    security(("access_token" = []), ("api_key" = [])),
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of results", body = SearchPage),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 422, response = crate::openapi::Invalid),
        (status = 503, response = crate::openapi::SearchDown)
    )
)]
#[get("/search")]
pub async fn search(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let paging = Paging::parse(&PageQuery {
        limit: Some(q.limit.unwrap_or(DEFAULT_LIMIT)),
        cursor: q.cursor.clone(),
    })?;
    let offset = match &paging.after {
        None => 0,
        Some((key, _)) => key
            .strip_prefix("o:")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= faro_search::MAX_OFFSET)
            .ok_or_else(|| {
                ApiError::field("cursor", "invalid", Text::Catalog(|t| t.api_bad_cursor))
            })?,
    };
    if q.q.chars().count() > 300 {
        return Err(ApiError::field(
            "q",
            "too_long",
            Text::Catalog(|t| t.api_search_too_long),
        ));
    }
    let viewer = auth.viewer();
    let empty = SearchPage {
        items: Vec::new(),
        total: 0,
        next_cursor: None,
        relaxed: false,
        fell_back: false,
    };
    let Some(scope) = scope(&viewer).filter(|_| !q.q.trim().is_empty()) else {
        return Ok(HttpResponse::Ok().json(empty));
    };
    let category = match q.category.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(slug) => match api
            .store
            .categories()
            .await?
            .into_iter()
            .find(|c| c.slug == slug)
        {
            Some(c) => Some(c.slug),
            None => return Ok(HttpResponse::Ok().json(empty)),
        },
    };
    let limit = paging.limit as usize;
    let req = SearchRequest {
        text: q.q.clone(),
        scope,
        kinds: kinds(&q),
        category,
        include_unpublished: viewer.is_staff(),
        limit,
        offset,
        exclude: Vec::new(),
    };
    let found = api.search.search(&req).await.map_err(failed)?;
    let items = recheck(&api, &viewer, auth.lang(), found.hits).await?;
    let next_offset = offset + limit;
    let next_cursor = (next_offset < found.total && next_offset <= faro_search::MAX_OFFSET)
        .then(|| super::paging::encode(&(format!("o:{next_offset}"), Uuid::nil())));
    Ok(HttpResponse::Ok().json(SearchPage {
        items,
        total: found.total as u64,
        next_cursor,
        relaxed: found.relaxed,
        fell_back: found.fell_back,
    }))
}

/// The hits the database still lets `viewer` read, in the index's order, with what the
/// database knows of each.
async fn recheck(
    api: &Api,
    viewer: &Viewer,
    lang: faro_core::Lang,
    hits: Vec<faro_search::Hit>,
) -> ApiResult<Vec<SearchHit>> {
    let t = lang.catalog();
    let ids = |ty: SearchType| -> Vec<Uuid> {
        hits.iter()
            .filter(|h| type_of(&h.kind) == ty)
            .map(|h| h.id)
            .collect()
    };
    let articles = api
        .store
        .articles_by_ids(viewer, &ids(SearchType::Article))
        .await?;
    let downloads = api
        .store
        .download_items_by_ids(viewer, &ids(SearchType::Download))
        .await?;
    let resources = api
        .store
        .resources_by_ids(&ids(SearchType::Resource))
        .await?;
    let incidents = api
        .store
        .incidents_by_ids(viewer, &ids(SearchType::Incident))
        .await?;
    let mut out = Vec::with_capacity(hits.len());
    for h in hits {
        let (kind_of, kind, category, link, api_url, updated_at) = match type_of(&h.kind) {
            SearchType::Article => {
                let Some(a) = articles.iter().find(|a| a.id == h.id) else {
                    continue;
                };
                (
                    SearchType::Article,
                    Some(convert::article_kind(a.kind)),
                    a.category.as_ref().map(|c| c.name.clone()),
                    format!("/kb/{}", a.slug),
                    Some(format!("/api/v1/kb/articles/{}", a.slug)),
                    a.updated_at,
                )
            }
            SearchType::Download => {
                let Some(d) = downloads.iter().find(|d| d.id == h.id) else {
                    continue;
                };
                (
                    SearchType::Download,
                    None,
                    Some(d.category.clone()).filter(|c| !c.is_empty()),
                    format!("/downloads/{}", d.slug),
                    None,
                    d.updated_at,
                )
            }
            SearchType::Resource => {
                let Some(r) = resources.iter().find(|r| r.id == h.id) else {
                    continue;
                };
                (
                    SearchType::Resource,
                    None,
                    Some(r.category.clone()).filter(|c| !c.is_empty()),
                    format!("/resources/{}", r.slug),
                    None,
                    r.updated_at,
                )
            }
            SearchType::Incident => {
                let Some(i) = incidents.iter().find(|i| i.id == h.id) else {
                    continue;
                };
                (
                    SearchType::Incident,
                    None,
                    Some(t.incident_state(i.state).to_owned()),
                    format!("/incidents/{}", i.number),
                    None,
                    i.updated_at,
                )
            }
        };
        out.push(SearchHit {
            kind_of,
            id: h.id,
            title: h.title,
            title_html: h.title_html,
            snippet_html: h.snippet_html,
            kind,
            category,
            link,
            api_url,
            updated_at,
        });
    }
    Ok(out)
}

/// Suggestions while typing
///
/// Up to 8 titles in the caller's scope that start like what has been typed (or nearly: a
/// typo is forgiven). Fewer than 2 characters suggest nothing.
#[utoipa::path(
    operation_id = "search_suggestions",
    tag = "search",
    security(("access_token" = []), ("api_key" = [])),
    params(SuggestQuery),
    responses(
        (status = 200, description = "The suggestions", body = Vec<Suggestion>),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 422, response = crate::openapi::Invalid),
        (status = 503, response = crate::openapi::SearchDown)
    )
)]
#[get("/search/suggestions")]
pub async fn suggestions(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<SuggestQuery>,
) -> ApiResult<HttpResponse> {
    let text: String = q.q.chars().take(100).collect();
    let viewer = auth.viewer();
    let Some(scope) = scope(&viewer).filter(|_| text.trim().chars().count() >= 2) else {
        return Ok(HttpResponse::Ok().json(Vec::<Suggestion>::new()));
    };
    let found = api.search.suggest(&text, &scope, 8).await.map_err(failed)?;
    Ok(HttpResponse::Ok().json(
        found
            .into_iter()
            .map(|s| {
                let kind_of = type_of(&s.kind);
                let link = match kind_of {
                    SearchType::Article => format!("/kb/{}", s.slug),
                    SearchType::Download => format!("/downloads/{}", s.slug),
                    SearchType::Resource => format!("/resources/{}", s.slug),
                    SearchType::Incident => format!("/incidents/{}", s.slug),
                };
                Suggestion {
                    kind_of,
                    title: s.title,
                    link,
                }
            })
            .collect::<Vec<_>>(),
    ))
}

/// Related articles
///
/// Up to 5 published articles in the caller's scope about the same things as this one.
#[utoipa::path(
    operation_id = "related_kb_articles",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The related articles", body = Vec<ArticleSummary>),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::SearchDown)
    )
)]
#[get("/kb/articles/{slug}/related")]
pub async fn related(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let a = readable(&api, &auth, &slug).await?;
    let viewer = auth.viewer();
    let Some(scope) = scope(&viewer) else {
        return Ok(HttpResponse::Ok().json(Vec::<ArticleSummary>::new()));
    };
    let id = a.id;
    let hits = api.search.related(id, &scope, 5).await.map_err(failed)?;
    let ids: Vec<Uuid> = hits
        .iter()
        .filter(|h| type_of(&h.kind) == SearchType::Article)
        .map(|h| h.id)
        .collect();
    let found = api.store.articles_by_ids(&viewer, &ids).await?;
    Ok(HttpResponse::Ok().json(
        found
            .iter()
            .map(convert::article_summary)
            .collect::<Vec<_>>(),
    ))
}
