//! Reading tools on an article: comments, "was it helpful?", e-mailing it with its PDF, the PDF
//! itself, and the images uploaded into it.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use faro_core::kb::{Article, ImageBytes, MAX_IMAGE_BYTES, sniff_image};
use faro_core::{Catalog, Conflict, Email, StoreError, format};
use serde::Deserialize;
use uuid::Uuid;

use crate::context::{Signed, Staff};
use crate::error::{ErrorKind, WebError, WebResult};
use crate::forms::{failure, see_other, success};
use crate::handlers::parse_id;
use crate::views::{FeedbackListView, render};
use crate::{AppState, mails};

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

pub async fn comment(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
    Form(f): Form<CommentForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    let to = format!("/kb/{}#comments", a.slug);
    let name = s.owner.person.name.clone();
    let result = state
        .store
        .add_comment(s.viewer(), &name, a.id, &f.body, {
            let (state, name, body) = (state.clone(), name.clone(), f.body.trim().to_owned());
            move |article, people| {
                people
                    .iter()
                    .map(|p| mails::comment_notice(&state, p, &name, article, &body))
                    .collect()
            }
        })
        .await;
    match result {
        Ok(_) => {
            (state.mail_queued)();
            Ok(see_other(&to, success(t.kb_comment_added), s.ctx.secure))
        }
        Err(StoreError::Invalid(e)) => {
            let refused = super::read::Refused {
                comment: Some((
                    f.body.chars().take(5000).collect(),
                    t.invalid(e).to_string(),
                )),
                ..Default::default()
            };
            super::read::page(&state, &s, Arc::new(a), None, refused).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn hide_comment(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let slug = state
        .store
        .set_comment_hidden(s.viewer(), parse_id(&id)?, true)
        .await?;
    Ok(see_other(
        &format!("/kb/{slug}#comments"),
        success(s.ctx.t.kb_comment_hidden),
        s.ctx.secure,
    ))
}

pub async fn show_comment(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let slug = state
        .store
        .set_comment_hidden(s.viewer(), parse_id(&id)?, false)
        .await?;
    Ok(see_other(
        &format!("/kb/{slug}#comments"),
        success(s.ctx.t.kb_comment_shown),
        s.ctx.secure,
    ))
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    helpful: String,
    #[serde(default)]
    remark: String,
}

pub async fn feedback(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
    Form(f): Form<FeedbackForm>,
) -> WebResult<Response> {
    let helpful = match f.helpful.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(WebError(ErrorKind::BadRequest)),
    };
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    state
        .store
        .record_feedback(s.viewer(), a.id, helpful, &f.remark)
        .await?;
    Ok(see_other(
        &format!("/kb/{}#feedback", a.slug),
        success(s.ctx.t.kb_helpful_thanks),
        s.ctx.secure,
    ))
}

/// `/kb/feedback`: the least helpful articles, for staff to improve.
pub async fn least_helpful(State(state): State<AppState>, Staff(s): Staff) -> WebResult<Response> {
    let rows = state.store.least_helpful(s.viewer(), 50).await?;
    Ok(render(&FeedbackListView {
        p: s.ctx.page(s.ctx.t.kb_least_helpful),
        rows,
    }))
}

/// Renders an article's PDF (typst) with its images, off the async workers.
pub async fn article_pdf(state: &AppState, s: &Signed, a: &Article) -> WebResult<Vec<u8>> {
    let t = s.ctx.t;
    let mut images: HashMap<String, Vec<u8>> = HashMap::new();
    for i in state.store.article_images(s.viewer(), a.id).await? {
        let bytes = match i.stored {
            ImageBytes::InDatabase(bytes) => bytes,
            ImageBytes::InFileStore(f) => state
                .files
                .read_all(&f.key, MAX_IMAGE_BYTES as u64)
                .await
                .map_err(WebError::internal)?,
        };
        images.insert(format!("/kb/files/{}", i.id), bytes);
    }
    let mut meta = vec![(t.kb_pdf_kind, t.kind(a.kind).to_string())];
    if let Some(c) = &a.category {
        meta.push((t.kb_pdf_category, c.name.clone()));
    }
    meta.push((
        t.kb_pdf_for,
        a.membership_name
            .clone()
            .unwrap_or_else(|| t.kb_scope_global.into()),
    ));
    meta.push((t.kb_updated_on, format::long_date(t.lang, a.updated_at)));
    let footer = match &state.config.operator_name {
        Some(op) => format!("{} · {op}", t.app_name),
        None => format!("{} · {}", t.app_name, t.tagline),
    };
    let (lang, title, summary, body) = (
        t.lang.code(),
        a.title.clone(),
        a.summary.clone(),
        a.body.clone(),
    );
    let page_label = t.kb_pdf_page;
    tokio::task::spawn_blocking(move || {
        faro_pdf::render_article(&faro_pdf::ArticlePdf {
            lang,
            title: &title,
            summary: Some(summary.as_str()).filter(|s| !s.is_empty()),
            meta,
            body_markdown: &body,
            images,
            footer: &footer,
            page_label,
        })
    })
    .await
    .map_err(WebError::internal)?
    .map_err(WebError::internal)
}

/// `/kb/{slug}/pdf`: the article typeset as a PDF.
pub async fn pdf(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    let bytes = article_pdf(&state, &s, &a).await?;
    let disposition = format!("inline; filename=\"{}.pdf\"", a.slug);
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    message: String,
}

/// `POST /kb/{slug}/email`: sends the article (text, HTML and PDF) to an address, rate-limited.
pub async fn email(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
    Form(f): Form<EmailForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    let back = format!("/kb/{}", a.slug);
    let refused = |problem: &str| super::read::Refused {
        email: Some((
            f.to.chars().take(254).collect(),
            f.message.chars().take(1000).collect(),
            problem.to_string(),
        )),
        ..Default::default()
    };
    let Ok(to) = Email::parse(&f.to) else {
        return super::read::page(&state, &s, Arc::new(a), None, refused(t.invalid_email)).await;
    };
    let message: String = f
        .message
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(1000)
        .collect();
    let pdf = article_pdf(&state, &s, &a).await?;
    let mail = mails::article_share(
        &state,
        s.ctx.lang,
        &s.owner.person.name,
        &to,
        &message,
        &a,
        pdf,
    )
    .map_err(WebError::internal)?;
    match state.store.share_article(s.viewer(), a.id, &mail).await {
        Ok(()) => {
            (state.mail_queued)();
            Ok(see_other(
                &back,
                success(Catalog::fill(t.kb_email_sent, &[to.as_str()])),
                s.ctx.secure,
            ))
        }
        Err(StoreError::Conflict(Conflict::RateLimited)) => {
            let mut res =
                super::read::page(&state, &s, Arc::new(a), None, refused(t.kb_email_limit)).await?;
            *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /kb/{slug}/images` (multipart): staff upload an image into an article.
pub async fn upload_image(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    let back = format!("/kb/{}/edit", a.slug);
    let mut upload: Option<(String, Vec<u8>)> = None;
    while let Some(mut field) = form
        .next_field()
        .await
        .map_err(|_| WebError(ErrorKind::BadRequest))?
    {
        if field.name() != Some("image") {
            continue;
        }
        let name = field.file_name().unwrap_or("imagen").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|_| WebError(ErrorKind::BadRequest))?
        {
            if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Ok(see_other(&back, failure(t.invalid_image), s.ctx.secure));
            }
            bytes.extend_from_slice(&chunk);
        }
        upload = Some((name, bytes));
    }
    let Some((name, bytes)) = upload.filter(|(_, b)| !b.is_empty()) else {
        return Ok(see_other(&back, failure(t.invalid_image), s.ctx.secure));
    };
    // Recognised by its bytes, never by the name the browser sent.
    let Some(content_type) = sniff_image(&bytes) else {
        return Ok(see_other(&back, failure(t.invalid_image), s.ctx.secure));
    };
    let key = faro_files::FileStore::new_key();
    let file_id = state.store.begin_file(&key, &name).await?;
    let stored = match state.files.put_bytes(&key, bytes.into()).await {
        Ok(stored) => stored,
        Err(e) => {
            let _ = state.store.discard_file(file_id).await;
            return Err(WebError::internal(e));
        }
    };
    let file = faro_store::NewFile {
        file_id,
        size: stored.size,
        sha256: stored.sha256,
    };
    let result = state
        .store
        .add_article_image(s.viewer(), a.id, &name, content_type, &file)
        .await;
    if result.is_err() {
        let _ = state.files.delete(&key).await;
        let _ = state.store.discard_file(file_id).await;
    }
    match result {
        Ok(id) => {
            let snippet = format!(
                "![{}](/kb/files/{id})",
                name.replace(['[', ']', '(', ')'], "")
            );
            Ok(see_other(
                &back,
                success(Catalog::fill(t.kb_image_added, &[&snippet])),
                s.ctx.secure,
            ))
        }
        Err(StoreError::Invalid(_)) => Ok(see_other(&back, failure(t.invalid_image), s.ctx.secure)),
        Err(e) => Err(e.into()),
    }
}

/// `/kb/files/{id}`: an article's image, for whoever may read the article.
pub async fn image(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> WebResult<Response> {
    let id: Uuid = parse_id(&id)?;
    let img = state.store.article_image(s.viewer(), id).await?;
    let bytes = match img.stored {
        // The type was recognised from the bytes at upload; never guessed by the browser.
        ImageBytes::InFileStore(f) => {
            return crate::sending::send_as(&state, &headers, &f, Some(&img.content_type)).await;
        }
        ImageBytes::InDatabase(bytes) => bytes,
    };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    // The type was recognised from the bytes at upload; never guessed by the browser.
    if let Ok(v) = HeaderValue::from_str(&img.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", img.sha256)) {
        h.insert(header::ETAG, v);
    }
    Ok(res)
}
