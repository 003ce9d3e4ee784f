//! `/incidents/{number}`: the incident, its files (images as thumbnails, videos in the page),
//! the timeline, and what the viewer may do next. Staff also see internal notes, the SLA, and
//! knowledge-base articles matching the title.

use axum::extract::{Path, State};
use axum::response::Response;
use faro_core::incidents::{Incident, IncidentState};
use faro_store::{Attachment, kind};

use super::priority_choices;
use crate::AppState;
use crate::context::Signed;
use crate::error::WebResult;
use crate::forms::FormErrors;
use crate::views::{EventView, IncidentView, SlaMark, render, render_refused, sla_mark};

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let i = state.store.incident(s.viewer(), &number).await?;
    page(&state, &s, i, String::new(), FormErrors::default()).await
}

/// Ids of documents of `kinds` whose words match the incident's title, best first.
async fn matching(
    state: &AppState,
    s: &Signed,
    i: &Incident,
    kinds: Vec<String>,
) -> Vec<uuid::Uuid> {
    let Some(scope) = crate::handlers::kb::search_scope(s.viewer()) else {
        return Vec::new();
    };
    let mut req = faro_search::SearchRequest::new(i.title.clone(), scope);
    req.kinds = kinds;
    req.limit = 6;
    req.exclude = vec![i.id];
    let index = state.search.clone();
    tokio::task::spawn_blocking(move || index.search(&req))
        .await
        .ok()
        .and_then(Result::ok)
        .map(|found| found.hits.into_iter().map(|h| h.id).collect())
        .unwrap_or_default()
}

/// Resolved or closed incidents like this one (staff triage).
async fn similar_incidents(state: &AppState, s: &Signed, i: &Incident) -> Vec<(String, String)> {
    let ids: Vec<uuid::Uuid> = matching(state, s, i, vec![faro_search::KIND_INCIDENT.to_owned()])
        .await
        .into_iter()
        .filter(|id| *id != i.id)
        .collect();
    let found = state
        .store
        .incidents_by_ids(s.viewer(), &ids)
        .await
        .unwrap_or_default();
    ids.iter()
        .filter_map(|id| found.iter().find(|f| f.id == *id))
        .filter(|f| !f.state.is_open())
        .take(5)
        .map(|f| (f.number.clone(), f.title.clone()))
        .collect()
}

/// Articles whose words match the incident's title (staff triage).
async fn matching_articles(state: &AppState, s: &Signed, i: &Incident) -> Vec<(String, String)> {
    let kinds = faro_core::kb::ArticleKind::ALL
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect();
    let mut ids = matching(state, s, i, kinds).await;
    ids.truncate(5);
    state
        .store
        .article_links(s.viewer(), &ids)
        .await
        .unwrap_or_default()
}

/// The incident page; `comment` and `errors` bring back a refused comment.
pub async fn page(
    state: &AppState,
    s: &Signed,
    i: Incident,
    comment: String,
    errors: FormErrors,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let is_staff = s.viewer().is_staff();
    let (events, attachments) = state.store.timeline(s.viewer(), i.id).await?;
    let following = state.store.is_following(s.viewer(), i.id).await?;
    let staff = if is_staff {
        state
            .store
            .staff(s.viewer(), faro_store::NamePage::ALL)
            .await?
            .into_iter()
            .filter(|p| p.active)
            .map(|p| (p.id, p.name))
            .collect()
    } else {
        Vec::new()
    };
    let opening = events.iter().find(|e| e.kind == kind::OPENED).map(|e| e.id);
    let files_of = |id: Option<uuid::Uuid>| -> Vec<Attachment> {
        attachments
            .iter()
            .filter(|a| a.event_id == id)
            .cloned()
            .collect()
    };
    let opening_files = files_of(opening);
    let events = events
        .into_iter()
        .filter(|e| e.kind != kind::OPENED)
        .map(|e| EventView {
            html: faro_markdown::to_html(&e.body),
            label: e.label(t),
            files: files_of(Some(e.id)),
            e,
        })
        .collect();
    let sla_label = is_staff.then(|| match sla_mark(&i, chrono::Utc::now()) {
        SlaMark::Ok => t.inc_sla_ok,
        SlaMark::DueSoon => t.inc_sla_soon,
        SlaMark::Breached => t.inc_sla_breached,
        SlaMark::Stopped => t.inc_sla_stopped,
    });
    let (articles, similar) = if is_staff {
        (
            matching_articles(state, s, &i).await,
            similar_incidents(state, s, &i).await,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let remote = state.store.remote_requests(s.viewer(), i.id).await?;
    let visits = state.store.visits(s.viewer(), i.id).await?;
    let solution = state.store.solution_of(s.viewer(), &i).await?;
    let refused = !errors.is_empty();
    let view = IncidentView {
        similar,
        remote,
        visits: visits
            .into_iter()
            .map(|v| {
                let html = v.report.as_deref().map(faro_markdown::to_html);
                (v, html)
            })
            .collect(),
        solution,
        escalation: t.escalation(i.escalation),
        p: s.ctx.page(&format!("{} · {}", i.number, i.title)),
        is_staff,
        description_html: faro_markdown::to_html(&i.description),
        opening_files,
        events,
        following,
        comment_action: format!("/incidents/{}/comments?_csrf={}", i.number, s.ctx.csrf),
        comment,
        errors,
        staff_targets: i
            .state
            .staff_targets()
            .iter()
            .map(|s| (s.as_str(), t.incident_state(*s)))
            .collect(),
        priorities: priority_choices(t),
        staff,
        can_close: !is_staff && i.state == IncidentState::Resolved,
        can_reopen: !is_staff && matches!(i.state, IncidentState::Resolved | IncidentState::Closed),
        sla_label,
        max_size: faro_core::format::file_size(t.lang, state.config.attachment_max_bytes),
        articles,
        i,
    };
    Ok(if refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}
