//! `/incidents/{number}/pdf`: the incident and its whole timeline typeset by typst, with the
//! images attached to it. What the viewer cannot see (internal notes and files, for clients) is
//! not in it either.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use faro_core::format;

use crate::AppState;
use crate::context::Signed;
use crate::error::{WebError, WebResult};

/// Images larger than this are listed, not embedded.
const MAX_IMAGE: u64 = 8 * 1024 * 1024;

pub async fn pdf(
    State(state): State<AppState>,
    s: Signed,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let (events, attachments) = state.store.timeline(s.viewer(), i.id).await?;
    let mut images: HashMap<String, Vec<u8>> = HashMap::new();
    let files_md = |event: Option<uuid::Uuid>, images: &mut HashMap<String, Vec<u8>>| {
        let mut md = String::new();
        for a in attachments.iter().filter(|a| a.event_id == event) {
            let url = format!("/incidents/files/{}", a.id);
            if a.content_type.starts_with("image/") && a.file.size <= MAX_IMAGE {
                images.insert(url.clone(), Vec::new());
                md.push_str(&format!(
                    "\n![{}]({url})\n",
                    a.file.file_name.replace(['[', ']'], "")
                ));
            } else {
                md.push_str(&format!(
                    "\n- {} ({})\n",
                    a.file.file_name,
                    format::file_size(t.lang, a.file.size)
                ));
            }
        }
        md
    };
    let opening = events
        .iter()
        .find(|e| e.kind == faro_store::kind::OPENED)
        .map(|e| e.id);
    let mut body = i.description.clone();
    body.push('\n');
    body.push_str(&files_md(opening, &mut images));
    body.push_str(&format!("\n## {}\n", t.inc_timeline));
    for e in events.iter().filter(|e| e.kind != faro_store::kind::OPENED) {
        let internal = if e.internal {
            format!(" · {}", t.inc_internal)
        } else {
            String::new()
        };
        body.push_str(&format!(
            "\n### {} · {} · {}{internal}\n\n",
            format::date_time(t.lang, e.created_at),
            e.author_name,
            super::show::label(t, e)
        ));
        if !e.body.trim().is_empty() {
            body.push_str(&e.body);
            body.push('\n');
        }
        body.push_str(&files_md(Some(e.id), &mut images));
    }
    // Read the embedded images' bytes from the file store.
    for a in attachments.iter() {
        let url = format!("/incidents/files/{}", a.id);
        if let Some(slot) = images.get_mut(&url) {
            *slot = state
                .files
                .read_all(&a.file.key, MAX_IMAGE)
                .await
                .map_err(WebError::internal)?;
        }
    }
    let mut meta = vec![
        (t.inc_field_state, t.incident_state(i.state).to_string()),
        (t.inc_field_priority, t.priority(i.priority).to_string()),
        (t.inc_membership, i.membership_name.clone()),
        (
            t.inc_opened_by,
            format!(
                "{} · {}",
                i.opened_by_name,
                format::date_time(t.lang, i.created_at)
            ),
        ),
        (t.inc_level, t.escalation(i.escalation).to_string()),
    ];
    if !i.system.is_empty() {
        meta.push((t.inc_field_system, i.system.clone()));
    }
    let footer = match &state.config.operator_name {
        Some(op) => format!("{} · {op}", t.app_name),
        None => format!("{} · {}", t.app_name, t.tagline),
    };
    let (lang, title, number, page_label) = (
        t.lang.code(),
        format!("{} · {}", i.number, i.title),
        i.number.clone(),
        t.kb_pdf_page,
    );
    let bytes = tokio::task::spawn_blocking(move || {
        faro_pdf::render_article(&faro_pdf::ArticlePdf {
            lang,
            title: &title,
            summary: None,
            meta,
            body_markdown: &body,
            images,
            footer: &footer,
            page_label,
        })
    })
    .await
    .map_err(WebError::internal)?
    .map_err(WebError::internal)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{number}.pdf\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
