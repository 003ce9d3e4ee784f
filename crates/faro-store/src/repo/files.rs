//! The register of file-store objects. A row is written `pending` before the bytes stream in and
//! turns `ready` in the same transaction as the row that uses it, so a failed or interrupted
//! upload never leaves a version row without bytes; rows left pending by a crash are swept with
//! their objects (see `stale_files`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::downloads::StoredFile;
use faro_core::{StoreError, StoreResult};
use uuid::Uuid;

use super::{clean, now};
use crate::Store;
use crate::db::rows::StoredFileRow;
use crate::db::schema::stored_files;
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};

const PENDING: &str = "pending";
const READY: &str = "ready";

pub(crate) fn to_file(m: StoredFileRow) -> StoredFile {
    StoredFile {
        id: m.id.0,
        key: m.object_key,
        file_name: m.file_name,
        size: u64::try_from(m.size).unwrap_or(0),
        sha256: m.sha256,
    }
}

/// Marks a pending file ready with what the upload measured; fails if it is not pending (a
/// file is used by one row only).
pub(crate) fn make_ready(
    conn: &mut DbConn,
    file_id: Uuid,
    size: u64,
    sha256: &str,
) -> StoreResult<StoredFileRow> {
    diesel::update(
        stored_files::table
            .filter(stored_files::id.eq(Key(file_id)))
            .filter(stored_files::state.eq(PENDING)),
    )
    .set((
        stored_files::state.eq(READY),
        stored_files::size.eq(i64::try_from(size).unwrap_or(i64::MAX)),
        stored_files::sha256.eq(sha256),
    ))
    .returning(stored_files::all_columns)
    .get_result(conn)
    .optional()
    .map_err(db_err)?
    .ok_or(StoreError::NotFound)
}

/// Forgets a ready file whose row is going away; returns its key so the caller removes the bytes
/// after the transaction commits.
pub(crate) fn release(conn: &mut DbConn, file_id: Uuid) -> StoreResult<String> {
    diesel::delete(stored_files::table.find(Key(file_id)))
        .returning(stored_files::object_key)
        .get_result(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

pub(crate) fn files_by_ids(conn: &mut DbConn, ids: Vec<Uuid>) -> StoreResult<Vec<StoredFile>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(stored_files::table
        .filter(stored_files::id.eq_any(ids.into_iter().map(Key)))
        .load::<StoredFileRow>(conn)
        .map_err(db_err)?
        .into_iter()
        .map(to_file)
        .collect())
}

impl Store {
    /// Registers an upload about to start under `key`. Call before streaming the bytes.
    pub async fn begin_file(&self, key: &str, file_name: &str) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        let row = StoredFileRow {
            id: Key(id),
            object_key: key.to_owned(),
            file_name: clean(file_name, 200),
            size: 0,
            sha256: String::new(),
            state: PENDING.to_owned(),
            created_at: Moment(now()),
        };
        self.run(move |c| {
            diesel::insert_into(stored_files::table)
                .values(row)
                .execute(c)
                .map_err(db_err)?;
            Ok(id)
        })
        .await
    }

    /// Drops the row of an upload that failed or was refused (only while it is still pending).
    pub async fn discard_file(&self, file_id: Uuid) -> StoreResult<()> {
        self.run(move |c| {
            diesel::delete(
                stored_files::table
                    .filter(stored_files::id.eq(Key(file_id)))
                    .filter(stored_files::state.eq(PENDING)),
            )
            .execute(c)
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    /// Uploads that started before `before` and never finished (the node stopped mid-way).
    pub async fn stale_files(&self, before: DateTime<Utc>) -> StoreResult<Vec<(Uuid, String)>> {
        self.run(move |c| {
            let rows: Vec<(Key, String)> = stored_files::table
                .filter(stored_files::state.eq(PENDING))
                .filter(stored_files::created_at.lt(Moment(before)))
                .select((stored_files::id, stored_files::object_key))
                .load(c)
                .map_err(db_err)?;
            Ok(rows.into_iter().map(|(k, o)| (k.0, o)).collect())
        })
        .await
    }

    /// Keys of every ready file: what the file store must hold.
    pub async fn ready_file_keys(&self) -> StoreResult<Vec<String>> {
        self.run(|c| {
            stored_files::table
                .filter(stored_files::state.eq(READY))
                .select(stored_files::object_key)
                .load(c)
                .map_err(db_err)
        })
        .await
    }
}
