//! Sign-in: e-mail and password; the API's refusal shown beside the form, nothing typed lost.
//! After it, the screen the person was sent here from (`?next=`), else the start page.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::session;
use crate::i18n::t;

/// Only a path of this portal (never another site) may be the place to go back to.
fn back_to(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
        .unwrap_or_else(|| "/".to_string())
}

#[component]
pub fn Login() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let query = use_query_map();
    // Already signed in: nothing to do here.
    let s = session();
    let home = navigate.clone();
    Effect::new(move |_| {
        if s.me.with_untracked(Option::is_some) && !s.expired.get_untracked() {
            home("/", Default::default());
        }
    });
    let submit = Action::new_local(move |(e, p): &(String, String)| {
        let (e, p) = (e.clone(), p.clone());
        async move { session().login(e, p).await }
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(_) => navigate(
                    &back_to(query.with_untracked(|q| q.get("next"))),
                    Default::default(),
                ),
                Err(e) => problem.set(Some(e.message())),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        submit.dispatch((email.get_untracked(), password.get_untracked()));
    };
    view! {
        <h1>{move || t().sign_in}</h1>
        <form on:submit=on_submit novalidate>
            <div class="field">
                <label for="email">{move || t().email}</label>
                <input id="email" type="email" autocomplete="username" required
                    prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="password">{move || t().password}</label>
                <input id="password" type="password" autocomplete="current-password" required
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
            </div>
            <p class="alert" role="alert">{move || problem.get()}</p>
            <button type="submit" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { t().signing_in } else { t().sign_in }}
            </button>
        </form>
        <p><a href="/password/forgot">{move || t().forgot_link}</a></p>
        <p><a href="/join">{move || t().join_link}</a></p>
    }
}
