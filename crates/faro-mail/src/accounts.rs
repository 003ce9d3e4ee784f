//! The account e-mails (join confirmation, password reset, membership activation, staff
//! welcome), in the recipient's language. Their links are the portal's pages, which the SPA
//! serves at the same paths: `/join/confirm?token=`, `/password/reset?token=`, `/join?code=`.

use faro_core::records::{Membership, OutgoingMail, Person};
use faro_core::{Catalog, Email, Lang, SecretToken};

use crate::{ActionMail, Highlight};

pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

pub fn done(m: ActionMail) -> Result<OutgoingMail, String> {
    m.render().map_err(|e| format!("mail template: {e}"))
}

pub fn join_confirmation(
    base_url: &str,
    lang: Lang,
    name: &str,
    email: &Email,
    membership: &Membership,
    token: &SecretToken,
) -> Result<OutgoingMail, String> {
    let t = lang.catalog();
    done(ActionMail {
        lang,
        to: email.to_string(),
        to_name: Some(first_name(name)),
        subject: Catalog::fill(t.mail_confirm_subject, &[&membership.name]),
        paragraphs: vec![Catalog::fill(t.mail_confirm_body, &[&membership.name])],
        highlight: None,
        action_label: t.mail_confirm_action.into(),
        link: format!("{base_url}/join/confirm?token={}", token.expose()),
        unsolicited_note: true,
        block: None,
        attachments: Vec::new(),
    })
}

pub fn password_reset(
    base_url: &str,
    person: &Person,
    token: &SecretToken,
) -> Result<OutgoingMail, String> {
    let t = person.language.catalog();
    done(ActionMail {
        lang: person.language,
        to: person.email.to_string(),
        to_name: Some(first_name(&person.name)),
        subject: t.mail_reset_subject.into(),
        paragraphs: vec![t.mail_reset_body.into()],
        highlight: None,
        action_label: t.mail_reset_action.into(),
        link: format!("{base_url}/password/reset?token={}", token.expose()),
        unsolicited_note: true,
        block: None,
        attachments: Vec::new(),
    })
}

/// To the client's coordinator, who may not have an account yet: in Spanish, the portal's default.
pub fn membership_activated(
    base_url: &str,
    m: &Membership,
    to: &Email,
) -> Result<OutgoingMail, String> {
    let lang = Lang::default();
    let t = lang.catalog();
    done(ActionMail {
        lang,
        to: to.to_string(),
        to_name: None,
        subject: t.mail_activated_subject.into(),
        paragraphs: vec![Catalog::fill(t.mail_activated_body, &[&m.name])],
        highlight: Some(Highlight {
            label: t.mail_activated_code.into(),
            value: m.invitation_code.display(),
        }),
        action_label: t.mail_activated_action.into(),
        link: join_link(base_url, m),
        unsolicited_note: false,
        block: None,
        attachments: Vec::new(),
    })
}

pub fn staff_welcome(
    base_url: &str,
    person: &Person,
    token: &SecretToken,
) -> Result<OutgoingMail, String> {
    let t = person.language.catalog();
    done(ActionMail {
        lang: person.language,
        to: person.email.to_string(),
        to_name: Some(first_name(&person.name)),
        subject: t.mail_staff_subject.into(),
        paragraphs: vec![Catalog::fill(t.mail_staff_body, &[t.role(person.role)])],
        highlight: None,
        action_label: t.mail_staff_action.into(),
        link: format!("{base_url}/password/reset?token={}", token.expose()),
        unsolicited_note: false,
        block: None,
        attachments: Vec::new(),
    })
}

/// `/join?code=…`: the code pre-filled in the join form.
pub fn join_link(base_url: &str, m: &Membership) -> String {
    format!("{base_url}/join?code={}", m.invitation_code.display())
}
