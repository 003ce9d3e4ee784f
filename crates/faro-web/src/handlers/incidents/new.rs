//! `/incidents/new`: a client person opens an incident with a title, the affected system, the
//! priority (its definition beside each choice), a description and any number of files. While
//! the title is typed, matching articles are suggested (enhancement).

use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use faro_core::Catalog;
use faro_core::incidents::Priority;
use faro_store::{NewAttachment, NewIncident};

use crate::AppState;
use crate::context::Signed;
use crate::error::{ErrorKind, WebError, WebResult};
use crate::forms::{FormErrors, see_other, success};
use crate::uploads::{self, Received, UploadError};
use crate::views::{IncidentFields, IncidentFormView, render, render_refused};

/// Files one form may carry.
pub const MAX_FILES: usize = 20;

/// What the bytes say a file is: images and videos the browser can show; anything else is
/// served as a download.
pub fn content_type(head: &[u8]) -> &'static str {
    faro_core::incidents::attachment_type(head)
}

pub fn attachments(files: &[Received]) -> Vec<NewAttachment> {
    files
        .iter()
        .map(|f| NewAttachment {
            file_id: f.id,
            size: f.size,
            sha256: f.sha256.clone(),
            content_type: content_type(&f.head).to_owned(),
        })
        .collect()
}

fn priorities(t: &Catalog) -> Vec<(&'static str, &'static str, &'static str)> {
    Priority::ALL
        .iter()
        .map(|p| (p.as_str(), t.priority(*p), t.priority_definition(*p)))
        .collect()
}

fn form_view<'a>(
    state: &AppState,
    s: &'a Signed,
    f: IncidentFields,
    errors: FormErrors,
) -> IncidentFormView<'a> {
    IncidentFormView {
        p: s.ctx.page(s.ctx.t.inc_new),
        action: format!("/incidents/new?_csrf={}", s.ctx.csrf),
        f,
        errors,
        priorities: priorities(s.ctx.t),
        max_size: faro_core::format::file_size(s.ctx.t.lang, state.config.attachment_max_bytes),
    }
}

/// Only client people open incidents (staff work them).
fn client(s: &Signed) -> WebResult<()> {
    if s.viewer().membership_id.is_some() && !s.viewer().is_staff() {
        Ok(())
    } else {
        Err(WebError::not_found())
    }
}

pub async fn show(State(state): State<AppState>, s: Signed) -> WebResult<Response> {
    client(&s)?;
    let f = IncidentFields {
        title: String::new(),
        description: String::new(),
        system: String::new(),
        priority: Priority::Medium.as_str().into(),
    };
    Ok(render(&form_view(&state, &s, f, FormErrors::default())))
}

pub async fn submit(
    State(state): State<AppState>,
    s: Signed,
    headers: HeaderMap,
    form: Multipart,
) -> WebResult<Response> {
    if let Err(e) = client(&s) {
        return Err(uploads::refuse(form, e).await);
    }
    let t = s.ctx.t;
    let limit = state.config.attachment_max_bytes;
    let form = match uploads::receive(&state, &headers, form, "files", MAX_FILES, limit).await {
        Ok(f) => f,
        Err(UploadError::TooLarge) => {
            let mut errors = FormErrors::default();
            let size = faro_core::format::file_size(t.lang, limit);
            errors.add("files", Catalog::fill(t.file_too_large, &[&size]));
            let f = IncidentFields {
                title: String::new(),
                description: String::new(),
                system: String::new(),
                priority: Priority::Medium.as_str().into(),
            };
            let mut res = render(&form_view(&state, &s, f, errors));
            *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(res);
        }
        Err(UploadError::TooMany) => {
            let mut errors = FormErrors::default();
            errors.add(
                "files",
                Catalog::fill(t.inc_too_many_files, &[&MAX_FILES.to_string()]),
            );
            let f = IncidentFields {
                title: String::new(),
                description: String::new(),
                system: String::new(),
                priority: Priority::Medium.as_str().into(),
            };
            return Ok(render_refused(&form_view(&state, &s, f, errors)));
        }
        Err(UploadError::Malformed) => return Err(WebError(ErrorKind::BadRequest)),
        Err(UploadError::Internal(e)) => return Err(WebError::internal(e)),
    };
    let fields = IncidentFields {
        title: form.get("title").chars().take(200).collect(),
        description: form.get("description").chars().take(20_000).collect(),
        system: form.get("system").chars().take(120).collect(),
        priority: form.get("priority").chars().take(10).collect(),
    };
    let draft = match NewIncident::parse(
        form.get("title"),
        form.get("description"),
        form.get("system"),
        form.get("priority"),
    ) {
        Ok(d) => d,
        Err(problems) => {
            for f in &form.files {
                uploads::forget(&state, f).await;
            }
            let mut errors = FormErrors::default();
            for (field, e) in problems {
                errors.add(field, t.invalid(e));
            }
            if !form.files.is_empty() {
                errors.add("files", t.inc_files_again);
            }
            return Ok(render_refused(&form_view(&state, &s, fields, errors)));
        }
    };
    let files = attachments(&form.files);
    let st = state.clone();
    let result = state
        .store
        .open_incident(
            s.viewer(),
            &s.owner.person.name,
            &draft,
            &files,
            &state.sla,
            Box::new(move |n| {
                n.recipients
                    .iter()
                    .map(|p| crate::mails::incident_alert(&st, p, n.incident))
                    .collect()
            }),
        )
        .await;
    match result {
        Ok(incident) => {
            (state.mail_queued)();
            crate::handlers::kb::reindex_now(&state).await;
            Ok(see_other(
                &format!("/incidents/{}", incident.number),
                success(Catalog::fill(t.inc_opened, &[&incident.number])),
                s.ctx.secure,
            ))
        }
        Err(e) => {
            for f in &form.files {
                uploads::forget(&state, f).await;
            }
            Err(e.into())
        }
    }
}
