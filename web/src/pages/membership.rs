//! Memberships: the coordinator's own (its code and its people) and, for staff, all of them:
//! created, edited, activated (the code e-mailed to the coordinator), deactivated, the code
//! rotated or given an expiry day.

use faro_types::accounts::{Person, Role};
use faro_types::memberships::{
    CodeExpiry, ContractState, Membership, MembershipUpdate, NewMembership,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use reqwest::Method;

use crate::api::{ApiError, session};
use crate::components::{
    Check, Choice, CopyButton, Field, LoadFailed, Loading, Outcome, Pages, PagesFooter, confirm,
    field_error,
};
use crate::i18n::{Label, date, date_time, number, t, t_untracked};

fn contract_label(c: ContractState) -> &'static str {
    match c {
        ContractState::Contract => t().contract_contract,
        ContractState::Subscription => t().contract_subscription,
        ContractState::Lapsed => t().contract_lapsed,
    }
}

fn contract_options() -> Vec<(ContractState, Label)> {
    vec![
        (ContractState::Contract, || t().contract_contract),
        (ContractState::Subscription, || t().contract_subscription),
        (ContractState::Lapsed, || t().contract_lapsed),
    ]
}

pub fn role_label(r: Role) -> &'static str {
    match r {
        Role::Admin => t().role_admin,
        Role::Agent => t().role_agent,
        Role::Coordinator => t().role_coordinator,
        Role::Member => t().role_member,
    }
}

/// The last day a code works, as the date input wants it (`YYYY-MM-DD`, Spanish time): the
/// API stores the instant it stops working.
fn last_day(m: &Membership) -> String {
    m.code_expires_at
        .map(|at| {
            let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
                (at.timestamp_millis() - 1000) as f64,
            ));
            let options = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"Europe/Madrid".into());
            // Swedish writes dates as ISO does.
            String::from(d.to_locale_date_string("sv-SE", &options))
        })
        .unwrap_or_default()
}

/// The coordinator's (or a member's) own membership.
#[component]
pub fn MyMembership() -> impl IntoView {
    let s = session();
    move || match s.me.with(|m| m.as_ref().and_then(|m| m.membership.clone())) {
        Some(m) => view! { <MembershipView id=m.id.to_string()/> }.into_any(),
        None => view! { <p>{move || t().not_found}</p> }.into_any(),
    }
}

/// One membership by id, for staff (`/memberships/:id`).
#[component]
pub fn MembershipDetail() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    move || view! { <MembershipView id=id.get()/> }
}

#[component]
fn MembershipView(id: String) -> impl IntoView {
    let path = format!("/api/v1/memberships/{id}");
    let s = session();
    let loaded = LocalResource::new({
        let path = path.clone();
        move || {
            let path = path.clone();
            async move { s.get::<Membership>(&path).await }
        }
    });
    // The membership as last answered by the API (every action answers with it).
    let current = RwSignal::new(None::<Membership>);
    Effect::new(move |_| {
        if let Some(Ok(m)) = loaded.get() {
            current.set(Some(m));
        }
    });
    // Shown once the membership is there, and not built again each time it changes.
    let present = Memo::new(move |_| current.with(Option::is_some));
    let admin = session().role() == Some(Role::Admin);
    let staff = matches!(session().role(), Some(Role::Admin | Role::Agent));
    view! {
        {move || match loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| loaded.refetch())/> }.into_any(),
            Some(Ok(_)) => ().into_any(),
        }}
        {move || present.get().then(|| {
            let path = path.clone();
            view! {
                <h1>{move || current.with(|m| m.as_ref().map(|m| m.name.clone()))}</h1>
                {staff.then(|| view! { <p><A href="/memberships">{move || t().memberships}</A></p> })}
                <Summary current=current/>
                <Invitation current=current path=path.clone() admin=admin/>
                {admin.then(|| view! { <Manage current=current path=path.clone()/> })}
                <People membership=path.clone()/>
            }
        })}
    }
}

/// Name, terms and state at a glance.
#[component]
fn Summary(current: RwSignal<Option<Membership>>) -> impl IntoView {
    move || {
        current.get().map(|m| {
            view! {
                <dl class="facts">
                    <dt>{move || t().state}</dt>
                    <dd>{move || if m.active { t().active } else { t().inactive }}</dd>
                    <dt>{move || t().contract_state}</dt>
                    <dd>{move || contract_label(m.contract_state)}</dd>
                    <dt>{move || t().tax_id}</dt>
                    <dd>{m.tax_id.clone().unwrap_or_else(|| t().none.to_string())}</dd>
                    <dt>{move || t().coordinator_email}</dt>
                    <dd>{m.coordinator_email.clone().unwrap_or_else(|| t().none.to_string())}</dd>
                </dl>
            }
        })
    }
}

/// The invitation code to share, whether it works now, and (for administrators) a new code
/// and its expiry day.
#[component]
fn Invitation(current: RwSignal<Option<Membership>>, path: String, admin: bool) -> impl IntoView {
    let code = Signal::derive(move || {
        current.with(|m| {
            m.as_ref()
                .map(|m| m.invitation_code.clone())
                .unwrap_or_default()
        })
    });
    let rotate = Action::new_local({
        let path = format!("{path}/code");
        move |_: &()| {
            let path = path.clone();
            async move { session().act::<Membership>(&path).await }
        }
    });
    let until =
        RwSignal::new(current.with_untracked(|m| m.as_ref().map(last_day).unwrap_or_default()));
    let expiry = Action::new_local({
        let path = format!("{path}/code-expiry");
        move |day: &String| {
            let body = CodeExpiry {
                code_valid_until: Some(day.clone()).filter(|d| !d.is_empty()),
            };
            let path = path.clone();
            async move {
                session()
                    .call::<_, Membership>(Method::PUT, &path, Some(&body))
                    .await
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(m)) = rotate.value().get() {
            current.set(Some(m));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(m)) = expiry.value().get() {
            current.set(Some(m));
        }
    });
    let rotated = Signal::derive(move || rotate.value().get());
    let expiry_result = Signal::derive(move || expiry.value().get());
    view! {
        <section aria-labelledby="invitation-title">
            <h2 id="invitation-title">{move || t().invitation}</h2>
            <p>{move || t().invitation_intro}</p>
            <p class="code">
                <code id="invitation-code">{code}</code>
                " "
                <CopyButton text=code label=t_untracked().invitation.to_string()/>
            </p>
            <p>{move || current.with(|m| m.as_ref().map(|m| {
                let usable = if m.code_usable { t().code_usable } else { t().code_unusable };
                let expires = match &m.code_expires_at {
                    Some(at) => format!("{} {}.", t().code_expires, date(at)),
                    None => t().code_no_expiry.to_string(),
                };
                format!("{usable} {expires}")
            }))}</p>
            {admin.then(|| view! {
                <div class="actions">
                    <button type="button" class="secondary" disabled=move || rotate.pending().get()
                        on:click=move |_| if confirm(t_untracked().confirm_rotate) { rotate.dispatch(()); }>
                        {move || t().rotate_code}
                    </button>
                </div>
                <Outcome result=rotated ok=|| t().saved/>
                <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); expiry.dispatch(until.get_untracked()); } novalidate>
                    <Field id="code_valid_until" label=|| t().code_valid_until kind="date" autocomplete="off"
                        value=until error=field_error(expiry_result, "code_valid_until") optional=true/>
                    <Outcome result=expiry_result ok=|| t().saved/>
                    <button type="submit" disabled=move || expiry.pending().get()>{move || t().set_expiry}</button>
                </form>
            })}
        </section>
    }
}

/// The administrator's part: the details form and activation.
#[component]
fn Manage(current: RwSignal<Option<Membership>>, path: String) -> impl IntoView {
    let m = current.get_untracked();
    let get = |f: fn(&Membership) -> Option<String>| {
        RwSignal::new(m.as_ref().and_then(f).unwrap_or_default())
    };
    let name = get(|m| Some(m.name.clone()));
    let tax_id = get(|m| m.tax_id.clone());
    let coordinator = get(|m| m.coordinator_email.clone());
    let contract = RwSignal::new(
        m.as_ref()
            .map(|m| m.contract_state)
            .unwrap_or(ContractState::Contract),
    );
    let save = Action::new_local({
        let path = path.clone();
        move |body: &MembershipUpdate| {
            let (path, body) = (path.clone(), body.clone());
            async move {
                session()
                    .call::<_, Membership>(Method::PUT, &path, Some(&body))
                    .await
            }
        }
    });
    let switch = Action::new_local(move |to: &String| {
        let path = to.clone();
        async move { session().act::<Membership>(&path).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(m)) = save.value().get() {
            current.set(Some(m));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(m)) = switch.value().get() {
            current.set(Some(m));
        }
    });
    let saved = Signal::derive(move || save.value().get());
    let switched = Signal::derive(move || switch.value().get());
    let optional = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(MembershipUpdate {
            name: name.get_untracked(),
            tax_id: optional(tax_id),
            coordinator_email: optional(coordinator),
            contract_state: contract.get_untracked(),
        });
    };
    let active = move || current.with(|m| m.as_ref().is_some_and(|m| m.active));
    let toggle = move |_| {
        if active() {
            if confirm(t_untracked().confirm_deactivate_membership) {
                switch.dispatch(format!("{path}/deactivate"));
            }
        } else {
            switch.dispatch(format!("{path}/activate"));
        }
    };
    view! {
        <section aria-labelledby="state-title">
            <h2 id="state-title">{move || t().state}</h2>
            {move || (!active()).then(|| view! { <p>{move || t().activate_intro}</p> })}
            <button type="button" disabled=move || switch.pending().get() on:click=toggle>
                {move || if active() { t().deactivate } else { t().activate }}
            </button>
            <Outcome result=switched ok=|| t().saved/>
        </section>
        <section aria-labelledby="details-title">
            <h2 id="details-title">{move || t().details}</h2>
            <form on:submit=on_submit novalidate>
                <Field id="name" label=|| t().name kind="text" autocomplete="organization" value=name error=field_error(saved, "name")/>
                <Field id="tax_id" label=|| t().tax_id kind="text" autocomplete="off" value=tax_id error=field_error(saved, "tax_id") optional=true/>
                <Field id="coordinator_email" label=|| t().coordinator_email kind="email" autocomplete="off" value=coordinator error=field_error(saved, "coordinator_email") optional=true/>
                <Choice name="contract_state" legend=|| t().contract_state value=contract options=contract_options()/>
                <Outcome result=saved ok=|| t().saved/>
                <button type="submit" disabled=move || save.pending().get()>{move || t().save}</button>
            </form>
        </section>
    }
}

/// A membership's people: deactivate (signed out at once), reactivate, pass the coordinator
/// role. `membership` is the membership's API path.
#[component]
fn People(membership: String) -> impl IntoView {
    let pages = Pages::<Person>::new({
        let p = format!("{membership}/people");
        move || p.clone()
    });
    let me = session().me.get_untracked().map(|m| m.id);
    let act = Action::new_local(move |path: &String| {
        let path = path.clone();
        async move { session().act::<Person>(&path).await }
    });
    Effect::new(move |_| match act.value().get() {
        // Passing the role changes two people: read them again.
        Some(Ok(p)) if p.role == Role::Coordinator => pages.reload(),
        Some(Ok(p)) => {
            let id = p.id;
            pages.replace(|q| q.id == id, p)
        }
        _ => {}
    });
    let acted = Signal::derive(move || act.value().get());
    let run = move |path: String, question: Option<&'static str>| {
        if question.is_none_or(confirm) {
            act.dispatch(path);
        }
    };
    view! {
        <section aria-labelledby="people-title">
            <h2 id="people-title">{move || t().people}</h2>
            <Outcome result=acted ok=|| t().saved/>
            <ul class="rows">
                <For each=move || pages.items.get() key=|p| (p.id, p.active, p.role) let:p>
                    {
                        let id = p.id;
                        let myself = Some(id) == me;
                        let base = format!("/api/v1/people/{id}");
                        let (deactivate, reactivate, promote) = (
                            format!("{base}/deactivate"),
                            format!("{base}/reactivate"),
                            format!("{base}/make-coordinator"),
                        );
                        let who = p.name.clone();
                        view! {
                            <li>
                                <div>
                                    <strong>{p.name.clone()}</strong>
                                    {myself.then(|| view! { " "{move || t().you} })}
                                    <br/>
                                    <span class="muted">{p.email.clone()}</span>
                                    <br/>
                                    <span>{move || role_label(p.role)}" · "
                                        {move || if p.active { t().person_active } else { t().person_inactive }}" · "
                                        {move || t().last_sign_in}": "
                                        {move || p.last_sign_in_at.as_ref().map(date_time).unwrap_or_else(|| t().never.to_string())}
                                    </span>
                                </div>
                                {(!myself).then(|| view! {
                                    <div class="actions">
                                        {if p.active {
                                            let label = format!("{} {}", t_untracked().deactivate, who);
                                            view! {
                                                <button type="button" class="secondary" aria-label=label
                                                    disabled=move || act.pending().get()
                                                    on:click=move |_| run(deactivate.clone(), Some(t_untracked().confirm_deactivate_person))>
                                                    {move || t().deactivate}
                                                </button>
                                            }.into_any()
                                        } else {
                                            let label = format!("{} {}", t_untracked().reactivate, who);
                                            view! {
                                                <button type="button" class="secondary" aria-label=label
                                                    disabled=move || act.pending().get()
                                                    on:click=move |_| run(reactivate.clone(), None)>
                                                    {move || t().reactivate}
                                                </button>
                                            }.into_any()
                                        }}
                                        {(p.active && p.role == Role::Member).then(|| {
                                            let label = format!("{} {}", t_untracked().make_coordinator, who);
                                            view! {
                                                <button type="button" class="secondary" aria-label=label
                                                    disabled=move || act.pending().get()
                                                    on:click=move |_| run(promote.clone(), Some(t_untracked().confirm_make_coordinator))>
                                                    {move || t().make_coordinator}
                                                </button>
                                            }
                                        })}
                                    </div>
                                })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <PagesFooter pages=pages empty=|| t().no_people/>
        </section>
    }
}

/// Every membership (staff), with the form for a new one (administrators).
#[component]
pub fn Memberships() -> impl IntoView {
    let pages = Pages::<Membership>::new(|| "/api/v1/memberships".to_string());
    let admin = session().role() == Some(Role::Admin);
    view! {
        <h1>{move || t().memberships}</h1>
        {admin.then(|| view! { <NewMembershipForm pages=pages/> })}
        <ul class="rows">
            <For each=move || pages.items.get() key=|m| (m.id, m.active, m.name.clone()) let:m>
                <li>
                    <div>
                        <A href=format!("/memberships/{}", m.id)><strong>{m.name.clone()}</strong></A>
                        <br/>
                        <span class="muted">
                            {move || contract_label(m.contract_state)}" · "
                            {move || if m.active { t().active } else { t().inactive }}" · "
                            {move || t().people_count}": "{move || number(m.people.unwrap_or(0))}
                        </span>
                    </div>
                </li>
            </For>
        </ul>
        <PagesFooter pages=pages empty=|| t().no_memberships/>
    }
}

#[component]
fn NewMembershipForm(pages: Pages<Membership>) -> impl IntoView {
    let (name, tax_id, coordinator, until) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let contract = RwSignal::new(ContractState::Contract);
    let activate = RwSignal::new(true);
    let create = Action::new_local(move |body: &NewMembership| {
        let body = body.clone();
        async move {
            session()
                .post::<_, Membership>("/api/v1/memberships", &body)
                .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            for s in [name, tax_id, coordinator, until] {
                s.set(String::new());
            }
            pages.reload();
        }
    });
    let result: Signal<Option<Result<Membership, ApiError>>> =
        Signal::derive(move || create.value().get());
    let optional = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewMembership {
            name: name.get_untracked(),
            tax_id: optional(tax_id),
            coordinator_email: optional(coordinator),
            contract_state: contract.get_untracked(),
            code_valid_until: optional(until),
            activate: activate.get_untracked(),
        });
    };
    view! {
        <details class="panel">
            <summary>{move || t().new_membership}</summary>
            <form on:submit=on_submit novalidate>
                <Field id="name" label=|| t().name kind="text" autocomplete="organization" value=name error=field_error(result, "name")/>
                <Field id="tax_id" label=|| t().tax_id kind="text" autocomplete="off" value=tax_id error=field_error(result, "tax_id") optional=true/>
                <Field id="coordinator_email" label=|| t().coordinator_email kind="email" autocomplete="off" value=coordinator error=field_error(result, "coordinator_email") optional=true/>
                <Choice name="contract_state" legend=|| t().contract_state value=contract options=contract_options()/>
                <Field id="code_valid_until" label=|| t().code_valid_until kind="date" autocomplete="off" value=until error=field_error(result, "code_valid_until") optional=true/>
                <Check id="activate" label=|| t().activate_now value=activate/>
                <Outcome result=result ok=|| t().created/>
                <button type="submit" disabled=move || create.pending().get()>{move || t().create_membership}</button>
            </form>
        </details>
    }
}
