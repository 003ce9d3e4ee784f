//! API keys for integrations.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// `read`: only reads (GET). `read_write`: also changes, exactly as its owner could.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    Read,
    ReadWrite,
}

/// A key as lists show it: never its secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000c1",
    "name": "Intranet de Talleres Ruiz",
    "prefix": "faro_3f9a1c2b",
    "scope": "read",
    "service": false,
    "owner_id": "019a0000-0000-7000-8000-000000000001",
    "owner_email": "lucia@cliente.es",
    "created_at": "2026-12-01T09:00:00Z",
    "expires_at": "2027-12-01T00:00:00Z",
    "last_used_at": null,
    "last_used_ip": null,
    "revoked_at": null
}))]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// The first characters of the secret, to tell keys apart.
    pub prefix: String,
    pub scope: KeyScope,
    /// A staff integration's key, created by an administrator.
    pub service: bool,
    pub owner_id: Uuid,
    pub owner_email: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_ip: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new key of one's own.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Intranet de Talleres Ruiz", "scope": "read", "expires_at": "2027-12-01T00:00:00Z"}))]
pub struct NewApiKey {
    pub name: String,
    pub scope: KeyScope,
    /// When the key stops working; never when absent.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A service key for a staff account (administrators).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceKey {
    /// The active staff account the integration acts as.
    pub owner_id: Uuid,
    pub name: String,
    pub scope: KeyScope,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The key just created, with its secret: shown this once, never again.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedApiKey {
    pub key: ApiKey,
    /// Send it as `Authorization: Bearer faro_…`. Faro keeps only a digest.
    pub secret: String,
}
