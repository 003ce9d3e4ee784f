//! The audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000d1",
    "at": "2026-12-01T09:00:00Z",
    "actor_email": "admin@soporte.es",
    "action": "membership_created",
    "action_label": "Membresía creada",
    "subject": "Talleres Ruiz S.L.",
    "ip": "127.0.0.1",
    "api_key_id": null
}))]
pub struct AuditEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_email: Option<String>,
    /// Stable code of what happened (`sign_in`, `membership_created`, …).
    pub action: String,
    /// The same in the caller's language.
    pub action_label: String,
    pub subject: String,
    pub ip: Option<String>,
    /// The API key the change was made with, if any.
    pub api_key_id: Option<Uuid>,
}
