//! Reading the audit log (writing happens inside each change's transaction).

use chrono::{DateTime, Utc};
use faro_core::records::AuditEvent;
use faro_core::{StoreError, StoreResult, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::audit_event;
use crate::{Store, convert, db_err};

impl Store {
    /// Newest first, `limit` events older than `before` (for paging). Staff only.
    pub async fn audit_events(
        &self,
        viewer: &Viewer,
        before: Option<DateTime<Utc>>,
        limit: u64,
    ) -> StoreResult<Vec<AuditEvent>> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let mut q = audit_event::Entity::find()
            .order_by_desc(audit_event::Column::At)
            .order_by_desc(audit_event::Column::Id)
            .limit(limit);
        if let Some(b) = before {
            q = q.filter(audit_event::Column::At.lt(b));
        }
        Ok(q.all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::audit_event)
            .collect())
    }
}
