//! The audit log: who did what, when, from where and with which API key. Staff only.

use actix_web::{HttpResponse, get, web};
use faro_types::audit::AuditEvent;
use faro_types::{Page, PageQuery};

use super::convert;
use super::paging::Paging;
use crate::auth::Auth;
use crate::extract::Query;
use crate::problem::ApiResult;
use crate::server::Api;

/// Read the audit log
///
/// Newest first. `action_label` is in the caller's language.
#[utoipa::path(
    operation_id = "list_audit_events",
    tag = "audit",
    security(("access_token" = []), ("api_key" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of events", body = Page<AuditEvent>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/audit-events")]
pub async fn list(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let paging = Paging::parse(&q)?;
    // The cursor's key is the event's time, as RFC 3339.
    let before = match &paging.after {
        Some((at, id)) => Some((
            chrono::DateTime::parse_from_rfc3339(at)
                .map_err(|_| {
                    crate::problem::ApiError::field(
                        "cursor",
                        "invalid",
                        crate::problem::Text::Catalog(|t| t.api_bad_cursor),
                    )
                })?
                .with_timezone(&chrono::Utc),
            *id,
        )),
        None => None,
    };
    let rows = api
        .store
        .audit_events(&auth.viewer(), before, paging.fetch() as u64)
        .await?;
    let lang = auth.lang();
    let page = paging.page(
        rows,
        |e| (e.at.to_rfc3339(), e.id),
        |e| convert::audit_event(e, lang),
    );
    Ok(HttpResponse::Ok().json(page))
}
