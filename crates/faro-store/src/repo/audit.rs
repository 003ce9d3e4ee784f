//! The audit log: written inside each change's transaction (`record`), read by staff.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::records::{Actor, AuditEvent};
use faro_core::{AuditAction, StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::{clean, now};
use crate::Store;
use crate::db::rows::AuditEventRow;
use crate::db::schema::audit_events;
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};

/// Writes one audit event on `conn` (normally inside the transaction of the change).
pub(crate) fn record(
    conn: &mut DbConn,
    actor: &Actor,
    action: AuditAction,
    subject: &str,
    membership_id: Option<Uuid>,
) -> StoreResult<()> {
    diesel::insert_into(audit_events::table)
        .values(AuditEventRow {
            id: Key(Uuid::now_v7()),
            at: Moment(now()),
            actor_id: actor.user_id.filter(|id| !id.is_nil()).map(Key),
            actor_email: actor.email.as_deref().map(|e| clean(e, 254)),
            action: action.code().to_owned(),
            subject: clean(subject, 500),
            membership_id: membership_id.map(Key),
            ip: actor.ip.as_deref().map(|ip| clean(ip, 64)),
            api_key_id: actor.api_key_id.map(Key),
        })
        .execute(conn)
        .map_err(db_err)?;
    Ok(())
}

impl Store {
    /// Newest first, `limit` events older than the event `before` (its time and id, for
    /// paging; an id of nil means "before that time"). Staff only.
    pub async fn audit_events(
        &self,
        viewer: &Viewer,
        before: Option<(DateTime<Utc>, Uuid)>,
        limit: u64,
    ) -> StoreResult<Vec<AuditEvent>> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows: Vec<AuditEventRow> = self
            .run(move |c| {
                let mut q = audit_events::table
                    .order((audit_events::at.desc(), audit_events::id.desc()))
                    .limit(limit)
                    .into_boxed();
                if let Some((at, id)) = before {
                    q = q.filter(
                        audit_events::at.lt(Moment(at)).or(audit_events::at
                            .eq(Moment(at))
                            .and(audit_events::id.lt(Key(id)))),
                    );
                }
                q.load(c).map_err(db_err)
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(|a| AuditEvent {
                id: a.id.0,
                at: a.at.0,
                actor_email: a.actor_email,
                action: a.action,
                subject: a.subject,
                ip: a.ip,
                api_key_id: a.api_key_id.map(|k| k.0),
            })
            .collect())
    }
}
