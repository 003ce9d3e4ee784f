//! Client memberships. Administrators create, edit, activate and deactivate them, rotate their
//! invitation code and set its expiry; agents read them all; a client's people read only their
//! own (anyone else's is 404).

use actix_web::{HttpResponse, get, post, put, web};
use chrono::Utc;
use faro_core::{Email, MembershipName, TaxId, format};
use faro_store::{MembershipChanges, NewMembership as StoreNew};
use faro_types::memberships::{CodeExpiry, Membership, MembershipUpdate, NewMembership};
use faro_types::{Page, PageQuery};
use uuid::Uuid;

use super::convert;
use super::paging::Paging;
use crate::auth::Auth;
use crate::extract::{Json, Query};
use crate::problem::{ApiError, ApiResult, Fields, Text};
use crate::server::Api;

fn optional_email(raw: Option<&str>) -> Result<Option<Email>, faro_core::Invalid> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Email::parse(s).map(Some),
        None => Ok(None),
    }
}

/// `code_valid_until`: absent or null for no expiry, else a future `YYYY-MM-DD` (an empty
/// string is not a date).
fn valid_until(raw: Option<&str>) -> Result<Option<chrono::DateTime<Utc>>, faro_core::Invalid> {
    match raw {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Err(faro_core::Invalid::Date),
        Some(s) => format::parse_future_day(s, Utc::now()),
    }
}

fn activation_mail(
    api: &Api,
) -> impl FnOnce(
    &faro_core::records::Membership,
    &Email,
) -> Result<faro_core::records::OutgoingMail, String>
+ Send
+ 'static {
    let base = api.base_url.clone();
    move |m, to| faro_mail::accounts::membership_activated(&base, m, to)
}

/// List memberships
///
/// In name order. Staff see every membership; a client's people see only their own.
#[utoipa::path(
    operation_id = "list_memberships",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of memberships", body = Page<Membership>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/memberships")]
pub async fn list(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let paging = Paging::parse(&q)?;
    let rows = api
        .store
        .list_memberships(&auth.viewer(), paging.name_page())
        .await?;
    let page = paging.page(
        rows,
        |s| (s.membership.name.clone(), s.membership.id),
        convert::summary,
    );
    Ok(HttpResponse::Ok().json(page))
}

/// Create a membership
///
/// Faro generates its invitation code. With `activate`, the membership is activated at once and
/// the code is e-mailed to `coordinator_email`. Administrators only.
#[utoipa::path(
    operation_id = "create_membership",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    request_body = NewMembership,
    responses(
        (status = 201, description = "Created", body = Membership),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/memberships")]
pub async fn create(
    api: web::Data<Api>,
    auth: Auth,
    Json(body): Json<NewMembership>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer();
    if !viewer.is_admin() {
        return Err(ApiError::not_found());
    }
    let mut f = Fields::default();
    let name = f.check("name", MembershipName::parse(&body.name));
    let tax_id = f.check(
        "tax_id",
        TaxId::parse_optional(body.tax_id.as_deref().unwrap_or("")),
    );
    let coordinator_email = f.check(
        "coordinator_email",
        optional_email(body.coordinator_email.as_deref()),
    );
    let code_expires_at = f.check(
        "code_valid_until",
        valid_until(body.code_valid_until.as_deref()),
    );
    if body.activate && matches!(coordinator_email, Some(None)) {
        f.add(
            "coordinator_email",
            "needs_coordinator_email",
            Text::Catalog(|t| t.memberships_activation_needs_email),
        );
    }
    f.finish()?;
    let (Some(name), Some(tax_id), Some(coordinator_email), Some(code_expires_at)) =
        (name, tax_id, coordinator_email, code_expires_at)
    else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let new = StoreNew {
        name,
        tax_id,
        coordinator_email,
        contract_state: convert::contract_in(body.contract_state),
        code_expires_at,
    };
    let actor = auth.actor();
    let mut created = api.store.create_membership(&viewer, &actor, new).await?;
    if body.activate {
        created = api
            .store
            .activate_membership(&viewer, &actor, created.id, activation_mail(&api))
            .await?;
        api.mail_queued();
    }
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/memberships/{}", created.id),
        ))
        .json(convert::membership(created, None)))
}

/// Read a membership
#[utoipa::path(
    operation_id = "get_membership",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The membership's id")),
    responses(
        (status = 200, description = "The membership", body = Membership),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/memberships/{id}")]
pub async fn show(api: web::Data<Api>, auth: Auth, id: web::Path<Uuid>) -> ApiResult<HttpResponse> {
    let m = api.store.membership(&auth.viewer(), *id).await?;
    Ok(HttpResponse::Ok().json(convert::membership(m, None)))
}

/// Change a membership's details
///
/// Every field is sent; absent optional ones are cleared. Administrators only.
#[utoipa::path(
    operation_id = "update_membership",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The membership's id")),
    request_body = MembershipUpdate,
    responses(
        (status = 200, description = "As saved", body = Membership),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/memberships/{id}")]
pub async fn update(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
    Json(body): Json<MembershipUpdate>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer();
    if !viewer.is_admin() {
        return Err(ApiError::not_found());
    }
    let mut f = Fields::default();
    let name = f.check("name", MembershipName::parse(&body.name));
    let tax_id = f.check(
        "tax_id",
        TaxId::parse_optional(body.tax_id.as_deref().unwrap_or("")),
    );
    let coordinator_email = f.check(
        "coordinator_email",
        optional_email(body.coordinator_email.as_deref()),
    );
    f.finish()?;
    let (Some(name), Some(tax_id), Some(coordinator_email)) = (name, tax_id, coordinator_email)
    else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let changes = MembershipChanges {
        name,
        tax_id,
        coordinator_email,
        contract_state: convert::contract_in(body.contract_state),
    };
    let m = api
        .store
        .update_membership(&viewer, &auth.actor(), *id, changes)
        .await?;
    Ok(HttpResponse::Ok().json(convert::membership(m, None)))
}

/// Activate a membership
///
/// Its people can sign in again and its code admits new people; the code is e-mailed to the
/// coordinator. Administrators only.
#[utoipa::path(
    operation_id = "activate_membership",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The membership's id")),
    responses(
        (status = 200, description = "Active", body = Membership),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict)
    )
)]
#[post("/memberships/{id}/activate")]
pub async fn activate(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let m = api
        .store
        .activate_membership(&auth.viewer(), &auth.actor(), *id, activation_mail(&api))
        .await?;
    api.mail_queued();
    Ok(HttpResponse::Ok().json(convert::membership(m, None)))
}

/// Deactivate a membership
///
/// Its people are signed out and cannot sign in; its code admits nobody. Administrators only.
#[utoipa::path(
    operation_id = "deactivate_membership",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The membership's id")),
    responses(
        (status = 200, description = "Inactive", body = Membership),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[post("/memberships/{id}/deactivate")]
pub async fn deactivate(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let m = api
        .store
        .deactivate_membership(&auth.viewer(), &auth.actor(), *id)
        .await?;
    Ok(HttpResponse::Ok().json(convert::membership(m, None)))
}

/// Rotate the invitation code
///
/// A new code replaces the old one, which admits nobody from now on. Administrators only.
#[utoipa::path(
    operation_id = "rotate_invitation_code",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The membership's id")),
    responses(
        (status = 200, description = "With its new code", body = Membership),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[post("/memberships/{id}/code")]
pub async fn rotate_code(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let m = api
        .store
        .rotate_invitation_code(&auth.viewer(), &auth.actor(), *id)
        .await?;
    Ok(HttpResponse::Ok().json(convert::membership(m, None)))
}

/// Set when the invitation code expires
///
/// The last day it works (Spanish time), or null for never. Administrators only.
#[utoipa::path(
    operation_id = "set_code_expiry",
    tag = "memberships",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The membership's id")),
    request_body = CodeExpiry,
    responses(
        (status = 200, description = "As saved", body = Membership),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[put("/memberships/{id}/code-expiry")]
pub async fn set_code_expiry(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
    Json(body): Json<CodeExpiry>,
) -> ApiResult<HttpResponse> {
    let mut f = Fields::default();
    let at = f.check(
        "code_valid_until",
        valid_until(body.code_valid_until.as_deref()),
    );
    f.finish()?;
    let m = api
        .store
        .set_code_expiry(&auth.viewer(), &auth.actor(), *id, at.flatten())
        .await?;
    Ok(HttpResponse::Ok().json(convert::membership(m, None)))
}
