//! `/kb/{slug}/history`, `/kb/{slug}/diff?from=&to=` and restoring a revision: staff only.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use faro_core::Catalog;
use faro_store::Author;
use serde::Deserialize;
use similar::{ChangeTag, TextDiff};

use super::reindex_now;
use crate::AppState;
use crate::context::Staff;
use crate::error::{WebError, WebResult};
use crate::forms::{see_other, success};
use crate::views::{DiffLine, DiffView, HistoryView, render};

pub async fn show(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    let revisions = state.store.revisions(s.viewer(), a.id).await?;
    Ok(render(&HistoryView {
        p: s.ctx.page(&a.title),
        a,
        revisions,
    }))
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: Option<i32>,
    to: Option<i32>,
}

fn lines(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            sign: match c.tag() {
                ChangeTag::Delete => "-",
                ChangeTag::Insert => "+",
                ChangeTag::Equal => " ",
            },
            text: c.value().trim_end_matches('\n').to_string(),
        })
        .collect()
}

pub async fn diff(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(slug): Path<String>,
    Query(q): Query<DiffQuery>,
) -> WebResult<Response> {
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    let to = q.to.unwrap_or(a.revision);
    let from = q.from.unwrap_or(to - 1);
    let (old, new) = (
        state.store.revision(s.viewer(), a.id, from).await?,
        state.store.revision(s.viewer(), a.id, to).await?,
    );
    let t = s.ctx.t;
    let title = Catalog::fill(t.kb_diff_title, &[&from.to_string(), &to.to_string()]);
    let mut meta = Vec::new();
    if old.title != new.title {
        meta.push((t.kb_field_title, old.title.clone(), new.title.clone()));
    }
    if old.summary != new.summary {
        meta.push((t.kb_field_summary, old.summary.clone(), new.summary.clone()));
    }
    if old.kind != new.kind {
        meta.push((
            t.kb_field_kind,
            t.kind(old.kind).into(),
            t.kind(new.kind).into(),
        ));
    }
    if old.state != new.state {
        meta.push((
            t.kb_field_state,
            t.article_state(old.state).into(),
            t.article_state(new.state).into(),
        ));
    }
    if old.tags != new.tags {
        meta.push((t.kb_field_tags, old.tags.join(", "), new.tags.join(", ")));
    }
    let body = lines(&old.body, &new.body);
    let same = meta.is_empty() && body.iter().all(|l| l.sign == " ");
    Ok(render(&DiffView {
        p: s.ctx.page(&title),
        a,
        from: old,
        to: new,
        meta,
        body,
        same,
    }))
}

#[derive(Deserialize)]
pub struct RestoreForm {
    number: i32,
}

pub async fn restore(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(slug): Path<String>,
    Form(f): Form<RestoreForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    if f.number < 1 || f.number > a.revision {
        return Err(WebError::not_found());
    }
    let author = Author {
        id: Some(s.owner.person.id),
        name: s.owner.person.name.clone(),
    };
    let note = Catalog::fill(t.kb_restored_note, &[&f.number.to_string()]);
    let saved = state
        .store
        .restore_revision(s.viewer(), &author, a.id, f.number, note)
        .await?;
    reindex_now(&state).await;
    Ok(see_other(
        &format!("/kb/{}/history", saved.slug),
        success(t.kb_restored),
        s.ctx.secure,
    ))
}
