//! The SeaORM side of the helpers every write transaction uses, for the repositories that have
//! not moved to diesel yet (their diesel twins: `audit::record`, `outbox::enqueue`,
//! `names`, `files`, `search_log`). Goes away with the last of them.

use chrono::{DateTime, Utc};
use faro_core::downloads::StoredFile;
use faro_core::records::{Actor, OutgoingMail};
use faro_core::{AuditAction, StoreError, StoreResult};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{attachments, clean, now};
use crate::db_err;
use crate::entity::{audit_event, outbox as outbox_row, search_change, stored_file};

const PENDING: &str = "pending";
const READY: &str = "ready";

/// Names of the memberships among `ids` (duplicates and an empty list are fine): one query.
pub(crate) async fn membership_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<(Uuid, String)>, StoreError> {
    use crate::entity::membership;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    membership::Entity::find()
        .select_only()
        .column(membership::Column::Id)
        .column(membership::Column::Name)
        .filter(membership::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)
}

/// Names of the people among `ids`: one query.
pub(crate) async fn person_names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<(Uuid, String)>, StoreError> {
    use crate::entity::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Name)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)
}

/// Writes one audit event on `conn` (normally the transaction of the change).
pub(crate) async fn record_audit(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: AuditAction,
    subject: &str,
    membership_id: Option<Uuid>,
) -> Result<(), StoreError> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(now()),
        actor_id: Set(actor.user_id.filter(|id| !id.is_nil())),
        actor_email: Set(actor.email.as_deref().map(|e| clean(e, 254))),
        action: Set(action.code().to_owned()),
        subject: Set(clean(subject, 500)),
        membership_id: Set(membership_id),
        ip: Set(actor.ip.as_deref().map(|ip| clean(ip, 64))),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Queues one e-mail on `conn`; the background sender delivers it after the commit.
pub(crate) async fn enqueue_mail(
    conn: &impl ConnectionTrait,
    mail: &OutgoingMail,
) -> Result<(), StoreError> {
    let at = now();
    outbox_row::ActiveModel {
        id: Set(Uuid::now_v7()),
        to_address: Set(mail.to.clone()),
        subject: Set(mail.subject.clone()),
        text_body: Set(mail.text.clone()),
        html_body: Set(mail.html.clone()),
        attachments: Set(attachments::encode(&mail.attachments)?),
        created_at: Set(at),
        attempts: Set(0),
        next_attempt_at: Set(at),
        claimed_until: Set(None),
        sent_at: Set(None),
        last_error: Set(None),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

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

pub(crate) async fn log_change(
    conn: &impl ConnectionTrait,
    article_id: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    search_change::ActiveModel {
        article_id: Set(article_id),
        at: Set(at),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}
