//! A membership's people, for staff and its coordinator: list, deactivate (signed out at once,
//! everywhere), reactivate, and pass the coordinator role.

use actix_web::{HttpResponse, get, post, web};
use faro_types::accounts::Person;
use faro_types::{Page, PageQuery};
use uuid::Uuid;

use super::convert;
use super::paging::Paging;
use crate::auth::Auth;
use crate::extract::Query;
use crate::problem::ApiResult;
use crate::server::Api;

/// List a membership's people
///
/// In name order, inactive people included. For staff and the membership's coordinator; a
/// member gets 403, anyone outside the membership 404.
#[utoipa::path(
    operation_id = "list_people",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The membership's id"), PageQuery),
    responses(
        (status = 200, description = "A page of people", body = Page<Person>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/memberships/{id}/people")]
pub async fn list(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let paging = Paging::parse(&q)?;
    let rows = api
        .store
        .people_of(&auth.viewer(), *id, paging.name_page())
        .await?;
    let page = paging.page(rows, |p| (p.name.clone(), p.id), convert::person);
    Ok(HttpResponse::Ok().json(page))
}

async fn set_active(api: &Api, auth: &Auth, id: Uuid, active: bool) -> ApiResult<HttpResponse> {
    let p = api
        .store
        .set_person_active(&auth.viewer(), &auth.actor(), id, active)
        .await?;
    Ok(HttpResponse::Ok().json(convert::person(p)))
}

/// Deactivate a person
///
/// They are signed out everywhere at once (their next request is refused) and cannot sign in;
/// their API keys stop working. Not oneself (409 `self_action`).
#[utoipa::path(
    operation_id = "deactivate_person",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "Deactivated", body = Person),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict)
    )
)]
#[post("/people/{id}/deactivate")]
pub async fn deactivate(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    set_active(&api, &auth, *id, false).await
}

/// Reactivate a person
#[utoipa::path(
    operation_id = "reactivate_person",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "Active again", body = Person),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict)
    )
)]
#[post("/people/{id}/reactivate")]
pub async fn reactivate(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    set_active(&api, &auth, *id, true).await
}

/// Pass the coordinator role
///
/// The person becomes their membership's coordinator; the current coordinator becomes a member
/// (their access tokens stop working; a refresh gives them one with their new role).
#[utoipa::path(
    operation_id = "make_coordinator",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The new coordinator", body = Person),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict)
    )
)]
#[post("/people/{id}/make-coordinator")]
pub async fn make_coordinator(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let p = api
        .store
        .pass_coordinator(&auth.viewer(), &auth.actor(), *id)
        .await?;
    Ok(HttpResponse::Ok().json(convert::person(p)))
}
