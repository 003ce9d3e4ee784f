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
        let rows = state
            .store
            .list_memberships(viewer, faro_store::NamePage::ALL)
            .await?;
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
    let open_incidents = state
        .store
        .incidents(
            viewer,
            &faro_store::IncidentFilter {
                open_only: true,
                limit: 5,
                ..Default::default()
            },
        )
        .await?;
    let mut downloads: Vec<_> = state
        .store
        .download_items(viewer, None)
        .await?
        .into_iter()
        .filter_map(|i| {
            let (label, at) = i.current.clone()?;
            Some((i.slug, i.title, label, at))
        })
        .collect();
    downloads.sort_by_key(|d| std::cmp::Reverse(d.3));
    downloads.truncate(3);
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
        open_incidents,
        downloads,
    })
    .into_response())
}
