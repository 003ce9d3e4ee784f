//! Building messages from the catalogue: one text and one HTML template serve every message.

use askama::Template;
use faro_core::records::OutgoingMail;
use faro_core::{Catalog, Lang};

/// A value shown prominently (e.g. an invitation code).
pub struct Highlight {
    pub label: String,
    pub value: String,
}

/// The shape of every Faro e-mail.
pub struct ActionMail {
    pub lang: Lang,
    pub to: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub highlight: Option<Highlight>,
    pub action_label: String,
    pub link: String,
    /// Adds "if you did not ask for this, ignore it".
    pub unsolicited_note: bool,
    /// A longer block after the paragraphs (an article's content): text for the text part,
    /// and HTML that the caller has already sanitised for the HTML part.
    pub block: Option<(String, String)>,
    pub attachments: Vec<faro_core::records::MailAttachment>,
}

#[derive(Template)]
#[template(path = "action.txt")]
struct TextView<'a> {
    t: &'static Catalog,
    m: &'a ActionMail,
}

#[derive(Template)]
#[template(path = "action.html")]
struct HtmlView<'a> {
    t: &'static Catalog,
    m: &'a ActionMail,
}

impl ActionMail {
    pub fn render(&self) -> Result<OutgoingMail, askama::Error> {
        let t = self.lang.catalog();
        Ok(OutgoingMail {
            to: self.to.clone(),
            subject: self.subject.clone(),
            text: TextView { t, m: self }.render()?,
            html: HtmlView { t, m: self }.render()?,
            attachments: self.attachments.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(lang: Lang) -> ActionMail {
        ActionMail {
            lang,
            to: "ana@ejemplo.es".into(),
            to_name: Some("Ana <López>".into()),
            subject: "Asunto".into(),
            paragraphs: vec!["Primer párrafo & más".into()],
            highlight: Some(Highlight {
                label: "Código".into(),
                value: "ACDE-FGHJ-KMNP-QRTV".into(),
            }),
            action_label: "Confirmar".into(),
            link: "http://127.0.0.1:8080/join/confirm?token=abc".into(),
            unsolicited_note: true,
            block: Some((
                "Texto del artículo".into(),
                "<p>Texto <b>del</b> artículo</p>".into(),
            )),
            attachments: Vec::new(),
        }
    }

    #[test]
    fn text_and_html_carry_the_same_facts() {
        let out = sample(Lang::Es).render().unwrap();
        for body in [&out.text, &out.html] {
            assert!(body.contains("ACDE-FGHJ-KMNP-QRTV"));
            assert!(body.contains("http://127.0.0.1:8080/join/confirm?token=abc"));
            assert!(body.contains("Hola"));
        }
        assert!(out.text.contains("Ana <López>"));
        // HTML escapes what people typed.
        assert!(out.html.contains("Ana &#60;López&#62;") || out.html.contains("Ana &lt;López&gt;"));
        assert!(
            out.html.contains("Primer párrafo &#38; más")
                || out.html.contains("Primer párrafo &amp; más")
        );
        assert!(out.text.contains(Lang::Es.catalog().mail_ignore));
        assert!(
            out.text.contains("Texto del artículo")
                && out.html.contains("<p>Texto <b>del</b> artículo</p>")
        );
    }

    #[test]
    fn english() {
        let out = sample(Lang::En).render().unwrap();
        assert!(out.text.contains("Hello"));
        assert!(out.html.contains("lang=\"en\""));
    }
}
