//! Single-use tokens (setup, e-mail confirmation, password reset): stored as digests, consumed
//! atomically so a link works exactly once.

use chrono::{DateTime, Utc};
use faro_core::{SecretToken, StoreError};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::now;
use crate::db_err;
use crate::entity::token;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Setup,
    Join,
    PasswordReset,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Setup => "setup",
            Purpose::Join => "join",
            Purpose::PasswordReset => "password_reset",
        }
    }
}

pub(crate) struct NewToken<'a> {
    pub token: &'a SecretToken,
    pub purpose: Purpose,
    pub user_id: Option<Uuid>,
    pub membership_id: Option<Uuid>,
    pub payload: Option<String>,
    pub expires_at: DateTime<Utc>,
}

pub(crate) async fn insert(conn: &impl ConnectionTrait, t: NewToken<'_>) -> Result<(), StoreError> {
    token::ActiveModel {
        id: Set(t.token.digest()),
        purpose: Set(t.purpose.code().to_owned()),
        user_id: Set(t.user_id),
        membership_id: Set(t.membership_id),
        payload: Set(t.payload),
        created_at: Set(now()),
        expires_at: Set(t.expires_at),
        used_at: Set(None),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// Marks the token used and returns it, or `None` if it is unknown, used, expired or for
/// another purpose. Only one caller can ever win.
pub(crate) async fn consume(
    conn: &impl ConnectionTrait,
    t: &SecretToken,
    purpose: Purpose,
) -> Result<Option<token::Model>, StoreError> {
    let at = now();
    let id = t.digest();
    let updated = token::Entity::update_many()
        .col_expr(token::Column::UsedAt, Expr::value(at))
        .filter(token::Column::Id.eq(id.clone()))
        .filter(token::Column::Purpose.eq(purpose.code()))
        .filter(token::Column::UsedAt.is_null())
        .filter(token::Column::ExpiresAt.gt(at))
        .exec(conn)
        .await
        .map_err(db_err)?;
    if updated.rows_affected != 1 {
        return Ok(None);
    }
    token::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(db_err)
}

/// Whether the token would be accepted now, without using it (to show a form or an error).
pub(crate) async fn is_valid(
    conn: &impl ConnectionTrait,
    t: &SecretToken,
    purpose: Purpose,
) -> Result<bool, StoreError> {
    let found = token::Entity::find_by_id(t.digest())
        .filter(token::Column::Purpose.eq(purpose.code()))
        .filter(token::Column::UsedAt.is_null())
        .filter(token::Column::ExpiresAt.gt(now()))
        .one(conn)
        .await
        .map_err(db_err)?;
    Ok(found.is_some())
}

pub(crate) async fn delete_unused(
    conn: &impl ConnectionTrait,
    purpose: Purpose,
) -> Result<(), StoreError> {
    token::Entity::delete_many()
        .filter(token::Column::Purpose.eq(purpose.code()))
        .filter(token::Column::UsedAt.is_null())
        .exec(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}
