//! One module per resource: handlers, each with its OpenAPI description (the first doc line is
//! the summary), its body types from `faro-types` and every refusal it can answer with.

pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod download_versions;
pub mod downloads;
pub mod health;
pub mod incident_escalation;
pub mod incident_pdf;
pub mod incident_work;
pub mod incidents;
pub mod join;
pub mod kb;
pub mod kb_answer;
pub mod kb_edit;
pub mod kb_files;
pub mod kb_history;
pub mod kb_reading;
pub mod keys;
pub mod me;
pub mod memberships;
pub mod password;
pub mod people;
pub mod search;
pub mod setup;
pub mod staff;

mod convert;
pub mod paging;

/// argon2 is deliberately slow: keep it off the async workers.
pub async fn hash_password(
    p: faro_core::NewPassword,
) -> crate::problem::ApiResult<faro_core::PasswordHash> {
    tokio::task::spawn_blocking(move || p.hash())
        .await
        .map_err(crate::problem::ApiError::internal)?
        .map_err(crate::problem::ApiError::internal)
}

pub async fn verify_password(
    hash: faro_core::PasswordHash,
    candidate: String,
) -> crate::problem::ApiResult<bool> {
    tokio::task::spawn_blocking(move || hash.verify(&candidate))
        .await
        .map_err(crate::problem::ApiError::internal)
}
