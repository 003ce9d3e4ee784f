//! Becoming a user and getting back in: the first-run administrator, joining a membership with
//! its invitation code (confirmed by e-mail) and password resets.

use chrono::{DateTime, TimeDelta, Utc};
use faro_core::records::{Actor, Membership, OutgoingMail, Person};
use faro_core::{
    AuditAction, Conflict, Email, InvitationCode, Lang, PasswordHash, Role, SecretToken,
    StoreError, StoreResult,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    SqlErr,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::tokens::{self, NewToken, Purpose};
use super::{enqueue_mail, now, record_audit};
use crate::entity::{session, user};
use crate::{Store, convert, db_err};

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

pub(crate) fn email_clash(e: sea_orm::DbErr) -> StoreError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(Conflict::EmailTaken),
        _ => db_err(e),
    }
}

pub(crate) async fn email_taken(conn: &impl ConnectionTrait, email: &Email) -> StoreResult<bool> {
    let n = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .count(conn)
        .await
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

pub(crate) async fn insert_user(
    conn: &impl ConnectionTrait,
    u: NewUser<'_>,
) -> StoreResult<Person> {
    let row = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(u.email.as_str().to_owned()),
        name: Set(u.name.to_owned()),
        password_hash: Set(u.password_hash.map(str::to_owned)),
        role: Set(u.role.as_str().to_owned()),
        membership_id: Set(u.membership_id),
        language: Set(u.language.code().to_owned()),
        active: Set(true),
        created_at: Set(now()),
        last_sign_in_at: Set(None),
    }
    .insert(conn)
    .await
    .map_err(email_clash)?;
    convert::person(row)
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
        let tx = self.write_tx().await?;
        if user::Entity::find().count(&tx).await.map_err(db_err)? > 0 {
            return Ok(None);
        }
        tokens::delete_unused(&tx, Purpose::Setup).await?;
        let token = SecretToken::generate().map_err(StoreError::Other)?;
        tokens::insert(
            &tx,
            NewToken {
                token: &token,
                purpose: Purpose::Setup,
                user_id: None,
                membership_id: None,
                payload: None,
                expires_at: now() + SETUP_LINK_TTL,
            },
        )
        .await?;
        self.commit(tx).await?;
        Ok(Some(token))
    }

    pub async fn setup_token_valid(&self, token: &SecretToken) -> StoreResult<bool> {
        tokens::is_valid(self.conn(), token, Purpose::Setup).await
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
        let tx = self.write_tx().await?;
        if tokens::consume(&tx, token, Purpose::Setup).await?.is_none() {
            return Err(StoreError::NotFound);
        }
        if user::Entity::find().count(&tx).await.map_err(db_err)? > 0 {
            return Err(StoreError::Conflict(Conflict::AlreadySetUp));
        }
        let admin = insert_user(
            &tx,
            NewUser {
                email,
                name,
                password_hash: Some(&password.0),
                role: Role::Admin,
                membership_id: None,
                language,
            },
        )
        .await?;
        let actor = Actor {
            user_id: Some(admin.id),
            email: Some(email.to_string()),
            ip,
        };
        record_audit(&tx, &actor, AuditAction::AdminCreated, email.as_str(), None).await?;
        self.commit(tx).await?;
        Ok(admin)
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
        mail: impl FnOnce(&Membership) -> Result<OutgoingMail, String> + Send,
    ) -> StoreResult<Membership> {
        let tx = self.write_tx().await?;
        let found = super::memberships::by_code(&tx, code).await?;
        let membership = check_code(found, now())?;
        if email_taken(&tx, email).await? {
            return Err(StoreError::Conflict(Conflict::EmailTaken));
        }
        let payload = serde_json::to_string(&PendingJoin {
            name: name.to_owned(),
            email: email.as_str().to_owned(),
            password_hash: password.0.clone(),
            language: language.code().to_owned(),
        })
        .map_err(|e| StoreError::Other(e.to_string()))?;
        tokens::insert(
            &tx,
            NewToken {
                token,
                purpose: Purpose::Join,
                user_id: None,
                membership_id: Some(membership.id),
                payload: Some(payload),
                expires_at: now() + JOIN_LINK_TTL,
            },
        )
        .await?;
        enqueue_mail(&tx, &mail(&membership).map_err(StoreError::Other)?).await?;
        self.commit(tx).await?;
        Ok(membership)
    }

    /// Step two: the confirmation link creates the member.
    pub async fn confirm_join(
        &self,
        token: &SecretToken,
        ip: Option<String>,
    ) -> StoreResult<Person> {
        let tx = self.write_tx().await?;
        let row = tokens::consume(&tx, token, Purpose::Join)
            .await?
            .ok_or(StoreError::NotFound)?;
        let pending: PendingJoin = serde_json::from_str(row.payload.as_deref().unwrap_or(""))
            .map_err(|e| StoreError::Other(format!("pending join payload: {e}")))?;
        let email = Email::parse(&pending.email)?;
        let membership_id = row.membership_id.ok_or(StoreError::NotFound)?;
        let person = insert_user(
            &tx,
            NewUser {
                email: &email,
                name: &pending.name,
                password_hash: Some(&pending.password_hash),
                role: Role::Member,
                membership_id: Some(membership_id),
                language: Lang::parse(&pending.language).unwrap_or_default(),
            },
        )
        .await?;
        let actor = Actor {
            user_id: Some(person.id),
            email: Some(email.to_string()),
            ip,
        };
        record_audit(
            &tx,
            &actor,
            AuditAction::MemberJoined,
            email.as_str(),
            Some(membership_id),
        )
        .await?;
        self.commit(tx).await?;
        Ok(person)
    }

    /// Queues a reset link when the address belongs to an active account; otherwise does
    /// nothing, so the answer never reveals who has an account.
    pub async fn request_password_reset(
        &self,
        email: &Email,
        token: &SecretToken,
        ip: Option<String>,
        mail: impl FnOnce(&Person) -> Result<OutgoingMail, String> + Send,
    ) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        let Some(row) = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .filter(user::Column::Active.eq(true))
            .one(&tx)
            .await
            .map_err(db_err)?
        else {
            return Ok(());
        };
        let person = convert::person(row)?;
        tokens::insert(
            &tx,
            NewToken {
                token,
                purpose: Purpose::PasswordReset,
                user_id: Some(person.id),
                membership_id: person.membership_id,
                payload: None,
                expires_at: now() + RESET_LINK_TTL,
            },
        )
        .await?;
        enqueue_mail(&tx, &mail(&person).map_err(StoreError::Other)?).await?;
        let actor = Actor {
            user_id: Some(person.id),
            email: Some(email.to_string()),
            ip,
        };
        record_audit(
            &tx,
            &actor,
            AuditAction::PasswordResetRequested,
            email.as_str(),
            person.membership_id,
        )
        .await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn reset_token_valid(&self, token: &SecretToken) -> StoreResult<bool> {
        tokens::is_valid(self.conn(), token, Purpose::PasswordReset).await
    }

    /// Sets the new password with a reset link and signs the account out everywhere.
    pub async fn reset_password(
        &self,
        token: &SecretToken,
        password: &PasswordHash,
        ip: Option<String>,
    ) -> StoreResult<Person> {
        let tx = self.write_tx().await?;
        let row = tokens::consume(&tx, token, Purpose::PasswordReset)
            .await?
            .ok_or(StoreError::NotFound)?;
        let user_id = row.user_id.ok_or(StoreError::NotFound)?;
        let found = user::Entity::find_by_id(user_id)
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let mut active: user::ActiveModel = found.into();
        active.password_hash = Set(Some(password.0.clone()));
        let person = convert::person(active.update(&tx).await.map_err(db_err)?)?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(user_id))
            .exec(&tx)
            .await
            .map_err(db_err)?;
        let actor = Actor {
            user_id: Some(user_id),
            email: Some(person.email.to_string()),
            ip,
        };
        record_audit(
            &tx,
            &actor,
            AuditAction::PasswordReset,
            person.email.as_str(),
            person.membership_id,
        )
        .await?;
        self.commit(tx).await?;
        Ok(person)
    }
}
