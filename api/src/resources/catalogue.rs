//! The resources catalogue: free tools the support company considers useful and safe, with
//! their official address and optionally a copy hosted by the portal. Every signed-in person
//! reads it; staff add, change, check and remove entries.

use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, delete, get, post, put, web};
use chrono::Utc;
use faro_core::downloads::{
    self as core, VersionLabel, parse_category, parse_notes, parse_web_address,
};
use faro_core::format;
use faro_core::kb::parse_title;
use faro_store::{NewFile, ResourceDraft as Draft};
use faro_types::downloads::{HostedCopy, Resource, ResourceDraft, ResourceForm, ResourceList};

use super::kb::signer;
use super::kb_edit::staff;
use crate::auth::Auth;
use crate::problem::{ApiError, ApiResult, Fields};
use crate::server::Api;
use crate::signed::{FileRef, Signer};
use crate::uploads;

/// What a resource body carries, as JSON or as form fields (a day as `YYYY-MM-DD`, or as
/// people type it here, `dd/mm/aaaa`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    checked_on: Option<String>,
}

const FIELDS: &[&str] = &[
    "name",
    "description",
    "category",
    "url",
    "version",
    "checked_on",
];

async fn readable(api: &Api, slug: &str) -> ApiResult<core::Resource> {
    if slug.len() > 200 {
        return Err(ApiError::not_found());
    }
    Ok(api.store.resource(slug).await?)
}

fn body(r: &core::Resource, sign: &Signer<'_>) -> ApiResult<Resource> {
    let hosted = match &r.file {
        Some(f) => Some(HostedCopy {
            file_name: f.file_name.clone(),
            version: r.file_version.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
            url: sign.url(FileRef::Resource(r.id))?,
        }),
        None => None,
    };
    Ok(Resource {
        id: r.id,
        slug: r.slug.clone(),
        name: r.name.clone(),
        description: r.description.clone(),
        description_html: faro_markdown::to_html(&r.description),
        category: r.category.clone(),
        url: r.url.clone(),
        hosted,
        checked_on: r.verified_on,
        checked_today: r.verified_on == Some(format::today(Utc::now())),
        updated_at: r.updated_at,
    })
}

async fn respond(
    api: &Api,
    auth: &Auth,
    slug: &str,
    mut res: HttpResponseBuilder,
) -> ApiResult<HttpResponse> {
    let r = readable(api, slug).await?;
    Ok(res.json(body(&r, &signer(api, auth))?))
}

fn draft(input: &Input) -> ApiResult<Draft> {
    let mut f = Fields::default();
    let name = f.check("name", parse_title(&input.name));
    let description = f.check("description", parse_notes(&input.description));
    let category = f.check("category", parse_category(&input.category));
    let url = f.check("url", parse_web_address(&input.url));
    let version = match input.version.trim() {
        "" => Some(String::new()),
        v => f
            .check("version", VersionLabel::parse(v))
            .map(|v| v.as_str().to_owned()),
    };
    let checked_on = match input.checked_on.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(day) => f.check("checked_on", format::parse_date(day)).map(Some),
    };
    f.finish()?;
    Ok(Draft {
        name: name.unwrap_or_default(),
        description: description.unwrap_or_default(),
        category: category.unwrap_or_default(),
        url: url.unwrap_or_default(),
        file_version: version.unwrap_or_default(),
        verified_on: checked_on.flatten(),
    })
}

/// Reads a JSON or form body, checks it and saves the resource (`id: None` creates it). The
/// form's file becomes the hosted copy; a refused request keeps nothing.
async fn save(
    api: &Api,
    auth: &Auth,
    req: &HttpRequest,
    payload: web::Payload,
    id: Option<uuid::Uuid>,
) -> ApiResult<String> {
    let limits = uploads::Limits {
        file_field: "file",
        max_files: 1,
        max_bytes: api.download_max_bytes,
    };
    let (input, files): (Input, _) =
        uploads::submission(api, req, payload, &limits, FIELDS, &[]).await?;
    let d = match draft(&input) {
        Ok(d) => d,
        Err(e) => {
            uploads::forget_all(api, &files).await;
            return Err(e);
        }
    };
    let file = files.first().map(|f| NewFile {
        file_id: f.id,
        size: f.size,
        sha256: f.sha256.clone(),
    });
    let saved = api
        .store
        .save_resource(&auth.viewer(), &auth.actor(), id, &d, file.as_ref())
        .await;
    match saved {
        Ok((slug, replaced)) => {
            if let Some(key) = replaced {
                remove_bytes(api, &key).await;
            }
            super::kb::reindex(api).await;
            Ok(slug)
        }
        Err(e) => {
            uploads::forget_all(api, &files).await;
            Err(match e {
                faro_core::StoreError::Invalid(i) => ApiError::invalid("name", i),
                e => e.into(),
            })
        }
    }
}

async fn remove_bytes(api: &Api, key: &str) {
    if let Err(e) = api.files.delete(key).await {
        tracing::warn!(key, error = %e, "bytes of a replaced or removed hosted copy not deleted");
    }
}

/// List the resources
///
/// The whole catalogue, by category then name, for any signed-in person.
#[utoipa::path(
    operation_id = "list_resources",
    tag = "resources",
    security(("access_token" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "The catalogue", body = ResourceList),
        (status = 401, response = crate::openapi::Unauthorized)
    )
)]
#[get("/resources")]
pub async fn list(api: web::Data<Api>, auth: Auth) -> ApiResult<HttpResponse> {
    let sign = signer(&api, &auth);
    let items = api
        .store
        .resources()
        .await?
        .iter()
        .map(|r| body(r, &sign))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(ResourceList { items }))
}

/// Show a resource
#[utoipa::path(
    operation_id = "get_resource",
    tag = "resources",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The resource's slug")),
    responses(
        (status = 200, description = "The resource", body = Resource),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/resources/{slug}")]
pub async fn show(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    respond(&api, &auth, &slug, HttpResponse::Ok()).await
}

/// Add a resource
///
/// Staff only. JSON, or `multipart/form-data` with the same fields and the hosted copy in
/// `file` (optional; at most `FARO_DOWNLOAD_MAX_MB`).
#[utoipa::path(
    operation_id = "create_resource",
    tag = "resources",
    security(("access_token" = []), ("api_key" = [])),
    request_body(content(
        (ResourceDraft = "application/json"),
        (ResourceForm = "multipart/form-data")
    )),
    responses(
        (status = 201, description = "Added; `Location` is its address", body = Resource),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/resources")]
pub async fn create(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    if let Err(e) = staff(&auth) {
        return Err(uploads::refuse(payload, e).await);
    }
    let slug = save(&api, &auth, &req, payload, None).await?;
    let mut res = HttpResponse::Created();
    res.insert_header(("Location", format!("/api/v1/resources/{slug}")));
    respond(&api, &auth, &slug, res).await
}

/// Change a resource
///
/// Staff only, every field at once (as JSON or as a form). A form's `file` replaces the
/// hosted copy; without one the copy stays (`DELETE /resources/{slug}/file` removes it).
#[utoipa::path(
    operation_id = "update_resource",
    tag = "resources",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The resource's slug")),
    request_body(content(
        (ResourceDraft = "application/json"),
        (ResourceForm = "multipart/form-data")
    )),
    responses(
        (status = 200, description = "Saved; the resource as it is now", body = Resource),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/resources/{slug}")]
pub async fn update(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let found = match staff(&auth) {
        Ok(()) => readable(&api, &slug).await,
        Err(e) => Err(e),
    };
    let r = match found {
        Ok(r) => r,
        Err(e) => return Err(uploads::refuse(payload, e).await),
    };
    let slug = save(&api, &auth, &req, payload, Some(r.id)).await?;
    respond(&api, &auth, &slug, HttpResponse::Ok()).await
}

/// Mark a resource as checked today
///
/// Staff only: it was looked at today and is still useful and safe (`checked_on` becomes
/// today in the portal's time zone).
#[utoipa::path(
    operation_id = "check_resource",
    tag = "resources",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The resource's slug")),
    responses(
        (status = 200, description = "Marked", body = Resource),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[post("/resources/{slug}/check")]
pub async fn check(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let r = readable(&api, &slug).await?;
    api.store
        .verify_resource(&auth.viewer(), r.id, format::today(Utc::now()))
        .await?;
    respond(&api, &auth, &r.slug, HttpResponse::Ok()).await
}

/// Remove a resource
///
/// Staff only; its hosted copy goes with it.
#[utoipa::path(
    operation_id = "delete_resource",
    tag = "resources",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The resource's slug")),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[delete("/resources/{slug}")]
pub async fn remove(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let r = readable(&api, &slug).await?;
    let key = api
        .store
        .delete_resource(&auth.viewer(), &auth.actor(), r.id)
        .await?;
    if let Some(key) = key {
        remove_bytes(&api, &key).await;
    }
    super::kb::reindex(&api).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Stop hosting a copy
///
/// Staff only: the hosted copy and its version go; the entry stays with its official address.
#[utoipa::path(
    operation_id = "delete_resource_file",
    tag = "resources",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The resource's slug")),
    responses(
        (status = 200, description = "Removed; the resource as it is now", body = Resource),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[delete("/resources/{slug}/file")]
pub async fn remove_file(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let r = readable(&api, &slug).await?;
    let key = api
        .store
        .remove_resource_file(&auth.viewer(), &auth.actor(), r.id)
        .await?;
    if let Some(key) = key {
        remove_bytes(&api, &key).await;
    }
    respond(&api, &auth, &r.slug, HttpResponse::Ok()).await
}

/// Download the hosted copy
///
/// As for a download version's file (`ETag`, ranges, `If-Range`). 404 when the portal hosts
/// no copy: use the official `url`.
#[utoipa::path(
    operation_id = "download_resource_file",
    tag = "resources",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The resource's slug")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 206, description = "The part the `Range` asked for", content_type = "application/octet-stream"),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 416, description = "The `Range` lies outside the file (`Content-Range: bytes */<size>`)")
    )
)]
#[get("/resources/{slug}/file")]
pub async fn hosted_file(
    req: HttpRequest,
    api: web::Data<Api>,
    _auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let r = readable(&api, &slug).await?;
    send(&api, &req, &r).await
}

/// The hosted copy of `r`, or 404.
pub async fn send(api: &Api, req: &HttpRequest, r: &core::Resource) -> ApiResult<HttpResponse> {
    let f = r.file.as_ref().ok_or_else(ApiError::not_found)?;
    crate::sending::send(api, req, f, None).await
}
