//! `/password/reset?token=…`: choosing a new password with the e-mailed link (also how new
//! staff choose their first one).

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use faro_core::{NewPassword, SecretToken, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::forms::{FormErrors, see_other, success};
use crate::handlers::hash_password;
use crate::views::{MessageView, ResetView, render, render_refused};

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn invalid(ctx: &Ctx) -> Response {
    let mut res = render(&MessageView {
        p: ctx.page(ctx.t.reset_title),
        body: ctx.t.reset_invalid_link.into(),
        link: Some(("/password/forgot".into(), ctx.t.login_forgot.into())),
    });
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> WebResult {
    let Some(token) = SecretToken::parse(&q.token) else {
        return Ok(invalid(&ctx));
    };
    if !state.store.reset_token_valid(&token).await? {
        return Ok(invalid(&ctx));
    }
    Ok(render(&ResetView {
        p: ctx.page(ctx.t.reset_title),
        token: token.expose().into(),
        errors: FormErrors::default(),
    }))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ResetForm>,
) -> WebResult {
    let t = ctx.t;
    let Some(token) = SecretToken::parse(&f.token) else {
        return Ok(invalid(&ctx));
    };
    let mut errors = FormErrors::default();
    let Some(password) = errors.check(
        "password",
        t,
        NewPassword::parse(&f.password, &f.password_confirm, &[]),
    ) else {
        return Ok(render_refused(&ResetView {
            p: ctx.page(t.reset_title),
            token: token.expose().into(),
            errors,
        }));
    };
    let hash = hash_password(password).await?;
    match state
        .store
        .reset_password(&token, &hash, ctx.ip.clone())
        .await
    {
        Ok(_) => Ok(see_other("/login", success(t.reset_done), ctx.secure)),
        Err(StoreError::NotFound) => Ok(invalid(&ctx)),
        Err(e) => Err(e.into()),
    }
}
