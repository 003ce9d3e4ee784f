//! `/kb/{slug}`: one article, with its related articles. Another membership's article, or an
//! unpublished one for a client, is not found.

use axum::extract::{Path, State};
use axum::response::Response;
use faro_core::kb::ArticleState;

use super::search_scope;
use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::views::{ArticleView, RelatedLink, render};

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let article = state.store.article_by_slug(s.viewer(), &slug).await?;
    if article.state == ArticleState::Published {
        state.store.record_article_view(article.id).await?;
    }
    let related = match search_scope(s.viewer()) {
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
    // The index may lag behind the database: show only what the viewer may read now.
    let ids: Vec<uuid::Uuid> = related.iter().map(|h| h.id).collect();
    let readable = state.store.articles_by_ids(s.viewer(), &ids).await?;
    let related = readable
        .into_iter()
        .filter(|a| a.state == ArticleState::Published)
        .map(|a| RelatedLink {
            slug: a.slug,
            title: a.title,
        })
        .collect();
    let body_html = faro_markdown::to_html(&article.body);
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
    Ok(render(&ArticleView {
        p: s.ctx.page(&article.title),
        body_html,
        related,
        is_staff: s.viewer().is_staff(),
        comments,
        my_feedback,
        feedback,
        a: article,
    }))
}
