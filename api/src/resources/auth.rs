//! Signing in (`login`), renewing the access token (`refresh`, which rotates the refresh-token
//! cookie and revokes its whole family when a spent one comes back) and signing out.

use actix_web::{HttpRequest, HttpResponse, post, web};
use faro_core::SecretToken;
use faro_core::records::{Actor, Person};
use faro_store::limits::LOGIN_WINDOW_MINUTES;
use faro_store::{Attempt, Refreshed};
use faro_types::ErrorCode;
use faro_types::accounts::{AccessToken, LoginRequest};

use super::convert;
use crate::auth::{client_ip, cookie};
use crate::extract::Json;
use crate::problem::{ApiError, ApiResult};
use crate::server::Api;

pub fn user_agent(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// An access token for `principal` and the response that carries it (and the refresh cookie).
pub fn token_response(
    api: &Api,
    principal: &faro_store::Principal,
    renewal: &SecretToken,
) -> ApiResult<HttpResponse> {
    let p = &principal.person;
    let (token, expires_at) = api
        .jwt
        .issue(
            p.id,
            p.role.as_str(),
            p.membership_id,
            principal.token_version,
        )
        .map_err(ApiError::internal)?;
    let body = AccessToken {
        access_token: token,
        token_type: "Bearer".into(),
        expires_in: api.jwt.ttl.as_secs(),
        expires_at,
        person: convert::me(principal, None),
    };
    Ok(HttpResponse::Ok()
        .cookie(cookie::set(renewal, api.secure_cookies))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(body))
}

/// Opens an API session for `person` (a new refresh family) and answers with its tokens.
pub async fn sign_in(
    api: &Api,
    req: &HttpRequest,
    person: &Person,
    record_sign_in: bool,
) -> ApiResult<HttpResponse> {
    let renewal = SecretToken::generate().map_err(ApiError::internal)?;
    let actor = Actor {
        user_id: Some(person.id),
        email: Some(person.email.to_string()),
        ip: client_ip(req),
        api_key_id: None,
    };
    api.store
        .open_api_session(
            person,
            &renewal.digest(),
            &actor,
            user_agent(req),
            record_sign_in,
        )
        .await?;
    let principal =
        api.store.principal(person.id).await?.ok_or_else(|| {
            ApiError::unauthorized(ErrorCode::SessionEnded, |t| t.api_session_ended)
        })?;
    token_response(api, &principal, &renewal)
}

/// Sign in with e-mail and password
///
/// Returns a short-lived access token (send it as `Authorization: Bearer …`) and sets the
/// refresh token as an HttpOnly cookie for `POST /api/v1/auth/refresh`. Five failures for one
/// account or from one address within 15 minutes make further tries wait (429 with
/// `Retry-After`).
#[utoipa::path(
    operation_id = "login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the refresh cookie is set", body = AccessToken),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, description = "Wrong e-mail or password (`login_failed`)", body = faro_types::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://faro.example/problems/login_failed", "title": "Unauthorized", "status": 401, "code": "login_failed", "detail": "El correo o la contraseña no son correctos."})),
        (status = 403, description = "The account (`account_inactive`) or its membership (`membership_inactive`) is deactivated", body = faro_types::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://faro.example/problems/account_inactive", "title": "Forbidden", "status": 403, "code": "account_inactive", "detail": "Esta cuenta está desactivada. Habla con el coordinador de tu empresa."})),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid),
        (status = 429, response = crate::openapi::Throttled)
    )
)]
#[post("/auth/login")]
pub async fn login(
    api: web::Data<Api>,
    req: HttpRequest,
    Json(body): Json<LoginRequest>,
) -> ApiResult<HttpResponse> {
    let ip = client_ip(&req).unwrap_or_default();
    let person = match api
        .store
        .attempt_sign_in(&body.email, &body.password, &ip)
        .await?
    {
        Attempt::Accepted(person) => person,
        Attempt::Throttled => return Err(ApiError::too_many(LOGIN_WINDOW_MINUTES as u64 * 60)),
        Attempt::Failed => {
            return Err(ApiError::unauthorized(ErrorCode::LoginFailed, |t| {
                t.api_login_failed
            }));
        }
        Attempt::AccountInactive => {
            return Err(ApiError::forbidden(ErrorCode::AccountInactive, |t| {
                t.login_inactive
            }));
        }
        Attempt::MembershipInactive => {
            return Err(ApiError::forbidden(ErrorCode::MembershipInactive, |t| {
                t.login_membership_inactive
            }));
        }
    };
    sign_in(&api, &req, &person, true).await
}

/// Renew the access token
///
/// Uses the refresh-token cookie set at sign-in (no body, no Authorization header), rotates it
/// and returns a new access token. A refresh token works once: presenting a spent one revokes
/// every token of its sign-in (someone else may hold a copy), and the person must sign in again.
#[utoipa::path(
    operation_id = "refresh",
    tag = "auth",
    responses(
        (status = 200, description = "A new access token; the rotated refresh cookie is set", body = AccessToken),
        (status = 401, description = "No usable refresh cookie (`refresh_refused`), or a spent one came back and its family is revoked (`refresh_reused`)", body = faro_types::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://faro.example/problems/refresh_reused", "title": "Unauthorized", "status": 401, "code": "refresh_reused", "detail": "Se ha usado un token de renovación ya usado: por seguridad se han cerrado las sesiones de este dispositivo. Vuelve a iniciar sesión."}))
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(api: web::Data<Api>, req: HttpRequest) -> ApiResult<HttpResponse> {
    // A refused renewal also removes the cookie, so the browser stops sending it.
    let refused = |code, text| {
        let mut e = ApiError::unauthorized(code, text);
        e.cookie = Some(Box::new(cookie::clear(api.secure_cookies)));
        Err(e)
    };
    let Some(old) = cookie::read(&req) else {
        return refused(ErrorCode::RefreshRefused, |t| t.api_refresh_missing);
    };
    let new = SecretToken::generate().map_err(ApiError::internal)?;
    match api
        .store
        .rotate_refresh(
            &old.digest(),
            &new.digest(),
            client_ip(&req),
            user_agent(&req),
        )
        .await?
    {
        Refreshed::Rotated(principal) => token_response(&api, &principal, &new),
        Refreshed::Reused => refused(ErrorCode::RefreshReused, |t| t.api_refresh_reused),
        Refreshed::Refused => refused(ErrorCode::RefreshRefused, |t| t.api_refresh_missing),
    }
}

/// Sign out this device
///
/// Revokes the refresh token in the cookie (and every token rotated from it) and clears the
/// cookie. Access tokens already issued expire on their own within minutes.
#[utoipa::path(
    operation_id = "logout",
    tag = "auth",
    responses((status = 204, description = "Signed out (also when there was nothing to sign out)"))
)]
#[post("/auth/logout")]
pub async fn logout(api: web::Data<Api>, req: HttpRequest) -> ApiResult<HttpResponse> {
    if let Some(token) = cookie::read(&req) {
        let actor = Actor {
            ip: client_ip(&req),
            ..Actor::default()
        };
        api.store.end_api_session(&token.digest(), &actor).await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(cookie::clear(api.secure_cookies))
        .finish())
}
