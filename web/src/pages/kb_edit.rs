//! The staff editor: a new article, or the next revision of one. Markdown with a live preview
//! from the server's sanitiser (what readers will see, nothing else), images uploaded with a
//! progress bar and put where the cursor is, a change note. An edit is saved only on top of
//! the revision it started from: when someone saved meanwhile, the editor says so, links to
//! their changes, and saves on top of theirs only when asked.

use std::time::Duration;

use faro_types::Page;
use faro_types::kb::{Article, ArticleKind, ArticleState, Category};
use faro_types::kb_edit::{ArticleInput, MarkdownInput, RenderedMarkdown, UploadedImage};
use faro_types::memberships::Membership;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use wasm_bindgen::JsCast;

use super::kb::{KINDS, kind_code, kind_label, tree};
use super::kb_article::article_path;
use crate::api::{ApiError, session};
use crate::components::{LoadFailed, Loading, field_error};
use crate::i18n::t;

/// The fields as typed.
#[derive(Clone, Copy)]
struct Fields {
    title: RwSignal<String>,
    summary: RwSignal<String>,
    body: RwSignal<String>,
    kind: RwSignal<ArticleKind>,
    category: RwSignal<String>,
    membership: RwSignal<String>,
    tags: RwSignal<String>,
    state: RwSignal<ArticleState>,
    note: RwSignal<String>,
}

impl Fields {
    fn new() -> Self {
        Self {
            title: RwSignal::new(String::new()),
            summary: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            kind: RwSignal::new(ArticleKind::Procedure),
            category: RwSignal::new(String::new()),
            membership: RwSignal::new(String::new()),
            tags: RwSignal::new(String::new()),
            state: RwSignal::new(ArticleState::Draft),
            note: RwSignal::new(String::new()),
        }
    }

    fn fill(&self, a: &Article) {
        let s = &a.summary;
        self.title.set(s.title.clone());
        self.summary.set(s.summary.clone());
        self.body.set(a.body.clone());
        self.kind.set(s.kind);
        self.category.set(
            s.category
                .as_ref()
                .map(|c| c.id.to_string())
                .unwrap_or_default(),
        );
        self.membership.set(
            s.membership
                .as_ref()
                .map(|m| m.id.to_string())
                .unwrap_or_default(),
        );
        self.tags.set(s.tags.join(", "));
        self.state.set(s.state);
    }

    fn input(&self, with_state: bool) -> ArticleInput {
        let id = |s: String| uuid::Uuid::parse_str(s.trim()).ok();
        ArticleInput {
            title: self.title.get_untracked(),
            summary: self.summary.get_untracked(),
            body: self.body.get_untracked(),
            kind: self.kind.get_untracked(),
            category_id: id(self.category.get_untracked()),
            membership_id: id(self.membership.get_untracked()),
            tags: self
                .tags
                .get_untracked()
                .split(',')
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
            state: with_state.then(|| self.state.get_untracked()),
            note: self.note.get_untracked(),
        }
    }
}

#[component]
pub fn NewArticle() -> impl IntoView {
    view! { <Editor slug=None/> }
}

#[component]
pub fn EditArticle() -> impl IntoView {
    let params = use_params_map();
    let slug = params.with_untracked(|p| p.get("slug").unwrap_or_default());
    view! { <Editor slug=Some(slug)/> }
}

#[component]
fn Editor(slug: Option<String>) -> impl IntoView {
    let s = session();
    let f = Fields::new();
    // The revision the edit is made on (`If-Match`), once the article is read.
    let base = RwSignal::new(None::<(uuid::Uuid, i32)>);
    let existing = slug.clone();
    let loaded = LocalResource::new(move || {
        let slug = existing.clone();
        async move {
            match slug {
                None => Ok(None),
                Some(slug) => s.get::<Article>(&article_path(&slug)).await.map(Some),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(a))) = loaded.get() {
            f.fill(&a);
            base.set(Some((a.summary.id, a.summary.revision)));
        }
    });
    let categories =
        LocalResource::new(
            move || async move { s.get::<Vec<Category>>("/api/v1/kb/categories").await },
        );
    let memberships = LocalResource::new(move || async move {
        s.get::<Page<Membership>>("/api/v1/memberships?limit=100")
            .await
    });
    let navigate = use_navigate();
    let is_new = slug.is_none();
    let save_slug = slug.clone();
    let save = Action::new_local(move |_: &()| {
        let slug = save_slug.clone();
        async move {
            match (slug, base.get_untracked()) {
                (Some(slug), Some((id, revision))) => {
                    s.call_with::<_, Article>(
                        reqwest::Method::PUT,
                        &article_path(&slug),
                        Some(&f.input(false)),
                        &[("If-Match", format!("\"r{id}-{revision}\""))],
                    )
                    .await
                }
                _ => {
                    s.post::<_, Article>("/api/v1/kb/articles", &f.input(true))
                        .await
                }
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(a)) = save.value().get() {
            navigate(&format!("/kb/{}", a.summary.slug), Default::default());
        }
    });
    let result = Signal::derive(move || save.value().get());
    // Someone saved another revision meanwhile: which one.
    let stale = Signal::derive(move || match result.get() {
        Some(Err(ApiError::Problem(p))) if p.status == 412 => p.current_revision,
        _ => None,
    });
    let overwrite = move |_| {
        if let (Some(current), Some((id, _))) = (stale.get_untracked(), base.get_untracked()) {
            base.set(Some((id, current)));
            save.dispatch(());
        }
    };
    let heading = if is_new { t().new_article } else { t().edit };
    let history_slug = slug.clone();
    view! {
        <h1>{heading}</h1>
        {move || match loaded.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| loaded.refetch())/> }.into_any(),
            Some(Ok(_)) => ().into_any(),
        }}
        <div class="editor">
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save.dispatch(()); }>
                <Text id="art-title" label=|| t().title value=f.title error=field_error(result, "title") required=true/>
                <Text id="art-summary" label=|| t().summary value=f.summary error=field_error(result, "summary") required=false/>
                <div class="field">
                    <label for="art-kind">{move || t().kind}</label>
                    <select id="art-kind" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(k) = KINDS.into_iter().find(|k| kind_code(*k) == v) { f.kind.set(k); }
                    }>
                        {KINDS.into_iter().map(|k| view! {
                            <option value=kind_code(k) selected=move || f.kind.get() == k>{move || kind_label(k)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="art-category">{move || t().category}</label>
                    <select id="art-category" aria-describedby="art-category-error" on:change=move |ev| f.category.set(event_target_value(&ev))>
                        <option value="">{move || t().no_category}</option>
                        {move || categories.get().and_then(Result::ok).map(|all| tree(&all).into_iter().map(|(depth, c)| {
                            let id = c.id.to_string();
                            let selected = id.clone();
                            view! { <option value=id selected=move || f.category.get() == selected>{"\u{a0}\u{a0}".repeat(depth)}{c.name.clone()}</option> }
                        }).collect_view())}
                    </select>
                    <p class="field-error" id="art-category-error">{move || field_error(result, "category_id").get()}</p>
                </div>
                <div class="field">
                    <label for="art-scope">{move || t().visible_for}</label>
                    <select id="art-scope" aria-describedby="art-scope-error" on:change=move |ev| f.membership.set(event_target_value(&ev))>
                        <option value="">{move || t().every_client}</option>
                        {move || memberships.get().and_then(Result::ok).map(|page| page.items.into_iter().map(|m| {
                            let id = m.id.to_string();
                            let selected = id.clone();
                            view! { <option value=id selected=move || f.membership.get() == selected>{m.name.clone()}</option> }
                        }).collect_view())}
                    </select>
                    <p class="field-error" id="art-scope-error">{move || field_error(result, "membership_id").get()}</p>
                </div>
                <div class="field">
                    <label for="art-tags">{move || t().tags}</label>
                    <input id="art-tags" type="text" aria-describedby="art-tags-hint"
                        prop:value=f.tags on:input=move |ev| f.tags.set(event_target_value(&ev))/>
                    <p class="hint" id="art-tags-hint">{move || t().tags_hint}</p>
                    <p class="field-error">{move || field_error(result, "tags").get()}</p>
                </div>
                {is_new.then(|| view! {
                    <div class="field">
                        <label for="art-state">{move || t().state}</label>
                        <select id="art-state" on:change=move |ev| f.state.set(
                            if event_target_value(&ev) == "published" { ArticleState::Published } else { ArticleState::Draft })>
                            <option value="draft">{move || t().state_draft}</option>
                            <option value="published">{move || t().state_published}</option>
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="art-body">{move || t().body}</label>
                    <textarea id="art-body" class="code" rows="18" aria-describedby="art-body-hint"
                        aria-invalid=move || field_error(result, "body").get().is_some().to_string()
                        prop:value=f.body on:input=move |ev| f.body.set(event_target_value(&ev))></textarea>
                    <p class="hint" id="art-body-hint">{move || t().body_hint}</p>
                    <p class="field-error">{move || field_error(result, "body").get()}</p>
                </div>
                {slug.clone().map(|slug| view! { <ImageUpload slug=slug body=f.body/> })}
                <Text id="art-note" label=|| t().change_note value=f.note error=Signal::derive(|| None) required=false/>
                <p class="alert" role="alert">{move || result.get().and_then(Result::err)
                    .filter(|_| stale.get().is_none()).and_then(|e| e.general())}</p>
                {move || stale.get().map(|current| {
                    let diff = history_slug.clone().map(|slug| {
                        let from = base.get_untracked().map(|b| b.1).unwrap_or(current);
                        format!("/kb/{slug}/history?from={from}&to={current}")
                    });
                    view! {
                        <div class="alert-box" role="alert">
                            <p><strong>{move || t().stale_title}</strong></p>
                            <p>{result.get_untracked().and_then(Result::err).map(|e| e.message())}</p>
                            <div class="actions">
                                {diff.map(|href| view! { <a class="button secondary" href=href target="_blank" rel="noopener">{move || t().stale_see}</a> })}
                                <button type="button" on:click=overwrite>{move || t().stale_overwrite}</button>
                            </div>
                        </div>
                    }
                })}
                <button type="submit" disabled=move || save.pending().get()>{move || t().save_article}</button>
            </form>
            <Preview body=f.body/>
        </div>
        {slug.map(|slug| view! { <p><A href=format!("/kb/{slug}")>{move || t().cancel}</A></p> })}
    }
}

#[component]
fn Text(
    id: &'static str,
    label: crate::i18n::Label,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    required: bool,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{move || label()}</label>
            <input id=id type="text" required=required
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            <p class="field-error">{move || error.get()}</p>
        </div>
    }
}

/// The body as readers will see it, rendered by the server a moment after typing stops.
#[component]
fn Preview(body: RwSignal<String>) -> impl IntoView {
    let s = session();
    let html = RwSignal::new(String::new());
    let typed = StoredValue::new(0u64);
    Effect::new(move |_| {
        let markdown = body.get();
        let n = typed.get_value() + 1;
        typed.set_value(n);
        set_timeout(
            move || {
                if typed.try_get_value() != Some(n) {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let r = s
                        .post::<_, RenderedMarkdown>(
                            "/api/v1/kb/preview",
                            &MarkdownInput { markdown },
                        )
                        .await;
                    if let Ok(r) = r
                        && typed.try_get_value() == Some(n)
                    {
                        html.try_set(r.html);
                    }
                });
            },
            Duration::from_millis(350),
        );
    });
    view! {
        <section class="preview" aria-labelledby="preview-h" aria-live="polite">
            <h2 id="preview-h">{move || t().preview}</h2>
            // The server's sanitised HTML.
            <div class="prose" inner_html=move || html.get()></div>
        </section>
    }
}

/// Puts `text` into the body's textarea where the cursor is (at the end without one).
fn insert_at_cursor(body: RwSignal<String>, text: &str) {
    let area = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("art-body"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    let current = body.get_untracked();
    let at = area
        .as_ref()
        .and_then(|a| a.selection_start().ok().flatten())
        .map(|chars| {
            // The browser counts UTF-16 units; find the byte where that many end.
            let mut units = 0u32;
            current
                .char_indices()
                .find(|(_, c)| {
                    let past = units >= chars;
                    units += c.len_utf16() as u32;
                    past
                })
                .map(|(i, _)| i)
                .unwrap_or(current.len())
        })
        .unwrap_or(current.len());
    let mut next = current.clone();
    next.insert_str(at, &format!("\n{text}\n"));
    body.set(next);
}

#[component]
fn ImageUpload(slug: String, body: RwSignal<String>) -> impl IntoView {
    let s = session();
    let progress = RwSignal::new(None::<f64>);
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|l| l.get(0)) else {
            return;
        };
        input.set_value("");
        let path = format!("{}/images", article_path(&slug));
        progress.set(Some(0.0));
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let r = crate::upload::upload::<UploadedImage>(s, &path, "image", &file, move |p| {
                progress.try_set(Some(p));
            })
            .await;
            progress.try_set(None);
            outcome.try_set(Some(r.map(|img| insert_at_cursor(body, &img.markdown))));
        });
    };
    view! {
        <div class="field">
            <label for="art-image">{move || t().add_image}</label>
            <input id="art-image" type="file" accept="image/png,image/jpeg,image/gif,image/webp"
                aria-describedby="art-image-hint" on:change=on_change disabled=move || progress.get().is_some()/>
            <p class="hint" id="art-image-hint">{move || t().image_hint}</p>
            {move || progress.get().map(|p| view! {
                <label for="art-image-progress">{move || t().uploading}</label>
                <progress id="art-image-progress" max="100" value=(p * 100.0).round().to_string()></progress>
            })}
            <p class="ok" role="status">{move || matches!(outcome.get(), Some(Ok(()))).then(|| t().image_added)}</p>
            <p class="alert" role="alert">{move || outcome.get().and_then(Result::err).map(|e| e.field("image").unwrap_or_else(|| e.message()))}</p>
        </div>
    }
}
