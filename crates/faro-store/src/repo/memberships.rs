//! Memberships: created and managed by administrators, seen by staff, and by their own people.

use chrono::{DateTime, Utc};
use faro_core::records::{Actor, Membership, MembershipSummary, OutgoingMail};
use faro_core::viewer::Scope;
use faro_core::{
    AuditAction, Conflict, ContractState, Email, InvitationCode, MembershipName, StoreError,
    StoreResult, TaxId, Viewer,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, SqlErr,
};
use uuid::Uuid;

use super::{enqueue_mail, now, record_audit};
use crate::entity::{membership, user};
use crate::{Store, convert, db_err};

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

fn name_clash(e: sea_orm::DbErr) -> StoreError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(msg)) if msg.contains("name") => {
            StoreError::Conflict(Conflict::NameTaken)
        }
        _ => db_err(e),
    }
}

async fn load(conn: &impl ConnectionTrait, id: Uuid) -> StoreResult<membership::Model> {
    membership::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn by_code(
    conn: &impl ConnectionTrait,
    code: &InvitationCode,
) -> StoreResult<Option<Membership>> {
    membership::Entity::find()
        .filter(membership::Column::InvitationCode.eq(code.compact()))
        .one(conn)
        .await
        .map_err(db_err)?
        .map(convert::membership)
        .transpose()
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
        let tx = self.write_tx().await?;
        let row = membership::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set(new.name.as_str().to_owned()),
            tax_id: Set(new.tax_id.map(|t| t.as_str().to_owned())),
            coordinator_email: Set(new.coordinator_email.map(|e| e.as_str().to_owned())),
            contract_state: Set(new.contract_state.as_str().to_owned()),
            active: Set(false),
            invitation_code: Set(code.compact().to_owned()),
            code_expires_at: Set(new.code_expires_at),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(&tx)
        .await
        .map_err(name_clash)?;
        record_audit(
            &tx,
            actor,
            AuditAction::MembershipCreated,
            &row.name,
            Some(row.id),
        )
        .await?;
        self.commit(tx).await?;
        convert::membership(row)
    }

    /// Staff see every membership; client people see only their own.
    pub async fn list_memberships(&self, viewer: &Viewer) -> StoreResult<Vec<MembershipSummary>> {
        let mut q = membership::Entity::find().order_by_asc(membership::Column::Name);
        match viewer.scope() {
            Scope::AllMemberships => {}
            Scope::Membership(id) => q = q.filter(membership::Column::Id.eq(id)),
            Scope::Nothing => return Ok(Vec::new()),
        }
        let rows = q.all(self.conn()).await.map_err(db_err)?;
        let counts: Vec<(Option<Uuid>, i64)> = user::Entity::find()
            .select_only()
            .column(user::Column::MembershipId)
            .column_as(user::Column::Id.count(), "people")
            .filter(user::Column::MembershipId.is_not_null())
            .filter(user::Column::Active.eq(true))
            .group_by(user::Column::MembershipId)
            .into_tuple()
            .all(self.conn())
            .await
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
    }

    /// One membership, if the viewer may see it; another membership's id is `NotFound`.
    pub async fn membership(&self, viewer: &Viewer, id: Uuid) -> StoreResult<Membership> {
        if !viewer.can_see_membership(id) {
            return Err(StoreError::NotFound);
        }
        convert::membership(load(self.conn(), id).await?)
    }

    pub async fn update_membership(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        changes: MembershipChanges,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let tx = self.write_tx().await?;
        let mut row: membership::ActiveModel = load(&tx, id).await?.into();
        row.name = Set(changes.name.as_str().to_owned());
        row.tax_id = Set(changes.tax_id.map(|t| t.as_str().to_owned()));
        row.coordinator_email = Set(changes.coordinator_email.map(|e| e.as_str().to_owned()));
        row.contract_state = Set(changes.contract_state.as_str().to_owned());
        row.updated_at = Set(now());
        let row = row.update(&tx).await.map_err(name_clash)?;
        record_audit(
            &tx,
            actor,
            AuditAction::MembershipUpdated,
            &row.name,
            Some(id),
        )
        .await?;
        self.commit(tx).await?;
        convert::membership(row)
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
        let tx = self.write_tx().await?;
        let mut row: membership::ActiveModel = load(&tx, id).await?.into();
        row.invitation_code = Set(code.compact().to_owned());
        row.updated_at = Set(now());
        let row = row.update(&tx).await.map_err(db_err)?;
        record_audit(&tx, actor, AuditAction::CodeRotated, &row.name, Some(id)).await?;
        self.commit(tx).await?;
        convert::membership(row)
    }

    pub async fn set_code_expiry(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        expires_at: Option<DateTime<Utc>>,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let tx = self.write_tx().await?;
        let mut row: membership::ActiveModel = load(&tx, id).await?.into();
        row.code_expires_at = Set(expires_at);
        row.updated_at = Set(now());
        let row = row.update(&tx).await.map_err(db_err)?;
        let subject = match expires_at {
            Some(at) => format!("{} → {}", row.name, at.format("%Y-%m-%d")),
            None => format!("{} → -", row.name),
        };
        record_audit(&tx, actor, AuditAction::CodeExpirySet, &subject, Some(id)).await?;
        self.commit(tx).await?;
        convert::membership(row)
    }

    /// Activates the membership and, in the same transaction, queues the e-mail that `mail`
    /// renders for the coordinator (it receives the membership with its current code).
    pub async fn activate_membership(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
        mail: impl FnOnce(&Membership, &Email) -> Result<OutgoingMail, String> + Send,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let tx = self.write_tx().await?;
        let current = convert::membership(load(&tx, id).await?)?;
        let coordinator = current
            .coordinator_email
            .as_deref()
            .and_then(|e| Email::parse(e).ok())
            .ok_or(StoreError::Conflict(Conflict::NeedsCoordinatorEmail))?;
        membership::Entity::update_many()
            .col_expr(membership::Column::Active, Expr::value(true))
            .col_expr(membership::Column::UpdatedAt, Expr::value(now()))
            .filter(membership::Column::Id.eq(id))
            .exec(&tx)
            .await
            .map_err(db_err)?;
        let activated = Membership {
            active: true,
            ..current
        };
        enqueue_mail(
            &tx,
            &mail(&activated, &coordinator).map_err(StoreError::Other)?,
        )
        .await?;
        record_audit(
            &tx,
            actor,
            AuditAction::MembershipActivated,
            &activated.name,
            Some(id),
        )
        .await?;
        self.commit(tx).await?;
        Ok(activated)
    }

    /// Activates without e-mailing the coordinator: for demo data, or when the code was handed
    /// over another way (`faro membership create` prints it).
    pub async fn activate_membership_quietly(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let tx = self.write_tx().await?;
        let mut row: membership::ActiveModel = load(&tx, id).await?.into();
        row.active = Set(true);
        row.updated_at = Set(now());
        let row = row.update(&tx).await.map_err(db_err)?;
        record_audit(
            &tx,
            actor,
            AuditAction::MembershipActivated,
            &row.name,
            Some(id),
        )
        .await?;
        self.commit(tx).await?;
        convert::membership(row)
    }

    pub async fn deactivate_membership(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Membership> {
        require_admin(viewer)?;
        let tx = self.write_tx().await?;
        let mut row: membership::ActiveModel = load(&tx, id).await?.into();
        row.active = Set(false);
        row.updated_at = Set(now());
        let row = row.update(&tx).await.map_err(db_err)?;
        record_audit(
            &tx,
            actor,
            AuditAction::MembershipDeactivated,
            &row.name,
            Some(id),
        )
        .await?;
        self.commit(tx).await?;
        convert::membership(row)
    }

    /// The membership whose code this is, if any: what `/join` checks. Callers decide what an
    /// inactive or expired membership means.
    pub async fn membership_by_code(
        &self,
        code: &InvitationCode,
    ) -> StoreResult<Option<Membership>> {
        by_code(self.conn(), code).await
    }

    pub async fn count_memberships(&self) -> StoreResult<u64> {
        membership::Entity::find()
            .count(self.conn())
            .await
            .map_err(db_err)
    }
}
