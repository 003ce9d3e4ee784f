//! Downloads: documents, templates and software that staff publish to every client or to
//! chosen memberships. A client sees an item published to them once it has a version; any
//! other item is a 404, as if it did not exist. Staff see and manage everything, and see who
//! has fetched what.

use actix_web::{HttpResponse, HttpResponseBuilder, get, post, put, web};
use chrono::{DateTime, Utc};
use faro_core::downloads::{self as core, parse_category, parse_notes};
use faro_core::kb::parse_title;
use faro_core::{Invalid, StoreError};
use faro_types::accounts::MembershipRef;
use faro_types::downloads::{
    CurrentVersion, DownloadDraft, DownloadItem, DownloadKind, DownloadList, DownloadQuery,
    DownloadStats, DownloadSummary, DownloadVersion, MissingPeople, VersionCount, VersionState,
    Withdrawal,
};

use super::kb::signer;
use super::kb_edit::staff;
use crate::auth::Auth;
use crate::extract::{Json, Query};
use crate::problem::{ApiError, ApiResult, Fields};
use crate::server::Api;
use crate::signed::{FileRef, Signer};

/// The item at `slug` with its versions (newest first), if the caller may see it.
pub async fn readable(
    api: &Api,
    auth: &Auth,
    slug: &str,
) -> ApiResult<(core::DownloadItem, Vec<core::Version>)> {
    if slug.len() > 200 {
        return Err(ApiError::not_found());
    }
    Ok(api.store.download_item(&auth.viewer(), slug).await?)
}

pub fn kind(k: core::DownloadKind) -> DownloadKind {
    match k {
        core::DownloadKind::Document => DownloadKind::Document,
        core::DownloadKind::Template => DownloadKind::Template,
        core::DownloadKind::Software => DownloadKind::Software,
    }
}

fn kind_in(k: DownloadKind) -> core::DownloadKind {
    match k {
        DownloadKind::Document => core::DownloadKind::Document,
        DownloadKind::Template => core::DownloadKind::Template,
        DownloadKind::Software => core::DownloadKind::Software,
    }
}

fn state(s: core::VersionState) -> VersionState {
    match s {
        core::VersionState::Current => VersionState::Current,
        core::VersionState::Superseded => VersionState::Superseded,
        core::VersionState::Withdrawn => VersionState::Withdrawn,
    }
}

/// An item for a list; `last_visit` decides whether it is new to the caller.
fn summary(
    i: &core::DownloadItem,
    staff: bool,
    last_visit: Option<DateTime<Utc>>,
) -> DownloadSummary {
    DownloadSummary {
        id: i.id,
        slug: i.slug.clone(),
        kind: kind(i.kind),
        title: i.title.clone(),
        category: i.category.clone(),
        all_clients: i.all_clients,
        memberships: if staff {
            i.memberships
                .iter()
                .map(|(id, name)| MembershipRef {
                    id: *id,
                    name: name.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
        current: i.current.as_ref().map(|(label, at)| CurrentVersion {
            label: label.clone(),
            published_at: *at,
        }),
        new: match (last_visit, &i.current) {
            (Some(seen), Some((_, published))) => *published > seen,
            _ => false,
        },
        updated_at: i.updated_at,
    }
}

/// A version as the caller sees it: its signed address unless withdrawn, and when they last
/// fetched it.
pub fn version(
    v: &core::Version,
    sign: &Signer<'_>,
    fetched_at: Option<DateTime<Utc>>,
) -> ApiResult<DownloadVersion> {
    Ok(DownloadVersion {
        id: v.id,
        label: v.label.as_str().to_owned(),
        notes: v.notes.clone(),
        notes_html: faro_markdown::to_html(&v.notes),
        state: state(v.state),
        file_name: v.file.file_name.clone(),
        size: v.file.size,
        sha256: v.file.sha256.clone(),
        published_by: v.published_by.clone(),
        published_at: v.published_at,
        withdrawal: v.withdrawn.as_ref().map(|w| Withdrawal {
            reason: w.reason.clone(),
            at: w.at,
        }),
        url: match v.withdrawn {
            Some(_) => None,
            None => Some(sign.url(FileRef::Version(v.id))?),
        },
        fetched_at,
    })
}

/// The whole item for the caller.
pub async fn item_body(
    api: &Api,
    auth: &Auth,
    item: &core::DownloadItem,
    versions: &[core::Version],
) -> ApiResult<DownloadItem> {
    let viewer = auth.viewer();
    let mine = api.store.my_downloads(&viewer, item.id).await?;
    let sign = signer(api, auth);
    let versions = versions
        .iter()
        .map(|v| {
            let fetched = mine.iter().find(|m| m.0 == v.id).map(|m| m.1);
            version(v, &sign, fetched)
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let latest_url = versions
        .iter()
        .find(|v| v.state == VersionState::Current)
        .and_then(|v| v.url.clone());
    let last_visit = if viewer.is_staff() {
        None
    } else {
        api.store.downloads_last_visit(&viewer).await?
    };
    Ok(DownloadItem {
        summary: summary(item, viewer.is_staff(), last_visit),
        description: item.description.clone(),
        description_html: faro_markdown::to_html(&item.description),
        created_at: item.created_at,
        versions,
        latest_url,
    })
}

async fn respond(
    api: &Api,
    auth: &Auth,
    slug: &str,
    mut res: HttpResponseBuilder,
) -> ApiResult<HttpResponse> {
    let (item, versions) = readable(api, auth, slug).await?;
    let body = item_body(api, auth, &item, &versions).await?;
    Ok(res.json(body))
}

/// Checks every field of `input`, naming each refused one.
fn draft(input: DownloadDraft) -> ApiResult<faro_store::DownloadDraft> {
    let mut f = Fields::default();
    let title = f.check("title", parse_title(&input.title));
    let description = f.check("description", parse_notes(&input.description));
    let category = f.check("category", parse_category(&input.category));
    if !input.all_clients && input.memberships.is_empty() {
        f.check::<()>("memberships", Err(Invalid::Audience));
    }
    f.finish()?;
    Ok(faro_store::DownloadDraft {
        kind: kind_in(input.kind),
        title: title.unwrap_or_default(),
        description: description.unwrap_or_default(),
        category: category.unwrap_or_default(),
        all_clients: input.all_clients,
        memberships: if input.all_clients {
            Vec::new()
        } else {
            input.memberships
        },
    })
}

/// An unknown membership in the audience is refused on its field.
fn audience_refused(e: StoreError) -> ApiError {
    match e {
        StoreError::Invalid(Invalid::Audience) => {
            ApiError::invalid("memberships", Invalid::Audience)
        }
        StoreError::Invalid(i) => ApiError::invalid("title", i),
        e => e.into(),
    }
}

/// List downloads
///
/// What is published to the caller (every item for staff), by category then title. Clients
/// see an item once it has a version; `new` marks those whose current version came out after
/// the caller last called `POST /me/downloads-visit`.
#[utoipa::path(
    operation_id = "list_downloads",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(DownloadQuery),
    responses(
        (status = 200, description = "The list", body = DownloadList),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/downloads")]
pub async fn list(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<DownloadQuery>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer();
    let items = api
        .store
        .download_items(&viewer, q.kind.map(kind_in))
        .await?;
    let last_visit = if viewer.is_staff() {
        None
    } else {
        api.store.downloads_last_visit(&viewer).await?
    };
    let category = q.category.as_deref().map(str::trim);
    let items: Vec<DownloadSummary> = items
        .iter()
        .filter(|i| category.is_none_or(|c| i.category == c))
        .map(|i| summary(i, viewer.is_staff(), last_visit))
        .collect();
    let new_count = items.iter().filter(|i| i.new).count() as u32;
    Ok(HttpResponse::Ok().json(DownloadList {
        items,
        last_visit,
        new_count,
    }))
}

/// Mark the downloads as seen
///
/// From now on `new` is measured from this moment (the portal calls it when the list has been
/// shown). Answers the previous last visit.
#[utoipa::path(
    operation_id = "mark_downloads_seen",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Marked; the visit before this one (null: the first)", body = Option<DateTime<Utc>>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden)
    )
)]
#[post("/me/downloads-visit")]
pub async fn visit(api: web::Data<Api>, auth: Auth) -> ApiResult<HttpResponse> {
    let previous = api.store.touch_downloads_visit(&auth.viewer()).await?;
    Ok(HttpResponse::Ok().json(previous))
}

/// Create a download item
///
/// Staff only. The item is empty until its first version is published
/// (`POST /downloads/{slug}/versions`); clients do not see it before that.
#[utoipa::path(
    operation_id = "create_download",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    request_body = DownloadDraft,
    responses(
        (status = 201, description = "Created; `Location` is its address", body = DownloadItem),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/downloads")]
pub async fn create(
    api: web::Data<Api>,
    auth: Auth,
    Json(body): Json<DownloadDraft>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let d = draft(body)?;
    let slug = api
        .store
        .create_download_item(&auth.viewer(), &auth.actor(), &d)
        .await
        .map_err(audience_refused)?;
    super::kb::reindex(&api).await;
    let mut res = HttpResponse::Created();
    res.insert_header(("Location", format!("/api/v1/downloads/{slug}")));
    respond(&api, &auth, &slug, res).await
}

/// Show a download item
///
/// The item with its versions newest first: label, release notes, state (`current` is what
/// `latest` serves), size, SHA-256, publisher and date, the signed address of each file, and
/// when the caller last fetched each version.
#[utoipa::path(
    operation_id = "get_download",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The item's slug")),
    responses(
        (status = 200, description = "The item", body = DownloadItem),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/downloads/{slug}")]
pub async fn show(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    respond(&api, &auth, &slug, HttpResponse::Ok()).await
}

/// Change a download item
///
/// Staff only: kind, title, description, category and audience, all at once.
#[utoipa::path(
    operation_id = "update_download",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The item's slug")),
    request_body = DownloadDraft,
    responses(
        (status = 200, description = "Saved; the item as it is now", body = DownloadItem),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/downloads/{slug}")]
pub async fn update(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    Json(body): Json<DownloadDraft>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let (item, _) = readable(&api, &auth, &slug).await?;
    let d = draft(body)?;
    api.store
        .update_download_item(&auth.viewer(), &auth.actor(), item.id, &d)
        .await
        .map_err(audience_refused)?;
    super::kb::reindex(&api).await;
    respond(&api, &auth, &item.slug, HttpResponse::Ok()).await
}

/// Who fetched what
///
/// Staff only: downloads per version (those that started at the first byte) and different
/// people, and per membership of the audience the active people who have not downloaded the
/// current version yet.
#[utoipa::path(
    operation_id = "get_download_stats",
    tag = "downloads",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The item's slug")),
    responses(
        (status = 200, description = "The counts", body = DownloadStats),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/downloads/{slug}/stats")]
pub async fn stats(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let (item, versions) = readable(&api, &auth, &slug).await?;
    let s = api
        .store
        .download_stats(&auth.viewer(), &item, &versions)
        .await?;
    Ok(HttpResponse::Ok().json(DownloadStats {
        total: s.total,
        versions: s
            .versions
            .into_iter()
            .map(|(id, label, downloads, people)| VersionCount {
                id,
                label,
                downloads,
                people,
            })
            .collect(),
        missing_current: s
            .missing_current
            .into_iter()
            .map(|(id, name, people)| MissingPeople {
                membership: MembershipRef { id, name },
                people,
            })
            .collect(),
    }))
}
