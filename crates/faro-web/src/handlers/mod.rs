//! Handlers: one file per action. Each parses input into domain types, makes one store call and
//! renders or redirects.

pub mod account;
pub mod admin;
pub mod auth;
pub mod downloads;
pub mod health;
pub mod kb;
pub mod memberships;
pub mod people;
pub mod portal;
pub mod resources;

use axum::http::{HeaderValue, header};
use axum::response::Response;
use faro_core::records::Person;
use faro_core::secret::sha256_hex;
use faro_core::{NewPassword, PasswordHash, SecretToken};
use uuid::Uuid;

use crate::AppState;
use crate::context::Ctx;
use crate::cookies;
use crate::error::{WebError, WebResult};

/// An id from the URL; anything that is not one is simply not found.
pub fn parse_id(raw: &str) -> WebResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| WebError::not_found())
}

/// argon2 is deliberately slow: keep it off the async workers.
pub async fn hash_password(p: NewPassword) -> WebResult<PasswordHash> {
    tokio::task::spawn_blocking(move || p.hash())
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)
}

pub async fn verify_password(hash: PasswordHash, candidate: String) -> WebResult<bool> {
    tokio::task::spawn_blocking(move || hash.verify(&candidate))
        .await
        .map_err(WebError::internal)
}

/// Starts a session for `person`: a fresh session id (never reused from before sign-in) and a
/// fresh CSRF token, both as cookies on `res`.
pub async fn sign_in(
    state: &AppState,
    ctx: &Ctx,
    person: &Person,
    user_agent: Option<String>,
    mut res: Response,
) -> WebResult<Response> {
    let token = SecretToken::generate().map_err(WebError::internal)?;
    let digest = sha256_hex(token.expose().as_bytes());
    state
        .store
        .open_session(person, &digest, ctx.ip.clone(), user_agent)
        .await?;
    let csrf = SecretToken::generate().map_err(WebError::internal)?;
    let secure = state.config.secure_cookies;
    for c in [
        cookies::set(
            cookies::SESSION,
            token.expose(),
            Some(30 * 24 * 3600),
            secure,
        ),
        cookies::set(cookies::CSRF, csrf.expose(), None, secure),
    ] {
        let v = HeaderValue::from_str(&c).map_err(WebError::internal)?;
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

pub fn user_agent(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Limits on requests that send e-mail to a typed address (see `Store::within_limits`).
pub use faro_store::limits;
