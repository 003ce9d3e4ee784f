//! The resources catalogue: free tools staff consider useful and safe. Every signed-in person
//! sees all of it; only staff change it.

use chrono::NaiveDate;
use diesel::prelude::*;
use faro_core::downloads::Resource;
use faro_core::kb::Slug;
use faro_core::records::Actor;
use faro_core::{AuditAction, StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::files::{files_by_ids, make_ready, release};
use super::search_log::log_change;
use super::{audit, now};
use crate::Store;
use crate::db::rows::ResourceRow;
use crate::db::schema::resources;
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};

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

fn to_resources(conn: &mut DbConn, rows: Vec<ResourceRow>) -> StoreResult<Vec<Resource>> {
    let files = files_by_ids(
        conn,
        rows.iter()
            .filter_map(|r| r.file_id.map(Uuid::from))
            .collect(),
    )?;
    Ok(rows
        .into_iter()
        .map(|r| Resource {
            file: r
                .file_id
                .and_then(|id| files.iter().find(|f| f.id == id.0).cloned()),
            id: r.id.0,
            slug: r.slug,
            name: r.name,
            description: r.description,
            category: r.category,
            url: r.url,
            file_version: r.file_version,
            verified_on: r.verified_on,
            updated_at: r.updated_at.0,
        })
        .collect())
}

fn load(conn: &mut DbConn, id: Uuid) -> StoreResult<ResourceRow> {
    resources::table
        .find(Key(id))
        .first(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

impl Store {
    /// The whole catalogue, by category then name. Any signed-in person.
    pub async fn resources(&self) -> StoreResult<Vec<Resource>> {
        self.run(|c| {
            let rows = resources::table
                .order((resources::category.asc(), resources::name.asc()))
                .load(c)
                .map_err(db_err)?;
            to_resources(c, rows)
        })
        .await
    }

    pub async fn resources_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<Resource>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Key> = ids.iter().copied().map(Key).collect();
        self.run(move |c| {
            let rows = resources::table
                .filter(resources::id.eq_any(ids))
                .load(c)
                .map_err(db_err)?;
            to_resources(c, rows)
        })
        .await
    }

    pub async fn resource(&self, slug: &str) -> StoreResult<Resource> {
        let slug = Slug::parse(slug).map_err(|_| StoreError::NotFound)?;
        self.run(move |c| {
            let row = resources::table
                .filter(resources::slug.eq(slug.as_str()))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            to_resources(c, vec![row])?
                .pop()
                .ok_or(StoreError::NotFound)
        })
        .await
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
        let (actor, draft, file) = (actor.clone(), draft.clone(), file.cloned());
        let base = match id {
            Some(_) => None,
            None => Some(Slug::from_title(&draft.name)?),
        };
        self.write(move |c| {
            let at = now();
            let mut replaced = None;
            let (row_id, slug) = match (id, base) {
                (Some(id), _) => {
                    let row = load(c, id)?;
                    if let Some(f) = &file {
                        make_ready(c, f.file_id, f.size, &f.sha256)?;
                    }
                    diesel::update(resources::table.find(Key(id)))
                        .set((
                            resources::name.eq(&draft.name),
                            resources::description.eq(&draft.description),
                            resources::category.eq(&draft.category),
                            resources::url.eq(&draft.url),
                            resources::file_version.eq(&draft.file_version),
                            resources::verified_on.eq(draft.verified_on),
                            resources::updated_at.eq(Moment(at)),
                            resources::file_id
                                .eq(file.as_ref().map(|f| Key(f.file_id)).or(row.file_id)),
                        ))
                        .execute(c)
                        .map_err(db_err)?;
                    if let (Some(old), Some(_)) = (row.file_id, &file) {
                        replaced = Some(release(c, old.0)?);
                    }
                    (id, row.slug)
                }
                (None, Some(base)) => {
                    let slug = super::free_slug(c, &base, |c, s| {
                        resources::table
                            .filter(resources::slug.eq(s))
                            .count()
                            .get_result(c)
                    })?;
                    if let Some(f) = &file {
                        make_ready(c, f.file_id, f.size, &f.sha256)?;
                    }
                    let id = Uuid::now_v7();
                    diesel::insert_into(resources::table)
                        .values(ResourceRow {
                            id: Key(id),
                            slug: slug.as_str().to_owned(),
                            name: draft.name.clone(),
                            description: draft.description.clone(),
                            category: draft.category.clone(),
                            url: draft.url.clone(),
                            file_id: file.as_ref().map(|f| Key(f.file_id)),
                            file_version: draft.file_version.clone(),
                            verified_on: draft.verified_on,
                            created_at: Moment(at),
                            updated_at: Moment(at),
                        })
                        .execute(c)
                        .map_err(db_err)?;
                    (id, slug.as_str().to_owned())
                }
                (None, None) => return Err(StoreError::NotFound),
            };
            log_change(c, row_id, at)?;
            audit::record(c, &actor, AuditAction::ResourceSaved, &draft.name, None)?;
            Ok((slug, replaced))
        })
        .await
    }

    pub async fn resource_by_id(&self, id: Uuid) -> StoreResult<Resource> {
        self.resources_by_ids(&[id])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Stops hosting a copy of a resource; returns the key whose bytes the caller removes
    /// (`None` when it had none).
    pub async fn remove_resource_file(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Option<String>> {
        require_staff(viewer)?;
        let actor = actor.clone();
        self.write(move |c| {
            let row = load(c, id)?;
            let Some(file) = row.file_id else {
                return Ok(None);
            };
            let at = now();
            diesel::update(resources::table.find(Key(id)))
                .set((
                    resources::file_id.eq(None::<Key>),
                    resources::file_version.eq(""),
                    resources::updated_at.eq(Moment(at)),
                ))
                .execute(c)
                .map_err(db_err)?;
            let key = release(c, file.0)?;
            log_change(c, id, at)?;
            audit::record(c, &actor, AuditAction::ResourceSaved, &row.name, None)?;
            Ok(Some(key))
        })
        .await
    }

    /// Marks a resource as checked today.
    pub async fn verify_resource(
        &self,
        viewer: &Viewer,
        id: Uuid,
        on: NaiveDate,
    ) -> StoreResult<()> {
        require_staff(viewer)?;
        self.run(move |c| {
            let n = diesel::update(resources::table.find(Key(id)))
                .set(resources::verified_on.eq(Some(on)))
                .execute(c)
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    /// Deletes a resource; returns the key of its hosted copy, whose bytes the caller removes.
    pub async fn delete_resource(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: Uuid,
    ) -> StoreResult<Option<String>> {
        require_staff(viewer)?;
        let actor = actor.clone();
        self.write(move |c| {
            let row = load(c, id)?;
            diesel::delete(resources::table.find(Key(id)))
                .execute(c)
                .map_err(db_err)?;
            let key = match row.file_id {
                Some(f) => Some(release(c, f.0)?),
                None => None,
            };
            log_change(c, id, now())?;
            audit::record(c, &actor, AuditAction::ResourceDeleted, &row.name, None)?;
            Ok(key)
        })
        .await
    }
}
