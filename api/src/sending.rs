//! Sending a stored file: streamed from the file store with `Content-Length`, an `ETag` (its
//! sha256), single byte ranges (206: resumable downloads and video seeking, `If-Range` honoured)
//! and 304 for a copy the browser already has. A download unless the caller names a type
//! recognised from the bytes (an image or a video) to show inline; never rendered as a page.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use faro_core::downloads::StoredFile;
use faro_files::{FilesError, RangeRequest, parse_range};
use futures_util::StreamExt;

use crate::problem::{ApiError, ApiResult};
use crate::server::Api;

fn etag(file: &StoredFile) -> String {
    format!("\"{}\"", file.sha256)
}

fn header_text(req: &HttpRequest, name: header::HeaderName) -> Option<&str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

fn not_modified(req: &HttpRequest, file: &StoredFile) -> bool {
    let tag = etag(file);
    header_text(req, header::IF_NONE_MATCH)
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

fn wanted(req: &HttpRequest, file: &StoredFile) -> RangeRequest {
    // A range for another version of the file (If-Range with an old ETag) gets the whole file.
    if header_text(req, header::IF_RANGE).is_some_and(|v| v.trim() != etag(file)) {
        return RangeRequest::Full;
    }
    parse_range(header_text(req, header::RANGE), file.size)
}

/// Whether `req` reads `file` from its first byte (a new download, not a resumed one or a
/// copy the caller already has): only those count as downloads.
pub fn starts_at_zero(req: &HttpRequest, file: &StoredFile) -> bool {
    match wanted(req, file) {
        RangeRequest::Partial(r) => r.start == 0,
        RangeRequest::Full => !not_modified(req, file),
        RangeRequest::Unsatisfiable => false,
    }
}

/// Streams `file` in answer to `req`; with `inline` (a type recognised from its bytes) it is
/// shown in the page, otherwise downloaded as `application/octet-stream`.
pub async fn send(
    api: &Api,
    req: &HttpRequest,
    file: &StoredFile,
    inline: Option<&str>,
) -> ApiResult<HttpResponse> {
    let common = |res: &mut actix_web::HttpResponseBuilder| {
        res.insert_header((header::ACCEPT_RANGES, "bytes"))
            .insert_header((header::ETAG, etag(file)))
            .insert_header((header::CACHE_CONTROL, "private, no-cache"));
    };
    if not_modified(req, file) {
        let mut res = HttpResponse::NotModified();
        common(&mut res);
        return Ok(res.finish());
    }
    let range = match wanted(req, file) {
        RangeRequest::Full => None,
        RangeRequest::Partial(r) => Some(r),
        RangeRequest::Unsatisfiable => {
            let mut res = HttpResponse::build(StatusCode::RANGE_NOT_SATISFIABLE);
            common(&mut res);
            return Ok(res
                .insert_header((header::CONTENT_RANGE, format!("bytes */{}", file.size)))
                .finish());
        }
    };
    let got = match api.files.get(&file.key, range.clone()).await {
        Ok(g) => g,
        Err(FilesError::NotFound) => {
            return Err(ApiError::internal(format!(
                "stored file {} has a row but no bytes",
                file.id
            )));
        }
        Err(e) => return Err(ApiError::internal(e)),
    };
    let length = got.range.end - got.range.start;
    let mut res = if range.is_some() {
        let mut res = HttpResponse::PartialContent();
        res.insert_header((
            header::CONTENT_RANGE,
            format!(
                "bytes {}-{}/{}",
                got.range.start,
                got.range.end.saturating_sub(1),
                got.size
            ),
        ));
        res
    } else {
        HttpResponse::Ok()
    };
    common(&mut res);
    let kind = if inline.is_some() {
        "inline"
    } else {
        "attachment"
    };
    res.insert_header((
        header::CONTENT_TYPE,
        inline.unwrap_or("application/octet-stream"),
    ))
    .insert_header((
        header::CONTENT_DISPOSITION,
        faro_files::disposition(kind, &file.file_name),
    ))
    .insert_header(("x-content-type-options", "nosniff"))
    .no_chunking(length);
    Ok(res.streaming(got.stream.map(|r| r.map_err(std::io::Error::other))))
}
