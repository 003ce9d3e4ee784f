//! Fetching a version's file: `/downloads/{slug}/versions/{id}` and `/downloads/{slug}/latest`
//! (always the newest current version). A withdrawn version answers 410 with its reason.
//! Every download that starts at the first byte is counted.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use faro_core::StoreError;
use faro_core::downloads::{DownloadItem, Version, VersionState};

use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::handlers::parse_id;
use crate::sending;
use crate::views::{WithdrawnView, render};

pub async fn version(
    State(state): State<AppState>,
    s: Signed,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let (item, v) = state
        .store
        .download_version(s.viewer(), &slug, parse_id(&id)?)
        .await?;
    send(&state, &s, &headers, item, v).await
}

pub async fn latest(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let (item, versions) = state.store.download_item(s.viewer(), &slug).await?;
    let v = versions
        .into_iter()
        .find(|v| v.state == VersionState::Current)
        .ok_or(StoreError::NotFound)?;
    send(&state, &s, &headers, item, v).await
}

async fn send(
    state: &AppState,
    s: &Signed,
    headers: &HeaderMap,
    item: DownloadItem,
    v: Version,
) -> WebResult<Response> {
    if v.withdrawn.is_some() {
        let mut res = render(&WithdrawnView {
            p: s.ctx.page(s.ctx.t.dl_withdrawn_title),
            item,
            version: v,
        });
        *res.status_mut() = StatusCode::GONE;
        return Ok(res);
    }
    let count = sending::starts_at_zero(headers, &v.file);
    let res = sending::send(state, headers, &v.file).await?;
    if count && res.status().is_success() {
        state
            .store
            .record_download(s.viewer(), item.id, v.id)
            .await?;
    }
    Ok(res)
}
