//! Forgotten passwords: ask for a link (the same answer whether or not the address has an
//! account), then choose a new password with it (`/password/reset?token=…`).

use faro_types::accounts::{Accepted, ForgotPasswordRequest, ResetPasswordRequest};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{ApiError, session};
use crate::components::Field;
use crate::i18n::t;

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let submit = Action::new_local(move |email: &String| {
        let body = ForgotPasswordRequest {
            email: email.clone(),
        };
        async move {
            session()
                .public::<_, Accepted>("/api/v1/password/forgot", &body)
                .await
        }
    });
    let refused = move || submit.value().get().and_then(Result::err);
    let field = Signal::derive(move || refused().and_then(|e: ApiError| e.field("email")));
    let general = move || refused().and_then(|e| e.general());
    let sent = move || submit.value().get().and_then(Result::ok).map(|a| a.message);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(email.get_untracked());
    };
    view! {
        <h1>{move || t().forgot_title}</h1>
        <Show
            when=move || sent().is_none()
            fallback=move || view! { <p class="ok" role="status">{sent}</p> }
        >
            <form on:submit=on_submit novalidate>
                <Field id="email" label=|| t().email kind="email" autocomplete="email" value=email error=field/>
                <p class="alert" role="alert">{general}</p>
                <button type="submit" disabled=move || submit.pending().get()>{move || t().forgot_send}</button>
            </form>
        </Show>
    }
}

#[component]
pub fn ResetPassword() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let submit = Action::new_local(move |body: &ResetPasswordRequest| {
        let body = body.clone();
        async move {
            session()
                .public::<_, serde_json::Value>("/api/v1/password/reset", &body)
                .await
        }
    });
    let refused = move || submit.value().get().and_then(Result::err);
    let field = Signal::derive(move || refused().and_then(|e: ApiError| e.field("password")));
    let general = move || refused().and_then(|e| e.general());
    let done = move || submit.value().get().is_some_and(|r| r.is_ok());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(ResetPasswordRequest {
            token: token(),
            password: password.get_untracked(),
        });
    };
    view! {
        <h1>{move || t().reset_title}</h1>
        <Show
            when=move || !done()
            fallback=move || view! {
                <p class="ok" role="status">{move || t().reset_done}</p>
                <a href="/login">{move || t().sign_in}</a>
            }
        >
            <form on:submit=on_submit novalidate>
                <Field id="password" label=|| t().new_password kind="password" autocomplete="new-password" value=password error=field/>
                <p class="alert" role="alert">{general}</p>
                <button type="submit" disabled=move || submit.pending().get()>{move || t().reset_save}</button>
            </form>
        </Show>
    }
}
