//! One error type for handlers. It becomes a status code plus a marker; the context middleware,
//! which knows the person's language, turns the marker into a page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use faro_core::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    Csrf,
    BadRequest,
    Internal,
    Unavailable,
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Forbidden | ErrorKind::Csrf => StatusCode::FORBIDDEN,
            ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

#[derive(Debug)]
pub struct WebError(pub ErrorKind);

impl WebError {
    pub fn not_found() -> Self {
        Self(ErrorKind::NotFound)
    }
    pub fn forbidden() -> Self {
        Self(ErrorKind::Forbidden)
    }
    pub fn internal(context: impl std::fmt::Display) -> Self {
        tracing::error!(error = %context, "request failed");
        Self(ErrorKind::Internal)
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self(ErrorKind::NotFound),
            StoreError::Forbidden => Self(ErrorKind::Forbidden),
            StoreError::Invalid(_) | StoreError::Conflict(_) => Self(ErrorKind::BadRequest),
            StoreError::Other(msg) => Self::internal(msg),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        Self::internal(format!("template: {e}"))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut res = self.0.status().into_response();
        res.extensions_mut().insert(self.0);
        res
    }
}

pub type WebResult<T = Response> = Result<T, WebError>;
