//! The incident e-mails: the alert of a new high-priority incident to staff, a public change to
//! the followers, and an on-site visit with its `.ics`. Their links are the portal's incident
//! pages (`/incidents/<number>`). Internal notes never produce one.

use chrono::{DateTime, TimeDelta, Utc};
use faro_core::Catalog;
use faro_core::incidents::Incident;
use faro_core::records::{MailAttachment, OutgoingMail, Person};

use crate::ActionMail;
use crate::accounts::{done, first_name};

fn link(base_url: &str, incident: &Incident) -> String {
    format!("{base_url}/incidents/{}", incident.number)
}

/// A new high-priority incident, to every active staff member at once.
pub fn alert(base_url: &str, to: &Person, incident: &Incident) -> Result<OutgoingMail, String> {
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
        link: link(base_url, incident),
        unsolicited_note: false,
        block: Some((
            incident.description.clone(),
            faro_markdown::to_html(&incident.description),
        )),
        attachments: Vec::new(),
    })
}

/// A public change on an incident (a comment, a new state), to its followers: `who` did `what`,
/// with `body` (Markdown, may be empty) quoted.
pub fn update(
    base_url: &str,
    to: &Person,
    incident: &Incident,
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
        link: link(base_url, incident),
        unsolicited_note: false,
        block: (!body.trim().is_empty()).then(|| (body.to_string(), faro_markdown::to_html(body))),
        attachments: Vec::new(),
    })
}

/// What an on-site visit e-mail says.
pub struct Visit<'a> {
    pub id: uuid::Uuid,
    pub starts_at: DateTime<Utc>,
    pub technician: &'a str,
    pub address: &'a str,
}

/// An on-site visit as an iCalendar event, in `lang` (two hours long, stable across updates).
pub fn visit_ics(
    base_url: &str,
    lang: faro_core::Lang,
    incident: &Incident,
    visit: &Visit<'_>,
) -> String {
    let t = lang.catalog();
    let summary = Catalog::fill(t.mail_visit_summary, &[&incident.number, &incident.title]);
    let technician = Catalog::fill(t.mail_visit_technician, &[visit.technician]);
    crate::ics::invitation(&crate::ics::Invitation {
        uid: &format!("{}@faro", visit.id),
        start: visit.starts_at,
        end: visit.starts_at + TimeDelta::hours(2),
        summary: &summary,
        location: visit.address,
        description: &format!("{technician}\n{}", link(base_url, incident)),
        organizer: None,
        stamp: Utc::now(),
    })
}

/// An on-site visit, to the client people following the incident, with an `.ics` event.
pub fn visit_invitation(
    base_url: &str,
    to: &Person,
    incident: &Incident,
    visit: &Visit<'_>,
) -> Result<OutgoingMail, String> {
    let lang = to.language;
    let t = lang.catalog();
    let when = faro_core::format::date_time(lang, visit.starts_at);
    let technician = Catalog::fill(t.mail_visit_technician, &[visit.technician]);
    let ics = visit_ics(base_url, lang, incident, visit);
    done(ActionMail {
        lang,
        to: to.email.to_string(),
        to_name: Some(first_name(&to.name)),
        subject: Catalog::fill(t.mail_visit_subject, &[&incident.number, &when]),
        paragraphs: vec![
            Catalog::fill(t.mail_visit_body, &[&when, visit.address]),
            technician,
        ],
        highlight: None,
        action_label: t.mail_inc_action.into(),
        link: link(base_url, incident),
        unsolicited_note: false,
        block: None,
        attachments: vec![MailAttachment {
            filename: "visita.ics".into(),
            content_type: "text/calendar; method=PUBLISH; charset=UTF-8".into(),
            bytes: ics.into_bytes(),
        }],
    })
}
