//! `/login`: e-mail and password. Five failures for one account or from one address within
//! the window make further tries wait (counted in the database, so every node agrees).

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::forms::{safe_next, see_other};
use crate::handlers::{sign_in, user_agent};
use crate::views::{LoginView, render};

use faro_store::Attempt;
use faro_store::limits::LOGIN_WINDOW_MINUTES as WINDOW_MINUTES;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn show(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.owner.is_some() {
        return see_other(&safe_next(q.next.as_deref()), None, ctx.secure);
    }
    render(&LoginView {
        p: ctx.page(ctx.t.login_title),
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        problem: None,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn refused(ctx: &Ctx, f: &LoginForm, status: StatusCode, problem: String) -> Response {
    let mut res = render(&LoginView {
        p: ctx.page(ctx.t.login_title),
        email: f.email.clone(),
        next: safe_next(f.next.as_deref()),
        problem: Some(problem),
    });
    *res.status_mut() = status;
    res
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> WebResult {
    let t = ctx.t;
    let ip = ctx.ip.clone().unwrap_or_default();
    let refusal = |status, text: String| Ok(refused(&ctx, &f, status, text));
    let person = match state
        .store
        .attempt_sign_in(&f.email, &f.password, &ip)
        .await?
    {
        Attempt::Accepted(person) => person,
        Attempt::Throttled => {
            return refusal(
                StatusCode::TOO_MANY_REQUESTS,
                t.login_throttled_for(WINDOW_MINUTES),
            );
        }
        Attempt::Failed => return refusal(StatusCode::UNAUTHORIZED, t.login_failed.into()),
        Attempt::AccountInactive => {
            return refusal(StatusCode::FORBIDDEN, t.login_inactive.into());
        }
        Attempt::MembershipInactive => {
            return refusal(StatusCode::FORBIDDEN, t.login_membership_inactive.into());
        }
    };
    let res = see_other(
        &safe_next(f.next.as_deref()),
        None,
        state.config.secure_cookies,
    );
    sign_in(&state, &ctx, &person, user_agent(&headers), res).await
}
