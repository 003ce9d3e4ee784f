//! First-run setup: the link `faro serve` prints (`/setup?token=…`) creates the administrator.
//! The API's refusals are shown beside their fields; nothing typed is lost.

use faro_types::accounts::SetupRequest;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{ApiError, session};
use crate::components::Field;
use crate::i18n::t;

#[component]
pub fn Setup() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let (name, email, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let refused = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let submit = Action::new_local(move |body: &SetupRequest| {
        let body = body.clone();
        async move { session().setup(body).await }
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(_) => navigate("/", Default::default()),
                Err(e) => refused.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        refused.set(None);
        submit.dispatch(SetupRequest {
            token: token(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
        });
    };
    let field =
        move |f: &'static str| Signal::derive(move || refused.get().and_then(|e| e.field(f)));
    let general = move || refused.get().and_then(|e| e.general());
    view! {
        <h1>{move || t().setup_title}</h1>
        <p>{move || t().setup_intro}</p>
        <form on:submit=on_submit novalidate>
            <Field id="name" label=|| t().name kind="text" autocomplete="name" value=name error=field("name")/>
            <Field id="email" label=|| t().email kind="email" autocomplete="username" value=email error=field("email")/>
            <Field id="password" label=|| t().password kind="password" autocomplete="new-password" value=password error=field("password")/>
            <p class="alert" role="alert">{general}</p>
            <button type="submit" disabled=move || submit.pending().get()>{move || t().create_admin}</button>
        </form>
    }
}
