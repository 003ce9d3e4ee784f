//! Staff create or change a download item: its kind, title, category, Markdown description,
//! and who it is published for (every client, or the memberships ticked).

use faro_types::Page;
use faro_types::downloads::{DownloadDraft, DownloadItem, DownloadKind};
use faro_types::memberships::Membership;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use reqwest::Method;
use uuid::Uuid;

use super::downloads::{KINDS, item_path, kind_label};
use crate::api::{ApiError, Session, session};
use crate::components::{Field, LoadFailed, Loading, Outcome, TextArea, field_error};
use crate::i18n::t;

/// Every membership, however many pages they take (for the audience choice).
pub async fn all_memberships(s: Session) -> Result<Vec<Membership>, ApiError> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => "/api/v1/memberships?limit=100".to_owned(),
            Some(c) => format!(
                "/api/v1/memberships?limit=100&cursor={}",
                String::from(js_sys::encode_uri_component(c))
            ),
        };
        let page: Page<Membership> = s.get(&path).await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) if all.len() < 10_000 => cursor = Some(next),
            _ => return Ok(all),
        }
    }
}

#[component]
pub fn NewDownload() -> impl IntoView {
    view! {
        <p><A href="/downloads">{move || t().downloads}</A></p>
        <h1>{move || t().dl_new}</h1>
        <DownloadForm item=None/>
    }
}

#[component]
pub fn EditDownload() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let s = session();
    let loaded = LocalResource::new(move || {
        let path = item_path(&slug.get());
        async move { s.get::<DownloadItem>(&path).await }
    });
    view! {
        <p><A href=move || format!("/downloads/{}", slug.get())>{move || t().downloads}</A></p>
        <h1>{move || t().dl_edit}</h1>
        {move || match loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| loaded.refetch())/> }.into_any(),
            Some(Ok(i)) => view! { <DownloadForm item=Some(i)/> }.into_any(),
        }}
    }
}

#[component]
fn DownloadForm(item: Option<DownloadItem>) -> impl IntoView {
    let s = session();
    let navigate = use_navigate();
    let editing = item.as_ref().map(|i| i.summary.slug.clone());
    let kind = RwSignal::new(
        item.as_ref()
            .map(|i| i.summary.kind)
            .unwrap_or(DownloadKind::Document),
    );
    let title = RwSignal::new(
        item.as_ref()
            .map(|i| i.summary.title.clone())
            .unwrap_or_default(),
    );
    let category = RwSignal::new(
        item.as_ref()
            .map(|i| i.summary.category.clone())
            .unwrap_or_default(),
    );
    let description = RwSignal::new(
        item.as_ref()
            .map(|i| i.description.clone())
            .unwrap_or_default(),
    );
    let all_clients = RwSignal::new(item.as_ref().is_none_or(|i| i.summary.all_clients));
    let chosen = RwSignal::new(
        item.as_ref()
            .map(|i| {
                i.summary
                    .memberships
                    .iter()
                    .map(|m| m.id)
                    .collect::<Vec<Uuid>>()
            })
            .unwrap_or_default(),
    );
    let memberships = LocalResource::new(move || all_memberships(s));
    let save = Action::new_local(move |_: &()| {
        let body = DownloadDraft {
            kind: kind.get_untracked(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            category: category.get_untracked(),
            all_clients: all_clients.get_untracked(),
            memberships: chosen.get_untracked(),
        };
        let editing = editing.clone();
        async move {
            match editing {
                None => s.post::<_, DownloadItem>("/api/v1/downloads", &body).await,
                Some(slug) => {
                    s.call::<_, DownloadItem>(Method::PUT, &item_path(&slug), Some(&body))
                        .await
                }
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(i)) = save.value().get() {
            navigate(
                &format!("/downloads/{}", i.summary.slug),
                Default::default(),
            );
        }
    });
    let result = Signal::derive(move || save.value().get());
    view! {
        <form class="download-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save.dispatch(()); }>
            <fieldset class="choice">
                <legend>{move || t().kind}</legend>
                {KINDS.into_iter().map(|k| {
                    let id = format!("dl-kind-{}", super::downloads::kind_code(k));
                    let for_id = id.clone();
                    view! {
                        <label class="check" for=for_id>
                            <input type="radio" id=id name="dl-kind"
                                prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                            <span>{move || kind_label(k)}</span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <Field id="dl-title" label=|| t().dl_title_field kind="text" autocomplete="off"
                value=title error=field_error(result, "title")/>
            <div class="field">
                <label for="dl-category">{move || t().category}</label>
                <input id="dl-category" type="text" maxlength="80" autocomplete="off"
                    aria-describedby="dl-category-hint dl-category-error"
                    prop:value=category on:input=move |ev| category.set(event_target_value(&ev))/>
                <p class="hint" id="dl-category-hint">{move || t().dl_category_hint}</p>
                <p class="field-error" id="dl-category-error">{move || field_error(result, "category").get()}</p>
            </div>
            <TextArea id="dl-description" label=|| t().dl_description value=description
                error=field_error(result, "description") hint=|| t().dl_markdown_hint rows=6/>
            <fieldset class="choice audience" aria-describedby="dl-audience-error">
                <legend>{move || t().dl_audience}</legend>
                <label class="check" for="dl-all">
                    <input type="radio" id="dl-all" name="dl-audience"
                        prop:checked=move || all_clients.get() on:change=move |_| all_clients.set(true)/>
                    <span>{move || t().dl_for_all}</span>
                </label>
                <label class="check" for="dl-some">
                    <input type="radio" id="dl-some" name="dl-audience"
                        prop:checked=move || !all_clients.get() on:change=move |_| all_clients.set(false)/>
                    <span>{move || t().dl_for_some}</span>
                </label>
                {move || (!all_clients.get()).then(|| match memberships.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <p class="alert">{e.message()}</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="membership-choices">
                            {list.into_iter().map(|m| {
                                let id = m.id;
                                let input_id = format!("dl-m-{id}");
                                let for_id = input_id.clone();
                                view! {
                                    <li><label class="check" for=for_id>
                                        <input type="checkbox" id=input_id
                                            prop:checked=move || chosen.with(|c| c.contains(&id))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|c| {
                                                    c.retain(|x| *x != id);
                                                    if on { c.push(id); }
                                                });
                                            }/>
                                        <span>{m.name.clone()}</span>
                                    </label></li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
                <p class="field-error" id="dl-audience-error">{move || field_error(result, "memberships").get()}</p>
            </fieldset>
            <Outcome result=result ok=|| t().saved/>
            <button type="submit" disabled=move || save.pending().get()>{move || t().save}</button>
        </form>
    }
}
