//! Forgotten passwords: a single-use reset link by e-mail (the same answer whether or not the
//! address has an account), then a new password with its token.

use actix_web::{HttpRequest, HttpResponse, post, web};
use faro_core::{Email, Lang, NewPassword, SecretToken, StoreError};
use faro_store::limits;
use faro_types::accounts::{Accepted, ForgotPasswordRequest, ResetPasswordRequest};

use super::hash_password;
use super::join::link_invalid;
use crate::auth::client_ip;
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult, Fields};
use crate::server::Api;

/// Ask for a password reset link
///
/// E-mails a single-use link (`/password/reset?token=…`) when the address has an account; the
/// answer is the same either way. At most 20 requests an hour from one client address.
#[utoipa::path(
    operation_id = "forgot_password",
    tag = "accounts",
    request_body = ForgotPasswordRequest,
    responses(
        (status = 202, description = "If the address has an account, a link is on its way", body = Accepted),
        (status = 400, response = crate::openapi::BadJson),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid),
        (status = 429, response = crate::openapi::Throttled)
    )
)]
#[post("/password/forgot")]
pub async fn forgot(
    api: web::Data<Api>,
    req: HttpRequest,
    Json(body): Json<ForgotPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let mut f = Fields::default();
    let email = f.check("email", Email::parse(&body.email));
    f.finish()?;
    let Some(email) = email else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let lang = crate::server::request_lang(&req).unwrap_or(Lang::Es);
    let accepted = HttpResponse::Accepted().json(Accepted {
        message: lang.catalog().forgot_sent.into(),
    });
    let ip = client_ip(&req).unwrap_or_default();
    if !api
        .store
        .within_limits(&[(limits::RESET_PER_ADDRESS, &ip)])
        .await?
    {
        return Err(ApiError::too_many(3600));
    }
    // Past the per-address limit the answer stays the same, so it tells nobody who has an account.
    if !api
        .store
        .within_limits(&[(limits::RESET_PER_EMAIL, email.as_str())])
        .await?
    {
        return Ok(accepted);
    }
    let token = SecretToken::generate().map_err(ApiError::internal)?;
    let (base, t) = (api.base_url.clone(), token.clone());
    api.store
        .request_password_reset(&email, &token, client_ip(&req), move |person| {
            faro_mail::accounts::password_reset(&base, person, &t)
        })
        .await?;
    api.mail_queued();
    Ok(accepted)
}

/// Choose a new password with a reset link
///
/// Also how new staff choose their first password. Signs the account out everywhere.
#[utoipa::path(
    operation_id = "reset_password",
    tag = "accounts",
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Password changed; sign in with it"),
        (status = 400, response = crate::openapi::BadJson),
        (status = 404, description = "The link is not valid, was used or expired (`link_invalid`)", body = faro_types::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://faro.example/problems/link_invalid", "title": "Not Found", "status": 404, "code": "link_invalid", "detail": "El enlace no es válido o ha caducado."})),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/password/reset")]
pub async fn reset(
    api: web::Data<Api>,
    req: HttpRequest,
    Json(body): Json<ResetPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let token = SecretToken::parse(&body.token).ok_or_else(link_invalid)?;
    let mut f = Fields::default();
    let password = f.check(
        "password",
        NewPassword::parse(&body.password, &body.password, &[]),
    );
    f.finish()?;
    let Some(password) = password else {
        return Err(ApiError::internal("validated fields missing"));
    };
    let hash = hash_password(password).await?;
    match api
        .store
        .reset_password(&token, &hash, client_ip(&req))
        .await
    {
        Ok(_) => Ok(HttpResponse::NoContent().finish()),
        Err(StoreError::NotFound) => Err(link_invalid()),
        Err(e) => Err(e.into()),
    }
}
