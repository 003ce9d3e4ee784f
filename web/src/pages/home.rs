//! The start page of each role: who is signed in and where their work is (the same sections
//! as the header's).

use faro_types::accounts::Role;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::session;
use crate::i18n::{Label, t};
use crate::shell::sections;

#[component]
pub fn Home() -> impl IntoView {
    let s = session();
    move || {
        s.me.get().map(|me| {
            let intro: Label = match me.role {
                Role::Admin | Role::Agent => || t().home_staff,
                Role::Coordinator => || t().home_coordinator,
                Role::Member => || t().home_member,
            };
            let links = sections(me.role)
                .into_iter()
                .filter(|(href, _)| *href != "/");
            view! {
                <h1>{move || t().hello}", " {me.name.clone()}</h1>
                <p class="muted">
                    {me.email.clone()}
                    {me.membership.map(|m| format!(" · {}", m.name))}
                </p>
                <p>{move || intro()}</p>
                <ul class="cards">
                    {links.map(|(href, label)| view! {
                        <li><A href=href>{move || label()}</A></li>
                    }).collect_view()}
                </ul>
            }
        })
    }
}
