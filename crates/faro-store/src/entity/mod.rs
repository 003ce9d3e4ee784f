//! SeaORM entities: one file per table. Enums are stored as strings and parsed into domain
//! types in the repositories.

pub mod audit_event;
pub mod download_audience;
pub mod download_event;
pub mod download_item;
pub mod download_version;
pub mod download_visit;
pub mod incident;
pub mod incident_attachment;
pub mod incident_counter;
pub mod incident_event;
pub mod incident_follower;
pub mod incident_visit;
pub mod kb_article;
pub mod kb_category;
pub mod kb_comment;
pub mod kb_feedback;
pub mod kb_image;
pub mod kb_revision;
pub mod kb_share;
pub mod membership;
pub mod outbox;
pub mod remote_request;
pub mod resource;
pub mod search_change;
pub mod stored_file;
pub mod user;
