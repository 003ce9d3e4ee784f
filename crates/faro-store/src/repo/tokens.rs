//! Single-use tokens (setup, e-mail confirmation, password reset): stored as digests, consumed
//! atomically so a link works exactly once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::{SecretToken, StoreResult};
use uuid::Uuid;

use super::now;
use crate::db::rows::TokenRow;
use crate::db::schema::tokens;
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};

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

pub(crate) struct NewToken {
    /// The token's digest (what is stored; the token itself only travels in the link).
    pub digest: String,
    pub purpose: Purpose,
    pub user_id: Option<Uuid>,
    pub membership_id: Option<Uuid>,
    pub payload: Option<String>,
    pub expires_at: DateTime<Utc>,
}

impl NewToken {
    pub(crate) fn new(token: &SecretToken, purpose: Purpose, expires_at: DateTime<Utc>) -> Self {
        Self {
            digest: token.digest(),
            purpose,
            user_id: None,
            membership_id: None,
            payload: None,
            expires_at,
        }
    }
}

pub(crate) fn insert(conn: &mut DbConn, t: NewToken) -> StoreResult<()> {
    diesel::insert_into(tokens::table)
        .values(TokenRow {
            id: t.digest,
            purpose: t.purpose.code().to_owned(),
            user_id: t.user_id.map(Key),
            membership_id: t.membership_id.map(Key),
            payload: t.payload,
            created_at: Moment(now()),
            expires_at: Moment(t.expires_at),
            used_at: None,
        })
        .execute(conn)
        .map_err(db_err)?;
    Ok(())
}

/// Marks the token used and returns it, or `None` if it is unknown, used, expired or for
/// another purpose. One conditional update: only one caller can ever win.
pub(crate) fn consume(
    conn: &mut DbConn,
    digest: &str,
    purpose: Purpose,
) -> StoreResult<Option<TokenRow>> {
    let at = now();
    diesel::update(
        tokens::table
            .filter(tokens::id.eq(digest))
            .filter(tokens::purpose.eq(purpose.code()))
            .filter(tokens::used_at.is_null())
            .filter(tokens::expires_at.gt(Moment(at))),
    )
    .set(tokens::used_at.eq(Moment(at)))
    .returning(tokens::all_columns)
    .get_result(conn)
    .optional()
    .map_err(db_err)
}

/// Whether the token would be accepted now, without using it (to show a form or an error).
pub(crate) fn is_valid(conn: &mut DbConn, digest: &str, purpose: Purpose) -> StoreResult<bool> {
    let n: i64 = tokens::table
        .filter(tokens::id.eq(digest))
        .filter(tokens::purpose.eq(purpose.code()))
        .filter(tokens::used_at.is_null())
        .filter(tokens::expires_at.gt(Moment(now())))
        .count()
        .get_result(conn)
        .map_err(db_err)?;
    Ok(n > 0)
}

pub(crate) fn delete_unused(conn: &mut DbConn, purpose: Purpose) -> StoreResult<()> {
    diesel::delete(
        tokens::table
            .filter(tokens::purpose.eq(purpose.code()))
            .filter(tokens::used_at.is_null()),
    )
    .execute(conn)
    .map_err(db_err)?;
    Ok(())
}
