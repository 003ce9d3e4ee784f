//! Faro's API contract: every JSON body the REST API reads or writes, its error codes and enums.
//! Shared by the server (`api/`) and the SPA (`web/`), so a renamed field breaks a build, not a
//! user. No I/O here: serde for the wire, utoipa for the OpenAPI document.
//!
//! Conventions (see `openapi/README.md`): snake_case fields, RFC 3339 UTC timestamps, ids as
//! strings, errors as RFC 9457 problem details, lists paged by cursor.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod downloads;
pub mod health;
pub mod incidents;
pub mod kb;
pub mod kb_edit;
pub mod kb_reading;
pub mod memberships;
pub mod page;
pub mod problem;
pub mod search;

pub use page::{Page, PageQuery};
pub use problem::{ErrorCode, FieldError, Problem};
