//! What the profile's API keys and the administrators' service keys share: creating and
//! revoking under one base path with the list kept in step, the scope choice, the secret shown
//! once after creating a key, and a key's row with its revoke button.

use faro_types::access::{ApiKey, CreatedApiKey, KeyScope};
use leptos::prelude::*;
use reqwest::Method;
use serde::Serialize;
use uuid::Uuid;

use crate::api::{ApiError, session};
use crate::components::{Choice, CopyButton, Pages};
use crate::i18n::{date_time, t, t_untracked};

/// Creating a key: a POST of `B` to `base`; once made, the name field empties and the list
/// `keys` is read again.
pub fn create_at<B: Serialize + Clone + 'static>(
    base: &'static str,
    keys: Pages<ApiKey>,
    name: RwSignal<String>,
) -> Action<B, Result<CreatedApiKey, ApiError>> {
    let create = Action::new_local(move |body: &B| {
        let body = body.clone();
        async move { session().post::<_, CreatedApiKey>(base, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            keys.reload();
        }
    });
    create
}

/// Revoking a key: DELETE `base/{id}`; the list `keys` shows it revoked.
pub fn revoke_at(base: &'static str, keys: Pages<ApiKey>) -> Callback<Uuid> {
    let revoke = Action::new_local(move |id: &Uuid| {
        let path = format!("{base}/{id}");
        async move {
            session()
                .call::<(), ApiKey>(Method::DELETE, &path, None)
                .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(k)) = revoke.value().get() {
            let id = k.id;
            keys.replace(|q| q.id == id, k);
        }
    });
    Callback::new(move |id| {
        revoke.dispatch(id);
    })
}

fn scope_label(s: KeyScope) -> &'static str {
    match s {
        KeyScope::Read => t().scope_read,
        KeyScope::ReadWrite => t().scope_read_write,
    }
}

/// Read only, or read and write.
#[component]
pub fn ScopeChoice(name: &'static str, value: RwSignal<KeyScope>) -> impl IntoView {
    view! {
        <Choice name=name legend=|| t().key_scope value=value
            options=vec![(KeyScope::Read, || t().scope_read), (KeyScope::ReadWrite, || t().scope_read_write)]/>
    }
}

/// The secret of a key just created: shown this once, with a copy button.
#[component]
pub fn SecretOnce(id: &'static str, created: CreatedApiKey) -> impl IntoView {
    let label = format!("{} {}", t_untracked().copy, created.key.name);
    view! {
        <div class="secret" role="status">
            <label for=id>{move || t().key_secret}</label>
            <input id=id type="text" readonly prop:value=created.secret.clone()/>
            <CopyButton text=created.secret label=label/>
        </div>
    }
}

/// A key in a list: name, prefix, (owner), scope, last use; revoke unless revoked.
#[component]
pub fn KeyRow(key: ApiKey, show_owner: bool, revoke: Callback<Uuid>) -> impl IntoView {
    let (id, scope, last_used) = (key.id, key.scope, key.last_used_at);
    let label = format!("{} {}", t_untracked().revoke, key.name);
    view! {
        <li>
            <span><strong>{key.name.clone()}</strong>" · "<code>{key.prefix.clone()}"…"</code>
                {show_owner.then(|| format!(" · {}", key.owner_email))}
                " · "{move || scope_label(scope)}
                " · "{move || t().last_used}": "
                {move || last_used.as_ref().map(date_time).unwrap_or_else(|| t().never.to_string())}
            </span>
            {if key.revoked_at.is_some() {
                view! { <span>{move || t().revoked}</span> }.into_any()
            } else {
                view! {
                    <button type="button" class="secondary" aria-label=label
                        on:click=move |_| revoke.run(id)>{move || t().revoke}</button>
                }.into_any()
            }}
        </li>
    }
}
