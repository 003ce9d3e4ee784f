//! Memberships: created and managed by administrators, seen by staff, and by their own people.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::records::{Actor, Membership, MembershipSummary, OutgoingMail};
use faro_core::viewer::Scope;
use faro_core::{
    AuditAction, Conflict, ContractState, Email, InvitationCode, MembershipName, StoreError,
    StoreResult, TaxId, Viewer,
};
use uuid::Uuid;

use super::{NamePage, audit, now, outbox};
use crate::db::errors::is_unique_on;
use crate::db::rows::MembershipRow;
use crate::db::schema::{memberships, users};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};
use crate::{Store, convert};

pub struct NewMembership {
    pub name: MembershipName,
    pub tax_id: Option<TaxId>,
    pub coordinator_email: Option<Email>,
    pub contract_state: ContractState,
    pub code_expires_at: Option<DateTime<Utc>>,
}

pub struct MembershipChanges {
    pub name: MembershipName,
    pub tax_id: Option<TaxId>,
    pub coordinator_email: Option<Email>,
    pub contract_state: ContractState,
}

fn require_admin(viewer: &Viewer) -> StoreResult<()> {
    // Client people must not learn that admin-only pages exist.
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

fn name_clash(e: diesel::result::Error) -> StoreError {
    if is_unique_on(&e, "name") {
        StoreError::Conflict(Conflict::NameTaken)
    } else {
        db_err(e)
    }
}

fn load(conn: &mut DbConn, id: Uuid) -> StoreResult<MembershipRow> {
    memberships::table
        .find(Key(id))
        .first(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

pub(crate) fn by_code(conn: &mut DbConn, code: &InvitationCode) -> StoreResult<Option<Membership>> {
    memberships::table
        .filter(memberships::invitation_code.eq(code.compact()))
        .first::<MembershipRow>(conn)
        .optional()
        .map_err(db_err)?
        .map(convert::membership)
        .transpose()
}

/// Saves a changed membership row (touching `updated_at`) and returns it as stored.
fn save(conn: &mut DbConn, mut row: MembershipRow) -> Result<MembershipRow, diesel::result::Error> {
    row.updated_at = Moment(now());
    diesel::update(memberships::table.find(row.id))
        .set((
            memberships::name.eq(&row.name),
            memberships::tax_id.eq(&row.tax_id),
            memberships::coordinator_email.eq(&row.coordinator_email),
            memberships::contract_state.eq(&row.contract_state),
            memberships::active.eq(row.active),
            memberships::invitation_code.eq(&row.invitation_code),
            memberships::code_expires_at.eq(row.code_expires_at),
            memberships::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(row)
}

impl Store {
    pub async fn create_membership(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        new: NewMembership,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let at = now();
        let code = InvitationCode::generate().map_err(StoreError::Other)?;
        let actor = actor.clone();
        self.write(move |c| {
            let row: MembershipRow = diesel::insert_into(memberships::table)
                .values(MembershipRow {
                    id: Key(Uuid::now_v7()),
                    name: new.name.as_str().to_owned(),
                    tax_id: new.tax_id.map(|t| t.as_str().to_owned()),
                    coordinator_email: new.coordinator_email.map(|e| e.as_str().to_owned()),
                    contract_state: new.contract_state.as_str().to_owned(),
                    active: false,
                    invitation_code: code.compact().to_owned(),
                    code_expires_at: new.code_expires_at.map(Moment),
                    created_at: Moment(at),
                    updated_at: Moment(at),
                })
                .returning(memberships::all_columns)
                .get_result(c)
                .map_err(name_clash)?;
            audit::record(
                c,
                &actor,
                AuditAction::MembershipCreated,
                &row.name,
                Some(row.id.0),
            )?;
            convert::membership(row)
        })
        .await
    }

    /// Staff see every membership; client people see only their own.
    pub async fn list_memberships(
        &self,
        viewer: &Viewer,
        page: NamePage,
    ) -> StoreResult<Vec<MembershipSummary>> {
        let scope = viewer.scope();
        self.run(move |c| {
            let mut q = memberships::table
                .order((memberships::name.asc(), memberships::id.asc()))
                .into_boxed();
            if let Some((name, id)) = page.after {
                q = q.filter(
                    memberships::name
                        .gt(name.clone())
                        .or(memberships::name.eq(name).and(memberships::id.gt(Key(id)))),
                );
            }
            if let Some(limit) = page.limit {
                q = q.limit(limit);
            }
            match scope {
                Scope::AllMemberships => {}
                Scope::Membership(id) => q = q.filter(memberships::id.eq(Key(id))),
                Scope::Nothing => return Ok(Vec::new()),
            }
            let rows: Vec<MembershipRow> = q.load(c).map_err(db_err)?;
            let ids: Vec<Key> = rows.iter().map(|m| m.id).collect();
            let counts: Vec<(Option<Key>, i64)> = users::table
                .filter(users::membership_id.eq_any(ids))
                .filter(users::active.eq(true))
                .group_by(users::membership_id)
                .select((users::membership_id, diesel::dsl::count(users::id)))
                .load(c)
                .map_err(db_err)?;
            rows.into_iter()
                .map(|m| {
                    let people = counts
                        .iter()
                        .find(|(id, _)| *id == Some(m.id))
                        .map(|(_, n)| (*n).max(0) as u64)
                        .unwrap_or(0);
                    Ok(MembershipSummary {
                        membership: convert::membership(m)?,
                        people,
                    })
                })
                .collect()
        })
        .await
    }

    /// One membership, if the viewer may see it; another membership's id is `NotFound`.
    /// Answered from memory while nothing has been written (see `cached`).
    pub async fn membership(&self, viewer: &Viewer, id: Uuid) -> StoreResult<Membership> {
        if !viewer.can_see_membership(id) {
            return Err(StoreError::NotFound);
        }
        self.cached_membership(id).await
    }

    pub(crate) async fn membership_from_db(&self, id: Uuid) -> StoreResult<Membership> {
        self.run(move |c| convert::membership(load(c, id)?)).await
    }

    pub async fn update_membership(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        changes: MembershipChanges,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let actor = actor.clone();
        self.write(move |c| {
            let mut row = load(c, id)?;
            row.name = changes.name.as_str().to_owned();
            row.tax_id = changes.tax_id.map(|t| t.as_str().to_owned());
            row.coordinator_email = changes.coordinator_email.map(|e| e.as_str().to_owned());
            row.contract_state = changes.contract_state.as_str().to_owned();
            let row = save(c, row).map_err(name_clash)?;
            audit::record(
                c,
                &actor,
                AuditAction::MembershipUpdated,
                &row.name,
                Some(id),
            )?;
            convert::membership(row)
        })
        .await
    }

    /// Replaces the invitation code; the old one stops working when this commits.
    pub async fn rotate_invitation_code(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let code = InvitationCode::generate().map_err(StoreError::Other)?;
        let actor = actor.clone();
        self.write(move |c| {
            let mut row = load(c, id)?;
            row.invitation_code = code.compact().to_owned();
            let row = save(c, row).map_err(db_err)?;
            audit::record(c, &actor, AuditAction::CodeRotated, &row.name, Some(id))?;
            convert::membership(row)
        })
        .await
    }

    pub async fn set_code_expiry(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        expires_at: Option<DateTime<Utc>>,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let actor = actor.clone();
        self.write(move |c| {
            let mut row = load(c, id)?;
            row.code_expires_at = expires_at.map(Moment);
            let row = save(c, row).map_err(db_err)?;
            let subject = match expires_at {
                Some(at) => format!("{} → {}", row.name, at.format("%Y-%m-%d")),
                None => format!("{} → -", row.name),
            };
            audit::record(c, &actor, AuditAction::CodeExpirySet, &subject, Some(id))?;
            convert::membership(row)
        })
        .await
    }

    /// Activates the membership and, in the same transaction, queues the e-mail that `mail`
    /// renders for the coordinator (it receives the membership with its current code).
    pub async fn activate_membership(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        mail: impl FnOnce(&Membership, &Email) -> Result<OutgoingMail, String> + Send + 'static,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let actor = actor.clone();
        self.write(move |c| {
            let mut row = load(c, id)?;
            let coordinator = row
                .coordinator_email
                .as_deref()
                .and_then(|e| Email::parse(e).ok())
                .ok_or(StoreError::Conflict(Conflict::NeedsCoordinatorEmail))?;
            row.active = true;
            let activated = convert::membership(save(c, row).map_err(db_err)?)?;
            outbox::enqueue(
                c,
                &mail(&activated, &coordinator).map_err(StoreError::Other)?,
            )?;
            audit::record(
                c,
                &actor,
                AuditAction::MembershipActivated,
                &activated.name,
                Some(id),
            )?;
            Ok(activated)
        })
        .await
    }

    /// Activates without e-mailing the coordinator: for demo data, or when the code was handed
    /// over another way (`faro membership create` prints it).
    pub async fn activate_membership_quietly(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Membership> {
        self.set_membership_active(viewer, actor, id, true).await
    }

    pub async fn deactivate_membership(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Membership> {
        self.set_membership_active(viewer, actor, id, false).await
    }

    async fn set_membership_active(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        active: bool,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let actor = actor.clone();
        self.write(move |c| {
            let mut row = load(c, id)?;
            row.active = active;
            let row = save(c, row).map_err(db_err)?;
            let action = if active {
                AuditAction::MembershipActivated
            } else {
                AuditAction::MembershipDeactivated
            };
            audit::record(c, &actor, action, &row.name, Some(id))?;
            convert::membership(row)
        })
        .await
    }

    /// The membership whose code this is, if any: what `/join` checks. Callers decide what an
    /// inactive or expired membership means.
    pub async fn membership_by_code(
        &self,
        code: &InvitationCode,
    ) -> StoreResult<Option<Membership>> {
        let code = code.clone();
        self.run(move |c| by_code(c, &code)).await
    }

    pub async fn count_memberships(&self) -> StoreResult<u64> {
        self.run(|c| {
            let n: i64 = memberships::table.count().get_result(c).map_err(db_err)?;
            Ok(n.max(0) as u64)
        })
        .await
    }
}
