//! `/`: the home page for each role. Staff see the memberships; client people see theirs.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use faro_core::Role;

use crate::AppState;
use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::forms::see_other;
use crate::views::{MemberHomeView, MembershipsView, render};

pub async fn show(State(state): State<AppState>, ctx: Ctx) -> WebResult<Response> {
    let Some(owner) = ctx.owner.clone() else {
        return Ok(see_other("/login", None, ctx.secure));
    };
    let viewer = &owner.viewer;
    if viewer.is_staff() {
        let rows = state.store.list_memberships(viewer).await?;
        return Ok(render(&MembershipsView {
            p: ctx.page(ctx.t.home_title),
            rows,
            can_create: viewer.is_admin(),
            is_home: true,
        }));
    }
    let Some(membership_id) = viewer.membership_id else {
        return Err(WebError::not_found());
    };
    let membership = state.store.membership(viewer, membership_id).await?;
    let first_name = owner
        .person
        .name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    Ok(render(&MemberHomeView {
        p: ctx.page(ctx.t.home_title),
        first_name,
        membership,
        is_coordinator: viewer.role == Role::Coordinator,
    })
    .into_response())
}
