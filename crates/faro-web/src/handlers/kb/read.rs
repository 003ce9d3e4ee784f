//! `/kb/{slug}`: one article, with its related articles. Another membership's article, or an
//! unpublished one for a client, is not found.

use axum::extract::{Path, State};
use axum::response::Response;
use faro_core::kb::{Article, ArticleState};

use super::search_scope;
use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::views::{ArticleView, RelatedLink, render, render_refused};

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let article = state.store.article_by_slug(s.viewer(), &slug).await?;
    if article.state == ArticleState::Published {
        state.store.record_article_view(article.id);
    }
    page(&state, &s, article, Refused::default()).await
}

/// A reader's form on the article page that was refused: shown again with its message and
/// what was typed, answered with 422.
#[derive(Default)]
pub struct Refused {
    pub comment: Option<(String, String)>,
    pub email: Option<(String, String, String)>,
}

/// Renders the article page for `s`.
pub async fn page(
    state: &AppState,
    s: &Signed,
    article: Article,
    refused: Refused,
) -> WebResult<Response> {
    let scope_key = match s.viewer().scope() {
        faro_core::viewer::Scope::Membership(m) => Some(m),
        _ => None,
    };
    let ids = match state.rendered.related(article.id, scope_key) {
        Some(ids) => ids,
        None => {
            let found = match search_scope(s.viewer()) {
                Some(scope) => {
                    let index = state.search.clone();
                    let id = article.id;
                    tokio::task::spawn_blocking(move || index.related(id, &scope, 5))
                        .await
                        .ok()
                        .and_then(Result::ok)
                        .unwrap_or_default()
                }
                None => Vec::new(),
            };
            let ids: Vec<uuid::Uuid> = found.iter().map(|h| h.id).collect();
            state
                .rendered
                .remember_related(article.id, scope_key, ids.clone());
            ids
        }
    };
    // The index may lag behind the database: show only what the viewer may read now.
    let related = state
        .store
        .article_links(s.viewer(), &ids)
        .await?
        .into_iter()
        .map(|(slug, title)| RelatedLink { slug, title })
        .collect();
    let body_html = state
        .rendered
        .html(article.id, article.revision, &article.body);
    let comments = state
        .store
        .comments(s.viewer(), article.id)
        .await?
        .into_iter()
        .map(|c| {
            let html = faro_markdown::to_html(&c.body);
            (c, html)
        })
        .collect();
    let my_feedback = state.store.my_feedback(s.viewer(), article.id).await?;
    let feedback = if s.viewer().is_staff() {
        Some(state.store.feedback_summary(s.viewer(), article.id).await?)
    } else {
        None
    };
    let is_refused = refused.comment.is_some() || refused.email.is_some();
    let view = ArticleView {
        p: s.ctx.page(&article.title),
        body_html,
        related,
        is_staff: s.viewer().is_staff(),
        comments,
        my_feedback,
        feedback,
        a: article,
        comment_value: refused
            .comment
            .as_ref()
            .map(|c| c.0.clone())
            .unwrap_or_default(),
        comment_error: refused.comment.map(|c| c.1),
        email_to: refused
            .email
            .as_ref()
            .map(|e| e.0.clone())
            .unwrap_or_default(),
        email_message: refused
            .email
            .as_ref()
            .map(|e| e.1.clone())
            .unwrap_or_default(),
        email_error: refused.email.map(|e| e.2),
    };
    Ok(if is_refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}
