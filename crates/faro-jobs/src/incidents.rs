//! Incident housekeeping: resolved incidents nobody confirmed close themselves after N days,
//! and their followers are told.

use chrono::{TimeDelta, Utc};
use faro_core::Catalog;
use faro_core::records::OutgoingMail;
use faro_mail::ActionMail;
use faro_store::{Notice, Store};

/// Closes incidents resolved more than `days` days ago; returns how many.
pub async fn auto_close(
    store: &Store,
    base_url: &str,
    days: i64,
) -> Result<usize, faro_core::StoreError> {
    let before = Utc::now() - TimeDelta::days(days.max(1));
    auto_close_before(store, base_url, days, before).await
}

/// Like [`auto_close`] with the cut-off given (tests move it instead of the clock).
pub async fn auto_close_before(
    store: &Store,
    base_url: &str,
    days: i64,
    before: chrono::DateTime<Utc>,
) -> Result<usize, faro_core::StoreError> {
    // Rendered inside each closing transaction, on the blocking pool: it owns what it uses.
    let base_url = base_url.to_owned();
    let notify = move |n: Notice<'_>| -> Result<Vec<OutgoingMail>, String> {
        n.recipients
            .iter()
            .map(|p| {
                let t = p.language.catalog();
                ActionMail {
                    lang: p.language,
                    to: p.email.to_string(),
                    to_name: p.name.split_whitespace().next().map(str::to_owned),
                    subject: Catalog::fill(
                        t.mail_inc_update_subject,
                        &[&n.incident.number, &n.incident.title],
                    ),
                    paragraphs: vec![Catalog::fill(t.mail_inc_auto_closed, &[&days.to_string()])],
                    highlight: None,
                    action_label: t.mail_inc_action.into(),
                    link: format!("{base_url}/incidents/{}", n.incident.number),
                    unsolicited_note: false,
                    block: None,
                    attachments: Vec::new(),
                }
                .render()
                .map_err(|e| e.to_string())
            })
            .collect()
    };
    store.auto_close_resolved(before, notify).await
}
