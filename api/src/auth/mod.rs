//! Who is calling: an access token (`Authorization: Bearer <jwt>`) or an API key
//! (`Authorization: Bearer faro_…`), checked against the database on every request (cached
//! exactly), so a deactivated person, a changed password or role, or a revoked key gets nothing
//! from the very next request on.

pub mod cookie;
pub mod jwt;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use faro_core::access::{KeyScope, KeySecret};
use faro_core::records::Actor;
use faro_core::{Lang, Viewer};
use faro_store::Principal;
use faro_types::ErrorCode;
use uuid::Uuid;

use crate::problem::ApiError;
use crate::server::Api;

/// The caller of an authenticated endpoint.
#[derive(Debug, Clone)]
pub struct Auth {
    pub principal: std::sync::Arc<Principal>,
    /// The API key the request came with, if any.
    pub key: Option<(Uuid, KeyScope)>,
    pub ip: Option<String>,
}

impl Auth {
    pub fn viewer(&self) -> Viewer {
        self.principal.viewer()
    }

    /// Who to write into the audit log: the person, from where, with which key.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.principal.person.id),
            email: Some(self.principal.person.email.to_string()),
            ip: self.ip.clone(),
            api_key_id: self.key.map(|(id, _)| id),
        }
    }

    /// Refuses requests made with an API key: changing the password and managing keys need a
    /// person signed in, so a leaked key cannot make itself permanent.
    pub fn signed_in(&self) -> Result<(), ApiError> {
        match self.key {
            None => Ok(()),
            Some(_) => Err(ApiError::forbidden(ErrorCode::Forbidden, |t| {
                t.api_forbidden
            })),
        }
    }

    pub fn lang(&self) -> Lang {
        self.principal.person.language
    }
}

/// The client's address: the connection's peer. Forwarded headers are not trusted (anyone can
/// send them, and sign-in throttling counts by address), as in the portal pages.
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// What the Authorization header holds, checked as far as it can be without the database.
enum Credential {
    Key(KeySecret),
    Token(std::sync::Arc<jwt::Claims>),
}

fn credential(api: &Api, req: &HttpRequest) -> Result<Credential, ApiError> {
    let Some(token) = bearer(req) else {
        return Err(ApiError::unauthorized(ErrorCode::Unauthorized, |t| {
            t.api_unauthorized
        }));
    };
    if token.starts_with(faro_core::access::KEY_PREFIX) {
        return KeySecret::parse(token).map(Credential::Key).ok_or_else(|| {
            ApiError::unauthorized(ErrorCode::ApiKeyRefused, |t| t.api_key_refused)
        });
    }
    api.jwt
        .verify(token)
        .map(Credential::Token)
        .map_err(|r| match r {
            jwt::Refusal::Expired => {
                ApiError::unauthorized(ErrorCode::TokenExpired, |t| t.api_token_expired)
            }
            jwt::Refusal::Invalid => {
                ApiError::unauthorized(ErrorCode::Unauthorized, |t| t.api_unauthorized)
            }
        })
}

async fn authenticate(
    api: web::Data<Api>,
    credential: Credential,
    ip: Option<String>,
    read: bool,
) -> Result<Auth, ApiError> {
    let claims = match credential {
        Credential::Token(claims) => claims,
        Credential::Key(secret) => {
            let (key, principal) = api
                .store
                .api_key_owner(&secret.digest(), ip.clone())
                .await?
                .ok_or_else(|| {
                    ApiError::unauthorized(ErrorCode::ApiKeyRefused, |t| t.api_key_refused)
                })?;
            if key.scope == KeyScope::Read && !read {
                return Err(ApiError::forbidden(ErrorCode::ReadOnlyKey, |t| {
                    t.api_read_only_key
                }));
            }
            return Ok(Auth {
                principal,
                key: Some((key.id, key.scope)),
                ip,
            });
        }
    };
    let ended = || ApiError::unauthorized(ErrorCode::SessionEnded, |t| t.api_session_ended);
    let principal = api.store.principal(claims.sub).await?.ok_or_else(ended)?;
    let p = &principal.person;
    if principal.token_version != claims.ver
        || p.role.as_str() != claims.role
        || p.membership_id != claims.mid
    {
        return Err(ended());
    }
    Ok(Auth {
        principal,
        key: None,
        ip,
    })
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let api = req.app_data::<web::Data<Api>>().cloned();
        // The signature and claims are checked here, before anything waits on the database.
        let checked = api
            .as_ref()
            .ok_or_else(|| ApiError::internal("API state missing"))
            .and_then(|api| credential(api, req));
        let ip = client_ip(req);
        let read = is_read(req.method());
        let req = req.clone();
        Box::pin(async move {
            let (Some(api), credential) = (api, checked?) else {
                return Err(ApiError::internal("API state missing"));
            };
            let auth = authenticate(api, credential, ip, read).await?;
            // The language of any error from here on is the person's own.
            req.extensions_mut().insert(auth.lang());
            Ok(auth)
        })
    }
}
