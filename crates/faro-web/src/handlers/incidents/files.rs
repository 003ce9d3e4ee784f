//! `/incidents/files/{id}`: an attachment, for whoever may see its incident. Images and videos
//! recognised by their bytes are shown inline (videos seek with Range requests); everything
//! else is a download. Never served as HTML.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::handlers::parse_id;
use crate::sending;

pub async fn file(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let a = state
        .store
        .incident_attachment(s.viewer(), parse_id(&id)?)
        .await?;
    let inline = a.content_type.starts_with("image/") || a.content_type.starts_with("video/");
    sending::send_as(
        &state,
        &headers,
        &a.file,
        inline.then_some(a.content_type.as_str()),
    )
    .await
}
