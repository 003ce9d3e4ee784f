//! `/admin/staff`: administrators create staff accounts (who then choose a password by e-mail)
//! and change their role or deactivate them.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use faro_core::email::parse_name;
use faro_core::{Conflict, Email, Role, SecretToken, StoreError};
use faro_store::{NewStaff, WelcomeMail};
use serde::Deserialize;

use crate::context::Admin;
use crate::error::{WebError, WebResult};
use crate::forms::{FormErrors, failure, see_other, success};
use crate::handlers::parse_id;
use crate::views::{StaffView, render, render_refused};
use crate::{AppState, mails};

async fn page(
    state: &AppState,
    s: &Admin,
    form: (String, String, String),
    errors: FormErrors,
) -> WebResult<Response> {
    let s = &s.0;
    let staff = state
        .store
        .staff(s.viewer(), faro_store::NamePage::ALL)
        .await?;
    let refused = !errors.is_empty();
    let view = StaffView {
        p: s.ctx.page(s.ctx.t.staff_title),
        staff,
        name: form.0,
        email: form.1,
        role: form.2,
        errors,
    };
    Ok(if refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}

pub async fn show(State(state): State<AppState>, a: Admin) -> WebResult<Response> {
    page(
        &state,
        &a,
        (String::new(), String::new(), "agent".into()),
        FormErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct NewStaffForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

pub async fn create(
    State(state): State<AppState>,
    a: Admin,
    Form(f): Form<NewStaffForm>,
) -> WebResult<Response> {
    let s = &a.0;
    let t = s.ctx.t;
    let mut errors = FormErrors::default();
    let name = errors.check("name", t, parse_name(&f.name));
    let email = errors.check("email", t, Email::parse(&f.email));
    let role = errors.check("role", t, Role::parse_staff(&f.role));
    let (Some(name), Some(email), Some(role)) = (name, email, role) else {
        return page(&state, &a, (f.name, f.email, f.role), errors).await;
    };
    let token = SecretToken::generate().map_err(WebError::internal)?;
    let new = NewStaff {
        email,
        name,
        role,
        language: s.ctx.lang,
        password: None,
    };
    let welcome: WelcomeMail<'_> = (&token, {
        let (state, token) = (state.clone(), token.clone());
        Box::new(move |p| mails::staff_welcome(&state, p, &token))
    });
    match state
        .store
        .create_staff(s.viewer(), &s.ctx.actor(), new, Some(welcome))
        .await
    {
        Ok(_) => {
            (state.mail_queued)();
            Ok(see_other(
                "/admin/staff",
                success(t.staff_created),
                s.ctx.secure,
            ))
        }
        Err(StoreError::Conflict(Conflict::EmailTaken)) => {
            errors.add("email", t.staff_email_taken);
            page(&state, &a, (f.name, f.email, f.role), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct UpdateStaffForm {
    #[serde(default)]
    role: String,
    active: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
    Form(f): Form<UpdateStaffForm>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let t = s.ctx.t;
    let Ok(role) = Role::parse_staff(&f.role) else {
        return Ok(see_other(
            "/admin/staff",
            failure(t.invalid_role),
            s.ctx.secure,
        ));
    };
    match state
        .store
        .update_staff(s.viewer(), &s.ctx.actor(), id, role, f.active.is_some())
        .await
    {
        Ok(_) => Ok(see_other(
            "/admin/staff",
            success(t.staff_role_saved),
            s.ctx.secure,
        )),
        Err(StoreError::Conflict(Conflict::LastAdmin)) => Ok(see_other(
            "/admin/staff",
            failure(t.staff_last_admin),
            s.ctx.secure,
        )),
        Err(e) => Err(e.into()),
    }
}
