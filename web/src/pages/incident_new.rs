//! Opening an incident: the title (with "¿Es esto lo que buscas?" articles while typing), the
//! affected system, the priority with its definition beside each choice, a Markdown
//! description and any number of files, each with its progress bar while the form is sent.

use std::time::Duration;

use faro_types::incidents::{IncidentSummary, Priority, PriorityDefinition};
use faro_types::search::SearchPage;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::incidents::{priority_code, priority_label};
use crate::api::{ApiError, session};
use crate::components::{Debounce, Loading, Outcome, field_error};
use crate::files::{Chosen, FilePicker};
use crate::i18n::t;
use crate::upload::{Part, send_form};

#[component]
pub fn NewIncident() -> impl IntoView {
    let s = session();
    let title = RwSignal::new(String::new());
    let system = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let priority = RwSignal::new(Priority::Medium);
    let chosen = Chosen::new();
    let navigate = use_navigate();
    let definitions = LocalResource::new(move || async move {
        s.get::<Vec<PriorityDefinition>>("/api/v1/incidents/priorities")
            .await
    });
    let open = Action::new_local(move |_: &()| {
        let mut parts = vec![
            Part::Text("title", title.get_untracked()),
            Part::Text("system", system.get_untracked()),
            Part::Text("priority", priority_code(priority.get_untracked()).into()),
            Part::Text("description", description.get_untracked()),
        ];
        parts.extend(chosen.parts("files"));
        chosen.sending.set(true);
        let progress = chosen.progress();
        async move {
            let r = send_form::<IncidentSummary>(s, "/api/v1/incidents", parts, progress).await;
            chosen.sending.try_set(false);
            r
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(i)) = open.value().get() {
            navigate(&format!("/incidents/{}", i.number), Default::default());
        }
    });
    let result = Signal::derive(move || open.value().get());
    let (title_error, system_error) = (field_error(result, "title"), field_error(result, "system"));
    let description_error = field_error(result, "description");
    view! {
        <p><A href="/incidents">{move || t().incidents}</A></p>
        <h1>{move || t().inc_new}</h1>
        <form class="incident-form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); open.dispatch(()); }>
            <div class="field">
                <label for="inc-title">{move || t().field_title}</label>
                <input id="inc-title" type="text" required maxlength="200" autocomplete="off"
                    aria-describedby="inc-title-hint"
                    aria-invalid=move || title_error.get().is_some().to_string()
                    prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
                <p class="hint" id="inc-title-hint">{move || t().inc_title_hint}</p>
                <p class="field-error">{move || title_error.get()}</p>
            </div>
            <MaybeThis title=title/>
            <div class="field">
                <label for="inc-system">{move || t().inc_system}</label>
                <input id="inc-system" type="text" maxlength="200" autocomplete="off"
                    aria-describedby="inc-system-hint"
                    prop:value=system on:input=move |ev| system.set(event_target_value(&ev))/>
                <p class="hint" id="inc-system-hint">{move || t().inc_system_hint}</p>
                <p class="field-error">{move || system_error.get()}</p>
            </div>
            <fieldset class="choice priorities">
                <legend>{move || t().priority}</legend>
                {move || match definitions.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(list) => {
                        // Without the definitions (an old server) the choices stand alone.
                        let list = list.unwrap_or_default();
                        [Priority::High, Priority::Medium, Priority::Low].into_iter().map(|p| {
                            let definition = list.iter().find(|d| d.priority == p).map(|d| d.definition.clone());
                            let id = format!("inc-priority-{}", priority_code(p));
                            let for_id = id.clone();
                            view! {
                                <label class="check priority-choice" for=for_id>
                                    <input type="radio" id=id name="priority"
                                        prop:checked=move || priority.get() == p
                                        on:change=move |_| priority.set(p)/>
                                    <span><strong>{move || priority_label(p)}</strong>
                                        {definition.map(|d| format!(": {d}"))}</span>
                                </label>
                            }
                        }).collect_view().into_any()
                    }
                }}
            </fieldset>
            <div class="field">
                <label for="inc-description">{move || t().inc_description}</label>
                <textarea id="inc-description" rows="8" required maxlength="20000"
                    aria-describedby="inc-description-hint"
                    aria-invalid=move || description_error.get().is_some().to_string()
                    prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <p class="hint" id="inc-description-hint">{move || t().inc_description_hint}</p>
                <p class="field-error">{move || description_error.get()}</p>
            </div>
            <FilePicker id="inc-files" chosen=chosen error=field_error(result, "files")/>
            <Outcome result=result ok=|| t().saved/>
            <button type="submit" disabled=move || open.pending().get()>
                {move || if open.pending().get() { t().inc_opening } else { t().inc_open_send }}
            </button>
        </form>
    }
}

/// Articles matching the title typed so far, a moment after typing stops.
#[component]
fn MaybeThis(title: RwSignal<String>) -> impl IntoView {
    let s = session();
    let found = RwSignal::new(None::<SearchPage>);
    let typed = Debounce::new();
    Effect::new(move |_| {
        let words = title.get();
        if words.trim().chars().count() < 4 {
            typed.cancel();
            found.set(None);
            return;
        }
        typed.run(Duration::from_millis(300), move |latest| async move {
            let path = format!(
                "/api/v1/search?type=article&limit=5&q={}",
                String::from(js_sys::encode_uri_component(words.trim()))
            );
            let page: Result<SearchPage, ApiError> = s.get(&path).await;
            if latest.still() {
                found.try_set(page.ok().filter(|p| !p.items.is_empty()));
            }
        });
    });
    view! {
        <div aria-live="polite">
            {move || found.get().map(|page| view! {
                <aside class="maybe-this">
                    <h2>{move || t().inc_maybe}</h2>
                    <ul>
                        {page.items.into_iter().map(|h| view! {
                            <li>
                                <a href=h.link.clone() target="_blank" rel="noopener" inner_html=h.title_html.clone()></a>
                                <br/>
                                <span class="muted" inner_html=h.snippet_html.clone()></span>
                            </li>
                        }).collect_view()}
                    </ul>
                </aside>
            })}
        </div>
    }
}
