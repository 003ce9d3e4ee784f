//! `/resources`: the catalogue of free tools the support company considers useful and safe.
//! Every signed-in person reads it; staff add, edit, verify and remove entries, optionally with
//! a hosted copy of the tool.

pub mod edit;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use faro_core::StoreError;

use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::sending;
use crate::views::{ResourceView, ResourcesView, render};

pub async fn list(State(state): State<AppState>, s: Signed) -> WebResult<Response> {
    let t = s.ctx.t;
    let mut groups: Vec<(String, Vec<(faro_core::downloads::Resource, String)>)> = Vec::new();
    for r in state.store.resources().await? {
        let category = if r.category.is_empty() {
            t.dl_no_category.to_string()
        } else {
            r.category.clone()
        };
        let html = faro_markdown::to_html(&r.description);
        match groups.iter_mut().find(|g| g.0 == category) {
            Some(g) => g.1.push((r, html)),
            None => groups.push((category, vec![(r, html)])),
        }
    }
    Ok(render(&ResourcesView {
        p: s.ctx.page(t.res_title),
        is_staff: s.viewer().is_staff(),
        groups,
    }))
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let r = state.store.resource(&slug).await?;
    Ok(render(&ResourceView {
        p: s.ctx.page(&r.name),
        is_staff: s.viewer().is_staff(),
        description_html: faro_markdown::to_html(&r.description),
        r,
    }))
}

/// `/resources/{slug}/file`: the hosted copy.
pub async fn file(
    State(state): State<AppState>,
    _s: Signed,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let r = state.store.resource(&slug).await?;
    let file = r.file.ok_or(StoreError::NotFound)?;
    sending::send(&state, &headers, &file).await
}
