//! Sign-in: e-mail and password; the API's refusal shown beside the form, nothing typed lost.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::session;
use crate::i18n::t;

#[component]
pub fn Login() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let submit = Action::new_local(move |(e, p): &(String, String)| {
        let (e, p) = (e.clone(), p.clone());
        async move { session().login(e, p).await }
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(_) => navigate("/", Default::default()),
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
            <label for="email">{move || t().email}</label>
            <input id="email" type="email" autocomplete="username" required
                prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
            <label for="password">{move || t().password}</label>
            <input id="password" type="password" autocomplete="current-password" required
                prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
            <p role="alert" aria-live="polite">{move || problem.get()}</p>
            <button type="submit" disabled=move || submit.pending().get()>
                {move || if submit.pending().get() { t().signing_in } else { t().sign_in }}
            </button>
        </form>
        <p><a href="/password/forgot">{move || t().forgot_link}</a></p>
    }
}
