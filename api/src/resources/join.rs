//! Joining a membership with its invitation code: the request e-mails a confirmation link, and
//! the account exists once that link's token is confirmed here.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use faro_core::email::parse_name;
use faro_core::{Conflict, Email, InvitationCode, Lang, NewPassword, SecretToken, StoreError};
use faro_store::limits;
use faro_types::ErrorCode;
use faro_types::accounts::{Accepted, JoinRequest, TokenRequest};

use super::{convert, hash_password};
use crate::auth::client_ip;
use crate::extract::Json;
use crate::problem::{self, ApiError, ApiResult, Fields, Text};
use crate::server::Api;

/// Ask to join a membership
///
/// Sends a confirmation link to `email` (in `language`); the account exists once the link is
/// confirmed with `POST /api/v1/join/confirm`. Limited to 3 requests per address and 20 per
/// client address an hour.
#[utoipa::path(
    operation_id = "join",
    tag = "accounts",
    request_body = JoinRequest,
    responses(
        (status = 202, description = "The confirmation e-mail is on its way", body = Accepted),
        (status = 400, response = crate::openapi::BadJson),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid),
        (status = 429, response = crate::openapi::Throttled)
    )
)]
#[post("/join")]
pub async fn request(
    api: web::Data<Api>,
    req: HttpRequest,
    Json(body): Json<JoinRequest>,
) -> ApiResult<HttpResponse> {
    let mut f = Fields::default();
    let code = f.check("code", InvitationCode::parse(&body.code));
    let name = f.check("name", parse_name(&body.name));
    let email = f.check("email", Email::parse(&body.email));
    let password = f.check(
        "password",
        NewPassword::parse(&body.password, &body.password, &[&body.email, &body.name]),
    );
    f.finish()?;
    let (Some(code), Some(name), Some(email), Some(password)) = (code, name, email, password)
    else {
        return Err(ApiError::internal("validated fields missing"));
    };
    // Only requests with a working code count towards the limits, so nobody can block another
    // person's joining by sending wrong codes with their address.
    if let Err(StoreError::Conflict(c)) = faro_store::check_code(
        api.store.membership_by_code(&code).await?,
        chrono::Utc::now(),
    ) {
        return Err(problem::conflict(c));
    }
    let ip = client_ip(&req).unwrap_or_default();
    if !api
        .store
        .within_limits(&[
            (limits::JOIN_PER_ADDRESS, &ip),
            (limits::JOIN_PER_EMAIL, email.as_str()),
        ])
        .await?
    {
        return Err(ApiError::too_many(3600));
    }
    let lang = body
        .language
        .map(convert::lang_in)
        .or_else(|| crate::server::request_lang(&req))
        .unwrap_or(Lang::Es);
    let hash = hash_password(password).await?;
    let token = SecretToken::generate().map_err(ApiError::internal)?;
    let base = api.base_url.clone();
    let (n, e, t) = (name.clone(), email.clone(), token.clone());
    api.store
        .start_join(&code, &name, &email, &hash, lang, &token, move |m| {
            faro_mail::accounts::join_confirmation(&base, lang, &n, &e, m, &t)
        })
        .await
        .map_err(|e| match e {
            StoreError::Conflict(c) => problem::conflict(c),
            e => e.into(),
        })?;
    api.mail_queued();
    Ok(HttpResponse::Accepted().json(Accepted {
        message: lang.catalog().join_check_mail.into(),
    }))
}

/// Confirm a join request
///
/// With the token from the e-mailed link (`/join/confirm?token=…`). The account is created
/// active; sign in with `POST /api/v1/auth/login`. The person whose address is the
/// membership's `coordinator_email` (the one the invitation was e-mailed to) becomes its
/// coordinator while it has none; everyone else joins as a member.
#[utoipa::path(
    operation_id = "join_confirm",
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "The account exists", body = faro_types::accounts::Person),
        (status = 400, response = crate::openapi::BadJson),
        (status = 404, description = "The link is not valid, was used or expired (`link_invalid`)", body = faro_types::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://faro.example/problems/link_invalid", "title": "Not Found", "status": 404, "code": "link_invalid", "detail": "El enlace no es válido o ha caducado."})),
        (status = 409, response = crate::openapi::Conflict),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/join/confirm")]
pub async fn confirm(
    api: web::Data<Api>,
    req: HttpRequest,
    Json(body): Json<TokenRequest>,
) -> ApiResult<HttpResponse> {
    let token = SecretToken::parse(&body.token).ok_or_else(link_invalid)?;
    match api.store.confirm_join(&token, client_ip(&req)).await {
        Ok(person) => Ok(HttpResponse::Ok().json(convert::person(person))),
        Err(StoreError::NotFound) => Err(link_invalid()),
        Err(StoreError::Conflict(Conflict::EmailTaken)) => {
            Err(problem::conflict(Conflict::EmailTaken))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn link_invalid() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::LinkInvalid,
        Text::Catalog(|t| t.api_link_invalid),
    )
}
