//! Staff add and edit catalogue entries (multipart: the hosted copy is optional and streams in),
//! mark them verified today, or remove them.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use faro_core::downloads::{
    Resource, VersionLabel, parse_category, parse_notes, parse_web_address,
};
use faro_core::kb::parse_title;
use faro_core::{Catalog, format};
use faro_store::{NewFile, ResourceDraft};
use uuid::Uuid;

use crate::AppState;
use crate::context::{Signed, Staff};
use crate::error::{ErrorKind, WebError, WebResult};
use crate::forms::{FormErrors, see_other, success};
use crate::uploads::{self, UploadError, UploadForm};
use crate::views::{ResourceFields, ResourceFormView, render, render_refused};

fn fields_of(r: &Resource) -> ResourceFields {
    ResourceFields {
        name: r.name.clone(),
        category: r.category.clone(),
        url: r.url.clone(),
        description: r.description.clone(),
        file_version: r.file_version.clone(),
        verified_on: r.verified_on.map(format::day).unwrap_or_default(),
        has_file: r.file.as_ref().map(|f| f.file_name.clone()),
    }
}

fn fields_from(form: &UploadForm, has_file: Option<String>) -> ResourceFields {
    let take = |name: &str, n: usize| form.get(name).chars().take(n).collect::<String>();
    ResourceFields {
        name: take("name", 200),
        category: take("category", 80),
        url: take("url", 2000),
        description: take("description", 50_000),
        file_version: take("file_version", 64),
        verified_on: take("verified_on", 20),
        has_file,
    }
}

fn parse(t: &Catalog, form: &UploadForm, errors: &mut FormErrors) -> Option<ResourceDraft> {
    let name = errors.check("name", t, parse_title(form.get("name")));
    let category = errors.check("category", t, parse_category(form.get("category")));
    let url = errors.check("url", t, parse_web_address(form.get("url")));
    let description = errors.check("description", t, parse_notes(form.get("description")));
    let raw_version = form.get("file_version").trim();
    let file_version = if raw_version.is_empty() {
        Some(String::new())
    } else {
        errors
            .check("file_version", t, VersionLabel::parse(raw_version))
            .map(|v| v.as_str().to_owned())
    };
    let raw_day = form.get("verified_on").trim();
    let verified_on = if raw_day.is_empty() {
        Some(None)
    } else {
        errors
            .check("verified_on", t, format::parse_date(raw_day))
            .map(Some)
    };
    Some(ResourceDraft {
        name: name?,
        category: category?,
        url: url?,
        description: description?,
        file_version: file_version?,
        verified_on: verified_on?,
    })
    .filter(|_| errors.is_empty())
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    s: &Staff,
    title: &str,
    action: String,
    cancel: String,
    f: ResourceFields,
    errors: FormErrors,
    status: Option<StatusCode>,
) -> WebResult<Response> {
    let Staff(s) = s;
    let mut categories: Vec<String> = state
        .store
        .resources()
        .await?
        .into_iter()
        .map(|r| r.category)
        .filter(|c| !c.is_empty())
        .collect();
    categories.sort();
    categories.dedup();
    let refused = !errors.is_empty();
    let view = ResourceFormView {
        p: s.ctx.page(title),
        action: format!("{action}?_csrf={}", s.ctx.csrf),
        cancel,
        f,
        errors,
        categories,
        max_size: format::file_size(s.ctx.t.lang, state.config.download_max_bytes),
    };
    let mut res = if refused {
        render_refused(&view)
    } else {
        render(&view)
    };
    if let Some(status) = status {
        *res.status_mut() = status;
    }
    Ok(res)
}

pub async fn new(State(state): State<AppState>, s: Staff) -> WebResult<Response> {
    let f = ResourceFields {
        name: String::new(),
        category: String::new(),
        url: "https://".into(),
        description: String::new(),
        file_version: String::new(),
        verified_on: format::day(format::today(chrono::Utc::now())),
        has_file: None,
    };
    let title = s.0.ctx.t.res_new;
    form_page(
        &state,
        &s,
        title,
        "/resources/new".into(),
        "/resources".into(),
        f,
        FormErrors::default(),
        None,
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    s: Signed,
    headers: HeaderMap,
    form: Multipart,
) -> WebResult<Response> {
    if !s.viewer().is_staff() {
        return Err(uploads::refuse(form, WebError::not_found()).await);
    }
    save(state, Staff(s), headers, form, None).await
}

pub async fn edit(
    State(state): State<AppState>,
    s: Staff,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let r = state.store.resource(&slug).await?;
    let title = format!("{} · {}", s.0.ctx.t.dl_edit, r.name);
    form_page(
        &state,
        &s,
        &title,
        format!("/resources/{}/edit", r.slug),
        format!("/resources/{}", r.slug),
        fields_of(&r),
        FormErrors::default(),
        None,
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    s: Signed,
    Path(slug): Path<String>,
    headers: HeaderMap,
    form: Multipart,
) -> WebResult<Response> {
    if !s.viewer().is_staff() {
        return Err(uploads::refuse(form, WebError::not_found()).await);
    }
    let r = match state.store.resource(&slug).await {
        Ok(r) => r,
        Err(e) => return Err(uploads::refuse(form, e).await),
    };
    save(state, Staff(s), headers, form, Some(r)).await
}

async fn save(
    state: AppState,
    s: Staff,
    headers: HeaderMap,
    form: Multipart,
    existing: Option<Resource>,
) -> WebResult<Response> {
    let t = s.0.ctx.t;
    let (title, action, cancel, has_file, id): (
        String,
        String,
        String,
        Option<String>,
        Option<Uuid>,
    ) = match &existing {
        Some(r) => (
            format!("{} · {}", t.dl_edit, r.name),
            format!("/resources/{}/edit", r.slug),
            format!("/resources/{}", r.slug),
            r.file.as_ref().map(|f| f.file_name.clone()),
            Some(r.id),
        ),
        None => (
            t.res_new.to_string(),
            "/resources/new".into(),
            "/resources".into(),
            None,
            None,
        ),
    };
    let limit = state.config.download_max_bytes;
    let form = match uploads::receive(&state, &headers, form, "file", 1, limit).await {
        Ok(f) => f,
        Err(UploadError::TooLarge) => {
            let mut errors = FormErrors::default();
            let size = format::file_size(t.lang, limit);
            errors.add("file", Catalog::fill(t.file_too_large, &[&size]));
            let f = existing.as_ref().map(fields_of).unwrap_or(ResourceFields {
                name: String::new(),
                category: String::new(),
                url: String::new(),
                description: String::new(),
                file_version: String::new(),
                verified_on: String::new(),
                has_file: None,
            });
            return form_page(
                &state,
                &s,
                &title,
                action,
                cancel,
                f,
                errors,
                Some(StatusCode::PAYLOAD_TOO_LARGE),
            )
            .await;
        }
        Err(UploadError::Malformed | UploadError::TooMany) => {
            return Err(WebError(ErrorKind::BadRequest));
        }
        Err(UploadError::Internal(e)) => return Err(WebError::internal(e)),
    };
    let mut errors = FormErrors::default();
    let Some(draft) = parse(t, &form, &mut errors) else {
        if let Some(file) = form.file() {
            uploads::forget(&state, file).await;
        }
        let f = fields_from(&form, has_file);
        return form_page(&state, &s, &title, action, cancel, f, errors, None).await;
    };
    let new_file = form.file().map(|f| NewFile {
        file_id: f.id,
        size: f.size,
        sha256: f.sha256.clone(),
    });
    match state
        .store
        .save_resource(
            s.0.viewer(),
            &s.0.ctx.actor(),
            id,
            &draft,
            new_file.as_ref(),
        )
        .await
    {
        Ok((slug, replaced)) => {
            if let Some(key) = replaced
                && let Err(e) = state.files.delete(&key).await
            {
                tracing::warn!(key, error = %e, "replaced file not removed");
            }
            crate::handlers::kb::reindex_now(&state).await;
            Ok(see_other(
                &format!("/resources/{slug}"),
                success(t.dl_saved),
                s.0.ctx.secure,
            ))
        }
        Err(e) => {
            if let Some(file) = form.file() {
                uploads::forget(&state, file).await;
            }
            Err(e.into())
        }
    }
}

/// `POST /resources/{slug}/verify`: checked today and still good.
pub async fn verify(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let r = state.store.resource(&slug).await?;
    let today = format::today(chrono::Utc::now());
    state.store.verify_resource(s.viewer(), r.id, today).await?;
    Ok(see_other(
        &format!("/resources/{}", r.slug),
        success(Catalog::fill(s.ctx.t.res_verified, &[&format::day(today)])),
        s.ctx.secure,
    ))
}

/// `POST /resources/{slug}/delete`
pub async fn delete(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let r = state.store.resource(&slug).await?;
    let key = state
        .store
        .delete_resource(s.viewer(), &s.ctx.actor(), r.id)
        .await?;
    if let Some(key) = key
        && let Err(e) = state.files.delete(&key).await
    {
        tracing::warn!(key, error = %e, "file of a deleted resource not removed");
    }
    crate::handlers::kb::reindex_now(&state).await;
    Ok(see_other(
        "/resources",
        success(s.ctx.t.res_deleted),
        s.ctx.secure,
    ))
}
