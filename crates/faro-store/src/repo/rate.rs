//! Limits on actions that send e-mail to addresses people type (reset links, join requests), so
//! the portal cannot be used to flood a mailbox. Counted in the database: every node agrees.

use chrono::TimeDelta;
use faro_core::StoreResult;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{clean, now};
use crate::entity::rate_event;
use crate::{Store, db_err};

/// One limit: at most `max` events per key within `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub kind: &'static str,
    pub max: u64,
    pub window: TimeDelta,
}

impl Store {
    /// Records an event for every `(limit, key)` and returns true, unless one of them is already
    /// at its maximum: then nothing is recorded and it returns false.
    pub async fn within_limits(&self, checks: &[(Limit, &str)]) -> StoreResult<bool> {
        let at = now();
        let tx = self.write_tx().await?;
        for (limit, key) in checks {
            let n = rate_event::Entity::find()
                .filter(rate_event::Column::Kind.eq(limit.kind))
                .filter(rate_event::Column::Key.eq(clean(key, 254)))
                .filter(rate_event::Column::At.gt(at - limit.window))
                .count(&tx)
                .await
                .map_err(db_err)?;
            if n >= limit.max {
                return Ok(false);
            }
        }
        for (limit, key) in checks {
            rate_event::ActiveModel {
                id: Set(Uuid::now_v7()),
                kind: Set(limit.kind.to_owned()),
                key: Set(clean(key, 254)),
                at: Set(at),
            }
            .insert(&tx)
            .await
            .map_err(db_err)?;
        }
        self.commit(tx).await?;
        Ok(true)
    }

    /// Housekeeping: forgets events older than a day.
    pub async fn purge_rate_events(&self) -> StoreResult<u64> {
        let res = rate_event::Entity::delete_many()
            .filter(rate_event::Column::At.lt(now() - TimeDelta::days(1)))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        Ok(res.rows_affected)
    }
}
