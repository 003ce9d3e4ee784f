//! Incidents: what a client opens, everyone in their membership sees and joins, and staff work
//! through to a solution. Addressed by number (`INC-2026-0001`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::accounts::MembershipRef;

/// How urgent an incident is (Alta, Media, Baja).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Alta: work is stopped (a service down, nobody can invoice); staff are e-mailed at once.
    High,
    /// Media: work goes on with difficulty or a workaround.
    Medium,
    /// Baja: a question, a nuisance or a request that can wait.
    Low,
}

/// Where an incident is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    New,
    InProgress,
    /// Waiting for the client: the service-level clock is paused.
    WaitingClient,
    /// Staff consider it solved; the client confirms by closing it (or reopens it).
    Resolved,
    Closed,
}

/// How far support has gone: by e-mail and phone, a remote connection, a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Escalation {
    FirstLine,
    Remote,
    OnSite,
}

/// How an incident stands against its service level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaMark {
    /// Due in more than an hour.
    Ok,
    /// Due within the hour.
    DueSoon,
    /// Past its due time.
    Breached,
    /// The clock is not running (waiting for the client, resolved or closed).
    Stopped,
}

/// The service-level clock of an incident (business hours only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Sla {
    /// When staff must first answer.
    pub first_response_due: DateTime<Utc>,
    /// When staff first answered publicly; null until then.
    pub first_response_at: Option<DateTime<Utc>>,
    /// When it must be resolved (moved later by time spent waiting for the client).
    pub resolution_due: DateTime<Utc>,
    /// The next due time against now.
    pub mark: SlaMark,
}

/// A priority as the portal defines it: its name and meaning in the caller's language, and the
/// service-level targets in working minutes (business hours only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PriorityDefinition {
    pub priority: Priority,
    /// Its name (`Alta`, `Media`, `Baja` in Spanish).
    pub label: String,
    /// When to choose it, in one sentence.
    pub definition: String,
    /// Working minutes staff have to answer first.
    pub first_response_minutes: i64,
    /// Working minutes staff have to resolve it.
    pub resolution_minutes: i64,
}

/// A person named on an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonName {
    /// Null when the account no longer exists.
    pub id: Option<Uuid>,
    pub name: String,
}

/// An incident in a list: everything but its description and timeline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000e1",
    "number": "INC-2026-0042",
    "title": "La impresora de recepción no imprime",
    "system": "Impresora HP recepción",
    "priority": "high",
    "state": "in_progress",
    "escalation": "remote",
    "membership": {"id": "019a0000-0000-7000-8000-0000000000b1", "name": "Banco Ejemplo"},
    "opened_by": {"id": "019a0000-0000-7000-8000-000000000011", "name": "Lucía Martín"},
    "assignee": {"id": "019a0000-0000-7000-8000-000000000002", "name": "Pablo Técnico"},
    "created_at": "2026-11-30T09:00:00Z",
    "updated_at": "2026-11-30T09:40:00Z",
    "resolved_at": null,
    "closed_at": null,
    "sla": {
        "first_response_due": "2026-11-30T10:00:00Z",
        "first_response_at": "2026-11-30T09:12:00Z",
        "resolution_due": "2026-11-30T13:00:00Z",
        "mark": "ok"
    }
}))]
pub struct IncidentSummary {
    pub id: Uuid,
    /// Its address: `GET /api/v1/incidents/{number}`.
    pub number: String,
    pub title: String,
    /// The affected system, as the client named it (may be empty).
    pub system: String,
    pub priority: Priority,
    pub state: IncidentState,
    pub escalation: Escalation,
    pub membership: MembershipRef,
    pub opened_by: PersonName,
    /// The staff member working on it; null while unassigned.
    pub assignee: Option<PersonName>,
    pub created_at: DateTime<Utc>,
    /// The latest public activity.
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub sla: Sla,
}

/// A file attached to an incident or to one of its entries.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct IncidentAttachment {
    pub id: Uuid,
    /// The file's name as uploaded.
    pub name: String,
    pub size: u64,
    /// Recognised from the bytes: `image/png`, `video/mp4`… or `application/octet-stream`.
    pub content_type: String,
    pub sha256: String,
    /// Staff only: an attachment of an internal note.
    pub internal: bool,
    /// The file through a signed address that needs no `Authorization` header, valid for at
    /// least ten minutes: images and videos show inline (videos with byte ranges), anything
    /// else downloads.
    pub url: String,
    /// Images (PNG, JPEG, GIF, WebP) only: a small JPEG of it through a signed address (at most
    /// 480 pixels on its longest side, upright, transparency on white), for lists and previews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What happened, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Opened,
    Comment,
    /// Staff only: an internal note, never shown to the client.
    Note,
    State,
    Priority,
    Assigned,
    Closed,
    Reopened,
    AutoClosed,
    RemoteRequested,
    RemoteAuthorised,
    RemoteRefused,
    RemoteStarted,
    VisitScheduled,
    VisitReport,
    Solution,
    /// A kind this version of the contract does not name yet.
    #[serde(other)]
    Other,
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TimelineEntry {
    pub id: Uuid,
    pub kind: EntryKind,
    /// Staff only: internal entries (notes); a client never receives one.
    pub internal: bool,
    pub author_name: String,
    /// What was written, in Markdown (may be empty).
    pub body: String,
    /// `body` as HTML through the server's sanitiser (show this, never your own rendering).
    pub body_html: String,
    /// For state and priority changes: what it was and what it became (`in_progress`, `high`…).
    pub change: Option<Change>,
    /// Further detail some kinds carry (the remote tool and window, the visit's time and
    /// technician).
    pub detail: Option<String>,
    /// Staff only: the address an answer to a remote-connection request came from.
    pub ip: Option<String>,
    /// Files attached with this entry.
    pub attachments: Vec<IncidentAttachment>,
    pub created_at: DateTime<Utc>,
}

/// A value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Change {
    pub from: String,
    pub to: String,
}

/// An incident, whole: with its description and timeline.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Incident {
    #[serde(flatten)]
    pub summary: IncidentSummary,
    /// The description as written, in Markdown.
    pub description: String,
    /// The description as HTML through the server's sanitiser.
    pub description_html: String,
    /// Whether the caller is e-mailed about its public activity.
    pub following: bool,
    /// Oldest first. A client's timeline never holds internal notes.
    pub timeline: Vec<TimelineEntry>,
    /// Requests to connect remotely, oldest first, with the membership's answers.
    pub remote_requests: Vec<RemoteRequest>,
    /// On-site visits, soonest first.
    pub visits: Vec<Visit>,
    /// The knowledge-base article linked as the solution, if any.
    pub solution: Option<SolutionLink>,
    /// The incident and its timeline typeset as a PDF, as the caller may see it: a signed
    /// address for the caller, valid for a few minutes (`GET /incidents/{number}/pdf` with the
    /// token or key is the same document).
    pub pdf_url: String,
}

/// How a list of incidents is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentOrder {
    /// Latest activity first (the default).
    #[default]
    Recent,
    /// Resolution due time, soonest first: the staff queue.
    Due,
}

/// Query parameters of the incident list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IncidentQuery {
    /// Only incidents in this state.
    pub state: Option<IncidentState>,
    /// Only open ones (not resolved or closed); ignored when `state` is given.
    pub open: Option<bool>,
    pub priority: Option<Priority>,
    /// Only those the caller opened.
    pub mine: Option<bool>,
    /// Staff only: only those assigned to the caller.
    pub assigned_to_me: Option<bool>,
    /// Staff only: one membership's incidents.
    pub membership_id: Option<Uuid>,
    /// Words in the number, title, system, description or public comments (the search syntax:
    /// `"phrase"`, `-word`).
    pub q: Option<String>,
    /// The order (default `recent`). A cursor continues only in the order it came from.
    pub order: Option<IncidentOrder>,
    /// How many items to return, 1 to 100 (default 50).
    #[param(minimum = 1, maximum = 100, example = 50)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page (with the same filters).
    pub cursor: Option<String>,
}

/// A new incident, opened for the caller's membership (client people only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "La impresora de recepción no imprime",
    "description": "Desde esta mañana la cola se queda en **En espera**.",
    "system": "Impresora HP recepción",
    "priority": "high"
}))]
pub struct NewIncident {
    /// 3 to 200 characters.
    pub title: String,
    /// What happens, in Markdown: 1 to 20,000 characters.
    pub description: String,
    /// The affected system: at most 120 characters, one line (may be empty).
    #[serde(default)]
    pub system: String,
    pub priority: Priority,
}

/// The same as a form (`multipart/form-data`), with files: what a browser or `curl -F` sends.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewIncidentForm {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub system: String,
    /// `high`, `medium` or `low`.
    pub priority: Priority,
    /// Screenshots, photos, videos or any other file: up to 20, each at most the server's
    /// `FARO_ATTACHMENT_MAX_MB` (200 MB unless configured).
    #[schema(value_type = Vec<String>, format = Binary)]
    #[serde(default)]
    pub files: Vec<String>,
}

/// A comment, or for staff an internal note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIncidentComment {
    /// Markdown, 1 to 20,000 characters (may be empty when files come with it).
    #[serde(default)]
    pub body: String,
    /// Staff only: a note only staff see (clients are never told of it).
    #[serde(default)]
    pub internal: bool,
}

/// The same as a form (`multipart/form-data`), with files.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewIncidentCommentForm {
    #[serde(default)]
    pub body: String,
    /// `true` for an internal note (staff only).
    #[serde(default)]
    pub internal: bool,
    /// Up to 20 files, each at most `FARO_ATTACHMENT_MAX_MB`.
    #[schema(value_type = Vec<String>, format = Binary)]
    #[serde(default)]
    pub files: Vec<String>,
}

/// A move to another state, with a remark for the timeline and the followers' e-mail.
///
/// Staff move an incident along: `new` → `in_progress`, `waiting_client` or `resolved`;
/// `in_progress` ↔ `waiting_client`; either → `resolved`; `resolved` → `in_progress`. A
/// client's people confirm a resolved incident by moving it to `closed`, or reopen a resolved
/// or closed one (`in_progress`). Staff close only a resolved one, and only with a remark (the
/// client confirmed another way). Anything else is 409.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"state": "closed", "remark": "Ya imprime, gracias."}))]
pub struct StateChange {
    pub state: IncidentState,
    /// At most 2,000 characters (may be empty).
    #[serde(default)]
    pub remark: String,
}

/// A new priority (staff): the due times follow its targets.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityChange {
    pub priority: Priority,
}

/// Who works on an incident (staff): a staff member's id, or null for nobody.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    pub assignee_id: Option<Uuid>,
}

/// Where a request to connect remotely stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RemoteState {
    /// Waiting for someone of the membership to answer.
    Pending,
    Authorised,
    Refused,
    /// Staff connected (only ever after an authorisation).
    Started,
}

/// A request of staff to connect remotely, and the membership's answer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RemoteRequest {
    pub id: Uuid,
    /// What staff will do, in their words.
    pub purpose: String,
    /// The remote-access tool (AnyDesk, TeamViewer, the client's VPN…).
    pub tool: String,
    /// When they would connect, in their words ("hoy de 16:00 a 17:00").
    pub window: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub state: RemoteState,
    /// Who of the membership answered, and when.
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Staff only: the address the answer came from.
    pub answered_ip: Option<String>,
}

/// An on-site visit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Visit {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub technician: String,
    pub address: String,
    /// What was done, in Markdown, once staff report it.
    pub report: Option<String>,
    /// `report` through the server's sanitiser.
    pub report_html: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
}

/// The knowledge-base article linked as an incident's solution.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SolutionLink {
    /// `GET /api/v1/kb/articles/{slug}`.
    pub slug: String,
    pub title: String,
}

/// Staff ask the membership to authorise a remote connection.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"purpose": "Revisar el controlador de la impresora", "tool": "AnyDesk", "window": "Hoy de 16:00 a 17:00"}))]
pub struct NewRemoteRequest {
    /// 1 to 2,000 characters.
    pub purpose: String,
    /// 1 to 120 characters.
    pub tool: String,
    /// 1 to 200 characters.
    pub window: String,
}

/// Someone of the membership authorises (`true`) or refuses (`false`) a pending request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteAnswer {
    pub authorise: bool,
}

/// Staff schedule an on-site visit; the membership's followers get an `.ics` invitation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"starts_at": "2026-12-04T09:00:00Z", "technician": "Pablo Técnico", "address": "Calle Mayor 1, Madrid"}))]
pub struct NewVisit {
    /// In the future.
    pub starts_at: DateTime<Utc>,
    /// 1 to 120 characters.
    pub technician: String,
    /// 1 to 500 characters.
    pub address: String,
}

/// What was done at a visit, in Markdown (1 to 20,000 characters).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitReport {
    pub report: String,
}

/// The article to link as the solution: its slug (or its `/kb/<slug>` address). It must be
/// published and readable by the incident's membership.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SolutionChoice {
    pub article: String,
}

/// A draft article made from an incident and its public answers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DraftArticle {
    /// Edit it at `PUT /api/v1/kb/articles/{slug}`.
    pub slug: String,
}
