//! `/memberships/{id}/edit`: an administrator corrects a membership's data.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use faro_core::{Conflict, ContractState, MembershipName, StoreError, TaxId};
use faro_store::MembershipChanges;

use super::contract_choices;
use super::create::{MembershipForm, optional_email};
use crate::AppState;
use crate::context::Admin;
use crate::error::WebResult;
use crate::forms::{FormErrors, see_other, success};
use crate::handlers::parse_id;
use crate::views::{MembershipFields, MembershipFormView, render, render_refused};

pub async fn show(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let m = state.store.membership(s.viewer(), parse_id(&id)?).await?;
    let t = s.ctx.t;
    Ok(render(&MembershipFormView {
        p: s.ctx.page(&m.name),
        action: format!("/memberships/{}/edit", m.id),
        is_new: false,
        f: MembershipFields {
            name: m.name.clone(),
            tax_id: m.tax_id.clone().unwrap_or_default(),
            coordinator_email: m.coordinator_email.clone().unwrap_or_default(),
            contract_state: m.contract_state.as_str().into(),
            code_expiry: String::new(),
            activate: false,
        },
        errors: FormErrors::default(),
        states: contract_choices(t),
    }))
}

pub async fn submit(
    State(state): State<AppState>,
    Admin(s): Admin,
    Path(id): Path<String>,
    Form(f): Form<MembershipForm>,
) -> WebResult<Response> {
    let id = parse_id(&id)?;
    let current = state.store.membership(s.viewer(), id).await?;
    let t = s.ctx.t;
    let mut errors = FormErrors::default();
    let name = errors.check("name", t, MembershipName::parse(&f.name));
    let tax_id = errors.check("tax_id", t, TaxId::parse_optional(&f.tax_id));
    let coordinator_email =
        errors.check("coordinator_email", t, optional_email(&f.coordinator_email));
    let contract_state = errors.check("contract_state", t, ContractState::parse(&f.contract_state));
    let refuse = |errors: FormErrors| {
        render_refused(&MembershipFormView {
            p: s.ctx.page(&current.name),
            action: format!("/memberships/{id}/edit"),
            is_new: false,
            f: f.fields(),
            errors,
            states: contract_choices(t),
        })
    };
    let (Some(name), Some(tax_id), Some(coordinator_email), Some(contract_state)) =
        (name, tax_id, coordinator_email, contract_state)
    else {
        return Ok(refuse(errors));
    };
    let changes = MembershipChanges {
        name,
        tax_id,
        coordinator_email,
        contract_state,
    };
    match state
        .store
        .update_membership(s.viewer(), &s.ctx.actor(), id, changes)
        .await
    {
        Ok(_) => Ok(see_other(
            &format!("/memberships/{id}"),
            success(t.memberships_saved),
            s.ctx.secure,
        )),
        Err(StoreError::Conflict(Conflict::NameTaken)) => {
            errors.add("name", t.memberships_name_taken);
            Ok(refuse(errors))
        }
        Err(e) => Err(e.into()),
    }
}
