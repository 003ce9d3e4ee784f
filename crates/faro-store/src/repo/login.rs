//! Signing in and staying signed in: password candidates, failed-attempt counting (shared by all
//! nodes through the database) and database-backed sessions.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use faro_core::records::{Actor, Person};
use faro_core::{AuditAction, Email, PasswordHash, StoreResult, Viewer};
use uuid::Uuid;

use super::{audit, clean, now};
use crate::db::rows::{LoginFailureRow, MembershipRow, SessionRow, UserRow};
use crate::db::schema::{login_failures, memberships, sessions, users};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};
use crate::{Store, convert};

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

fn membership_of(c: &mut DbConn, user: &UserRow) -> StoreResult<Option<MembershipRow>> {
    match user.membership_id {
        Some(id) => memberships::table
            .find(id)
            .first(c)
            .optional()
            .map_err(db_err),
        None => Ok(None),
    }
}

/// What an e-mail and password attempt came to.
#[derive(Debug)]
pub enum Attempt {
    /// Too many failures for this address or from this client within the window.
    Throttled,
    /// Wrong address or password (the failure is recorded).
    Failed,
    AccountInactive,
    MembershipInactive,
    /// The password matches an active person; the caller opens a session or tokens.
    Accepted(Box<Person>),
}

/// What every sign-in records, whatever the credential: when, the failed attempts it clears and
/// the audit event.
pub(crate) fn record_sign_in(c: &mut DbConn, person: &Person, actor: &Actor) -> StoreResult<()> {
    diesel::update(users::table.find(Key(person.id)))
        .set(users::last_sign_in_at.eq(Moment(now())))
        .execute(c)
        .map_err(db_err)?;
    diesel::delete(login_failures::table.filter(login_failures::email.eq(person.email.as_str())))
        .execute(c)
        .map_err(db_err)?;
    audit::record(
        c,
        actor,
        AuditAction::SignIn,
        person.email.as_str(),
        person.membership_id,
    )
}

impl Store {
    /// Checks an e-mail and password the way every sign-in does: throttled after
    /// `limits::LOGIN_MAX_FAILURES` failures per address or client within the window, verified
    /// against a decoy when there is no account (timing tells nobody who has one), failures
    /// recorded, inactive accounts and memberships refused.
    pub async fn attempt_sign_in(
        &self,
        typed_email: &str,
        password: &str,
        ip: &str,
    ) -> StoreResult<Attempt> {
        use crate::limits::{LOGIN_MAX_FAILURES, LOGIN_WINDOW_MINUTES};
        let typed = typed_email.trim().to_lowercase();
        let since = Utc::now() - TimeDelta::minutes(LOGIN_WINDOW_MINUTES);
        let (by_email, by_ip) = self.recent_login_failures(&typed, ip, since).await?;
        if by_email >= LOGIN_MAX_FAILURES || by_ip >= LOGIN_MAX_FAILURES {
            return Ok(Attempt::Throttled);
        }
        let candidate = match Email::parse(typed_email) {
            Ok(email) => self.login_candidate(&email).await?,
            Err(_) => None,
        };
        let hash = candidate
            .as_ref()
            .and_then(|c| c.password_hash.clone())
            .unwrap_or_else(PasswordHash::decoy);
        let typed_password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || hash.verify(&typed_password))
            .await
            .map_err(|e| faro_core::StoreError::Other(format!("password check: {e}")))?;
        let Some(candidate) = candidate.filter(|_| matches) else {
            self.record_login_failure(&typed, ip).await?;
            return Ok(Attempt::Failed);
        };
        if !candidate.person.active {
            return Ok(Attempt::AccountInactive);
        }
        if !candidate.person.role.is_staff() && candidate.membership_active != Some(true) {
            return Ok(Attempt::MembershipInactive);
        }
        Ok(Attempt::Accepted(Box::new(candidate.person)))
    }

    pub async fn login_candidate(&self, email: &Email) -> StoreResult<Option<LoginCandidate>> {
        let email = email.as_str().to_owned();
        self.run(move |c| {
            let Some(row) = users::table
                .filter(users::email.eq(&email))
                .first::<UserRow>(c)
                .optional()
                .map_err(db_err)?
            else {
                return Ok(None);
            };
            let membership_active = membership_of(c, &row)?.map(|m| m.active);
            let password_hash = row.password_hash.clone().map(PasswordHash);
            Ok(Some(LoginCandidate {
                person: convert::person(row)?,
                password_hash,
                membership_active,
            }))
        })
        .await
    }

    /// Failed sign-ins since `since` for this address and from this IP address.
    pub async fn recent_login_failures(
        &self,
        email: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(u64, u64)> {
        let (email, ip) = (clean(email, 254), ip.to_owned());
        self.run(move |c| {
            let by_email: i64 = login_failures::table
                .filter(login_failures::email.eq(&email))
                .filter(login_failures::at.gt(Moment(since)))
                .count()
                .get_result(c)
                .map_err(db_err)?;
            let by_ip: i64 = login_failures::table
                .filter(login_failures::ip.eq(&ip))
                .filter(login_failures::at.gt(Moment(since)))
                .count()
                .get_result(c)
                .map_err(db_err)?;
            Ok((by_email.max(0) as u64, by_ip.max(0) as u64))
        })
        .await
    }

    pub async fn record_login_failure(&self, email: &str, ip: &str) -> StoreResult<()> {
        let (email, ip) = (clean(email, 254), clean(ip, 64));
        self.write(move |c| {
            diesel::insert_into(login_failures::table)
                .values(LoginFailureRow {
                    id: Key(Uuid::now_v7()),
                    email: email.clone(),
                    ip: ip.clone(),
                    at: Moment(now()),
                })
                .execute(c)
                .map_err(db_err)?;
            let actor = Actor {
                email: Some(email.clone()),
                ip: Some(ip),
                ..Actor::default()
            };
            audit::record(c, &actor, AuditAction::SignInFailed, &email, None)
        })
        .await
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
        let person = person.clone();
        let digest = session_digest.to_owned();
        self.write(move |c| {
            let at = now();
            diesel::insert_into(sessions::table)
                .values(SessionRow {
                    id: digest,
                    user_id: Key(person.id),
                    created_at: Moment(at),
                    last_seen_at: Moment(at),
                    expires_at: Moment(at + SESSION_IDLE),
                    ip: ip.as_deref().map(|s| clean(s, 64)),
                    user_agent: user_agent.as_deref().map(|s| clean(s, 256)),
                })
                .execute(c)
                .map_err(db_err)?;
            let actor = Actor {
                user_id: Some(person.id),
                email: Some(person.email.to_string()),
                ip,
                api_key_id: None,
            };
            record_sign_in(c, &person, &actor)
        })
        .await
    }

    /// The owner of a live session, or `None` when it is unknown, expired or its account (or
    /// membership) is no longer active; with it, until when that answer holds without asking
    /// again (its expiry, or when its last-seen time is due to be moved).
    pub(crate) async fn session_owner_from_db(
        &self,
        session_digest: &str,
    ) -> StoreResult<Option<(SessionOwner, DateTime<Utc>)>> {
        let digest = session_digest.to_owned();
        self.run(move |c| {
            let at = now();
            let Some((s, u)) = sessions::table
                .inner_join(users::table.on(users::id.eq(sessions::user_id)))
                .filter(sessions::id.eq(&digest))
                .select((sessions::all_columns, users::all_columns))
                .first::<(SessionRow, UserRow)>(c)
                .optional()
                .map_err(db_err)?
            else {
                return Ok(None);
            };
            let (expires_at, last_seen_at) = (s.expires_at.0, s.last_seen_at.0);
            if expires_at <= at || !u.active {
                return Ok(None);
            }
            let membership_name = match (u.membership_id, membership_of(c, &u)?) {
                (None, _) => None,
                (Some(_), Some(m)) if m.active => Some(m.name),
                (Some(_), _) => return Ok(None),
            };
            let mut holds_until = expires_at.min(last_seen_at + TOUCH_EVERY);
            if at - last_seen_at > TOUCH_EVERY {
                holds_until = at + TOUCH_EVERY;
                diesel::update(sessions::table.find(&s.id))
                    .set((
                        sessions::last_seen_at.eq(Moment(at)),
                        sessions::expires_at.eq(Moment(at + SESSION_IDLE)),
                    ))
                    .execute(c)
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
        })
        .await
    }

    pub async fn close_session(&self, session_digest: &str, actor: &Actor) -> StoreResult<()> {
        let digest = session_digest.to_owned();
        let actor = actor.clone();
        self.write(move |c| {
            let deleted = diesel::delete(sessions::table.find(&digest))
                .execute(c)
                .map_err(db_err)?;
            if deleted > 0 {
                let subject = actor.email.clone().unwrap_or_default();
                audit::record(c, &actor, AuditAction::SignOut, &subject, None)?;
            }
            Ok(())
        })
        .await
    }

    /// Housekeeping: forgets expired sessions and old failed attempts.
    pub async fn purge_expired(&self) -> StoreResult<u64> {
        let n = self
            .run(|c| {
                let at = now();
                let s = diesel::delete(sessions::table.filter(sessions::expires_at.lt(Moment(at))))
                    .execute(c)
                    .map_err(db_err)?;
                let f = diesel::delete(
                    login_failures::table
                        .filter(login_failures::at.lt(Moment(at - TimeDelta::days(1)))),
                )
                .execute(c)
                .map_err(db_err)?;
                Ok((s + f) as u64)
            })
            .await?;
        Ok(n + self.purge_rate_events().await?)
    }
}
