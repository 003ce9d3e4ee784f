//! The e-mails the web layer queues, built from the catalogue in the recipient's language.

use faro_core::records::{Membership, OutgoingMail, Person};
use faro_core::{Email, Lang, SecretToken};

use crate::AppState;

pub fn join_confirmation(
    state: &AppState,
    lang: Lang,
    name: &str,
    email: &Email,
    membership: &Membership,
    token: &SecretToken,
) -> Result<OutgoingMail, String> {
    faro_mail::accounts::join_confirmation(
        &state.config.base_url,
        lang,
        name,
        email,
        membership,
        token,
    )
}

pub fn password_reset(
    state: &AppState,
    person: &Person,
    token: &SecretToken,
) -> Result<OutgoingMail, String> {
    faro_mail::accounts::password_reset(&state.config.base_url, person, token)
}

pub fn membership_activated(
    state: &AppState,
    m: &Membership,
    to: &Email,
) -> Result<OutgoingMail, String> {
    faro_mail::accounts::membership_activated(&state.config.base_url, m, to)
}

pub fn staff_welcome(
    state: &AppState,
    person: &Person,
    token: &SecretToken,
) -> Result<OutgoingMail, String> {
    faro_mail::accounts::staff_welcome(&state.config.base_url, person, token)
}

/// `/join?code=…`: the code pre-filled in the join form.
pub fn join_link(state: &AppState, m: &Membership) -> String {
    faro_mail::accounts::join_link(&state.config.base_url, m)
}
