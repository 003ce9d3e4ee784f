//! `/incidents`: a member sees every incident of their membership; staff see one queue across
//! memberships, open ones by due time first, with the due and breached ones marked.

use axum::extract::{Query, State};
use axum::response::Response;
use faro_core::incidents::{IncidentState, Priority};
use faro_store::IncidentFilter;
use serde::Deserialize;

use super::{priority_choices, state_choices};
use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::views::{IncidentRow, IncidentsView, render, sla_mark};

const PAGE: u64 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    page: Option<u64>,
}

/// The incidents whose number is `text`, or whose title, description or public comments match
/// its words (the search index, scoped to what the viewer may see).
async fn matching_ids(state: &AppState, s: &Signed, text: &str) -> WebResult<Vec<uuid::Uuid>> {
    if faro_core::incidents::parse_number(text).is_some() {
        return Ok(match state.store.incident(s.viewer(), text).await {
            Ok(i) => vec![i.id],
            Err(faro_core::StoreError::NotFound) => Vec::new(),
            Err(e) => return Err(e.into()),
        });
    }
    let Some(scope) = crate::handlers::kb::search_scope(s.viewer()) else {
        return Ok(Vec::new());
    };
    let mut req = faro_search::SearchRequest::new(text, scope);
    req.kinds = vec![faro_search::KIND_INCIDENT.to_owned()];
    req.limit = faro_search::MAX_LIMIT;
    let index = state.search.clone();
    let found = tokio::task::spawn_blocking(move || index.search(&req))
        .await
        .map_err(crate::error::WebError::internal)?
        .map_err(crate::error::WebError::internal)?;
    Ok(found.hits.into_iter().map(|h| h.id).collect())
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let is_staff = s.viewer().is_staff();
    let chosen_state = IncidentState::parse(&q.state).ok();
    let priority = Priority::parse(&q.priority).ok();
    let mine = q.mine == "1";
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let text: String = q.q.chars().take(100).collect();
    let ids = if text.trim().is_empty() {
        None
    } else {
        Some(matching_ids(&state, &s, text.trim()).await?)
    };
    // The staff queue shows open incidents by due time unless a state is chosen ("all": every one).
    let filter = IncidentFilter {
        state: chosen_state,
        open_only: is_staff && q.state.is_empty(),
        priority,
        mine: mine && !is_staff,
        assigned_to_me: mine && is_staff,
        ids: ids.clone(),
        membership: None,
        by_due: is_staff && chosen_state.is_none_or(|s| s.is_open()),
        after: None,
        limit: PAGE + 1,
        offset: (page - 1) * PAGE,
    };
    let mut found = if ids.as_ref().is_some_and(Vec::is_empty) {
        Vec::new()
    } else {
        state.store.incidents(s.viewer(), &filter).await?
    };
    let more = found.len() as u64 > PAGE;
    found.truncate(PAGE as usize);
    let now = chrono::Utc::now();
    let rows = found
        .into_iter()
        .map(|i| IncidentRow {
            mark: sla_mark(&i, now),
            i,
        })
        .collect();
    let enc = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let base = format!(
        "/incidents?q={}&state={}&priority={}&mine={}",
        enc(&text),
        enc(&q.state),
        priority.map(|p| p.as_str()).unwrap_or(""),
        if mine { "1" } else { "" }
    );
    Ok(render(&IncidentsView {
        p: s.ctx.page(if is_staff { t.inc_queue } else { t.inc_title }),
        is_staff,
        rows,
        q: text,
        state: chosen_state
            .map(|s| s.as_str().to_owned())
            .unwrap_or_else(|| {
                if q.state == "all" {
                    "all".into()
                } else {
                    String::new()
                }
            }),
        priority: priority.map(|p| p.as_str()).unwrap_or("").into(),
        mine,
        states: state_choices(t),
        priorities: priority_choices(t),
        prev: (page > 1).then(|| format!("{base}&page={}", page - 1)),
        next: more.then(|| format!("{base}&page={}", page + 1)),
    }))
}
