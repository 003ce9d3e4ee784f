//! Incident lists. A client's people see every incident of their membership (filters: state,
//! priority, the ones they opened, text or number); staff see the queue across memberships,
//! the one due soonest first, with each one's service-level mark. Also the labels every
//! incident screen shares.

use faro_types::accounts::Role;
use faro_types::incidents::{Escalation, IncidentState, IncidentSummary, Priority, SlaMark};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{Session, session};
use crate::components::{Check, Pages, PagesFooter};
use crate::i18n::{date_time, t};

pub const PRIORITIES: [Priority; 3] = [Priority::High, Priority::Medium, Priority::Low];
pub const STATES: [IncidentState; 5] = [
    IncidentState::New,
    IncidentState::InProgress,
    IncidentState::WaitingClient,
    IncidentState::Resolved,
    IncidentState::Closed,
];

pub fn is_staff(s: Session) -> bool {
    s.role()
        .is_some_and(|r| matches!(r, Role::Admin | Role::Agent))
}

/// The API's address of an incident and what hangs under it.
pub fn incident_path(number: &str) -> String {
    format!(
        "/api/v1/incidents/{}",
        String::from(js_sys::encode_uri_component(number))
    )
}

pub fn priority_label(p: Priority) -> &'static str {
    match p {
        Priority::High => t().prio_high,
        Priority::Medium => t().prio_medium,
        Priority::Low => t().prio_low,
    }
}

pub fn priority_code(p: Priority) -> &'static str {
    match p {
        Priority::High => "high",
        Priority::Medium => "medium",
        Priority::Low => "low",
    }
}

pub fn state_label(s: IncidentState) -> &'static str {
    match s {
        IncidentState::New => t().st_new,
        IncidentState::InProgress => t().st_in_progress,
        IncidentState::WaitingClient => t().st_waiting_client,
        IncidentState::Resolved => t().st_resolved,
        IncidentState::Closed => t().st_closed,
    }
}

pub fn state_code(s: IncidentState) -> &'static str {
    match s {
        IncidentState::New => "new",
        IncidentState::InProgress => "in_progress",
        IncidentState::WaitingClient => "waiting_client",
        IncidentState::Resolved => "resolved",
        IncidentState::Closed => "closed",
    }
}

/// A state or priority code as the API writes it (in a timeline change), shown by its label.
pub fn code_label(code: &str) -> &'static str {
    STATES
        .into_iter()
        .find(|s| state_code(*s) == code)
        .map(state_label)
        .or_else(|| {
            PRIORITIES
                .into_iter()
                .find(|p| priority_code(*p) == code)
                .map(priority_label)
        })
        .unwrap_or("")
}

pub fn escalation_label(e: Escalation) -> &'static str {
    match e {
        Escalation::FirstLine => t().esc_first_line,
        Escalation::Remote => t().esc_remote,
        Escalation::OnSite => t().esc_on_site,
    }
}

/// The priority as a badge (Alta stands out).
#[component]
pub fn PriorityBadge(p: Priority) -> impl IntoView {
    view! { <span class=format!("badge prio-{}", priority_code(p))>{move || priority_label(p)}</span> }
}

#[component]
pub fn StateBadge(s: IncidentState) -> impl IntoView {
    view! { <span class=format!("badge state-{}", state_code(s))>{move || state_label(s)}</span> }
}

/// The service-level mark: nothing while on time, else due soon, past due or stopped.
#[component]
pub fn SlaBadge(mark: SlaMark) -> impl IntoView {
    let (class, label): (&str, fn() -> &'static str) = match mark {
        SlaMark::Ok => ("sla-ok", || t().sla_ok),
        SlaMark::DueSoon => ("sla-due", || t().sla_due_soon),
        SlaMark::Breached => ("sla-breached", || t().sla_breached),
        SlaMark::Stopped => ("sla-stopped", || t().sla_stopped),
    };
    view! { <span class=format!("badge {class}")>{move || label()}</span> }
}

#[component]
pub fn Incidents() -> impl IntoView {
    let s = session();
    let staff = is_staff(s);
    // Staff start from the open queue in due order; a client's people from everything, latest
    // activity first.
    let state = RwSignal::new(if staff { "open" } else { "" }.to_owned());
    let priority = RwSignal::new(String::new());
    let mine = RwSignal::new(false);
    let assigned = RwSignal::new(false);
    let due_order = RwSignal::new(staff);
    let typed = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let pages = Pages::<IncidentSummary>::new(move || {
        let mut q = Vec::new();
        match state.get().as_str() {
            "" => {}
            "open" => q.push("open=true".to_owned()),
            st => q.push(format!("state={st}")),
        }
        let p = priority.get();
        if !p.is_empty() {
            q.push(format!("priority={p}"));
        }
        if mine.get() {
            q.push("mine=true".to_owned());
        }
        if assigned.get() {
            q.push("assigned_to_me=true".to_owned());
        }
        if due_order.get() {
            q.push("order=due".to_owned());
        }
        let words = text.get();
        if !words.trim().is_empty() {
            q.push(format!(
                "q={}",
                String::from(js_sys::encode_uri_component(words.trim()))
            ));
        }
        format!("/api/v1/incidents?{}", q.join("&"))
    });
    view! {
        <h1>{move || if staff { t().inc_queue } else { t().incidents }}</h1>
        <p>{move || if staff { t().inc_queue_intro } else { t().inc_list_intro }}</p>
        {(!staff).then(|| view! {
            <div class="actions">
                <A href="/incidents/new" attr:class="button">{move || t().inc_new}</A>
            </div>
        })}
        <form class="filters" role="search"
            on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); text.set(typed.get_untracked()); }>
            <div class="field">
                <label for="inc-q">{move || t().inc_text}</label>
                <input id="inc-q" type="search" autocomplete="off" maxlength="300"
                    prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="inc-state">{move || t().state}</label>
                <select id="inc-state" on:change=move |ev| state.set(event_target_value(&ev))>
                    <option value="" selected=!staff>{move || t().inc_any_state}</option>
                    <option value="open" selected=staff>{move || t().inc_open_ones}</option>
                    {STATES.into_iter().map(|st| view! {
                        <option value=state_code(st)>{move || state_label(st)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="inc-priority">{move || t().priority}</label>
                <select id="inc-priority" on:change=move |ev| priority.set(event_target_value(&ev))>
                    <option value="">{move || t().inc_any_priority}</option>
                    {PRIORITIES.into_iter().map(|p| view! {
                        <option value=priority_code(p)>{move || priority_label(p)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="inc-order">{move || t().inc_order}</label>
                <select id="inc-order" on:change=move |ev| due_order.set(event_target_value(&ev) == "due")>
                    <option value="recent" selected=!staff>{move || t().inc_order_recent}</option>
                    <option value="due" selected=staff>{move || t().inc_order_due}</option>
                </select>
            </div>
            <div class="field checks">
                {if staff {
                    view! { <Check id="inc-assigned" label=|| t().inc_assigned_to_me value=assigned/> }.into_any()
                } else {
                    view! { <Check id="inc-mine" label=|| t().inc_mine value=mine/> }.into_any()
                }}
            </div>
            <button type="submit" class="secondary">{move || t().inc_filter}</button>
        </form>
        <ul class="rows incidents">
            <For each=move || pages.items.get() key=|i| (i.id, i.updated_at) let:i>
                <IncidentRow i=i staff=staff/>
            </For>
        </ul>
        <PagesFooter pages=pages empty=|| t().inc_none/>
    }
}

#[component]
fn IncidentRow(i: IncidentSummary, staff: bool) -> impl IntoView {
    let href = format!("/incidents/{}", i.number);
    let mark = i.sla.mark;
    let due = i.sla.resolution_due;
    let updated = i.updated_at;
    view! {
        <li>
            <div>
                <A href=href><strong>{i.number.clone()}" · "{i.title.clone()}</strong></A>
                <br/>
                <PriorityBadge p=i.priority/>" "<StateBadge s=i.state/>
                {(staff && mark != SlaMark::Ok).then(|| view! { " "<SlaBadge mark=mark/> })}
                <br/>
                <span class="muted">
                    {staff.then(|| format!("{} · ", i.membership.name))}
                    {move || t().inc_opened_by}" "{i.opened_by.name.clone()}
                    " · "{move || t().inc_updated}" "{move || date_time(&updated)}
                    {staff.then(|| view! {
                        " · "{move || t().inc_resolution_due}" "{move || date_time(&due)}
                        " · "{i.assignee.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| t().inc_unassigned.to_owned())}
                    })}
                </span>
            </div>
        </li>
    }
}
