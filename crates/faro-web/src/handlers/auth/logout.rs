//! `POST /logout`: ends the session here and in the database.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;

use crate::AppState;
use crate::context::Ctx;
use crate::cookies;
use crate::error::WebResult;
use crate::forms::{see_other, success};

pub async fn submit(State(state): State<AppState>, ctx: Ctx) -> WebResult<Response> {
    if let Some(digest) = &ctx.session_digest {
        state.store.close_session(digest, &ctx.actor()).await?;
    }
    let mut res = see_other("/login", success(ctx.t.signed_out), ctx.secure);
    if let Ok(v) = HeaderValue::from_str(&cookies::clear(cookies::SESSION, ctx.secure)) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
