//! `/kb`: browse by kind and category, newest and most read.

use axum::extract::{Query, State};
use axum::response::Response;
use faro_core::kb::{ArticleKind, ArticleState};
use faro_store::{ArticleFilter, ArticleOrder};
use serde::Deserialize;

use super::{category_rows, kind_choices};
use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::views::{KbIndexView, render};
use faro_store::with_descendants;

const PAGE: u64 = 20;

#[derive(Deserialize, Default)]
pub struct BrowseQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    page: Option<u64>,
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<BrowseQuery>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let categories = state.store.categories().await?;
    let kind = ArticleKind::parse(&q.kind).ok();
    let category = categories.iter().find(|c| c.slug == q.category).cloned();
    let article_state = ArticleState::parse(&q.state)
        .ok()
        .filter(|_| s.viewer().is_staff());
    let filter = ArticleFilter {
        kind,
        category_ids: category
            .as_ref()
            .map(|c| with_descendants(&categories, c.id))
            .unwrap_or_default(),
        state: article_state,
    };
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let (articles, total) = state
        .store
        .list_articles(
            s.viewer(),
            &filter,
            ArticleOrder::Newest,
            PAGE,
            (page - 1) * PAGE,
        )
        .await?;
    let (most_read, _) = state
        .store
        .list_articles(s.viewer(), &filter, ArticleOrder::MostRead, 5, 0)
        .await?;
    let base = format!(
        "/kb?kind={}&category={}&state={}",
        kind.map(|k| k.as_str()).unwrap_or(""),
        category.as_ref().map(|c| c.slug.as_str()).unwrap_or(""),
        article_state.map(|s| s.as_str()).unwrap_or("")
    );
    let prev = (page > 1).then(|| format!("{base}&page={}", page - 1));
    let next = (page * PAGE < total).then(|| format!("{base}&page={}", page + 1));
    Ok(render(&KbIndexView {
        p: s.ctx.page(t.kb_title),
        articles,
        most_read,
        total,
        kind: kind.map(|k| k.as_str()).unwrap_or("").to_string(),
        category: category.map(|c| c.slug).unwrap_or_default(),
        state: article_state.map(|s| s.as_str()).unwrap_or("").to_string(),
        kinds: kind_choices(t),
        categories: category_rows(&categories),
        is_staff: s.viewer().is_staff(),
        prev,
        next,
    }))
}
