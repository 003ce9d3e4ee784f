//! Activating a membership (which e-mails the code to its coordinator) and deactivating it.

use axum::extract::{Path, State};
use axum::response::Response;
use faro_core::{Conflict, StoreError};

use crate::context::Admin;
use crate::error::WebResult;
use crate::forms::{failure, see_other, success};
use crate::handlers::parse_id;
use crate::{AppState, mails};

pub async fn activate(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let to = format!("/memberships/{id}");
    let t = s.ctx.t;
    match state
        .store
        .activate_membership(s.viewer(), &s.ctx.actor(), id, {
            let state = state.clone();
            move |m, to| mails::membership_activated(&state, m, to)
        })
        .await
    {
        Ok(_) => {
            (state.mail_queued)();
            Ok(see_other(
                &to,
                success(t.memberships_activated),
                s.ctx.secure,
            ))
        }
        Err(StoreError::Conflict(Conflict::NeedsCoordinatorEmail)) => Ok(see_other(
            &to,
            failure(t.memberships_activation_needs_email),
            s.ctx.secure,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    state
        .store
        .deactivate_membership(s.viewer(), &s.ctx.actor(), id)
        .await?;
    Ok(see_other(
        &format!("/memberships/{id}"),
        success(s.ctx.t.memberships_deactivated),
        s.ctx.secure,
    ))
}
