//! The invitation code: rotate it (the old one stops at once) or set when it expires.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use faro_core::format;
use serde::Deserialize;

use crate::AppState;
use crate::context::Admin;
use crate::error::WebResult;
use crate::forms::{see_other, success};
use crate::handlers::parse_id;

pub async fn rotate(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    state
        .store
        .rotate_invitation_code(s.viewer(), &s.ctx.actor(), id)
        .await?;
    Ok(see_other(
        &format!("/memberships/{id}"),
        success(s.ctx.t.memberships_code_rotated),
        s.ctx.secure,
    ))
}

#[derive(Deserialize)]
pub struct ExpiryForm {
    #[serde(default)]
    code_expiry: String,
}

pub async fn expiry(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
    Form(f): Form<ExpiryForm>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    match format::parse_future_day(&f.code_expiry, Utc::now()) {
        Ok(at) => {
            state
                .store
                .set_code_expiry(s.viewer(), &s.ctx.actor(), id, at)
                .await?;
            Ok(see_other(
                &format!("/memberships/{id}"),
                success(s.ctx.t.memberships_code_expiry_saved),
                s.ctx.secure,
            ))
        }
        Err(e) => {
            let m = state.store.membership(s.viewer(), id).await?;
            let value: String = f.code_expiry.chars().take(40).collect();
            super::show::page(&state, &s, m, Some((value, s.ctx.t.invalid(e).into()))).await
        }
    }
}
