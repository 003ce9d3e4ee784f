//! The knowledge base's list: kind, category and order (and state, for staff), cursor pages;
//! staff also start a new article, add a category and open the feedback report here.

use faro_types::kb::{ArticleKind, ArticleOrder, ArticleState, ArticleSummary, Category};
use faro_types::kb_edit::NewCategory;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::session;
use crate::components::{Outcome, Pages, PagesFooter, field_error};
use crate::i18n::{date, t};
use faro_types::accounts::Role;

pub fn kind_label(k: ArticleKind) -> &'static str {
    match k {
        ArticleKind::Tutorial => t().kind_tutorial,
        ArticleKind::Procedure => t().kind_procedure,
        ArticleKind::Faq => t().kind_faq,
        ArticleKind::Maintenance => t().kind_maintenance,
    }
}

pub fn kind_code(k: ArticleKind) -> &'static str {
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

pub const KINDS: [ArticleKind; 4] = [
    ArticleKind::Tutorial,
    ArticleKind::Procedure,
    ArticleKind::Faq,
    ArticleKind::Maintenance,
];

/// Categories in tree order, each with its depth (for indenting the choices).
pub fn tree(all: &[Category]) -> Vec<(usize, Category)> {
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
pub fn state_note(s: ArticleState) -> Option<&'static str> {
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
    let state = RwSignal::new(String::new());
    let s = session();
    let staff = s
        .role()
        .is_some_and(|r| matches!(r, Role::Admin | Role::Agent));
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
        let st = state.get();
        if !st.is_empty() {
            q.push(format!("state={st}"));
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
        {staff.then(|| view! {
            <div class="actions">
                <A href="/kb/new" attr:class="button">{move || t().new_article}</A>
                <A href="/kb/feedback" attr:class="button secondary">{move || t().feedback_report}</A>
            </div>
            <NewCategoryForm categories=categories/>
        })}
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
            {staff.then(|| view! {
                <div class="field">
                    <label for="kb-state">{move || t().state}</label>
                    <select id="kb-state" on:change=move |ev| state.set(event_target_value(&ev))>
                        <option value="">{move || t().all_states}</option>
                        <option value="published">{move || t().state_published}</option>
                        <option value="draft">{move || t().state_draft}</option>
                        <option value="archived">{move || t().state_archived}</option>
                    </select>
                </div>
            })}
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

/// Staff add a category (at the top, or inside another).
#[component]
fn NewCategoryForm(
    categories: LocalResource<Result<Vec<Category>, crate::api::ApiError>>,
) -> impl IntoView {
    let s = session();
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let create = Action::new_local(move |_: &()| {
        let body = NewCategory {
            name: name.get_untracked(),
            parent_id: uuid::Uuid::parse_str(&parent.get_untracked()).ok(),
        };
        async move { s.post::<_, Category>("/api/v1/kb/categories", &body).await }
    });
    Effect::new(move |_| {
        if matches!(create.value().get(), Some(Ok(_))) {
            name.set(String::new());
            categories.refetch();
        }
    });
    let result = Signal::derive(move || create.value().get());
    view! {
        <details class="panel">
            <summary>{move || t().new_category}</summary>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); create.dispatch(()); }>
                <crate::components::Field id="cat-name" label=|| t().category_name kind="text" autocomplete="off"
                    value=name error=field_error(result, "name")/>
                <div class="field">
                    <label for="cat-parent">{move || t().category_parent}</label>
                    <select id="cat-parent" on:change=move |ev| parent.set(event_target_value(&ev))>
                        <option value="">{move || t().category_top}</option>
                        {move || categories.get().and_then(Result::ok).map(|all| tree(&all).into_iter().map(|(depth, c)| view! {
                            <option value=c.id.to_string()>{"\u{a0}\u{a0}".repeat(depth)}{c.name.clone()}</option>
                        }).collect_view())}
                    </select>
                </div>
                <Outcome result=result ok=|| t().created/>
                <button type="submit" disabled=move || create.pending().get()>{move || t().create}</button>
            </form>
        </details>
    }
}
