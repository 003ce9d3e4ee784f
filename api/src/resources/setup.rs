//! First run: while nobody has an account, `faro serve` prints a one-time setup token; posting
//! it here with a name, e-mail and password creates the first administrator and signs them in.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use faro_core::email::parse_name;
use faro_core::{Email, Lang, NewPassword, SecretToken, StoreError};
use faro_types::ErrorCode;
use faro_types::accounts::{SetupRequest, SetupStatus};

use super::{auth, hash_password};
use crate::auth::client_ip;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult, Fields};
use crate::server::Api;

fn invalid_token() -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        ErrorCode::LinkInvalid,
        crate::problem::Text::Catalog(|t| t.api_setup_invalid),
    )
}

/// Whether the portal waits for its first administrator
#[utoipa::path(
    operation_id = "setup_status",
    tag = "accounts",
    responses((status = 200, description = "`needs_setup` is true until the first administrator exists", body = SetupStatus))
)]
#[get("/setup")]
pub async fn status(api: web::Data<Api>) -> ApiResult<HttpResponse> {
    let needs_setup = !api.store.has_users().await?;
    Ok(HttpResponse::Ok().json(SetupStatus { needs_setup }))
}

/// Create the first administrator
///
/// With the one-time token `faro serve` printed at first start. Signs the new administrator in
/// (same answer as `login`).
#[utoipa::path(
    operation_id = "setup",
    tag = "accounts",
    request_body = SetupRequest,
    responses(
        (status = 200, description = "Administrator created and signed in", body = faro_types::accounts::AccessToken),
        (status = 400, response = crate::openapi::BadJson),
        (status = 404, description = "The token is not valid or was used (`link_invalid`)", body = faro_types::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://faro.example/problems/link_invalid", "title": "Not Found", "status": 404, "code": "link_invalid", "detail": "El token de configuración no es válido o ya se ha usado."})),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/setup")]
pub async fn complete(
    api: web::Data<Api>,
    req: HttpRequest,
    Json(body): Json<SetupRequest>,
) -> ApiResult<HttpResponse> {
    let token = SecretToken::parse(&body.token).ok_or_else(invalid_token)?;
    let mut f = Fields::default();
    let name = f.check("name", parse_name(&body.name));
    let email = f.check("email", Email::parse(&body.email));
    let password = f.check(
        "password",
        NewPassword::parse(&body.password, &body.password, &[&body.email, &body.name]),
    );
    f.finish()?;
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let hash = hash_password(password).await?;
    let lang = crate::server::request_lang(&req).unwrap_or(Lang::Es);
    let admin = match api
        .store
        .complete_setup(&token, &email, &name, &hash, lang, client_ip(&req))
        .await
    {
        Ok(a) => a,
        Err(StoreError::NotFound | StoreError::Conflict(_)) => return Err(invalid_token()),
        Err(e) => return Err(e.into()),
    };
    auth::sign_in(&api, &req, &admin, false).await
}
