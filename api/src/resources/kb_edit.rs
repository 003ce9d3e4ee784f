//! Staff write the knowledge base: create an article, save its next revision (only on top of
//! the revision the editor read: `If-Match`), publish and archive it, add categories, and
//! preview Markdown through the server's sanitiser. For a client's people these endpoints do
//! not exist (404).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, put, web};
use faro_core::kb::{
    ArticleDraft, ArticleState, MAX_BODY, parse_body, parse_summary, parse_tags, parse_title,
};
use faro_core::{Conflict, Invalid, StoreError};
use faro_store::Author;
use faro_types::kb::{Article, Category};
use faro_types::kb_edit::{ArticleInput, ChangeNote, MarkdownInput, NewCategory, RenderedMarkdown};
use uuid::Uuid;

use super::convert;
use super::kb::{article_response, readable, revision_tag};
use crate::auth::Auth;
use crate::extract::{ArticleJson, Json, OptionalJson};
use crate::problem::{ApiError, ApiResult, Fields, Text};
use crate::server::Api;

/// Staff only: anyone else finds nothing here.
pub fn staff(auth: &Auth) -> ApiResult<()> {
    if auth.viewer().is_staff() {
        Ok(())
    } else {
        Err(ApiError::not_found())
    }
}

pub fn author(auth: &Auth) -> Author {
    Author {
        id: Some(auth.principal.person.id),
        name: auth.principal.person.name.clone(),
    }
}

/// The revision `If-Match` names for article `a` (`"r<id>-<n>"`, with or without the signing
/// window and `W/`). `None` when absent, `*`, or naming another article: every edit must name
/// the revision it was made on.
pub fn if_match(req: &HttpRequest, a: &faro_core::kb::Article) -> Option<i32> {
    let value = req.headers().get(header::IF_MATCH)?.to_str().ok()?;
    let prefix = format!("r{}-", a.id);
    value.split(',').find_map(|tag| {
        let tag = tag.trim().trim_start_matches("W/").trim_matches('"');
        let rest = tag.strip_prefix(&prefix)?;
        rest.split('.').next()?.parse().ok()
    })
}

/// The 412 for an edit made on `current`'s older revision, or on none.
pub fn stale(a: &faro_core::kb::Article) -> ApiError {
    let mut e = ApiError::from(StoreError::Conflict(Conflict::StaleRevision {
        current: a.revision,
    }));
    e.current = Some(Box::new((a.revision, revision_tag(a))));
    e
}

/// The store's refusal, with a stale revision answered as `stale` of the article now.
pub async fn saved(
    api: &Api,
    auth: &Auth,
    slug: &str,
    r: Result<faro_core::kb::Article, StoreError>,
) -> ApiResult<faro_core::kb::Article> {
    match r {
        Err(StoreError::Conflict(Conflict::StaleRevision { .. })) => {
            let now = readable(api, auth, slug).await?;
            Err(stale(&now))
        }
        other => Ok(other?),
    }
}

/// What every save answers: the store's result (a stale revision as `stale`), this node's
/// index brought up to date, and the article saved with its new `ETag`.
pub async fn answer_saved(
    api: &Api,
    auth: &Auth,
    slug: &str,
    r: Result<faro_core::kb::Article, StoreError>,
) -> ApiResult<HttpResponse> {
    let saved = saved(api, auth, slug, r).await?;
    super::kb::reindex(api).await;
    article_response(api, auth, HttpResponse::Ok(), &saved)
}

/// Checks every field of `input`, naming each refused one; `current` is the state an edit
/// keeps when the input has none.
async fn draft(
    api: &Api,
    auth: &Auth,
    input: ArticleInput,
    current: ArticleState,
) -> ApiResult<ArticleDraft> {
    let mut f = Fields::default();
    let title = f.check("title", parse_title(&input.title));
    let summary = f.check("summary", parse_summary(&input.summary));
    let body = f.check("body", parse_body(&input.body));
    let tags = f.check(
        "tags",
        if input.tags.iter().any(|t| t.contains(',')) {
            Err(Invalid::Tags)
        } else {
            parse_tags(&input.tags.join(","))
        },
    );
    if let Some(c) = input.category_id
        && !api.store.categories().await?.iter().any(|x| x.id == c)
    {
        f.add("category_id", "unknown", Text::Invalid(Invalid::Category));
    }
    if let Some(m) = input.membership_id {
        match api.store.membership(&auth.viewer(), m).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => f.add(
                "membership_id",
                "unknown",
                Text::Catalog(|t| t.api_not_found),
            ),
            Err(e) => return Err(e.into()),
        }
    }
    f.finish()?;
    let (Some(title), Some(summary), Some(body), Some(tags)) = (title, summary, body, tags) else {
        return Err(ApiError::internal("validated fields missing"));
    };
    Ok(ArticleDraft {
        title,
        summary,
        body,
        kind: convert::article_kind_in(input.kind),
        state: input
            .state
            .map(convert::article_state_in)
            .unwrap_or(current),
        category_id: input.category_id,
        membership_id: input.membership_id,
        tags,
        note: input.note.trim().chars().take(300).collect(),
    })
}

/// Create an article
///
/// Revision 1, a `draft` unless `state` says otherwise. Its slug comes from the title (made
/// unique with `-2`, `-3`…) and never changes. Staff only.
#[utoipa::path(
    operation_id = "create_kb_article",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    request_body = ArticleInput,
    responses(
        (status = 201, description = "Created", body = Article,
            headers(("Location" = String, description = "The article's address"),
                    ("ETag" = String, description = "Its revision, for the next `If-Match`"))),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/kb/articles")]
pub async fn create(
    api: web::Data<Api>,
    auth: Auth,
    ArticleJson(input): ArticleJson<ArticleInput>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let d = draft(&api, &auth, input, ArticleState::Draft).await?;
    let a = api
        .store
        .create_article(&auth.viewer(), &author(&auth), d)
        .await?;
    super::kb::reindex(&api).await;
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/v1/kb/articles/{}", a.slug)));
    article_response(&api, &auth, res, &a)
}

/// Edit an article
///
/// Saves the whole article as its next revision. `If-Match` must carry the `ETag` of the
/// revision the edit was made on: when someone saved another revision meanwhile (or
/// `If-Match` is missing), nothing is saved and the answer is 412 with `current_revision` and
/// that revision's `ETag`; read it, merge, and send again. Staff only.
#[utoipa::path(
    operation_id = "update_kb_article",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The article's slug"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` of the revision edited. Needed: without it (or with another revision's) nothing is saved and the answer is 412")
    ),
    request_body = ArticleInput,
    responses(
        (status = 200, description = "Saved as a new revision", body = Article,
            headers(("ETag" = String, description = "The new revision, for the next `If-Match`"))),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 412, response = crate::openapi::Stale),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/kb/articles/{slug}")]
pub async fn update(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    ArticleJson(input): ArticleJson<ArticleInput>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let a = readable(&api, &auth, &slug).await?;
    let Some(expected) = if_match(&req, &a) else {
        return Err(stale(&a));
    };
    let d = draft(&api, &auth, input, a.state).await?;
    let r = api
        .store
        .update_article_at(&auth.viewer(), &author(&auth), a.id, Some(expected), d)
        .await;
    answer_saved(&api, &auth, &slug, r).await
}

/// Saves `a` again in `state` (a new revision with `note`), unless it is already in it.
async fn set_state(
    req: &HttpRequest,
    api: &Api,
    auth: &Auth,
    slug: &str,
    state: ArticleState,
    note: String,
) -> ApiResult<HttpResponse> {
    staff(auth)?;
    let a = readable(api, auth, slug).await?;
    let expected = match req.headers().get(header::IF_MATCH) {
        None => None,
        Some(_) => Some(if_match(req, &a).ok_or_else(|| stale(&a))?),
    };
    if let Some(n) = expected
        && n != a.revision
    {
        return Err(stale(&a));
    }
    if a.state == state {
        return article_response(api, auth, HttpResponse::Ok(), &a);
    }
    let d = ArticleDraft {
        title: a.title.clone(),
        summary: a.summary.clone(),
        body: a.body.clone(),
        kind: a.kind,
        state,
        category_id: a.category.as_ref().map(|c| c.id),
        membership_id: a.membership_id,
        tags: a.tags.clone(),
        note,
    };
    let r = api
        .store
        .update_article_at(&auth.viewer(), &author(auth), a.id, Some(a.revision), d)
        .await;
    answer_saved(api, auth, slug, r).await
}

pub fn note_or(body: Option<ChangeNote>, default: &str) -> String {
    let note = body.map(|b| b.note).unwrap_or_default();
    let note = note.trim();
    if note.is_empty() {
        default.to_owned()
    } else {
        note.chars().take(300).collect()
    }
}

/// Publish an article
///
/// Clients in its scope see it from now on. A new revision (with the optional `note`); an
/// article already published is returned as it is. `If-Match` is optional here: when sent, it
/// must name the current revision. Staff only.
#[utoipa::path(
    operation_id = "publish_kb_article",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The article's slug"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` of the revision to publish")
    ),
    request_body(content = Option<ChangeNote>, description = "Optional"),
    responses(
        (status = 200, description = "Published", body = Article),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 412, response = crate::openapi::Stale),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/kb/articles/{slug}/publish")]
pub async fn publish(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    OptionalJson(body): OptionalJson<ChangeNote>,
) -> ApiResult<HttpResponse> {
    let note = note_or(body, auth.lang().catalog().kb_published_note);
    set_state(&req, &api, &auth, &slug, ArticleState::Published, note).await
}

/// Archive an article
///
/// Clients stop seeing it; staff still find it (`state=archived`). Publishing it again brings
/// it back. Otherwise as publishing. Staff only.
#[utoipa::path(
    operation_id = "archive_kb_article",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The article's slug"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` of the revision to archive")
    ),
    request_body(content = Option<ChangeNote>, description = "Optional"),
    responses(
        (status = 200, description = "Archived", body = Article),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 412, response = crate::openapi::Stale),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/kb/articles/{slug}/archive")]
pub async fn archive(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    OptionalJson(body): OptionalJson<ChangeNote>,
) -> ApiResult<HttpResponse> {
    let note = note_or(body, auth.lang().catalog().kb_archived_note);
    set_state(&req, &api, &auth, &slug, ArticleState::Archived, note).await
}

/// Create a category
///
/// At the top of the tree, or inside `parent_id`. Its slug comes from the name. Staff only.
#[utoipa::path(
    operation_id = "create_kb_category",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    request_body = NewCategory,
    responses(
        (status = 201, description = "Created", body = Category),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/kb/categories")]
pub async fn create_category(
    api: web::Data<Api>,
    auth: Auth,
    Json(body): Json<NewCategory>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let parent: Option<Uuid> = body.parent_id;
    if let Some(p) = parent
        && !api.store.categories().await?.iter().any(|c| c.id == p)
    {
        return Err(ApiError::field(
            "parent_id",
            "unknown",
            Text::Invalid(Invalid::Category),
        ));
    }
    match api
        .store
        .create_category(&auth.viewer(), &body.name, parent)
        .await
    {
        Ok(c) => Ok(HttpResponse::Created().json(convert::category(c))),
        Err(StoreError::Invalid(i)) => Err(ApiError::invalid("name", i)),
        Err(e) => Err(e.into()),
    }
}

/// Preview Markdown
///
/// Renders Markdown exactly as readers will see it: the server's sanitiser is the only one (no
/// scripts, event handlers or `javascript:` addresses survive). For the editor's live preview
/// and the comment box; any signed-in person.
#[utoipa::path(
    operation_id = "preview_markdown",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    request_body = MarkdownInput,
    responses(
        (status = 200, description = "The HTML", body = RenderedMarkdown),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/kb/preview")]
pub async fn preview(
    api: web::Data<Api>,
    auth: Auth,
    ArticleJson(body): ArticleJson<MarkdownInput>,
) -> ApiResult<HttpResponse> {
    if body.markdown.chars().count() > MAX_BODY {
        return Err(ApiError::invalid("markdown", Invalid::Body));
    }
    let html = faro_markdown::to_html(&body.markdown);
    let signer = super::kb::signer(&api, &auth);
    let html =
        crate::signed::sign_images(&html, |id| signer.url(crate::signed::FileRef::Image(id)))?;
    Ok(HttpResponse::Ok().json(RenderedMarkdown { html }))
}
