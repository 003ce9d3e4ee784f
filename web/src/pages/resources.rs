//! The resources catalogue: free tools by category, each with its official site, the copy
//! hosted here (version, size, SHA-256) and the day it was last checked; a filter while
//! typing. Staff add and change entries (with an optional hosted copy and its progress bar),
//! mark them checked today and remove them.

use faro_types::downloads::{Resource, ResourceList};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use reqwest::Method;

use super::incidents::is_staff;
use crate::api::session;
use crate::components::{
    CopyButton, Field, LoadFailed, Loading, Outcome, TextArea, confirm, field_error,
};
use crate::files::{OneFile, OneFilePicker};
use crate::i18n::{file_size, fill, t};
use crate::upload::{Part, send_form_as};

fn resource_path(slug: &str) -> String {
    format!(
        "/api/v1/resources/{}",
        String::from(js_sys::encode_uri_component(slug))
    )
}

/// Lower case without accents, for the filter.
fn folded(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            other => other,
        })
        .collect()
}

/// A day as the person reads it ("2 nov 2026").
fn day(d: chrono::NaiveDate) -> String {
    let at = d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    crate::i18n::date(&at)
}

#[component]
pub fn Resources() -> impl IntoView {
    let s = session();
    let staff = is_staff(s);
    let list =
        LocalResource::new(move || async move { s.get::<ResourceList>("/api/v1/resources").await });
    let filter = RwSignal::new(String::new());
    let changed = Callback::new(move |_: ()| list.refetch());
    view! {
        <h1>{move || t().resources}</h1>
        <p>{move || t().res_intro}</p>
        {staff.then(|| view! {
            <div class="actions"><A href="/resources/new" attr:class="button">{move || t().res_new}</A></div>
        })}
        <form class="filters" role="search" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="field">
                <label for="res-filter">{move || t().res_filter}</label>
                <input id="res-filter" type="search" autocomplete="off"
                    prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
            </div>
        </form>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| list.refetch())/> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => view! { <p class="muted">{move || t().res_empty}</p> }.into_any(),
            Some(Ok(l)) => {
                let wanted = folded(filter.get().trim());
                let mut groups: Vec<(String, Vec<Resource>)> = Vec::new();
                for r in l.items.into_iter().filter(|r| {
                    wanted.is_empty()
                        || folded(&format!("{} {} {}", r.name, r.category, r.description)).contains(&wanted)
                }) {
                    match groups.iter_mut().find(|g| g.0 == r.category) {
                        Some(g) => g.1.push(r),
                        None => groups.push((r.category.clone(), vec![r])),
                    }
                }
                view! {
                    {groups.into_iter().map(|(category, items)| view! {
                        <section class="resource-group">
                            <h2>{if category.is_empty() { view! { {move || t().dl_others} }.into_any() } else { category.into_any() }}</h2>
                            <ul class="resource-list">
                                {items.into_iter().map(|r| view! { <li><Card r=r staff=staff changed=changed/></li> }).collect_view()}
                            </ul>
                        </section>
                    }).collect_view()}
                }.into_any()
            }
        }}
    }
}

/// One resource (the address search results and links point to).
#[component]
pub fn ResourcePage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let s = session();
    let staff = is_staff(s);
    let loaded = LocalResource::new(move || {
        let path = resource_path(&slug.get());
        async move { s.get::<Resource>(&path).await }
    });
    let navigate = use_navigate();
    let changed = Callback::new(move |_: ()| loaded.refetch());
    let gone = Callback::new(move |_: ()| navigate("/resources", Default::default()));
    view! {
        <p><A href="/resources">{move || t().res_back}</A></p>
        {move || match loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| loaded.refetch())/> }.into_any(),
            Some(Ok(r)) => view! { <Card r=r staff=staff changed=changed removed=gone/> }.into_any(),
        }}
    }
}

#[component]
fn Card(
    r: Resource,
    staff: bool,
    changed: Callback<()>,
    #[prop(optional)] removed: Option<Callback<()>>,
) -> impl IntoView {
    let s = session();
    let path = resource_path(&r.slug);
    let check = Action::new_local({
        let path = path.clone();
        move |_: &()| {
            let path = format!("{path}/check");
            async move { s.act::<Resource>(&path).await }
        }
    });
    let remove = Action::new_local(move |_: &()| {
        let path = path.clone();
        async move { s.call::<(), ()>(Method::DELETE, &path, None).await }
    });
    Effect::new(move |_| {
        if matches!(check.value().get(), Some(Ok(_))) {
            changed.run(());
        }
        if matches!(remove.value().get(), Some(Ok(_))) {
            match removed {
                Some(gone) => gone.run(()),
                None => changed.run(()),
            }
        }
    });
    let checked = match (r.checked_today, r.checked_on) {
        (true, _) => {
            view! { <span class="badge checked">{move || t().res_checked_today}</span> }.into_any()
        }
        (false, Some(d)) => {
            view! { <span class="muted">{move || fill(t().res_checked_on, &[&day(d)])}</span> }
                .into_any()
        }
        (false, None) => {
            view! { <span class="muted">{move || t().res_never_checked}</span> }.into_any()
        }
    };
    let slug = r.slug.clone();
    view! {
        <article class="resource" id=format!("r-{}", r.slug)>
            <h3><A href=format!("/resources/{}", r.slug)>{r.name.clone()}</A></h3>
            // Sanitised by the server (faro-markdown).
            <div class="prose" inner_html=r.description_html.clone()></div>
            <p>
                <a href=r.url.clone() target="_blank" rel="noopener noreferrer">{move || t().res_official}</a>
                " · "{checked}
            </p>
            {r.hosted.clone().map(|h| {
                let size = h.size;
                let sha = h.sha256.clone();
                view! {
                    <p class="file-facts">
                        <a class="button secondary" href=h.url.clone() download="">{move || t().res_hosted}</a>" "
                        <span class="muted">
                            {h.file_name.clone()}
                            {(!h.version.is_empty()).then(|| { let v = h.version.clone(); view! { " · "{move || fill(t().res_hosted_version, &[&v])} } })}
                            " · "{move || file_size(size)}
                        </span>
                        <br/>
                        <span class="muted">{move || t().sha256}": "</span><code class="sha">{sha.clone()}</code>" "
                        <CopyButton text=Signal::derive(move || sha.clone()) label=t().copy.to_string()/>
                    </p>
                }
            })}
            {staff.then(|| view! {
                <div class="actions">
                    <button type="button" class="secondary small" disabled=move || check.pending().get()
                        on:click=move |_| { check.dispatch(()); }>{move || t().res_check}</button>
                    <A href=format!("/resources/{slug}/edit") attr:class="button secondary small">{move || t().edit}</A>
                    <button type="button" class="danger small" disabled=move || remove.pending().get()
                        on:click=move |_| { if confirm(t().res_delete_confirm) { remove.dispatch(()); } }>{move || t().res_delete}</button>
                </div>
                <p class="alert" role="alert">
                    {move || check.value().get().and_then(Result::err).or_else(|| remove.value().get().and_then(Result::err)).map(|e| e.message())}
                </p>
            })}
        </article>
    }
}

#[component]
pub fn NewResource() -> impl IntoView {
    view! {
        <p><A href="/resources">{move || t().res_back}</A></p>
        <h1>{move || t().res_new}</h1>
        <ResourceForm r=None/>
    }
}

#[component]
pub fn EditResource() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let s = session();
    let loaded = LocalResource::new(move || {
        let path = resource_path(&slug.get());
        async move { s.get::<Resource>(&path).await }
    });
    view! {
        <p><A href="/resources">{move || t().res_back}</A></p>
        <h1>{move || t().res_edit}</h1>
        {move || match loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| loaded.refetch())/> }.into_any(),
            Some(Ok(r)) => view! { <ResourceForm r=Some(r)/> }.into_any(),
        }}
    }
}

#[component]
fn ResourceForm(r: Option<Resource>) -> impl IntoView {
    let s = session();
    let navigate = use_navigate();
    let text = |f: fn(&Resource) -> String| RwSignal::new(r.as_ref().map(f).unwrap_or_default());
    let name = text(|r| r.name.clone());
    let url = text(|r| r.url.clone());
    let category = text(|r| r.category.clone());
    let description = text(|r| r.description.clone());
    let version = text(|r| {
        r.hosted
            .as_ref()
            .map(|h| h.version.clone())
            .unwrap_or_default()
    });
    let checked_on = text(|r| r.checked_on.map(|d| d.to_string()).unwrap_or_default());
    let kept = r
        .as_ref()
        .and_then(|r| r.hosted.as_ref().map(|h| h.file_name.clone()));
    let editing = r.as_ref().map(|r| r.slug.clone());
    let one = OneFile::new();
    let save = Action::new_local(move |_: &()| {
        let mut parts = vec![
            Part::Text("name", name.get_untracked()),
            Part::Text("url", url.get_untracked()),
            Part::Text("category", category.get_untracked()),
            Part::Text("description", description.get_untracked()),
            Part::Text("version", version.get_untracked()),
            Part::Text("checked_on", checked_on.get_untracked()),
        ];
        parts.extend(one.part("file"));
        let (method, path) = match &editing {
            None => ("POST", "/api/v1/resources".to_owned()),
            Some(slug) => ("PUT", resource_path(slug)),
        };
        async move { send_form_as::<Resource>(s, method, &path, parts, one.progress()).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = save.value().get() {
            navigate(&format!("/resources/{}", r.slug), Default::default());
        }
    });
    let result = Signal::derive(move || save.value().get());
    let kept_hint = Signal::derive(move || {
        kept.as_ref()
            .map(|k| fill(t().res_file_kept, &[k]))
            .unwrap_or_default()
    });
    let has_copy = r.as_ref().is_some_and(|r| r.hosted.is_some());
    view! {
        <form class="resource-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save.dispatch(()); }>
            <Field id="res-name" label=|| t().res_name kind="text" autocomplete="off" value=name error=field_error(result, "name")/>
            <Field id="res-url" label=|| t().res_url kind="url" autocomplete="off" value=url error=field_error(result, "url")/>
            <Field id="res-category" label=|| t().category kind="text" autocomplete="off" value=category
                error=field_error(result, "category") optional=true/>
            <TextArea id="res-description" label=|| t().dl_description value=description
                error=field_error(result, "description") hint=|| t().dl_markdown_hint rows=4/>
            <OneFilePicker id="res-file" label=|| t().res_file one=one sending=save.pending()
                error=field_error(result, "file") hint=kept_hint/>
            <Field id="res-version" label=|| t().res_version kind="text" autocomplete="off" value=version
                error=field_error(result, "version") optional=true/>
            <Field id="res-checked" label=|| t().res_checked_field kind="date" autocomplete="off" value=checked_on
                error=field_error(result, "checked_on") optional=true/>
            <Outcome result=result ok=|| t().saved/>
            <button type="submit" disabled=move || save.pending().get()>
                {move || if save.pending().get() { t().dl_publishing } else { t().save }}
            </button>
        </form>
        {has_copy.then(|| view! { <RemoveHosted slug=r.as_ref().map(|r| r.slug.clone()).unwrap_or_default()/> })}
    }
}

/// Staff stop hosting a resource's copy (the entry stays with its official site).
#[component]
fn RemoveHosted(slug: String) -> impl IntoView {
    let s = session();
    let navigate = use_navigate();
    let path = format!("{}/file", resource_path(&slug));
    let remove = Action::new_local(move |_: &()| {
        let path = path.clone();
        async move { s.call::<(), Resource>(Method::DELETE, &path, None).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(r)) = remove.value().get() {
            navigate(&format!("/resources/{}", r.slug), Default::default());
        }
    });
    view! {
        <p>
            <button type="button" class="secondary" disabled=move || remove.pending().get()
                on:click=move |_| { remove.dispatch(()); }>{move || t().res_remove_file}</button>
        </p>
        <p class="alert" role="alert">{move || remove.value().get().and_then(Result::err).map(|e| e.message())}</p>
    }
}
