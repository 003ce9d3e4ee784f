//! Staff accounts (administrators): list, create (the person gets an e-mail to choose a
//! password), change role or deactivate (never the last active administrator).

use actix_web::{HttpResponse, get, patch, post, web};
use faro_core::email::parse_name;
use faro_core::{Email, Lang, SecretToken};
use faro_store::NewStaff as StoreStaff;
use faro_types::accounts::Person;
use faro_types::memberships::{NewStaff, StaffUpdate};
use faro_types::{Page, PageQuery};
use uuid::Uuid;

use super::convert;
use super::paging::Paging;
use crate::auth::Auth;
use crate::extract::{Json, Query};
use crate::problem::{ApiError, ApiResult, Fields};
use crate::server::Api;

fn staff_role(
    field: &str,
    r: faro_types::accounts::Role,
    f: &mut Fields,
) -> Option<faro_core::Role> {
    let role = convert::role_in(r);
    f.check(
        field,
        if role.is_staff() {
            Ok(role)
        } else {
            Err(faro_core::Invalid::Role)
        },
    )
}

/// List staff accounts
#[utoipa::path(
    operation_id = "list_staff",
    tag = "staff",
    security(("access_token" = []), ("api_key" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of staff accounts, in name order", body = Page<Person>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/staff")]
pub async fn list(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<HttpResponse> {
    let paging = Paging::parse(&q)?;
    let rows = api.store.staff(&auth.viewer(), paging.name_page()).await?;
    let page = paging.page(rows, |p| (p.name.clone(), p.id), convert::person);
    Ok(HttpResponse::Ok().json(page))
}

/// Create a staff account
///
/// An `admin` or `agent`. The person gets an e-mail with a link to choose a password.
#[utoipa::path(
    operation_id = "create_staff",
    tag = "staff",
    security(("access_token" = []), ("api_key" = [])),
    request_body = NewStaff,
    responses(
        (status = 201, description = "Created; the welcome e-mail is on its way", body = Person),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/staff")]
pub async fn create(
    api: web::Data<Api>,
    auth: Auth,
    Json(body): Json<NewStaff>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer();
    if !viewer.is_admin() {
        return Err(ApiError::not_found());
    }
    let mut f = Fields::default();
    let email = f.check("email", Email::parse(&body.email));
    let name = f.check("name", parse_name(&body.name));
    let role = staff_role("role", body.role, &mut f);
    f.finish()?;
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let token = SecretToken::generate().map_err(ApiError::internal)?;
    let (base, t) = (api.base_url.clone(), token.clone());
    let new = StoreStaff {
        email,
        name,
        role,
        language: Lang::Es,
        password: None,
    };
    let person = api
        .store
        .create_staff(
            &viewer,
            &auth.actor(),
            new,
            Some((
                &token,
                Box::new(move |p| faro_mail::accounts::staff_welcome(&base, p, &t)),
            )),
        )
        .await?;
    api.mail_queued();
    Ok(HttpResponse::Created().json(convert::person(person)))
}

/// Change a staff account's role or deactivate it
///
/// Deactivation signs the person out everywhere at once. At least one active administrator
/// always remains (409 `last_admin`).
#[utoipa::path(
    operation_id = "update_staff",
    tag = "staff",
    security(("access_token" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The staff account's id")),
    request_body = StaffUpdate,
    responses(
        (status = 200, description = "As saved", body = Person),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[patch("/staff/{id}")]
pub async fn update(
    api: web::Data<Api>,
    auth: Auth,
    id: web::Path<Uuid>,
    Json(body): Json<StaffUpdate>,
) -> ApiResult<HttpResponse> {
    let mut f = Fields::default();
    let role = staff_role("role", body.role, &mut f);
    f.finish()?;
    let Some(role) = role else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let p = api
        .store
        .update_staff(&auth.viewer(), &auth.actor(), *id, role, body.active)
        .await?;
    Ok(HttpResponse::Ok().json(convert::person(p)))
}
