//! Versions of a download item: staff publish one with its file in a single multipart request
//! (what a build pipeline does with a staff API key), withdraw it with a reason or put it
//! back. Files stream out with `Content-Length`, `ETag`, byte ranges and `If-Range`; a
//! withdrawn version answers 410 with its reason; a download that starts at the first byte is
//! counted.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use faro_core::downloads::{self as core, VersionLabel, parse_notes, parse_reason};
use faro_core::{Invalid, StoreError, Viewer};
use faro_store::NewVersion;
use faro_types::ErrorCode;
use faro_types::downloads::{DownloadVersion, NewVersionForm, NewWithdrawal};
use uuid::Uuid;

use super::downloads::{readable, version};
use super::kb::signer;
use super::kb_edit::staff;
use crate::auth::Auth;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult, Fields, Text};
use crate::server::Api;
use crate::uploads;

/// The fields a version form carries besides its file.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionFields {
    #[serde(default)]
    label: String,
    #[serde(default)]
    notes: String,
}

fn version_id(raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| ApiError::not_found())
}

/// One version of the item at `slug`, if the caller may see the item.
async fn readable_version(
    api: &Api,
    auth: &Auth,
    slug: &str,
    id: &str,
) -> ApiResult<(core::DownloadItem, core::Version)> {
    let id = version_id(id)?;
    let (item, versions) = readable(api, auth, slug).await?;
    let v = versions
        .into_iter()
        .find(|v| v.id == id)
        .ok_or_else(ApiError::not_found)?;
    Ok((item, v))
}

/// The version as the caller sees it now.
async fn version_body(api: &Api, auth: &Auth, slug: &str, id: Uuid) -> ApiResult<DownloadVersion> {
    let (item, v) = readable_version(api, auth, slug, &id.to_string()).await?;
    let mine = api.store.my_downloads(&auth.viewer(), item.id).await?;
    let fetched = mine.iter().find(|m| m.0 == v.id).map(|m| m.1);
    version(&v, &signer(api, auth), fetched)
}

/// Streams a version's file to `viewer`: 410 with the reason when withdrawn, and counted when
/// the download starts at the first byte.
pub async fn send(
    api: &Api,
    req: &HttpRequest,
    viewer: &Viewer,
    item: &core::DownloadItem,
    v: &core::Version,
) -> ApiResult<HttpResponse> {
    if let Some(w) = &v.withdrawn {
        return Err(ApiError::new(
            StatusCode::GONE,
            ErrorCode::VersionWithdrawn,
            Text::Filled(|t| t.api_version_withdrawn, w.reason.clone()),
        ));
    }
    let counted = crate::sending::starts_at_zero(req, &v.file);
    let res = crate::sending::send(api, req, &v.file, None).await?;
    if counted && res.status().is_success() {
        api.store.record_download(viewer, item.id, v.id).await?;
    }
    Ok(res)
}

/// Publish a version
///
/// Staff only, in one `multipart/form-data` request: `label`, `notes` (Markdown, optional) and
/// the `file`, which streams to the file store (at most `FARO_DOWNLOAD_MAX_MB`, 10 GB unless
/// configured). The answer carries the stored size and SHA-256; compare them with what you
/// sent. The highest label not withdrawn becomes current. A label the item already has is
/// 409 `version_exists`; a refused or interrupted upload keeps nothing.
#[utoipa::path(
    operation_id = "publish_download_version",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The item's slug")),
    request_body(content = NewVersionForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Published", body = DownloadVersion),
        (status = 400, description = "The multipart body is malformed", body = faro_types::Problem, content_type = "application/problem+json"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, description = "The body is not `multipart/form-data`", body = faro_types::Problem, content_type = "application/problem+json"),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/downloads/{slug}/versions")]
pub async fn publish(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let item = match staff(&auth) {
        Ok(()) => readable(&api, &auth, &slug).await.map(|(item, _)| item),
        Err(e) => Err(e),
    };
    let item = match item {
        Ok(item) => item,
        Err(e) => return Err(uploads::refuse(payload, e).await),
    };
    if !uploads::is_multipart(&req) {
        return Err(uploads::refuse(payload, uploads::not_multipart()).await);
    }
    let limits = uploads::Limits {
        file_field: "file",
        max_files: 1,
        max_bytes: api.download_max_bytes,
    };
    let (fields, files): (VersionFields, _) =
        uploads::submission(&api, &req, payload, &limits, &["label", "notes"], &[]).await?;
    let mut f = Fields::default();
    let label = f.check("label", VersionLabel::parse(&fields.label));
    let notes = f.check("notes", parse_notes(&fields.notes));
    if files.is_empty() {
        f.check::<()>("file", Err(Invalid::File));
    }
    if let Err(e) = f.finish() {
        uploads::forget_all(&api, &files).await;
        return Err(e);
    }
    let (Some(label), Some(notes), Some(file)) = (label, notes, files.first().cloned()) else {
        uploads::forget_all(&api, &files).await;
        return Err(ApiError::internal("a checked version form lost a field"));
    };
    let new = NewVersion {
        label,
        notes,
        file_id: file.id,
        size: file.size,
        sha256: file.sha256.clone(),
    };
    let published = api
        .store
        .publish_version(
            &auth.viewer(),
            &auth.actor(),
            &auth.principal.person.name,
            item.id,
            &new,
        )
        .await;
    let id = match published {
        Ok(id) => id,
        Err(e) => {
            uploads::forget(&api, &file).await;
            return Err(match e {
                StoreError::Invalid(i) => ApiError::invalid("file", i),
                e => e.into(),
            });
        }
    };
    super::kb::reindex(&api).await;
    let body = version_body(&api, &auth, &item.slug, id).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/api/v1/downloads/{}/versions/{id}", item.slug),
        ))
        .json(body))
}

/// Show a version
#[utoipa::path(
    operation_id = "get_download_version",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The item's slug"),
        ("id" = Uuid, Path, description = "The version's id")
    ),
    responses(
        (status = 200, description = "The version", body = DownloadVersion),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/downloads/{slug}/versions/{id}")]
pub async fn show(
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (slug, id) = path.into_inner();
    let id = version_id(&id)?;
    Ok(HttpResponse::Ok().json(version_body(&api, &auth, &slug, id).await?))
}

/// Download a version's file
///
/// The bytes, as `application/octet-stream` with the file's name, `Content-Length`, an `ETag`
/// (its SHA-256) and single byte ranges (`Range`, `If-Range`: 206 or 416), so an interrupted
/// download resumes (`curl -C -`). A withdrawn version is 410 `version_withdrawn` with the
/// reason. Browsers use the version's signed `url` instead.
#[utoipa::path(
    operation_id = "download_version_file",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The item's slug"),
        ("id" = Uuid, Path, description = "The version's id")
    ),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 206, description = "The part the `Range` asked for", content_type = "application/octet-stream"),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 410, response = crate::openapi::Withdrawn),
        (status = 416, description = "The `Range` lies outside the file (`Content-Range: bytes */<size>`)")
    )
)]
#[get("/downloads/{slug}/versions/{id}/file")]
pub async fn version_file(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (slug, id) = path.into_inner();
    let (item, v) = readable_version(&api, &auth, &slug, &id).await?;
    send(&api, &req, &auth.viewer(), &item, &v).await
}

/// Download the latest version
///
/// The current version's file (the highest label not withdrawn), as for a version's file: a
/// stable address for scripts (`curl -OJ …/latest`). While none is current (nothing published
/// yet, or every version withdrawn) it answers 409 `no_current_version`.
#[utoipa::path(
    operation_id = "download_latest",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The item's slug")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 206, description = "The part the `Range` asked for", content_type = "application/octet-stream"),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::NoCurrentVersion),
        (status = 416, description = "The `Range` lies outside the file (`Content-Range: bytes */<size>`)")
    )
)]
#[get("/downloads/{slug}/latest")]
pub async fn latest(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let (item, versions) = readable(&api, &auth, &slug).await?;
    let v = versions
        .iter()
        .find(|v| v.state == core::VersionState::Current)
        .ok_or_else(|| {
            ApiError::conflict(ErrorCode::NoCurrentVersion, |t| t.api_no_current_version)
        })?;
    send(&api, &req, &auth.viewer(), &item, v).await
}

/// Withdraw a version
///
/// Staff only. Its file then answers 410 with the `reason` to whoever follows its link, and
/// if it was current the next highest label becomes current.
#[utoipa::path(
    operation_id = "withdraw_download_version",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The item's slug"),
        ("id" = Uuid, Path, description = "The version's id")
    ),
    request_body = NewWithdrawal,
    responses(
        (status = 200, description = "Withdrawn; the version as it is now", body = DownloadVersion),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/downloads/{slug}/versions/{id}/withdrawal")]
pub async fn withdraw(
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, String)>,
    Json(body): Json<NewWithdrawal>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let (slug, id) = path.into_inner();
    let (item, v) = readable_version(&api, &auth, &slug, &id).await?;
    let reason = parse_reason(&body.reason).map_err(|e| ApiError::invalid("reason", e))?;
    set_withdrawn(&api, &auth, &item, &v, Some(&reason)).await
}

/// Put a withdrawn version back
///
/// Staff only: it can be downloaded again (and is current again if its label is highest).
#[utoipa::path(
    operation_id = "reinstate_download_version",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The item's slug"),
        ("id" = Uuid, Path, description = "The version's id")
    ),
    responses(
        (status = 200, description = "Back; the version as it is now", body = DownloadVersion),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[delete("/downloads/{slug}/versions/{id}/withdrawal")]
pub async fn reinstate(
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let (slug, id) = path.into_inner();
    let (item, v) = readable_version(&api, &auth, &slug, &id).await?;
    set_withdrawn(&api, &auth, &item, &v, None).await
}

async fn set_withdrawn(
    api: &Api,
    auth: &Auth,
    item: &core::DownloadItem,
    v: &core::Version,
    reason: Option<&str>,
) -> ApiResult<HttpResponse> {
    api.store
        .set_version_withdrawn(&auth.viewer(), &auth.actor(), item.id, v.id, reason)
        .await?;
    super::kb::reindex(api).await;
    Ok(HttpResponse::Ok().json(version_body(api, auth, &item.slug, v.id).await?))
}
