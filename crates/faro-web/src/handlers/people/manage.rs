//! A membership's people, managed by its coordinator or by staff: deactivate, reactivate, pass
//! the coordinator role. Someone of another membership is not found.

use axum::extract::{Path, State};
use axum::response::Response;
use faro_core::records::Person;
use faro_core::{Conflict, Role, StoreError};

use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::forms::{failure, see_other, success};
use crate::handlers::parse_id;

fn back_to(s: &Signed, p: &Person) -> String {
    match p.membership_id {
        Some(m) if s.viewer().is_staff() => format!("/memberships/{m}"),
        _ => "/membership".into(),
    }
}

async fn finish(s: &Signed, result: Result<Person, StoreError>, done: &str) -> WebResult<Response> {
    match result {
        Ok(p) => Ok(see_other(&back_to(s, &p), success(done), s.ctx.secure)),
        Err(StoreError::Conflict(Conflict::SelfAction)) => Ok(see_other(
            "/membership",
            failure(s.ctx.t.people_cannot_self),
            s.ctx.secure,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let r = state
        .store
        .set_person_active(s.viewer(), &s.ctx.actor(), id, false)
        .await;
    finish(&s, r, s.ctx.t.people_deactivated).await
}

pub async fn reactivate(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let r = state
        .store
        .set_person_active(s.viewer(), &s.ctx.actor(), id, true)
        .await;
    finish(&s, r, s.ctx.t.people_activated).await
}

pub async fn make_coordinator(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let r = state
        .store
        .pass_coordinator(s.viewer(), &s.ctx.actor(), id)
        .await;
    if r.is_ok() && s.viewer().role == Role::Coordinator {
        // The former coordinator no longer manages people: take them home.
        return Ok(see_other(
            "/",
            success(s.ctx.t.people_coordinator_passed),
            s.ctx.secure,
        ));
    }
    finish(&s, r, s.ctx.t.people_coordinator_passed).await
}
