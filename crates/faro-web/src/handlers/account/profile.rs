//! `/profile`: a person's own account: language and password.

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use faro_core::{Lang, NewPassword};
use serde::Deserialize;

use crate::AppState;
use crate::context::Signed;
use crate::error::{ErrorKind, WebError, WebResult};
use crate::forms::{FormErrors, see_other, success};
use crate::handlers::{hash_password, verify_password};
use crate::views::{ProfileView, render, render_refused};

async fn view(
    state: &AppState,
    s: &Signed,
    errors: FormErrors,
    refused: bool,
) -> WebResult<Response> {
    let person = state.store.me(s.viewer()).await?;
    let view = ProfileView {
        p: s.ctx.page(s.ctx.t.profile_title),
        person,
        membership_name: s.owner.membership_name.clone(),
        errors,
    };
    Ok(if refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}

pub async fn show(State(state): State<AppState>, s: Signed) -> WebResult<Response> {
    view(&state, &s, FormErrors::default(), false).await
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
}

pub async fn language(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<LanguageForm>,
) -> WebResult<Response> {
    let lang = Lang::parse(&f.lang).map_err(|_| WebError(ErrorKind::BadRequest))?;
    state.store.set_language(s.viewer(), lang).await?;
    // Confirm in the language just chosen.
    Ok(see_other(
        "/profile",
        success(lang.catalog().profile_language_saved),
        s.ctx.secure,
    ))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn password(
    State(state): State<AppState>,
    s: Signed,
    Form(f): Form<PasswordForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let mut errors = FormErrors::default();
    let current_ok = match state.store.password_hash_of(s.viewer()).await? {
        Some(hash) => verify_password(hash, f.current.clone()).await?,
        None => false,
    };
    if !current_ok {
        errors.add("current", t.profile_wrong_password);
    }
    let email = s.owner.person.email.to_string();
    let new = errors.check(
        "password",
        t,
        NewPassword::parse(
            &f.password,
            &f.password_confirm,
            &[&email, &s.owner.person.name, &f.current],
        ),
    );
    let (true, Some(new)) = (current_ok, new) else {
        return view(&state, &s, errors, true).await;
    };
    let hash = hash_password(new).await?;
    let keep = s.ctx.session_digest.clone().unwrap_or_default();
    state
        .store
        .change_password(s.viewer(), &s.ctx.actor(), &hash, &keep)
        .await?;
    Ok(see_other(
        "/profile",
        success(t.profile_password_saved),
        s.ctx.secure,
    ))
}
