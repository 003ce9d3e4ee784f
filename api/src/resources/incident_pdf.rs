//! An incident as a PDF: its facts and whole timeline typeset by typst, with the images
//! attached to it, in the reader's language. Built from the one timeline path, so a client's
//! PDF holds no internal note or file.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use faro_core::incidents::Incident;
use faro_core::{Lang, Viewer};
use faro_store::printout::{MAX_IMAGE, Printout};

use super::incidents::visible;
use super::kb_files::{pdf_footer, pdf_response};
use crate::auth::Auth;
use crate::problem::{ApiError, ApiResult};
use crate::server::Api;

/// Typesets `i` as `viewer` may see it, off the async workers.
pub async fn typeset(api: &Api, viewer: &Viewer, lang: Lang, i: &Incident) -> ApiResult<Vec<u8>> {
    let t = lang.catalog();
    let (events, attachments) = api.store.timeline(viewer, i.id).await?;
    let doc = Printout::new(t, i, &events, &attachments);
    let mut images: HashMap<String, Vec<u8>> = HashMap::new();
    for (name, a) in &doc.images {
        let bytes = api
            .files
            .read_all(&a.file.key, MAX_IMAGE)
            .await
            .map_err(ApiError::internal)?;
        images.insert(name.clone(), bytes);
    }
    let footer = pdf_footer(api, t).await?;
    tokio::task::spawn_blocking(move || {
        faro_pdf::render_article(&faro_pdf::ArticlePdf {
            lang: lang.code(),
            title: &doc.title,
            summary: None,
            meta: doc.meta,
            body_markdown: &doc.markdown,
            images,
            footer: &footer,
            page_label: t.kb_pdf_page,
        })
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)
}

/// An incident as PDF
///
/// The incident, its facts and its whole timeline with the images attached, typeset for
/// printing or filing, in the caller's language. A client's PDF never holds internal notes or
/// files. Browsers use the signed `pdf_url` of the incident instead.
#[utoipa::path(
    operation_id = "get_incident_pdf",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/incidents/{number}/pdf")]
pub async fn pdf(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let i = visible(&api, &auth, &number).await?;
    let bytes = typeset(&api, &auth.viewer(), auth.lang(), &i).await?;
    Ok(pdf_response(&i.number, bytes))
}
