//! Limits on actions that send e-mail to addresses people type (reset links, join requests), so
//! the portal cannot be used to flood a mailbox. Counted in the database: every node agrees.

use chrono::TimeDelta;
use diesel::prelude::*;
use faro_core::StoreResult;
use uuid::Uuid;

use super::{clean, now};
use crate::Store;
use crate::db::db_err;
use crate::db::rows::RateEventRow;
use crate::db::schema::rate_events;
use crate::db::types::{Key, Moment};

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
        let checks: Vec<(Limit, String)> =
            checks.iter().map(|(l, k)| (*l, clean(k, 254))).collect();
        self.write(move |c| {
            let at = now();
            for (limit, key) in &checks {
                let n: i64 = rate_events::table
                    .filter(rate_events::kind.eq(limit.kind))
                    .filter(rate_events::key.eq(key))
                    .filter(rate_events::at.gt(Moment(at - limit.window)))
                    .count()
                    .get_result(c)
                    .map_err(db_err)?;
                if u64::try_from(n).unwrap_or(0) >= limit.max {
                    return Ok(false);
                }
            }
            for (limit, key) in checks {
                diesel::insert_into(rate_events::table)
                    .values(RateEventRow {
                        id: Key(Uuid::now_v7()),
                        kind: limit.kind.to_owned(),
                        key,
                        at: Moment(at),
                    })
                    .execute(c)
                    .map_err(db_err)?;
            }
            Ok(true)
        })
        .await
    }

    /// Housekeeping: forgets events older than a day.
    pub async fn purge_rate_events(&self) -> StoreResult<u64> {
        self.run(|c| {
            let n = diesel::delete(
                rate_events::table.filter(rate_events::at.lt(Moment(now() - TimeDelta::days(1)))),
            )
            .execute(c)
            .map_err(db_err)?;
            Ok(n as u64)
        })
        .await
    }
}
