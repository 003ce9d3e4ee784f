//! Beyond the first line: a remote connection (staff ask; someone of the membership authorises
//! or refuses, recorded with who, when and from which address; staff start only after a yes),
//! on-site visits (the followers get an `.ics` invitation; staff report what was done), and
//! triage (a knowledge-base article linked as the solution, or a draft article made from the
//! incident).

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, put, web};
use faro_core::{Catalog, Conflict, StoreError};
use faro_types::ErrorCode;
use faro_types::incidents::{
    DraftArticle, Incident, NewRemoteRequest, NewVisit, RemoteAnswer, SolutionChoice, VisitReport,
};
use uuid::Uuid;

use super::incidents::{refused, respond, update_mails, visible};
use super::kb_edit::staff;
use crate::auth::Auth;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult};
use crate::server::Api;

fn id_in_path(raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| ApiError::not_found())
}

/// Ask to connect remotely
///
/// Staff only. The membership's followers are e-mailed; someone of the membership answers with
/// `…/remote-requests/{id}/answer`.
#[utoipa::path(
    operation_id = "request_remote_connection",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    request_body = NewRemoteRequest,
    responses(
        (status = 201, description = "Asked; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/incidents/{number}/remote-requests")]
pub async fn request_remote(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
    Json(body): Json<NewRemoteRequest>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let i = visible(&api, &auth, &number).await?;
    let who = auth.principal.person.name.clone();
    let notify = update_mails(
        &api,
        who.clone(),
        |t: &Catalog| t.inc_mail_remote_asked.to_string(),
        body.purpose.clone(),
    );
    let field = |e: StoreError| match e {
        StoreError::Invalid(i) => {
            let f = match i {
                faro_core::Invalid::Tool => "tool",
                faro_core::Invalid::Window => "window",
                _ => "purpose",
            };
            ApiError::invalid(f, i)
        }
        e => e.into(),
    };
    api.store
        .request_remote(
            &auth.viewer(),
            &who,
            i.id,
            &body.purpose,
            &body.tool,
            &body.window,
            notify,
        )
        .await
        .map_err(field)?;
    api.mail_queued();
    respond(&api, &auth, &number, HttpResponse::Created()).await
}

/// Authorise or refuse a remote connection
///
/// Someone of the incident's membership (not staff) answers a pending request. Who answered,
/// when and from which address are recorded and shown to staff. A request already answered is
/// 409.
#[utoipa::path(
    operation_id = "answer_remote_connection",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("number" = String, Path, description = "The incident's number"),
        ("id" = Uuid, Path, description = "The request's id")
    ),
    request_body = RemoteAnswer,
    responses(
        (status = 200, description = "Answered; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/incidents/{number}/remote-requests/{id}/answer")]
pub async fn answer_remote(
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, String)>,
    Json(body): Json<RemoteAnswer>,
) -> ApiResult<HttpResponse> {
    let (number, id) = path.into_inner();
    let i = visible(&api, &auth, &number).await?;
    let request = id_in_path(&id)?;
    let who = auth.principal.person.name.clone();
    let yes = body.authorise;
    let notify = update_mails(
        &api,
        who.clone(),
        move |t: &Catalog| {
            if yes {
                t.inc_mail_remote_yes.to_string()
            } else {
                t.inc_mail_remote_no.to_string()
            }
        },
        String::new(),
    );
    api.store
        .answer_remote(
            &auth.viewer(),
            &who,
            auth.ip.as_deref(),
            i.id,
            request,
            yes,
            notify,
        )
        .await
        .map_err(refused("authorise"))?;
    api.mail_queued();
    respond(&api, &auth, &number, HttpResponse::Ok()).await
}

/// Start a remote connection
///
/// Staff only, and only once the membership authorised it (otherwise 409). The incident's
/// escalation becomes `remote`.
#[utoipa::path(
    operation_id = "start_remote_connection",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("number" = String, Path, description = "The incident's number"),
        ("id" = Uuid, Path, description = "The request's id")
    ),
    responses(
        (status = 200, description = "Started; the incident as it is now", body = Incident),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict)
    )
)]
#[post("/incidents/{number}/remote-requests/{id}/start")]
pub async fn start_remote(
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let (number, id) = path.into_inner();
    let i = visible(&api, &auth, &number).await?;
    let request = id_in_path(&id)?;
    api.store
        .start_remote(&auth.viewer(), &auth.principal.person.name, i.id, request)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(Conflict::NotAllowedNow) => {
                ApiError::conflict(ErrorCode::Conflict, |t| t.inc_remote_not_authorised)
            }
            e => e.into(),
        })?;
    respond(&api, &auth, &number, HttpResponse::Ok()).await
}

/// Schedule an on-site visit
///
/// Staff only. The client people following the incident get an e-mail with a calendar
/// invitation (`.ics`); the escalation becomes `on_site`.
#[utoipa::path(
    operation_id = "schedule_incident_visit",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    request_body = NewVisit,
    responses(
        (status = 201, description = "Scheduled; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/incidents/{number}/visits")]
pub async fn schedule_visit(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
    Json(body): Json<NewVisit>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let i = visible(&api, &auth, &number).await?;
    let base = api.base_url.clone();
    let (technician, address, starts_at) = (
        body.technician.trim().to_owned(),
        body.address.trim().to_owned(),
        body.starts_at,
    );
    let notify: faro_store::VisitNotify = Box::new(move |n, id| {
        let visit = faro_mail::incidents::Visit {
            id,
            starts_at,
            technician: &technician,
            address: &address,
        };
        n.recipients
            .iter()
            .map(|p| faro_mail::incidents::visit_invitation(&base, p, n.incident, &visit))
            .collect()
    });
    api.store
        .schedule_visit(
            &auth.viewer(),
            &auth.principal.person.name,
            i.id,
            body.starts_at,
            &body.technician,
            &body.address,
            notify,
        )
        .await
        .map_err(|e| match e {
            StoreError::Invalid(i) => {
                let f = match i {
                    faro_core::Invalid::Technician => "technician",
                    faro_core::Invalid::Address => "address",
                    _ => "starts_at",
                };
                ApiError::invalid(f, i)
            }
            e => e.into(),
        })?;
    api.mail_queued();
    respond(&api, &auth, &number, HttpResponse::Created()).await
}

/// A visit as a calendar event
///
/// The visit as an iCalendar (`.ics`) file, the same one the followers were e-mailed.
#[utoipa::path(
    operation_id = "get_incident_visit_ics",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("number" = String, Path, description = "The incident's number"),
        ("id" = Uuid, Path, description = "The visit's id")
    ),
    responses(
        (status = 200, description = "The event", content_type = "text/calendar"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/incidents/{number}/visits/{id}/ics")]
pub async fn visit_ics(
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (number, id) = path.into_inner();
    let i = visible(&api, &auth, &number).await?;
    let id = id_in_path(&id)?;
    let visit = api
        .store
        .visits(&auth.viewer(), i.id)
        .await?
        .into_iter()
        .find(|v| v.id == id)
        .ok_or_else(ApiError::not_found)?;
    let ics = faro_mail::incidents::visit_ics(
        &api.base_url,
        auth.lang(),
        &i,
        &faro_mail::incidents::Visit {
            id: visit.id,
            starts_at: visit.starts_at,
            technician: &visit.technician,
            address: &visit.address,
        },
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            faro_files::disposition("attachment", &format!("visita-{}.ics", i.number)),
        ))
        .body(ics))
}

/// Report a visit
///
/// Staff only: what was done, in Markdown.
#[utoipa::path(
    operation_id = "report_incident_visit",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("number" = String, Path, description = "The incident's number"),
        ("id" = Uuid, Path, description = "The visit's id")
    ),
    request_body = VisitReport,
    responses(
        (status = 200, description = "Reported; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/incidents/{number}/visits/{id}/report")]
pub async fn report_visit(
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, String)>,
    Json(body): Json<VisitReport>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let (number, id) = path.into_inner();
    let i = visible(&api, &auth, &number).await?;
    let id = id_in_path(&id)?;
    api.store
        .report_visit(
            &auth.viewer(),
            &auth.principal.person.name,
            i.id,
            id,
            &body.report,
        )
        .await
        .map_err(refused("report"))?;
    respond(&api, &auth, &number, HttpResponse::Ok()).await
}

/// Link the solution article
///
/// Staff only: a published knowledge-base article the incident's membership can read (its
/// slug, or its `/kb/<slug>` address). The client sees it on the incident.
#[utoipa::path(
    operation_id = "link_incident_solution",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    request_body = SolutionChoice,
    responses(
        (status = 200, description = "Linked; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/incidents/{number}/solution")]
pub async fn link_solution(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
    Json(body): Json<SolutionChoice>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let i = visible(&api, &auth, &number).await?;
    // The article's address is accepted as well as its slug.
    let slug = body.article.trim().trim_end_matches('/');
    let slug = slug.rsplit("/kb/").next().unwrap_or(slug);
    api.store
        .link_solution(&auth.viewer(), &auth.principal.person.name, i.id, slug)
        .await
        .map_err(refused("article"))?;
    respond(&api, &auth, &number, HttpResponse::Ok()).await
}

/// Draft an article from an incident
///
/// Staff only: a draft procedure article with the incident's problem and its public answers
/// (never internal notes), for staff to edit and publish.
#[utoipa::path(
    operation_id = "draft_article_from_incident",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    responses(
        (status = 201, description = "Drafted; `Location` is the article", body = DraftArticle),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[post("/incidents/{number}/draft-article")]
pub async fn draft_article(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let i = visible(&api, &auth, &number).await?;
    let slug = api
        .store
        .draft_article_from_incident(&auth.viewer(), &super::kb_edit::author(&auth), i.id)
        .await?;
    super::kb::reindex(&api).await;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/kb/articles/{slug}")))
        .json(DraftArticle { slug }))
}
