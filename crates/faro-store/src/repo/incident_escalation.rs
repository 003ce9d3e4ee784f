//! Escalation of an incident beyond the first line: a remote connection (asked by staff,
//! authorised or refused by someone of the membership, recorded with who, when and from which
//! address; work cannot start without an authorisation) and on-site visits with their report.

use chrono::{DateTime, Utc};
use faro_core::incidents::Escalation;
use faro_core::{Conflict, Invalid, StoreError, StoreResult, Viewer};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::incidents::{Notice, Notify, add_event, followers, kind, one, readable, tell_followers};
use super::legacy::enqueue_mail;
use super::{clean, now};
use crate::entity::{incident, incident_visit, remote_request};
use crate::{Store, db_err};

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

/// Renders the e-mails (with the calendar invitation) for a visit given its id.
pub type VisitNotify<'a> = Box<
    dyn FnOnce(Notice<'_>, Uuid) -> Result<Vec<faro_core::records::OutgoingMail>, String>
        + Send
        + 'a,
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

async fn escalate(
    conn: &impl sea_orm::ConnectionTrait,
    row: incident::Model,
    to: Escalation,
) -> StoreResult<incident::Model> {
    let current = Escalation::parse(&row.escalation).unwrap_or(Escalation::FirstLine);
    let mut active: incident::ActiveModel = row.into();
    if to > current {
        active.escalation = Set(to.as_str().to_owned());
    }
    active.updated_at = Set(now());
    active.update(conn).await.map_err(db_err)
}

impl Store {
    pub async fn remote_requests(
        &self,
        viewer: &Viewer,
        incident_id: Uuid,
    ) -> StoreResult<Vec<RemoteRequest>> {
        readable(self.conn(), viewer, incident_id).await?;
        Ok(remote_request::Entity::find()
            .filter(remote_request::Column::IncidentId.eq(incident_id))
            .order_by_asc(remote_request::Column::RequestedAt)
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|r| RemoteRequest {
                id: r.id,
                purpose: r.purpose,
                tool: r.tool,
                window: r.window,
                requested_by: r.requested_by_name,
                requested_at: r.requested_at,
                state: RemoteState::parse(&r.state),
                answered_by: r.answered_by_name,
                answered_at: r.answered_at,
                answered_ip: r.answered_ip,
            })
            .collect())
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
        notify: Notify<'_>,
    ) -> StoreResult<Uuid> {
        staff_only(viewer)?;
        let purpose = text(purpose, 2000, Invalid::Purpose)?;
        let tool = text(tool, 120, Invalid::Tool)?;
        let window = text(window, 200, Invalid::Window)?;
        let tx = self.write_tx().await?;
        let row = readable(&tx, viewer, incident_id).await?;
        let id = Uuid::now_v7();
        remote_request::ActiveModel {
            id: Set(id),
            incident_id: Set(incident_id),
            purpose: Set(purpose.clone()),
            tool: Set(tool.clone()),
            window: Set(window.clone()),
            requested_by: Set(Some(viewer.user_id).filter(|u| !u.is_nil())),
            requested_by_name: Set(clean(author_name, 120)),
            requested_at: Set(now()),
            state: Set(RemoteState::Pending.as_str().to_owned()),
            answered_by: Set(None),
            answered_by_name: Set(None),
            answered_at: Set(None),
            answered_ip: Set(None),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        let updated = escalate(&tx, row, Escalation::Remote).await?;
        add_event(
            &tx,
            incident_id,
            kind::REMOTE_REQUESTED,
            false,
            (Some(viewer.user_id), author_name),
            &purpose,
            Some(format!("{tool} · {window}")),
            None,
        )
        .await?;
        tell_followers(&tx, updated, viewer.user_id, notify).await?;
        self.commit(tx).await?;
        Ok(id)
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
        notify: Notify<'_>,
    ) -> StoreResult<()> {
        if viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let tx = self.write_tx().await?;
        let row = readable(&tx, viewer, incident_id).await?;
        let req = remote_request::Entity::find_by_id(request_id)
            .filter(remote_request::Column::IncidentId.eq(incident_id))
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        if req.state != RemoteState::Pending.as_str() {
            return Err(StoreError::Conflict(Conflict::NotAllowedNow));
        }
        let at = now();
        let state = if authorise {
            RemoteState::Authorised
        } else {
            RemoteState::Refused
        };
        let mut active: remote_request::ActiveModel = req.into();
        active.state = Set(state.as_str().to_owned());
        active.answered_by = Set(Some(viewer.user_id));
        active.answered_by_name = Set(Some(clean(author_name, 120)));
        active.answered_at = Set(Some(at));
        active.answered_ip = Set(ip.map(|i| clean(i, 64)));
        active.update(&tx).await.map_err(db_err)?;
        let mut inc: incident::ActiveModel = row.clone().into();
        inc.updated_at = Set(at);
        let updated = inc.update(&tx).await.map_err(db_err)?;
        add_event(
            &tx,
            incident_id,
            if authorise {
                kind::REMOTE_AUTHORISED
            } else {
                kind::REMOTE_REFUSED
            },
            false,
            (Some(viewer.user_id), author_name),
            "",
            Some(request_id.to_string()),
            ip,
        )
        .await?;
        tell_followers(&tx, updated, viewer.user_id, notify).await?;
        self.commit(tx).await
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
        let tx = self.write_tx().await?;
        readable(&tx, viewer, incident_id).await?;
        let req = remote_request::Entity::find_by_id(request_id)
            .filter(remote_request::Column::IncidentId.eq(incident_id))
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        if req.state != RemoteState::Authorised.as_str() {
            return Err(StoreError::Conflict(Conflict::NotAllowedNow));
        }
        let tool = req.tool.clone();
        let mut active: remote_request::ActiveModel = req.into();
        active.state = Set(RemoteState::Started.as_str().to_owned());
        active.update(&tx).await.map_err(db_err)?;
        add_event(
            &tx,
            incident_id,
            kind::REMOTE_STARTED,
            false,
            (Some(viewer.user_id), author_name),
            "",
            Some(tool),
            None,
        )
        .await?;
        self.commit(tx).await
    }

    pub async fn visits(&self, viewer: &Viewer, incident_id: Uuid) -> StoreResult<Vec<Visit>> {
        readable(self.conn(), viewer, incident_id).await?;
        Ok(incident_visit::Entity::find()
            .filter(incident_visit::Column::IncidentId.eq(incident_id))
            .order_by_asc(incident_visit::Column::StartsAt)
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|v| Visit {
                id: v.id,
                starts_at: v.starts_at,
                technician: v.technician,
                address: v.address,
                report: v.report,
                reported_at: v.reported_at,
            })
            .collect())
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
        notify: VisitNotify<'_>,
    ) -> StoreResult<Uuid> {
        staff_only(viewer)?;
        let technician = text(technician, 120, Invalid::Technician)?;
        let address = text(address, 500, Invalid::Address)?;
        if starts_at <= now() {
            return Err(Invalid::Date.into());
        }
        let tx = self.write_tx().await?;
        let row = readable(&tx, viewer, incident_id).await?;
        let id = Uuid::now_v7();
        incident_visit::ActiveModel {
            id: Set(id),
            incident_id: Set(incident_id),
            starts_at: Set(starts_at),
            technician: Set(technician.clone()),
            address: Set(address.clone()),
            report: Set(None),
            reported_at: Set(None),
            created_by_name: Set(clean(author_name, 120)),
            created_at: Set(now()),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        let updated = escalate(&tx, row, Escalation::OnSite).await?;
        add_event(
            &tx,
            incident_id,
            kind::VISIT_SCHEDULED,
            false,
            (Some(viewer.user_id), author_name),
            &address,
            Some(format!("{}|{technician}", starts_at.to_rfc3339())),
            None,
        )
        .await?;
        let recipients: Vec<_> = followers(&tx, &updated, viewer.user_id)
            .await?
            .into_iter()
            .filter(|p| !p.role.is_staff())
            .collect();
        if !recipients.is_empty() {
            let incident = one(&tx, updated).await?;
            for m in notify(
                Notice {
                    incident: &incident,
                    recipients: &recipients,
                },
                id,
            )
            .map_err(StoreError::Other)?
            {
                enqueue_mail(&tx, &m).await?;
            }
        }
        self.commit(tx).await?;
        Ok(id)
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
        let tx = self.write_tx().await?;
        readable(&tx, viewer, incident_id).await?;
        let v = incident_visit::Entity::find_by_id(visit_id)
            .filter(incident_visit::Column::IncidentId.eq(incident_id))
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let mut active: incident_visit::ActiveModel = v.into();
        active.report = Set(Some(report.clone()));
        active.reported_at = Set(Some(now()));
        active.update(&tx).await.map_err(db_err)?;
        add_event(
            &tx,
            incident_id,
            kind::VISIT_REPORT,
            false,
            (Some(viewer.user_id), author_name),
            &report,
            None,
            None,
        )
        .await?;
        self.commit(tx).await
    }
}
