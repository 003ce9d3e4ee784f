//! `/join`: anyone with a membership's invitation code asks for an account; the account exists
//! only once the e-mail address is confirmed.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use faro_core::email::parse_name;
use faro_core::{Conflict, Email, InvitationCode, NewPassword, SecretToken, StoreError};
use serde::Deserialize;

use crate::context::Ctx;
use crate::error::{WebError, WebResult};
use crate::forms::{FormErrors, see_other};
use crate::handlers::{hash_password, limits};
use crate::views::{JoinView, MessageView, render, render_refused};
use crate::{AppState, mails};

#[derive(Deserialize)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

pub async fn show(ctx: Ctx, Query(q): Query<CodeQuery>) -> Response {
    let code = q.code.chars().take(40).collect();
    render(&JoinView {
        p: ctx.page(ctx.t.join_title),
        code,
        name: String::new(),
        email: String::new(),
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn submit(State(state): State<AppState>, ctx: Ctx, Form(f): Form<JoinForm>) -> WebResult {
    let t = ctx.t;
    let mut errors = FormErrors::default();
    let code = errors.check("code", t, InvitationCode::parse(&f.code));
    let name = errors.check("name", t, parse_name(&f.name));
    let email = errors.check("email", t, Email::parse(&f.email));
    let password = errors.check(
        "password",
        t,
        NewPassword::parse(&f.password, &f.password_confirm, &[&f.email, &f.name]),
    );
    let refuse = |errors: FormErrors, f: &JoinForm| {
        render_refused(&JoinView {
            p: ctx.page(t.join_title),
            code: f.code.chars().take(40).collect(),
            name: f.name.clone(),
            email: f.email.clone(),
            errors,
        })
    };
    let (Some(code), Some(name), Some(email), Some(password)) = (code, name, email, password)
    else {
        return Ok(refuse(errors, &f));
    };
    // Only requests with a working code count towards the limits, so nobody can block another
    // person's joining by sending wrong codes with their address.
    if let Err(StoreError::Conflict(c)) = faro_store::check_code(
        state.store.membership_by_code(&code).await?,
        chrono::Utc::now(),
    ) {
        errors.add(
            "code",
            if c == Conflict::CodeExpired {
                t.join_code_expired
            } else {
                t.join_code_invalid
            },
        );
        return Ok(refuse(errors, &f));
    }
    let ip = ctx.ip.clone().unwrap_or_default();
    let allowed = state
        .store
        .within_limits(&[
            (limits::JOIN_PER_ADDRESS, &ip),
            (limits::JOIN_PER_EMAIL, email.as_str()),
        ])
        .await?;
    if !allowed {
        errors.add("email", t.too_many_requests);
        let mut res = refuse(errors, &f);
        *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    let hash = hash_password(password).await?;
    let token = SecretToken::generate().map_err(WebError::internal)?;
    let lang = ctx.lang;
    let result = state
        .store
        .start_join(&code, &name, &email, &hash, lang, &token, {
            let (state, name, email, token) =
                (state.clone(), name.clone(), email.clone(), token.clone());
            move |m| mails::join_confirmation(&state, lang, &name, &email, m, &token)
        })
        .await;
    match result {
        Ok(_) => {
            (state.mail_queued)();
            Ok(see_other("/join/sent", None, ctx.secure))
        }
        Err(StoreError::Conflict(c)) => {
            match c {
                Conflict::CodeExpired => errors.add("code", t.join_code_expired),
                Conflict::EmailTaken => errors.add("email", t.join_email_taken),
                _ => errors.add("code", t.join_code_invalid),
            }
            Ok(refuse(errors, &f))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn sent(ctx: Ctx) -> Response {
    render(&MessageView {
        p: ctx.page(ctx.t.join_title),
        body: ctx.t.join_check_mail.into(),
        link: None,
    })
}
