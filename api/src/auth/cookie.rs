//! The refresh token's cookie: HttpOnly, SameSite=Strict, scoped to `/api/v1/auth`, Secure when
//! the portal is served over https.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time};
use faro_core::SecretToken;

pub const NAME: &str = "faro_refresh";
pub const PATH: &str = "/api/v1/auth";

pub fn set(token: &SecretToken, secure: bool) -> Cookie<'static> {
    Cookie::build(NAME, token.expose().to_owned())
        .path(PATH)
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::seconds(
            faro_store::REFRESH_IDLE.num_seconds(),
        ))
        .finish()
}

pub fn clear(secure: bool) -> Cookie<'static> {
    let mut c = Cookie::build(NAME, "")
        .path(PATH)
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish();
    c.make_removal();
    c
}

/// The refresh token the browser sent, if it is one Faro could have issued.
pub fn read(req: &HttpRequest) -> Option<SecretToken> {
    req.cookie(NAME).and_then(|c| SecretToken::parse(c.value()))
}
