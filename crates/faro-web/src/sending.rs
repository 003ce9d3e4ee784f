//! Sending a stored file: streamed from the file store with `Content-Length`, an `ETag` (its
//! sha256), single byte ranges (206, resumable downloads and video seeking) and 304 for a copy
//! the browser already has. Always as an attachment of type `application/octet-stream`, so a
//! file is never rendered as a page.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use faro_core::downloads::StoredFile;
use faro_files::{FilesError, RangeRequest, parse_range};
use futures_util::StreamExt;

use crate::AppState;
use crate::error::{WebError, WebResult};

/// Whether the request reads the file from its first byte (a new download, not a resumed one):
/// only those count as downloads.
pub fn starts_at_zero(headers: &HeaderMap, file: &StoredFile) -> bool {
    match wanted(headers, file) {
        RangeRequest::Partial(r) => r.start == 0,
        RangeRequest::Full => !not_modified(headers, file),
        RangeRequest::Unsatisfiable => false,
    }
}

fn etag(file: &StoredFile) -> String {
    format!("\"{}\"", file.sha256)
}

fn not_modified(headers: &HeaderMap, file: &StoredFile) -> bool {
    let tag = etag(file);
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

fn wanted(headers: &HeaderMap, file: &StoredFile) -> RangeRequest {
    // A range for another version of the file (If-Range with an old ETag) gets the whole file.
    if let Some(if_range) = headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok())
        && if_range.trim() != etag(file)
    {
        return RangeRequest::Full;
    }
    parse_range(
        headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
        file.size,
    )
}

pub use faro_files::disposition;

/// Streams `file` as a download, as the answer to a request with `headers`.
pub async fn send(state: &AppState, headers: &HeaderMap, file: &StoredFile) -> WebResult<Response> {
    send_as(state, headers, file, None).await
}

/// Like [`send`]; with `inline`, a type recognised from the bytes (an image or a video), the
/// file is shown in the page instead.
pub async fn send_as(
    state: &AppState,
    headers: &HeaderMap,
    file: &StoredFile,
    inline: Option<&str>,
) -> WebResult<Response> {
    let tag = etag(file);
    let mut res = if not_modified(headers, file) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let range = match wanted(headers, file) {
            RangeRequest::Full => None,
            RangeRequest::Partial(r) => Some(r),
            RangeRequest::Unsatisfiable => {
                let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{}", file.size)) {
                    res.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return Ok(res);
            }
        };
        let got = match state.files.get(&file.key, range.clone()).await {
            Ok(g) => g,
            Err(FilesError::NotFound) => {
                return Err(WebError::internal(format!(
                    "stored file {} has a row but no bytes",
                    file.id
                )));
            }
            Err(e) => return Err(WebError::internal(e)),
        };
        let length = got.range.end - got.range.start;
        let stream = got.stream.map(|r| r.map_err(std::io::Error::other));
        let mut res = Response::new(Body::from_stream(stream));
        let partial = range.is_some().then(|| {
            format!(
                "bytes {}-{}/{}",
                got.range.start,
                got.range.end.saturating_sub(1),
                got.size
            )
        });
        if partial.is_some() {
            *res.status_mut() = StatusCode::PARTIAL_CONTENT;
        }
        let h = res.headers_mut();
        if let Some(v) = partial.and_then(|p| HeaderValue::from_str(&p).ok()) {
            h.insert(header::CONTENT_RANGE, v);
        }
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        let content_type = inline
            .and_then(|t| HeaderValue::from_str(t).ok())
            .unwrap_or(HeaderValue::from_static("application/octet-stream"));
        h.insert(header::CONTENT_TYPE, content_type);
        let kind = if inline.is_some() {
            "inline"
        } else {
            "attachment"
        };
        if let Ok(v) = HeaderValue::from_str(&disposition(kind, &file.file_name)) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        res
    };
    let h = res.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(res)
}
