//! The resources catalogue: free tools staff consider useful and safe. Every signed-in person
//! sees all of it; only staff change it.

use chrono::NaiveDate;
use faro_core::downloads::Resource;
use faro_core::kb::Slug;
use faro_core::records::Actor;
use faro_core::{AuditAction, StoreError, StoreResult, Viewer};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use super::legacy::{files_by_ids, make_ready, release};
use super::legacy::log_change;
use super::legacy::record_audit;
use super::now;
use crate::entity::resource;
use crate::{Store, db_err};

#[derive(Debug, Clone)]
pub struct ResourceDraft {
    pub name: String,
    pub description: String,
    pub category: String,
    pub url: String,
    pub file_version: String,
    pub verified_on: Option<NaiveDate>,
}

/// A hosted copy streamed in under `file_id` (pending), with what the upload measured.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub file_id: Uuid,
    pub size: u64,
    pub sha256: String,
}

fn require_staff(viewer: &Viewer) -> StoreResult<()> {
    if viewer.is_staff() {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

async fn to_resources(
    conn: &impl ConnectionTrait,
    rows: Vec<resource::Model>,
) -> StoreResult<Vec<Resource>> {
    let files = files_by_ids(conn, rows.iter().filter_map(|r| r.file_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|r| Resource {
            file: r
                .file_id
                .and_then(|id| files.iter().find(|f| f.id == id).cloned()),
            id: r.id,
            slug: r.slug,
            name: r.name,
            description: r.description,
            category: r.category,
            url: r.url,
            file_version: r.file_version,
            verified_on: r.verified_on,
            updated_at: r.updated_at,
        })
        .collect())
}

impl Store {
    /// The whole catalogue, by category then name. Any signed-in person.
    pub async fn resources(&self) -> StoreResult<Vec<Resource>> {
        let rows = resource::Entity::find()
            .order_by_asc(resource::Column::Category)
            .order_by_asc(resource::Column::Name)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        to_resources(self.conn(), rows).await
    }

    pub async fn resources_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Resource>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = resource::Entity::find()
            .filter(resource::Column::Id.is_in(ids.to_vec()))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        to_resources(self.conn(), rows).await
    }

    pub async fn resource(&self, slug: &str) -> StoreResult<Resource> {
        let slug = Slug::parse(slug).map_err(|_| StoreError::NotFound)?;
        let row = resource::Entity::find()
            .filter(resource::Column::Slug.eq(slug.as_str()))
            .one(self.conn())
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        to_resources(self.conn(), vec![row])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Creates (`id: None`) or updates a resource. A new file replaces the hosted copy; the
    /// replaced copy's key is returned so the caller removes its bytes.
    pub async fn save_resource(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Option<Uuid>,
        draft: &ResourceDraft,
        file: Option<&NewFile>,
    ) -> StoreResult<(String, Option<String>)> {
        require_staff(viewer)?;
        let tx = self.write_tx().await?;
        let at = now();
        let mut replaced = None;
        let (row_id, slug) = match id {
            Some(id) => {
                let row = resource::Entity::find_by_id(id)
                    .one(&tx)
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound)?;
                let slug = row.slug.clone();
                let old_file = row.file_id;
                let mut a: resource::ActiveModel = row.into();
                a.name = Set(draft.name.clone());
                a.description = Set(draft.description.clone());
                a.category = Set(draft.category.clone());
                a.url = Set(draft.url.clone());
                a.file_version = Set(draft.file_version.clone());
                a.verified_on = Set(draft.verified_on);
                a.updated_at = Set(at);
                if let Some(f) = file {
                    make_ready(&tx, f.file_id, f.size, &f.sha256).await?;
                    a.file_id = Set(Some(f.file_id));
                }
                a.update(&tx).await.map_err(db_err)?;
                if let (Some(old), Some(_)) = (old_file, file) {
                    replaced = Some(release(&tx, old).await?);
                }
                (id, slug)
            }
            None => {
                let base = Slug::from_title(&draft.name)?;
                let mut slug = base.clone();
                let mut n = 2;
                while resource::Entity::find()
                    .filter(resource::Column::Slug.eq(slug.as_str()))
                    .count(&tx)
                    .await
                    .map_err(db_err)?
                    > 0
                {
                    slug = base.numbered(n);
                    n += 1;
                }
                if let Some(f) = file {
                    make_ready(&tx, f.file_id, f.size, &f.sha256).await?;
                }
                let id = Uuid::now_v7();
                resource::ActiveModel {
                    id: Set(id),
                    slug: Set(slug.as_str().to_owned()),
                    name: Set(draft.name.clone()),
                    description: Set(draft.description.clone()),
                    category: Set(draft.category.clone()),
                    url: Set(draft.url.clone()),
                    file_id: Set(file.map(|f| f.file_id)),
                    file_version: Set(draft.file_version.clone()),
                    verified_on: Set(draft.verified_on),
                    created_at: Set(at),
                    updated_at: Set(at),
                }
                .insert(&tx)
                .await
                .map_err(db_err)?;
                (id, slug.as_str().to_owned())
            }
        };
        log_change(&tx, row_id, at).await?;
        record_audit(&tx, actor, AuditAction::ResourceSaved, &draft.name, None).await?;
        self.commit(tx).await?;
        Ok((slug, replaced))
    }

    /// Marks a resource as checked today.
    pub async fn verify_resource(
        &self,
        viewer: &Viewer,
        id: Uuid,
        on: NaiveDate,
    ) -> StoreResult<()> {
        require_staff(viewer)?;
        let row = resource::Entity::find_by_id(id)
            .one(self.conn())
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let mut a: resource::ActiveModel = row.into();
        a.verified_on = Set(Some(on));
        a.update(self.conn()).await.map_err(db_err)?;
        Ok(())
    }

    /// Deletes a resource; returns the key of its hosted copy, whose bytes the caller removes.
    pub async fn delete_resource(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Option<String>> {
        require_staff(viewer)?;
        let tx = self.write_tx().await?;
        let row = resource::Entity::find_by_id(id)
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        resource::Entity::delete_by_id(id)
            .exec(&tx)
            .await
            .map_err(db_err)?;
        let key = match row.file_id {
            Some(f) => Some(release(&tx, f).await?),
            None => None,
        };
        log_change(&tx, id, now()).await?;
        record_audit(&tx, actor, AuditAction::ResourceDeleted, &row.name, None).await?;
        self.commit(tx).await?;
        Ok(key)
    }
}
