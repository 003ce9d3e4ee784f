//! The start page: who is signed in; anyone else is sent to sign in (a reloaded tab first tries
//! to renew its session with the refresh cookie).

use faro_types::accounts::Me;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::session;
use crate::i18n::t;

#[component]
pub fn Home() -> impl IntoView {
    let s = session();
    let navigate = use_navigate();
    // Who is signed in, fresh from the API (renewing the access token once if it has expired).
    let restore = LocalResource::new(move || async move {
        if !s.signed_in() && s.refresh().await.is_err() {
            return false;
        }
        match s
            .call::<(), Me>(reqwest::Method::GET, "/api/v1/me", None)
            .await
        {
            Ok(me) => {
                s.me.set(Some(me));
                true
            }
            Err(_) => false,
        }
    });
    Effect::new(move |_| {
        if restore.get() == Some(false) {
            navigate("/login", Default::default());
        }
    });
    let sign_out = Action::new_local(move |_: &()| async move { session().logout().await });
    view! {
        <Suspense fallback=move || view! { <p aria-live="polite">{move || t().loading}</p> }>
            {move || s.me.get().map(|me| view! {
                <h1>{move || t().hello}", " {me.name.clone()}</h1>
                <p>{me.email.clone()}</p>
                <p><a href="/profile">{move || t().profile}</a></p>
                <button on:click=move |_| { sign_out.dispatch(()); }>{move || t().sign_out}</button>
            })}
        </Suspense>
    }
}
