//! `/setup?token=…`: the one-time link printed on first start creates the administrator.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use faro_core::email::parse_name;
use faro_core::{Email, NewPassword, SecretToken};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::forms::{FormErrors, see_other, success};
use crate::handlers::{hash_password, sign_in, user_agent};
use crate::views::{MessageView, SetupView, render, render_refused};

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn invalid_link(ctx: &Ctx) -> Response {
    let view = MessageView {
        p: ctx.page(ctx.t.setup_title),
        body: ctx.t.setup_invalid_link.into(),
        link: None,
    };
    let mut res = render(&view);
    *res.status_mut() = StatusCode::NOT_FOUND;
    res
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> WebResult {
    let Some(token) = SecretToken::parse(&q.token) else {
        return Ok(invalid_link(&ctx));
    };
    if !state.store.setup_token_valid(&token).await? {
        return Ok(invalid_link(&ctx));
    }
    Ok(render(&SetupView {
        p: ctx.page(ctx.t.setup_title),
        token: token.expose().into(),
        name: String::new(),
        email: String::new(),
        errors: FormErrors::default(),
    }))
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<SetupForm>,
) -> WebResult {
    let t = ctx.t;
    let Some(token) = SecretToken::parse(&f.token) else {
        return Ok(invalid_link(&ctx));
    };
    let mut errors = FormErrors::default();
    let name = errors.check("name", t, parse_name(&f.name));
    let email = errors.check("email", t, Email::parse(&f.email));
    let password = errors.check(
        "password",
        t,
        NewPassword::parse(&f.password, &f.password_confirm, &[&f.email, &f.name]),
    );
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Ok(render_refused(&SetupView {
            p: ctx.page(t.setup_title),
            token: token.expose().into(),
            name: f.name,
            email: f.email,
            errors,
        }));
    };
    let hash = hash_password(password).await?;
    let admin = match state
        .store
        .complete_setup(&token, &email, &name, &hash, ctx.lang, ctx.ip.clone())
        .await
    {
        Ok(a) => a,
        Err(faro_core::StoreError::NotFound | faro_core::StoreError::Conflict(_)) => {
            return Ok(invalid_link(&ctx));
        }
        Err(e) => return Err(e.into()),
    };
    let res = see_other("/", success(t.setup_done), state.config.secure_cookies);
    sign_in(&state, &ctx, &admin, user_agent(&headers), res)
        .await
        .map(IntoResponse::into_response)
}
