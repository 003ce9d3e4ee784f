//! People: a membership's members as its coordinator and staff see them, staff accounts as
//! administrators manage them, and each person's own profile.

use diesel::prelude::*;
use faro_core::records::{Actor, OutgoingMail, Person};
use faro_core::{
    AuditAction, Conflict, Email, Lang, PasswordHash, Role, SecretToken, StoreError, StoreResult,
    Viewer,
};
use uuid::Uuid;

use super::accounts::{NewUser, insert_user};
use super::tokens::{self, NewToken, Purpose};
use super::{NamePage, audit, now, outbox};
use crate::db::rows::UserRow;
use crate::db::schema::users;
use crate::db::types::Key;
use crate::db::{DbConn, db_err};
use crate::{Store, convert};

/// The link token for a new staff account and the mail that carries it.
pub type WelcomeMail<'a> = (
    &'a SecretToken,
    Box<dyn FnOnce(&Person) -> Result<OutgoingMail, String> + Send + 'static>,
);

pub struct NewStaff {
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub language: Lang,
    /// Set directly by `faro admin create`; without it the person gets a link to choose one.
    pub password: Option<PasswordHash>,
}

fn load(conn: &mut DbConn, id: Uuid) -> StoreResult<UserRow> {
    users::table
        .find(Key(id))
        .first(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

/// Loads a client person that `viewer` may manage; anything else is `NotFound`.
fn load_manageable(conn: &mut DbConn, viewer: &Viewer, id: Uuid) -> StoreResult<UserRow> {
    let row = load(conn, id)?;
    match row.membership_id.map(Uuid::from) {
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

fn active_admins(conn: &mut DbConn) -> StoreResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)
        .map_err(db_err)
}

fn drop_sessions(conn: &mut DbConn, user_id: Uuid) -> StoreResult<()> {
    super::api_access::sign_out_everywhere(conn, user_id, None)
}

/// Sets a person's role and active flag, returning them as stored.
fn set_role_and_active(
    conn: &mut DbConn,
    id: Uuid,
    role: &str,
    active: bool,
) -> StoreResult<Person> {
    let row: UserRow = diesel::update(users::table.find(Key(id)))
        .set((users::role.eq(role), users::active.eq(active)))
        .returning(users::all_columns)
        .get_result(conn)
        .map_err(db_err)?;
    convert::person(row)
}

type UserQuery<'a> = users::BoxedQuery<'a, crate::db::MultiBackend>;

/// People in name order (coordinators first when the whole list is asked for, as the portal's
/// pages show them), one page of them.
fn load_named_page(c: &mut DbConn, q: UserQuery<'_>, page: NamePage) -> StoreResult<Vec<Person>> {
    let mut q = match page.limit {
        Some(limit) => q.order((users::name.asc(), users::id.asc())).limit(limit),
        None => q.order((users::role.desc(), users::name.asc(), users::id.asc())),
    };
    if let Some((name, id)) = page.after {
        q = q.filter(
            users::name
                .gt(name.clone())
                .or(users::name.eq(name).and(users::id.gt(Key(id)))),
        );
    }
    q.load::<UserRow>(c)
        .map_err(db_err)?
        .into_iter()
        .map(convert::person)
        .collect()
}

impl Store {
    /// The people of a membership: for staff and its coordinator. Another membership is
    /// `NotFound`; a plain member of this one is `Forbidden`.
    pub async fn people_of(
        &self,
        viewer: &Viewer,
        membership_id: Uuid,
        page: NamePage,
    ) -> StoreResult<Vec<Person>> {
        if !viewer.can_see_membership(membership_id) {
            return Err(StoreError::NotFound);
        }
        if !viewer.can_manage_people_of(membership_id) {
            return Err(StoreError::Forbidden);
        }
        self.run(move |c| {
            let q = users::table
                .filter(users::membership_id.eq(Key(membership_id)))
                .into_boxed();
            load_named_page(c, q, page)
        })
        .await
    }

    /// Deactivates (and signs out) or reactivates a client person.
    pub async fn set_person_active(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        active: bool,
    ) -> StoreResult<Person> {
        let (viewer, actor) = (viewer.clone(), actor.clone());
        self.write(move |c| {
            let row = load_manageable(c, &viewer, id)?;
            if row.id.0 == viewer.user_id {
                return Err(StoreError::Conflict(Conflict::SelfAction));
            }
            let person = set_role_and_active(c, id, &row.role, active)?;
            if !active {
                drop_sessions(c, id)?;
            }
            let action = if active {
                AuditAction::PersonReactivated
            } else {
                AuditAction::PersonDeactivated
            };
            audit::record(
                c,
                &actor,
                action,
                person.email.as_str(),
                person.membership_id,
            )?;
            Ok(person)
        })
        .await
    }

    /// Makes `id` the coordinator of their membership; the current coordinator becomes a member.
    pub async fn pass_coordinator(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Person> {
        let (viewer, actor) = (viewer.clone(), actor.clone());
        self.write(move |c| {
            let row = load_manageable(c, &viewer, id)?;
            if row.id.0 == viewer.user_id {
                return Err(StoreError::Conflict(Conflict::SelfAction));
            }
            let membership_id = row.membership_id.ok_or(StoreError::NotFound)?.0;
            if !row.active {
                return Err(StoreError::NotFound);
            }
            diesel::update(
                users::table
                    .filter(users::membership_id.eq(Key(membership_id)))
                    .filter(users::role.eq(Role::Coordinator.as_str())),
            )
            .set(users::role.eq(Role::Member.as_str()))
            .execute(c)
            .map_err(db_err)?;
            let person = set_role_and_active(c, id, Role::Coordinator.as_str(), row.active)?;
            let subject = format!("{} → {}", person.email, Role::Coordinator);
            audit::record(
                c,
                &actor,
                AuditAction::CoordinatorPassed,
                &subject,
                Some(membership_id),
            )?;
            Ok(person)
        })
        .await
    }

    /// Staff accounts, for administrators.
    pub async fn staff(&self, viewer: &Viewer, page: NamePage) -> StoreResult<Vec<Person>> {
        if !viewer.is_admin() {
            return Err(StoreError::NotFound);
        }
        self.run(move |c| {
            let q = users::table
                .filter(users::membership_id.is_null())
                .into_boxed();
            load_named_page(c, q, page)
        })
        .await
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
        let actor = actor.clone();
        let welcome = welcome.map(|(token, render)| {
            let link = NewToken::new(
                token,
                Purpose::PasswordReset,
                now() + super::accounts::STAFF_WELCOME_TTL,
            );
            (link, render)
        });
        self.write(move |c| {
            let person = insert_user(
                c,
                NewUser {
                    email: &new.email,
                    name: &new.name,
                    password_hash: new.password.as_ref().map(|p| p.0.as_str()),
                    role: new.role,
                    membership_id: None,
                    language: new.language,
                },
            )?;
            if let Some((mut link, render)) = welcome {
                link.user_id = Some(person.id);
                tokens::insert(c, link)?;
                outbox::enqueue(c, &render(&person).map_err(StoreError::Other)?)?;
            }
            let subject = format!("{} ({})", person.email, person.role);
            audit::record(c, &actor, AuditAction::StaffCreated, &subject, None)?;
            Ok(person)
        })
        .await
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
        let actor = actor.clone();
        self.write(move |c| {
            let row = load(c, id)?;
            if row.membership_id.is_some() {
                return Err(StoreError::NotFound);
            }
            let was_active_admin = row.active && row.role == Role::Admin.as_str();
            let stays_active_admin = active && role == Role::Admin;
            if was_active_admin && !stays_active_admin && active_admins(c)? <= 1 {
                return Err(StoreError::Conflict(Conflict::LastAdmin));
            }
            let person = set_role_and_active(c, id, role.as_str(), active)?;
            if row.role != role.as_str() {
                let subject = format!("{}: {} → {role}", person.email, row.role);
                audit::record(c, &actor, AuditAction::RoleChanged, &subject, None)?;
            }
            if row.active != active {
                let action = if active {
                    AuditAction::PersonReactivated
                } else {
                    AuditAction::PersonDeactivated
                };
                audit::record(c, &actor, action, person.email.as_str(), None)?;
                if !active {
                    drop_sessions(c, id)?;
                }
            }
            Ok(person)
        })
        .await
    }

    /// A person as their own profile shows them.
    pub async fn me(&self, viewer: &Viewer) -> StoreResult<Person> {
        let id = viewer.user_id;
        self.run(move |c| convert::person(load(c, id)?)).await
    }

    /// A single statement outside a transaction that changes what the caches hold: the
    /// language a page is rendered in.
    pub async fn set_language(&self, viewer: &Viewer, lang: Lang) -> StoreResult<()> {
        let id = viewer.user_id;
        self.write(move |c| {
            diesel::update(users::table.find(Key(id)))
                .set(users::language.eq(lang.code()))
                .execute(c)
                .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    /// A person's own display name.
    pub async fn set_name(&self, viewer: &Viewer, name: &str) -> StoreResult<()> {
        let (id, name) = (viewer.user_id, name.to_owned());
        self.write(move |c| {
            diesel::update(users::table.find(Key(id)))
                .set(users::name.eq(name))
                .execute(c)
                .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    pub async fn password_hash_of(&self, viewer: &Viewer) -> StoreResult<Option<PasswordHash>> {
        let id = viewer.user_id;
        self.run(move |c| Ok(load(c, id)?.password_hash.map(PasswordHash)))
            .await
    }

    /// Sets a new password and ends every other session of the account.
    pub async fn change_password(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        password: &PasswordHash,
        keep_session: &str,
    ) -> StoreResult<()> {
        let (viewer, actor) = (viewer.clone(), actor.clone());
        let (password, keep) = (password.0.clone(), keep_session.to_owned());
        self.write(move |c| {
            diesel::update(users::table.find(Key(viewer.user_id)))
                .set(users::password_hash.eq(Some(password)))
                .execute(c)
                .map_err(db_err)?;
            super::api_access::sign_out_everywhere(c, viewer.user_id, Some(&keep))?;
            let subject = actor.email.clone().unwrap_or_default();
            audit::record(
                c,
                &actor,
                AuditAction::PasswordChanged,
                &subject,
                viewer.membership_id,
            )
        })
        .await
    }

    /// Whether any account exists yet (first-run detection).
    pub async fn has_users(&self) -> StoreResult<bool> {
        self.run(|c| {
            let n: i64 = users::table.count().get_result(c).map_err(db_err)?;
            Ok(n > 0)
        })
        .await
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
        let (email, name, password) = (email.clone(), name.to_owned(), password.0.clone());
        self.run(move |c| {
            insert_user(
                c,
                NewUser {
                    email: &email,
                    name: &name,
                    password_hash: Some(&password),
                    role,
                    membership_id: Some(membership_id),
                    language: Lang::Es,
                },
            )
        })
        .await
    }

    pub async fn email_in_use(&self, email: &Email) -> StoreResult<bool> {
        let email = email.clone();
        self.run(move |c| super::accounts::email_taken(c, &email))
            .await
    }
}
