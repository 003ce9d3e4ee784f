//! Incidents: opened by client people, seen and worked on by everyone in their membership and by
//! staff. Another membership's incident is `NotFound` everywhere; internal notes and internal
//! attachments never leave the store for a client viewer.

use chrono::{DateTime, Datelike, Utc};
use faro_core::incidents::{
    Escalation, Incident, IncidentState, Priority, format_number, parse_message, parse_system,
};
use faro_core::kb::parse_title;
use faro_core::records::{OutgoingMail, Person};
use faro_core::sla::{BusinessHours, Targets};
use faro_core::viewer::Scope;
use faro_core::{Invalid, Role, StoreError, StoreResult, Viewer};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::legacy::enqueue_mail;
use super::legacy::{files_by_ids, make_ready};
use super::{clean, now};
use crate::entity::{
    incident, incident_attachment, incident_counter, incident_event, incident_follower, user,
};
use crate::{Store, convert, db_err};

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
    fn target(&self, p: Priority) -> faro_core::sla::Target {
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

pub type Notify<'a> = Box<dyn FnOnce(Notice<'_>) -> Result<Vec<OutgoingMail>, String> + Send + 'a>;

fn visible(viewer: &Viewer) -> Option<Condition> {
    match viewer.scope() {
        Scope::AllMemberships => Some(Condition::all()),
        Scope::Membership(m) => Some(Condition::all().add(incident::Column::MembershipId.eq(m))),
        Scope::Nothing => None,
    }
}

pub(super) fn corrupt(what: &str) -> StoreError {
    StoreError::Other(format!("stored incident has an unknown {what}"))
}

async fn to_incidents(
    conn: &impl ConnectionTrait,
    rows: Vec<incident::Model>,
) -> StoreResult<Vec<Incident>> {
    let names = super::legacy::membership_names(conn, rows.iter().map(|r| r.membership_id)).await?;
    let assignees =
        super::legacy::person_names(conn, rows.iter().filter_map(|r| r.assignee_id)).await?;
    rows.into_iter()
        .map(|r| {
            Ok(Incident {
                priority: Priority::parse(&r.priority).map_err(|_| corrupt("priority"))?,
                state: IncidentState::parse(&r.state).map_err(|_| corrupt("state"))?,
                escalation: Escalation::parse(&r.escalation).map_err(|_| corrupt("escalation"))?,
                membership_name: names
                    .iter()
                    .find(|n| n.0 == r.membership_id)
                    .map(|n| n.1.clone())
                    .unwrap_or_default(),
                assignee_name: r
                    .assignee_id
                    .and_then(|a| assignees.iter().find(|n| n.0 == a).map(|n| n.1.clone())),
                id: r.id,
                number: r.number,
                membership_id: r.membership_id,
                title: r.title,
                description: r.description,
                system: r.system,
                opened_by: r.opened_by,
                opened_by_name: r.opened_by_name,
                assignee_id: r.assignee_id,
                created_at: r.created_at,
                updated_at: r.updated_at,
                first_response_at: r.first_response_at,
                first_response_due: r.first_response_due,
                resolution_due: r.resolution_due,
                resolved_at: r.resolved_at,
                closed_at: r.closed_at,
            })
        })
        .collect()
}

/// Loads an incident row the viewer may see.
pub(super) async fn readable(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> StoreResult<incident::Model> {
    let scope = visible(viewer).ok_or(StoreError::NotFound)?;
    incident::Entity::find_by_id(id)
        .filter(scope)
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

/// The next number of `year`, atomically on both backends.
async fn next_number(conn: &impl ConnectionTrait, year: i32) -> StoreResult<i64> {
    incident_counter::Entity::insert(incident_counter::ActiveModel {
        year: Set(year),
        last: Set(0),
    })
    .on_conflict(
        OnConflict::column(incident_counter::Column::Year)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await
    .map_err(db_err)?;
    let rows = incident_counter::Entity::update_many()
        .col_expr(
            incident_counter::Column::Last,
            Expr::col(incident_counter::Column::Last).add(1),
        )
        .filter(incident_counter::Column::Year.eq(year))
        .exec_with_returning(conn)
        .await
        .map_err(db_err)?;
    rows.first()
        .map(|r| r.last)
        .ok_or_else(|| StoreError::Other("incident counter missing".into()))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn add_event(
    conn: &impl ConnectionTrait,
    incident_id: Uuid,
    kind: &str,
    internal: bool,
    author: (Option<Uuid>, &str),
    body: &str,
    data: Option<String>,
    ip: Option<&str>,
) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    incident_event::ActiveModel {
        id: Set(id),
        incident_id: Set(incident_id),
        kind: Set(kind.to_owned()),
        internal: Set(internal),
        author_id: Set(author.0.filter(|a| !a.is_nil())),
        author_name: Set(clean(author.1, 120)),
        body: Set(body.to_owned()),
        data: Set(data),
        ip: Set(ip.map(|i| clean(i, 64))),
        created_at: Set(now()),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    Ok(id)
}

async fn attach(
    conn: &impl ConnectionTrait,
    incident_id: Uuid,
    event_id: Option<Uuid>,
    internal: bool,
    uploader: Uuid,
    files: &[NewAttachment],
) -> StoreResult<()> {
    for f in files {
        make_ready(conn, f.file_id, f.size, &f.sha256).await?;
        incident_attachment::ActiveModel {
            id: Set(Uuid::now_v7()),
            incident_id: Set(incident_id),
            event_id: Set(event_id),
            file_id: Set(f.file_id),
            content_type: Set(clean(&f.content_type, 127)),
            internal: Set(internal),
            uploaded_by: Set(Some(uploader).filter(|u| !u.is_nil())),
            created_at: Set(now()),
        }
        .insert(conn)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

async fn follow(conn: &impl ConnectionTrait, incident_id: Uuid, user_id: Uuid) -> StoreResult<()> {
    incident_follower::Entity::insert(incident_follower::ActiveModel {
        incident_id: Set(incident_id),
        user_id: Set(user_id),
    })
    .on_conflict(
        OnConflict::columns([
            incident_follower::Column::IncidentId,
            incident_follower::Column::UserId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Active followers of an incident who may still see it, except `except`.
pub(super) async fn followers(
    conn: &impl ConnectionTrait,
    incident: &incident::Model,
    except: Uuid,
) -> StoreResult<Vec<Person>> {
    let ids: Vec<Uuid> = incident_follower::Entity::find()
        .select_only()
        .column(incident_follower::Column::UserId)
        .filter(incident_follower::Column::IncidentId.eq(incident.id))
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)?;
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .filter(user::Column::Active.eq(true))
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut out = Vec::new();
    for u in users {
        let still_sees = u.role == Role::Admin.as_str()
            || u.role == Role::Agent.as_str()
            || u.membership_id == Some(incident.membership_id);
        if u.id != except && still_sees {
            out.push(convert::person_model(u)?);
        }
    }
    Ok(out)
}

/// Queues the mail `notify` renders for the incident's followers (all but `except`).
pub(super) async fn tell_followers(
    conn: &impl ConnectionTrait,
    updated: incident::Model,
    except: Uuid,
    notify: impl FnOnce(Notice<'_>) -> Result<Vec<OutgoingMail>, String>,
) -> StoreResult<()> {
    let recipients = followers(conn, &updated, except).await?;
    if recipients.is_empty() {
        return Ok(());
    }
    let incident = one(conn, updated).await?;
    let mails = notify(Notice {
        incident: &incident,
        recipients: &recipients,
    })
    .map_err(StoreError::Other)?;
    for m in mails {
        enqueue_mail(conn, &m).await?;
    }
    Ok(())
}

pub(super) async fn active_staff(conn: &impl ConnectionTrait) -> StoreResult<Vec<Person>> {
    user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in([Role::Admin.as_str(), Role::Agent.as_str()]))
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(convert::person_model)
        .collect()
}

pub(super) async fn one(
    conn: &impl ConnectionTrait,
    row: incident::Model,
) -> StoreResult<Incident> {
    to_incidents(conn, vec![row])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
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
        notify: Notify<'_>,
    ) -> StoreResult<Incident> {
        let Scope::Membership(membership_id) = viewer.scope() else {
            return Err(StoreError::NotFound);
        };
        let tx = self.write_tx().await?;
        let at = now();
        let year = at.with_timezone(&faro_core::format::DISPLAY_TZ).year();
        let seq = next_number(&tx, year).await?;
        let (first_due, resolution_due) = sla.dues(draft.priority, at, 0);
        let id = Uuid::now_v7();
        let row = incident::ActiveModel {
            id: Set(id),
            number: Set(format_number(year, seq)),
            membership_id: Set(membership_id),
            title: Set(draft.title.clone()),
            description: Set(draft.description.clone()),
            system: Set(draft.system.clone()),
            priority: Set(draft.priority.as_str().to_owned()),
            state: Set(IncidentState::New.as_str().to_owned()),
            escalation: Set(Escalation::FirstLine.as_str().to_owned()),
            opened_by: Set(Some(viewer.user_id)),
            opened_by_name: Set(clean(author_name, 120)),
            assignee_id: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            first_response_at: Set(None),
            first_response_due: Set(first_due),
            resolution_due: Set(resolution_due),
            paused_minutes: Set(0),
            waiting_since: Set(None),
            resolved_at: Set(None),
            closed_at: Set(None),
            solution_article_id: Set(None),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        let event = add_event(
            &tx,
            id,
            kind::OPENED,
            false,
            (Some(viewer.user_id), author_name),
            "",
            None,
            None,
        )
        .await?;
        attach(&tx, id, Some(event), false, viewer.user_id, attachments).await?;
        follow(&tx, id, viewer.user_id).await?;
        log_incident_change(&tx, id).await?;
        let incident = one(&tx, row).await?;
        if draft.priority == Priority::High {
            let staff = active_staff(&tx).await?;
            let mails = notify(Notice {
                incident: &incident,
                recipients: &staff,
            })
            .map_err(StoreError::Other)?;
            for m in mails {
                enqueue_mail(&tx, &m).await?;
            }
        }
        self.commit(tx).await?;
        Ok(incident)
    }

    /// The incidents the viewer may see that match `filter`.
    pub async fn incidents(
        &self,
        viewer: &Viewer,
        filter: &IncidentFilter,
    ) -> StoreResult<Vec<Incident>> {
        let Some(scope) = visible(viewer) else {
            return Ok(Vec::new());
        };
        let limit = filter.limit.clamp(1, 200);
        let base = |state: Option<IncidentState>| {
            let mut q = incident::Entity::find().filter(scope.clone());
            if let Some(s) = state {
                q = q.filter(incident::Column::State.eq(s.as_str()));
            }
            if let Some(p) = filter.priority {
                q = q.filter(incident::Column::Priority.eq(p.as_str()));
            }
            if filter.mine {
                q = q.filter(incident::Column::OpenedBy.eq(viewer.user_id));
            }
            if filter.assigned_to_me {
                q = q.filter(incident::Column::AssigneeId.eq(viewer.user_id));
            }
            if let (Some(m), true) = (filter.membership, viewer.is_staff()) {
                q = q.filter(incident::Column::MembershipId.eq(m));
            }
            if let Some(ids) = &filter.ids {
                q = q.filter(incident::Column::Id.is_in(ids.clone()));
            }
            q
        };
        let rows = if filter.state.is_none() && filter.open_only {
            // The open states one by one, each an ordered range of (state, due) or
            // (membership, updated) index, merged here: fast at any table size, where one
            // `state IN (…) ORDER BY …` would sort every open incident.
            let mut rows = Vec::new();
            for s in [
                IncidentState::New,
                IncidentState::InProgress,
                IncidentState::WaitingClient,
            ] {
                let q = if filter.by_due {
                    base(Some(s))
                        .order_by_asc(incident::Column::ResolutionDue)
                        .order_by_asc(incident::Column::Id)
                } else {
                    base(Some(s))
                        .order_by_desc(incident::Column::UpdatedAt)
                        .order_by_desc(incident::Column::Id)
                };
                rows.extend(
                    q.limit(filter.offset + limit)
                        .all(self.conn())
                        .await
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
            let q = if filter.by_due {
                base(filter.state)
                    .order_by_asc(incident::Column::ResolutionDue)
                    .order_by_asc(incident::Column::Id)
            } else {
                base(filter.state)
                    .order_by_desc(incident::Column::UpdatedAt)
                    .order_by_desc(incident::Column::Id)
            };
            q.limit(limit)
                .offset(filter.offset)
                .all(self.conn())
                .await
                .map_err(db_err)?
        };
        to_incidents(self.conn(), rows).await
    }

    /// One incident by number, if the viewer may see it.
    pub async fn incident(&self, viewer: &Viewer, number: &str) -> StoreResult<Incident> {
        let (year, seq) = faro_core::incidents::parse_number(number).ok_or(StoreError::NotFound)?;
        let scope = visible(viewer).ok_or(StoreError::NotFound)?;
        let row = incident::Entity::find()
            .filter(scope)
            .filter(incident::Column::Number.eq(format_number(year, seq)))
            .one(self.conn())
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        one(self.conn(), row).await
    }

    /// The timeline, oldest first; internal entries only for staff.
    pub async fn timeline(
        &self,
        viewer: &Viewer,
        incident_id: Uuid,
    ) -> StoreResult<(Vec<TimelineEvent>, Vec<Attachment>)> {
        readable(self.conn(), viewer, incident_id).await?;
        let mut q = incident_event::Entity::find()
            .filter(incident_event::Column::IncidentId.eq(incident_id))
            .order_by_asc(incident_event::Column::CreatedAt)
            .order_by_asc(incident_event::Column::Id);
        let mut a = incident_attachment::Entity::find()
            .filter(incident_attachment::Column::IncidentId.eq(incident_id))
            .order_by_asc(incident_attachment::Column::CreatedAt);
        if !viewer.is_staff() {
            q = q.filter(incident_event::Column::Internal.eq(false));
            a = a.filter(incident_attachment::Column::Internal.eq(false));
        }
        let events = q
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|e| TimelineEvent {
                id: e.id,
                kind: e.kind,
                internal: e.internal,
                author_name: e.author_name,
                body: e.body,
                data: e.data,
                ip: e.ip,
                created_at: e.created_at,
            })
            .collect();
        let rows = a.all(self.conn()).await.map_err(db_err)?;
        let files = files_by_ids(self.conn(), rows.iter().map(|r| r.file_id).collect()).await?;
        let attachments = rows
            .into_iter()
            .filter_map(|r| {
                files
                    .iter()
                    .find(|f| f.id == r.file_id)
                    .map(|f| Attachment {
                        id: r.id,
                        event_id: r.event_id,
                        file: f.clone(),
                        content_type: r.content_type,
                        internal: r.internal,
                        created_at: r.created_at,
                    })
            })
            .collect();
        Ok((events, attachments))
    }

    /// An attachment, if the viewer may see its incident (and it is not internal, for clients).
    pub async fn incident_attachment(
        &self,
        viewer: &Viewer,
        attachment_id: Uuid,
    ) -> StoreResult<Attachment> {
        let row = incident_attachment::Entity::find_by_id(attachment_id)
            .one(self.conn())
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        if row.internal && !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        readable(self.conn(), viewer, row.incident_id).await?;
        let file = files_by_ids(self.conn(), vec![row.file_id])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        Ok(Attachment {
            id: row.id,
            event_id: row.event_id,
            file,
            content_type: row.content_type,
            internal: row.internal,
            created_at: row.created_at,
        })
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
        notify: Notify<'_>,
    ) -> StoreResult<()> {
        if internal && !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let body = if body.trim().is_empty() && !attachments.is_empty() {
            String::new()
        } else {
            parse_message(body)?
        };
        let tx = self.write_tx().await?;
        let row = readable(&tx, viewer, incident_id).await?;
        let event = add_event(
            &tx,
            incident_id,
            if internal { kind::NOTE } else { kind::COMMENT },
            internal,
            (Some(viewer.user_id), author_name),
            &body,
            None,
            None,
        )
        .await?;
        attach(
            &tx,
            incident_id,
            Some(event),
            internal,
            viewer.user_id,
            attachments,
        )
        .await?;
        let at = now();
        let mut active: incident::ActiveModel = row.clone().into();
        active.updated_at = Set(at);
        if viewer.is_staff() && !internal && row.first_response_at.is_none() {
            active.first_response_at = Set(Some(at));
        }
        let updated = active.update(&tx).await.map_err(db_err)?;
        if !internal {
            log_incident_change(&tx, incident_id).await?;
            if !viewer.is_staff() {
                follow(&tx, incident_id, viewer.user_id).await?;
            }
            tell_followers(&tx, updated, viewer.user_id, notify).await?;
        }
        self.commit(tx).await
    }

    /// Follows or stops following an incident.
    pub async fn set_following(
        &self,
        viewer: &Viewer,
        incident_id: Uuid,
        on: bool,
    ) -> StoreResult<()> {
        readable(self.conn(), viewer, incident_id).await?;
        if on {
            follow(self.conn(), incident_id, viewer.user_id).await
        } else {
            incident_follower::Entity::delete_many()
                .filter(incident_follower::Column::IncidentId.eq(incident_id))
                .filter(incident_follower::Column::UserId.eq(viewer.user_id))
                .exec(self.conn())
                .await
                .map_err(db_err)?;
            Ok(())
        }
    }

    pub async fn is_following(&self, viewer: &Viewer, incident_id: Uuid) -> StoreResult<bool> {
        Ok(incident_follower::Entity::find()
            .filter(incident_follower::Column::IncidentId.eq(incident_id))
            .filter(incident_follower::Column::UserId.eq(viewer.user_id))
            .one(self.conn())
            .await
            .map_err(db_err)?
            .is_some())
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
        notify: Notify<'_>,
    ) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        let row = readable(&tx, viewer, incident_id).await?;
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
        let mut active: incident::ActiveModel = row.clone().into();
        active.state = Set(to.as_str().to_owned());
        active.updated_at = Set(at);
        if let Some(since) = row.waiting_since
            && to != IncidentState::WaitingClient
        {
            let paused = row.paused_minutes + sla.hours.minutes_between(since, at);
            let (first_due, resolution_due) = sla.dues(priority, row.created_at, paused);
            active.paused_minutes = Set(paused);
            active.waiting_since = Set(None);
            active.first_response_due = Set(first_due);
            active.resolution_due = Set(resolution_due);
        }
        if to == IncidentState::WaitingClient {
            active.waiting_since = Set(Some(at));
        }
        match to {
            IncidentState::Resolved => active.resolved_at = Set(Some(at)),
            IncidentState::Closed => active.closed_at = Set(Some(at)),
            IncidentState::InProgress if !from.is_open() => {
                active.resolved_at = Set(None);
                active.closed_at = Set(None);
            }
            _ => {}
        }
        if viewer.is_staff() && row.first_response_at.is_none() {
            active.first_response_at = Set(Some(at));
        }
        let updated = active.update(&tx).await.map_err(db_err)?;
        let event_kind = match (from, to) {
            (_, IncidentState::Closed) => kind::CLOSED,
            (IncidentState::Resolved | IncidentState::Closed, IncidentState::InProgress) => {
                kind::REOPENED
            }
            _ => kind::STATE,
        };
        let remark = clean(remark.trim(), 2000);
        add_event(
            &tx,
            incident_id,
            event_kind,
            false,
            (Some(viewer.user_id), author_name),
            &remark,
            Some(format!("{}>{}", from.as_str(), to.as_str())),
            None,
        )
        .await?;
        tell_followers(&tx, updated, viewer.user_id, notify).await?;
        self.commit(tx).await
    }

    /// Staff change the priority; the due times follow the new targets and followers are told.
    pub async fn change_priority(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        to: Priority,
        sla: &Sla,
        notify: Notify<'_>,
    ) -> StoreResult<()> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let tx = self.write_tx().await?;
        let row = readable(&tx, viewer, incident_id).await?;
        if row.priority == to.as_str() {
            return Ok(());
        }
        let (first_due, resolution_due) = sla.dues(to, row.created_at, row.paused_minutes);
        let data = Some(format!("{}>{}", row.priority, to.as_str()));
        let mut active: incident::ActiveModel = row.into();
        active.priority = Set(to.as_str().to_owned());
        active.first_response_due = Set(first_due);
        active.resolution_due = Set(resolution_due);
        active.updated_at = Set(now());
        let updated = active.update(&tx).await.map_err(db_err)?;
        add_event(
            &tx,
            incident_id,
            kind::PRIORITY,
            false,
            (Some(viewer.user_id), author_name),
            "",
            data,
            None,
        )
        .await?;
        tell_followers(&tx, updated, viewer.user_id, notify).await?;
        self.commit(tx).await
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
        let tx = self.write_tx().await?;
        let row = readable(&tx, viewer, incident_id).await?;
        let name = match assignee {
            Some(a) => {
                let u = user::Entity::find_by_id(a)
                    .filter(user::Column::Active.eq(true))
                    .filter(user::Column::Role.is_in([Role::Admin.as_str(), Role::Agent.as_str()]))
                    .one(&tx)
                    .await
                    .map_err(db_err)?
                    .ok_or(Invalid::Assignee)?;
                follow(&tx, incident_id, a).await?;
                u.name
            }
            None => String::new(),
        };
        let mut active: incident::ActiveModel = row.into();
        active.assignee_id = Set(assignee);
        active.updated_at = Set(now());
        active.update(&tx).await.map_err(db_err)?;
        add_event(
            &tx,
            incident_id,
            kind::ASSIGNED,
            true,
            (Some(viewer.user_id), author_name),
            &name,
            None,
            None,
        )
        .await?;
        self.commit(tx).await
    }
}

/// Incident changes the search index follows (public text only; internal notes never).
async fn log_incident_change(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<()> {
    super::legacy::log_change(conn, id, now()).await
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
        use crate::entity::kb_article;
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let slug = faro_core::kb::Slug::parse(article_slug.trim())
            .map_err(|_| Invalid::SolutionArticle)?;
        let tx = self.write_tx().await?;
        let row = readable(&tx, viewer, incident_id).await?;
        let article = kb_article::Entity::find()
            .filter(kb_article::Column::Slug.eq(slug.as_str()))
            .filter(kb_article::Column::State.eq(faro_core::kb::ArticleState::Published.as_str()))
            .filter(
                Condition::any()
                    .add(kb_article::Column::MembershipId.is_null())
                    .add(kb_article::Column::MembershipId.eq(row.membership_id)),
            )
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(Invalid::SolutionArticle)?;
        let mut active: incident::ActiveModel = row.into();
        active.solution_article_id = Set(Some(article.id));
        active.updated_at = Set(now());
        active.update(&tx).await.map_err(db_err)?;
        add_event(
            &tx,
            incident_id,
            kind::SOLUTION,
            false,
            (Some(viewer.user_id), author_name),
            &article.title,
            Some(article.slug),
            None,
        )
        .await?;
        self.commit(tx).await
    }

    /// The solution article's slug and title, if one is linked and the viewer may read it.
    pub async fn solution_of(
        &self,
        viewer: &Viewer,
        incident: &Incident,
    ) -> StoreResult<Option<(String, String)>> {
        let row = readable(self.conn(), viewer, incident.id).await?;
        match row.solution_article_id {
            Some(id) => Ok(self.article_links(viewer, &[id]).await?.pop()),
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
        let row = readable(self.conn(), viewer, incident_id).await?;
        let answers: Vec<incident_event::Model> = incident_event::Entity::find()
            .filter(incident_event::Column::IncidentId.eq(incident_id))
            .filter(incident_event::Column::Internal.eq(false))
            .filter(incident_event::Column::Kind.is_in([
                kind::COMMENT,
                kind::STATE,
                kind::VISIT_REPORT,
            ]))
            .order_by_asc(incident_event::Column::CreatedAt)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let mut body = format!("## Síntoma\n\n{}\n", row.description);
        if !row.system.is_empty() {
            body.push_str(&format!("\nSistema afectado: {}\n", row.system));
        }
        body.push_str("\n## Solución\n\n");
        let staff_ids: Vec<Uuid> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Role.is_in([Role::Admin.as_str(), Role::Agent.as_str()]))
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)?;
        for e in answers
            .iter()
            .filter(|e| !e.body.trim().is_empty())
            .filter(|e| e.author_id.is_some_and(|a| staff_ids.contains(&a)))
        {
            body.push_str(e.body.trim());
            body.push_str("\n\n");
        }
        let draft = faro_core::kb::ArticleDraft {
            title: row.title.clone(),
            summary: String::new(),
            body,
            kind: faro_core::kb::ArticleKind::Procedure,
            state: faro_core::kb::ArticleState::Draft,
            category_id: None,
            membership_id: Some(row.membership_id),
            tags: Vec::new(),
            note: format!("Creado a partir de {}", row.number),
        };
        let article = self.create_article(viewer, author, draft).await?;
        Ok(article.slug)
    }

    /// Closes incidents resolved before `before` (the client did not answer), with a notice to
    /// their followers. Returns how many were closed.
    pub async fn auto_close_resolved(
        &self,
        before: DateTime<Utc>,
        notify: &(dyn Fn(Notice<'_>) -> Result<Vec<OutgoingMail>, String> + Sync),
    ) -> StoreResult<usize> {
        let due: Vec<Uuid> = incident::Entity::find()
            .select_only()
            .column(incident::Column::Id)
            .filter(incident::Column::State.eq(IncidentState::Resolved.as_str()))
            .filter(incident::Column::ResolvedAt.lt(before))
            .limit(500)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let mut closed = 0;
        for id in due {
            let tx = self.write_tx().await?;
            // Re-read under the write lock: someone may have reopened it meanwhile.
            let Some(row) = incident::Entity::find_by_id(id)
                .filter(incident::Column::State.eq(IncidentState::Resolved.as_str()))
                .one(&tx)
                .await
                .map_err(db_err)?
            else {
                continue;
            };
            let at = now();
            let mut active: incident::ActiveModel = row.into();
            active.state = Set(IncidentState::Closed.as_str().to_owned());
            active.closed_at = Set(Some(at));
            active.updated_at = Set(at);
            let updated = active.update(&tx).await.map_err(db_err)?;
            add_event(
                &tx,
                id,
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
            )
            .await?;
            tell_followers(&tx, updated, Uuid::nil(), notify).await?;
            self.commit(tx).await?;
            closed += 1;
        }
        Ok(closed)
    }

    /// Incidents among `ids` the viewer may see (search results).
    pub async fn incidents_by_ids(
        &self,
        viewer: &Viewer,
        ids: &[Uuid],
    ) -> StoreResult<Vec<Incident>> {
        let Some(scope) = visible(viewer).filter(|_| !ids.is_empty()) else {
            return Ok(Vec::new());
        };
        let rows = incident::Entity::find()
            .filter(scope)
            .filter(incident::Column::Id.is_in(ids.to_vec()))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        to_incidents(self.conn(), rows).await
    }

    /// Incidents for the search index with their public comments (never internal notes).
    pub async fn incidents_for_index(
        &self,
        ids: Vec<Uuid>,
    ) -> StoreResult<Vec<(Incident, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = incident::Entity::find()
            .filter(incident::Column::Id.is_in(ids.clone()))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let incidents = to_incidents(self.conn(), rows).await?;
        let comments = incident_event::Entity::find()
            .filter(incident_event::Column::IncidentId.is_in(ids))
            .filter(incident_event::Column::Internal.eq(false))
            .filter(incident_event::Column::Kind.eq(kind::COMMENT))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        Ok(incidents
            .into_iter()
            .map(|i| {
                let text = comments
                    .iter()
                    .filter(|c| c.incident_id == i.id)
                    .map(|c| c.body.as_str())
                    .collect::<Vec<_>>()
                    .join("\n\n");
                (i, text)
            })
            .collect())
    }

    /// Ids of every incident, for a full reindex.
    pub async fn all_incident_ids(&self) -> StoreResult<Vec<Uuid>> {
        incident::Entity::find()
            .select_only()
            .column(incident::Column::Id)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)
    }
}
