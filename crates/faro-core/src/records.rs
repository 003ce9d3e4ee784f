//! What the store hands back: plain records of memberships, people and audit events.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::email::Email;
use crate::i18n::Lang;
use crate::invitation::InvitationCode;
use crate::membership::ContractState;
use crate::role::Role;

#[derive(Debug, Clone)]
pub struct Membership {
    pub id: Uuid,
    pub name: String,
    pub tax_id: Option<String>,
    pub coordinator_email: Option<String>,
    pub contract_state: ContractState,
    pub active: bool,
    pub invitation_code: InvitationCode,
    pub code_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Membership {
    /// Whether the invitation code lets people join right now.
    pub fn code_usable(&self, now: DateTime<Utc>) -> bool {
        self.active && self.code_expires_at.is_none_or(|at| at > now)
    }
}

/// A membership with how many people it has, for lists.
#[derive(Debug, Clone)]
pub struct MembershipSummary {
    pub membership: Membership,
    pub people: u64,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub membership_id: Option<Uuid>,
    pub language: Lang,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_email: Option<String>,
    pub action: String,
    pub subject: String,
    pub ip: Option<String>,
    pub api_key_id: Option<Uuid>,
}

/// One e-mail waiting in the outbox, already rendered in its recipient's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Files sent along (an article's PDF, a calendar invitation, …).
    pub attachments: Vec<MailAttachment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAttachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Who did something and from where: written into the audit log.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    pub email: Option<String>,
    pub ip: Option<String>,
    /// The API key the request was made with, if any: every change it makes is attributable.
    pub api_key_id: Option<Uuid>,
}
