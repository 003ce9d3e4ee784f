//! `/memberships/{id}`: one membership for staff (code, state, people); `/membership`: a
//! coordinator's own membership and its people.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use faro_core::records::Membership;
use faro_core::{Role, format};

use crate::context::{Signed, Staff};
use crate::error::{WebError, WebResult};
use crate::forms::see_other;
use crate::handlers::parse_id;
use crate::views::{MembershipView, render, render_refused};
use crate::{AppState, mails};

pub(crate) async fn page(
    state: &AppState,
    s: &Signed,
    m: Membership,
    expiry: Option<(String, String)>,
) -> WebResult<Response> {
    let people = state
        .store
        .people_of(s.viewer(), m.id, faro_store::NamePage::ALL)
        .await?;
    let refused = expiry.is_some();
    let (expiry_value, expiry_error) = match expiry {
        Some((value, error)) => (value, Some(error)),
        None => (
            m.code_expires_at
                .map(format::expiry_day)
                .unwrap_or_default(),
            None,
        ),
    };
    let view = MembershipView {
        p: s.ctx.page(&m.name),
        code: m.invitation_code.display(),
        join_link: mails::join_link(state, &m),
        code_expired: m.code_expires_at.is_some_and(|at| at <= Utc::now()),
        people,
        is_admin: s.viewer().is_admin(),
        me: s.viewer().user_id,
        expiry_value,
        expiry_error,
        m,
    };
    Ok(if refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}

pub async fn show(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let m = state.store.membership(s.viewer(), parse_id(&id)?).await?;
    page(&state, &s, m, None).await
}

pub async fn mine(State(state): State<AppState>, s: Signed) -> WebResult<Response> {
    if s.viewer().is_staff() {
        return Ok(see_other("/memberships", None, s.ctx.secure));
    }
    if s.viewer().role != Role::Coordinator {
        return Err(WebError::forbidden());
    }
    let id = s.viewer().membership_id.ok_or_else(WebError::not_found)?;
    let m = state.store.membership(s.viewer(), id).await?;
    page(&state, &s, m, None).await
}
