//! One's own profile: name and language, password, and API keys (created with the secret shown
//! once, listed, revoked). Everything through the documented `/api/v1/me` endpoints.

use faro_types::access::{ApiKey, KeyScope, NewApiKey};
use faro_types::accounts::{
    AccessToken, Language as ApiLanguage, Me, PasswordChange, ProfileUpdate,
};
use leptos::prelude::*;
use reqwest::Method;

use crate::api::session;
use crate::components::{
    Field, LoadFailed, Loading, Outcome, Pages, PagesFooter, field_error as errors_of,
};
use crate::i18n::{Language, t};
use crate::keys::{KeyRow, ScopeChoice, SecretOnce, create_at, revoke_at};

#[component]
pub fn Profile() -> impl IntoView {
    let s = session();
    let me = LocalResource::new(move || async move { s.get::<Me>("/api/v1/me").await });
    view! {
        <h1>{move || t().profile}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || me.get().map(|r| match r {
                Ok(me) => view! {
                    <NameAndLanguage me=me/>
                    <PasswordForm/>
                    <ApiKeys/>
                }.into_any(),
                Err(e) => view! { <LoadFailed error=e retry=Callback::new(move |_| me.refetch())/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn NameAndLanguage(me: Me) -> impl IntoView {
    let name = RwSignal::new(me.name.clone());
    let lang = RwSignal::new(me.language);
    let save = Action::new_local(move |body: &ProfileUpdate| {
        let body = body.clone();
        async move {
            session()
                .call::<_, Me>(Method::PATCH, "/api/v1/me", Some(&body))
                .await
        }
    });
    // The chosen language applies to the whole app at once.
    Effect::new(move |_| {
        if let Some(Ok(me)) = save.value().get() {
            if let Some(l) = use_context::<Language>() {
                l.apply(me.language);
            }
            session().me.set(Some(me));
        }
    });
    let result = Signal::derive(move || save.value().get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(ProfileUpdate {
            name: Some(name.get_untracked()),
            language: Some(lang.get_untracked()),
        });
    };
    view! {
        <form on:submit=on_submit novalidate>
            <Field id="name" label=|| t().name kind="text" autocomplete="name" value=name error=errors_of(result, "name")/>
            <div class="field">
            <label for="language">{move || t().language}</label>
            <select id="language" on:change=move |ev| {
                lang.set(if event_target_value(&ev) == "en" { ApiLanguage::En } else { ApiLanguage::Es })
            }>
                <option value="es" selected=move || lang.get() == ApiLanguage::Es>"Español"</option>
                <option value="en" selected=move || lang.get() == ApiLanguage::En>"English"</option>
            </select>
            </div>
            <Outcome result=result ok=|| t().saved/>
            <button type="submit" disabled=move || save.pending().get()>{move || t().save}</button>
        </form>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let change = Action::new_local(move |body: &PasswordChange| {
        let body = body.clone();
        async move {
            session()
                .call::<_, AccessToken>(Method::POST, "/api/v1/me/password", Some(&body))
                .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(tokens)) = change.value().get() {
            session().adopt(tokens);
            current.set(String::new());
            new.set(String::new());
        }
    });
    let result = Signal::derive(move || change.value().get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(PasswordChange {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        });
    };
    view! {
        <h2>{move || t().change_password}</h2>
        <form on:submit=on_submit novalidate>
            <Field id="current_password" label=|| t().current_password kind="password" autocomplete="current-password" value=current error=errors_of(result, "current_password")/>
            <Field id="new_password" label=|| t().new_password kind="password" autocomplete="new-password" value=new error=errors_of(result, "new_password")/>
            <Outcome result=result ok=|| t().password_changed/>
            <button type="submit" disabled=move || change.pending().get()>{move || t().change_password}</button>
        </form>
    }
}

#[component]
fn ApiKeys() -> impl IntoView {
    let keys = Pages::<ApiKey>::new(|| "/api/v1/me/api-keys".to_string());
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new(KeyScope::Read);
    let create = create_at::<NewApiKey>("/api/v1/me/api-keys", keys, name);
    let revoke = revoke_at("/api/v1/me/api-keys", keys);
    let created = Signal::derive(move || create.value().get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewApiKey {
            name: name.get_untracked(),
            scope: scope.get_untracked(),
            expires_at: None,
        });
    };
    view! {
        <h2>{move || t().api_keys}</h2>
        <p>{move || t().api_keys_intro}</p>
        <form on:submit=on_submit novalidate>
            <Field id="key_name" label=|| t().key_name kind="text" autocomplete="off" value=name error=errors_of(created, "name")/>
            <ScopeChoice name="key_scope" value=scope/>
            <p class="alert" role="alert">{move || created.get().and_then(Result::err).and_then(|e| e.general())}</p>
            <button type="submit" disabled=move || create.pending().get()>{move || t().create_key}</button>
        </form>
        {move || created.get().and_then(Result::ok).map(|k| view! { <SecretOnce id="key_secret" created=k/> })}
        <ul class="rows">
            <For each=move || keys.items.get() key=|k| (k.id, k.revoked_at.is_some()) let:k>
                <KeyRow key=k show_owner=false revoke=revoke/>
            </For>
        </ul>
        <PagesFooter pages=keys empty=|| t().no_keys/>
    }
}
