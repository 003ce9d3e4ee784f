//! Download items, their versions and who fetched what. A client sees an item published to all
//! clients or to their membership, and only once it has a version to fetch; anything else is
//! `NotFound`. Staff see and manage everything.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use faro_core::downloads::{
    DownloadItem, DownloadKind, Version, VersionLabel, VersionState, Withdrawal, order_versions,
};
use faro_core::kb::Slug;
use faro_core::records::Actor;
use faro_core::viewer::Scope;
use faro_core::{AuditAction, Conflict, Invalid, Role, StoreError, StoreResult, Viewer};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::legacy::{files_by_ids, make_ready};
use super::legacy::log_change;
use super::legacy::record_audit;
use super::now;
use crate::entity::{
    download_audience, download_event, download_item, download_version, download_visit, membership,
    user,
};
use crate::{Store, db_err};

/// What staff fill in for an item.
#[derive(Debug, Clone)]
pub struct DownloadDraft {
    pub kind: DownloadKind,
    pub title: String,
    pub description: String,
    pub category: String,
    pub all_clients: bool,
    pub memberships: Vec<Uuid>,
}

/// A version about to be published; its file was streamed in under `file_id` (pending).
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub label: VersionLabel,
    pub notes: String,
    pub file_id: Uuid,
    pub size: u64,
    pub sha256: String,
}

/// Download counts for staff.
#[derive(Debug, Clone, Default)]
pub struct DownloadStats {
    /// Per version (newest first): label, downloads, distinct people.
    pub versions: Vec<(Uuid, String, u64, u64)>,
    pub total: u64,
    /// Per membership in the audience: the active people who have not fetched the current
    /// version yet (membership name, names).
    pub missing_current: Vec<(String, Vec<String>)>,
}

/// The condition on `download_items` for what a viewer may see (`None`: nothing).
fn visible(viewer: &Viewer) -> Option<Condition> {
    match viewer.scope() {
        Scope::AllMemberships => Some(Condition::all()),
        Scope::Membership(m) => Some(
            Condition::any()
                .add(download_item::Column::AllClients.eq(true))
                .add(
                    download_item::Column::Id.in_subquery(
                        sea_orm::sea_query::Query::select()
                            .column(download_audience::Column::ItemId)
                            .from(download_audience::Entity)
                            .and_where(download_audience::Column::MembershipId.eq(m))
                            .to_owned(),
                    ),
                ),
        ),
        Scope::Nothing => None,
    }
}

fn require_staff(viewer: &Viewer) -> StoreResult<()> {
    if viewer.is_staff() {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

async fn versions_of(
    conn: &impl ConnectionTrait,
    item_ids: Vec<Uuid>,
) -> StoreResult<HashMap<Uuid, Vec<Version>>> {
    let rows = download_version::Entity::find()
        .filter(download_version::Column::ItemId.is_in(item_ids))
        .all(conn)
        .await
        .map_err(db_err)?;
    let files = files_by_ids(conn, rows.iter().map(|r| r.file_id).collect()).await?;
    let mut out: HashMap<Uuid, Vec<Version>> = HashMap::new();
    for r in rows {
        let (Some(file), Ok(label)) = (
            files.iter().find(|f| f.id == r.file_id).cloned(),
            VersionLabel::parse(&r.label),
        ) else {
            continue;
        };
        out.entry(r.item_id).or_default().push(Version {
            id: r.id,
            item_id: r.item_id,
            label,
            notes: r.notes,
            file,
            published_by: r.published_by_name,
            published_at: r.published_at,
            withdrawn: r.withdrawn_at.map(|at| Withdrawal {
                reason: r.withdrawn_reason.unwrap_or_default(),
                at,
            }),
            state: VersionState::Superseded,
        });
    }
    for list in out.values_mut() {
        order_versions(list);
    }
    Ok(out)
}

/// Rows to items, with their audiences and current versions: three queries however many rows.
async fn to_items(
    conn: &impl ConnectionTrait,
    rows: Vec<download_item::Model>,
) -> StoreResult<Vec<(DownloadItem, Vec<Version>)>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let audience = download_audience::Entity::find()
        .filter(download_audience::Column::ItemId.is_in(ids.clone()))
        .all(conn)
        .await
        .map_err(db_err)?;
    let names: HashMap<Uuid, String> =
        super::legacy::membership_names(conn, audience.iter().map(|a| a.membership_id))
            .await?
            .into_iter()
            .collect();
    let mut versions = versions_of(conn, ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Ok(kind) = DownloadKind::parse(&r.kind) else {
            continue;
        };
        let mut memberships: Vec<(Uuid, String)> = audience
            .iter()
            .filter(|a| a.item_id == r.id)
            .filter_map(|a| {
                names
                    .get(&a.membership_id)
                    .map(|n| (a.membership_id, n.clone()))
            })
            .collect();
        memberships.sort_by(|a, b| a.1.cmp(&b.1));
        let vs = versions.remove(&r.id).unwrap_or_default();
        let current = vs
            .iter()
            .find(|v| v.state == VersionState::Current)
            .map(|v| (v.label.as_str().to_owned(), v.published_at));
        out.push((
            DownloadItem {
                id: r.id,
                slug: r.slug,
                kind,
                title: r.title,
                description: r.description,
                category: r.category,
                all_clients: r.all_clients,
                memberships,
                created_at: r.created_at,
                updated_at: r.updated_at,
                current,
            },
            vs,
        ));
    }
    Ok(out)
}

/// Loads one item the viewer may see, with its versions. Clients do not see items that have
/// nothing to download yet.
async fn readable_item(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    cond: Condition,
) -> StoreResult<(DownloadItem, Vec<Version>)> {
    let scope = visible(viewer).ok_or(StoreError::NotFound)?;
    let row = download_item::Entity::find()
        .filter(scope)
        .filter(cond)
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
    let (item, versions) = to_items(conn, vec![row])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    if !viewer.is_staff() && item.current.is_none() && versions.is_empty() {
        return Err(StoreError::NotFound);
    }
    Ok((item, versions))
}

async fn write_audience(
    conn: &impl ConnectionTrait,
    item_id: Uuid,
    draft: &DownloadDraft,
) -> StoreResult<()> {
    download_audience::Entity::delete_many()
        .filter(download_audience::Column::ItemId.eq(item_id))
        .exec(conn)
        .await
        .map_err(db_err)?;
    if draft.all_clients {
        return Ok(());
    }
    let known: Vec<Uuid> = membership::Entity::find()
        .select_only()
        .column(membership::Column::Id)
        .filter(membership::Column::Id.is_in(draft.memberships.clone()))
        .into_tuple()
        .all(conn)
        .await
        .map_err(db_err)?;
    if known.is_empty() {
        return Err(Invalid::Audience.into());
    }
    download_audience::Entity::insert_many(known.into_iter().map(|m| {
        download_audience::ActiveModel {
            item_id: Set(item_id),
            membership_id: Set(m),
        }
    }))
    .exec(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

impl Store {
    /// Items the viewer may see, optionally of one kind, by category then title. Clients see
    /// only items with a version to download.
    pub async fn download_items(
        &self,
        viewer: &Viewer,
        kind: Option<DownloadKind>,
    ) -> StoreResult<Vec<DownloadItem>> {
        let Some(scope) = visible(viewer) else {
            return Ok(Vec::new());
        };
        let mut q = download_item::Entity::find()
            .filter(scope)
            .order_by_asc(download_item::Column::Category)
            .order_by_asc(download_item::Column::Title);
        if let Some(k) = kind {
            q = q.filter(download_item::Column::Kind.eq(k.as_str()));
        }
        let rows = q.all(self.conn()).await.map_err(db_err)?;
        Ok(to_items(self.conn(), rows)
            .await?
            .into_iter()
            .filter(|(i, _)| viewer.is_staff() || i.current.is_some())
            .map(|(i, _)| i)
            .collect())
    }

    /// The items among `ids` the viewer may see (for search results).
    pub async fn download_items_by_ids(
        &self,
        viewer: &Viewer,
        ids: &[Uuid],
    ) -> StoreResult<Vec<DownloadItem>> {
        let Some(scope) = visible(viewer).filter(|_| !ids.is_empty()) else {
            return Ok(Vec::new());
        };
        let rows = download_item::Entity::find()
            .filter(scope)
            .filter(download_item::Column::Id.is_in(ids.to_vec()))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        Ok(to_items(self.conn(), rows)
            .await?
            .into_iter()
            .filter(|(i, _)| viewer.is_staff() || i.current.is_some())
            .map(|(i, _)| i)
            .collect())
    }

    /// Every item with its versions (for rebuilding the search index).
    pub async fn all_download_items(&self) -> StoreResult<Vec<(DownloadItem, Vec<Version>)>> {
        let rows = download_item::Entity::find()
            .order_by_asc(download_item::Column::Id)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        to_items(self.conn(), rows).await
    }

    pub(crate) async fn download_items_for_index(
        &self,
        ids: Vec<Uuid>,
    ) -> StoreResult<Vec<(DownloadItem, Vec<Version>)>> {
        let rows = download_item::Entity::find()
            .filter(download_item::Column::Id.is_in(ids))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        to_items(self.conn(), rows).await
    }

    /// One item and its versions (newest first).
    pub async fn download_item(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> StoreResult<(DownloadItem, Vec<Version>)> {
        let slug = Slug::parse(slug).map_err(|_| StoreError::NotFound)?;
        readable_item(
            self.conn(),
            viewer,
            Condition::all().add(download_item::Column::Slug.eq(slug.as_str())),
        )
        .await
    }

    /// One version of an item, if the viewer may see the item.
    pub async fn download_version(
        &self,
        viewer: &Viewer,
        slug: &str,
        version_id: Uuid,
    ) -> StoreResult<(DownloadItem, Version)> {
        let (item, versions) = self.download_item(viewer, slug).await?;
        let v = versions
            .into_iter()
            .find(|v| v.id == version_id)
            .ok_or(StoreError::NotFound)?;
        Ok((item, v))
    }

    pub async fn create_download_item(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        draft: &DownloadDraft,
    ) -> StoreResult<String> {
        require_staff(viewer)?;
        let base = Slug::from_title(&draft.title)?;
        let tx = self.write_tx().await?;
        let mut slug = base.clone();
        let mut n = 2;
        while download_item::Entity::find()
            .filter(download_item::Column::Slug.eq(slug.as_str()))
            .count(&tx)
            .await
            .map_err(db_err)?
            > 0
        {
            slug = base.numbered(n);
            n += 1;
        }
        let id = Uuid::now_v7();
        let at = now();
        download_item::ActiveModel {
            id: Set(id),
            slug: Set(slug.as_str().to_owned()),
            kind: Set(draft.kind.as_str().to_owned()),
            title: Set(draft.title.clone()),
            description: Set(draft.description.clone()),
            category: Set(draft.category.clone()),
            all_clients: Set(draft.all_clients),
            created_at: Set(at),
            updated_at: Set(at),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        write_audience(&tx, id, draft).await?;
        log_change(&tx, id, at).await?;
        record_audit(&tx, actor, AuditAction::DownloadCreated, &draft.title, None).await?;
        self.commit(tx).await?;
        Ok(slug.as_str().to_owned())
    }

    pub async fn update_download_item(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        item_id: Uuid,
        draft: &DownloadDraft,
    ) -> StoreResult<()> {
        require_staff(viewer)?;
        let tx = self.write_tx().await?;
        let row = download_item::Entity::find_by_id(item_id)
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let at = now();
        let mut active: download_item::ActiveModel = row.into();
        active.kind = Set(draft.kind.as_str().to_owned());
        active.title = Set(draft.title.clone());
        active.description = Set(draft.description.clone());
        active.category = Set(draft.category.clone());
        active.all_clients = Set(draft.all_clients);
        active.updated_at = Set(at);
        active.update(&tx).await.map_err(db_err)?;
        write_audience(&tx, item_id, draft).await?;
        log_change(&tx, item_id, at).await?;
        record_audit(&tx, actor, AuditAction::DownloadUpdated, &draft.title, None).await?;
        self.commit(tx).await
    }

    /// Publishes a version whose file has been stored. The file turns ready in the same
    /// transaction; on any error it stays pending and the caller discards it with its bytes.
    pub async fn publish_version(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        publisher: &str,
        item_id: Uuid,
        v: &NewVersion,
    ) -> StoreResult<Uuid> {
        require_staff(viewer)?;
        let tx = self.write_tx().await?;
        let item = download_item::Entity::find_by_id(item_id)
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let labels: Vec<String> = download_version::Entity::find()
            .select_only()
            .column(download_version::Column::Label)
            .filter(download_version::Column::ItemId.eq(item_id))
            .into_tuple()
            .all(&tx)
            .await
            .map_err(db_err)?;
        if labels
            .iter()
            .any(|l| l.eq_ignore_ascii_case(v.label.as_str()))
        {
            return Err(StoreError::Conflict(Conflict::VersionExists));
        }
        make_ready(&tx, v.file_id, v.size, &v.sha256).await?;
        let id = Uuid::now_v7();
        let at = now();
        download_version::ActiveModel {
            id: Set(id),
            item_id: Set(item_id),
            label: Set(v.label.as_str().to_owned()),
            notes: Set(v.notes.clone()),
            file_id: Set(v.file_id),
            published_by: Set(actor.user_id.filter(|u| !u.is_nil())),
            published_by_name: Set(super::clean(publisher, 120)),
            published_at: Set(at),
            withdrawn_at: Set(None),
            withdrawn_reason: Set(None),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        let mut active: download_item::ActiveModel = item.clone().into();
        active.updated_at = Set(at);
        active.update(&tx).await.map_err(db_err)?;
        log_change(&tx, item_id, at).await?;
        record_audit(
            &tx,
            actor,
            AuditAction::VersionPublished,
            &format!("{} {}", item.title, v.label.as_str()),
            None,
        )
        .await?;
        self.commit(tx).await?;
        Ok(id)
    }

    /// Withdraws a version (its link then answers 410 with the reason), or with `reason: None`
    /// puts it back.
    pub async fn set_version_withdrawn(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        item_id: Uuid,
        version_id: Uuid,
        reason: Option<&str>,
    ) -> StoreResult<()> {
        require_staff(viewer)?;
        let tx = self.write_tx().await?;
        let row = download_version::Entity::find_by_id(version_id)
            .filter(download_version::Column::ItemId.eq(item_id))
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let subject = row.label.clone();
        let mut active: download_version::ActiveModel = row.into();
        let at = now();
        let action = match reason {
            Some(r) => {
                active.withdrawn_at = Set(Some(at));
                active.withdrawn_reason = Set(Some(r.to_owned()));
                AuditAction::VersionWithdrawn
            }
            None => {
                active.withdrawn_at = Set(None);
                active.withdrawn_reason = Set(None);
                AuditAction::VersionReinstated
            }
        };
        active.update(&tx).await.map_err(db_err)?;
        log_change(&tx, item_id, at).await?;
        record_audit(&tx, actor, action, &subject, None).await?;
        self.commit(tx).await
    }

    /// Records that `viewer` fetched a version.
    pub async fn record_download(
        &self,
        viewer: &Viewer,
        item_id: Uuid,
        version_id: Uuid,
    ) -> StoreResult<()> {
        download_event::ActiveModel {
            id: Set(Uuid::now_v7()),
            item_id: Set(item_id),
            version_id: Set(version_id),
            user_id: Set(viewer.user_id),
            membership_id: Set(viewer.membership_id),
            at: Set(now()),
        }
        .insert(self.conn())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    /// When the viewer last fetched each version of an item (version id, time).
    pub async fn my_downloads(
        &self,
        viewer: &Viewer,
        item_id: Uuid,
    ) -> StoreResult<Vec<(Uuid, DateTime<Utc>)>> {
        let rows: Vec<(Uuid, DateTime<Utc>)> = download_event::Entity::find()
            .select_only()
            .column(download_event::Column::VersionId)
            .column_as(download_event::Column::At.max(), "at")
            .filter(download_event::Column::ItemId.eq(item_id))
            .filter(download_event::Column::UserId.eq(viewer.user_id))
            .group_by(download_event::Column::VersionId)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)?;
        Ok(rows)
    }

    /// Counts per version and who has not fetched the current one. Staff only.
    pub async fn download_stats(
        &self,
        viewer: &Viewer,
        item: &DownloadItem,
        versions: &[Version],
    ) -> StoreResult<DownloadStats> {
        require_staff(viewer)?;
        let counts: Vec<(Uuid, i64, i64)> = download_event::Entity::find()
            .select_only()
            .column(download_event::Column::VersionId)
            .column_as(download_event::Column::Id.count(), "n")
            .column_as(
                Expr::col(download_event::Column::UserId).count_distinct(),
                "people",
            )
            .filter(download_event::Column::ItemId.eq(item.id))
            .group_by(download_event::Column::VersionId)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let mut stats = DownloadStats::default();
        for v in versions {
            let (n, people) = counts
                .iter()
                .find(|c| c.0 == v.id)
                .map(|c| {
                    (
                        u64::try_from(c.1).unwrap_or(0),
                        u64::try_from(c.2).unwrap_or(0),
                    )
                })
                .unwrap_or((0, 0));
            stats.total += n;
            stats
                .versions
                .push((v.id, v.label.as_str().to_owned(), n, people));
        }
        let Some(current) = versions.iter().find(|v| v.state == VersionState::Current) else {
            return Ok(stats);
        };
        let fetched: HashSet<Uuid> = download_event::Entity::find()
            .select_only()
            .column(download_event::Column::UserId)
            .filter(download_event::Column::VersionId.eq(current.id))
            .distinct()
            .into_tuple::<Uuid>()
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .collect();
        let mut memberships = membership::Entity::find()
            .filter(membership::Column::Active.eq(true))
            .order_by_asc(membership::Column::Name);
        if !item.all_clients {
            memberships = memberships.filter(
                membership::Column::Id
                    .is_in(item.memberships.iter().map(|m| m.0).collect::<Vec<_>>()),
            );
        }
        let memberships = memberships.all(self.conn()).await.map_err(db_err)?;
        let people = user::Entity::find()
            .filter(user::Column::Active.eq(true))
            .filter(
                user::Column::MembershipId
                    .is_in(memberships.iter().map(|m| m.id).collect::<Vec<_>>()),
            )
            .filter(user::Column::Role.is_in([Role::Member.as_str(), Role::Coordinator.as_str()]))
            .order_by_asc(user::Column::Name)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        for m in memberships {
            let missing: Vec<String> = people
                .iter()
                .filter(|p| p.membership_id == Some(m.id) && !fetched.contains(&p.id))
                .map(|p| p.name.clone())
                .collect();
            if !missing.is_empty() {
                stats.missing_current.push((m.name, missing));
            }
        }
        Ok(stats)
    }

    /// When the viewer last opened the downloads page, and marks now as the new last visit.
    pub async fn touch_downloads_visit(
        &self,
        viewer: &Viewer,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let previous = download_visit::Entity::find_by_id(viewer.user_id)
            .one(self.conn())
            .await
            .map_err(db_err)?
            .map(|v| v.seen_at);
        download_visit::Entity::insert(download_visit::ActiveModel {
            user_id: Set(viewer.user_id),
            seen_at: Set(now()),
        })
        .on_conflict(
            OnConflict::column(download_visit::Column::UserId)
                .update_column(download_visit::Column::SeenAt)
                .to_owned(),
        )
        .exec(self.conn())
        .await
        .map_err(db_err)?;
        Ok(previous)
    }
}
