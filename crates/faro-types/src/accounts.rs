//! Signing in and one's own account: setup, sign-in, joining with an invitation code, password
//! reset, the profile.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Who someone is in Faro. `admin` and `agent` are the support company's staff and see every
/// membership; `coordinator` and `member` are a client's people and see only their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Agent,
    Coordinator,
    Member,
}

/// The language of messages and e-mails. Spanish is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Es,
    En,
}

/// A membership as its people see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MembershipRef {
    pub id: Uuid,
    pub name: String,
}

/// The signed-in person.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-000000000001",
    "email": "lucia@cliente.es",
    "name": "Lucía Pérez",
    "role": "coordinator",
    "language": "es",
    "membership": {"id": "019a0000-0000-7000-8000-0000000000aa", "name": "Talleres Ruiz S.L."},
    "created_at": "2026-11-02T09:30:00Z",
    "last_sign_in_at": "2026-12-01T08:00:00Z",
    "via_api_key": null
}))]
pub struct Me {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: Language,
    /// The client's membership; absent for staff.
    pub membership: Option<MembershipRef>,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
    /// When the request was made with an API key: its id.
    pub via_api_key: Option<Uuid>,
}

/// A person as lists show them (a membership's people, staff accounts).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub language: Language,
    pub membership_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "lucia@cliente.es", "password": "una frase larga y secreta"}))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A short-lived access token to send as `Authorization: Bearer …`. The refresh token travels
/// in an HttpOnly cookie scoped to `/api/v1/auth`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccessToken {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub expires_at: DateTime<Utc>,
    pub person: Me,
}

/// Whether the portal still waits for its first administrator.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SetupStatus {
    pub needs_setup: bool,
}

/// Creates the first administrator with the one-time token `faro serve` printed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    pub token: String,
    pub name: String,
    pub email: String,
    pub password: String,
}

/// Asks for an account in the membership whose invitation code this is. The account exists once
/// the e-mailed link is confirmed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "ABCD-EFGH-JKLM-NPQR", "name": "Jorge Ruiz", "email": "jorge@cliente.es", "password": "una frase larga y secreta", "language": "es"}))]
pub struct JoinRequest {
    pub code: String,
    pub name: String,
    pub email: String,
    pub password: String,
    /// The language of the confirmation e-mail and of the account; Spanish when absent.
    #[serde(default)]
    pub language: Option<Language>,
}

/// The token from an e-mailed link (join confirmation).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotPasswordRequest {
    pub email: String,
}

/// A new password chosen with the e-mailed reset link.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    pub token: String,
    pub password: String,
}

/// Accepted for processing: an e-mail is on its way (or, for unknown addresses, deliberately
/// not, with the same answer).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Accepted {
    pub message: String,
}

/// Changes to one's own profile; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub language: Option<Language>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}
