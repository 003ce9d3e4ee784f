//! Delivery: SMTP (from `FARO_SMTP_URL`) or `.eml` files in a folder (the default).

use std::path::PathBuf;

use faro_core::records::OutgoingMail;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid sender address {0:?}: {1}")]
    From(String, String),
    #[error("invalid SMTP URL: {0}")]
    SmtpUrl(String),
    #[error("invalid recipient {0:?}")]
    To(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("delivery failed: {0}")]
    Send(String),
    #[error("cannot create the outbox folder {0}: {1}")]
    Folder(PathBuf, String),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>),
}

pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    /// SMTP when `smtp_url` is given (`smtp://`, `smtps://`, with credentials in the URL),
    /// otherwise `.eml` files in `folder`.
    pub fn new(from: &str, smtp_url: Option<&str>, folder: PathBuf) -> Result<Self, MailerError> {
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| {
            MailerError::From(from.into(), e.to_string())
        })?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| MailerError::SmtpUrl(e.to_string()))?
                    .build(),
            ),
            None => {
                std::fs::create_dir_all(&folder)
                    .map_err(|e| MailerError::Folder(folder.clone(), e.to_string()))?;
                Transport::Folder(AsyncFileTransport::<Tokio1Executor>::new(folder))
            }
        };
        Ok(Self { from, transport })
    }

    pub fn describe(&self) -> &'static str {
        match self.transport {
            Transport::Smtp(_) => "SMTP",
            Transport::Folder(_) => ".eml folder",
        }
    }

    pub fn build(&self, mail: &OutgoingMail) -> Result<Message, MailerError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| MailerError::To(mail.to.clone()))?;
        let alternative = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.text.clone()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(mail.html.clone()),
            );
        let body = if mail.attachments.is_empty() {
            alternative
        } else {
            let mut mixed = MultiPart::mixed().multipart(alternative);
            for a in &mail.attachments {
                let ct = ContentType::parse(&a.content_type).map_err(|e| {
                    MailerError::Build(format!("attachment type {:?}: {e}", a.content_type))
                })?;
                mixed =
                    mixed.singlepart(Attachment::new(a.filename.clone()).body(a.bytes.clone(), ct));
            }
            mixed
        };
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .multipart(body)
            .map_err(|e| MailerError::Build(e.to_string()))
    }

    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailerError> {
        let message = self.build(mail)?;
        match &self.transport {
            Transport::Smtp(t) => t
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailerError::Send(e.to_string())),
            Transport::Folder(t) => t
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailerError::Send(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_eml_files() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::new("Faro <faro@localhost>", None, dir.path().join("outbox")).unwrap();
        let mail = OutgoingMail {
            to: "ana@ejemplo.es".into(),
            subject: "Confirma tu correo".into(),
            text: "Hola".into(),
            html: "<p>Hola</p>".into(),
            attachments: vec![faro_core::records::MailAttachment {
                filename: "guía.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: b"%PDF-1.7 prueba".to_vec(),
            }],
        };
        mailer.send(&mail).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1);
        let body = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert!(body.contains("To: ana@ejemplo.es"));
        assert!(body.contains("multipart/alternative"));
        assert!(body.contains("multipart/mixed") && body.contains("application/pdf"));
    }

    #[test]
    fn bad_configuration_is_reported() {
        assert!(matches!(
            Mailer::new("not an address", None, PathBuf::from("/tmp")),
            Err(MailerError::From(..))
        ));
        assert!(matches!(
            Mailer::new("faro@x.es", Some("ftp://nope"), PathBuf::from("/tmp")),
            Err(MailerError::SmtpUrl(_))
        ));
    }
}
