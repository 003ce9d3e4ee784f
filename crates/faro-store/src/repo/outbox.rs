//! The mail outbox as the sender sees it: claim due messages (so two nodes never send one
//! twice), then mark them sent or schedule a retry.

use chrono::{DateTime, TimeDelta, Utc};
use faro_core::StoreResult;
use faro_core::records::OutgoingMail;
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::now;
use crate::entity::outbox;
use crate::{Store, db_err};

/// How long a claimed message is reserved for the node that claimed it.
const CLAIM_FOR: TimeDelta = TimeDelta::minutes(2);

#[derive(Debug, Clone)]
pub struct QueuedMail {
    pub id: Uuid,
    pub attempts: i32,
    pub mail: OutgoingMail,
}

impl Store {
    /// Claims up to `limit` messages that are due and not claimed by another node.
    pub async fn claim_due_mail(&self, limit: u64) -> StoreResult<Vec<QueuedMail>> {
        let at = now();
        let candidates = outbox::Entity::find()
            .filter(outbox::Column::SentAt.is_null())
            .filter(outbox::Column::NextAttemptAt.lte(at))
            .filter(
                Condition::any()
                    .add(outbox::Column::ClaimedUntil.is_null())
                    .add(outbox::Column::ClaimedUntil.lt(at)),
            )
            .order_by_asc(outbox::Column::NextAttemptAt)
            .limit(limit)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for row in candidates {
            // The claim is a conditional update: whoever changes the row first owns it.
            let res = outbox::Entity::update_many()
                .col_expr(outbox::Column::ClaimedUntil, Expr::value(at + CLAIM_FOR))
                .filter(outbox::Column::Id.eq(row.id))
                .filter(outbox::Column::SentAt.is_null())
                .filter(
                    Condition::any()
                        .add(outbox::Column::ClaimedUntil.is_null())
                        .add(outbox::Column::ClaimedUntil.lt(at)),
                )
                .exec(self.conn())
                .await
                .map_err(db_err)?;
            if res.rows_affected == 1 {
                claimed.push(QueuedMail {
                    id: row.id,
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
    }

    pub async fn mark_mail_sent(&self, id: Uuid) -> StoreResult<()> {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::SentAt, Expr::value(now()))
            .col_expr(
                outbox::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(outbox::Column::Id.eq(id))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Records a failed attempt and when to try again.
    pub async fn mark_mail_failed(
        &self,
        id: Uuid,
        attempts: i32,
        retry_at: DateTime<Utc>,
        error: &str,
    ) -> StoreResult<()> {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Attempts, Expr::value(attempts))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(retry_at))
            .col_expr(
                outbox::Column::ClaimedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                outbox::Column::LastError,
                Expr::value(error.chars().take(1000).collect::<String>()),
            )
            .filter(outbox::Column::Id.eq(id))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Messages not yet delivered (for tests and the health of the sender).
    pub async fn pending_mail_count(&self) -> StoreResult<u64> {
        outbox::Entity::find()
            .filter(outbox::Column::SentAt.is_null())
            .count(self.conn())
            .await
            .map_err(db_err)
    }
}
