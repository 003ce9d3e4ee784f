//! `/incidents/{number}/pdf`: the incident and its whole timeline typeset by typst, with the
//! images attached to it. What the viewer cannot see (internal notes and files, for clients) is
//! not in it either.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::context::Signed;
use crate::error::{WebError, WebResult};

pub async fn pdf(
    State(state): State<AppState>,
    s: Signed,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let (events, attachments) = state.store.timeline(s.viewer(), i.id).await?;
    let doc = faro_store::printout::Printout::new(t, &i, &events, &attachments);
    // Read the embedded images' bytes from the file store.
    let mut images: HashMap<String, Vec<u8>> = HashMap::new();
    for (name, a) in &doc.images {
        let bytes = state
            .files
            .read_all(&a.file.key, faro_store::printout::MAX_IMAGE)
            .await
            .map_err(WebError::internal)?;
        images.insert(name.clone(), bytes);
    }
    let footer = match &state.config.operator_name {
        Some(op) => format!("{} · {op}", t.app_name),
        None => format!("{} · {}", t.app_name, t.tagline),
    };
    let (lang, number, page_label) = (t.lang.code(), i.number.clone(), t.kb_pdf_page);
    let bytes = tokio::task::spawn_blocking(move || {
        faro_pdf::render_article(&faro_pdf::ArticlePdf {
            lang,
            title: &doc.title,
            summary: None,
            meta: doc.meta,
            body_markdown: &doc.markdown,
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
