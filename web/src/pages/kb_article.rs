//! One article: the server's sanitised HTML (printable: the print style sheet hides the app
//! around it and prints link addresses), its PDF through the signed `pdf_url`, the e-mail
//! dialog, "¿Te ha resultado útil?", comments, and for staff the editing actions.

use faro_types::accounts::Role;
use faro_types::kb::{Article, ArticleState};
use faro_types::kb_edit::ChangeNote;
use faro_types::kb_reading::{
    Comment, CommentVisibility, FeedbackInput, FeedbackSummary, MyFeedback, NewComment,
    ShareArticle,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use super::kb::kind_label;
use crate::api::{ApiError, Session, session};
use crate::components::{LoadFailed, Loading, Outcome, field_error};
use crate::i18n::{date, date_time, number, t};

/// The API's address of an article and what hangs under it.
pub fn article_path(slug: &str) -> String {
    format!(
        "/api/v1/kb/articles/{}",
        String::from(js_sys::encode_uri_component(slug))
    )
}

/// `If-Match` for an edit made on `a` (the revision part of its `ETag`).
pub fn revision_tag(a: &Article) -> String {
    format!("\"r{}-{}\"", a.summary.id, a.summary.revision)
}

fn is_staff(s: Session) -> bool {
    s.role()
        .is_some_and(|r| matches!(r, Role::Admin | Role::Agent))
}

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let s = session();
    let article = LocalResource::new(move || {
        let path = article_path(&slug.get());
        async move { s.get::<Article>(&path).await }
    });
    view! {
        <p class="no-print"><A href="/kb">{move || t().back_to_kb}</A></p>
        {move || match article.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| article.refetch())/> }.into_any(),
            Some(Ok(a)) => {
                let reload = Callback::new(move |_| article.refetch());
                view! {
                    <ArticleBody a=a.clone()/>
                    <ArticleActions a=a.clone() reload=reload/>
                    <Feedback slug=a.summary.slug.clone()/>
                    <Comments slug=a.summary.slug.clone()/>
                }.into_any()
            }
        }}
    }
}

#[component]
fn ArticleBody(a: Article) -> impl IntoView {
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
                {super::kb::state_note(s.state).map(|n| view! { " · "<strong>{n}</strong> })}
            </p>
            {(!s.summary.is_empty()).then(|| view! { <p class="lead">{s.summary.clone()}</p> })}
            // Sanitised by the server (faro-markdown), the only renderer of article bodies.
            <div class="prose" inner_html=a.body_html.clone()></div>
            {(!s.tags.is_empty()).then(|| view! {
                <p class="muted">{move || t().tags}": "{s.tags.join(", ")}</p>
            })}
        </article>
    }
}

/// Print, PDF, e-mail; for staff also edit, history, publish or archive.
#[component]
fn ArticleActions(a: Article, reload: Callback<()>) -> impl IntoView {
    let s = session();
    let sharing = RwSignal::new(false);
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let slug = a.summary.slug.clone();
    let state = a.summary.state;
    let tag = revision_tag(&a);
    let change = Action::new_local(move |to: &&'static str| {
        let path = format!("{}/{to}", article_path(&slug));
        let tag = tag.clone();
        async move {
            s.call_with::<ChangeNote, Article>(
                reqwest::Method::POST,
                &path,
                None,
                &[("If-Match", tag)],
            )
            .await
        }
    });
    Effect::new(move |_| {
        if matches!(change.value().get(), Some(Ok(_))) {
            reload.run(());
        }
    });
    let staff_links = is_staff(s).then(|| {
        let slug = a.summary.slug.clone();
        view! {
            <A href=format!("/kb/{slug}/edit") attr:class="button secondary">{move || t().edit}</A>
            <A href=format!("/kb/{slug}/history") attr:class="button secondary">{move || t().history}</A>
            {if state == ArticleState::Published {
                view! { <button type="button" class="secondary" on:click=move |_| { change.dispatch("archive"); }>{move || t().archive}</button> }.into_any()
            } else {
                view! { <button type="button" on:click=move |_| { change.dispatch("publish"); }>{move || t().publish}</button> }.into_any()
            }}
        }
    });
    let slug = a.summary.slug.clone();
    view! {
        <div class="actions no-print">
            <button type="button" class="secondary" on:click=print>{move || t().print}</button>
            <a class="button secondary" href=a.pdf_url.clone() target="_blank" rel="noopener">{move || t().pdf}</a>
            <button type="button" class="secondary" aria-expanded=move || sharing.get().to_string()
                on:click=move |_| sharing.update(|v| *v = !*v)>{move || t().email_article}</button>
            {staff_links}
        </div>
        <p class="alert" role="alert">{move || change.value().get().and_then(Result::err).map(|e| e.message())}</p>
        {move || sharing.get().then(|| view! { <ShareForm slug=slug.clone() close=Callback::new(move |_| sharing.set(false))/> })}
    }
}

#[component]
fn ShareForm(slug: String, close: Callback<()>) -> impl IntoView {
    let s = session();
    let to = RwSignal::new(String::new());
    let message = RwSignal::new(String::new());
    let send = Action::new_local(move |_: &()| {
        let path = format!("{}/email", article_path(&slug));
        let body = ShareArticle {
            to: to.get_untracked(),
            message: message.get_untracked(),
        };
        async move { s.post::<_, serde_json::Value>(&path, &body).await }
    });
    let result = Signal::derive(move || send.value().get());
    let to_error = field_error(result, "to");
    view! {
        <form class="card no-print" aria-label=move || t().email_article
            on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); send.dispatch(()); }>
            <div class="field">
                <label for="share-to">{move || t().email_to}</label>
                <input id="share-to" type="email" autocomplete="email" required
                    aria-invalid=move || to_error.get().is_some().to_string()
                    prop:value=to on:input=move |ev| to.set(event_target_value(&ev))/>
                <p class="field-error">{move || to_error.get()}</p>
            </div>
            <div class="field">
                <label for="share-message">{move || t().email_message}</label>
                <textarea id="share-message" rows="3" maxlength="1000"
                    prop:value=message on:input=move |ev| message.set(event_target_value(&ev))></textarea>
            </div>
            <Outcome result=result ok=|| t().email_sent/>
            <div class="actions">
                <button type="submit" disabled=move || send.pending().get()>{move || t().email_send}</button>
                <button type="button" class="secondary" on:click=move |_| close.run(())>{move || t().cancel}</button>
            </div>
        </form>
    }
}

/// "¿Te ha resultado útil?": Sí / No, and after "No" an optional remark.
#[component]
fn Feedback(slug: String) -> impl IntoView {
    let s = session();
    let path = format!("{}/feedback", article_path(&slug));
    let mine_path = format!("{path}/mine");
    let mine = LocalResource::new(move || {
        let p = mine_path.clone();
        async move { s.get::<MyFeedback>(&p).await }
    });
    let chosen = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        if let Some(Ok(m)) = mine.get() {
            chosen.set(m.helpful);
        }
    });
    let remark = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let vote = Action::new_local(move |helpful: &bool| {
        let body = FeedbackInput {
            helpful: *helpful,
            remark: remark.get_untracked(),
        };
        let p = path.clone();
        async move { s.put::<_, MyFeedback>(&p, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(m)) = vote.value().get() {
            chosen.set(m.helpful);
            sent.set(true);
        }
    });
    let choose = move |v: bool| {
        chosen.set(Some(v));
        vote.dispatch(v);
    };
    view! {
        <section class="feedback no-print" aria-labelledby="feedback-q">
            <h2 id="feedback-q">{move || t().helpful_q}</h2>
            <div class="actions">
                <button type="button" class="secondary" aria-pressed=move || (chosen.get() == Some(true)).to_string()
                    on:click=move |_| choose(true)>{move || t().yes}</button>
                <button type="button" class="secondary" aria-pressed=move || (chosen.get() == Some(false)).to_string()
                    on:click=move |_| choose(false)>{move || t().no}</button>
            </div>
            {move || (chosen.get() == Some(false)).then(|| view! {
                <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); vote.dispatch(false); }>
                    <div class="field">
                        <label for="feedback-remark">{move || t().helpful_remark}</label>
                        <textarea id="feedback-remark" rows="2" maxlength="1000"
                            prop:value=remark on:input=move |ev| remark.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="secondary">{move || t().helpful_send}</button>
                </form>
            })}
            <p class="ok" role="status">{move || sent.get().then(|| t().helpful_thanks)}</p>
            <p class="alert" role="alert">{move || vote.value().get().and_then(Result::err).map(|e: ApiError| e.message())}</p>
            {is_staff(s).then(|| view! { <FeedbackSummaryPanel slug=slug.clone()/> })}
        </section>
    }
}

/// Staff: what readers answered, with their remarks.
#[component]
fn FeedbackSummaryPanel(slug: String) -> impl IntoView {
    let s = session();
    let path = format!("{}/feedback", article_path(&slug));
    let summary = LocalResource::new(move || {
        let p = path.clone();
        async move { s.get::<FeedbackSummary>(&p).await }
    });
    view! {
        <details class="panel">
            <summary>{move || t().feedback_of}</summary>
            {move || summary.get().and_then(Result::ok).map(|f| view! {
                <p>{move || t().helpful_count}": "{move || number(f.helpful)}" · "
                   {move || t().not_helpful_count}": "{move || number(f.not_helpful)}</p>
                <ul>
                    {f.remarks.iter().map(|r| view! {
                        <li>{if r.helpful { t().yes } else { t().no }}": "{r.remark.clone()}</li>
                    }).collect_view()}
                </ul>
            })}
        </details>
    }
}

#[component]
fn Comments(slug: String) -> impl IntoView {
    let s = session();
    let path = format!("{}/comments", article_path(&slug));
    let list_path = path.clone();
    let comments = LocalResource::new(move || {
        let p = list_path.clone();
        async move { s.get::<Vec<Comment>>(&p).await }
    });
    let body = RwSignal::new(String::new());
    let add = Action::new_local(move |_: &()| {
        let b = NewComment {
            body: body.get_untracked(),
        };
        let p = path.clone();
        async move { s.post::<_, Comment>(&p, &b).await }
    });
    Effect::new(move |_| {
        if matches!(add.value().get(), Some(Ok(_))) {
            body.set(String::new());
            comments.refetch();
        }
    });
    let visibility = Action::new_local(move |(id, hidden): &(uuid::Uuid, bool)| {
        let p = format!("/api/v1/kb/comments/{id}/visibility");
        let b = CommentVisibility { hidden: *hidden };
        async move { s.put::<_, serde_json::Value>(&p, &b).await }
    });
    Effect::new(move |_| {
        if matches!(visibility.value().get(), Some(Ok(_))) {
            comments.refetch();
        }
    });
    let result = Signal::derive(move || add.value().get());
    let body_error = field_error(result, "body");
    let staff = is_staff(s);
    view! {
        <section class="comments no-print" id="comments" aria-labelledby="comments-h">
            <h2 id="comments-h">{move || t().comments}</h2>
            {move || match comments.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| comments.refetch())/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{move || t().no_comments}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol class="comment-list">
                        {list.into_iter().map(|c| {
                            let (id, hidden) = (c.id, c.hidden);
                            view! {
                                <li class:hidden-comment=hidden>
                                    <p class="muted">
                                        <strong>{c.author_name.clone()}</strong>" · "{move || date_time(&c.created_at)}
                                        {hidden.then(|| view! { " · "<em>{move || t().comment_hidden}</em> })}
                                    </p>
                                    // Sanitised by the server.
                                    <div class="prose" inner_html=c.body_html.clone()></div>
                                    {staff.then(|| view! {
                                        <button type="button" class="secondary small"
                                            on:click=move |_| { visibility.dispatch((id, !hidden)); }>
                                            {move || if hidden { t().show } else { t().hide }}
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); add.dispatch(()); }>
                <div class="field">
                    <label for="comment-body">{move || t().comment_label}</label>
                    <textarea id="comment-body" rows="4" required maxlength="5000"
                        aria-describedby="comment-hint"
                        aria-invalid=move || body_error.get().is_some().to_string()
                        prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                    <p class="hint" id="comment-hint">{move || t().comment_hint}</p>
                    <p class="field-error">{move || body_error.get()}</p>
                </div>
                <p class="alert" role="alert">{move || result.get().and_then(Result::err).and_then(|e| e.general())}</p>
                <button type="submit" disabled=move || add.pending().get()>{move || t().comment_send}</button>
            </form>
        </section>
    }
}
