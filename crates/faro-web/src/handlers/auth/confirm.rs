//! `/join/confirm?token=…`: the link in the confirmation e-mail. The page asks for one click
//! (a POST), so mail scanners that open links do not confirm on the person's behalf.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use faro_core::{Conflict, SecretToken, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::forms::{see_other, success};
use crate::views::{ConfirmView, MessageView, render};

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

fn message(ctx: &Ctx, body: &str, status: StatusCode) -> Response {
    let mut res = render(&MessageView {
        p: ctx.page(ctx.t.join_title),
        body: body.into(),
        link: Some(("/login".into(), ctx.t.nav_sign_in.into())),
    });
    *res.status_mut() = status;
    res
}

pub async fn show(ctx: Ctx, Query(q): Query<TokenForm>) -> Response {
    match SecretToken::parse(&q.token) {
        Some(token) => render(&ConfirmView {
            p: ctx.page(ctx.t.join_title),
            token: token.expose().into(),
        }),
        None => message(&ctx, ctx.t.join_invalid_link, StatusCode::NOT_FOUND),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<TokenForm>,
) -> WebResult {
    let Some(token) = SecretToken::parse(&f.token) else {
        return Ok(message(
            &ctx,
            ctx.t.join_invalid_link,
            StatusCode::NOT_FOUND,
        ));
    };
    match state.store.confirm_join(&token, ctx.ip.clone()).await {
        Ok(_) => Ok(see_other(
            "/login",
            success(ctx.t.join_confirmed),
            ctx.secure,
        )),
        Err(StoreError::NotFound) => Ok(message(
            &ctx,
            ctx.t.join_invalid_link,
            StatusCode::NOT_FOUND,
        )),
        Err(StoreError::Conflict(Conflict::EmailTaken)) => {
            Ok(message(&ctx, ctx.t.join_email_taken, StatusCode::CONFLICT))
        }
        Err(e) => Err(e.into()),
    }
}
