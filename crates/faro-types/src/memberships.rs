//! Client memberships and their people.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::Role;

/// How the client pays: free while a maintenance contract runs, a subscription otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContractState {
    Contract,
    Subscription,
    Lapsed,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000aa",
    "name": "Talleres Ruiz S.L.",
    "tax_id": "B12345678",
    "coordinator_email": "lucia@cliente.es",
    "contract_state": "contract",
    "active": true,
    "invitation_code": "ABCD-EFGH-JKLM-NPQR",
    "code_expires_at": null,
    "code_usable": true,
    "people": 12,
    "created_at": "2026-11-02T09:30:00Z"
}))]
pub struct Membership {
    pub id: Uuid,
    pub name: String,
    pub tax_id: Option<String>,
    pub coordinator_email: Option<String>,
    pub contract_state: ContractState,
    pub active: bool,
    /// Shared with the client's people so they can join.
    pub invitation_code: String,
    /// After this instant the code admits nobody.
    pub code_expires_at: Option<DateTime<Utc>>,
    /// Whether the code admits people right now.
    pub code_usable: bool,
    /// Active people (in lists; absent when reading one membership).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people: Option<u64>,
    pub created_at: DateTime<Utc>,
}

/// A new membership. Faro generates its invitation code; `activate` also e-mails it to the
/// coordinator (so it needs `coordinator_email`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Talleres Ruiz S.L.", "tax_id": "B12345678", "coordinator_email": "lucia@cliente.es", "contract_state": "contract", "code_valid_until": "2027-06-30", "activate": true}))]
pub struct NewMembership {
    pub name: String,
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub coordinator_email: Option<String>,
    pub contract_state: ContractState,
    /// Last day (`YYYY-MM-DD`, Spanish time) the invitation code works; none for no expiry.
    #[serde(default)]
    #[schema(format = Date)]
    pub code_valid_until: Option<String>,
    #[serde(default)]
    pub activate: bool,
}

/// A membership's details, all sent again (what is absent or null is cleared).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipUpdate {
    pub name: String,
    #[serde(default)]
    pub tax_id: Option<String>,
    #[serde(default)]
    pub coordinator_email: Option<String>,
    pub contract_state: ContractState,
}

/// When the invitation code stops working.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeExpiry {
    /// Last day (`YYYY-MM-DD`) the code works; null for no expiry.
    #[schema(format = Date)]
    pub code_valid_until: Option<String>,
}

/// A new staff account. Without a password, the person gets an e-mail to choose one.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    pub email: String,
    pub name: String,
    /// `admin` or `agent`.
    pub role: Role,
}

/// A staff account's role and whether it may sign in.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffUpdate {
    /// `admin` or `agent`.
    pub role: Role,
    pub active: bool,
}
