//! Repositories: one file per concern. Writes that other things depend on (audit, outbox) happen
//! in the same transaction as the change that caused them.

pub mod accounts;
mod attachments;
pub mod audit;
pub(crate) mod cached;
pub mod downloads;
pub mod files;
pub mod incident_escalation;
pub mod incidents;
pub mod kb_articles;
pub mod kb_categories;
pub mod kb_reading;
pub mod login;
pub mod memberships;
pub mod outbox;
pub mod people;
pub mod rate;
pub mod resources;
pub mod settings;
pub mod tokens;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use faro_core::records::{Actor, OutgoingMail};
use faro_core::{AuditAction, StoreError};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::db_err;
use crate::entity::{audit_event, outbox as outbox_row};

/// Now, truncated to microseconds: PostgreSQL keeps no more, and values must compare equal after
/// a round trip on both backends.
pub(crate) fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

/// Text that came from outside (typed e-mails, user agents): without control characters, which
/// PostgreSQL refuses in text columns (NUL), and at most `max` characters.
pub(crate) fn clean(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

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
