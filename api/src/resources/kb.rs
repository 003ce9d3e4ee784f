//! The knowledge base, read side: categories, article lists (by kind, category, newest, most
//! read or title; keyset cursor pages) and one article by its slug. A client's people see only
//! their membership's and global published articles; anything else is a 404, as if it did not
//! exist.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use faro_store::{ArticleAfter, ArticleFilter, ArticleOrder};
use faro_types::kb::{Article, ArticleQuery, ArticleSummary, Category};
use faro_types::{Page, PageQuery};
use uuid::Uuid;

use super::convert;
use super::kb_answer::Mold;
use super::paging::Paging;
use crate::auth::Auth;
use crate::extract::Query;
use crate::problem::{ApiError, ApiResult, Text};
use crate::server::Api;

/// List the categories
///
/// The whole tree, flat (each with its `parent_id`), in name order.
#[utoipa::path(
    operation_id = "list_kb_categories",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Every category", body = Vec<Category>),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized)
    )
)]
#[get("/kb/categories")]
pub async fn categories(api: web::Data<Api>, _auth: Auth) -> ApiResult<HttpResponse> {
    let mut all = api.store.categories().await?;
    all.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    Ok(HttpResponse::Ok().json(all.into_iter().map(convert::category).collect::<Vec<_>>()))
}

/// The cursor's sort key for `order`: what the store's keyset continues after.
fn cursor_key(order: ArticleOrder, a: &faro_core::kb::Article) -> String {
    match ArticleAfter::of(order, a) {
        ArticleAfter::Newest { updated_at, .. } => format!("n:{}", updated_at.to_rfc3339()),
        ArticleAfter::MostRead {
            views, updated_at, ..
        } => format!("v:{views}:{}", updated_at.to_rfc3339()),
        ArticleAfter::Title { title, .. } => format!("t:{title}"),
    }
}

/// The store's starting point from a decoded cursor, if it belongs to `order`.
fn after(order: ArticleOrder, key: &str, id: Uuid) -> Option<ArticleAfter> {
    let time = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    match order {
        ArticleOrder::Newest => Some(ArticleAfter::Newest {
            updated_at: time(key.strip_prefix("n:")?)?,
            id,
        }),
        ArticleOrder::MostRead => {
            let (views, at) = key.strip_prefix("v:")?.split_once(':')?;
            Some(ArticleAfter::MostRead {
                views: views.parse().ok()?,
                updated_at: time(at)?,
                id,
            })
        }
        ArticleOrder::Title => Some(ArticleAfter::Title {
            title: key.strip_prefix("t:")?.to_string(),
            id,
        }),
    }
}

/// List articles
///
/// Published articles for a client's people (their membership's and global ones); every state
/// for staff, who may also filter by `state`. An unknown `category` slug matches nothing.
#[utoipa::path(
    operation_id = "list_kb_articles",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(ArticleQuery),
    responses(
        (status = 200, description = "A page of articles, without their bodies", body = Page<ArticleSummary>),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/kb/articles")]
pub async fn list(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<HttpResponse> {
    let paging = Paging::parse(&PageQuery {
        limit: q.limit,
        cursor: q.cursor.clone(),
    })?;
    let order = convert::article_order_in(q.order.unwrap_or_default());
    let start = match &paging.after {
        None => None,
        Some((key, id)) => Some(after(order, key, *id).ok_or_else(|| {
            ApiError::field("cursor", "invalid", Text::Catalog(|t| t.api_bad_cursor))
        })?),
    };
    // A client's people only ever see published articles: asking for another state finds none.
    let viewer = auth.viewer();
    if !viewer.is_staff()
        && q.state
            .is_some_and(|s| s != faro_types::kb::ArticleState::Published)
    {
        return Ok(HttpResponse::Ok().json(Page::<ArticleSummary>::empty()));
    }
    let mut filter = ArticleFilter {
        kind: q.kind.map(convert::article_kind_in),
        state: q.state.map(convert::article_state_in),
        ..ArticleFilter::default()
    };
    if let Some(slug) = q.category.as_deref().filter(|s| !s.is_empty()) {
        let all = api.store.categories().await?;
        match all.iter().find(|c| c.slug == slug) {
            Some(c) => filter.category_ids = faro_store::with_descendants(&all, c.id),
            None => return Ok(HttpResponse::Ok().json(Page::<ArticleSummary>::empty())),
        }
    }
    let rows = api
        .store
        .article_page(&viewer, &filter, order, start, paging.fetch() as u64)
        .await?;
    let page = paging.page(
        rows,
        |a| (cursor_key(order, a), a.id),
        |a| convert::article_summary(&a),
    );
    Ok(HttpResponse::Ok().json(page))
}

/// Read an article
///
/// By its slug, with the body in Markdown and as sanitised HTML, whose images (and the
/// `pdf_url`) are signed addresses for the caller. The `ETag` is
/// `"r<article id>-<revision>.<window>"`: send it back in `If-Match` to edit the article (only
/// the revision part is compared; the window changes with the signed addresses, every ten
/// minutes). Someone outside the article's scope gets 404, as for a slug that does not exist.
#[utoipa::path(
    operation_id = "get_kb_article",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The article", body = Article,
            headers(("ETag" = String, description = "The revision and the signing window: `\"r<article id>-<revision>.<window>\"`"))),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/articles/{slug}")]
pub async fn show(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let read_at = api.store.freshness().epoch();
    let a = readable(&api, &auth, &slug).await?;
    if auth.viewer().scope() != faro_core::viewer::Scope::AllMemberships {
        api.store.record_article_view(a.id);
    }
    kept_article_response(&api, &auth, HttpResponse::Ok(), &a, read_at)
}

/// The article `slug`, if the caller may read it.
pub async fn readable(
    api: &Api,
    auth: &Auth,
    slug: &str,
) -> ApiResult<std::sync::Arc<faro_core::kb::Article>> {
    if slug.len() > 200 {
        return Err(ApiError::not_found());
    }
    Ok(api.store.shared_article(&auth.viewer(), slug).await?)
}

/// Signs file addresses for the caller.
pub fn signer<'a>(api: &'a Api, auth: &Auth) -> crate::signed::Signer<'a> {
    crate::signed::Signer::new(
        &api.jwt,
        auth.principal.person.id,
        auth.principal.token_version,
    )
    .memoized(&api.signed)
}

/// `"r<id>-<revision>"`: what `If-Match` must name to edit.
pub fn revision_tag(a: &faro_core::kb::Article) -> String {
    format!("\"r{}-{}\"", a.id, a.revision)
}

/// The article as JSON with its `ETag`, in `res` (200, 201…).
pub fn article_response(
    api: &Api,
    auth: &Auth,
    res: actix_web::HttpResponseBuilder,
    a: &faro_core::kb::Article,
) -> ApiResult<HttpResponse> {
    kept_article_response(api, auth, res, a, None)
}

/// The same, from the article's mold (`kb_answer`): made once per article and cache epoch,
/// filled here with the caller's signed addresses. `read_at`, the cache epoch taken before `a`
/// was read, files a new mold for the next reader.
fn kept_article_response(
    api: &Api,
    auth: &Auth,
    mut res: actix_web::HttpResponseBuilder,
    a: &faro_core::kb::Article,
    read_at: Option<u64>,
) -> ApiResult<HttpResponse> {
    let fresh = api.store.freshness();
    let mold = match api.article_molds.get(fresh, &a.id).filter(|m| m.fits(a)) {
        Some(m) => m,
        None => {
            let html = api.rendered.html((a.id, a.revision), &a.body);
            let m = std::sync::Arc::new(Mold::new(a, &html)?);
            api.article_molds.put(fresh, read_at, a.id, m.clone());
            m
        }
    };
    let signer = signer(api, auth);
    Ok(res
        .insert_header((
            header::ETAG,
            format!("\"r{}-{}.{}\"", a.id, a.revision, signer.window()),
        ))
        .content_type("application/json")
        .body(mold.fill(&signer)?))
}

/// Brings this node's search index up to date after a save, so the author finds the article
/// at once (the background sync retries if this fails; other nodes follow the change log).
pub async fn reindex(api: &Api) {
    if let Err(e) = faro_jobs::index::sync(&api.store, api.search.as_ref()).await {
        tracing::warn!(error = %e, "search index not updated; the background sync will retry");
    }
}
