//! An article's files: images staff upload into it, the article typeset as a PDF, and the
//! signed addresses (`/api/v1/files/{ticket}`) through which browsers fetch both without an
//! `Authorization` header. Every way in checks that the person may read the article.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use faro_core::kb::{Article, Image, ImageBytes, MAX_IMAGE_BYTES, sniff_image};
use faro_core::{Invalid, StoreError, Viewer, format};
use faro_types::ErrorCode;
use faro_types::kb_edit::UploadedImage;
use futures_util::StreamExt;
use uuid::Uuid;

use super::kb::{readable, signer};
use super::kb_edit::staff;
use crate::auth::Auth;
use crate::problem::{ApiError, ApiResult, Text};
use crate::server::Api;
use crate::signed::{self, FileRef};

fn multipart_refused() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::BadRequest,
        Text::Catalog(|t| t.api_multipart),
    )
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        Text::Invalid(Invalid::Image),
    )
}

/// The `image` field of a multipart body: its file name and bytes (at most 5 MB; more is 413
/// and nothing is kept).
async fn image_field(req: &HttpRequest, payload: web::Payload) -> ApiResult<(String, Vec<u8>)> {
    if !crate::uploads::is_multipart(req) {
        return Err(crate::uploads::not_multipart());
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // The form's other parts and boundaries take a few KiB at most.
    if declared.is_some_and(|n| n > MAX_IMAGE_BYTES + 64 * 1024) {
        return Err(too_large());
    }
    let mut form = Multipart::new(req.headers(), payload);
    let mut found: Option<(String, Vec<u8>)> = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|_| multipart_refused())?;
        if field.name() != Some("image") || found.is_some() {
            // Other parts are read past, not kept.
            while let Some(chunk) = field.next().await {
                chunk.map_err(|_| multipart_refused())?;
            }
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(|n| n.chars().filter(|c| !c.is_control()).take(200).collect())
            .filter(|n: &String| !n.trim().is_empty())
            .unwrap_or_else(|| "imagen".to_owned());
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| multipart_refused())?;
            if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        found = Some((name, bytes));
    }
    found
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| ApiError::field("image", "required", Text::Catalog(|t| t.api_image_missing)))
}

/// Upload an image into an article
///
/// `multipart/form-data` with the file in the `image` field: PNG, JPEG, GIF or WebP (recognised
/// from its bytes, whatever its name says), at most 5 MB. Paste the returned `markdown` into the
/// body; readers get the image through a signed address. Staff only.
#[utoipa::path(
    operation_id = "upload_kb_image",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    request_body(content_type = "multipart/form-data", description = "The file in the `image` field"),
    responses(
        (status = 201, description = "Stored", body = UploadedImage),
        (status = 400, description = "The multipart body is malformed", body = faro_types::Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, description = "The body is not `multipart/form-data`", body = faro_types::Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/kb/articles/{slug}/images")]
pub async fn upload(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let a = readable(&api, &auth, &slug).await?;
    let (name, bytes) = image_field(&req, payload).await?;
    // Recognised by its bytes, never by the name or type the browser sent.
    let Some(content_type) = sniff_image(&bytes) else {
        return Err(ApiError::invalid("image", Invalid::Image));
    };
    let key = faro_files::FileStore::new_key();
    let file_id = api.store.begin_file(&key, &name).await?;
    let stored = match api.files.put_bytes(&key, bytes.into()).await {
        Ok(stored) => stored,
        Err(e) => {
            let _ = api.store.discard_file(file_id).await;
            return Err(ApiError::internal(e));
        }
    };
    let file = faro_store::NewFile {
        file_id,
        size: stored.size,
        sha256: stored.sha256.clone(),
    };
    let added = api
        .store
        .add_article_image(&auth.viewer(), a.id, &name, content_type, &file)
        .await;
    let id = match added {
        Ok(id) => id,
        Err(e) => {
            let _ = api.files.delete(&key).await;
            let _ = api.store.discard_file(file_id).await;
            return Err(match e {
                StoreError::Invalid(i) => ApiError::invalid("image", i),
                e => e.into(),
            });
        }
    };
    let alt: String = name.replace(['[', ']', '(', ')'], "");
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/kb/images/{id}")))
        .json(UploadedImage {
            id,
            content_type: content_type.to_owned(),
            size: stored.size,
            sha256: stored.sha256,
            markdown: format!("![{alt}](/api/v1/kb/images/{id})"),
            url: signer(&api, &auth).url(FileRef::Image(id))?,
        }))
}

/// An image's bytes, wherever they are kept.
async fn image_bytes(api: &Api, img: &Image) -> ApiResult<Vec<u8>> {
    match &img.stored {
        ImageBytes::InDatabase(bytes) => Ok(bytes.clone()),
        ImageBytes::InFileStore(f) => api
            .files
            .read_all(&f.key, MAX_IMAGE_BYTES as u64)
            .await
            .map_err(ApiError::internal),
    }
}

/// The image as a response: its recognised type, never sniffed or run as a page.
async fn image_response(api: &Api, viewer: &Viewer, id: Uuid) -> ApiResult<HttpResponse> {
    let img = api.store.article_image(viewer, id).await?;
    let bytes = image_bytes(api, &img).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, img.content_type.as_str()))
        .insert_header((header::CONTENT_DISPOSITION, "inline"))
        .insert_header((header::CACHE_CONTROL, "private, max-age=600"))
        .insert_header((header::ETAG, format!("\"{}\"", img.sha256)))
        .body(bytes))
}

/// Fetch an article image
///
/// The image itself, for whoever may read its article (another membership's is 404). Browsers
/// use the signed address in the article's `body_html` instead.
#[utoipa::path(
    operation_id = "get_kb_image",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The image's id")),
    responses(
        (status = 200, description = "The image (PNG, JPEG, GIF or WebP)", content_type = "image/*"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/images/{id}")]
pub async fn image(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    image_response(&api, &auth.viewer(), id).await
}

/// Typesets an article as a PDF (typst), with its images, off the async workers.
pub async fn article_pdf(
    api: &Api,
    viewer: &Viewer,
    lang: faro_core::Lang,
    a: &Article,
) -> ApiResult<Vec<u8>> {
    let t = lang.catalog();
    let mut images: HashMap<String, Vec<u8>> = HashMap::new();
    for i in api.store.article_images(viewer, a.id).await? {
        let bytes = image_bytes(api, &i).await?;
        // The body names images by either address; the PDF finds them by both.
        images.insert(format!("/kb/files/{}", i.id), bytes.clone());
        images.insert(format!("/api/v1/kb/images/{}", i.id), bytes);
    }
    let mut meta = vec![(t.kb_pdf_kind, t.kind(a.kind).to_string())];
    if let Some(c) = &a.category {
        meta.push((t.kb_pdf_category, c.name.clone()));
    }
    meta.push((
        t.kb_pdf_for,
        a.membership_name
            .clone()
            .unwrap_or_else(|| t.kb_scope_global.into()),
    ));
    meta.push((t.kb_updated_on, format::long_date(lang, a.updated_at)));
    let footer = pdf_footer(api, t).await?;
    let (title, summary, body) = (a.title.clone(), a.summary.clone(), a.body.clone());
    tokio::task::spawn_blocking(move || {
        faro_pdf::render_article(&faro_pdf::ArticlePdf {
            lang: lang.code(),
            title: &title,
            summary: Some(summary.as_str()).filter(|s| !s.is_empty()),
            meta,
            body_markdown: &body,
            images,
            footer: &footer,
            page_label: t.kb_pdf_page,
        })
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

/// The line at the foot of every page of a PDF: the portal and its operator.
pub async fn pdf_footer(api: &Api, t: &faro_core::Catalog) -> ApiResult<String> {
    Ok(
        match api.store.setting(crate::runtime::OPERATOR_NAME).await? {
            Some(op) => format!("{} · {op}", t.app_name),
            None => format!("{} · {}", t.app_name, t.tagline),
        },
    )
}

/// A PDF for the browser to show (`name`.pdf when saved), never kept by caches.
pub fn pdf_response(name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/pdf"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}.pdf\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// An article as PDF
///
/// The article typeset for printing or sending, in the caller's language. Browsers use the
/// signed `pdf_url` of the article instead.
#[utoipa::path(
    operation_id = "get_kb_article_pdf",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/articles/{slug}/pdf")]
pub async fn pdf(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let a = readable(&api, &auth, &slug).await?;
    let bytes = article_pdf(&api, &auth.viewer(), auth.lang(), &a).await?;
    Ok(pdf_response(&a.slug, bytes))
}

/// Open a signed address
///
/// The file a signed address names (an article image, an article's PDF, an incident
/// attachment, a download version, a resource's hosted copy), for the person it was made for, while it lasts (10 to 20 minutes) and while
/// they may still read it. No `Authorization` header: the address is the credential. Expired,
/// altered, or out of scope now: 404 `link_invalid` or `not_found`; a withdrawn download version:
/// 410 `version_withdrawn` with the reason. Files (all but PDFs and article images) come with
/// `Content-Length`, an `ETag` (their SHA-256), single byte ranges (`Range`, `If-Range`: 206
/// or 416) and 304 for `If-None-Match`; images and videos show inline, anything else is a
/// download of type `application/octet-stream`. An image attachment's `thumbnail_url` answers
/// a JPEG at most 480 pixels on its longest side (the original when it cannot be read as one).
#[utoipa::path(
    operation_id = "open_signed_file",
    tag = "files",
    params(("ticket" = String, Path, description = "The signed part of the address")),
    responses(
        (status = 200, description = "The file: an image (PNG, JPEG, GIF or WebP), a PDF, a video or any other attachment", content(("image/*"), ("application/pdf"), ("video/*"), ("application/octet-stream"))),
        (status = 206, description = "The part of an attachment the `Range` asked for", content(("image/*"), ("video/*"), ("application/octet-stream"))),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 404, response = crate::openapi::NotFound),
        (status = 410, response = crate::openapi::Withdrawn),
        (status = 416, description = "The `Range` lies outside the file (`Content-Range: bytes */<size>`)")
    )
)]
#[get("/files/{ticket}")]
pub async fn open(
    req: HttpRequest,
    api: web::Data<Api>,
    ticket: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let opened = signed::open(&api.jwt, &ticket)?;
    let principal = api
        .store
        .principal(opened.person)
        .await?
        .filter(|p| p.token_version == opened.version)
        .ok_or_else(ApiError::not_found)?;
    let viewer = principal.viewer();
    match opened.file {
        FileRef::Image(id) => image_response(&api, &viewer, id).await,
        FileRef::ArticlePdf(id) => {
            let a = api
                .store
                .articles_by_ids(&viewer, &[id])
                .await?
                .pop()
                .ok_or_else(ApiError::not_found)?;
            let bytes = article_pdf(&api, &viewer, principal.person.language, &a).await?;
            Ok(pdf_response(&a.slug, bytes))
        }
        FileRef::IncidentPdf(id) => {
            let i = api
                .store
                .incidents_by_ids(&viewer, &[id])
                .await?
                .pop()
                .ok_or_else(ApiError::not_found)?;
            let bytes =
                super::incident_pdf::typeset(&api, &viewer, principal.person.language, &i).await?;
            Ok(pdf_response(&i.number, bytes))
        }
        FileRef::Thumbnail(id) => {
            let a = api.store.incident_attachment(&viewer, id).await?;
            crate::thumbnails::send(&api, &req, &a).await
        }
        FileRef::Version(id) => {
            let (item, v) = api.store.download_version_by_id(&viewer, id).await?;
            super::download_versions::send(&api, &req, &viewer, &item, &v).await
        }
        FileRef::Resource(id) => {
            let r = api.store.resource_by_id(id).await?;
            super::catalogue::send(&api, &req, &r).await
        }
        FileRef::Attachment(id) => {
            let a = api.store.incident_attachment(&viewer, id).await?;
            let inline =
                a.content_type.starts_with("image/") || a.content_type.starts_with("video/");
            crate::sending::send(
                &api,
                &req,
                &a.file,
                inline.then_some(a.content_type.as_str()),
            )
            .await
        }
    }
}
