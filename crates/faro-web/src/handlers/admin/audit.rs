//! `/admin/audit`: who did what, when and from where. Staff only.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::AppState;
use crate::context::Staff;
use crate::error::WebResult;
use crate::views::{AuditView, render};

const PAGE: u64 = 100;

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Staff(s): Staff,
    Query(q): Query<AuditQuery>,
) -> WebResult<Response> {
    let before = q
        .before
        .as_deref()
        .and_then(|b| DateTime::parse_from_rfc3339(b).ok())
        .map(|d| (d.with_timezone(&Utc), uuid::Uuid::nil()));
    let events = state.store.audit_events(s.viewer(), before, PAGE).await?;
    let older = (events.len() as u64 == PAGE)
        .then(|| {
            events.last().map(|e| {
                let at: String =
                    form_urlencoded::byte_serialize(e.at.to_rfc3339().as_bytes()).collect();
                format!("/admin/audit?before={at}")
            })
        })
        .flatten();
    Ok(render(&AuditView {
        p: s.ctx.page(s.ctx.t.audit_title),
        events,
        older,
    }))
}
