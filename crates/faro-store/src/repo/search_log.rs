//! The change log search indexes follow: one row per changed article, download item, resource
//! or incident, written in the change's transaction (`Store::search_feed` reads it).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::StoreResult;
use uuid::Uuid;

use crate::db::schema::{search_changes, search_pushes};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err, per_backend};

pub(crate) fn log_change(conn: &mut DbConn, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    diesel::insert_into(search_changes::table)
        .values((
            search_changes::article_id.eq(Key(id)),
            search_changes::at.eq(Moment(at)),
        ))
        .execute(conn)
        .map_err(db_err)?;
    Ok(())
}

/// A search engine shared by every node keeps its change-log cursor in `search_pushes`. Only the
/// node holding the row's lease pushes changes to the engine, so each change is pushed once; a
/// node that stops holding it (crash, partition) loses it when the lease runs out.
impl crate::Store {
    /// Claims `engine`'s push lease for `holder` until `lease` from now: when nobody holds it,
    /// it ran out, or `holder` already has it. Returns the cursor when claimed, `None` when
    /// another node holds it.
    pub async fn claim_search_push(
        &self,
        engine: &str,
        holder: &str,
        lease: chrono::TimeDelta,
    ) -> StoreResult<Option<u64>> {
        let (engine, holder) = (engine.to_owned(), holder.to_owned());
        self.run(move |c| {
            let at = super::now();
            per_backend!(c, |c| diesel::insert_into(search_pushes::table)
                .values((
                    search_pushes::engine.eq(&engine),
                    search_pushes::position.eq(0i64),
                    search_pushes::updated_at.eq(Moment(at)),
                ))
                .on_conflict(search_pushes::engine)
                .do_nothing()
                .execute(c))
            .map_err(db_err)?;
            // The claim is a conditional update: whoever changes the row first holds it.
            let won = diesel::update(
                search_pushes::table
                    .filter(search_pushes::engine.eq(&engine))
                    .filter(
                        search_pushes::holder
                            .is_null()
                            .or(search_pushes::holder.eq(&holder))
                            .or(search_pushes::lease_until.lt(Moment(at))),
                    ),
            )
            .set((
                search_pushes::holder.eq(&holder),
                search_pushes::lease_until.eq(Moment(at + lease)),
            ))
            .execute(c)
            .map_err(db_err)?;
            if won == 0 {
                return Ok(None);
            }
            let position: i64 = search_pushes::table
                .filter(search_pushes::engine.eq(&engine))
                .select(search_pushes::position)
                .first(c)
                .map_err(db_err)?;
            Ok(Some(position.max(0) as u64))
        })
        .await
    }

    /// Moves `engine`'s cursor to `position` and renews the lease, if `holder` still holds it.
    /// False when the lease was lost (another node took over): the caller stops pushing.
    pub async fn advance_search_push(
        &self,
        engine: &str,
        holder: &str,
        position: u64,
        lease: chrono::TimeDelta,
    ) -> StoreResult<bool> {
        let (engine, holder) = (engine.to_owned(), holder.to_owned());
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        self.run(move |c| {
            let at = super::now();
            let n = diesel::update(
                search_pushes::table
                    .filter(search_pushes::engine.eq(&engine))
                    .filter(search_pushes::holder.eq(&holder)),
            )
            .set((
                search_pushes::position.eq(position),
                search_pushes::lease_until.eq(Moment(at + lease)),
                search_pushes::updated_at.eq(Moment(at)),
            ))
            .execute(c)
            .map_err(db_err)?;
            Ok(n == 1)
        })
        .await
    }

    /// Gives `engine`'s lease up, so another node may push at once.
    pub async fn release_search_push(&self, engine: &str, holder: &str) -> StoreResult<()> {
        let (engine, holder) = (engine.to_owned(), holder.to_owned());
        self.run(move |c| {
            diesel::update(
                search_pushes::table
                    .filter(search_pushes::engine.eq(&engine))
                    .filter(search_pushes::holder.eq(&holder)),
            )
            .set((
                search_pushes::holder.eq(None::<String>),
                search_pushes::lease_until.eq(None::<Moment>),
            ))
            .execute(c)
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    /// Where `engine`'s cursor stands (`None` before its first push).
    pub async fn search_push_position(&self, engine: &str) -> StoreResult<Option<u64>> {
        let engine = engine.to_owned();
        self.run(move |c| {
            let position: Option<i64> = search_pushes::table
                .filter(search_pushes::engine.eq(&engine))
                .select(search_pushes::position)
                .first(c)
                .optional()
                .map_err(db_err)?;
            Ok(position.map(|p| p.max(0) as u64))
        })
        .await
    }
}
