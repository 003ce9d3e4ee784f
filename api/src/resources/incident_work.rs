//! Working an incident: its state (staff move it along; the client confirms the fix by closing
//! it, or reopens it), and for staff its priority and assignee. Each change is a timeline entry;
//! state and priority changes e-mail the followers.

use actix_web::{HttpResponse, get, post, put, web};
use faro_core::Catalog;
use faro_types::incidents::{
    Assignment, Incident, PriorityChange, PriorityDefinition, StateChange,
};

use super::convert;
use super::incidents::{refused, respond, update_mails, visible};
use crate::auth::Auth;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult};
use crate::server::Api;

/// The priorities and their service levels
///
/// What each priority means, in the caller's language, and its targets in working minutes:
/// what a form opening an incident shows beside each choice.
#[utoipa::path(
    operation_id = "incident_priorities",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    responses(
        (status = 200, description = "Alta, Media and Baja, in that order", body = Vec<PriorityDefinition>),
        (status = 401, response = crate::openapi::Unauthorized)
    )
)]
#[get("/incidents/priorities")]
pub async fn priorities(api: web::Data<Api>, auth: Auth) -> HttpResponse {
    let t = auth.lang().catalog();
    let list: Vec<PriorityDefinition> = faro_core::incidents::Priority::ALL
        .into_iter()
        .map(|p| {
            let target = api.sla.target(p);
            PriorityDefinition {
                priority: convert::priority(p),
                label: t.priority(p).to_owned(),
                definition: t.priority_definition(p).to_owned(),
                first_response_minutes: target.first_response,
                resolution_minutes: target.resolution,
            }
        })
        .collect();
    HttpResponse::Ok().json(list)
}

/// Change an incident's state
///
/// Staff move it along; a client's people close a resolved incident (confirming the fix) or
/// reopen a resolved or closed one. A move the rules do not allow from the current state is
/// 409 and changes nothing (see `StateChange`). Waiting for the client pauses the service-level
/// clock; leaving that state moves both due times by the working time spent waiting.
#[utoipa::path(
    operation_id = "change_incident_state",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    request_body = StateChange,
    responses(
        (status = 200, description = "Changed; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/incidents/{number}/state")]
pub async fn state(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
    Json(body): Json<StateChange>,
) -> ApiResult<HttpResponse> {
    let i = visible(&api, &auth, &number).await?;
    if body.remark.chars().count() > 2000 {
        return Err(ApiError::invalid("remark", faro_core::Invalid::Message));
    }
    let to = convert::incident_state_in(body.state);
    let who = auth.principal.person.name.clone();
    let notify = update_mails(
        &api,
        who.clone(),
        move |t: &Catalog| Catalog::fill(t.inc_mail_state, &[t.incident_state(to)]),
        body.remark.clone(),
    );
    api.store
        .change_state(
            &auth.viewer(),
            &who,
            i.id,
            to,
            &body.remark,
            &api.sla,
            notify,
        )
        .await
        .map_err(refused("body"))?;
    api.mail_queued();
    super::kb::reindex(&api).await;
    respond(&api, &auth, &number, HttpResponse::Ok()).await
}

/// Change an incident's priority
///
/// Staff only. The due times follow the new priority's targets; the followers are told.
#[utoipa::path(
    operation_id = "change_incident_priority",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    request_body = PriorityChange,
    responses(
        (status = 200, description = "Changed; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/incidents/{number}/priority")]
pub async fn priority(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
    Json(body): Json<PriorityChange>,
) -> ApiResult<HttpResponse> {
    super::kb_edit::staff(&auth)?;
    let i = visible(&api, &auth, &number).await?;
    let p = convert::priority_in(body.priority);
    let who = auth.principal.person.name.clone();
    let notify = update_mails(
        &api,
        who.clone(),
        move |t: &Catalog| Catalog::fill(t.inc_mail_priority, &[t.priority(p)]),
        String::new(),
    );
    api.store
        .change_priority(&auth.viewer(), &who, i.id, p, &api.sla, notify)
        .await?;
    api.mail_queued();
    respond(&api, &auth, &number, HttpResponse::Ok()).await
}

/// Assign an incident
///
/// Staff only: to a staff member (`assignee_id`), or to nobody (`null`). Someone who is not
/// active staff is 422.
#[utoipa::path(
    operation_id = "assign_incident",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    request_body = Assignment,
    responses(
        (status = 200, description = "Assigned; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/incidents/{number}/assignee")]
pub async fn assign(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
    Json(body): Json<Assignment>,
) -> ApiResult<HttpResponse> {
    super::kb_edit::staff(&auth)?;
    let i = visible(&api, &auth, &number).await?;
    api.store
        .assign_incident(
            &auth.viewer(),
            &auth.principal.person.name,
            i.id,
            body.assignee_id,
        )
        .await
        .map_err(refused("assignee_id"))?;
    respond(&api, &auth, &number, HttpResponse::Ok()).await
}
