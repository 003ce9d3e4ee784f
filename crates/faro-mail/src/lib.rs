//! E-mail: every message Faro sends is an "action mail" (a greeting, a few paragraphs, maybe a
//! highlighted value such as an invitation code, one button) rendered as text + HTML in the
//! recipient's language, and a transport that delivers it by SMTP or into a folder of `.eml` files.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod accounts;
mod compose;
pub mod ics;
pub mod incidents;
pub mod kb;
mod transport;

pub use compose::{ActionMail, Highlight};
pub use transport::{Mailer, MailerError};
