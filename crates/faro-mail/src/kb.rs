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
    let html = format!(
        "<h2>{}</h2>{}",
        escape(&article.title),
        for_mail(base_url, body_html, t.mail_image_in_pdf)
    );
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

/// The article's HTML as an e-mail can show it: links made absolute, and images (which only
/// open with a short-lived signed address) replaced by a note naming them; the attached PDF
/// has them.
fn for_mail(base_url: &str, html: &str, note: &str) -> String {
    let html = html.replace("href=\"/", &format!("href=\"{base_url}/"));
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[start..start + len + 1];
        // The sanitiser writes attributes quoted and escaped, so the alt text is safe as is.
        let alt = tag
            .split_once("alt=\"")
            .and_then(|(_, a)| a.split_once('"'))
            .map(|(a, _)| a)
            .unwrap_or_default();
        out.push_str("<em>[");
        if !alt.is_empty() {
            out.push_str(alt);
            out.push_str(": ");
        }
        out.push_str(note);
        out.push_str("]</em>");
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_become_notes_and_links_absolute() {
        let html = r#"<p>Paso 1 <img src="/api/v1/kb/images/7" alt="paso &lt;1&gt;.png"> y <a href="/kb/otro">otro</a> o <a href="https://x.es/">fuera</a><img src="/kb/files/9"></p>"#;
        assert_eq!(
            for_mail("https://faro.es", html, "en el PDF adjunto"),
            r#"<p>Paso 1 <em>[paso &lt;1&gt;.png: en el PDF adjunto]</em> y <a href="https://faro.es/kb/otro">otro</a> o <a href="https://x.es/">fuera</a><em>[en el PDF adjunto]</em></p>"#
        );
        assert_eq!(for_mail("https://faro.es", "<img src=", "n"), "");
    }
}
