//! Downloads: the list of what is published to the person's company (by category, with what
//! is new since their last visit), and one item with its versions, the latest version's
//! button, "you downloaded it on …", and for staff the version upload with its progress bar,
//! withdrawals and who has not fetched the current version yet.

use faro_types::downloads::{
    DownloadItem, DownloadKind, DownloadList, DownloadStats, DownloadSummary, DownloadVersion,
    NewWithdrawal, VersionState,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use reqwest::Method;

use super::incidents::is_staff;
use crate::api::{ApiError, session};
use crate::components::{CopyButton, LoadFailed, Loading, Outcome, TextArea, field_error};
use crate::files::{OneFile, OneFilePicker};
use crate::i18n::{date, date_time, file_size, fill, number, t};
use crate::upload::{Part, send_form};

pub const KINDS: [DownloadKind; 3] = [
    DownloadKind::Document,
    DownloadKind::Template,
    DownloadKind::Software,
];

pub fn kind_label(k: DownloadKind) -> &'static str {
    match k {
        DownloadKind::Document => t().dl_kind_document,
        DownloadKind::Template => t().dl_kind_template,
        DownloadKind::Software => t().dl_kind_software,
    }
}

pub fn kind_code(k: DownloadKind) -> &'static str {
    match k {
        DownloadKind::Document => "document",
        DownloadKind::Template => "template",
        DownloadKind::Software => "software",
    }
}

fn state_label(s: VersionState) -> &'static str {
    match s {
        VersionState::Current => t().dl_state_current,
        VersionState::Superseded => t().dl_state_superseded,
        VersionState::Withdrawn => t().dl_state_withdrawn,
    }
}

fn state_code(s: VersionState) -> &'static str {
    match s {
        VersionState::Current => "current",
        VersionState::Superseded => "superseded",
        VersionState::Withdrawn => "withdrawn",
    }
}

/// The API's address of an item.
pub fn item_path(slug: &str) -> String {
    format!(
        "/api/v1/downloads/{}",
        String::from(js_sys::encode_uri_component(slug))
    )
}

/// Items grouped by category, in the order the API gave them (by category, then title).
fn by_category(items: Vec<DownloadSummary>) -> Vec<(String, Vec<DownloadSummary>)> {
    let mut groups: Vec<(String, Vec<DownloadSummary>)> = Vec::new();
    for i in items {
        match groups.iter_mut().find(|g| g.0 == i.category) {
            Some(g) => g.1.push(i),
            None => groups.push((i.category.clone(), vec![i])),
        }
    }
    groups
}

#[component]
pub fn Downloads() -> impl IntoView {
    let s = session();
    let staff = is_staff(s);
    let kind = RwSignal::new(String::new());
    let list = LocalResource::new(move || {
        let k = kind.get();
        let path = if k.is_empty() {
            "/api/v1/downloads".to_owned()
        } else {
            format!("/api/v1/downloads?kind={k}")
        };
        async move { s.get::<DownloadList>(&path).await }
    });
    // Once the list has been shown, what is new now counts as seen next time.
    let marked = StoredValue::new(false);
    Effect::new(move |_| {
        if matches!(list.get(), Some(Ok(_))) && !staff && !marked.get_value() {
            marked.set_value(true);
            leptos::task::spawn_local(async move {
                let _ = s
                    .act::<Option<chrono::DateTime<chrono::Utc>>>("/api/v1/me/downloads-visit")
                    .await;
            });
        }
    });
    view! {
        <h1>{move || t().downloads}</h1>
        <p>{move || if staff { t().dl_staff_intro } else { t().dl_intro }}</p>
        {staff.then(|| view! {
            <div class="actions"><A href="/downloads/new" attr:class="button">{move || t().dl_new}</A></div>
        })}
        <form class="filters" role="search" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="field">
                <label for="dl-kind">{move || t().kind}</label>
                <select id="dl-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{move || t().all_kinds}</option>
                    {KINDS.into_iter().map(|k| view! {
                        <option value=kind_code(k)>{move || kind_label(k)}</option>
                    }).collect_view()}
                </select>
            </div>
        </form>
        {move || match list.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| list.refetch())/> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => view! { <p class="muted">{move || t().dl_empty}</p> }.into_any(),
            Some(Ok(l)) => {
                let new_count = l.new_count;
                view! {
                    {(new_count > 0).then(|| view! {
                        <p class="ok" role="status">{move || fill(t().dl_new_since, &[&number(u64::from(new_count))])}</p>
                    })}
                    {by_category(l.items).into_iter().map(|(category, items)| view! {
                        <section class="download-group">
                            <h2>{if category.is_empty() { view! { {move || t().dl_others} }.into_any() } else { category.into_any() }}</h2>
                            <ul class="rows downloads">
                                {items.into_iter().map(|i| view! { <Row i=i staff=staff/> }).collect_view()}
                            </ul>
                        </section>
                    }).collect_view()}
                }.into_any()
            }
        }}
    }
}

#[component]
fn Row(i: DownloadSummary, staff: bool) -> impl IntoView {
    let kind = i.kind;
    let audience = (staff && !i.all_clients).then(|| {
        i.memberships
            .iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    });
    view! {
        <li>
            <div>
                <A href=format!("/downloads/{}", i.slug)><strong>{i.title.clone()}</strong></A>
                {i.new.then(|| view! { " "<span class="badge new">{move || t().dl_badge_new}</span> })}
                <br/>
                <span class="muted">
                    {move || kind_label(kind)}
                    {i.current.clone().map(|c| {
                        let at = c.published_at;
                        view! { " · "{move || t().dl_version}" "{c.label.clone()}" · "{move || date(&at)} }
                    })}
                    {i.current.is_none().then(|| view! { " · "<em>{move || t().dl_no_version}</em> })}
                    {audience.map(|a| view! { " · "{move || t().dl_audience}": "{a.clone()}})}
                </span>
            </div>
        </li>
    }
}

#[component]
pub fn DownloadPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let s = session();
    let loaded = LocalResource::new(move || {
        let path = item_path(&slug.get());
        async move { s.get::<DownloadItem>(&path).await }
    });
    let current = RwSignal::new(None::<DownloadItem>);
    Effect::new(move |_| {
        if let Some(Ok(i)) = loaded.get() {
            current.set(Some(i));
        }
    });
    let reload = Callback::new(move |_: ()| loaded.refetch());
    view! {
        <p><A href="/downloads">{move || t().downloads}</A></p>
        {move || match (current.get().filter(|i| i.summary.slug == slug.get()), loaded.get()) {
            (Some(i), _) => view! { <Whole i=i reload=reload/> }.into_any(),
            (None, Some(Err(e))) => view! { <LoadFailed error=e retry=Callback::new(move |_| loaded.refetch())/> }.into_any(),
            _ => view! { <Loading/> }.into_any(),
        }}
    }
}

#[component]
fn Whole(i: DownloadItem, reload: Callback<()>) -> impl IntoView {
    let staff = is_staff(session());
    let kind = i.summary.kind;
    let slug = i.summary.slug.clone();
    let audience = if i.summary.all_clients {
        None
    } else {
        Some(
            i.summary
                .memberships
                .iter()
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    view! {
        <article class="download">
            <h1>{i.summary.title.clone()}</h1>
            <p class="muted">
                {move || kind_label(kind)}
                {(!i.summary.category.is_empty()).then(|| format!(" · {}", i.summary.category))}
                {staff.then(|| view! {
                    " · "{move || t().dl_audience}": "
                    {match audience.clone() { None => view! { {move || t().dl_for_all} }.into_any(), Some(a) => a.into_any() }}
                })}
            </p>
            {staff.then(|| view! {
                <div class="actions"><A href=format!("/downloads/{slug}/edit") attr:class="button secondary">{move || t().dl_edit}</A></div>
            })}
            // Sanitised by the server (faro-markdown).
            <div class="prose" inner_html=i.description_html.clone()></div>
            {i.latest_url.clone().map(|url| {
                let label = i.summary.current.as_ref().map(|c| c.label.clone()).unwrap_or_default();
                view! {
                    <p><a class="button" href=url download="">{move || t().dl_latest}" ("{label.clone()}")"</a></p>
                }
            })}
            <section aria-labelledby="dl-versions-h">
                <h2 id="dl-versions-h">{move || t().dl_versions}</h2>
                {i.versions.is_empty().then(|| view! { <p class="muted">{move || t().dl_no_version}</p> })}
                <ul class="rows versions">
                    {i.versions.iter().cloned().map(|v| view! {
                        <VersionRow slug=i.summary.slug.clone() v=v staff=staff reload=reload/>
                    }).collect_view()}
                </ul>
            </section>
            {staff.then(|| view! {
                <Publish slug=i.summary.slug.clone() reload=reload/>
                <Stats slug=i.summary.slug.clone()/>
            })}
        </article>
    }
}

#[component]
fn VersionRow(
    slug: String,
    v: DownloadVersion,
    staff: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let s = session();
    let state = v.state;
    let published = v.published_at;
    let by = v.published_by.clone();
    let path = format!("{}/versions/{}/withdrawal", item_path(&slug), v.id);
    let reason = RwSignal::new(String::new());
    let withdraw = Action::new_local({
        let path = path.clone();
        move |_: &()| {
            let path = path.clone();
            let body = NewWithdrawal {
                reason: reason.get_untracked(),
            };
            async move { s.put::<_, DownloadVersion>(&path, &body).await }
        }
    });
    let reinstate = Action::new_local(move |_: &()| {
        let path = path.clone();
        async move {
            s.call::<(), DownloadVersion>(Method::DELETE, &path, None)
                .await
        }
    });
    Effect::new(move |_| {
        if matches!(withdraw.value().get(), Some(Ok(_)))
            || matches!(reinstate.value().get(), Some(Ok(_)))
        {
            reload.run(());
        }
    });
    let result = Signal::derive(move || withdraw.value().get());
    let sha = v.sha256.clone();
    let id = format!("v-{}", v.id);
    let reason_id = format!("dl-reason-{}", v.id);
    view! {
        <li id=id class=format!("version state-{}", state_code(state))>
            <div>
                <strong>{move || t().dl_version}" "{v.label.clone()}</strong>
                " "<span class=format!("badge dl-{}", state_code(state))>{move || state_label(state)}</span>
                <br/>
                <span class="muted">{move || fill(t().dl_published, &[&date(&published), &by])}</span>
                {v.fetched_at.map(|at| view! {
                    <br/><span class="fetched">{move || fill(t().dl_you_fetched, &[&date_time(&at)])}</span>
                })}
                {v.withdrawal.clone().map(|w| view! {
                    <p class="alert">{move || fill(t().dl_withdrawn_because, &[&date(&w.at), &w.reason])}</p>
                })}
                <div class="prose" inner_html=v.notes_html.clone()></div>
                <p class="muted file-facts">
                    {v.file_name.clone()}" · "{move || file_size(v.size)}<br/>
                    {move || t().sha256}": "<code class="sha">{sha.clone()}</code>" "
                    <CopyButton text=Signal::derive({ let sha = v.sha256.clone(); move || sha.clone() }) label=t().copy.to_string()/>
                </p>
                {v.url.clone().map(|url| view! {
                    <a class="button secondary" href=url download="">{move || t().dl_download}</a>
                })}
                {(staff && state == VersionState::Withdrawn).then(|| view! {
                    <button type="button" class="secondary" disabled=move || reinstate.pending().get()
                        on:click=move |_| { reinstate.dispatch(()); }>{move || t().dl_reinstate}</button>
                })}
                {(staff && state != VersionState::Withdrawn).then(|| view! {
                    <details class="panel">
                        <summary>{move || t().dl_withdraw}</summary>
                        <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); withdraw.dispatch(()); }>
                            <TextArea id=reason_id label=|| t().dl_withdraw_reason value=reason
                                error=field_error(result, "reason") rows=2 maxlength=500 required=true/>
                            <Outcome result=result ok=|| t().saved/>
                            <button type="submit" disabled=move || withdraw.pending().get()>{move || t().dl_withdraw_send}</button>
                        </form>
                    </details>
                })}
            </div>
        </li>
    }
}

/// Staff publish a version: its label, notes and file, with a bar while the file goes up.
#[component]
fn Publish(slug: String, reload: Callback<()>) -> impl IntoView {
    let s = session();
    let label = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let one = OneFile::new();
    let path = format!("{}/versions", item_path(&slug));
    let publish = Action::new_local(move |_: &()| {
        let mut parts = vec![
            Part::Text("label", label.get_untracked()),
            Part::Text("notes", notes.get_untracked()),
        ];
        parts.extend(one.part("file"));
        let path = path.clone();
        async move { send_form::<DownloadVersion>(s, &path, parts, one.progress()).await }
    });
    Effect::new(move |_| {
        if matches!(publish.value().get(), Some(Ok(_))) {
            label.set(String::new());
            notes.set(String::new());
            one.file.set(None);
            reload.run(());
        }
    });
    let result = Signal::derive(move || publish.value().get());
    let label_error = field_error(result, "label");
    view! {
        <section class="panel" aria-labelledby="dl-publish-h">
            <h2 id="dl-publish-h">{move || t().dl_publish}</h2>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); publish.dispatch(()); }>
                <div class="field">
                    <label for="dl-label">{move || t().dl_version}</label>
                    <input id="dl-label" type="text" required maxlength="64" autocomplete="off"
                        aria-describedby="dl-label-hint dl-label-error"
                        aria-invalid=move || label_error.get().is_some().to_string()
                        prop:value=label on:input=move |ev| label.set(event_target_value(&ev))/>
                    <p class="hint" id="dl-label-hint">{move || t().dl_label_hint}</p>
                    <p class="field-error" id="dl-label-error">{move || label_error.get()}</p>
                </div>
                <TextArea id="dl-notes" label=|| t().dl_notes value=notes error=field_error(result, "notes")
                    hint=|| t().dl_markdown_hint rows=4/>
                <OneFilePicker id="dl-file" label=|| t().dl_file one=one required=true
                    sending=publish.pending() error=field_error(result, "file")/>
                <Outcome result=result ok=|| t().dl_published_ok/>
                <button type="submit" disabled=move || publish.pending().get()>
                    {move || if publish.pending().get() { t().dl_publishing } else { t().dl_publish_send }}
                </button>
            </form>
        </section>
    }
}

/// Staff: downloads per version, and who in each membership has not fetched the current one.
#[component]
fn Stats(slug: String) -> impl IntoView {
    let s = session();
    let path = format!("{}/stats", item_path(&slug));
    let stats = LocalResource::new(move || {
        let path = path.clone();
        async move { s.get::<DownloadStats>(&path).await }
    });
    view! {
        <section class="panel" aria-labelledby="dl-stats-h">
            <h2 id="dl-stats-h">{move || t().dl_stats}</h2>
            {move || stats.get().map(|r: Result<DownloadStats, ApiError>| match r {
                Err(e) => view! { <p class="alert">{e.message()}</p> }.into_any(),
                Ok(st) => view! {
                    <p>{move || fill(t().dl_total, &[&number(st.total)])}</p>
                    <ul class="stats">
                        {st.versions.iter().map(|v| {
                            let (d, p) = (v.downloads, v.people);
                            view! { <li>{move || t().dl_version}" "{v.label.clone()}": "{move || fill(t().dl_count, &[&number(d), &number(p)])}</li> }
                        }).collect_view()}
                    </ul>
                    <h3>{move || t().dl_missing}</h3>
                    {st.missing_current.is_empty().then(|| view! { <p class="muted">{move || t().dl_missing_none}</p> })}
                    <ul class="missing">
                        {st.missing_current.iter().map(|m| view! {
                            <li><strong>{m.membership.name.clone()}</strong>": "{m.people.join(", ")}</li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}
