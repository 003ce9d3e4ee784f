//! The knowledge-base e-mails: an article a reader sends to someone, and the notice of a new
//! comment. Their links are the portal's article pages (`/kb/<slug>`), which the SPA serves.

use faro_core::Catalog;
use faro_core::Lang;
use faro_core::kb::Article;
use faro_core::records::{MailAttachment, OutgoingMail, Person};

use crate::ActionMail;
use crate::accounts::{done, first_name};

/// What an article e-mail carries besides the article: who sends it, to whom, their words.
pub struct Share<'a> {
    pub lang: Lang,
    pub sender: &'a str,
    pub to: &'a str,
    pub message: &'a str,
}

/// An article e-mailed by a reader: their message, the article as text and as `body_html`
/// (already through the sanitiser), and its PDF attached.
pub fn article_share(
    base_url: &str,
    s: &Share<'_>,
    article: &Article,
    body_html: &str,
    pdf: Vec<u8>,
) -> Result<OutgoingMail, String> {
    let t = s.lang.catalog();
    let mut paragraphs = vec![Catalog::fill(t.mail_article_body, &[s.sender])];
    if !s.message.trim().is_empty() {
        paragraphs.push(format!("{} «{}»", t.mail_article_message, s.message.trim()));
    }
    let mut text = format!("{}\n\n", article.title);
    if !article.summary.is_empty() {
        text.push_str(&format!("{}\n\n", article.summary));
    }
    text.push_str(&article.body);
    let html = format!("<h2>{}</h2>{body_html}", escape(&article.title));
    done(ActionMail {
        lang: s.lang,
        to: s.to.to_owned(),
        to_name: None,
        subject: Catalog::fill(t.mail_article_subject, &[s.sender, &article.title]),
        paragraphs,
        highlight: None,
        action_label: t.mail_article_action.into(),
        link: format!("{base_url}/kb/{}", article.slug),
        unsolicited_note: true,
        block: Some((text, html)),
        attachments: vec![MailAttachment {
            filename: format!("{}.pdf", article.slug),
            content_type: "application/pdf".into(),
            bytes: pdf,
        }],
    })
}

/// A new comment on the article (`slug`, `title`), to its author or a staff member; `body_html`
/// is the comment through the sanitiser.
pub fn comment_notice(
    base_url: &str,
    to: &Person,
    commenter: &str,
    (slug, title): (&str, &str),
    body: &str,
    body_html: &str,
) -> Result<OutgoingMail, String> {
    let lang = to.language;
    let t = lang.catalog();
    done(ActionMail {
        lang,
        to: to.email.to_string(),
        to_name: Some(first_name(&to.name)),
        subject: Catalog::fill(t.mail_comment_subject, &[title]),
        paragraphs: vec![Catalog::fill(t.mail_comment_body, &[commenter, title])],
        highlight: None,
        action_label: t.mail_comment_action.into(),
        link: format!("{base_url}/kb/{slug}#comments"),
        unsolicited_note: false,
        block: Some((body.to_owned(), body_html.to_owned())),
        attachments: Vec::new(),
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
