//! `/memberships`: every client membership, for staff.

use axum::extract::State;
use axum::response::Response;

use crate::AppState;
use crate::context::Staff;
use crate::error::WebResult;
use crate::views::{MembershipsView, render};

pub async fn show(State(state): State<AppState>, Staff(s): Staff) -> WebResult<Response> {
    let rows = state
        .store
        .list_memberships(s.viewer(), faro_store::NamePage::ALL)
        .await?;
    Ok(render(&MembershipsView {
        p: s.ctx.page(s.ctx.t.memberships_title),
        rows,
        can_create: s.viewer().is_admin(),
        is_home: false,
    }))
}
