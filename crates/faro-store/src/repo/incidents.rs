//! Incidents: opened by client people, seen and worked on by everyone in their membership and by
//! staff. Another membership's incident is `NotFound` everywhere; internal notes and internal
//! attachments never leave the store for a client viewer.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Utc};
use diesel::prelude::*;
use faro_core::incidents::{
    Escalation, Incident, IncidentState, Priority, format_number, parse_message, parse_system,
};
use faro_core::kb::parse_title;
use faro_core::records::{OutgoingMail, Person};
use faro_core::sla::{BusinessHours, Targets};
use faro_core::viewer::Scope;
use faro_core::{Invalid, Role, StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::files::{files_by_ids, make_ready};
use super::{clean, now, outbox};
use crate::db::rows::{IncidentAttachmentRow, IncidentEventRow, IncidentRow, UserRow};
use crate::db::schema::{
    incident_attachments, incident_counters, incident_events, incident_followers, incidents,
    kb_articles, users,
};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, MultiBackend, db_err, per_backend};
use crate::{Store, convert};

/// The service-level clock every node applies (from the configuration).
#[derive(Debug, Clone)]
pub struct Sla {
    pub hours: BusinessHours,
    pub targets: Targets,
}

impl Default for Sla {
    fn default() -> Self {
        let hours = BusinessHours::default();
        let targets = Targets::defaults(&hours);
        Self { hours, targets }
    }
}

impl Sla {
    /// The service-level targets of priority `p`.
    pub fn target(&self, p: Priority) -> faro_core::sla::Target {
        match p {
            Priority::High => self.targets.high,
            Priority::Medium => self.targets.medium,
            Priority::Low => self.targets.low,
        }
    }

    /// Due times for an incident opened at `opened` with `paused` minutes spent waiting.
    fn dues(
        &self,
        p: Priority,
        opened: DateTime<Utc>,
        paused: i64,
    ) -> (DateTime<Utc>, DateTime<Utc>) {
        let t = self.target(p);
        (
            self.hours.add_minutes(opened, t.first_response + paused),
            self.hours.add_minutes(opened, t.resolution + paused),
        )
    }
}

/// A file streamed in for an incident (registered pending under `file_id`).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub file_id: Uuid,
    pub size: u64,
    pub sha256: String,
    /// Recognised from the bytes (images and videos show in the page); anything else is
    /// `application/octet-stream`.
    pub content_type: String,
}

#[derive(Debug, Clone)]
pub struct NewIncident {
    pub title: String,
    pub description: String,
    pub system: String,
    pub priority: Priority,
}

impl NewIncident {
    pub fn parse(
        title: &str,
        description: &str,
        system: &str,
        priority: &str,
    ) -> Result<Self, Vec<(&'static str, Invalid)>> {
        let mut errors = Vec::new();
        let title = parse_title(title)
            .map_err(|e| errors.push(("title", e)))
            .ok();
        let description = parse_message(description)
            .map_err(|e| errors.push(("description", e)))
            .ok();
        let system = parse_system(system)
            .map_err(|e| errors.push(("system", e)))
            .ok();
        let priority = Priority::parse(priority)
            .map_err(|e| errors.push(("priority", e)))
            .ok();
        match (title, description, system, priority) {
            (Some(title), Some(description), Some(system), Some(priority)) => Ok(Self {
                title,
                description,
                system,
                priority,
            }),
            _ => Err(errors),
        }
    }
}

/// Where a page of incidents starts: after the incident with this sort time (its latest
/// activity, or its resolution due time in the queue order) and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncidentAfter {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

/// Which incidents a list shows.
#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    pub state: Option<IncidentState>,
    /// Only those not resolved or closed.
    pub open_only: bool,
    pub priority: Option<Priority>,
    /// Opened by the viewer.
    pub mine: bool,
    /// Assigned to the viewer (staff).
    pub assigned_to_me: bool,
    /// Only these (the search index's answer to the words typed).
    pub ids: Option<Vec<Uuid>>,
    /// Staff: one membership.
    pub membership: Option<Uuid>,
    /// Staff queue order: by resolution due time instead of latest activity.
    pub by_due: bool,
    /// Only those after this one in the list's order (a keyset cursor).
    pub after: Option<IncidentAfter>,
    pub limit: u64,
    pub offset: u64,
}

/// One entry of the timeline as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    pub id: Uuid,
    pub kind: String,
    pub internal: bool,
    pub author_name: String,
    pub body: String,
    pub data: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An attachment as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: Uuid,
    pub event_id: Option<Uuid>,
    pub file: faro_core::downloads::StoredFile,
    pub content_type: String,
    pub internal: bool,
    pub created_at: DateTime<Utc>,
}

/// Event kinds in the timeline.
pub mod kind {
    pub const OPENED: &str = "opened";
    pub const COMMENT: &str = "comment";
    pub const NOTE: &str = "note";
    pub const STATE: &str = "state";
    pub const PRIORITY: &str = "priority";
    pub const ASSIGNED: &str = "assigned";
    pub const CLOSED: &str = "closed";
    pub const REOPENED: &str = "reopened";
    pub const AUTO_CLOSED: &str = "auto_closed";
    pub const REMOTE_REQUESTED: &str = "remote_requested";
    pub const REMOTE_AUTHORISED: &str = "remote_authorised";
    pub const REMOTE_REFUSED: &str = "remote_refused";
    pub const REMOTE_STARTED: &str = "remote_started";
    pub const VISIT_SCHEDULED: &str = "visit_scheduled";
    pub const VISIT_REPORT: &str = "visit_report";
    pub const SOLUTION: &str = "solution";
}

/// What callers render e-mails from: the incident and the change, for each recipient.
pub struct Notice<'a> {
    pub incident: &'a Incident,
    pub recipients: &'a [Person],
}

/// Renders the e-mails for a change. It runs inside the change's transaction, on the blocking
/// pool: it owns what it needs.
pub type Notify = Box<dyn FnOnce(Notice<'_>) -> Result<Vec<OutgoingMail>, String> + Send + 'static>;

/// Incidents as a query still to narrow, ordered or limited.
type Scoped = incidents::BoxedQuery<'static, MultiBackend>;

/// The incidents the viewer may see; `None`: none at all.
fn visible(viewer: &Viewer) -> Option<Scoped> {
    let q = incidents::table.into_boxed();
    match viewer.scope() {
        Scope::AllMemberships => Some(q),
        Scope::Membership(m) => Some(q.filter(incidents::membership_id.eq(Key(m)))),
        Scope::Nothing => None,
    }
}

pub(super) fn corrupt(what: &str) -> StoreError {
    StoreError::Other(format!("stored incident has an unknown {what}"))
}

/// The staff roles, as stored.
fn staff_roles() -> [&'static str; 2] {
    [Role::Admin.as_str(), Role::Agent.as_str()]
}

fn to_incidents(conn: &mut DbConn, rows: Vec<IncidentRow>) -> StoreResult<Vec<Incident>> {
    let names = super::membership_names(conn, rows.iter().map(|r| r.membership_id.0))?;
    let assignees = super::person_names(
        conn,
        rows.iter().filter_map(|r| r.assignee_id.map(Uuid::from)),
    )?;
    rows.into_iter()
        .map(|r| {
            let membership_id = r.membership_id.0;
            let assignee_id = r.assignee_id.map(Uuid::from);
            Ok(Incident {
                priority: Priority::parse(&r.priority).map_err(|_| corrupt("priority"))?,
                state: IncidentState::parse(&r.state).map_err(|_| corrupt("state"))?,
                escalation: Escalation::parse(&r.escalation).map_err(|_| corrupt("escalation"))?,
                membership_name: names
                    .iter()
                    .find(|n| n.0 == membership_id)
                    .map(|n| n.1.clone())
                    .unwrap_or_default(),
                assignee_name: assignee_id
                    .and_then(|a| assignees.iter().find(|n| n.0 == a).map(|n| n.1.clone())),
                id: r.id.0,
                number: r.number,
                membership_id,
                title: r.title,
                description: r.description,
                system: r.system,
                opened_by: r.opened_by.map(Into::into),
                opened_by_name: r.opened_by_name,
                assignee_id,
                created_at: r.created_at.0,
                updated_at: r.updated_at.0,
                first_response_at: r.first_response_at.map(Into::into),
                first_response_due: r.first_response_due.0,
                resolution_due: r.resolution_due.0,
                resolved_at: r.resolved_at.map(Into::into),
                closed_at: r.closed_at.map(Into::into),
            })
        })
        .collect()
}

/// Loads an incident row the viewer may see.
pub(super) fn readable(conn: &mut DbConn, viewer: &Viewer, id: Uuid) -> StoreResult<IncidentRow> {
    visible(viewer)
        .ok_or(StoreError::NotFound)?
        .filter(incidents::id.eq(Key(id)))
        .first::<IncidentRow>(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

/// The next number of `year`, atomically on both backends: the row is made if missing, then
/// bumped and read in one statement.
fn next_number(conn: &mut DbConn, year: i32) -> StoreResult<i64> {
    per_backend!(conn, |c| diesel::insert_into(incident_counters::table)
        .values((
            incident_counters::year.eq(year),
            incident_counters::last.eq(0_i64),
        ))
        .on_conflict(incident_counters::year)
        .do_nothing()
        .execute(c))
    .map_err(db_err)?;
    diesel::update(incident_counters::table.find(year))
        .set(incident_counters::last.eq(incident_counters::last + 1))
        .returning(incident_counters::last)
        .get_result::<i64>(conn)
        .optional()
        .map_err(db_err)?
        .ok_or_else(|| StoreError::Other("incident counter missing".into()))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn add_event(
    conn: &mut DbConn,
    incident_id: Uuid,
    kind: &str,
    internal: bool,
    author: (Option<Uuid>, &str),
    body: &str,
    data: Option<String>,
    ip: Option<&str>,
) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(incident_events::table)
        .values(IncidentEventRow {
            id: Key(id),
            incident_id: Key(incident_id),
            kind: kind.to_owned(),
            internal,
            author_id: author.0.filter(|a| !a.is_nil()).map(Key),
            author_name: clean(author.1, 120),
            body: body.to_owned(),
            data,
            ip: ip.map(|i| clean(i, 64)),
            created_at: Moment(now()),
        })
        .execute(conn)
        .map_err(db_err)?;
    Ok(id)
}

fn attach(
    conn: &mut DbConn,
    incident_id: Uuid,
    event_id: Option<Uuid>,
    internal: bool,
    uploader: Uuid,
    files: &[NewAttachment],
) -> StoreResult<()> {
    for f in files {
        make_ready(conn, f.file_id, f.size, &f.sha256)?;
        diesel::insert_into(incident_attachments::table)
            .values(IncidentAttachmentRow {
                id: Key(Uuid::now_v7()),
                incident_id: Key(incident_id),
                event_id: event_id.map(Key),
                file_id: Key(f.file_id),
                content_type: clean(&f.content_type, 127),
                internal,
                uploaded_by: Some(uploader).filter(|u| !u.is_nil()).map(Key),
                created_at: Moment(now()),
            })
            .execute(conn)
            .map_err(db_err)?;
    }
    Ok(())
}

/// Makes `user_id` a follower (nothing if they already are).
fn follow(conn: &mut DbConn, incident_id: Uuid, user_id: Uuid) -> StoreResult<()> {
    per_backend!(conn, |c| diesel::insert_into(incident_followers::table)
        .values((
            incident_followers::incident_id.eq(Key(incident_id)),
            incident_followers::user_id.eq(Key(user_id)),
        ))
        .on_conflict((incident_followers::incident_id, incident_followers::user_id))
        .do_nothing()
        .execute(c))
    .map_err(db_err)?;
    Ok(())
}

/// Active followers of an incident who may still see it, except `except`.
pub(super) fn followers(
    conn: &mut DbConn,
    incident: &IncidentRow,
    except: Uuid,
) -> StoreResult<Vec<Person>> {
    let ids: Vec<Key> = incident_followers::table
        .filter(incident_followers::incident_id.eq(incident.id))
        .select(incident_followers::user_id)
        .load(conn)
        .map_err(db_err)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let users: Vec<UserRow> = users::table
        .filter(users::id.eq_any(ids))
        .filter(users::active.eq(true))
        .load(conn)
        .map_err(db_err)?;
    let mut out = Vec::new();
    for u in users {
        let still_sees = u.role == Role::Admin.as_str()
            || u.role == Role::Agent.as_str()
            || u.membership_id == Some(incident.membership_id);
        if u.id.0 != except && still_sees {
            out.push(convert::person(u)?);
        }
    }
    Ok(out)
}

/// Queues the mail `notify` renders for the incident's followers (all but `except`).
pub(super) fn tell_followers(
    conn: &mut DbConn,
    updated: IncidentRow,
    except: Uuid,
    notify: impl FnOnce(Notice<'_>) -> Result<Vec<OutgoingMail>, String>,
) -> StoreResult<()> {
    let recipients = followers(conn, &updated, except)?;
    if recipients.is_empty() {
        return Ok(());
    }
    let incident = one(conn, updated)?;
    let mails = notify(Notice {
        incident: &incident,
        recipients: &recipients,
    })
    .map_err(StoreError::Other)?;
    for m in mails {
        outbox::enqueue(conn, &m)?;
    }
    Ok(())
}

pub(super) fn active_staff(conn: &mut DbConn) -> StoreResult<Vec<Person>> {
    users::table
        .filter(users::active.eq(true))
        .filter(users::role.eq_any(staff_roles()))
        .load::<UserRow>(conn)
        .map_err(db_err)?
        .into_iter()
        .map(convert::person)
        .collect()
}

pub(super) fn one(conn: &mut DbConn, row: IncidentRow) -> StoreResult<Incident> {
    to_incidents(conn, vec![row])?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// Sets the columns `$changes` names on the incident `$id` and returns it as stored.
macro_rules! update_incident {
    ($conn:expr, $id:expr, $changes:expr) => {
        diesel::update(incidents::table.find($id))
            .set($changes)
            .returning(incidents::all_columns)
            .get_result::<IncidentRow>($conn)
            .map_err(db_err)
    };
}
pub(super) use update_incident;

fn to_event(e: IncidentEventRow) -> TimelineEvent {
    TimelineEvent {
        id: e.id.0,
        kind: e.kind,
        internal: e.internal,
        author_name: e.author_name,
        body: e.body,
        data: e.data,
        ip: e.ip,
        created_at: e.created_at.0,
    }
}

fn to_attachment(r: IncidentAttachmentRow, file: faro_core::downloads::StoredFile) -> Attachment {
    Attachment {
        id: r.id.0,
        event_id: r.event_id.map(Into::into),
        file,
        content_type: r.content_type,
        internal: r.internal,
        created_at: r.created_at.0,
    }
}

/// A count for SQL's `LIMIT` or `OFFSET` (which take a signed 64-bit number).
fn sql_count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Opens an incident for the viewer's membership, with its attachments. The opener follows
    /// it; for a high-priority incident every active staff member is e-mailed at once.
    pub async fn open_incident(
        &self,
        viewer: &Viewer,
        author_name: &str,
        draft: &NewIncident,
        attachments: &[NewAttachment],
        sla: &Sla,
        notify: Notify,
    ) -> StoreResult<Incident> {
        let Scope::Membership(membership_id) = viewer.scope() else {
            return Err(StoreError::NotFound);
        };
        let user_id = viewer.user_id;
        let author_name = author_name.to_owned();
        let (draft, attachments, sla) = (draft.clone(), attachments.to_vec(), sla.clone());
        self.write(move |c| {
            let at = now();
            let year = at.with_timezone(&faro_core::format::DISPLAY_TZ).year();
            let seq = next_number(c, year)?;
            let (first_due, resolution_due) = sla.dues(draft.priority, at, 0);
            let id = Uuid::now_v7();
            let row: IncidentRow = diesel::insert_into(incidents::table)
                .values(IncidentRow {
                    id: Key(id),
                    number: format_number(year, seq),
                    membership_id: Key(membership_id),
                    title: draft.title.clone(),
                    description: draft.description.clone(),
                    system: draft.system.clone(),
                    priority: draft.priority.as_str().to_owned(),
                    state: IncidentState::New.as_str().to_owned(),
                    escalation: Escalation::FirstLine.as_str().to_owned(),
                    opened_by: Some(Key(user_id)),
                    opened_by_name: clean(&author_name, 120),
                    assignee_id: None,
                    created_at: Moment(at),
                    updated_at: Moment(at),
                    first_response_at: None,
                    first_response_due: Moment(first_due),
                    resolution_due: Moment(resolution_due),
                    paused_minutes: 0,
                    waiting_since: None,
                    resolved_at: None,
                    closed_at: None,
                    solution_article_id: None,
                })
                .returning(incidents::all_columns)
                .get_result(c)
                .map_err(db_err)?;
            let event = add_event(
                c,
                id,
                kind::OPENED,
                false,
                (Some(user_id), &author_name),
                "",
                None,
                None,
            )?;
            attach(c, id, Some(event), false, user_id, &attachments)?;
            follow(c, id, user_id)?;
            log_incident_change(c, id)?;
            let incident = one(c, row)?;
            if draft.priority == Priority::High {
                let staff = active_staff(c)?;
                let mails = notify(Notice {
                    incident: &incident,
                    recipients: &staff,
                })
                .map_err(StoreError::Other)?;
                for m in mails {
                    outbox::enqueue(c, &m)?;
                }
            }
            Ok(incident)
        })
        .await
    }

    /// The incidents the viewer may see that match `filter`.
    pub async fn incidents(
        &self,
        viewer: &Viewer,
        filter: &IncidentFilter,
    ) -> StoreResult<Vec<Incident>> {
        if viewer.scope() == Scope::Nothing {
            return Ok(Vec::new());
        }
        let (viewer, filter) = (viewer.clone(), filter.clone());
        self.run(move |c| {
            let limit = filter.limit.clamp(1, 200);
            let base = |state: Option<IncidentState>| -> Option<Scoped> {
                let mut q = visible(&viewer)?;
                if let Some(s) = state {
                    q = q.filter(incidents::state.eq(s.as_str()));
                }
                if let Some(p) = filter.priority {
                    q = q.filter(incidents::priority.eq(p.as_str()));
                }
                if filter.mine {
                    q = q.filter(incidents::opened_by.eq(Key(viewer.user_id)));
                }
                if filter.assigned_to_me {
                    q = q.filter(incidents::assignee_id.eq(Key(viewer.user_id)));
                }
                if let (Some(m), true) = (filter.membership, viewer.is_staff()) {
                    q = q.filter(incidents::membership_id.eq(Key(m)));
                }
                if let Some(ids) = &filter.ids {
                    q = q.filter(incidents::id.eq_any(ids.iter().copied().map(Key)));
                }
                if let Some(a) = filter.after {
                    let (at, id) = (Moment(a.at), Key(a.id));
                    q = if filter.by_due {
                        q.filter(
                            incidents::resolution_due
                                .gt(at)
                                .or(incidents::resolution_due.eq(at).and(incidents::id.gt(id))),
                        )
                    } else {
                        q.filter(
                            incidents::updated_at
                                .lt(at)
                                .or(incidents::updated_at.eq(at).and(incidents::id.lt(id))),
                        )
                    };
                }
                let q = if filter.by_due {
                    q.order((incidents::resolution_due.asc(), incidents::id.asc()))
                } else {
                    q.order((incidents::updated_at.desc(), incidents::id.desc()))
                };
                Some(q)
            };
            let rows: Vec<IncidentRow> = if filter.state.is_none() && filter.open_only {
                // The open states one by one, each an ordered range of (state, due) or
                // (membership, updated) index, merged here: fast at any table size, where one
                // `state IN (…) ORDER BY …` would sort every open incident.
                let mut rows = Vec::new();
                for s in [
                    IncidentState::New,
                    IncidentState::InProgress,
                    IncidentState::WaitingClient,
                ] {
                    let Some(q) = base(Some(s)) else {
                        return Ok(Vec::new());
                    };
                    rows.extend(
                        q.limit(sql_count(filter.offset.saturating_add(limit)))
                            .load::<IncidentRow>(c)
                            .map_err(db_err)?,
                    );
                }
                if filter.by_due {
                    rows.sort_by(|a, b| {
                        a.resolution_due
                            .cmp(&b.resolution_due)
                            .then(a.id.cmp(&b.id))
                    });
                } else {
                    rows.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
                }
                rows.into_iter()
                    .skip(usize::try_from(filter.offset).unwrap_or(usize::MAX))
                    .take(usize::try_from(limit).unwrap_or(200))
                    .collect()
            } else {
                let Some(q) = base(filter.state) else {
                    return Ok(Vec::new());
                };
                q.limit(sql_count(limit))
                    .offset(sql_count(filter.offset))
                    .load(c)
                    .map_err(db_err)?
            };
            to_incidents(c, rows)
        })
        .await
    }

    /// One incident by number, if the viewer may see it.
    pub async fn incident(&self, viewer: &Viewer, number: &str) -> StoreResult<Incident> {
        let (year, seq) = faro_core::incidents::parse_number(number).ok_or(StoreError::NotFound)?;
        let viewer = viewer.clone();
        self.run(move |c| {
            let row = visible(&viewer)
                .ok_or(StoreError::NotFound)?
                .filter(incidents::number.eq(format_number(year, seq)))
                .first::<IncidentRow>(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            one(c, row)
        })
        .await
    }

    /// The timeline, oldest first; internal entries only for staff.
    pub async fn timeline(
        &self,
        viewer: &Viewer,
        incident_id: Uuid,
    ) -> StoreResult<(Vec<TimelineEvent>, Vec<Attachment>)> {
        let viewer = viewer.clone();
        self.run(move |c| {
            readable(c, &viewer, incident_id)?;
            let mut q = incident_events::table
                .filter(incident_events::incident_id.eq(Key(incident_id)))
                .order((incident_events::created_at.asc(), incident_events::id.asc()))
                .into_boxed();
            let mut a = incident_attachments::table
                .filter(incident_attachments::incident_id.eq(Key(incident_id)))
                .order(incident_attachments::created_at.asc())
                .into_boxed();
            if !viewer.is_staff() {
                q = q.filter(incident_events::internal.eq(false));
                a = a.filter(incident_attachments::internal.eq(false));
            }
            let events = q
                .load::<IncidentEventRow>(c)
                .map_err(db_err)?
                .into_iter()
                .map(to_event)
                .collect();
            let rows: Vec<IncidentAttachmentRow> = a.load(c).map_err(db_err)?;
            let files = files_by_ids(c, rows.iter().map(|r| r.file_id.0).collect())?;
            let attachments = rows
                .into_iter()
                .filter_map(|r| {
                    files
                        .iter()
                        .find(|f| f.id == r.file_id.0)
                        .map(|f| to_attachment(r, f.clone()))
                })
                .collect();
            Ok((events, attachments))
        })
        .await
    }

    /// An attachment, if the viewer may see its incident (and it is not internal, for clients).
    pub async fn incident_attachment(
        &self,
        viewer: &Viewer,
        attachment_id: Uuid,
    ) -> StoreResult<Attachment> {
        let viewer = viewer.clone();
        self.run(move |c| {
            let row: IncidentAttachmentRow = incident_attachments::table
                .find(Key(attachment_id))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            if row.internal && !viewer.is_staff() {
                return Err(StoreError::NotFound);
            }
            readable(c, &viewer, row.incident_id.0)?;
            let file = files_by_ids(c, vec![row.file_id.0])?
                .pop()
                .ok_or(StoreError::NotFound)?;
            Ok(to_attachment(row, file))
        })
        .await
    }

    /// A comment (public) or, for staff, an internal note, with attachments. Followers are
    /// e-mailed about public comments; a staff member's first public comment is the first
    /// response.
    #[allow(clippy::too_many_arguments)]
    pub async fn comment_incident(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        body: &str,
        internal: bool,
        attachments: &[NewAttachment],
        notify: Notify,
    ) -> StoreResult<()> {
        if internal && !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let body = if body.trim().is_empty() && !attachments.is_empty() {
            String::new()
        } else {
            parse_message(body)?
        };
        let (viewer, author_name, attachments) =
            (viewer.clone(), author_name.to_owned(), attachments.to_vec());
        self.write(move |c| {
            let row = readable(c, &viewer, incident_id)?;
            let event = add_event(
                c,
                incident_id,
                if internal { kind::NOTE } else { kind::COMMENT },
                internal,
                (Some(viewer.user_id), &author_name),
                &body,
                None,
                None,
            )?;
            attach(
                c,
                incident_id,
                Some(event),
                internal,
                viewer.user_id,
                &attachments,
            )?;
            let at = Moment(now());
            let first_response =
                (viewer.is_staff() && !internal && row.first_response_at.is_none())
                    .then(|| incidents::first_response_at.eq(Some(at)));
            let updated =
                update_incident!(c, row.id, (incidents::updated_at.eq(at), first_response))?;
            if !internal {
                log_incident_change(c, incident_id)?;
                if !viewer.is_staff() {
                    follow(c, incident_id, viewer.user_id)?;
                }
                tell_followers(c, updated, viewer.user_id, notify)?;
            }
            Ok(())
        })
        .await
    }

    /// Follows or stops following an incident.
    pub async fn set_following(
        &self,
        viewer: &Viewer,
        incident_id: Uuid,
        on: bool,
    ) -> StoreResult<()> {
        let viewer = viewer.clone();
        self.run(move |c| {
            readable(c, &viewer, incident_id)?;
            if on {
                follow(c, incident_id, viewer.user_id)
            } else {
                diesel::delete(
                    incident_followers::table
                        .filter(incident_followers::incident_id.eq(Key(incident_id)))
                        .filter(incident_followers::user_id.eq(Key(viewer.user_id))),
                )
                .execute(c)
                .map_err(db_err)?;
                Ok(())
            }
        })
        .await
    }

    pub async fn is_following(&self, viewer: &Viewer, incident_id: Uuid) -> StoreResult<bool> {
        let user_id = viewer.user_id;
        self.run(move |c| {
            let n: i64 = incident_followers::table
                .filter(incident_followers::incident_id.eq(Key(incident_id)))
                .filter(incident_followers::user_id.eq(Key(user_id)))
                .count()
                .get_result(c)
                .map_err(db_err)?;
            Ok(n > 0)
        })
        .await
    }

    /// Moves an incident to another state: staff along `IncidentState::staff_targets`; client
    /// people close a resolved incident (confirming the fix) or reopen a resolved or closed one.
    /// Waiting for the client pauses the SLA clock; the paused working time moves both due
    /// times.
    #[allow(clippy::too_many_arguments)]
    pub async fn change_state(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        to: IncidentState,
        remark: &str,
        sla: &Sla,
        notify: Notify,
    ) -> StoreResult<()> {
        let (viewer, author_name, remark, sla) = (
            viewer.clone(),
            author_name.to_owned(),
            remark.to_owned(),
            sla.clone(),
        );
        self.write(move |c| {
            let row = readable(c, &viewer, incident_id)?;
            let from = IncidentState::parse(&row.state).map_err(|_| corrupt("state"))?;
            let allowed = if viewer.is_staff() {
                // Staff close only with the client's confirmation written down (by phone, say).
                from.staff_targets().contains(&to)
                    || (from, to) == (IncidentState::Resolved, IncidentState::Closed)
                        && !remark.trim().is_empty()
            } else {
                matches!(
                    (from, to),
                    (IncidentState::Resolved, IncidentState::Closed)
                        | (IncidentState::Resolved, IncidentState::InProgress)
                        | (IncidentState::Closed, IncidentState::InProgress)
                )
            };
            if !allowed {
                return Err(StoreError::Conflict(faro_core::Conflict::NotAllowedNow));
            }
            let at = now();
            let priority = Priority::parse(&row.priority).map_err(|_| corrupt("priority"))?;
            // Leaving "waiting for the client": the paused time moves both due times.
            let resumed = match row.waiting_since {
                Some(since) if to != IncidentState::WaitingClient => {
                    let paused = row.paused_minutes + sla.hours.minutes_between(since.0, at);
                    let (first_due, resolution_due) = sla.dues(priority, row.created_at.0, paused);
                    Some((paused, first_due, resolution_due))
                }
                _ => None,
            };
            let waiting_since = if to == IncidentState::WaitingClient {
                Some(Some(Moment(at)))
            } else if resumed.is_some() {
                Some(None)
            } else {
                None
            };
            let (resolved_at, closed_at) = match to {
                IncidentState::Resolved => (Some(Some(Moment(at))), None),
                IncidentState::Closed => (None, Some(Some(Moment(at)))),
                IncidentState::InProgress if !from.is_open() => (Some(None), Some(None)),
                _ => (None, None),
            };
            let first_response = (viewer.is_staff() && row.first_response_at.is_none())
                .then(|| incidents::first_response_at.eq(Some(Moment(at))));
            let updated = update_incident!(
                c,
                row.id,
                (
                    incidents::state.eq(to.as_str()),
                    incidents::updated_at.eq(Moment(at)),
                    resumed.map(|(paused, first_due, resolution_due)| {
                        (
                            incidents::paused_minutes.eq(paused),
                            incidents::first_response_due.eq(Moment(first_due)),
                            incidents::resolution_due.eq(Moment(resolution_due)),
                        )
                    }),
                    waiting_since.map(|w: Option<Moment>| incidents::waiting_since.eq(w)),
                    resolved_at.map(|r: Option<Moment>| incidents::resolved_at.eq(r)),
                    closed_at.map(|r: Option<Moment>| incidents::closed_at.eq(r)),
                    first_response,
                )
            )?;
            let event_kind = match (from, to) {
                (_, IncidentState::Closed) => kind::CLOSED,
                (IncidentState::Resolved | IncidentState::Closed, IncidentState::InProgress) => {
                    kind::REOPENED
                }
                _ => kind::STATE,
            };
            let remark = clean(remark.trim(), 2000);
            add_event(
                c,
                incident_id,
                event_kind,
                false,
                (Some(viewer.user_id), &author_name),
                &remark,
                Some(format!("{}>{}", from.as_str(), to.as_str())),
                None,
            )?;
            tell_followers(c, updated, viewer.user_id, notify)
        })
        .await
    }

    /// Staff change the priority; the due times follow the new targets and followers are told.
    pub async fn change_priority(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        to: Priority,
        sla: &Sla,
        notify: Notify,
    ) -> StoreResult<()> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let (viewer, author_name, sla) = (viewer.clone(), author_name.to_owned(), sla.clone());
        self.write(move |c| {
            let row = readable(c, &viewer, incident_id)?;
            if row.priority == to.as_str() {
                // Nothing written: the (empty) transaction commits.
                return Ok(());
            }
            let (first_due, resolution_due) = sla.dues(to, row.created_at.0, row.paused_minutes);
            let data = Some(format!("{}>{}", row.priority, to.as_str()));
            let updated = update_incident!(
                c,
                row.id,
                (
                    incidents::priority.eq(to.as_str()),
                    incidents::first_response_due.eq(Moment(first_due)),
                    incidents::resolution_due.eq(Moment(resolution_due)),
                    incidents::updated_at.eq(Moment(now())),
                )
            )?;
            add_event(
                c,
                incident_id,
                kind::PRIORITY,
                false,
                (Some(viewer.user_id), &author_name),
                "",
                data,
                None,
            )?;
            tell_followers(c, updated, viewer.user_id, notify)
        })
        .await
    }

    /// Staff assign an incident to a staff member (or to nobody).
    pub async fn assign_incident(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        assignee: Option<Uuid>,
    ) -> StoreResult<()> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let (viewer, author_name) = (viewer.clone(), author_name.to_owned());
        self.write(move |c| {
            let row = readable(c, &viewer, incident_id)?;
            let name = match assignee {
                Some(a) => {
                    let name: String = users::table
                        .find(Key(a))
                        .filter(users::active.eq(true))
                        .filter(users::role.eq_any(staff_roles()))
                        .select(users::name)
                        .first(c)
                        .optional()
                        .map_err(db_err)?
                        .ok_or(Invalid::Assignee)?;
                    follow(c, incident_id, a)?;
                    name
                }
                None => String::new(),
            };
            diesel::update(incidents::table.find(row.id))
                .set((
                    incidents::assignee_id.eq(assignee.map(Key)),
                    incidents::updated_at.eq(Moment(now())),
                ))
                .execute(c)
                .map_err(db_err)?;
            add_event(
                c,
                incident_id,
                kind::ASSIGNED,
                true,
                (Some(viewer.user_id), &author_name),
                &name,
                None,
                None,
            )?;
            Ok(())
        })
        .await
    }
}

/// Incident changes the search index follows (public text only; internal notes never).
fn log_incident_change(conn: &mut DbConn, id: Uuid) -> StoreResult<()> {
    super::search_log::log_change(conn, id, now())
}

impl Store {
    /// Staff link a knowledge-base article as the solution. It must be published and visible
    /// to the incident's membership, so the client can open it.
    pub async fn link_solution(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        article_slug: &str,
    ) -> StoreResult<()> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let slug = faro_core::kb::Slug::parse(article_slug.trim())
            .map_err(|_| Invalid::SolutionArticle)?
            .as_str()
            .to_owned();
        let (viewer, author_name) = (viewer.clone(), author_name.to_owned());
        self.write(move |c| {
            let row = readable(c, &viewer, incident_id)?;
            let (article_id, title, slug): (Key, String, String) = kb_articles::table
                .filter(kb_articles::slug.eq(&slug))
                .filter(kb_articles::state.eq(faro_core::kb::ArticleState::Published.as_str()))
                .filter(
                    kb_articles::membership_id
                        .is_null()
                        .or(kb_articles::membership_id.eq(row.membership_id)),
                )
                .select((kb_articles::id, kb_articles::title, kb_articles::slug))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(Invalid::SolutionArticle)?;
            diesel::update(incidents::table.find(row.id))
                .set((
                    incidents::solution_article_id.eq(Some(article_id)),
                    incidents::updated_at.eq(Moment(now())),
                ))
                .execute(c)
                .map_err(db_err)?;
            add_event(
                c,
                incident_id,
                kind::SOLUTION,
                false,
                (Some(viewer.user_id), &author_name),
                &title,
                Some(slug),
                None,
            )?;
            Ok(())
        })
        .await
    }

    /// The solution article's slug and title, if one is linked and the viewer may read it.
    pub async fn solution_of(
        &self,
        viewer: &Viewer,
        incident: &Incident,
    ) -> StoreResult<Option<(String, String)>> {
        let (reader, incident_id) = (viewer.clone(), incident.id);
        let linked = self
            .run(move |c| Ok(readable(c, &reader, incident_id)?.solution_article_id))
            .await?;
        match linked {
            Some(id) => Ok(self.article_links(viewer, &[id.0]).await?.pop()),
            None => Ok(None),
        }
    }

    /// Turns an incident and its public answers into a draft article (a troubleshooting
    /// procedure for the incident's membership) for staff to edit and publish.
    pub async fn draft_article_from_incident(
        &self,
        viewer: &Viewer,
        author: &super::kb_articles::Author,
        incident_id: Uuid,
    ) -> StoreResult<String> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let reader = viewer.clone();
        let (row, answers, staff_ids) = self
            .run(move |c| {
                let row = readable(c, &reader, incident_id)?;
                let answers: Vec<(Option<Key>, String)> = incident_events::table
                    .filter(incident_events::incident_id.eq(Key(incident_id)))
                    .filter(incident_events::internal.eq(false))
                    .filter(incident_events::kind.eq_any([
                        kind::COMMENT,
                        kind::STATE,
                        kind::VISIT_REPORT,
                    ]))
                    .order(incident_events::created_at.asc())
                    .select((incident_events::author_id, incident_events::body))
                    .load(c)
                    .map_err(db_err)?;
                let staff_ids: Vec<Key> = users::table
                    .filter(users::role.eq_any(staff_roles()))
                    .select(users::id)
                    .load(c)
                    .map_err(db_err)?;
                Ok((row, answers, staff_ids))
            })
            .await?;
        let mut body = format!("## Síntoma\n\n{}\n", row.description);
        if !row.system.is_empty() {
            body.push_str(&format!("\nSistema afectado: {}\n", row.system));
        }
        body.push_str("\n## Solución\n\n");
        for (_, text) in answers
            .iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .filter(|(author, _)| author.is_some_and(|a| staff_ids.contains(&a)))
        {
            body.push_str(text.trim());
            body.push_str("\n\n");
        }
        let draft = faro_core::kb::ArticleDraft {
            title: row.title.clone(),
            summary: String::new(),
            body,
            kind: faro_core::kb::ArticleKind::Procedure,
            state: faro_core::kb::ArticleState::Draft,
            category_id: None,
            membership_id: Some(row.membership_id.0),
            tags: Vec::new(),
            note: format!("Creado a partir de {}", row.number),
        };
        let article = self.create_article(viewer, author, draft).await?;
        Ok(article.slug)
    }

    /// Closes incidents resolved before `before` (the client did not answer), with a notice to
    /// their followers. Returns how many were closed. Each closes in its own transaction.
    pub async fn auto_close_resolved(
        &self,
        before: DateTime<Utc>,
        notify: impl Fn(Notice<'_>) -> Result<Vec<OutgoingMail>, String> + Send + Sync + 'static,
    ) -> StoreResult<usize> {
        let due: Vec<Key> = self
            .run(move |c| {
                incidents::table
                    .filter(incidents::state.eq(IncidentState::Resolved.as_str()))
                    .filter(incidents::resolved_at.lt(Moment(before)))
                    .select(incidents::id)
                    .limit(500)
                    .load(c)
                    .map_err(db_err)
            })
            .await?;
        let notify = Arc::new(notify);
        let mut closed = 0;
        for id in due {
            let notify = notify.clone();
            let done = self
                .write(move |c| {
                    // Re-read under the write lock: someone may have reopened it meanwhile (then
                    // nothing is written).
                    let Some(row) = incidents::table
                        .find(id)
                        .filter(incidents::state.eq(IncidentState::Resolved.as_str()))
                        .first::<IncidentRow>(c)
                        .optional()
                        .map_err(db_err)?
                    else {
                        return Ok(false);
                    };
                    let at = Moment(now());
                    let updated = update_incident!(
                        c,
                        row.id,
                        (
                            incidents::state.eq(IncidentState::Closed.as_str()),
                            incidents::closed_at.eq(Some(at)),
                            incidents::updated_at.eq(at),
                        )
                    )?;
                    add_event(
                        c,
                        id.0,
                        kind::AUTO_CLOSED,
                        false,
                        (None, "Faro"),
                        "",
                        Some(format!(
                            "{}>{}",
                            IncidentState::Resolved.as_str(),
                            IncidentState::Closed.as_str()
                        )),
                        None,
                    )?;
                    tell_followers(c, updated, Uuid::nil(), &*notify)?;
                    Ok(true)
                })
                .await?;
            if done {
                closed += 1;
            }
        }
        Ok(closed)
    }

    /// Incidents among `ids` the viewer may see (search results).
    pub async fn incidents_by_ids(
        &self,
        viewer: &Viewer,
        ids: &[Uuid],
    ) -> StoreResult<Vec<Incident>> {
        if ids.is_empty() || viewer.scope() == Scope::Nothing {
            return Ok(Vec::new());
        }
        let (viewer, ids) = (viewer.clone(), ids.to_vec());
        self.run(move |c| {
            let Some(q) = visible(&viewer) else {
                return Ok(Vec::new());
            };
            let rows = q
                .filter(incidents::id.eq_any(ids.into_iter().map(Key)))
                .load::<IncidentRow>(c)
                .map_err(db_err)?;
            to_incidents(c, rows)
        })
        .await
    }

    /// Incidents for the search index with their public comments (never internal notes).
    pub async fn incidents_for_index(
        &self,
        ids: Vec<Uuid>,
    ) -> StoreResult<Vec<(Incident, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.run(move |c| {
            let keys: Vec<Key> = ids.into_iter().map(Key).collect();
            let rows = incidents::table
                .filter(incidents::id.eq_any(&keys))
                .load::<IncidentRow>(c)
                .map_err(db_err)?;
            let incidents = to_incidents(c, rows)?;
            let comments: Vec<(Key, String)> = incident_events::table
                .filter(incident_events::incident_id.eq_any(&keys))
                .filter(incident_events::internal.eq(false))
                .filter(incident_events::kind.eq(kind::COMMENT))
                .select((incident_events::incident_id, incident_events::body))
                .load(c)
                .map_err(db_err)?;
            Ok(incidents
                .into_iter()
                .map(|i| {
                    let text = comments
                        .iter()
                        .filter(|(incident, _)| incident.0 == i.id)
                        .map(|(_, body)| body.as_str())
                        .collect::<Vec<_>>()
                        .join("\n\n");
                    (i, text)
                })
                .collect())
        })
        .await
    }

    /// Ids of every incident, for a full reindex.
    pub async fn all_incident_ids(&self) -> StoreResult<Vec<Uuid>> {
        self.run(|c| {
            let ids: Vec<Key> = incidents::table
                .select(incidents::id)
                .load(c)
                .map_err(db_err)?;
            Ok(ids.into_iter().map(Uuid::from).collect())
        })
        .await
    }
}
