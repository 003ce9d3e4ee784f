//! Faro's domain: the types every other crate speaks, the rules they obey and the message catalogue.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod access;
pub mod audit;
pub mod downloads;
pub mod email;
pub mod error;
pub mod format;
pub mod i18n;
pub mod incidents;
pub mod invitation;
pub mod kb;
pub mod membership;
pub mod password;
pub mod records;
pub mod role;
pub mod secret;
pub mod sla;
pub mod viewer;

pub use audit::AuditAction;
pub use email::Email;
pub use error::{Conflict, Invalid, StoreError, StoreResult};
pub use i18n::{Catalog, Lang};
pub use invitation::InvitationCode;
pub use membership::{ContractState, MembershipName, TaxId};
pub use password::{NewPassword, PasswordHash};
pub use role::Role;
pub use secret::SecretToken;
pub use viewer::Viewer;
