//! Search: the box in the header of every screen (titles suggested while typing, as a
//! combobox), and the results page `/search?q=` with filters, highlighted passages and more
//! results on demand.

use std::time::Duration;

use faro_types::kb::ArticleKind;
use faro_types::search::{SearchHit, SearchPage, SearchType, Suggestion};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::kb::{KINDS, kind_code, kind_label};
use crate::api::{ApiError, session};
use crate::components::{Debounce, LoadFailed, Loading};
use crate::i18n::{date, t};

fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

fn type_label(ty: SearchType) -> &'static str {
    match ty {
        SearchType::Article => t().type_article,
        SearchType::Incident => t().type_incident,
        SearchType::Download => t().type_download,
        SearchType::Resource => t().type_resource,
    }
}

fn type_code(ty: SearchType) -> &'static str {
    match ty {
        SearchType::Article => "article",
        SearchType::Incident => "incident",
        SearchType::Download => "download",
        SearchType::Resource => "resource",
    }
}

const TYPES: [SearchType; 4] = [
    SearchType::Article,
    SearchType::Incident,
    SearchType::Download,
    SearchType::Resource,
];

/// The header's search box: suggestions while typing (↑ ↓ to choose, Enter to open, Escape
/// to close); Enter on the text opens the results page.
#[component]
pub fn HeaderSearch() -> impl IntoView {
    let s = session();
    let text = RwSignal::new(String::new());
    let suggestions = RwSignal::new(Vec::<Suggestion>::new());
    let active = RwSignal::new(None::<usize>);
    let typed = Debounce::new();
    let navigate = use_navigate();
    let suggest = move |value: String| {
        if value.trim().chars().count() < 2 {
            typed.cancel();
            suggestions.set(Vec::new());
            return;
        }
        typed.run(Duration::from_millis(150), move |latest| async move {
            let path = format!("/api/v1/search/suggestions?q={}", encode(&value));
            if let Ok(found) = s.get::<Vec<Suggestion>>(&path).await
                && latest.still()
            {
                active.try_set(None);
                suggestions.try_set(found);
            }
        });
    };
    let go = {
        let navigate = navigate.clone();
        move |to: String| {
            suggestions.set(Vec::new());
            active.set(None);
            navigate(&to, Default::default());
        }
    };
    let submit = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let chosen = active
                .get_untracked()
                .and_then(|i| suggestions.with_untracked(|v| v.get(i).map(|x| x.link.clone())));
            match chosen {
                Some(link) => go(link),
                None => {
                    let q = text.get_untracked();
                    if !q.trim().is_empty() {
                        go(format!("/search?q={}", encode(&q)));
                    }
                }
            }
        }
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        let n = suggestions.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % n)));
            }
            "ArrowUp" if n > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(n - 1, |i| (i + n - 1) % n)));
            }
            "Escape" => {
                suggestions.set(Vec::new());
                active.set(None);
            }
            _ => {}
        }
    };
    view! {
        <form class="header-search" role="search" on:submit=submit>
            <label for="header-q" class="visually-hidden">{move || t().search_label}</label>
            <input id="header-q" type="search" autocomplete="off" role="combobox"
                aria-autocomplete="list" aria-controls="header-suggestions"
                aria-expanded=move || suggestions.with(|v| !v.is_empty()).to_string()
                aria-activedescendant=move || active.get().map(|i| format!("suggestion-{i}")).unwrap_or_default()
                placeholder=move || t().search_placeholder
                prop:value=text
                on:input=move |ev| { let v = event_target_value(&ev); text.set(v.clone()); suggest(v); }
                on:keydown=keys/>
            <button type="submit" class="secondary">{move || t().search}</button>
            <ul id="header-suggestions" role="listbox" class="suggestions" aria-label=move || t().suggestions
                hidden=move || suggestions.with(Vec::is_empty)>
                {move || suggestions.get().into_iter().enumerate().map(|(i, x)| {
                    let go = go.clone();
                    let link = x.link.clone();
                    view! {
                        <li id=format!("suggestion-{i}") role="option"
                            aria-selected=move || (active.get() == Some(i)).to_string()
                            on:mousedown=move |ev| { ev.prevent_default(); go(link.clone()); }>
                            {x.title.clone()}<span class="muted">" · "{type_label(x.kind_of)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </form>
    }
}

#[component]
pub fn Search() -> impl IntoView {
    let s = session();
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let text = RwSignal::new(q.get_untracked());
    Effect::new(move |_| text.set(q.get()));
    let ty = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let items = RwSignal::new(Vec::<SearchHit>::new());
    let next = RwSignal::new(None::<String>);
    let state = RwSignal::new(None::<Result<(u64, bool, bool), ApiError>>);
    let fetch = move |cursor: Option<String>| {
        let mut path = format!("/api/v1/search?q={}", encode(&q.get_untracked()));
        let (t_, k) = (ty.get_untracked(), kind.get_untracked());
        if !t_.is_empty() {
            path.push_str(&format!("&type={t_}"));
        }
        if !k.is_empty() {
            path.push_str(&format!("&kind={k}"));
        }
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        leptos::task::spawn_local(async move {
            match s.get::<SearchPage>(&path).await {
                Ok(page) => {
                    if cursor.is_none() {
                        items.try_set(page.items);
                    } else {
                        items.try_update(|v| v.extend(page.items));
                    }
                    next.try_set(page.next_cursor);
                    state.try_set(Some(Ok((page.total, page.relaxed, page.fell_back))));
                }
                Err(e) => {
                    state.try_set(Some(Err(e)));
                }
            }
        });
    };
    Effect::new(move |_| {
        q.track();
        ty.track();
        kind.track();
        state.set(None);
        fetch(None);
    });
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        navigate(
            &format!("/search?q={}", encode(&text.get_untracked())),
            Default::default(),
        );
    };
    view! {
        <h1>{move || t().search_title}</h1>
        <form class="filters" role="search" on:submit=submit>
            <div class="field">
                <label for="search-q">{move || t().search_label}</label>
                <input id="search-q" type="search" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="search-type">{move || t().search_type}</label>
                <select id="search-type" on:change=move |ev| { ty.set(event_target_value(&ev)); kind.set(String::new()); }>
                    <option value="">{move || t().search_everything}</option>
                    {TYPES.into_iter().map(|x| view! { <option value=type_code(x)>{move || type_label(x)}</option> }).collect_view()}
                </select>
            </div>
            {move || (ty.get() == "article").then(|| view! {
                <div class="field">
                    <label for="search-kind">{move || t().kind}</label>
                    <select id="search-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="">{move || t().all_kinds}</option>
                        {KINDS.into_iter().map(|k: ArticleKind| view! { <option value=kind_code(k)>{move || kind_label(k)}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <button type="submit">{move || t().search}</button>
        </form>
        {move || match state.get() {
            None if !q.get().trim().is_empty() => view! { <Loading/> }.into_any(),
            None => ().into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| fetch(None))/> }.into_any(),
            Some(Ok((total, relaxed, fell_back))) => view! {
                <p role="status">
                    {move || if total == 0 && !q.get().trim().is_empty() { t().search_none.to_string() } else { t().search_count.replace("{}", &total.to_string()) }}
                    {relaxed.then(|| view! { " "{move || t().search_relaxed} })}
                    {fell_back.then(|| view! { " "{move || t().search_fell_back} })}
                </p>
            }.into_any(),
        }}
        <ul class="rows results">
            <For each=move || items.get() key=|h| h.id let:h>
                <li>
                    <div>
                        // Escaped by the server, with the matched words in <b>.
                        <A href=h.link.clone()><strong inner_html=h.title_html.clone()></strong></A>
                        <br/>
                        <span class="snippet" inner_html=h.snippet_html.clone()></span>
                        <br/>
                        <span class="muted">
                            {type_label(h.kind_of)}
                            {h.kind.map(|k| format!(" · {}", kind_label(k)))}
                            {h.category.clone().map(|c| format!(" · {c}"))}
                            " · "{move || date(&h.updated_at)}
                        </span>
                    </div>
                </li>
            </For>
        </ul>
        {move || next.get().map(|c| view! {
            <button type="button" class="secondary" on:click=move |_| fetch(Some(c.clone()))>{move || t().load_more}</button>
        })}
    }
}
