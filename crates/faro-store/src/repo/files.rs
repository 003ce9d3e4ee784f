//! The register of file-store objects. A row is written `pending` before the bytes stream in and
//! turns `ready` in the same transaction as the row that uses it, so a failed or interrupted
//! upload never leaves a version row without bytes; rows left pending by a crash are swept with
//! their objects (see `stale_files`).

use chrono::{DateTime, Utc};
use faro_core::downloads::StoredFile;
use faro_core::{StoreError, StoreResult};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use super::{clean, now};
use crate::entity::stored_file;
use crate::{Store, db_err};

const PENDING: &str = "pending";
const READY: &str = "ready";

pub(crate) fn to_file(m: stored_file::Model) -> StoredFile {
    StoredFile {
        id: m.id,
        key: m.object_key,
        file_name: m.file_name,
        size: u64::try_from(m.size).unwrap_or(0),
        sha256: m.sha256,
    }
}

/// Marks a pending file ready with what the upload measured; fails if it is not pending (a
/// file is used by one row only).
pub(crate) async fn make_ready(
    conn: &impl ConnectionTrait,
    file_id: Uuid,
    size: u64,
    sha256: &str,
) -> StoreResult<stored_file::Model> {
    let row = stored_file::Entity::find_by_id(file_id)
        .filter(stored_file::Column::State.eq(PENDING))
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
    let mut active: stored_file::ActiveModel = row.into();
    active.state = Set(READY.to_owned());
    active.size = Set(i64::try_from(size).unwrap_or(i64::MAX));
    active.sha256 = Set(sha256.to_owned());
    active.update(conn).await.map_err(db_err)
}

/// Forgets a ready file whose row is going away; returns its key so the caller removes the bytes
/// after the transaction commits.
pub(crate) async fn release(conn: &impl ConnectionTrait, file_id: Uuid) -> StoreResult<String> {
    let row = stored_file::Entity::find_by_id(file_id)
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
    stored_file::Entity::delete_by_id(file_id)
        .exec(conn)
        .await
        .map_err(db_err)?;
    Ok(row.object_key)
}

pub(crate) async fn files_by_ids(
    conn: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> StoreResult<Vec<StoredFile>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(stored_file::Entity::find()
        .filter(stored_file::Column::Id.is_in(ids))
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(to_file)
        .collect())
}

impl Store {
    /// Registers an upload about to start under `key`. Call before streaming the bytes.
    pub async fn begin_file(&self, key: &str, file_name: &str) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        stored_file::ActiveModel {
            id: Set(id),
            object_key: Set(key.to_owned()),
            file_name: Set(clean(file_name, 200)),
            size: Set(0),
            sha256: Set(String::new()),
            state: Set(PENDING.to_owned()),
            created_at: Set(now()),
        }
        .insert(self.conn())
        .await
        .map_err(db_err)?;
        Ok(id)
    }

    /// Drops the row of an upload that failed or was refused (only while it is still pending).
    pub async fn discard_file(&self, file_id: Uuid) -> StoreResult<()> {
        stored_file::Entity::delete_many()
            .filter(stored_file::Column::Id.eq(file_id))
            .filter(stored_file::Column::State.eq(PENDING))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Uploads that started before `before` and never finished (the node stopped mid-way).
    pub async fn stale_files(&self, before: DateTime<Utc>) -> StoreResult<Vec<(Uuid, String)>> {
        stored_file::Entity::find()
            .select_only()
            .column(stored_file::Column::Id)
            .column(stored_file::Column::ObjectKey)
            .filter(stored_file::Column::State.eq(PENDING))
            .filter(stored_file::Column::CreatedAt.lt(before))
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)
    }

    /// Keys of every ready file: what the file store must hold.
    pub async fn ready_file_keys(&self) -> StoreResult<Vec<String>> {
        stored_file::Entity::find()
            .select_only()
            .column(stored_file::Column::ObjectKey)
            .filter(stored_file::Column::State.eq(READY))
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)
    }
}
