//! What people do on an incident page: comment (with files; staff may write an internal note),
//! follow or unfollow, close or reopen (client people), change state, priority or assignee
//! (staff).

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use faro_core::incidents::{IncidentState, Priority};
use faro_core::{Catalog, Conflict, StoreError};
use serde::Deserialize;

use super::new::{MAX_FILES, attachments};
use super::update_mails;
use crate::AppState;
use crate::context::{Signed, Staff};
use crate::error::{ErrorKind, WebError, WebResult};
use crate::forms::{FormErrors, failure, see_other, success};
use crate::uploads::{self, UploadError};

/// `POST /incidents/{number}/comments` (multipart: `body`, `internal`, `files`).
pub async fn comment(
    State(state): State<AppState>,
    s: Signed,
    Path(number): Path<String>,
    headers: HeaderMap,
    form: Multipart,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = match state.store.incident(s.viewer(), &number).await {
        Ok(i) => i,
        Err(e) => return Err(uploads::refuse(form, e).await),
    };
    let limit = state.config.attachment_max_bytes;
    let form = match uploads::receive(&state, &headers, form, "files", MAX_FILES, limit).await {
        Ok(f) => f,
        Err(UploadError::TooLarge) => {
            let mut errors = FormErrors::default();
            let size = faro_core::format::file_size(t.lang, limit);
            errors.add("files", Catalog::fill(t.file_too_large, &[&size]));
            let mut res = super::show::page(&state, &s, i, String::new(), errors).await?;
            *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(res);
        }
        Err(UploadError::TooMany) => {
            let mut errors = FormErrors::default();
            errors.add(
                "files",
                Catalog::fill(t.inc_too_many_files, &[&MAX_FILES.to_string()]),
            );
            return super::show::page(&state, &s, i, String::new(), errors).await;
        }
        Err(UploadError::Malformed) => return Err(WebError(ErrorKind::BadRequest)),
        Err(UploadError::Internal(e)) => return Err(WebError::internal(e)),
    };
    let internal = form.get("internal") == "1" && s.viewer().is_staff();
    let body: String = form.get("body").to_string();
    let files = attachments(&form.files);
    let who = s.owner.person.name.clone();
    let result = state
        .store
        .comment_incident(
            s.viewer(),
            &who,
            i.id,
            &body,
            internal,
            &files,
            update_mails(
                state.clone(),
                who.clone(),
                |t| t.inc_mail_commented.to_string(),
                body.clone(),
            ),
        )
        .await;
    match result {
        Ok(()) => {
            (state.mail_queued)();
            if !internal {
                crate::handlers::kb::reindex_now(&state).await;
            }
            Ok(see_other(
                &format!("/incidents/{}#timeline", i.number),
                success(if internal {
                    t.inc_note_added
                } else {
                    t.inc_comment_added
                }),
                s.ctx.secure,
            ))
        }
        Err(e) => {
            for f in &form.files {
                uploads::forget(&state, f).await;
            }
            match e {
                StoreError::Invalid(e) => {
                    let mut errors = FormErrors::default();
                    errors.add("body", t.invalid(e));
                    if !form.files.is_empty() {
                        errors.add("files", t.inc_files_again);
                    }
                    let text = body.chars().take(20_000).collect();
                    super::show::page(&state, &s, i, text, errors).await
                }
                other => Err(other.into()),
            }
        }
    }
}

pub async fn follow(
    State(state): State<AppState>,
    s: Signed,
    Path(number): Path<String>,
) -> WebResult<Response> {
    following(state, s, number, true).await
}

pub async fn unfollow(
    State(state): State<AppState>,
    s: Signed,
    Path(number): Path<String>,
) -> WebResult<Response> {
    following(state, s, number, false).await
}

async fn following(state: AppState, s: Signed, number: String, on: bool) -> WebResult<Response> {
    let i = state.store.incident(s.viewer(), &number).await?;
    state.store.set_following(s.viewer(), i.id, on).await?;
    let t = s.ctx.t;
    Ok(see_other(
        &format!("/incidents/{}", i.number),
        success(if on { t.inc_followed } else { t.inc_unfollowed }),
        s.ctx.secure,
    ))
}

#[derive(Deserialize)]
pub struct StateForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    remark: String,
}

/// `POST /incidents/{number}/state`: staff move it along; client people close a resolved
/// incident (confirming the fix) or reopen it.
pub async fn change_state(
    State(state): State<AppState>,
    s: Signed,
    Path(number): Path<String>,
    Form(f): Form<StateForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let back = format!("/incidents/{}", i.number);
    let Ok(to) = IncidentState::parse(&f.to) else {
        return Err(WebError(ErrorKind::BadRequest));
    };
    let remark: String = f.remark.chars().take(2000).collect();
    let who = s.owner.person.name.clone();
    let result = state
        .store
        .change_state(
            s.viewer(),
            &who,
            i.id,
            to,
            &remark,
            &state.sla,
            update_mails(
                state.clone(),
                who.clone(),
                move |t| Catalog::fill(t.inc_mail_state, &[t.incident_state(to)]),
                remark.clone(),
            ),
        )
        .await;
    match result {
        Ok(()) => {
            (state.mail_queued)();
            Ok(see_other(
                &back,
                success(Catalog::fill(t.inc_state_changed, &[t.incident_state(to)])),
                s.ctx.secure,
            ))
        }
        Err(StoreError::Conflict(Conflict::NotAllowedNow)) => {
            Ok(see_other(&back, failure(t.inc_not_allowed), s.ctx.secure))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PriorityForm {
    #[serde(default)]
    priority: String,
}

pub async fn change_priority(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(number): Path<String>,
    Form(f): Form<PriorityForm>,
) -> WebResult<Response> {
    let i = state.store.incident(s.viewer(), &number).await?;
    let Ok(p) = Priority::parse(&f.priority) else {
        return Err(WebError(ErrorKind::BadRequest));
    };
    let who = s.owner.person.name.clone();
    state
        .store
        .change_priority(
            s.viewer(),
            &who,
            i.id,
            p,
            &state.sla,
            update_mails(
                state.clone(),
                who.clone(),
                move |t| Catalog::fill(t.inc_mail_priority, &[t.priority(p)]),
                String::new(),
            ),
        )
        .await?;
    (state.mail_queued)();
    Ok(see_other(
        &format!("/incidents/{}", i.number),
        success(Catalog::fill(
            s.ctx.t.inc_priority_changed,
            &[s.ctx.t.priority(p)],
        )),
        s.ctx.secure,
    ))
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    assignee: String,
}

pub async fn assign(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(number): Path<String>,
    Form(f): Form<AssignForm>,
) -> WebResult<Response> {
    let i = state.store.incident(s.viewer(), &number).await?;
    let assignee = match f.assignee.trim() {
        "" => None,
        id => Some(uuid::Uuid::parse_str(id).map_err(|_| WebError(ErrorKind::BadRequest))?),
    };
    let back = format!("/incidents/{}", i.number);
    match state
        .store
        .assign_incident(s.viewer(), &s.owner.person.name, i.id, assignee)
        .await
    {
        Ok(()) => Ok(see_other(
            &back,
            success(s.ctx.t.inc_assigned),
            s.ctx.secure,
        )),
        Err(StoreError::Invalid(e)) => {
            Ok(see_other(&back, failure(s.ctx.t.invalid(e)), s.ctx.secure))
        }
        Err(e) => Err(e.into()),
    }
}
