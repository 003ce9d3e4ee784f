//! `/kb/{slug}`: one article, with its related articles. Another membership's article, or an
//! unpublished one for a client, is not found.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use faro_core::Catalog;
use faro_core::kb::{Article, ArticleState};

use super::search_scope;
use crate::AppState;
use crate::context::Signed;
use crate::error::{WebError, WebResult};
use crate::mold::{Hole, Mold, Values, escape_into};
use crate::views::{ArticleView, RelatedLink, render, render_refused};

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    // Taken before reading: the rendered article is kept only while nothing was written since.
    let read_at = state.store.freshness().epoch();
    let article = state.store.shared_article(s.viewer(), &slug).await?;
    if article.state == ArticleState::Published {
        state.store.record_article_view(article.id);
    }
    page(&state, &s, article, read_at, Refused::default()).await
}

/// A reader's form on the article page that was refused: shown again with its message and
/// what was typed, answered with 422.
#[derive(Default)]
pub struct Refused {
    pub comment: Option<(String, String)>,
    pub email: Option<(String, String, String)>,
}

/// Renders the article page for `s`. `read_at`: the store epoch taken before `article` was read,
/// if the page may be kept for the next reader (see `mold`).
pub async fn page(
    state: &AppState,
    s: &Signed,
    article: Arc<Article>,
    read_at: Option<u64>,
    refused: Refused,
) -> WebResult<Response> {
    let my_feedback = state.store.my_feedback(s.viewer(), article.id).await?;
    let note = feedback_note(s.ctx.t, my_feedback);
    let is_staff = s.viewer().is_staff();
    let is_refused = refused.comment.is_some() || refused.email.is_some();
    // Staff pages carry feedback counts and moderation; a message or a refused form is
    // personal: those are rendered whole, every time.
    let moldable = !is_staff && !is_refused && s.ctx.flash.is_none();
    let key = (
        article.id,
        s.ctx.lang,
        s.viewer().role,
        s.viewer().membership_id,
    );
    let values = Values {
        csrf: &s.ctx.csrf,
        name: &s.owner.person.name,
        here: &s.ctx.here,
        feedback: &note,
    };
    let fresh = state.store.freshness();
    if moldable && let Some(mold) = state.rendered.molds.get(fresh, &key) {
        return Ok(Html(mold.fill(&values)).into_response());
    }

    let related = related_links(state, s, article.id).await?;
    let comments = state
        .store
        .comments(s.viewer(), article.id)
        .await?
        .into_iter()
        .map(|c| {
            let html = state.rendered.comment_html(c.id, &c.body);
            (c, html)
        })
        .collect();
    let feedback = if is_staff {
        Some(state.store.feedback_summary(s.viewer(), article.id).await?)
    } else {
        None
    };
    let marks = &state.rendered.marks;
    let mut p = s.ctx.page(&article.title);
    if moldable {
        p.csrf = marks.mark(Hole::Csrf);
        p.user_name = Some(marks.mark(Hole::Name));
        p.here = marks.mark(Hole::Here);
    }
    let view = ArticleView {
        p,
        body_html: state
            .rendered
            .html(article.id, article.revision, &article.body),
        related,
        is_staff,
        comments,
        feedback_note: if moldable {
            marks.mark(Hole::Feedback)
        } else {
            &note
        },
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
    if moldable {
        let html = view
            .render()
            .map_err(|e| WebError::internal(format!("article template: {e}")))?;
        let mold = Arc::new(Mold::cut(&html, marks));
        state.rendered.molds.put(fresh, read_at, key, mold.clone());
        return Ok(Html(mold.fill(&values)).into_response());
    }
    Ok(if is_refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}

/// The related articles `s` may read now (the index may lag behind the database).
async fn related_links(
    state: &AppState,
    s: &Signed,
    article_id: uuid::Uuid,
) -> WebResult<Vec<RelatedLink>> {
    let scope_key = match s.viewer().scope() {
        faro_core::viewer::Scope::Membership(m) => Some(m),
        _ => None,
    };
    let ids = match state.rendered.related(article_id, scope_key) {
        Some(ids) => ids,
        None => {
            let found = match search_scope(s.viewer()) {
                Some(scope) => {
                    let index = state.search.clone();
                    tokio::task::spawn_blocking(move || index.related(article_id, &scope, 5))
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
                .remember_related(article_id, scope_key, ids.clone());
            ids
        }
    };
    Ok(state
        .store
        .article_links(s.viewer(), &ids)
        .await?
        .into_iter()
        .map(|(slug, title)| RelatedLink { slug, title })
        .collect())
}

/// "You said it was (not) helpful" as HTML, or nothing.
fn feedback_note(t: &Catalog, mine: Option<bool>) -> String {
    let Some(yes) = mine else {
        return String::new();
    };
    let mut html = String::from("<p class=\"muted\">");
    escape_into(
        &mut html,
        if yes {
            t.kb_helpful_yours_yes
        } else {
            t.kb_helpful_yours_no
        },
    );
    html.push_str("</p>");
    html
}
