//! `/memberships/new`: an administrator registers a client. Faro generates its invitation code;
//! "activate now" also e-mails the code to the client's coordinator.

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use faro_core::{Conflict, ContractState, Email, MembershipName, StoreError, TaxId, format};
use faro_store::NewMembership;
use serde::Deserialize;

use super::contract_choices;
use crate::context::Admin;
use crate::error::WebResult;
use crate::forms::{FormErrors, see_other, success};
use crate::views::{MembershipFields, MembershipFormView, render, render_refused};
use crate::{AppState, mails};

pub async fn show(Admin(s): Admin) -> Response {
    let t = s.ctx.t;
    render(&MembershipFormView {
        p: s.ctx.page(t.memberships_new),
        action: "/memberships/new".into(),
        is_new: true,
        f: MembershipFields {
            contract_state: "contract".into(),
            activate: true,
            ..Default::default()
        },
        errors: FormErrors::default(),
        states: contract_choices(t),
    })
}

#[derive(Deserialize, Default)]
pub struct MembershipForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub tax_id: String,
    #[serde(default)]
    pub coordinator_email: String,
    #[serde(default)]
    pub contract_state: String,
    #[serde(default)]
    pub code_expiry: String,
    pub activate: Option<String>,
}

impl MembershipForm {
    pub fn fields(&self) -> MembershipFields {
        MembershipFields {
            name: self.name.clone(),
            tax_id: self.tax_id.clone(),
            coordinator_email: self.coordinator_email.clone(),
            contract_state: self.contract_state.clone(),
            code_expiry: self.code_expiry.clone(),
            activate: self.activate.is_some(),
        }
    }
}

pub fn optional_email(raw: &str) -> Result<Option<Email>, faro_core::Invalid> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        Email::parse(raw).map(Some)
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Admin(s): Admin,
    Form(f): Form<MembershipForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let mut errors = FormErrors::default();
    let name = errors.check("name", t, MembershipName::parse(&f.name));
    let tax_id = errors.check("tax_id", t, TaxId::parse_optional(&f.tax_id));
    let coordinator_email =
        errors.check("coordinator_email", t, optional_email(&f.coordinator_email));
    let contract_state = errors.check("contract_state", t, ContractState::parse(&f.contract_state));
    let code_expires_at = errors.check(
        "code_expiry",
        t,
        format::parse_future_day(&f.code_expiry, Utc::now()),
    );
    if f.activate.is_some() && matches!(coordinator_email, Some(None)) {
        errors.add("coordinator_email", t.memberships_activation_needs_email);
    }
    let refuse = |errors: FormErrors| {
        render_refused(&MembershipFormView {
            p: s.ctx.page(t.memberships_new),
            action: "/memberships/new".into(),
            is_new: true,
            f: f.fields(),
            errors,
            states: contract_choices(t),
        })
    };
    let (
        true,
        Some(name),
        Some(tax_id),
        Some(coordinator_email),
        Some(contract_state),
        Some(code_expires_at),
    ) = (
        errors.is_empty(),
        name,
        tax_id,
        coordinator_email,
        contract_state,
        code_expires_at,
    )
    else {
        return Ok(refuse(errors));
    };
    let new = NewMembership {
        name,
        tax_id,
        coordinator_email,
        contract_state,
        code_expires_at,
    };
    let actor = s.ctx.actor();
    let created = match state.store.create_membership(s.viewer(), &actor, new).await {
        Ok(m) => m,
        Err(StoreError::Conflict(Conflict::NameTaken)) => {
            errors.add("name", t.memberships_name_taken);
            return Ok(refuse(errors));
        }
        Err(e) => return Err(e.into()),
    };
    let mut message = t.memberships_created.to_string();
    if f.activate.is_some() {
        state
            .store
            .activate_membership(s.viewer(), &actor, created.id, {
                let state = state.clone();
                move |m, to| mails::membership_activated(&state, m, to)
            })
            .await?;
        (state.mail_queued)();
        message = format!("{message} {}", t.memberships_activated);
    }
    Ok(see_other(
        &format!("/memberships/{}", created.id),
        success(message),
        s.ctx.secure,
    ))
}
