//! The e-mails the web layer queues, built from the catalogue in the recipient's language.

use faro_core::records::{Membership, OutgoingMail, Person};
use faro_core::{Catalog, Email, Lang, SecretToken};
use faro_mail::ActionMail;

use crate::AppState;

use faro_mail::accounts::{done, first_name};

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

/// A new high-priority incident, to every active staff member at once.
pub fn incident_alert(
    state: &AppState,
    to: &Person,
    incident: &faro_core::incidents::Incident,
) -> Result<OutgoingMail, String> {
    let lang = to.language;
    let t = lang.catalog();
    done(ActionMail {
        lang,
        to: to.email.to_string(),
        to_name: Some(first_name(&to.name)),
        subject: Catalog::fill(
            t.mail_inc_alert_subject,
            &[&incident.number, &incident.title],
        ),
        paragraphs: vec![Catalog::fill(
            t.mail_inc_alert_body,
            &[&incident.membership_name, &incident.opened_by_name],
        )],
        highlight: None,
        action_label: t.mail_inc_action.into(),
        link: state.link(&format!("/incidents/{}", incident.number)),
        unsolicited_note: false,
        block: Some((
            incident.description.clone(),
            faro_markdown::to_html(&incident.description),
        )),
        attachments: Vec::new(),
    })
}

/// A public change on an incident (a comment, a new state), to its followers. Internal notes
/// never produce one.
pub fn incident_update(
    state: &AppState,
    to: &Person,
    incident: &faro_core::incidents::Incident,
    who: &str,
    what: &str,
    body: &str,
) -> Result<OutgoingMail, String> {
    let lang = to.language;
    let t = lang.catalog();
    done(ActionMail {
        lang,
        to: to.email.to_string(),
        to_name: Some(first_name(&to.name)),
        subject: Catalog::fill(
            t.mail_inc_update_subject,
            &[&incident.number, &incident.title],
        ),
        paragraphs: vec![format!("{who}: {what}")],
        highlight: None,
        action_label: t.mail_inc_action.into(),
        link: state.link(&format!("/incidents/{}", incident.number)),
        unsolicited_note: false,
        block: (!body.trim().is_empty()).then(|| (body.to_string(), faro_markdown::to_html(body))),
        attachments: Vec::new(),
    })
}

/// An on-site visit, to the client people following the incident, with an `.ics` event.
pub fn visit_invitation(
    state: &AppState,
    to: &Person,
    incident: &faro_core::incidents::Incident,
    visit_id: uuid::Uuid,
    starts_at: chrono::DateTime<chrono::Utc>,
    technician: &str,
    address: &str,
) -> Result<OutgoingMail, String> {
    let lang = to.language;
    let t = lang.catalog();
    let when = faro_core::format::date_time(lang, starts_at);
    let summary = Catalog::fill(t.mail_visit_summary, &[&incident.number, &incident.title]);
    let ics = faro_mail::ics::invitation(&faro_mail::ics::Invitation {
        uid: &format!("{visit_id}@faro"),
        start: starts_at,
        end: starts_at + chrono::TimeDelta::hours(2),
        summary: &summary,
        location: address,
        description: &format!(
            "{}\n{}",
            Catalog::fill(t.mail_visit_technician, &[technician]),
            state.link(&format!("/incidents/{}", incident.number))
        ),
        organizer: None,
        stamp: chrono::Utc::now(),
    });
    done(ActionMail {
        lang,
        to: to.email.to_string(),
        to_name: Some(first_name(&to.name)),
        subject: Catalog::fill(t.mail_visit_subject, &[&incident.number, &when]),
        paragraphs: vec![
            Catalog::fill(t.mail_visit_body, &[&when, address]),
            Catalog::fill(t.mail_visit_technician, &[technician]),
        ],
        highlight: None,
        action_label: t.mail_inc_action.into(),
        link: state.link(&format!("/incidents/{}", incident.number)),
        unsolicited_note: false,
        block: None,
        attachments: vec![faro_core::records::MailAttachment {
            filename: "visita.ics".into(),
            content_type: "text/calendar; method=PUBLISH; charset=UTF-8".into(),
            bytes: ics.into_bytes(),
        }],
    })
}
