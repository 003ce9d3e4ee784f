//! Becoming a user and getting back in: the first-run administrator, joining a membership with
//! its invitation code (confirmed by e-mail) and password resets.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use faro_core::records::{Actor, Membership, OutgoingMail, Person};
use faro_core::{
    AuditAction, Conflict, Email, InvitationCode, Lang, PasswordHash, Role, SecretToken,
    StoreError, StoreResult,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::tokens::{self, NewToken, Purpose};
use super::{audit, now, outbox};
use crate::db::errors::is_unique_on;
use crate::db::rows::UserRow;
use crate::db::schema::users;
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};
use crate::{Store, convert};

pub const JOIN_LINK_TTL: TimeDelta = TimeDelta::hours(48);
pub const RESET_LINK_TTL: TimeDelta = TimeDelta::hours(1);
pub const SETUP_LINK_TTL: TimeDelta = TimeDelta::days(30);
pub const STAFF_WELCOME_TTL: TimeDelta = TimeDelta::hours(72);

/// What a pending join keeps until the e-mail is confirmed: no account exists before that.
#[derive(Serialize, Deserialize)]
struct PendingJoin {
    name: String,
    email: String,
    password_hash: String,
    language: String,
}

pub(crate) fn email_clash(e: diesel::result::Error) -> StoreError {
    if is_unique_on(&e, "email") {
        StoreError::Conflict(Conflict::EmailTaken)
    } else {
        db_err(e)
    }
}

pub(crate) fn email_taken(conn: &mut DbConn, email: &Email) -> StoreResult<bool> {
    let n: i64 = users::table
        .filter(users::email.eq(email.as_str()))
        .count()
        .get_result(conn)
        .map_err(db_err)?;
    Ok(n > 0)
}

pub(crate) struct NewUser<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: Role,
    pub membership_id: Option<Uuid>,
    pub language: Lang,
}

pub(crate) fn insert_user(conn: &mut DbConn, u: NewUser<'_>) -> StoreResult<Person> {
    let row: UserRow = diesel::insert_into(users::table)
        .values(UserRow {
            id: Key(Uuid::now_v7()),
            email: u.email.as_str().to_owned(),
            name: u.name.to_owned(),
            password_hash: u.password_hash.map(str::to_owned),
            role: u.role.as_str().to_owned(),
            membership_id: u.membership_id.map(Key),
            language: u.language.code().to_owned(),
            active: true,
            created_at: Moment(now()),
            last_sign_in_at: None,
            token_version: 0,
        })
        .returning(users::all_columns)
        .get_result(conn)
        .map_err(email_clash)?;
    convert::person(row)
}

fn count_users(conn: &mut DbConn) -> StoreResult<i64> {
    users::table.count().get_result(conn).map_err(db_err)
}

/// Checks that a membership's code admits people now.
pub fn check_code(m: Option<Membership>, at: DateTime<Utc>) -> StoreResult<Membership> {
    match m {
        Some(m) if m.code_usable(at) => Ok(m),
        Some(m) if m.active => Err(StoreError::Conflict(Conflict::CodeExpired)),
        _ => Err(StoreError::Conflict(Conflict::CodeInvalid)),
    }
}

impl Store {
    /// While nobody has an account, replaces any earlier setup link with a new one and returns
    /// it; `None` once the first administrator exists.
    pub async fn issue_setup_token(&self) -> StoreResult<Option<SecretToken>> {
        let token = SecretToken::generate().map_err(StoreError::Other)?;
        let digest = NewToken::new(&token, Purpose::Setup, now() + SETUP_LINK_TTL);
        let issued = self
            .write(move |c| {
                if count_users(c)? > 0 {
                    return Ok(false);
                }
                tokens::delete_unused(c, Purpose::Setup)?;
                tokens::insert(c, digest)?;
                Ok(true)
            })
            .await?;
        Ok(issued.then_some(token))
    }

    pub async fn setup_token_valid(&self, token: &SecretToken) -> StoreResult<bool> {
        let digest = token.digest();
        self.run(move |c| tokens::is_valid(c, &digest, Purpose::Setup))
            .await
    }

    /// Creates the first administrator with the one-time setup link.
    pub async fn complete_setup(
        &self,
        token: &SecretToken,
        email: &Email,
        name: &str,
        password: &PasswordHash,
        language: Lang,
        ip: Option<String>,
    ) -> StoreResult<Person> {
        let digest = token.digest();
        let (email, name, password) = (email.clone(), name.to_owned(), password.0.clone());
        self.write(move |c| {
            if tokens::consume(c, &digest, Purpose::Setup)?.is_none() {
                return Err(StoreError::NotFound);
            }
            if count_users(c)? > 0 {
                return Err(StoreError::Conflict(Conflict::AlreadySetUp));
            }
            let admin = insert_user(
                c,
                NewUser {
                    email: &email,
                    name: &name,
                    password_hash: Some(&password),
                    role: Role::Admin,
                    membership_id: None,
                    language,
                },
            )?;
            let actor = Actor {
                user_id: Some(admin.id),
                email: Some(email.to_string()),
                ip,
                api_key_id: None,
            };
            audit::record(c, &actor, AuditAction::AdminCreated, email.as_str(), None)?;
            Ok(admin)
        })
        .await
    }

    /// Step one of joining: checks the code and the address, then keeps the request and queues
    /// the confirmation e-mail. Nothing is created when any check fails.
    #[allow(clippy::too_many_arguments)]
    pub async fn start_join(
        &self,
        code: &InvitationCode,
        name: &str,
        email: &Email,
        password: &PasswordHash,
        language: Lang,
        token: &SecretToken,
        mail: impl FnOnce(&Membership) -> Result<OutgoingMail, String> + Send + 'static,
    ) -> StoreResult<Membership> {
        let payload = serde_json::to_string(&PendingJoin {
            name: name.to_owned(),
            email: email.as_str().to_owned(),
            password_hash: password.0.clone(),
            language: language.code().to_owned(),
        })
        .map_err(|e| StoreError::Other(e.to_string()))?;
        let mut pending = NewToken::new(token, Purpose::Join, now() + JOIN_LINK_TTL);
        pending.payload = Some(payload);
        let (code, email) = (code.clone(), email.clone());
        self.write(move |c| {
            let found = super::memberships::by_code(c, &code)?;
            let membership = check_code(found, now())?;
            if email_taken(c, &email)? {
                return Err(StoreError::Conflict(Conflict::EmailTaken));
            }
            pending.membership_id = Some(membership.id);
            tokens::insert(c, pending)?;
            outbox::enqueue(c, &mail(&membership).map_err(StoreError::Other)?)?;
            Ok(membership)
        })
        .await
    }

    /// Step two: the confirmation link creates the member.
    pub async fn confirm_join(
        &self,
        token: &SecretToken,
        ip: Option<String>,
    ) -> StoreResult<Person> {
        let digest = token.digest();
        self.write(move |c| {
            let row = tokens::consume(c, &digest, Purpose::Join)?.ok_or(StoreError::NotFound)?;
            let pending: PendingJoin =
                serde_json::from_str(row.payload.as_deref().unwrap_or(""))
                    .map_err(|e| StoreError::Other(format!("pending join payload: {e}")))?;
            let email = Email::parse(&pending.email)?;
            let membership_id = row.membership_id.ok_or(StoreError::NotFound)?.0;
            let role = if becomes_coordinator(c, membership_id, &email)? {
                Role::Coordinator
            } else {
                Role::Member
            };
            let person = insert_user(
                c,
                NewUser {
                    email: &email,
                    name: &pending.name,
                    password_hash: Some(&pending.password_hash),
                    role,
                    membership_id: Some(membership_id),
                    language: Lang::parse(&pending.language).unwrap_or_default(),
                },
            )?;
            let actor = Actor {
                user_id: Some(person.id),
                email: Some(email.to_string()),
                ip,
                api_key_id: None,
            };
            audit::record(
                c,
                &actor,
                AuditAction::MemberJoined,
                email.as_str(),
                Some(membership_id),
            )?;
            Ok(person)
        })
        .await
    }

    /// Queues a reset link when the address belongs to an active account; otherwise does
    /// nothing, so the answer never reveals who has an account.
    pub async fn request_password_reset(
        &self,
        email: &Email,
        token: &SecretToken,
        ip: Option<String>,
        mail: impl FnOnce(&Person) -> Result<OutgoingMail, String> + Send + 'static,
    ) -> StoreResult<()> {
        let mut link = NewToken::new(token, Purpose::PasswordReset, now() + RESET_LINK_TTL);
        let email = email.clone();
        self.write(move |c| {
            let Some(row) = users::table
                .filter(users::email.eq(email.as_str()))
                .filter(users::active.eq(true))
                .first::<UserRow>(c)
                .optional()
                .map_err(db_err)?
            else {
                return Ok(());
            };
            let person = convert::person(row)?;
            link.user_id = Some(person.id);
            link.membership_id = person.membership_id;
            tokens::insert(c, link)?;
            outbox::enqueue(c, &mail(&person).map_err(StoreError::Other)?)?;
            let actor = Actor {
                user_id: Some(person.id),
                email: Some(email.to_string()),
                ip,
                api_key_id: None,
            };
            audit::record(
                c,
                &actor,
                AuditAction::PasswordResetRequested,
                email.as_str(),
                person.membership_id,
            )
        })
        .await
    }

    pub async fn reset_token_valid(&self, token: &SecretToken) -> StoreResult<bool> {
        let digest = token.digest();
        self.run(move |c| tokens::is_valid(c, &digest, Purpose::PasswordReset))
            .await
    }

    /// Sets the new password with a reset link and signs the account out everywhere.
    pub async fn reset_password(
        &self,
        token: &SecretToken,
        password: &PasswordHash,
        ip: Option<String>,
    ) -> StoreResult<Person> {
        let digest = token.digest();
        let password = password.0.clone();
        self.write(move |c| {
            let row =
                tokens::consume(c, &digest, Purpose::PasswordReset)?.ok_or(StoreError::NotFound)?;
            let user_id = row.user_id.ok_or(StoreError::NotFound)?.0;
            let updated: UserRow = diesel::update(users::table.find(Key(user_id)))
                .set(users::password_hash.eq(Some(password)))
                .returning(users::all_columns)
                .get_result(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            let person = convert::person(updated)?;
            super::api_access::sign_out_everywhere(c, user_id, None)?;
            let actor = Actor {
                user_id: Some(user_id),
                email: Some(person.email.to_string()),
                ip,
                api_key_id: None,
            };
            audit::record(
                c,
                &actor,
                AuditAction::PasswordReset,
                person.email.as_str(),
                person.membership_id,
            )?;
            Ok(person)
        })
        .await
    }
}

/// The person the membership's invitation was e-mailed to (its `coordinator_email`) becomes
/// its coordinator on joining, while it has none; everyone else joins as a member.
fn becomes_coordinator(c: &mut DbConn, membership_id: Uuid, email: &Email) -> StoreResult<bool> {
    use crate::db::schema::memberships;
    let invited: Option<Option<String>> = memberships::table
        .filter(memberships::id.eq(Key(membership_id)))
        .select(memberships::coordinator_email)
        .first(c)
        .optional()
        .map_err(db_err)?;
    if !invited
        .flatten()
        .is_some_and(|e| e.eq_ignore_ascii_case(email.as_str()))
    {
        return Ok(false);
    }
    let coordinators: i64 = users::table
        .filter(users::membership_id.eq(Key(membership_id)))
        .filter(users::role.eq(Role::Coordinator.as_str()))
        .filter(users::active.eq(true))
        .count()
        .get_result(c)
        .map_err(db_err)?;
    Ok(coordinators == 0)
}
