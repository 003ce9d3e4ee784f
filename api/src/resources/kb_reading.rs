//! What readers do with an article: comment (staff hide and show comments), say whether it
//! helped (staff read the answers and the least-helpful report), and e-mail it with its PDF.
//! Every endpoint first checks that the caller may read the article: another membership's is
//! a 404.

use actix_web::{HttpResponse, get, post, put, web};
use faro_core::records::Person;
use faro_core::{Email, Invalid, StoreError};
use faro_types::kb_reading::{
    Comment, CommentVisibility, FeedbackInput, FeedbackRemark, FeedbackReportRow, FeedbackSummary,
    MyFeedback, NewComment, ShareArticle,
};
use uuid::Uuid;

use super::convert;
use super::kb::readable;
use super::kb_edit::staff;
use crate::auth::Auth;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult, Fields};
use crate::server::Api;

/// List an article's comments
///
/// Oldest first. Staff also see the comments they hid (`hidden`).
#[utoipa::path(
    operation_id = "list_kb_comments",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The comments", body = Vec<Comment>),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/articles/{slug}/comments")]
pub async fn comments(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let a = readable(&api, &auth, &slug).await?;
    let me = auth.principal.person.id;
    let all = api.store.comments(&auth.viewer(), a.id).await?;
    Ok(HttpResponse::Ok().json(
        all.iter()
            .cloned()
            .map(|c| convert::comment(c, me))
            .collect::<Vec<_>>(),
    ))
}

/// Comment on an article
///
/// Markdown, shown through the server's sanitiser. The article's author and the support staff
/// are told by e-mail (never the commenter).
#[utoipa::path(
    operation_id = "add_kb_comment",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    request_body = NewComment,
    responses(
        (status = 201, description = "Published", body = Comment),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/kb/articles/{slug}/comments")]
pub async fn add_comment(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    Json(body): Json<NewComment>,
) -> ApiResult<HttpResponse> {
    let a = readable(&api, &auth, &slug).await?;
    let text =
        faro_core::kb::parse_comment(&body.body).map_err(|e| ApiError::invalid("body", e))?;
    let name = auth.principal.person.name.clone();
    let base = api.base_url.clone();
    let (commenter, noticed) = (name.clone(), text.clone());
    let notify = move |info: &faro_store::ArticleInfo, to: &[Person]| {
        let html = faro_markdown::to_html(&noticed);
        to.iter()
            .map(|p| {
                faro_mail::kb::comment_notice(
                    &base,
                    p,
                    &commenter,
                    (&info.slug, &info.title),
                    &noticed,
                    &html,
                )
            })
            .collect()
    };
    let c = api
        .store
        .add_comment(&auth.viewer(), &name, a.id, &text, notify)
        .await
        .map_err(|e| match e {
            StoreError::Invalid(i) => ApiError::invalid("body", i),
            e => e.into(),
        })?;
    api.mail_queued();
    Ok(HttpResponse::Created().json(convert::comment(c, auth.principal.person.id)))
}

/// Hide or show a comment
///
/// A hidden comment stays for staff and disappears for clients. Staff only.
#[utoipa::path(
    operation_id = "set_kb_comment_visibility",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The comment's id")),
    request_body = CommentVisibility,
    responses(
        (status = 204, description = "Done"),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/kb/comments/{id}/visibility")]
pub async fn set_visibility(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<String>,
    Json(body): Json<CommentVisibility>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    api.store
        .set_comment_hidden(&auth.viewer(), id, body.hidden)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Say whether an article helped
///
/// "¿Te ha resultado útil?": one answer per person; a new one replaces the previous.
#[utoipa::path(
    operation_id = "put_kb_feedback",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    request_body = FeedbackInput,
    responses(
        (status = 200, description = "Recorded", body = MyFeedback),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/kb/articles/{slug}/feedback")]
pub async fn put_feedback(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    Json(body): Json<FeedbackInput>,
) -> ApiResult<HttpResponse> {
    let a = readable(&api, &auth, &slug).await?;
    if body.remark.chars().count() > 1000 {
        return Err(ApiError::invalid("remark", Invalid::Comment));
    }
    api.store
        .record_feedback(&auth.viewer(), a.id, body.helpful, &body.remark)
        .await?;
    Ok(HttpResponse::Ok().json(MyFeedback {
        helpful: Some(body.helpful),
    }))
}

/// The caller's answer
///
/// Whether the caller said the article helped; `null` until they answer.
#[utoipa::path(
    operation_id = "get_my_kb_feedback",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The answer", body = MyFeedback),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/articles/{slug}/feedback/mine")]
pub async fn my_feedback(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let a = readable(&api, &auth, &slug).await?;
    let helpful = api.store.my_feedback(&auth.viewer(), a.id).await?;
    Ok(HttpResponse::Ok().json(MyFeedback { helpful }))
}

/// What readers said about an article
///
/// The counts of both answers and the remarks, newest first. Staff only.
#[utoipa::path(
    operation_id = "get_kb_feedback",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The answers", body = FeedbackSummary),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/articles/{slug}/feedback")]
pub async fn feedback(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let a = readable(&api, &auth, &slug).await?;
    let s = api.store.feedback_summary(&auth.viewer(), a.id).await?;
    Ok(HttpResponse::Ok().json(FeedbackSummary {
        helpful: s.helpful,
        not_helpful: s.not_helpful,
        remarks: s
            .remarks
            .into_iter()
            .map(|(helpful, remark, created_at)| FeedbackRemark {
                helpful,
                remark,
                created_at,
            })
            .collect(),
    }))
}

/// The least helpful articles
///
/// The 50 articles with the largest share of "no" answers (more answers first on a tie), for
/// staff to improve.
#[utoipa::path(
    operation_id = "kb_feedback_report",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The report", body = Vec<FeedbackReportRow>),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/feedback/least-helpful")]
pub async fn least_helpful(api: web::Data<Api>, auth: Auth) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let rows = api.store.least_helpful(&auth.viewer(), 50).await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(|r| FeedbackReportRow {
                slug: r.slug,
                title: r.title,
                helpful: r.helpful,
                not_helpful: r.not_helpful,
            })
            .collect::<Vec<_>>(),
    ))
}

/// E-mail an article
///
/// Sends the article (as text and HTML, its PDF attached, with the optional `message`) to an
/// address, in the sender's language. At most 10 an hour per person (429 with `Retry-After`).
#[utoipa::path(
    operation_id = "email_kb_article",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    request_body = ShareArticle,
    responses(
        (status = 202, description = "Queued for sending"),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid),
        (status = 429, response = crate::openapi::Throttled)
    )
)]
#[post("/kb/articles/{slug}/email")]
pub async fn email(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    Json(body): Json<ShareArticle>,
) -> ApiResult<HttpResponse> {
    let a = readable(&api, &auth, &slug).await?;
    let mut f = Fields::default();
    let to = f.check("to", Email::parse(&body.to));
    let message = f.check(
        "message",
        if body.message.chars().count() > 1000 {
            Err(Invalid::Comment)
        } else {
            Ok(body
                .message
                .chars()
                .filter(|c| !c.is_control() || *c == '\n')
                .collect::<String>())
        },
    );
    f.finish()?;
    let (Some(to), Some(message)) = (to, message) else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let viewer = auth.viewer();
    let lang = auth.lang();
    let pdf = super::kb_files::article_pdf(&api, &viewer, lang, &a).await?;
    let share = faro_mail::kb::Share {
        lang,
        sender: &auth.principal.person.name,
        to: to.as_str(),
        message: &message,
    };
    let html = faro_markdown::to_html(&a.body);
    let mail = faro_mail::kb::article_share(&api.base_url, &share, &a, &html, pdf)
        .map_err(ApiError::internal)?;
    api.store.share_article(&viewer, a.id, &mail).await?;
    api.mail_queued();
    Ok(HttpResponse::Accepted().finish())
}
