//! Staff's panel on an incident: state (with a remark), priority and assignee; escalation (a
//! remote-connection request, starting an authorised one, an on-site visit and its report);
//! and triage: articles matching the title, similar incidents already solved, the solution
//! link and a draft article made from the incident.

use faro_types::Page;
use faro_types::accounts::Person;
use faro_types::incidents::{
    Assignment, DraftArticle, Incident, IncidentState, IncidentSummary, NewRemoteRequest, NewVisit,
    Priority, PriorityChange, RemoteState, SolutionChoice, StateChange, Visit, VisitReport,
};
use faro_types::search::SearchPage;
use leptos::prelude::*;
use leptos_router::components::A;
use reqwest::Method;
use uuid::Uuid;

use super::incident::Changed;
use super::incidents::{
    PRIORITIES, STATES, incident_path, priority_code, priority_label, state_code, state_label,
};
use crate::api::{ApiError, session};
use crate::components::{Outcome, field_error};
use crate::i18n::t;

/// Runs a change that answers with the incident, handing the answer to `changed`.
fn change<B: serde::Serialize + Clone + 'static>(
    method: Method,
    path: String,
    changed: Changed,
) -> Action<B, Result<Incident, ApiError>> {
    let s = session();
    let act = Action::new_local(move |body: &B| {
        let (body, p, m) = (body.clone(), path.clone(), method.clone());
        async move { s.call::<_, Incident>(m, &p, Some(&body)).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(i)) = act.value().get() {
            changed.run(i);
        }
    });
    act
}

#[component]
pub fn StaffPanel(i: Incident, changed: Changed) -> impl IntoView {
    view! {
        <aside class="staff-panel no-print" aria-label=move || t().staff_work>
            <Work i=i.clone() changed=changed/>
            <Escalate i=i.clone() changed=changed/>
            <Triage i=i changed=changed/>
        </aside>
    }
}

#[component]
fn Work(i: Incident, changed: Changed) -> impl IntoView {
    let s = session();
    let base = incident_path(&i.summary.number);
    let state = RwSignal::new(i.summary.state);
    let remark = RwSignal::new(String::new());
    let priority = RwSignal::new(i.summary.priority);
    let assignee = RwSignal::new(
        i.summary
            .assignee
            .as_ref()
            .and_then(|a| a.id)
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let move_state = change::<StateChange>(Method::POST, format!("{base}/state"), changed);
    let set_priority = change::<PriorityChange>(Method::PUT, format!("{base}/priority"), changed);
    let assign = change::<Assignment>(Method::PUT, format!("{base}/assignee"), changed);
    let staff = LocalResource::new(move || async move {
        s.get::<Page<Person>>("/api/v1/staff?limit=100").await
    });
    let me = s.me.get_untracked().map(|m| m.id);
    let state_result = Signal::derive(move || move_state.value().get());
    view! {
        <section class="panel-block">
            <h2>{move || t().staff_work}</h2>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                move_state.dispatch(StateChange { state: state.get_untracked(), remark: remark.get_untracked() });
            }>
                <div class="field">
                    <label for="work-state">{move || t().inc_change_state}</label>
                    <select id="work-state" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(st) = STATES.into_iter().find(|s| state_code(*s) == v) { state.set(st); }
                    }>
                        {STATES.into_iter().map(|st| view! {
                            <option value=state_code(st) selected=move || state.get() == st>{move || state_label(st)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="work-remark">{move || t().inc_remark}</label>
                    <textarea id="work-remark" rows="2" maxlength="2000"
                        prop:value=remark on:input=move |ev| remark.set(event_target_value(&ev))></textarea>
                </div>
                <Outcome result=state_result ok=|| t().saved/>
                <button type="submit" disabled=move || move_state.pending().get()>{move || t().inc_change_state}</button>
            </form>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                set_priority.dispatch(PriorityChange { priority: priority.get_untracked() });
            }>
                <div class="field">
                    <label for="work-priority">{move || t().inc_change_priority}</label>
                    <select id="work-priority" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(p) = PRIORITIES.into_iter().find(|p| priority_code(*p) == v) { priority.set(p); }
                    }>
                        {PRIORITIES.into_iter().map(|p: Priority| view! {
                            <option value=priority_code(p) selected=move || priority.get() == p>{move || priority_label(p)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <p class="alert" role="alert">{move || set_priority.value().get().and_then(Result::err).map(|e| e.message())}</p>
                <button type="submit" class="secondary" disabled=move || set_priority.pending().get()>{move || t().inc_change_priority}</button>
            </form>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                assign.dispatch(Assignment { assignee_id: Uuid::parse_str(&assignee.get_untracked()).ok() });
            }>
                <div class="field">
                    <label for="work-assignee">{move || t().inc_assignee}</label>
                    <select id="work-assignee" on:change=move |ev| assignee.set(event_target_value(&ev))>
                        <option value="">{move || t().inc_unassigned}</option>
                        {move || staff.get().and_then(Result::ok).map(|page| page.items.into_iter().filter(|p| p.active).map(|p| {
                            let id = p.id.to_string();
                            let chosen = id.clone();
                            view! { <option value=id selected=move || assignee.get() == chosen>{p.name.clone()}</option> }
                        }).collect_view())}
                    </select>
                </div>
                <p class="alert" role="alert">{move || assign.value().get().and_then(Result::err).map(|e| e.message())}</p>
                <div class="actions">
                    <button type="submit" class="secondary" disabled=move || assign.pending().get()>{move || t().inc_assign}</button>
                    {me.map(|id| view! {
                        <button type="button" class="secondary" disabled=move || assign.pending().get()
                            on:click=move |_| { assignee.set(id.to_string()); assign.dispatch(Assignment { assignee_id: Some(id) }); }>
                            {move || t().inc_assign_me}</button>
                    })}
                </div>
            </form>
        </section>
    }
}

/// A request to connect remotely, and a visit with its technician and address.
#[component]
fn Escalate(i: Incident, changed: Changed) -> impl IntoView {
    let base = incident_path(&i.summary.number);
    let open = !matches!(
        i.summary.state,
        IncidentState::Resolved | IncidentState::Closed
    );
    let (purpose, tool, window) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let ask = change::<NewRemoteRequest>(Method::POST, format!("{base}/remote-requests"), changed);
    let (when, technician, address) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let visit = change::<NewVisit>(Method::POST, format!("{base}/visits"), changed);
    let bad_time = RwSignal::new(false);
    let ask_result = Signal::derive(move || ask.value().get());
    let visit_result = Signal::derive(move || visit.value().get());
    let starts_error = field_error(visit_result, "starts_at");
    open.then(|| view! {
        <section class="panel-block">
            <details>
                <summary>{move || t().remote_request}</summary>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    ask.dispatch(NewRemoteRequest { purpose: purpose.get_untracked(), tool: tool.get_untracked(), window: window.get_untracked() });
                }>
                    <Text id="remote-purpose" label=|| t().remote_purpose value=purpose error=field_error(ask_result, "purpose")/>
                    <Text id="remote-tool" label=|| t().remote_tool value=tool error=field_error(ask_result, "tool")/>
                    <Text id="remote-window" label=|| t().remote_window value=window error=field_error(ask_result, "window")/>
                    <Outcome result=ask_result ok=|| t().saved/>
                    <button type="submit" disabled=move || ask.pending().get()>{move || t().remote_request}</button>
                </form>
            </details>
            <details>
                <summary>{move || t().visit_schedule}</summary>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    // `datetime-local` is the browser's local time; the API takes UTC.
                    let ms = js_sys::Date::new(&when.get_untracked().into()).get_time();
                    let at = (!ms.is_nan()).then(|| chrono::DateTime::from_timestamp_millis(ms as i64)).flatten();
                    bad_time.set(at.is_none());
                    if let Some(starts_at) = at {
                        visit.dispatch(NewVisit { starts_at, technician: technician.get_untracked(), address: address.get_untracked() });
                    }
                }>
                    <div class="field">
                        <label for="visit-when">{move || t().visit_when}</label>
                        <input id="visit-when" type="datetime-local" required
                            prop:value=when on:input=move |ev| when.set(event_target_value(&ev))/>
                        <p class="field-error">{move || if bad_time.get() { Some(t().visit_bad_time.to_owned()) } else { starts_error.get() }}</p>
                    </div>
                    <Text id="visit-technician" label=|| t().visit_technician value=technician error=field_error(visit_result, "technician")/>
                    <Text id="visit-address" label=|| t().visit_address value=address error=field_error(visit_result, "address")/>
                    <Outcome result=visit_result ok=|| t().saved/>
                    <button type="submit" disabled=move || visit.pending().get()>{move || t().visit_schedule}</button>
                </form>
            </details>
        </section>
    })
}

#[component]
fn Text(
    id: &'static str,
    label: crate::i18n::Label,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! { <crate::components::Field id=id label=label kind="text" autocomplete="off" value=value error=error/> }
}

/// Starting a connection the membership authorised.
#[component]
pub fn StartRemote(
    number: String,
    id: Uuid,
    state: RemoteState,
    changed: Changed,
) -> impl IntoView {
    let start = change::<()>(
        Method::POST,
        format!("{}/remote-requests/{id}/start", incident_path(&number)),
        changed,
    );
    (state == RemoteState::Authorised).then(|| {
        view! {
            <button type="button" disabled=move || start.pending().get()
                on:click=move |_| { start.dispatch(()); }>{move || t().remote_start}</button>
            <p class="alert" role="alert">{move || start.value().get().and_then(Result::err).map(|e| e.message())}</p>
        }
    })
}

/// Writing (or rewriting) what was done at a visit.
#[component]
pub fn VisitReportForm(number: String, v: Visit) -> impl IntoView {
    let s = session();
    let report = RwSignal::new(v.report.clone().unwrap_or_default());
    let path = format!("{}/visits/{}/report", incident_path(&number), v.id);
    let save = Action::new_local(move |_: &()| {
        let body = VisitReport {
            report: report.get_untracked(),
        };
        let p = path.clone();
        async move { s.put::<_, serde_json::Value>(&p, &body).await }
    });
    let result = Signal::derive(move || save.value().get());
    let report_error = field_error(result, "report");
    let id = format!("visit-report-{}", v.id);
    view! {
        <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save.dispatch(()); }>
            <div class="field">
                <label for=id.clone()>{move || t().visit_report}</label>
                <textarea id=id rows="4" maxlength="20000"
                    prop:value=report on:input=move |ev| report.set(event_target_value(&ev))></textarea>
                <p class="field-error">{move || report_error.get()}</p>
            </div>
            <Outcome result=result ok=|| t().saved/>
            <button type="submit" class="secondary" disabled=move || save.pending().get()>{move || t().visit_report_save}</button>
        </form>
    }
}

/// Articles matching the title, similar incidents already solved, the solution link and a
/// draft article from this incident.
#[component]
fn Triage(i: Incident, changed: Changed) -> impl IntoView {
    let s = session();
    let number = i.summary.number.clone();
    let words = String::from(js_sys::encode_uri_component(&i.summary.title));
    let articles_path = format!("/api/v1/search?type=article&limit=5&q={words}");
    let articles = LocalResource::new(move || {
        let p = articles_path.clone();
        async move { s.get::<SearchPage>(&p).await }
    });
    let similar_path = format!("/api/v1/incidents?limit=20&q={words}");
    let own = i.summary.id;
    let similar = LocalResource::new(move || {
        let p = similar_path.clone();
        async move { s.get::<Page<IncidentSummary>>(&p).await }
    });
    let base = incident_path(&number);
    let article = RwSignal::new(
        i.solution
            .as_ref()
            .map(|x| x.slug.clone())
            .unwrap_or_default(),
    );
    let link = change::<SolutionChoice>(Method::PUT, format!("{base}/solution"), changed);
    let draft_path = format!("{base}/draft-article");
    let draft = Action::new_local(move |_: &()| {
        let p = draft_path.clone();
        async move { s.act::<DraftArticle>(&p).await }
    });
    let link_result = Signal::derive(move || link.value().get());
    view! {
        <section class="panel-block">
            <h2>{move || t().triage}</h2>
            <h3>{move || t().triage_articles}</h3>
            {move || articles.get().map(|r| match r {
                Ok(page) if !page.items.is_empty() => view! {
                    <ul class="plain">
                        {page.items.into_iter().map(|h| {
                            let slug = h.link.trim_start_matches("/kb/").to_owned();
                            view! {
                                <li>
                                    <A href=h.link.clone()><span inner_html=h.title_html.clone()></span></A>" "
                                    <button type="button" class="secondary small" on:click=move |_| {
                                        article.set(slug.clone());
                                        link.dispatch(SolutionChoice { article: slug.clone() });
                                    }>{move || t().solution_link}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Ok(_) => view! { <p class="muted">{move || t().triage_none}</p> }.into_any(),
                Err(e) => view! { <p class="alert">{e.message()}</p> }.into_any(),
            })}
            <h3>{move || t().triage_similar}</h3>
            {move || similar.get().map(|r| match r {
                Ok(page) => {
                    let solved: Vec<IncidentSummary> = page.items.into_iter()
                        .filter(|x| x.id != own && matches!(x.state, IncidentState::Resolved | IncidentState::Closed))
                        .take(5)
                        .collect();
                    if solved.is_empty() {
                        view! { <p class="muted">{move || t().triage_none}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain">
                                {solved.into_iter().map(|x| view! {
                                    <li><A href=format!("/incidents/{}", x.number)>{x.number.clone()}" · "{x.title.clone()}</A>
                                        <span class="muted">" · "{x.membership.name.clone()}</span></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
                Err(e) => view! { <p class="alert">{e.message()}</p> }.into_any(),
            })}
            <form on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                link.dispatch(SolutionChoice { article: article.get_untracked() });
            }>
                <Text id="solution-article" label=|| t().solution_article value=article error=field_error(link_result, "article")/>
                <Outcome result=link_result ok=|| t().saved/>
                <button type="submit" class="secondary" disabled=move || link.pending().get()>{move || t().solution_link}</button>
            </form>
            <button type="button" class="secondary" disabled=move || draft.pending().get()
                on:click=move |_| { draft.dispatch(()); }>{move || t().draft_article}</button>
            {move || draft.value().get().map(|r| match r {
                Ok(d) => view! {
                    <p class="ok" role="status">{move || t().draft_made}" "
                        <A href=format!("/kb/{}/edit", d.slug)>{d.slug.clone()}</A></p>
                }.into_any(),
                Err(e) => view! { <p class="alert" role="alert">{e.message()}</p> }.into_any(),
            })}
        </section>
    }
}
