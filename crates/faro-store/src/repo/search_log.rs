//! The change log search indexes follow: one row per changed article, download item, resource
//! or incident, written in the change's transaction (`Store::search_feed` reads it).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::StoreResult;
use uuid::Uuid;

use crate::db::schema::search_changes;
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};

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
