//! One row type per table, field for field in the order of `schema` (diesel matches them by
//! position). Repositories turn rows into domain records; enums are stored as their codes. An
//! inserted `None` is NULL (not the column's default).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::*;
use super::types::{Key, Moment};

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = audit_events)]
pub struct AuditEventRow {
    pub id: Key,
    pub at: Moment,
    pub actor_id: Option<Key>,
    pub actor_email: Option<String>,
    pub action: String,
    pub subject: String,
    pub membership_id: Option<Key>,
    pub ip: Option<String>,
    pub api_key_id: Option<Key>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = download_audience)]
pub struct DownloadAudienceRow {
    pub item_id: Key,
    pub membership_id: Key,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = download_events)]
pub struct DownloadEventRow {
    pub id: Key,
    pub item_id: Key,
    pub version_id: Key,
    pub user_id: Key,
    pub membership_id: Option<Key>,
    pub at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = download_items)]
pub struct DownloadItemRow {
    pub id: Key,
    pub slug: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub all_clients: bool,
    pub created_at: Moment,
    pub updated_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = download_versions)]
pub struct DownloadVersionRow {
    pub id: Key,
    pub item_id: Key,
    pub label: String,
    pub notes: String,
    pub file_id: Key,
    pub published_by: Option<Key>,
    pub published_by_name: String,
    pub published_at: Moment,
    pub withdrawn_at: Option<Moment>,
    pub withdrawn_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = download_visits)]
pub struct DownloadVisitRow {
    pub user_id: Key,
    pub seen_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = incidents)]
pub struct IncidentRow {
    pub id: Key,
    pub number: String,
    pub membership_id: Key,
    pub title: String,
    pub description: String,
    pub system: String,
    pub priority: String,
    pub state: String,
    pub escalation: String,
    pub opened_by: Option<Key>,
    pub opened_by_name: String,
    pub assignee_id: Option<Key>,
    pub created_at: Moment,
    pub updated_at: Moment,
    pub first_response_at: Option<Moment>,
    pub first_response_due: Moment,
    pub resolution_due: Moment,
    pub paused_minutes: i64,
    pub waiting_since: Option<Moment>,
    pub resolved_at: Option<Moment>,
    pub closed_at: Option<Moment>,
    pub solution_article_id: Option<Key>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = incident_attachments)]
pub struct IncidentAttachmentRow {
    pub id: Key,
    pub incident_id: Key,
    pub event_id: Option<Key>,
    pub file_id: Key,
    pub content_type: String,
    pub internal: bool,
    pub uploaded_by: Option<Key>,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = incident_counters)]
pub struct IncidentCounterRow {
    pub year: i32,
    pub last: i64,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = incident_events)]
pub struct IncidentEventRow {
    pub id: Key,
    pub incident_id: Key,
    pub kind: String,
    pub internal: bool,
    pub author_id: Option<Key>,
    pub author_name: String,
    pub body: String,
    pub data: Option<String>,
    pub ip: Option<String>,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = incident_followers)]
pub struct IncidentFollowerRow {
    pub incident_id: Key,
    pub user_id: Key,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = incident_visits)]
pub struct IncidentVisitRow {
    pub id: Key,
    pub incident_id: Key,
    pub starts_at: Moment,
    pub technician: String,
    pub address: String,
    pub report: Option<String>,
    pub reported_at: Option<Moment>,
    pub created_by_name: String,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = kb_articles)]
pub struct KbArticleRow {
    pub id: Key,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: String,
    pub state: String,
    pub category_id: Option<Key>,
    pub membership_id: Option<Key>,
    pub tags: String,
    pub views: i64,
    pub revision: i32,
    pub created_at: Moment,
    pub updated_at: Moment,
    pub published_at: Option<Moment>,
    pub last_change_note: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = kb_categories)]
pub struct KbCategoryRow {
    pub id: Key,
    pub parent_id: Option<Key>,
    pub slug: String,
    pub name: String,
    pub position: i32,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = kb_comments)]
pub struct KbCommentRow {
    pub id: Key,
    pub article_id: Key,
    pub author_id: Option<Key>,
    pub author_name: String,
    pub body: String,
    pub hidden: bool,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = kb_feedback)]
pub struct KbFeedbackRow {
    pub id: Key,
    pub article_id: Key,
    pub user_id: Key,
    pub helpful: bool,
    pub remark: String,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = kb_images)]
pub struct KbImageRow {
    pub id: Key,
    pub article_id: Key,
    pub content_type: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub file_id: Option<Key>,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = kb_revisions)]
pub struct KbRevisionRow {
    pub id: Key,
    pub article_id: Key,
    pub number: i32,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: String,
    pub state: String,
    pub category_id: Option<Key>,
    pub membership_id: Option<Key>,
    pub tags: String,
    pub author_id: Option<Key>,
    pub author_name: String,
    pub note: String,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = kb_shares)]
pub struct KbShareRow {
    pub id: Key,
    pub article_id: Key,
    pub user_id: Key,
    pub to_address: String,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = login_failures)]
pub struct LoginFailureRow {
    pub id: Key,
    pub email: String,
    pub ip: String,
    pub at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = memberships)]
pub struct MembershipRow {
    pub id: Key,
    pub name: String,
    pub tax_id: Option<String>,
    pub coordinator_email: Option<String>,
    pub contract_state: String,
    pub active: bool,
    pub invitation_code: String,
    pub code_expires_at: Option<Moment>,
    pub created_at: Moment,
    pub updated_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = outbox)]
pub struct OutboxRow {
    pub id: Key,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attachments: Option<String>,
    pub created_at: Moment,
    pub attempts: i32,
    pub next_attempt_at: Moment,
    pub claimed_until: Option<Moment>,
    pub sent_at: Option<Moment>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = rate_events)]
pub struct RateEventRow {
    pub id: Key,
    pub kind: String,
    pub key: String,
    pub at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = remote_requests)]
pub struct RemoteRequestRow {
    pub id: Key,
    pub incident_id: Key,
    pub purpose: String,
    pub tool: String,
    pub window: String,
    pub requested_by: Option<Key>,
    pub requested_by_name: String,
    pub requested_at: Moment,
    pub state: String,
    pub answered_by: Option<Key>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<Moment>,
    pub answered_ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = resources)]
pub struct ResourceRow {
    pub id: Key,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub url: String,
    pub file_id: Option<Key>,
    pub file_version: String,
    pub verified_on: Option<NaiveDate>,
    pub created_at: Moment,
    pub updated_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable)]
#[diesel(treat_none_as_default_value = false, table_name = search_changes)]
pub struct SearchChangeRow {
    pub seq: i64,
    pub article_id: Key,
    pub at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: Key,
    pub created_at: Moment,
    pub last_seen_at: Moment,
    pub expires_at: Moment,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = settings)]
pub struct SettingRow {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = stored_files)]
pub struct StoredFileRow {
    pub id: Key,
    pub object_key: String,
    pub file_name: String,
    pub size: i64,
    pub sha256: String,
    pub state: String,
    pub created_at: Moment,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = tokens)]
pub struct TokenRow {
    pub id: String,
    pub purpose: String,
    pub user_id: Option<Key>,
    pub membership_id: Option<Key>,
    pub payload: Option<String>,
    pub created_at: Moment,
    pub expires_at: Moment,
    pub used_at: Option<Moment>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = users)]
pub struct UserRow {
    pub id: Key,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: String,
    pub membership_id: Option<Key>,
    pub language: String,
    pub active: bool,
    pub created_at: Moment,
    pub last_sign_in_at: Option<Moment>,
    pub token_version: i32,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: Key,
    pub family_id: Key,
    pub user_id: Key,
    pub digest: String,
    pub created_at: Moment,
    pub expires_at: Moment,
    pub used_at: Option<Moment>,
    pub revoked_at: Option<Moment>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(treat_none_as_default_value = false, table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: Key,
    pub user_id: Key,
    pub name: String,
    pub prefix: String,
    pub digest: String,
    pub scope: String,
    pub service: bool,
    pub created_by: Option<Key>,
    pub created_at: Moment,
    pub expires_at: Option<Moment>,
    pub last_used_at: Option<Moment>,
    pub last_used_ip: Option<String>,
    pub revoked_at: Option<Moment>,
}
