//! Staff look back: an article's revisions, the difference between two, restoring an old one;
//! and the report of the least helpful articles.

use faro_types::kb::Article;
use faro_types::kb_edit::{ArticleDiff, ChangeNote, LineChange, RevisionSummary};
use faro_types::kb_reading::FeedbackReportRow;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use super::kb_article::{article_path, revision_tag};
use crate::api::session;
use crate::components::{LoadFailed, Loading, confirm};
use crate::i18n::{date_time, number, t};

fn field_label(field: &str) -> &'static str {
    match field {
        "title" => t().field_title,
        "summary" => t().field_summary,
        "kind" => t().field_kind,
        "state" => t().field_state,
        _ => t().field_tags,
    }
}

#[component]
pub fn History() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = params.with_untracked(|p| p.get("slug").unwrap_or_default());
    let s = session();
    let path = article_path(&slug);
    let list_path = format!("{path}/revisions");
    let revisions = LocalResource::new(move || {
        let p = list_path.clone();
        async move { s.get::<Vec<RevisionSummary>>(&p).await }
    });
    let pick = |q: &leptos_router::params::ParamsMap, k: &str| {
        q.get(k).and_then(|v| v.parse::<i32>().ok())
    };
    let from = RwSignal::new(query.with_untracked(|q| pick(q, "from")));
    let to = RwSignal::new(query.with_untracked(|q| pick(q, "to")));
    let diff_base = path.clone();
    let diff = LocalResource::new(move || {
        let mut q = Vec::new();
        if let Some(f) = from.get() {
            q.push(format!("from={f}"));
        }
        if let Some(t) = to.get() {
            q.push(format!("to={t}"));
        }
        let p = format!("{diff_base}/diff?{}", q.join("&"));
        async move { s.get::<ArticleDiff>(&p).await }
    });
    let navigate = use_navigate();
    let restore_path = path.clone();
    let restore = Action::new_local(move |n: &i32| {
        let (n, base) = (*n, restore_path.clone());
        async move {
            let current = s.get::<Article>(&base).await?;
            s.call_with::<ChangeNote, Article>(
                reqwest::Method::POST,
                &format!("{base}/revisions/{n}/restore"),
                None,
                &[("If-Match", revision_tag(&current))],
            )
            .await
        }
    });
    let back = slug.clone();
    Effect::new(move |_| {
        if let Some(Ok(a)) = restore.value().get() {
            navigate(&format!("/kb/{}", a.summary.slug), Default::default());
        }
    });
    view! {
        <p><A href=format!("/kb/{back}")>{move || t().back_to_kb}</A></p>
        <h1>{move || t().history}</h1>
        <p class="alert" role="alert">{move || restore.value().get().and_then(Result::err).map(|e| e.message())}</p>
        {move || match revisions.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| revisions.refetch())/> }.into_any(),
            Some(Ok(list)) => {
                let newest = list.first().map(|r| r.number);
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr>
                                <th scope="col">{move || t().revision}</th>
                                <th scope="col">{move || t().when}</th>
                                <th scope="col">{move || t().author}</th>
                                <th scope="col">{move || t().note}</th>
                                <th scope="col"><span class="visually-hidden">{move || t().changes}</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|r| {
                                    let n = r.number;
                                    view! {
                                        <tr>
                                            <td>{n}{(Some(n) == newest).then(|| view! { " ("{move || t().current}")" })}</td>
                                            <td>{move || date_time(&r.created_at)}</td>
                                            <td>{r.author_name.clone()}</td>
                                            <td>{r.note.clone()}</td>
                                            <td class="actions">
                                                {(n > 1).then(|| view! {
                                                    <button type="button" class="secondary small" on:click=move |_| { from.set(Some(n - 1)); to.set(Some(n)); }>
                                                        {move || t().compare}
                                                    </button>
                                                })}
                                                {(Some(n) != newest).then(|| view! {
                                                    <button type="button" class="secondary small" on:click=move |_| {
                                                        if confirm(t().restore_q) { restore.dispatch(n); }
                                                    }>{move || t().restore}</button>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
        }}
        {move || match diff.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p class="alert" role="alert">{e.message()}</p> }.into_any(),
            Some(Ok(d)) => view! { <DiffView d=d/> }.into_any(),
        }}
    }
}

#[component]
fn DiffView(d: ArticleDiff) -> impl IntoView {
    let (from, to) = (d.from.number, d.to.number);
    view! {
        <section aria-labelledby="diff-h">
            <h2 id="diff-h">{move || t().changes}": "{from}" → "{to}</h2>
            {d.same.then(|| view! { <p class="muted">{move || t().no_differences}</p> })}
            {(!d.fields.is_empty()).then(|| view! {
                <dl class="facts">
                    {d.fields.iter().map(|f| {
                        let field = f.field.clone();
                        view! {
                            <dt>{move || field_label(&field)}</dt>
                            <dd><del>{f.before.clone()}</del>" → "<ins>{f.after.clone()}</ins></dd>
                        }
                    }).collect_view()}
                </dl>
            })}
            <ol class="diff">
                {d.lines.into_iter().map(|l| {
                    let class = match l.change {
                        LineChange::Added => "added",
                        LineChange::Removed => "removed",
                        LineChange::Same => "same",
                    };
                    view! { <li class=class>{l.text}</li> }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub fn FeedbackReport() -> impl IntoView {
    let s = session();
    let rows = LocalResource::new(move || async move {
        s.get::<Vec<FeedbackReportRow>>("/api/v1/kb/feedback/least-helpful")
            .await
    });
    view! {
        <h1>{move || t().feedback_report}</h1>
        <p>{move || t().feedback_report_intro}</p>
        {move || match rows.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <LoadFailed error=e retry=Callback::new(move |_| rows.refetch())/> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{move || t().no_feedback}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th scope="col">{move || t().title}</th>
                            <th scope="col">{move || t().not_helpful_count}</th>
                            <th scope="col">{move || t().helpful_count}</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|r| view! {
                                <tr>
                                    <td><A href=format!("/kb/{}", r.slug)>{r.title.clone()}</A></td>
                                    <td>{move || number(r.not_helpful)}</td>
                                    <td>{move || number(r.helpful)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
        }}
    }
}
