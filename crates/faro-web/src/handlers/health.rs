//! Probes for load balancers and the static assets.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::WebError;

/// 200 as soon as the process serves requests.
pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 only while the database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.store.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

pub async fn asset(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    match state.assets.find(&name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.body,
        )
            .into_response(),
        None => WebError::not_found().into_response(),
    }
}

pub async fn not_found() -> WebError {
    WebError::not_found()
}
