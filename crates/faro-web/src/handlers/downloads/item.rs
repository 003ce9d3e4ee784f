//! `/downloads/{slug}`: an item, its versions (newest first, with size and sha256) and, for
//! staff, the form to publish a version, withdrawal and download counts.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::forms::FormErrors;
use crate::views::{DownloadItemView, VersionFields, render, render_refused};

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    page(
        &state,
        &s,
        &slug,
        VersionFields::default(),
        FormErrors::default(),
    )
    .await
}

/// The item page; with `errors`, the version form is shown again with them (422).
pub async fn page(
    state: &AppState,
    s: &Signed,
    slug: &str,
    f: VersionFields,
    errors: FormErrors,
) -> WebResult<Response> {
    let (item, versions) = state.store.download_item(s.viewer(), slug).await?;
    let is_staff = s.viewer().is_staff();
    let stats = if is_staff {
        Some(
            state
                .store
                .download_stats(s.viewer(), &item, &versions)
                .await?,
        )
    } else {
        None
    };
    let mine = state.store.my_downloads(s.viewer(), item.id).await?;
    let refused = !errors.is_empty();
    let view = DownloadItemView {
        p: s.ctx.page(&item.title),
        is_staff,
        description_html: faro_markdown::to_html(&item.description),
        versions: versions
            .into_iter()
            .map(|v| {
                let notes = faro_markdown::to_html(&v.notes);
                (v, notes)
            })
            .collect(),
        stats,
        mine,
        upload_action: format!("/downloads/{}/versions?_csrf={}", item.slug, s.ctx.csrf),
        max_size: faro_core::format::file_size(s.ctx.t.lang, state.config.download_max_bytes),
        item,
        f,
        errors,
    };
    Ok(if refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}
