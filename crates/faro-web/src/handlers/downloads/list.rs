//! `/downloads`: what is published to the viewer, by category, with what is new since their
//! last visit.

use axum::extract::{Query, State};
use axum::response::Response;
use faro_core::downloads::DownloadKind;
use serde::Deserialize;

use super::kind_choices;
use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::views::{DownloadRow, DownloadsView, render};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    kind: String,
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let kind = DownloadKind::parse(&q.kind).ok();
    let items = state.store.download_items(s.viewer(), kind).await?;
    let is_staff = s.viewer().is_staff();
    let last_visit = if is_staff {
        None
    } else {
        state.store.touch_downloads_visit(s.viewer()).await?
    };
    let mut groups: Vec<(String, Vec<DownloadRow>)> = Vec::new();
    let mut new_count = 0;
    for item in items {
        let new = match (last_visit, &item.current) {
            (Some(seen), Some((_, published))) => *published > seen,
            _ => false,
        };
        new_count += usize::from(new);
        let category = if item.category.is_empty() {
            t.dl_no_category.to_string()
        } else {
            item.category.clone()
        };
        match groups.iter_mut().find(|g| g.0 == category) {
            Some(g) => g.1.push(DownloadRow { item, new }),
            None => groups.push((category, vec![DownloadRow { item, new }])),
        }
    }
    Ok(render(&DownloadsView {
        p: s.ctx.page(t.dl_title),
        is_staff,
        kind: kind.map(|k| k.as_str()).unwrap_or("").into(),
        kinds: kind_choices(t),
        groups,
        new_count,
        last_visit,
    }))
}
