//! One incident: its facts, description and files (images as thumbnails, videos in the page),
//! the remote-connection requests with the consent card, the visits, the timeline (internal
//! notes visibly apart, staff only), the reply box with files, follow, the PDF, and the
//! client's closing or reopening. Staff get their panel (`incident_staff`) beside it.

use faro_types::incidents::{
    EntryKind, Incident, IncidentAttachment, IncidentState, RemoteAnswer, RemoteRequest,
    RemoteState, StateChange, TimelineEntry, Visit,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use reqwest::Method;

use super::incident_staff::StaffPanel;
use super::incidents::{
    PriorityBadge, SlaBadge, StateBadge, code_label, escalation_label, incident_path, is_staff,
};
use crate::api::{ApiError, session};
use crate::components::{Check, LoadFailed, Loading, confirm, field_error};
use crate::files::{Chosen, FilePicker, save_as};
use crate::i18n::{date_time, file_size, t};
use crate::upload::{Part, send_form};

/// What a change to the incident hands back: the incident as it is now.
pub type Changed = Callback<Incident>;

#[component]
pub fn IncidentPage() -> impl IntoView {
    let params = use_params_map();
    let number = Memo::new(move |_| params.with(|p| p.get("number").unwrap_or_default()));
    let s = session();
    let loaded = LocalResource::new(move || {
        let path = incident_path(&number.get());
        async move { s.get::<Incident>(&path).await }
    });
    // The incident as last answered by the API: read once, then replaced by each change's answer.
    let current = RwSignal::new(None::<Incident>);
    Effect::new(move |_| {
        if let Some(Ok(i)) = loaded.get() {
            current.set(Some(i));
        }
    });
    let changed = Callback::new(move |i: Incident| current.set(Some(i)));
    view! {
        <p class="no-print"><A href="/incidents">{move || t().incidents}</A></p>
        // `current` may still hold the incident of the previous address until the new one comes.
        {move || match (current.get().filter(|i| i.summary.number == number.get()), loaded.get()) {
            (Some(i), _) => view! { <Whole i=i changed=changed/> }.into_any(),
            (None, Some(Err(e))) => view! { <LoadFailed error=e retry=Callback::new(move |_| loaded.refetch())/> }.into_any(),
            _ => view! { <Loading/> }.into_any(),
        }}
    }
}

#[component]
fn Whole(i: Incident, changed: Changed) -> impl IntoView {
    let staff = is_staff(session());
    let opening = i
        .timeline
        .iter()
        .find(|e| e.kind == EntryKind::Opened)
        .map(|e| e.attachments.clone())
        .unwrap_or_default();
    let later: Vec<TimelineEntry> = i
        .timeline
        .iter()
        .filter(|e| e.kind != EntryKind::Opened)
        .cloned()
        .collect();
    let number = i.summary.number.clone();
    view! {
        <div class:with-panel=staff>
            <article class="incident">
                <Facts i=i.clone() changed=changed/>
                <section aria-labelledby="inc-desc-h">
                    <h2 id="inc-desc-h" class="visually-hidden">{move || t().inc_description}</h2>
                    // Sanitised by the server (faro-markdown).
                    <div class="prose" inner_html=i.description_html.clone()></div>
                    <Attachments files=opening/>
                </section>
                {i.solution.clone().map(|sol| view! {
                    <p class="solution"><strong>{move || t().inc_solution}": "</strong>
                        <A href=format!("/kb/{}", sol.slug)>{sol.title.clone()}</A></p>
                })}
                <RemoteRequests number=number.clone() list=i.remote_requests.clone() changed=changed/>
                <Visits number=number.clone() list=i.visits.clone()/>
                <section aria-labelledby="inc-timeline-h">
                    <h2 id="inc-timeline-h">{move || t().inc_timeline}</h2>
                    <ol class="timeline">
                        {later.into_iter().map(|e| view! { <Entry e=e/> }).collect_view()}
                    </ol>
                </section>
                <Reply number=number.clone() changed=changed/>
            </article>
            {staff.then(|| view! { <StaffPanel i=i.clone() changed=changed/> })}
        </div>
    }
}

/// The title, its badges and facts, and what the viewer may do with the whole incident.
#[component]
fn Facts(i: Incident, changed: Changed) -> impl IntoView {
    let s = session();
    let staff = is_staff(s);
    let sum = i.summary.clone();
    let path = incident_path(&sum.number);
    let following = i.following;
    let follow = Action::new_local(move |on: &bool| {
        let (on, p) = (*on, format!("{path}/following"));
        async move {
            let m = if on { Method::PUT } else { Method::DELETE };
            s.call::<(), serde_json::Value>(m, &p, None).await
        }
    });
    let state_path = format!("{}/state", incident_path(&sum.number));
    let move_to = Action::new_local(move |to: &IncidentState| {
        let body = StateChange {
            state: *to,
            remark: String::new(),
        };
        let p = state_path.clone();
        async move { s.post::<_, Incident>(&p, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(i)) = move_to.value().get() {
            changed.run(i);
        }
    });
    let now_following = RwSignal::new(following);
    let wanted = StoredValue::new(following);
    Effect::new(move |_| {
        if let Some(Ok(_)) = follow.value().get() {
            now_following.set(wanted.get_value());
        }
    });
    let state = sum.state;
    let (created, opened_by) = (sum.created_at, sum.opened_by.name.clone());
    let sla = sum.sla.clone();
    let client_can_close = !staff && state == IncidentState::Resolved;
    let client_can_reopen =
        !staff && matches!(state, IncidentState::Resolved | IncidentState::Closed);
    view! {
        <header class="incident-head">
            <h1>{sum.number.clone()}" · "{sum.title.clone()}</h1>
            <p>
                <PriorityBadge p=sum.priority/>" "<StateBadge s=sum.state/>" "
                <span class="badge">{move || escalation_label(sum.escalation)}</span>
                {staff.then(|| view! { " "<SlaBadge mark=sla.mark/> })}
            </p>
            <dl class="facts">
                {staff.then(|| view! { <dt>{move || t().inc_company}</dt><dd>{sum.membership.name.clone()}</dd> })}
                <dt>{move || t().inc_opened_by}</dt>
                <dd>{opened_by}" · "{move || date_time(&created)}</dd>
                {(!sum.system.is_empty()).then(|| view! { <dt>{move || t().inc_system}</dt><dd>{sum.system.clone()}</dd> })}
                <dt>{move || t().inc_assignee}</dt>
                <dd>{sum.assignee.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| t().inc_unassigned.to_owned())}</dd>
                {staff.then(|| {
                    let (first, due, answered) = (sla.first_response_due, sla.resolution_due, sla.first_response_at);
                    view! {
                        <dt>{move || t().inc_first_response_due}</dt><dd>{move || date_time(&first)}</dd>
                        {answered.map(|a| view! { <dt>{move || t().inc_answered_at}</dt><dd>{move || date_time(&a)}</dd> })}
                        <dt>{move || t().inc_resolution_due}</dt><dd>{move || date_time(&due)}</dd>
                    }
                })}
            </dl>
            {client_can_close.then(|| view! { <p class="notice" role="status">{move || t().inc_resolved_note}</p> })}
            <div class="actions no-print">
                <button type="button" class="secondary" aria-pressed=move || now_following.get().to_string()
                    on:click=move |_| {
                        wanted.set_value(!now_following.get_untracked());
                        follow.dispatch(wanted.get_value());
                    }>
                    {move || if now_following.get() { t().inc_unfollow } else { t().inc_follow }}
                </button>
                <a class="button secondary" href=i.pdf_url.clone() target="_blank" rel="noopener">{move || t().pdf}</a>
                {client_can_close.then(|| view! {
                    <button type="button" on:click=move |_| if confirm(t().inc_close_q) { move_to.dispatch(IncidentState::Closed); }>
                        {move || t().inc_close}</button>
                })}
                {client_can_reopen.then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| if confirm(t().inc_reopen_q) { move_to.dispatch(IncidentState::InProgress); }>
                        {move || t().inc_reopen}</button>
                })}
            </div>
            <p class="muted" role="status">{move || now_following.get().then(|| t().inc_following)}</p>
            <p class="alert" role="alert">
                {move || follow.value().get().and_then(Result::err).map(|e| e.message())}
                {move || move_to.value().get().and_then(Result::err).map(|e| e.message())}
            </p>
        </header>
    }
}

/// Files: images as thumbnails (the full image a click away), videos playable in the page,
/// anything else as a download.
#[component]
pub fn Attachments(files: Vec<IncidentAttachment>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <ul class="attachments">
                {files.into_iter().map(|f| {
                    let size = f.size;
                    let body = if f.content_type.starts_with("image/") {
                        // The server's small copy when it makes one; the image itself otherwise.
                        let small = f.thumbnail_url.clone().unwrap_or_else(|| f.url.clone());
                        view! {
                            <a href=f.url.clone() target="_blank" rel="noopener">
                                <img class="thumb" src=small alt=f.name.clone() loading="lazy"/>
                            </a>
                        }.into_any()
                    } else if f.content_type.starts_with("video/") {
                        view! { <video class="inline-video" controls preload="metadata" src=f.url.clone()></video> }.into_any()
                    } else {
                        view! { <a href=f.url.clone() download=f.name.clone()>{f.name.clone()}</a> }.into_any()
                    };
                    view! {
                        <li class:internal=f.internal>
                            {body}
                            <span class="muted">{f.name.clone()}" · "{move || file_size(size)}
                                {f.internal.then(|| view! { " · "<strong>{move || t().inc_internal}</strong> })}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

fn entry_label(e: &TimelineEntry) -> String {
    let change = e
        .change
        .as_ref()
        .map(|c| format!(": {}", code_label(&c.to)))
        .unwrap_or_default();
    let named = |label: &str| match &e.detail {
        Some(d) if !d.is_empty() => format!("{label}: {d}"),
        _ => label.to_owned(),
    };
    let t = t();
    match e.kind {
        EntryKind::Opened => t.ev_opened.into(),
        EntryKind::Comment => t.ev_comment.into(),
        EntryKind::Note => t.ev_note.into(),
        EntryKind::State => format!("{}{change}", t.ev_state),
        EntryKind::Priority => format!("{}{change}", t.ev_priority),
        EntryKind::Assigned => t.ev_assigned.into(),
        EntryKind::Closed => t.ev_closed.into(),
        EntryKind::Reopened => t.ev_reopened.into(),
        EntryKind::AutoClosed => t.ev_auto_closed.into(),
        EntryKind::RemoteRequested => named(t.ev_remote_requested),
        EntryKind::RemoteAuthorised => t.ev_remote_authorised.into(),
        EntryKind::RemoteRefused => t.ev_remote_refused.into(),
        EntryKind::RemoteStarted => named(t.ev_remote_started),
        EntryKind::VisitScheduled => t.ev_visit.into(),
        EntryKind::VisitReport => t.ev_visit_report.into(),
        EntryKind::Solution => t.ev_solution.into(),
        EntryKind::Other => t.ev_other.into(),
    }
}

#[component]
fn Entry(e: TimelineEntry) -> impl IntoView {
    let at = e.created_at;
    let label = Signal::derive({
        let e = e.clone();
        move || entry_label(&e)
    });
    // Words an entry carries: a comment's or note's body, a change's remark, an assignee.
    let body = (!e.body.trim().is_empty()).then(|| e.body_html.clone());
    view! {
        <li class:internal=e.internal class=format!("entry entry-{}", if matches!(e.kind, EntryKind::Comment | EntryKind::Note) { "talk" } else { "event" })>
            <p class="entry-head">
                <strong>{e.author_name.clone()}</strong>" · "{move || label.get()}" · "
                <time>{move || date_time(&at)}</time>
                {e.internal.then(|| view! { " "<span class="badge internal-badge">{move || t().inc_internal}</span> })}
                {e.ip.clone().map(|ip| view! { " · "<span class="muted">{move || t().remote_from}" "{ip.clone()}</span> })}
            </p>
            // Sanitised by the server.
            {body.map(|html| view! { <div class="prose" inner_html=html></div> })}
            <Attachments files=e.attachments.clone()/>
        </li>
    }
}

/// Requests of staff to connect remotely: a pending one is a card where anyone of the
/// membership authorises or refuses it (who, when and from where is recorded).
#[component]
fn RemoteRequests(number: String, list: Vec<RemoteRequest>, changed: Changed) -> impl IntoView {
    let s = session();
    let staff = is_staff(s);
    let base = incident_path(&number);
    let answer = Action::new_local(move |(id, yes): &(uuid::Uuid, bool)| {
        let p = format!("{base}/remote-requests/{id}/answer");
        let body = RemoteAnswer { authorise: *yes };
        async move { s.post::<_, Incident>(&p, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(i)) = answer.value().get() {
            changed.run(i);
        }
    });
    (!list.is_empty()).then(|| {
        view! {
            <section aria-labelledby="remote-h">
                <h2 id="remote-h">{move || t().remote_title}</h2>
                {list.into_iter().map(|r| {
                    let (id, state) = (r.id, r.state);
                    let pending = state == RemoteState::Pending;
                    let asked = r.requested_at;
                    let answered = r.answered_by.clone().zip(r.answered_at);
                    view! {
                        <div class="card remote" class:consent=pending && !staff>
                            {(pending && !staff).then(|| view! { <h3>{move || t().remote_ask}</h3> })}
                            <dl class="facts">
                                <dt>{move || t().remote_purpose}</dt><dd>{r.purpose.clone()}</dd>
                                <dt>{move || t().remote_tool}</dt><dd>{r.tool.clone()}</dd>
                                <dt>{move || t().remote_window}</dt><dd>{r.window.clone()}</dd>
                                <dt>{move || t().state}</dt><dd>{move || remote_state_label(state)}</dd>
                            </dl>
                            <p class="muted">{r.requested_by.clone()}" · "{move || date_time(&asked)}
                                {answered.map(|(who, at)| view! { " · "{move || crate::i18n::fill(t().remote_answered, &[&who, &date_time(&at)])} })}
                                {r.answered_ip.clone().map(|ip| format!(" ({ip})"))}</p>
                            {(pending && !staff).then(|| view! {
                                <div class="actions">
                                    <button type="button" disabled=move || answer.pending().get()
                                        on:click=move |_| { answer.dispatch((id, true)); }>{move || t().remote_authorise}</button>
                                    <button type="button" class="secondary" disabled=move || answer.pending().get()
                                        on:click=move |_| if confirm(t().remote_refuse_q) { answer.dispatch((id, false)); }>{move || t().remote_refuse}</button>
                                </div>
                            })}
                            {staff.then(|| view! { <super::incident_staff::StartRemote number=number.clone() id=id state=state changed=changed/> })}
                        </div>
                    }
                }).collect_view()}
                <p class="alert" role="alert">{move || answer.value().get().and_then(Result::err).map(|e: ApiError| e.message())}</p>
            </section>
        }
    })
}

pub fn remote_state_label(s: RemoteState) -> &'static str {
    match s {
        RemoteState::Pending => t().remote_pending,
        RemoteState::Authorised => t().remote_authorised,
        RemoteState::Refused => t().remote_refused,
        RemoteState::Started => t().remote_started,
    }
}

/// On-site visits: when, who, where, the `.ics` for the calendar and, once written, the report.
#[component]
fn Visits(number: String, list: Vec<Visit>) -> impl IntoView {
    let s = session();
    let failed = RwSignal::new(None::<ApiError>);
    (!list.is_empty()).then(|| {
        view! {
            <section aria-labelledby="visits-h">
                <h2 id="visits-h">{move || t().visits}</h2>
                {list.into_iter().map(|v| {
                    let at = v.starts_at;
                    let ics = format!("{}/visits/{}/ics", incident_path(&number), v.id);
                    let name = format!("{number}-visita.ics");
                    view! {
                        <div class="card visit">
                            <dl class="facts">
                                <dt>{move || t().visit_when}</dt><dd>{move || date_time(&at)}</dd>
                                <dt>{move || t().visit_technician}</dt><dd>{v.technician.clone()}</dd>
                                <dt>{move || t().visit_address}</dt><dd>{v.address.clone()}</dd>
                            </dl>
                            <button type="button" class="secondary small" on:click=move |_| {
                                let (ics, name) = (ics.clone(), name.clone());
                                leptos::task::spawn_local(async move {
                                    failed.set(save_as(s, &ics, &name).await.err());
                                });
                            }>{move || t().visit_ics}</button>
                            {v.report_html.clone().map(|html| view! {
                                <h3>{move || t().visit_report}</h3>
                                <div class="prose" inner_html=html></div>
                            })}
                            {is_staff(s).then(|| view! { <super::incident_staff::VisitReportForm number=number.clone() v=v.clone()/> })}
                        </div>
                    }
                }).collect_view()}
                <p class="alert" role="alert">{move || failed.get().map(|e| e.message())}</p>
            </section>
        }
    })
}

/// The reply box: Markdown, files with their bars, and for staff the internal-note switch
/// (the form turns the internal colour while it is on).
#[component]
fn Reply(number: String, changed: Changed) -> impl IntoView {
    let s = session();
    let staff = is_staff(s);
    let body = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    let chosen = Chosen::new();
    let path = format!("{}/comments", incident_path(&number));
    let send = Action::new_local(move |_: &()| {
        let mut parts = vec![Part::Text("body", body.get_untracked())];
        if internal.get_untracked() {
            parts.push(Part::Text("internal", "true".into()));
        }
        parts.extend(chosen.parts("files"));
        chosen.sending.set(true);
        let (p, progress) = (path.clone(), chosen.progress());
        async move {
            let r = send_form::<Incident>(s, &p, parts, progress).await;
            chosen.sending.try_set(false);
            r
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(i)) = send.value().get() {
            body.set(String::new());
            internal.set(false);
            chosen.clear();
            changed.run(i);
        }
    });
    let result = Signal::derive(move || send.value().get());
    let body_error = field_error(result, "body");
    let files_error = field_error(result, "files");
    view! {
        <form class="reply no-print" class:internal=internal
            on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send.dispatch(()); }>
            <h2 id="reply-h">{move || t().inc_reply}</h2>
            <div class="field">
                <label for="reply-body">{move || if internal.get() { t().inc_internal } else { t().inc_reply }}</label>
                <textarea id="reply-body" rows="5" required maxlength="20000" aria-describedby="reply-hint"
                    aria-invalid=move || body_error.get().is_some().to_string()
                    prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <p class="hint" id="reply-hint">{move || t().comment_hint}</p>
                <p class="field-error">{move || body_error.get()}</p>
            </div>
            {staff.then(|| view! { <Check id="reply-internal" label=|| t().inc_internal_check value=internal/> })}
            <FilePicker id="reply-files" chosen=chosen error=files_error/>
            <p class="alert" role="alert">{move || result.get().and_then(Result::err).and_then(|e| e.general())}</p>
            <button type="submit" disabled=move || send.pending().get()>
                {move || if internal.get() { t().inc_note_send } else { t().inc_reply_send }}
            </button>
        </form>
    }
}
