//! Escalation of an incident beyond the first line: a remote connection (asked by staff,
//! authorised or refused by someone of the membership, recorded with who, when and from which
//! address; work cannot start without an authorisation) and on-site visits with their report.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::incidents::Escalation;
use faro_core::{Conflict, Invalid, StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::incidents::{
    Notice, Notify, add_event, followers, kind, one, readable, tell_followers, update_incident,
};
use super::{clean, now, outbox};
use crate::Store;
use crate::db::rows::{IncidentRow, IncidentVisitRow, RemoteRequestRow};
use crate::db::schema::{incident_visits, incidents, remote_requests};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteState {
    Pending,
    Authorised,
    Refused,
    Started,
}

impl RemoteState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Authorised => "authorised",
            Self::Refused => "refused",
            Self::Started => "started",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "authorised" => Self::Authorised,
            "refused" => Self::Refused,
            "started" => Self::Started,
            _ => Self::Pending,
        }
    }
}

/// A request to connect remotely, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteRequest {
    pub id: Uuid,
    pub purpose: String,
    pub tool: String,
    pub window: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub state: RemoteState,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answered_ip: Option<String>,
}

/// Renders the e-mails (with the calendar invitation) for a visit given its id. Like
/// [`Notify`], it runs inside the transaction on the blocking pool and owns what it needs.
pub type VisitNotify = Box<
    dyn FnOnce(Notice<'_>, Uuid) -> Result<Vec<faro_core::records::OutgoingMail>, String>
        + Send
        + 'static,
>;

/// An on-site visit, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub technician: String,
    pub address: String,
    pub report: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
}

fn text(input: &str, max: usize, e: Invalid) -> StoreResult<String> {
    let s = input.trim();
    if s.is_empty() || s.chars().count() > max || s.contains('\0') {
        return Err(e.into());
    }
    Ok(s.to_string())
}

fn staff_only(viewer: &Viewer) -> StoreResult<()> {
    if viewer.is_staff() {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// Raises the incident's escalation to `to` (never lowers it) and touches it.
fn escalate(conn: &mut DbConn, row: IncidentRow, to: Escalation) -> StoreResult<IncidentRow> {
    let current = Escalation::parse(&row.escalation).unwrap_or(Escalation::FirstLine);
    update_incident!(
        conn,
        row.id,
        (
            (to > current).then(|| incidents::escalation.eq(to.as_str())),
            incidents::updated_at.eq(Moment(now())),
        )
    )
}

/// A request of the incident, for a change.
fn request_of(
    conn: &mut DbConn,
    incident_id: Uuid,
    request_id: Uuid,
) -> StoreResult<RemoteRequestRow> {
    remote_requests::table
        .find(Key(request_id))
        .filter(remote_requests::incident_id.eq(Key(incident_id)))
        .first(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

impl Store {
    pub async fn remote_requests(
        &self,
        viewer: &Viewer,
        incident_id: Uuid,
    ) -> StoreResult<Vec<RemoteRequest>> {
        let viewer = viewer.clone();
        self.run(move |c| {
            readable(c, &viewer, incident_id)?;
            Ok(remote_requests::table
                .filter(remote_requests::incident_id.eq(Key(incident_id)))
                .order(remote_requests::requested_at.asc())
                .load::<RemoteRequestRow>(c)
                .map_err(db_err)?
                .into_iter()
                .map(|r| RemoteRequest {
                    id: r.id.0,
                    purpose: r.purpose,
                    tool: r.tool,
                    window: r.window,
                    requested_by: r.requested_by_name,
                    requested_at: r.requested_at.0,
                    state: RemoteState::parse(&r.state),
                    answered_by: r.answered_by_name,
                    answered_at: r.answered_at.map(Into::into),
                    answered_ip: r.answered_ip,
                })
                .collect())
        })
        .await
    }

    /// Staff ask the membership to authorise a remote connection.
    #[allow(clippy::too_many_arguments)]
    pub async fn request_remote(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        purpose: &str,
        tool: &str,
        window: &str,
        notify: Notify,
    ) -> StoreResult<Uuid> {
        staff_only(viewer)?;
        let purpose = text(purpose, 2000, Invalid::Purpose)?;
        let tool = text(tool, 120, Invalid::Tool)?;
        let window = text(window, 200, Invalid::Window)?;
        let (viewer, author_name) = (viewer.clone(), author_name.to_owned());
        self.write(move |c| {
            let row = readable(c, &viewer, incident_id)?;
            let id = Uuid::now_v7();
            diesel::insert_into(remote_requests::table)
                .values(RemoteRequestRow {
                    id: Key(id),
                    incident_id: Key(incident_id),
                    purpose: purpose.clone(),
                    tool: tool.clone(),
                    window: window.clone(),
                    requested_by: Some(viewer.user_id).filter(|u| !u.is_nil()).map(Key),
                    requested_by_name: clean(&author_name, 120),
                    requested_at: Moment(now()),
                    state: RemoteState::Pending.as_str().to_owned(),
                    answered_by: None,
                    answered_by_name: None,
                    answered_at: None,
                    answered_ip: None,
                })
                .execute(c)
                .map_err(db_err)?;
            let updated = escalate(c, row, Escalation::Remote)?;
            add_event(
                c,
                incident_id,
                kind::REMOTE_REQUESTED,
                false,
                (Some(viewer.user_id), &author_name),
                &purpose,
                Some(format!("{tool} · {window}")),
                None,
            )?;
            tell_followers(c, updated, viewer.user_id, notify)?;
            Ok(id)
        })
        .await
    }

    /// Someone of the membership authorises or refuses a pending request; who, when and from
    /// which address go into the request and the timeline.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_remote(
        &self,
        viewer: &Viewer,
        author_name: &str,
        ip: Option<&str>,
        incident_id: Uuid,
        request_id: Uuid,
        authorise: bool,
        notify: Notify,
    ) -> StoreResult<()> {
        if viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let (viewer, author_name, ip) = (
            viewer.clone(),
            author_name.to_owned(),
            ip.map(str::to_owned),
        );
        self.write(move |c| {
            let row = readable(c, &viewer, incident_id)?;
            let req = request_of(c, incident_id, request_id)?;
            if req.state != RemoteState::Pending.as_str() {
                return Err(StoreError::Conflict(Conflict::NotAllowedNow));
            }
            let at = Moment(now());
            let state = if authorise {
                RemoteState::Authorised
            } else {
                RemoteState::Refused
            };
            diesel::update(remote_requests::table.find(req.id))
                .set((
                    remote_requests::state.eq(state.as_str()),
                    remote_requests::answered_by.eq(Some(Key(viewer.user_id))),
                    remote_requests::answered_by_name.eq(Some(clean(&author_name, 120))),
                    remote_requests::answered_at.eq(Some(at)),
                    remote_requests::answered_ip.eq(ip.as_deref().map(|i| clean(i, 64))),
                ))
                .execute(c)
                .map_err(db_err)?;
            let updated = update_incident!(c, row.id, incidents::updated_at.eq(at))?;
            add_event(
                c,
                incident_id,
                if authorise {
                    kind::REMOTE_AUTHORISED
                } else {
                    kind::REMOTE_REFUSED
                },
                false,
                (Some(viewer.user_id), &author_name),
                "",
                Some(request_id.to_string()),
                ip.as_deref(),
            )?;
            tell_followers(c, updated, viewer.user_id, notify)
        })
        .await
    }

    /// Staff mark remote work as started: only under an authorisation.
    pub async fn start_remote(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        request_id: Uuid,
    ) -> StoreResult<()> {
        staff_only(viewer)?;
        let (viewer, author_name) = (viewer.clone(), author_name.to_owned());
        self.write(move |c| {
            readable(c, &viewer, incident_id)?;
            let req = request_of(c, incident_id, request_id)?;
            if req.state != RemoteState::Authorised.as_str() {
                return Err(StoreError::Conflict(Conflict::NotAllowedNow));
            }
            diesel::update(remote_requests::table.find(req.id))
                .set(remote_requests::state.eq(RemoteState::Started.as_str()))
                .execute(c)
                .map_err(db_err)?;
            add_event(
                c,
                incident_id,
                kind::REMOTE_STARTED,
                false,
                (Some(viewer.user_id), &author_name),
                "",
                Some(req.tool),
                None,
            )?;
            Ok(())
        })
        .await
    }

    pub async fn visits(&self, viewer: &Viewer, incident_id: Uuid) -> StoreResult<Vec<Visit>> {
        let viewer = viewer.clone();
        self.run(move |c| {
            readable(c, &viewer, incident_id)?;
            Ok(incident_visits::table
                .filter(incident_visits::incident_id.eq(Key(incident_id)))
                .order(incident_visits::starts_at.asc())
                .load::<IncidentVisitRow>(c)
                .map_err(db_err)?
                .into_iter()
                .map(|v| Visit {
                    id: v.id.0,
                    starts_at: v.starts_at.0,
                    technician: v.technician,
                    address: v.address,
                    report: v.report,
                    reported_at: v.reported_at.map(Into::into),
                })
                .collect())
        })
        .await
    }

    /// Staff schedule an on-site visit; the followers of the membership get `notify`'s mail
    /// (with the calendar invitation).
    #[allow(clippy::too_many_arguments)]
    pub async fn schedule_visit(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        starts_at: DateTime<Utc>,
        technician: &str,
        address: &str,
        notify: VisitNotify,
    ) -> StoreResult<Uuid> {
        staff_only(viewer)?;
        let technician = text(technician, 120, Invalid::Technician)?;
        let address = text(address, 500, Invalid::Address)?;
        if starts_at <= now() {
            return Err(Invalid::Date.into());
        }
        let (viewer, author_name) = (viewer.clone(), author_name.to_owned());
        self.write(move |c| {
            let row = readable(c, &viewer, incident_id)?;
            let id = Uuid::now_v7();
            diesel::insert_into(incident_visits::table)
                .values(IncidentVisitRow {
                    id: Key(id),
                    incident_id: Key(incident_id),
                    starts_at: Moment(starts_at),
                    technician: technician.clone(),
                    address: address.clone(),
                    report: None,
                    reported_at: None,
                    created_by_name: clean(&author_name, 120),
                    created_at: Moment(now()),
                })
                .execute(c)
                .map_err(db_err)?;
            let updated = escalate(c, row, Escalation::OnSite)?;
            add_event(
                c,
                incident_id,
                kind::VISIT_SCHEDULED,
                false,
                (Some(viewer.user_id), &author_name),
                &address,
                Some(format!("{}|{technician}", starts_at.to_rfc3339())),
                None,
            )?;
            let recipients: Vec<_> = followers(c, &updated, viewer.user_id)?
                .into_iter()
                .filter(|p| !p.role.is_staff())
                .collect();
            if !recipients.is_empty() {
                let incident = one(c, updated)?;
                for m in notify(
                    Notice {
                        incident: &incident,
                        recipients: &recipients,
                    },
                    id,
                )
                .map_err(StoreError::Other)?
                {
                    outbox::enqueue(c, &m)?;
                }
            }
            Ok(id)
        })
        .await
    }

    /// Staff record what was done on a visit.
    pub async fn report_visit(
        &self,
        viewer: &Viewer,
        author_name: &str,
        incident_id: Uuid,
        visit_id: Uuid,
        report: &str,
    ) -> StoreResult<()> {
        staff_only(viewer)?;
        let report = faro_core::incidents::parse_message(report)?;
        let (viewer, author_name) = (viewer.clone(), author_name.to_owned());
        self.write(move |c| {
            readable(c, &viewer, incident_id)?;
            let found = diesel::update(
                incident_visits::table
                    .filter(incident_visits::id.eq(Key(visit_id)))
                    .filter(incident_visits::incident_id.eq(Key(incident_id))),
            )
            .set((
                incident_visits::report.eq(Some(&report)),
                incident_visits::reported_at.eq(Some(Moment(now()))),
            ))
            .execute(c)
            .map_err(db_err)?;
            if found == 0 {
                return Err(StoreError::NotFound);
            }
            add_event(
                c,
                incident_id,
                kind::VISIT_REPORT,
                false,
                (Some(viewer.user_id), &author_name),
                &report,
                None,
                None,
            )?;
            Ok(())
        })
        .await
    }
}
