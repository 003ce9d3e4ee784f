//! Signing in and staying signed in: password candidates, failed-attempt counting (shared by all
//! nodes through the database) and database-backed sessions.

use chrono::{DateTime, TimeDelta, Utc};
use faro_core::records::{Actor, Person};
use faro_core::{AuditAction, Email, PasswordHash, StoreResult, Viewer};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use super::{clean, now, record_audit};
use crate::entity::{login_failure, membership, session, user};
use crate::{Store, convert, db_err};

/// A session lives this long without use.
pub const SESSION_IDLE: TimeDelta = TimeDelta::days(14);
/// `last_seen_at` is refreshed at most this often, so reads do not write on every request.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(5);

/// What the sign-in form checks a password against.
pub struct LoginCandidate {
    pub person: Person,
    pub password_hash: Option<PasswordHash>,
    /// `Some(false)` when the person's membership has been deactivated.
    pub membership_active: Option<bool>,
}

/// The person behind a session cookie.
#[derive(Debug, Clone)]
pub struct SessionOwner {
    pub viewer: Viewer,
    pub person: Person,
    pub membership_name: Option<String>,
}

impl Store {
    pub async fn login_candidate(&self, email: &Email) -> StoreResult<Option<LoginCandidate>> {
        let Some(row) = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(self.conn())
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let membership_active = match row.membership_id {
            Some(id) => membership::Entity::find_by_id(id)
                .one(self.conn())
                .await
                .map_err(db_err)?
                .map(|m| m.active),
            None => None,
        };
        let password_hash = row.password_hash.clone().map(PasswordHash);
        Ok(Some(LoginCandidate {
            person: convert::person(row)?,
            password_hash,
            membership_active,
        }))
    }

    /// Failed sign-ins since `since` for this address and from this IP address.
    pub async fn recent_login_failures(
        &self,
        email: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(u64, u64)> {
        let by_email = login_failure::Entity::find()
            .filter(login_failure::Column::Email.eq(clean(email, 254)))
            .filter(login_failure::Column::At.gt(since))
            .count(self.conn())
            .await
            .map_err(db_err)?;
        let by_ip = login_failure::Entity::find()
            .filter(login_failure::Column::Ip.eq(ip))
            .filter(login_failure::Column::At.gt(since))
            .count(self.conn())
            .await
            .map_err(db_err)?;
        Ok((by_email, by_ip))
    }

    pub async fn record_login_failure(&self, email: &str, ip: &str) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        login_failure::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(clean(email, 254)),
            ip: Set(clean(ip, 64)),
            at: Set(now()),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        let actor = Actor {
            user_id: None,
            email: Some(clean(email, 254)),
            ip: Some(ip.to_owned()),
        };
        record_audit(
            &tx,
            &actor,
            AuditAction::SignInFailed,
            &actor.email.clone().unwrap_or_default(),
            None,
        )
        .await?;
        self.commit(tx).await
    }

    /// Opens a session whose cookie hashes to `session_digest`, clears the account's failed
    /// attempts and records the sign-in.
    pub async fn open_session(
        &self,
        person: &Person,
        session_digest: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> StoreResult<()> {
        let at = now();
        let tx = self.write_tx().await?;
        session::ActiveModel {
            id: Set(session_digest.to_owned()),
            user_id: Set(person.id),
            created_at: Set(at),
            last_seen_at: Set(at),
            expires_at: Set(at + SESSION_IDLE),
            ip: Set(ip.as_deref().map(|s| clean(s, 64))),
            user_agent: Set(user_agent.as_deref().map(|s| clean(s, 256))),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        user::Entity::update_many()
            .col_expr(user::Column::LastSignInAt, Expr::value(at))
            .filter(user::Column::Id.eq(person.id))
            .exec(&tx)
            .await
            .map_err(db_err)?;
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::Email.eq(person.email.as_str()))
            .exec(&tx)
            .await
            .map_err(db_err)?;
        let actor = Actor {
            user_id: Some(person.id),
            email: Some(person.email.to_string()),
            ip,
        };
        record_audit(
            &tx,
            &actor,
            AuditAction::SignIn,
            person.email.as_str(),
            person.membership_id,
        )
        .await?;
        self.commit(tx).await
    }

    /// The owner of a live session, or `None` when it is unknown, expired or its account (or
    /// membership) is no longer active.
    /// The session's owner and until when that answer holds without asking again (its expiry,
    /// or when its last-seen time is due to be moved).
    pub(crate) async fn session_owner_from_db(
        &self,
        session_digest: &str,
    ) -> StoreResult<Option<(SessionOwner, DateTime<Utc>)>> {
        let at = now();
        let Some((s, Some(u))) = session::Entity::find_by_id(session_digest.to_owned())
            .find_also_related(user::Entity)
            .one(self.conn())
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        if s.expires_at <= at || !u.active {
            return Ok(None);
        }
        let membership_name = match u.membership_id {
            Some(id) => match membership::Entity::find_by_id(id)
                .one(self.conn())
                .await
                .map_err(db_err)?
            {
                Some(m) if m.active => Some(m.name),
                _ => return Ok(None),
            },
            None => None,
        };
        let mut holds_until = s.expires_at.min(s.last_seen_at + TOUCH_EVERY);
        if at - s.last_seen_at > TOUCH_EVERY {
            holds_until = at + TOUCH_EVERY;
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(at))
                .col_expr(session::Column::ExpiresAt, Expr::value(at + SESSION_IDLE))
                .filter(session::Column::Id.eq(s.id.clone()))
                .exec(self.conn())
                .await
                .map_err(db_err)?;
        }
        let person = convert::person(u)?;
        let viewer = Viewer {
            user_id: person.id,
            role: person.role,
            membership_id: person.membership_id,
        };
        Ok(Some((
            SessionOwner {
                viewer,
                person,
                membership_name,
            },
            holds_until,
        )))
    }

    pub async fn close_session(&self, session_digest: &str, actor: &Actor) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        let deleted = session::Entity::delete_by_id(session_digest.to_owned())
            .exec(&tx)
            .await
            .map_err(db_err)?;
        if deleted.rows_affected > 0 {
            record_audit(
                &tx,
                actor,
                AuditAction::SignOut,
                actor.email.as_deref().unwrap_or(""),
                None,
            )
            .await?;
        }
        self.commit(tx).await
    }

    /// Housekeeping: forgets expired sessions and old failed attempts.
    pub async fn purge_expired(&self) -> StoreResult<u64> {
        let at = now();
        let s = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(at))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        let f = login_failure::Entity::delete_many()
            .filter(login_failure::Column::At.lt(at - TimeDelta::days(1)))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        let r = self.purge_rate_events().await?;
        Ok(s.rows_affected + f.rows_affected + r)
    }
}
