//! The REST API's credentials: who a signed access token or an API key stands for (checked on
//! every request, so deactivation and password changes apply at once), rotating refresh tokens
//! with reuse detection, and API keys. Secrets are stored only as SHA-256 digests.

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use faro_core::access::{ApiKey, KeyScope};
use faro_core::records::{Actor, Person};
use faro_core::{AuditAction, Role, StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::{audit, clean, now};
use crate::db::rows::{ApiKeyRow, MembershipRow, RefreshTokenRow, UserRow};
use crate::db::schema::{api_keys, memberships, refresh_tokens, sessions, users};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};
use crate::{Store, convert};

/// A refresh token unused for this long no longer renews anything.
pub const REFRESH_IDLE: TimeDelta = TimeDelta::days(30);
/// A key's `last_used_at` moves at most this often, so reads do not write on every request.
const KEY_TOUCH_EVERY: TimeDelta = TimeDelta::minutes(5);

/// The active person behind a credential, as the database has them now.
#[derive(Debug, Clone)]
pub struct Principal {
    pub person: Person,
    /// Moves when the person's password changes or they are signed out everywhere; access
    /// tokens carrying an older one are refused.
    pub token_version: i32,
    pub membership_name: Option<String>,
}

impl Principal {
    pub fn viewer(&self) -> Viewer {
        Viewer {
            user_id: self.person.id,
            role: self.person.role,
            membership_id: self.person.membership_id,
        }
    }
}

/// What presenting a refresh token led to.
#[derive(Debug)]
pub enum Refreshed {
    /// A new token of the same family was stored; the old one is spent.
    Rotated(std::sync::Arc<Principal>),
    /// The token had already been spent: its whole family is now revoked.
    Reused,
    /// Unknown, expired, revoked, or its person is no longer active.
    Refused,
}

/// A new API key: whose it is and what it may do.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub owner_id: Uuid,
    pub name: String,
    pub scope: KeyScope,
    pub expires_at: Option<DateTime<Utc>>,
    /// A staff integration's key, created by an administrator.
    pub service: bool,
}

/// Whose keys a list shows.
#[derive(Debug, Clone, Copy)]
pub enum KeyList {
    /// The viewer's own keys.
    Mine,
    /// Every service key (administrators).
    Service,
}

/// The person if they, and their membership for client people, are active.
fn active_principal(c: &mut DbConn, u: UserRow) -> StoreResult<Option<Principal>> {
    if !u.active {
        return Ok(None);
    }
    let membership_name = match u.membership_id {
        None => None,
        Some(id) => {
            let m: Option<MembershipRow> = memberships::table
                .find(id)
                .first(c)
                .optional()
                .map_err(db_err)?;
            match m {
                Some(m) if m.active => Some(m.name),
                _ => return Ok(None),
            }
        }
    };
    let token_version = u.token_version;
    Ok(Some(Principal {
        person: convert::person(u)?,
        token_version,
        membership_name,
    }))
}

fn load_principal(c: &mut DbConn, user_id: Uuid) -> StoreResult<Option<Principal>> {
    match users::table
        .find(Key(user_id))
        .first::<UserRow>(c)
        .optional()
        .map_err(db_err)?
    {
        Some(u) => active_principal(c, u),
        None => Ok(None),
    }
}

/// Ends every way a person is signed in: portal sessions, refresh tokens and (through the token
/// version) access tokens already handed out. API keys stay: they are separate credentials.
pub(crate) fn sign_out_everywhere(
    c: &mut DbConn,
    user_id: Uuid,
    keep_session: Option<&str>,
) -> StoreResult<()> {
    let mut q = diesel::delete(sessions::table)
        .filter(sessions::user_id.eq(Key(user_id)))
        .into_boxed();
    if let Some(keep) = keep_session {
        q = q.filter(sessions::id.ne(keep.to_owned()));
    }
    q.execute(c).map_err(db_err)?;
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(Key(user_id)))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(Moment(now()))))
    .execute(c)
    .map_err(db_err)?;
    diesel::update(users::table.find(Key(user_id)))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(c)
        .map_err(db_err)?;
    Ok(())
}

fn insert_refresh(
    c: &mut DbConn,
    family: Uuid,
    user_id: Uuid,
    digest: &str,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> StoreResult<()> {
    let at = now();
    diesel::insert_into(refresh_tokens::table)
        .values(RefreshTokenRow {
            id: Key(Uuid::now_v7()),
            family_id: Key(family),
            user_id: Key(user_id),
            digest: digest.to_owned(),
            created_at: Moment(at),
            expires_at: Moment(at + REFRESH_IDLE),
            used_at: None,
            revoked_at: None,
            ip: ip.map(|s| clean(s, 64)),
            user_agent: user_agent.map(|s| clean(s, 256)),
        })
        .execute(c)
        .map_err(db_err)?;
    Ok(())
}

fn revoke_family(c: &mut DbConn, family: Key) -> StoreResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(Moment(now()))))
    .execute(c)
    .map_err(db_err)?;
    Ok(())
}

fn api_key(row: ApiKeyRow, owner_email: String) -> StoreResult<ApiKey> {
    Ok(ApiKey {
        scope: KeyScope::parse(&row.scope).map_err(|_| {
            StoreError::Other(format!("stored API key scope is not valid: {}", row.scope))
        })?,
        id: row.id.0,
        owner_id: row.user_id.0,
        owner_email,
        name: row.name,
        prefix: row.prefix,
        service: row.service,
        created_at: row.created_at.0,
        expires_at: row.expires_at.map(Into::into),
        last_used_at: row.last_used_at.map(Into::into),
        last_used_ip: row.last_used_ip,
        revoked_at: row.revoked_at.map(Into::into),
    })
}

impl Store {
    /// The active person with this id, read from the database (see `principal` for the cached
    /// read every request makes).
    pub(crate) async fn principal_from_db(&self, user_id: Uuid) -> StoreResult<Option<Principal>> {
        self.run(move |c| load_principal(c, user_id)).await
    }

    /// Signs `person` in to the API: a new refresh-token family whose first token hashes to
    /// `refresh_digest`. `record_sign_in` also clears failed attempts and writes the audit event
    /// (not wanted when the session only replaces one ended by a password change).
    pub async fn open_api_session(
        &self,
        person: &Person,
        refresh_digest: &str,
        actor: &Actor,
        user_agent: Option<String>,
        record_sign_in: bool,
    ) -> StoreResult<()> {
        let (person, actor) = (person.clone(), actor.clone());
        let digest = refresh_digest.to_owned();
        self.write(move |c| {
            insert_refresh(
                c,
                Uuid::now_v7(),
                person.id,
                &digest,
                actor.ip.as_deref(),
                user_agent.as_deref(),
            )?;
            if record_sign_in {
                super::login::record_sign_in(c, &person, &actor)?;
            }
            Ok(())
        })
        .await
    }

    /// Spends the refresh token hashing to `old_digest` and stores its successor `new_digest`
    /// in the same family. A token spent before revokes its family (someone holds a copy).
    pub async fn rotate_refresh(
        &self,
        old_digest: &str,
        new_digest: &str,
        ip: Option<String>,
        user_agent: Option<String>,
    ) -> StoreResult<Refreshed> {
        let (old, new) = (old_digest.to_owned(), new_digest.to_owned());
        self.write(move |c| {
            let at = now();
            let Some(row) = refresh_tokens::table
                .filter(refresh_tokens::digest.eq(&old))
                .first::<RefreshTokenRow>(c)
                .optional()
                .map_err(db_err)?
            else {
                return Ok(Refreshed::Refused);
            };
            if row.revoked_at.is_some() || row.expires_at.0 <= at {
                return Ok(Refreshed::Refused);
            }
            // One statement decides who spends it, so two racing requests cannot both rotate.
            let spent = diesel::update(
                refresh_tokens::table
                    .find(row.id)
                    .filter(refresh_tokens::used_at.is_null()),
            )
            .set(refresh_tokens::used_at.eq(Some(Moment(at))))
            .execute(c)
            .map_err(db_err)?;
            if spent == 0 {
                revoke_family(c, row.family_id)?;
                let owner: Option<UserRow> = users::table
                    .find(row.user_id)
                    .first(c)
                    .optional()
                    .map_err(db_err)?;
                let actor = Actor {
                    user_id: Some(row.user_id.0),
                    email: owner.as_ref().map(|u| u.email.clone()),
                    ip: ip.clone(),
                    api_key_id: None,
                };
                let subject = actor.email.clone().unwrap_or_default();
                let membership = owner.and_then(|u| u.membership_id).map(|k| k.0);
                audit::record(c, &actor, AuditAction::RefreshReused, &subject, membership)?;
                return Ok(Refreshed::Reused);
            }
            let Some(principal) = load_principal(c, row.user_id.0)? else {
                revoke_family(c, row.family_id)?;
                return Ok(Refreshed::Refused);
            };
            insert_refresh(
                c,
                row.family_id.0,
                row.user_id.0,
                &new,
                ip.as_deref(),
                user_agent.as_deref(),
            )?;
            Ok(Refreshed::Rotated(std::sync::Arc::new(principal)))
        })
        .await
    }

    /// Signs out the device holding this refresh token: its whole family is revoked.
    pub async fn end_api_session(&self, refresh_digest: &str, actor: &Actor) -> StoreResult<()> {
        let (digest, actor) = (refresh_digest.to_owned(), actor.clone());
        self.write(move |c| {
            let Some(row) = refresh_tokens::table
                .filter(refresh_tokens::digest.eq(&digest))
                .first::<RefreshTokenRow>(c)
                .optional()
                .map_err(db_err)?
            else {
                return Ok(());
            };
            if row.revoked_at.is_none() {
                revoke_family(c, row.family_id)?;
                let owner: Option<UserRow> = users::table
                    .find(row.user_id)
                    .first(c)
                    .optional()
                    .map_err(db_err)?;
                let actor = Actor {
                    user_id: Some(row.user_id.0),
                    email: owner.as_ref().map(|u| u.email.clone()),
                    ..actor
                };
                let subject = actor.email.clone().unwrap_or_default();
                let membership = owner.and_then(|u| u.membership_id).map(|k| k.0);
                audit::record(c, &actor, AuditAction::SignOut, &subject, membership)?;
            }
            Ok(())
        })
        .await
    }

    /// Creates a key for `new.owner_id`: their own for anyone; a service key for an active staff
    /// account by an administrator. The caller generated the secret and shows it once.
    pub async fn create_api_key(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        new: NewApiKey,
        digest: &str,
        prefix: &str,
    ) -> StoreResult<ApiKey> {
        let (viewer, actor) = (viewer.clone(), actor.clone());
        let (digest, prefix) = (digest.to_owned(), prefix.to_owned());
        self.write(move |c| {
            let owner: UserRow = users::table
                .find(Key(new.owner_id))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            if new.service {
                let staff = Role::parse(&owner.role).is_ok_and(Role::is_staff);
                if !viewer.is_admin() {
                    return Err(StoreError::NotFound);
                }
                if !staff || !owner.active {
                    return Err(StoreError::Invalid(faro_core::Invalid::Role));
                }
            } else if owner.id.0 != viewer.user_id {
                return Err(StoreError::NotFound);
            }
            let row: ApiKeyRow = diesel::insert_into(api_keys::table)
                .values(ApiKeyRow {
                    id: Key(Uuid::now_v7()),
                    user_id: owner.id,
                    name: new.name.clone(),
                    prefix,
                    digest,
                    scope: new.scope.as_str().to_owned(),
                    service: new.service,
                    created_by: Some(Key(viewer.user_id)).filter(|k| !k.0.is_nil()),
                    created_at: Moment(now()),
                    expires_at: new.expires_at.map(Moment),
                    last_used_at: None,
                    last_used_ip: None,
                    revoked_at: None,
                })
                .returning(api_keys::all_columns)
                .get_result(c)
                .map_err(db_err)?;
            let subject = format!("{} ({}, {})", new.name, owner.email, new.scope.as_str());
            let membership = owner.membership_id.map(|k| k.0);
            audit::record(c, &actor, AuditAction::ApiKeyCreated, &subject, membership)?;
            api_key(row, owner.email)
        })
        .await
    }

    /// Keys newest first, `limit` of them created before the key `after` (for paging).
    pub async fn api_keys(
        &self,
        viewer: &Viewer,
        list: KeyList,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<ApiKey>> {
        if matches!(list, KeyList::Service) && !viewer.is_admin() {
            return Err(StoreError::NotFound);
        }
        let me = viewer.user_id;
        self.run(move |c| {
            let mut q = api_keys::table
                .inner_join(users::table.on(users::id.eq(api_keys::user_id)))
                .select((api_keys::all_columns, users::email))
                .order(api_keys::id.desc())
                .limit(limit)
                .into_boxed();
            q = match list {
                KeyList::Mine => q.filter(api_keys::user_id.eq(Key(me))),
                KeyList::Service => q.filter(api_keys::service.eq(true)),
            };
            if let Some(after) = after {
                q = q.filter(api_keys::id.lt(Key(after)));
            }
            q.load::<(ApiKeyRow, String)>(c)
                .map_err(db_err)?
                .into_iter()
                .map(|(row, email)| api_key(row, email))
                .collect()
        })
        .await
    }

    /// Revokes a key in `list`: one of the viewer's own, or a service key for an administrator.
    /// Anyone else's is not found. Revoking twice keeps the first time.
    pub async fn revoke_api_key(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        list: KeyList,
        id: Uuid,
    ) -> StoreResult<ApiKey> {
        let (viewer, actor) = (viewer.clone(), actor.clone());
        self.write(move |c| {
            let (row, email): (ApiKeyRow, String) = api_keys::table
                .inner_join(users::table.on(users::id.eq(api_keys::user_id)))
                .filter(api_keys::id.eq(Key(id)))
                .select((api_keys::all_columns, users::email))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            let allowed = match list {
                KeyList::Mine => row.user_id.0 == viewer.user_id,
                KeyList::Service => row.service && viewer.is_admin(),
            };
            if !allowed {
                return Err(StoreError::NotFound);
            }
            if row.revoked_at.is_some() {
                return api_key(row, email);
            }
            let row: ApiKeyRow = diesel::update(api_keys::table.find(row.id))
                .set(api_keys::revoked_at.eq(Some(Moment(now()))))
                .returning(api_keys::all_columns)
                .get_result(c)
                .map_err(db_err)?;
            let subject = format!("{} ({email})", row.name);
            audit::record(c, &actor, AuditAction::ApiKeyRevoked, &subject, None)?;
            api_key(row, email)
        })
        .await
    }

    /// The usable key hashing to `digest` and its active owner, read from the database; with
    /// it, until when that answer holds (the key's expiry or its next last-used update).
    pub(crate) async fn api_key_owner_from_db(
        &self,
        digest: &str,
        ip: Option<String>,
    ) -> StoreResult<Option<(ApiKey, Principal, DateTime<Utc>)>> {
        let digest = digest.to_owned();
        let found = self
            .run(move |c| {
                let Some((row, owner)) = api_keys::table
                    .inner_join(users::table.on(users::id.eq(api_keys::user_id)))
                    .filter(api_keys::digest.eq(&digest))
                    .select((api_keys::all_columns, users::all_columns))
                    .first::<(ApiKeyRow, UserRow)>(c)
                    .optional()
                    .map_err(db_err)?
                else {
                    return Ok(None);
                };
                let email = owner.email.clone();
                let Some(principal) = active_principal(c, owner)? else {
                    return Ok(None);
                };
                let key = api_key(row, email)?;
                Ok(key.usable(now()).then_some((key, principal)))
            })
            .await?;
        let Some((mut key, principal)) = found else {
            return Ok(None);
        };
        let at = now();
        if key.last_used_at.is_none_or(|t| at - t > KEY_TOUCH_EVERY) {
            let (id, ip) = (key.id, ip.map(|s| clean(&s, 64)));
            self.write(move |c| {
                diesel::update(api_keys::table.find(Key(id)))
                    .set((
                        api_keys::last_used_at.eq(Some(Moment(at))),
                        api_keys::last_used_ip.eq(ip),
                    ))
                    .execute(c)
                    .map_err(db_err)
            })
            .await?;
            key.last_used_at = Some(at);
        }
        let mut holds_until = at + KEY_TOUCH_EVERY;
        if let Some(exp) = key.expires_at {
            holds_until = holds_until.min(exp);
        }
        Ok(Some((key, principal, holds_until)))
    }
}
