//! Staff accounts (administrators): the list, a new account (the person gets an e-mail to
//! choose a password), role and active flag; and the service keys integrations use.

use faro_types::access::{ApiKey, KeyScope, NewServiceKey};
use faro_types::accounts::{Person, Role};
use faro_types::memberships::{NewStaff, StaffUpdate};
use leptos::prelude::*;
use reqwest::Method;
use uuid::Uuid;

use super::membership::role_label;
use crate::api::session;
use crate::components::{Choice, Field, Outcome, Pages, PagesFooter, confirm, field_error};
use crate::i18n::{date_time, t, t_untracked};
use crate::keys::{KeyRow, ScopeChoice, SecretOnce, create_at, revoke_at};

#[component]
pub fn Staff() -> impl IntoView {
    let pages = Pages::<Person>::new(|| "/api/v1/staff".to_string());
    let me = session().me.get_untracked().map(|m| m.id);
    let update = Action::new_local(move |(id, body): &(Uuid, StaffUpdate)| {
        let (path, body) = (format!("/api/v1/staff/{id}"), body.clone());
        async move {
            session()
                .call::<_, Person>(Method::PATCH, &path, Some(&body))
                .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(p)) = update.value().get() {
            let id = p.id;
            pages.replace(|q| q.id == id, p);
        }
    });
    let updated = Signal::derive(move || update.value().get());
    view! {
        <h1>{move || t().staff}</h1>
        <NewStaffForm pages=pages/>
        <Outcome result=updated ok=|| t().saved/>
        <ul class="rows">
            <For each=move || pages.items.get() key=|p| (p.id, p.active, p.role) let:p>
                {
                    let (id, role, active, who) = (p.id, p.role, p.active, p.name.clone());
                    let other_role = if role == Role::Admin { Role::Agent } else { Role::Admin };
                    let role_button = format!("{} {who}", if role == Role::Admin { t_untracked().make_agent } else { t_untracked().make_admin });
                    let active_button = format!("{} {who}", if active { t_untracked().deactivate } else { t_untracked().reactivate });
                    view! {
                        <li>
                            <div>
                                <strong>{p.name.clone()}</strong>
                                {(Some(id) == me).then(|| view! { " "{move || t().you} })}
                                <br/>
                                <span class="muted">{p.email.clone()}</span>
                                <br/>
                                <span>{move || role_label(role)}" · "
                                    {move || if active { t().person_active } else { t().person_inactive }}" · "
                                    {move || t().last_sign_in}": "
                                    {move || p.last_sign_in_at.as_ref().map(date_time).unwrap_or_else(|| t().never.to_string())}
                                </span>
                            </div>
                            <div class="actions">
                                <button type="button" class="secondary" aria-label=role_button
                                    disabled=move || update.pending().get()
                                    on:click=move |_| { update.dispatch((id, StaffUpdate { role: other_role, active })); }>
                                    {move || if role == Role::Admin { t().make_agent } else { t().make_admin }}
                                </button>
                                <button type="button" class="secondary" aria-label=active_button
                                    disabled=move || update.pending().get()
                                    on:click=move |_| {
                                        if !active || confirm(t_untracked().confirm_deactivate_person) {
                                            update.dispatch((id, StaffUpdate { role, active: !active }));
                                        }
                                    }>
                                    {move || if active { t().deactivate } else { t().reactivate }}
                                </button>
                            </div>
                        </li>
                    }
                }
            </For>
        </ul>
        <PagesFooter pages=pages empty=|| t().none/>
        <ServiceKeys staff=pages/>
    }
}

#[component]
fn NewStaffForm(pages: Pages<Person>) -> impl IntoView {
    let (name, email) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let role = RwSignal::new(Role::Agent);
    let create = Action::new_local(move |body: &NewStaff| {
        let body = body.clone();
        async move { session().post::<_, Person>("/api/v1/staff", &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            email.set(String::new());
            pages.reload();
        }
    });
    let result = Signal::derive(move || create.value().get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewStaff {
            email: email.get_untracked(),
            name: name.get_untracked(),
            role: role.get_untracked(),
        });
    };
    view! {
        <details class="panel">
            <summary>{move || t().new_staff}</summary>
            <p>{move || t().new_staff_intro}</p>
            <form on:submit=on_submit novalidate>
                <Field id="staff_name" label=|| t().name kind="text" autocomplete="off" value=name error=field_error(result, "name")/>
                <Field id="staff_email" label=|| t().email kind="email" autocomplete="off" value=email error=field_error(result, "email")/>
                <Choice name="staff_role" legend=|| t().role value=role
                    options=vec![(Role::Agent, || t().role_agent), (Role::Admin, || t().role_admin)]/>
                <Outcome result=result ok=|| t().created/>
                <button type="submit" disabled=move || create.pending().get()>{move || t().create_staff}</button>
            </form>
        </details>
    }
}

/// Service keys: on behalf of a staff account, the secret shown once, revocable.
#[component]
fn ServiceKeys(staff: Pages<Person>) -> impl IntoView {
    let keys = Pages::<ApiKey>::new(|| "/api/v1/service-keys".to_string());
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new(KeyScope::Read);
    let owner = RwSignal::new(String::new());
    let create = create_at::<NewServiceKey>("/api/v1/service-keys", keys, name);
    let revoke = revoke_at("/api/v1/service-keys", keys);
    let created = Signal::derive(move || create.value().get());
    let active_staff = move || {
        staff
            .items
            .get()
            .into_iter()
            .filter(|p| p.active)
            .collect::<Vec<_>>()
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let owner_id = owner
            .get_untracked()
            .parse()
            .ok()
            .or_else(|| staff.items.with_untracked(|s| s.first().map(|p| p.id)))
            .unwrap_or_default();
        create.dispatch(NewServiceKey {
            owner_id,
            name: name.get_untracked(),
            scope: scope.get_untracked(),
            expires_at: None,
        });
    };
    view! {
        <section aria-labelledby="service-keys-title">
            <h2 id="service-keys-title">{move || t().service_keys}</h2>
            <p>{move || t().service_keys_intro}</p>
            <form on:submit=on_submit novalidate>
                <div class="field">
                    <label for="key_owner">{move || t().key_owner}</label>
                    <select id="key_owner" on:change=move |ev| owner.set(event_target_value(&ev))>
                        <For each=active_staff key=|p| p.id let:p>
                            <option value=p.id.to_string()>{p.name.clone()}" · "{p.email.clone()}</option>
                        </For>
                    </select>
                    <p class="field-error">{move || field_error(created, "owner_id").get()}</p>
                </div>
                <Field id="service_key_name" label=|| t().key_name kind="text" autocomplete="off" value=name error=field_error(created, "name")/>
                <ScopeChoice name="service_key_scope" value=scope/>
                <p class="alert" role="alert">{move || created.get().and_then(Result::err).and_then(|e| e.general())}</p>
                <button type="submit" disabled=move || create.pending().get()>{move || t().create_key}</button>
            </form>
            {move || created.get().and_then(Result::ok).map(|k| view! { <SecretOnce id="service_key_secret" created=k/> })}
            <ul class="rows">
                <For each=move || keys.items.get() key=|k| (k.id, k.revoked_at.is_some()) let:k>
                    <KeyRow key=k show_owner=true revoke=revoke/>
                </For>
            </ul>
            <PagesFooter pages=keys empty=|| t().no_keys/>
        </section>
    }
}
