//! Joining a membership: the invitation code (pre-filled from `/join?code=…`), name, e-mail and
//! password; then the e-mailed link (`/join/confirm?token=…`) asks for one click, so mail
//! scanners that open links do not confirm on the person's behalf.

use faro_types::accounts::{Accepted, JoinRequest, Person, TokenRequest};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{ApiError, session};
use crate::components::Field;
use crate::i18n::{Language, t};

fn language() -> faro_types::accounts::Language {
    Language::current()
}

#[component]
pub fn Join() -> impl IntoView {
    let query = use_query_map();
    let code = RwSignal::new(query.with_untracked(|q| q.get("code").unwrap_or_default()));
    let (name, email, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let submit = Action::new_local(move |body: &JoinRequest| {
        let body = body.clone();
        async move { session().public::<_, Accepted>("/api/v1/join", &body).await }
    });
    let refused = move || submit.value().get().and_then(Result::err);
    let field =
        move |f: &'static str| Signal::derive(move || refused().and_then(|e: ApiError| e.field(f)));
    let general = move || refused().and_then(|e| e.general());
    let sent = move || submit.value().get().and_then(Result::ok).map(|a| a.message);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(JoinRequest {
            code: code.get_untracked(),
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            language: Some(language()),
        });
    };
    view! {
        <h1>{move || t().join_title}</h1>
        <Show
            when=move || sent().is_none()
            fallback=move || view! { <p class="ok" role="status">{sent}</p> }
        >
            <p>{move || t().join_intro}</p>
            <form on:submit=on_submit novalidate>
                <Field id="code" label=|| t().code kind="text" autocomplete="off" value=code error=field("code")/>
                <Field id="name" label=|| t().name kind="text" autocomplete="name" value=name error=field("name")/>
                <Field id="email" label=|| t().email kind="email" autocomplete="email" value=email error=field("email")/>
                <Field id="password" label=|| t().password kind="password" autocomplete="new-password" value=password error=field("password")/>
                <p class="alert" role="alert">{general}</p>
                <button type="submit" disabled=move || submit.pending().get()>{move || t().join_send}</button>
            </form>
        </Show>
    }
}

#[component]
pub fn JoinConfirm() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let confirm = Action::new_local(move |token: &String| {
        let body = TokenRequest {
            token: token.clone(),
        };
        async move {
            session()
                .public::<_, Person>("/api/v1/join/confirm", &body)
                .await
        }
    });
    let outcome = move || confirm.value().get();
    view! {
        <h1>{move || t().confirm_title}</h1>
        {move || match outcome() {
            None => view! {
                <button on:click=move |_| { confirm.dispatch(token()); }
                    disabled=move || confirm.pending().get()>{move || t().confirm_button}</button>
            }
            .into_any(),
            Some(Ok(_)) => view! {
                <p class="ok" role="status">{move || t().confirmed}</p>
                <a href="/login">{move || t().sign_in}</a>
            }
            .into_any(),
            Some(Err(e)) => view! { <p class="alert" role="alert">{e.message()}</p> }.into_any(),
        }}
    }
}
