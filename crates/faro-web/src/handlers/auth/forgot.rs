//! `/password/forgot`: sends a single-use reset link. The answer is the same whether or not
//! the address has an account.

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use faro_core::{Email, SecretToken};
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::forms::{FormErrors, see_other, success};
use crate::handlers::limits;
use crate::views::{ForgotView, render, render_refused};
use crate::{AppState, mails};

pub async fn show(ctx: Ctx) -> Response {
    render(&ForgotView {
        p: ctx.page(ctx.t.forgot_title),
        email: String::new(),
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<ForgotForm>,
) -> WebResult {
    let t = ctx.t;
    let mut errors = FormErrors::default();
    let Some(email) = errors.check("email", t, Email::parse(&f.email)) else {
        return Ok(render_refused(&ForgotView {
            p: ctx.page(t.forgot_title),
            email: f.email,
            errors,
        }));
    };
    let ip = ctx.ip.clone().unwrap_or_default();
    if !state
        .store
        .within_limits(&[(limits::RESET_PER_ADDRESS, &ip)])
        .await?
    {
        let mut errors = FormErrors::default();
        errors.add("email", t.too_many_requests);
        let mut res = render_refused(&ForgotView {
            p: ctx.page(t.forgot_title),
            email: f.email,
            errors,
        });
        *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    // Past the per-address limit the answer stays the same, so it tells nobody who has an account.
    if !state
        .store
        .within_limits(&[(limits::RESET_PER_EMAIL, email.as_str())])
        .await?
    {
        return Ok(see_other("/login", success(t.forgot_sent), ctx.secure));
    }
    let token = SecretToken::generate().map_err(WebError::internal)?;
    state
        .store
        .request_password_reset(&email, &token, ctx.ip.clone(), {
            let (state, token) = (state.clone(), token.clone());
            move |person| mails::password_reset(&state, person, &token)
        })
        .await?;
    (state.mail_queued)();
    Ok(see_other("/login", success(t.forgot_sent), ctx.secure))
}
