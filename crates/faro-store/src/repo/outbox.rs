//! The mail outbox: queued inside each change's transaction (`enqueue`), then, as the sender
//! sees it, claimed when due (so two nodes never send one twice) and marked sent or scheduled
//! for a retry.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use faro_core::StoreResult;
use faro_core::records::OutgoingMail;
use uuid::Uuid;

use super::now;
use crate::Store;
use crate::db::rows::OutboxRow;
use crate::db::schema::outbox;
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};

/// How long a claimed message is reserved for the node that claimed it.
const CLAIM_FOR: TimeDelta = TimeDelta::minutes(2);

#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub id: Uuid,
    pub attempts: i32,
    pub mail: OutgoingMail,
}

/// Queues one e-mail on `conn` (inside the change's transaction); the background sender
/// delivers it after the commit.
pub(crate) fn enqueue(conn: &mut DbConn, mail: &OutgoingMail) -> StoreResult<()> {
    let at = now();
    diesel::insert_into(outbox::table)
        .values(OutboxRow {
            id: Key(Uuid::now_v7()),
            to_address: mail.to.clone(),
            subject: mail.subject.clone(),
            text_body: mail.text.clone(),
            html_body: mail.html.clone(),
            attachments: super::attachments::encode(&mail.attachments)?,
            created_at: Moment(at),
            attempts: 0,
            next_attempt_at: Moment(at),
            claimed_until: None,
            sent_at: None,
            last_error: None,
        })
        .execute(conn)
        .map_err(db_err)?;
    Ok(())
}

impl Store {
    /// Claims up to `limit` messages that are due and not claimed by another node.
    pub async fn claim_due_mail(&self, limit: u64) -> StoreResult<Vec<QueuedMail>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(move |c| {
            let at = now();
            let free = outbox::claimed_until
                .is_null()
                .or(outbox::claimed_until.lt(Moment(at)));
            let candidates: Vec<OutboxRow> = outbox::table
                .filter(outbox::sent_at.is_null())
                .filter(outbox::next_attempt_at.le(Moment(at)))
                .filter(free)
                .order(outbox::next_attempt_at.asc())
                .limit(limit)
                .load(c)
                .map_err(db_err)?;
            let mut claimed = Vec::with_capacity(candidates.len());
            for row in candidates {
                // The claim is a conditional update: whoever changes the row first owns it.
                let won = diesel::update(
                    outbox::table
                        .filter(outbox::id.eq(row.id))
                        .filter(outbox::sent_at.is_null())
                        .filter(free),
                )
                .set(outbox::claimed_until.eq(Moment(at + CLAIM_FOR)))
                .execute(c)
                .map_err(db_err)?;
                if won == 1 {
                    claimed.push(QueuedMail {
                        id: row.id.0,
                        attempts: row.attempts,
                        mail: OutgoingMail {
                            to: row.to_address,
                            subject: row.subject,
                            text: row.text_body,
                            html: row.html_body,
                            attachments: super::attachments::decode(row.attachments.as_deref())?,
                        },
                    });
                }
            }
            Ok(claimed)
        })
        .await
    }

    pub async fn mark_mail_sent(&self, id: Uuid) -> StoreResult<()> {
        self.run(move |c| {
            diesel::update(outbox::table.find(Key(id)))
                .set((
                    outbox::sent_at.eq(Moment(now())),
                    outbox::claimed_until.eq(None::<Moment>),
                ))
                .execute(c)
                .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    /// Records a failed attempt and when to try again.
    pub async fn mark_mail_failed(
        &self,
        id: Uuid,
        attempts: i32,
        retry_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<()> {
        let error: String = error.chars().filter(|c| *c != '\0').take(1000).collect();
        self.run(move |c| {
            diesel::update(outbox::table.find(Key(id)))
                .set((
                    outbox::attempts.eq(attempts),
                    outbox::next_attempt_at.eq(Moment(retry_at)),
                    outbox::claimed_until.eq(None::<Moment>),
                    outbox::last_error.eq(Some(error)),
                ))
                .execute(c)
                .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    /// Messages not yet delivered (for tests and the health of the sender).
    pub async fn pending_mail_count(&self) -> StoreResult<u64> {
        self.run(|c| {
            let n: i64 = outbox::table
                .filter(outbox::sent_at.is_null())
                .count()
                .get_result(c)
                .map_err(db_err)?;
            Ok(n as u64)
        })
        .await
    }
}
