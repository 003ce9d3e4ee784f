//! Incidents: client people open them (with files), everyone in the membership sees and takes
//! part in all of them; staff work one queue across memberships.

pub mod actions;
pub mod escalation;
pub mod files;
pub mod list;
pub mod new;
pub mod pdf;
pub mod show;

use faro_core::Catalog;
use faro_core::incidents::{IncidentState, Priority};
use faro_core::records::OutgoingMail;
use faro_store::Notice;

use crate::AppState;

pub fn priority_choices(t: &Catalog) -> Vec<(&'static str, &'static str)> {
    Priority::ALL
        .iter()
        .map(|p| (p.as_str(), t.priority(*p)))
        .collect()
}

pub fn state_choices(t: &Catalog) -> Vec<(&'static str, &'static str)> {
    IncidentState::ALL
        .iter()
        .map(|s| (s.as_str(), t.incident_state(*s)))
        .collect()
}

/// E-mails to followers about a public change: `what` in each recipient's language. The store
/// renders them inside its transaction, on the blocking pool: the closure owns what it uses.
pub fn update_mails(
    state: AppState,
    who: String,
    what: impl Fn(&Catalog) -> String + Send + 'static,
    body: String,
) -> faro_store::Notify {
    Box::new(move |n: Notice<'_>| {
        n.recipients
            .iter()
            .map(|p| {
                let text = what(p.language.catalog());
                crate::mails::incident_update(&state, p, n.incident, &who, &text, &body)
            })
            .collect::<Result<Vec<OutgoingMail>, String>>()
    })
}
