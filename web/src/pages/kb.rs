//! The knowledge base: the list (kind, category, order; cursor pages) and one article (the
//! server's sanitised HTML, printable: the print style sheet hides the app around it).

use faro_types::kb::{Article, ArticleKind, ArticleOrder, ArticleState, ArticleSummary, Category};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::session;
use crate::components::{LoadFailed, Loading, Pages, PagesFooter};
use crate::i18n::{date, number, t};

pub fn kind_label(k: ArticleKind) -> &'static str {
    match k {
        ArticleKind::Tutorial => t().kind_tutorial,
        ArticleKind::Procedure => t().kind_procedure,
        ArticleKind::Faq => t().kind_faq,
        ArticleKind::Maintenance => t().kind_maintenance,
    }
}

fn kind_code(k: ArticleKind) -> &'static str {
    match k {
        ArticleKind::Tutorial => "tutorial",
        ArticleKind::Procedure => "procedure",
        ArticleKind::Faq => "faq",
        ArticleKind::Maintenance => "maintenance",
    }
}

fn order_code(o: ArticleOrder) -> &'static str {
    match o {
        ArticleOrder::Newest => "newest",
        ArticleOrder::MostRead => "most_read",
        ArticleOrder::Title => "title",
    }
}

const KINDS: [ArticleKind; 4] = [
    ArticleKind::Tutorial,
    ArticleKind::Procedure,
    ArticleKind::Faq,
    ArticleKind::Maintenance,
];

/// Categories in tree order, each with its depth (for indenting the choices).
fn tree(all: &[Category]) -> Vec<(usize, Category)> {
    fn walk(
        all: &[Category],
        parent: Option<uuid::Uuid>,
        depth: usize,
        out: &mut Vec<(usize, Category)>,
    ) {
        for c in all.iter().filter(|c| c.parent_id == parent) {
            if out.len() > all.len() {
                return;
            }
            out.push((depth, c.clone()));
            walk(all, Some(c.id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(all, None, 0, &mut out);
    out
}

/// A state worth saying (staff see drafts and archived articles in lists).
fn state_note(s: ArticleState) -> Option<&'static str> {
    match s {
        ArticleState::Published => None,
        ArticleState::Draft => Some(t().state_draft),
        ArticleState::Archived => Some(t().state_archived),
    }
}

#[component]
pub fn KnowledgeBase() -> impl IntoView {
    let kind = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let order = RwSignal::new(ArticleOrder::Newest);
    let s = session();
    let categories =
        LocalResource::new(
            move || async move { s.get::<Vec<Category>>("/api/v1/kb/categories").await },
        );
    let pages = Pages::<ArticleSummary>::new(move || {
        let mut q = vec![format!("order={}", order_code(order.get()))];
        let k = kind.get();
        if !k.is_empty() {
            q.push(format!("kind={k}"));
        }
        let c = category.get();
        if !c.is_empty() {
            q.push(format!(
                "category={}",
                String::from(js_sys::encode_uri_component(&c))
            ));
        }
        format!("/api/v1/kb/articles?{}", q.join("&"))
    });
    view! {
        <h1>{move || t().kb}</h1>
        <p>{move || t().kb_intro}</p>
        <form class="filters" role="search" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
            <div class="field">
                <label for="kb-kind">{move || t().kind}</label>
                <select id="kb-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="">{move || t().all_kinds}</option>
                    {KINDS.into_iter().map(|k| view! {
                        <option value=kind_code(k)>{move || kind_label(k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="kb-category">{move || t().category}</label>
                <select id="kb-category" on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="">{move || t().all_categories}</option>
                    {move || categories.get().and_then(Result::ok).map(|all| {
                        tree(&all).into_iter().map(|(depth, c)| view! {
                            <option value=c.slug.clone()>{"\u{a0}\u{a0}".repeat(depth)}{c.name.clone()}</option>
                        }).collect_view()
                    })}
                </select>
            </div>
            <div class="field">
                <label for="kb-order">{move || t().order}</label>
                <select id="kb-order" on:change=move |ev| order.set(match event_target_value(&ev).as_str() {
                    "most_read" => ArticleOrder::MostRead,
                    "title" => ArticleOrder::Title,
                    _ => ArticleOrder::Newest,
                })>
                    <option value="newest">{move || t().order_newest}</option>
                    <option value="most_read">{move || t().order_most_read}</option>
                    <option value="title">{move || t().order_title}</option>
                </select>
            </div>
        </form>
        <ul class="rows articles">
            <For each=move || pages.items.get() key=|a| (a.id, a.revision) let:a>
                <li>
                    <div>
                        <A href=format!("/kb/{}", a.slug)><strong>{a.title.clone()}</strong></A>
                        {state_note(a.state).map(|n| view! { " · "<em>{n}</em> })}
                        <br/>
                        <span>{a.summary.clone()}</span>
                        <br/>
                        <span class="muted">
                            {move || kind_label(a.kind)}
                            {a.category.as_ref().map(|c| format!(" · {}", c.name))}
                            {a.membership.as_ref().map(|m| format!(" · {} {}", t().for_membership, m.name))}
                            " · "{move || t().updated}" "{move || date(&a.updated_at)}
                        </span>
                    </div>
                </li>
            </For>
        </ul>
        <PagesFooter pages=pages empty=|| t().no_articles/>
    }
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let s = session();
    let article = LocalResource::new(move || {
        let path = format!(
            "/api/v1/kb/articles/{}",
            String::from(js_sys::encode_uri_component(&slug.get()))
        );
        async move { s.get::<Article>(&path).await }
    });
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <p class="no-print"><A href="/kb">{move || t().back_to_kb}</A></p>
        {move || match article.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| article.refetch())/> }.into_any(),
            Some(Ok(a)) => {
                let s = a.summary.clone();
                view! {
                    <article class="kb-article">
                        <h1>{s.title.clone()}</h1>
                        <p class="muted">
                            {move || kind_label(s.kind)}
                            {s.category.as_ref().map(|c| format!(" · {}", c.name))}
                            {s.membership.as_ref().map(|m| format!(" · {} {}", t().for_membership, m.name))}
                            " · "{move || t().updated}" "{move || date(&s.updated_at)}
                            " · "{move || t().revision}" "{s.revision}
                            " · "{move || t().views}": "{move || number(s.views)}
                        </p>
                        {(!s.summary.is_empty()).then(|| view! { <p class="lead">{s.summary.clone()}</p> })}
                        // Sanitised by the server (faro-markdown), the only renderer of article bodies.
                        <div class="prose" inner_html=a.body_html.clone()></div>
                        {(!s.tags.is_empty()).then(|| view! {
                            <p class="muted">{move || t().tags}": "{s.tags.join(", ")}</p>
                        })}
                    </article>
                    <div class="actions no-print">
                        <button type="button" class="secondary" on:click=print>{move || t().print}</button>
                    </div>
                }.into_any()
            }
        }}
    }
}
