//! People: a membership's members as its coordinator and staff see them, staff accounts as
//! administrators manage them, and each person's own profile.

use faro_core::records::{Actor, OutgoingMail, Person};
use faro_core::{
    AuditAction, Conflict, Email, Lang, PasswordHash, Role, SecretToken, StoreError, StoreResult,
    Viewer,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use super::accounts::{NewUser, insert_user};
use super::tokens::{self, NewToken, Purpose};
use super::{enqueue_mail, now, record_audit};
use crate::entity::{session, user};
use crate::{Store, convert, db_err};

/// The link token for a new staff account and the mail that carries it.
pub type WelcomeMail<'a> = (
    &'a SecretToken,
    Box<dyn FnOnce(&Person) -> Result<OutgoingMail, String> + Send + 'a>,
);

pub struct NewStaff {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub language: Lang,
    /// Set directly by `faro admin create`; without it the person gets a link to choose one.
    pub password: Option<PasswordHash>,
}

async fn load(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

/// Loads a client person that `viewer` may manage; anything else is `NotFound`.
async fn load_manageable(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> StoreResult<user::Model> {
    let row = load(conn, id).await?;
    match row.membership_id {
        Some(m) if viewer.can_see_membership(m) => {
            if viewer.can_manage_people_of(m) {
                Ok(row)
            } else {
                Err(StoreError::Forbidden)
            }
        }
        _ => Err(StoreError::NotFound),
    }
}

async fn active_admins(conn: &impl ConnectionTrait) -> StoreResult<u64> {
    user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::Active.eq(true))
        .count(conn)
        .await
        .map_err(db_err)
}

async fn drop_sessions(conn: &impl ConnectionTrait, user_id: Uuid) -> StoreResult<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(conn)
        .await
        .map_err(db_err)?;
    Ok(())
}

impl Store {
    /// The people of a membership: for staff and its coordinator. Another membership is
    /// `NotFound`; a plain member of this one is `Forbidden`.
    pub async fn people_of(
        &self,
        viewer: &Viewer,
        membership_id: Uuid,
    ) -> StoreResult<Vec<Person>> {
        if !viewer.can_see_membership(membership_id) {
            return Err(StoreError::NotFound);
        }
        if !viewer.can_manage_people_of(membership_id) {
            return Err(StoreError::Forbidden);
        }
        user::Entity::find()
            .filter(user::Column::MembershipId.eq(membership_id))
            .order_by_desc(user::Column::Role)
            .order_by_asc(user::Column::Name)
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::person)
            .collect()
    }

    /// Deactivates (and signs out) or reactivates a client person.
    pub async fn set_person_active(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        active: bool,
    ) -> StoreResult<Person> {
        let tx = self.write_tx().await?;
        let row = load_manageable(&tx, viewer, id).await?;
        if row.id == viewer.user_id {
            return Err(StoreError::Conflict(Conflict::SelfAction));
        }
        let mut m: user::ActiveModel = row.into();
        m.active = Set(active);
        let person = convert::person(m.update(&tx).await.map_err(db_err)?)?;
        if !active {
            drop_sessions(&tx, id).await?;
        }
        let action = if active {
            AuditAction::PersonReactivated
        } else {
            AuditAction::PersonDeactivated
        };
        record_audit(
            &tx,
            actor,
            action,
            person.email.as_str(),
            person.membership_id,
        )
        .await?;
        self.commit(tx).await?;
        Ok(person)
    }

    /// Makes `id` the coordinator of their membership; the current coordinator becomes a member.
    pub async fn pass_coordinator(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Person> {
        let tx = self.write_tx().await?;
        let row = load_manageable(&tx, viewer, id).await?;
        if row.id == viewer.user_id {
            return Err(StoreError::Conflict(Conflict::SelfAction));
        }
        let membership_id = row.membership_id.ok_or(StoreError::NotFound)?;
        if !row.active {
            return Err(StoreError::NotFound);
        }
        user::Entity::update_many()
            .col_expr(user::Column::Role, Expr::value(Role::Member.as_str()))
            .filter(user::Column::MembershipId.eq(membership_id))
            .filter(user::Column::Role.eq(Role::Coordinator.as_str()))
            .exec(&tx)
            .await
            .map_err(db_err)?;
        let mut m: user::ActiveModel = row.into();
        m.role = Set(Role::Coordinator.as_str().to_owned());
        let person = convert::person(m.update(&tx).await.map_err(db_err)?)?;
        let subject = format!("{} → {}", person.email, Role::Coordinator);
        record_audit(
            &tx,
            actor,
            AuditAction::CoordinatorPassed,
            &subject,
            Some(membership_id),
        )
        .await?;
        self.commit(tx).await?;
        Ok(person)
    }

    /// Staff accounts, for administrators.
    pub async fn staff(&self, viewer: &Viewer) -> StoreResult<Vec<Person>> {
        if !viewer.is_admin() {
            return Err(StoreError::NotFound);
        }
        user::Entity::find()
            .filter(user::Column::MembershipId.is_null())
            .order_by_asc(user::Column::Name)
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::person)
            .collect()
    }

    /// Creates a staff account. Without a password, a link to choose one is queued with the
    /// mail `welcome` renders from the token.
    pub async fn create_staff(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        new: NewStaff,
        welcome: Option<WelcomeMail<'_>>,
    ) -> StoreResult<Person> {
        if !viewer.is_admin() || !new.role.is_staff() {
            return Err(StoreError::NotFound);
        }
        let tx = self.write_tx().await?;
        let person = insert_user(
            &tx,
            NewUser {
                email: &new.email,
                name: &new.name,
                password_hash: new.password.as_ref().map(|p| p.0.as_str()),
                role: new.role,
                membership_id: None,
                language: new.language,
            },
        )
        .await?;
        if let Some((token, render)) = welcome {
            tokens::insert(
                &tx,
                NewToken {
                    token,
                    purpose: Purpose::PasswordReset,
                    user_id: Some(person.id),
                    membership_id: None,
                    payload: None,
                    expires_at: now() + super::accounts::STAFF_WELCOME_TTL,
                },
            )
            .await?;
            enqueue_mail(&tx, &render(&person).map_err(StoreError::Other)?).await?;
        }
        let subject = format!("{} ({})", person.email, person.role);
        record_audit(&tx, actor, AuditAction::StaffCreated, &subject, None).await?;
        self.commit(tx).await?;
        Ok(person)
    }

    /// Changes a staff account's role or active flag, keeping at least one active administrator.
    pub async fn update_staff(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        role: Role,
        active: bool,
    ) -> StoreResult<Person> {
        if !viewer.is_admin() || !role.is_staff() {
            return Err(StoreError::NotFound);
        }
        let tx = self.write_tx().await?;
        let row = load(&tx, id).await?;
        if row.membership_id.is_some() {
            return Err(StoreError::NotFound);
        }
        let was_active_admin = row.active && row.role == Role::Admin.as_str();
        let stays_active_admin = active && role == Role::Admin;
        if was_active_admin && !stays_active_admin && active_admins(&tx).await? <= 1 {
            return Err(StoreError::Conflict(Conflict::LastAdmin));
        }
        let old_role = row.role.clone();
        let old_active = row.active;
        let mut m: user::ActiveModel = row.into();
        m.role = Set(role.as_str().to_owned());
        m.active = Set(active);
        let person = convert::person(m.update(&tx).await.map_err(db_err)?)?;
        if old_role != role.as_str() {
            let subject = format!("{}: {old_role} → {role}", person.email);
            record_audit(&tx, actor, AuditAction::RoleChanged, &subject, None).await?;
        }
        if old_active != active {
            let action = if active {
                AuditAction::PersonReactivated
            } else {
                AuditAction::PersonDeactivated
            };
            record_audit(&tx, actor, action, person.email.as_str(), None).await?;
            if !active {
                drop_sessions(&tx, id).await?;
            }
        }
        self.commit(tx).await?;
        Ok(person)
    }

    /// A person as their own profile shows them.
    pub async fn me(&self, viewer: &Viewer) -> StoreResult<Person> {
        convert::person(load(self.conn(), viewer.user_id).await?)
    }

    pub async fn set_language(&self, viewer: &Viewer, lang: Lang) -> StoreResult<()> {
        user::Entity::update_many()
            .col_expr(user::Column::Language, Expr::value(lang.code()))
            .filter(user::Column::Id.eq(viewer.user_id))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        self.wrote().await
    }

    pub async fn password_hash_of(&self, viewer: &Viewer) -> StoreResult<Option<PasswordHash>> {
        Ok(load(self.conn(), viewer.user_id)
            .await?
            .password_hash
            .map(PasswordHash))
    }

    /// Sets a new password and ends every other session of the account.
    pub async fn change_password(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        password: &PasswordHash,
        keep_session: &str,
    ) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Expr::value(password.0.clone()))
            .filter(user::Column::Id.eq(viewer.user_id))
            .exec(&tx)
            .await
            .map_err(db_err)?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(viewer.user_id))
            .filter(session::Column::Id.ne(keep_session))
            .exec(&tx)
            .await
            .map_err(db_err)?;
        record_audit(
            &tx,
            actor,
            AuditAction::PasswordChanged,
            actor.email.as_deref().unwrap_or(""),
            viewer.membership_id,
        )
        .await?;
        self.commit(tx).await
    }

    /// Whether any account exists yet (first-run detection).
    pub async fn has_users(&self) -> StoreResult<bool> {
        Ok(user::Entity::find()
            .count(self.conn())
            .await
            .map_err(db_err)?
            > 0)
    }

    /// Creates a client person directly: used by the demo loader, never by the web.
    pub async fn create_client_person(
        &self,
        membership_id: Uuid,
        email: &Email,
        name: &str,
        role: Role,
        password: &PasswordHash,
    ) -> StoreResult<Person> {
        if role.is_staff() {
            return Err(StoreError::Forbidden);
        }
        insert_user(
            self.conn(),
            NewUser {
                email,
                name,
                password_hash: Some(&password.0),
                role,
                membership_id: Some(membership_id),
                language: Lang::Es,
            },
        )
        .await
    }

    pub async fn email_in_use(&self, email: &Email) -> StoreResult<bool> {
        super::accounts::email_taken(self.conn(), email).await
    }
}
