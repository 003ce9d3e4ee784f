//! Rows to domain records. A row that does not parse is a storage error, never a silent default.

use faro_core::records::{Membership, Person};
use faro_core::{ContractState, Email, InvitationCode, Lang, Role, StoreError};

use crate::db::rows::{MembershipRow, UserRow};

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Other(format!("stored {what} does not parse: {value:?}"))
}

pub(crate) fn membership(m: MembershipRow) -> Result<Membership, StoreError> {
    Ok(Membership {
        contract_state: ContractState::parse(&m.contract_state)
            .map_err(|_| corrupt("contract state", &m.contract_state))?,
        invitation_code: InvitationCode::parse(&m.invitation_code)
            .map_err(|_| corrupt("invitation code", &m.invitation_code))?,
        id: m.id.0,
        name: m.name,
        tax_id: m.tax_id,
        coordinator_email: m.coordinator_email,
        active: m.active,
        code_expires_at: m.code_expires_at.map(Into::into),
        created_at: m.created_at.0,
    })
}

pub(crate) fn person(u: UserRow) -> Result<Person, StoreError> {
    Ok(Person {
        email: Email::parse(&u.email).map_err(|_| corrupt("e-mail", &u.email))?,
        role: Role::parse(&u.role).map_err(|_| corrupt("role", &u.role))?,
        language: Lang::parse(&u.language).map_err(|_| corrupt("language", &u.language))?,
        id: u.id.0,
        name: u.name,
        membership_id: u.membership_id.map(Into::into),
        active: u.active,
        created_at: u.created_at.0,
        last_sign_in_at: u.last_sign_in_at.map(Into::into),
    })
}
