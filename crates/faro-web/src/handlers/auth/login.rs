//! `/login`: e-mail and password. Five failures for one account or from one address within
//! the window make further tries wait (counted in the database, so every node agrees).

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{TimeDelta, Utc};
use faro_core::{Email, PasswordHash, Role};
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::error::WebResult;
use crate::forms::{safe_next, see_other};
use crate::handlers::{sign_in, user_agent, verify_password};
use crate::views::{LoginView, render};

pub use faro_store::limits::{
    LOGIN_MAX_FAILURES as MAX_FAILURES, LOGIN_WINDOW_MINUTES as WINDOW_MINUTES,
};

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
    let typed = f.email.trim().to_lowercase();
    let since = Utc::now() - TimeDelta::minutes(WINDOW_MINUTES);
    let (by_email, by_ip) = state
        .store
        .recent_login_failures(&typed, &ip, since)
        .await?;
    if by_email >= MAX_FAILURES || by_ip >= MAX_FAILURES {
        return Ok(refused(
            &ctx,
            &f,
            StatusCode::TOO_MANY_REQUESTS,
            t.login_throttled_for(WINDOW_MINUTES),
        ));
    }
    let candidate = match Email::parse(&f.email) {
        Ok(email) => state.store.login_candidate(&email).await?,
        Err(_) => None,
    };
    // Verify against a decoy when there is no account, so timing does not tell who has one.
    let hash = candidate
        .as_ref()
        .and_then(|c| c.password_hash.clone())
        .unwrap_or_else(PasswordHash::decoy);
    let matches = verify_password(hash, f.password.clone()).await?;
    let Some(candidate) = candidate.filter(|_| matches) else {
        state.store.record_login_failure(&typed, &ip).await?;
        return Ok(refused(
            &ctx,
            &f,
            StatusCode::UNAUTHORIZED,
            t.login_failed.into(),
        ));
    };
    if !candidate.person.active {
        return Ok(refused(
            &ctx,
            &f,
            StatusCode::FORBIDDEN,
            t.login_inactive.into(),
        ));
    }
    if candidate.person.role != Role::Admin
        && candidate.person.role != Role::Agent
        && candidate.membership_active != Some(true)
    {
        return Ok(refused(
            &ctx,
            &f,
            StatusCode::FORBIDDEN,
            t.login_membership_inactive.into(),
        ));
    }
    let res = see_other(
        &safe_next(f.next.as_deref()),
        None,
        state.config.secure_cookies,
    );
    sign_in(&state, &ctx, &candidate.person, user_agent(&headers), res).await
}
