//! Staff publish a version (a streamed upload of any size up to the configured limit), withdraw
//! one with a reason, or put it back.

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use faro_core::downloads::{VersionLabel, parse_notes, parse_reason};
use faro_core::{Catalog, Conflict, Invalid, StoreError};
use faro_store::NewVersion;
use serde::Deserialize;

use crate::AppState;
use crate::context::{Signed, Staff};
use crate::error::{WebError, WebResult};
use crate::forms::{FormErrors, failure, see_other, success};
use crate::handlers::parse_id;
use crate::uploads::{self, UploadError};
use crate::views::VersionFields;

/// `POST /downloads/{slug}/versions` (multipart: `label`, `notes`, `file`).
pub async fn publish(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Multipart,
) -> WebResult<Response> {
    let t = s.ctx.t;
    if !s.viewer().is_staff() {
        return Err(uploads::refuse(form, WebError::not_found()).await);
    }
    let item = match state.store.download_item(s.viewer(), &slug).await {
        Ok((item, _)) => item,
        Err(e) => return Err(uploads::refuse(form, e).await),
    };
    let limit = state.config.download_max_bytes;
    let form = match uploads::receive(&state, &headers, form, "file", 1, limit).await {
        Ok(f) => f,
        Err(UploadError::TooLarge) => {
            let size = faro_core::format::file_size(t.lang, limit);
            let mut errors = FormErrors::default();
            errors.add("file", Catalog::fill(t.file_too_large, &[&size]));
            let mut res =
                super::item::page(&state, &s, &slug, VersionFields::default(), errors).await?;
            *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(res);
        }
        Err(UploadError::Malformed | UploadError::TooMany) => {
            return Err(WebError(crate::error::ErrorKind::BadRequest));
        }
        Err(UploadError::Internal(e)) => return Err(WebError::internal(e)),
    };
    let f = VersionFields {
        label: form.get("label").chars().take(64).collect(),
        notes: form.get("notes").chars().take(50_000).collect(),
    };
    let mut errors = FormErrors::default();
    let label = errors.check("label", t, VersionLabel::parse(form.get("label")));
    let notes = errors.check("notes", t, parse_notes(form.get("notes")));
    if form.file().is_none() {
        errors.add("file", t.invalid(Invalid::File));
    }
    let (Some(label), Some(notes), Some(file), true) =
        (label, notes, form.file().cloned(), errors.is_empty())
    else {
        if let Some(file) = form.file() {
            uploads::forget(&state, file).await;
        }
        return super::item::page(&state, &s, &slug, f, errors).await;
    };
    let version = NewVersion {
        label,
        notes,
        file_id: file.id,
        size: file.size,
        sha256: file.sha256.clone(),
    };
    match state
        .store
        .publish_version(
            s.viewer(),
            &s.ctx.actor(),
            &s.owner.person.name,
            item.id,
            &version,
        )
        .await
    {
        Ok(_) => {
            crate::handlers::kb::reindex_now(&state).await;
            Ok(see_other(
                &format!("/downloads/{}", item.slug),
                success(Catalog::fill(
                    t.dl_version_published,
                    &[version.label.as_str()],
                )),
                s.ctx.secure,
            ))
        }
        Err(e) => {
            uploads::forget(&state, &file).await;
            match e {
                StoreError::Conflict(Conflict::VersionExists) => {
                    errors.add("label", t.dl_version_exists);
                    super::item::page(&state, &s, &slug, f, errors).await
                }
                other => Err(other.into()),
            }
        }
    }
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    reason: String,
}

/// `POST /downloads/{slug}/versions/{id}/withdraw`
pub async fn withdraw(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path((slug, id)): Path<(String, String)>,
    Form(f): Form<WithdrawForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let (item, v) = state
        .store
        .download_version(s.viewer(), &slug, parse_id(&id)?)
        .await?;
    let back = format!("/downloads/{}#v-{}", item.slug, v.id);
    let reason = match parse_reason(&f.reason) {
        Ok(r) => r,
        Err(e) => return Ok(see_other(&back, failure(t.invalid(e)), s.ctx.secure)),
    };
    state
        .store
        .set_version_withdrawn(s.viewer(), &s.ctx.actor(), item.id, v.id, Some(&reason))
        .await?;
    crate::handlers::kb::reindex_now(&state).await;
    Ok(see_other(
        &back,
        success(Catalog::fill(t.dl_version_withdrawn, &[v.label.as_str()])),
        s.ctx.secure,
    ))
}

/// `POST /downloads/{slug}/versions/{id}/reinstate`
pub async fn reinstate(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path((slug, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let (item, v) = state
        .store
        .download_version(s.viewer(), &slug, parse_id(&id)?)
        .await?;
    state
        .store
        .set_version_withdrawn(s.viewer(), &s.ctx.actor(), item.id, v.id, None)
        .await?;
    crate::handlers::kb::reindex_now(&state).await;
    Ok(see_other(
        &format!("/downloads/{}#v-{}", item.slug, v.id),
        success(Catalog::fill(
            s.ctx.t.dl_version_reinstated,
            &[v.label.as_str()],
        )),
        s.ctx.secure,
    ))
}
