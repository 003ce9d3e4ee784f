//! Download items, their versions and who fetched what. A client sees an item published to all
//! clients or to their membership, and only once it has a version to fetch; anything else is
//! `NotFound`. Staff see and manage everything.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::downloads::{
    DownloadItem, DownloadKind, Version, VersionLabel, VersionState, Withdrawal, order_versions,
};
use faro_core::kb::Slug;
use faro_core::records::Actor;
use faro_core::viewer::Scope;
use faro_core::{AuditAction, Conflict, Invalid, Role, StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::files::{files_by_ids, make_ready};
use super::search_log::log_change;
use super::{audit, now};
use crate::Store;
use crate::db::rows::{DownloadEventRow, DownloadItemRow, DownloadVersionRow};
use crate::db::schema::{
    download_audience, download_events, download_items, download_versions, download_visits,
    memberships, users,
};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, MultiBackend, db_err, per_backend};

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
    /// version yet (membership id and name, names).
    pub missing_current: Vec<(Uuid, String, Vec<String>)>,
}

type Items = download_items::BoxedQuery<'static, MultiBackend>;

/// `q` narrowed to what a viewer may see (`None`: nothing): clients see items published to all
/// clients or to their membership.
fn visible(q: Items, viewer: &Viewer) -> Option<Items> {
    match viewer.scope() {
        Scope::AllMemberships => Some(q),
        Scope::Membership(m) => Some(
            q.filter(
                download_items::all_clients
                    .eq(true)
                    .or(download_items::id.eq_any(
                        download_audience::table
                            .filter(download_audience::membership_id.eq(Key(m)))
                            .select(download_audience::item_id),
                    )),
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

fn versions_of(conn: &mut DbConn, item_ids: &[Key]) -> StoreResult<HashMap<Uuid, Vec<Version>>> {
    let rows: Vec<DownloadVersionRow> = download_versions::table
        .filter(download_versions::item_id.eq_any(item_ids))
        .load(conn)
        .map_err(db_err)?;
    let files = files_by_ids(conn, rows.iter().map(|r| r.file_id.0).collect())?;
    let mut out: HashMap<Uuid, Vec<Version>> = HashMap::new();
    for r in rows {
        let (Some(file), Ok(label)) = (
            files.iter().find(|f| f.id == r.file_id.0).cloned(),
            VersionLabel::parse(&r.label),
        ) else {
            continue;
        };
        out.entry(r.item_id.0).or_default().push(Version {
            id: r.id.0,
            item_id: r.item_id.0,
            label,
            notes: r.notes,
            file,
            published_by: r.published_by_name,
            published_at: r.published_at.0,
            withdrawn: r.withdrawn_at.map(|at| Withdrawal {
                reason: r.withdrawn_reason.unwrap_or_default(),
                at: at.0,
            }),
            state: VersionState::Superseded,
        });
    }
    for list in out.values_mut() {
        order_versions(list);
    }
    Ok(out)
}

/// Rows to items, with their audiences and current versions: a few queries however many rows.
fn to_items(
    conn: &mut DbConn,
    rows: Vec<DownloadItemRow>,
) -> StoreResult<Vec<(DownloadItem, Vec<Version>)>> {
    let ids: Vec<Key> = rows.iter().map(|r| r.id).collect();
    let audience: Vec<(Key, Key)> = download_audience::table
        .filter(download_audience::item_id.eq_any(&ids))
        .select((download_audience::item_id, download_audience::membership_id))
        .load(conn)
        .map_err(db_err)?;
    let names: HashMap<Uuid, String> =
        super::membership_names(conn, audience.iter().map(|a| a.1.0))?
            .into_iter()
            .collect();
    let mut versions = versions_of(conn, &ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Ok(kind) = DownloadKind::parse(&r.kind) else {
            continue;
        };
        let mut memberships: Vec<(Uuid, String)> = audience
            .iter()
            .filter(|a| a.0 == r.id)
            .filter_map(|a| names.get(&a.1.0).map(|n| (a.1.0, n.clone())))
            .collect();
        memberships.sort_by(|a, b| a.1.cmp(&b.1));
        let vs = versions.remove(&r.id.0).unwrap_or_default();
        let current = vs
            .iter()
            .find(|v| v.state == VersionState::Current)
            .map(|v| (v.label.as_str().to_owned(), v.published_at));
        out.push((
            DownloadItem {
                id: r.id.0,
                slug: r.slug,
                kind,
                title: r.title,
                description: r.description,
                category: r.category,
                all_clients: r.all_clients,
                memberships,
                created_at: r.created_at.0,
                updated_at: r.updated_at.0,
                current,
            },
            vs,
        ));
    }
    Ok(out)
}

/// Loads the item at `slug` if the viewer may see it, with its versions. Clients do not see
/// items that have nothing to download yet.
fn readable_item(
    conn: &mut DbConn,
    viewer: &Viewer,
    slug: &str,
) -> StoreResult<(DownloadItem, Vec<Version>)> {
    let q = visible(download_items::table.into_boxed(), viewer).ok_or(StoreError::NotFound)?;
    let row: DownloadItemRow = q
        .filter(download_items::slug.eq(slug.to_owned()))
        .first(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)?;
    let (item, versions) = to_items(conn, vec![row])?
        .pop()
        .ok_or(StoreError::NotFound)?;
    if !viewer.is_staff() && item.current.is_none() && versions.is_empty() {
        return Err(StoreError::NotFound);
    }
    Ok((item, versions))
}

fn write_audience(conn: &mut DbConn, item_id: Uuid, draft: &DownloadDraft) -> StoreResult<()> {
    diesel::delete(download_audience::table.filter(download_audience::item_id.eq(Key(item_id))))
        .execute(conn)
        .map_err(db_err)?;
    if draft.all_clients {
        return Ok(());
    }
    let known: Vec<Key> = memberships::table
        .filter(memberships::id.eq_any(draft.memberships.iter().copied().map(Key)))
        .select(memberships::id)
        .load(conn)
        .map_err(db_err)?;
    if known.is_empty() {
        return Err(Invalid::Audience.into());
    }
    let rows: Vec<_> = known
        .into_iter()
        .map(|m| {
            (
                download_audience::item_id.eq(Key(item_id)),
                download_audience::membership_id.eq(m),
            )
        })
        .collect();
    per_backend!(conn, |c| diesel::insert_into(download_audience::table)
        .values(&rows)
        .execute(c))
    .map_err(db_err)?;
    Ok(())
}

fn load_item(conn: &mut DbConn, id: Uuid) -> StoreResult<DownloadItemRow> {
    download_items::table
        .find(Key(id))
        .first(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

impl Store {
    /// Items the viewer may see, optionally of one kind, by category then title. Clients see
    /// only items with a version to download.
    pub async fn download_items(
        &self,
        viewer: &Viewer,
        kind: Option<DownloadKind>,
    ) -> StoreResult<Vec<DownloadItem>> {
        let viewer = viewer.clone();
        self.run(move |c| {
            let Some(mut q) = visible(download_items::table.into_boxed(), &viewer) else {
                return Ok(Vec::new());
            };
            q = q.order((download_items::category.asc(), download_items::title.asc()));
            if let Some(k) = kind {
                q = q.filter(download_items::kind.eq(k.as_str()));
            }
            let rows = q.load(c).map_err(db_err)?;
            Ok(to_items(c, rows)?
                .into_iter()
                .filter(|(i, _)| viewer.is_staff() || i.current.is_some())
                .map(|(i, _)| i)
                .collect())
        })
        .await
    }

    /// The items among `ids` the viewer may see (for search results).
    pub async fn download_items_by_ids(
        &self,
        viewer: &Viewer,
        ids: &[Uuid],
    ) -> StoreResult<Vec<DownloadItem>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let viewer = viewer.clone();
        let ids: Vec<Key> = ids.iter().copied().map(Key).collect();
        self.run(move |c| {
            let Some(q) = visible(download_items::table.into_boxed(), &viewer) else {
                return Ok(Vec::new());
            };
            let rows = q
                .filter(download_items::id.eq_any(ids))
                .load(c)
                .map_err(db_err)?;
            Ok(to_items(c, rows)?
                .into_iter()
                .filter(|(i, _)| viewer.is_staff() || i.current.is_some())
                .map(|(i, _)| i)
                .collect())
        })
        .await
    }

    /// Every item with its versions (for rebuilding the search index).
    pub async fn all_download_items(&self) -> StoreResult<Vec<(DownloadItem, Vec<Version>)>> {
        self.run(|c| {
            let rows = download_items::table
                .order(download_items::id.asc())
                .load(c)
                .map_err(db_err)?;
            to_items(c, rows)
        })
        .await
    }

    pub(crate) async fn download_items_for_index(
        &self,
        ids: Vec<Uuid>,
    ) -> StoreResult<Vec<(DownloadItem, Vec<Version>)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.run(move |c| {
            let rows = download_items::table
                .filter(download_items::id.eq_any(ids.into_iter().map(Key)))
                .load(c)
                .map_err(db_err)?;
            to_items(c, rows)
        })
        .await
    }

    /// One item and its versions (newest first).
    pub async fn download_item(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> StoreResult<(DownloadItem, Vec<Version>)> {
        let slug = Slug::parse(slug).map_err(|_| StoreError::NotFound)?;
        let viewer = viewer.clone();
        self.run(move |c| readable_item(c, &viewer, slug.as_str()))
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

    /// A version by its id, with its item, if the viewer may see the item (signed addresses
    /// name versions by id alone).
    pub async fn download_version_by_id(
        &self,
        viewer: &Viewer,
        version_id: Uuid,
    ) -> StoreResult<(DownloadItem, Version)> {
        let viewer = viewer.clone();
        self.run(move |c| {
            let item_id: Key = download_versions::table
                .filter(download_versions::id.eq(Key(version_id)))
                .select(download_versions::item_id)
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            let slug = load_item(c, item_id.0)?.slug;
            let (item, versions) = readable_item(c, &viewer, &slug)?;
            let v = versions
                .into_iter()
                .find(|v| v.id == version_id)
                .ok_or(StoreError::NotFound)?;
            Ok((item, v))
        })
        .await
    }

    pub async fn create_download_item(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        draft: &DownloadDraft,
    ) -> StoreResult<String> {
        require_staff(viewer)?;
        let base = Slug::from_title(&draft.title)?;
        let (actor, draft) = (actor.clone(), draft.clone());
        self.write(move |c| {
            let slug = super::free_slug(c, &base, |c, s| {
                download_items::table
                    .filter(download_items::slug.eq(s))
                    .count()
                    .get_result(c)
            })?;
            let id = Uuid::now_v7();
            let at = now();
            diesel::insert_into(download_items::table)
                .values(DownloadItemRow {
                    id: Key(id),
                    slug: slug.as_str().to_owned(),
                    kind: draft.kind.as_str().to_owned(),
                    title: draft.title.clone(),
                    description: draft.description.clone(),
                    category: draft.category.clone(),
                    all_clients: draft.all_clients,
                    created_at: Moment(at),
                    updated_at: Moment(at),
                })
                .execute(c)
                .map_err(db_err)?;
            write_audience(c, id, &draft)?;
            log_change(c, id, at)?;
            audit::record(c, &actor, AuditAction::DownloadCreated, &draft.title, None)?;
            Ok(slug.as_str().to_owned())
        })
        .await
    }

    pub async fn update_download_item(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        item_id: Uuid,
        draft: &DownloadDraft,
    ) -> StoreResult<()> {
        require_staff(viewer)?;
        let (actor, draft) = (actor.clone(), draft.clone());
        self.write(move |c| {
            load_item(c, item_id)?;
            let at = now();
            diesel::update(download_items::table.find(Key(item_id)))
                .set((
                    download_items::kind.eq(draft.kind.as_str()),
                    download_items::title.eq(&draft.title),
                    download_items::description.eq(&draft.description),
                    download_items::category.eq(&draft.category),
                    download_items::all_clients.eq(draft.all_clients),
                    download_items::updated_at.eq(Moment(at)),
                ))
                .execute(c)
                .map_err(db_err)?;
            write_audience(c, item_id, &draft)?;
            log_change(c, item_id, at)?;
            audit::record(c, &actor, AuditAction::DownloadUpdated, &draft.title, None)
        })
        .await
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
        let (actor, v) = (actor.clone(), v.clone());
        let publisher = super::clean(publisher, 120);
        self.write(move |c| {
            let item = load_item(c, item_id)?;
            let labels: Vec<String> = download_versions::table
                .filter(download_versions::item_id.eq(Key(item_id)))
                .select(download_versions::label)
                .load(c)
                .map_err(db_err)?;
            if labels
                .iter()
                .any(|l| l.eq_ignore_ascii_case(v.label.as_str()))
            {
                return Err(StoreError::Conflict(Conflict::VersionExists));
            }
            make_ready(c, v.file_id, v.size, &v.sha256)?;
            let id = Uuid::now_v7();
            let at = now();
            diesel::insert_into(download_versions::table)
                .values(DownloadVersionRow {
                    id: Key(id),
                    item_id: Key(item_id),
                    label: v.label.as_str().to_owned(),
                    notes: v.notes.clone(),
                    file_id: Key(v.file_id),
                    published_by: actor.user_id.filter(|u| !u.is_nil()).map(Key),
                    published_by_name: publisher,
                    published_at: Moment(at),
                    withdrawn_at: None,
                    withdrawn_reason: None,
                })
                .execute(c)
                .map_err(db_err)?;
            diesel::update(download_items::table.find(Key(item_id)))
                .set(download_items::updated_at.eq(Moment(at)))
                .execute(c)
                .map_err(db_err)?;
            log_change(c, item_id, at)?;
            audit::record(
                c,
                &actor,
                AuditAction::VersionPublished,
                &format!("{} {}", item.title, v.label.as_str()),
                None,
            )?;
            Ok(id)
        })
        .await
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
        let actor = actor.clone();
        let reason = reason.map(str::to_owned);
        self.write(move |c| {
            let label: String = download_versions::table
                .filter(download_versions::id.eq(Key(version_id)))
                .filter(download_versions::item_id.eq(Key(item_id)))
                .select(download_versions::label)
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            let at = now();
            let action = if reason.is_some() {
                AuditAction::VersionWithdrawn
            } else {
                AuditAction::VersionReinstated
            };
            diesel::update(download_versions::table.find(Key(version_id)))
                .set((
                    download_versions::withdrawn_at.eq(reason.as_ref().map(|_| Moment(at))),
                    download_versions::withdrawn_reason.eq(&reason),
                ))
                .execute(c)
                .map_err(db_err)?;
            log_change(c, item_id, at)?;
            audit::record(c, &actor, action, &label, None)
        })
        .await
    }

    /// Records that `viewer` fetched a version.
    pub async fn record_download(
        &self,
        viewer: &Viewer,
        item_id: Uuid,
        version_id: Uuid,
    ) -> StoreResult<()> {
        let row = DownloadEventRow {
            id: Key(Uuid::now_v7()),
            item_id: Key(item_id),
            version_id: Key(version_id),
            user_id: Key(viewer.user_id),
            membership_id: viewer.membership_id.map(Key),
            at: Moment(now()),
        };
        self.run(move |c| {
            diesel::insert_into(download_events::table)
                .values(row)
                .execute(c)
                .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    /// When the viewer last fetched each version of an item (version id, time).
    pub async fn my_downloads(
        &self,
        viewer: &Viewer,
        item_id: Uuid,
    ) -> StoreResult<Vec<(Uuid, DateTime<Utc>)>> {
        let user = viewer.user_id;
        self.run(move |c| {
            let rows: Vec<(Key, Option<Moment>)> = download_events::table
                .filter(download_events::item_id.eq(Key(item_id)))
                .filter(download_events::user_id.eq(Key(user)))
                .group_by(download_events::version_id)
                .select((
                    download_events::version_id,
                    diesel::dsl::max(download_events::at),
                ))
                .load(c)
                .map_err(db_err)?;
            Ok(rows
                .into_iter()
                .filter_map(|(v, at)| at.map(|at| (v.0, at.0)))
                .collect())
        })
        .await
    }

    /// Counts per version and who has not fetched the current one. Staff only.
    pub async fn download_stats(
        &self,
        viewer: &Viewer,
        item: &DownloadItem,
        versions: &[Version],
    ) -> StoreResult<DownloadStats> {
        require_staff(viewer)?;
        let (item, versions) = (item.clone(), versions.to_vec());
        self.run(move |c| {
            let counts: Vec<(Key, i64, i64)> = download_events::table
                .filter(download_events::item_id.eq(Key(item.id)))
                .group_by(download_events::version_id)
                .select((
                    download_events::version_id,
                    diesel::dsl::count(download_events::id),
                    diesel::dsl::count(download_events::user_id).aggregate_distinct(),
                ))
                .load(c)
                .map_err(db_err)?;
            let mut stats = DownloadStats::default();
            for v in &versions {
                let (n, people) = counts
                    .iter()
                    .find(|c| c.0.0 == v.id)
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
            let fetched: HashSet<Key> = download_events::table
                .filter(download_events::version_id.eq(Key(current.id)))
                .select(download_events::user_id)
                .distinct()
                .load::<Key>(c)
                .map_err(db_err)?
                .into_iter()
                .collect();
            let mut q = memberships::table
                .filter(memberships::active.eq(true))
                .order(memberships::name.asc())
                .select((memberships::id, memberships::name))
                .into_boxed();
            if !item.all_clients {
                q = q.filter(memberships::id.eq_any(item.memberships.iter().map(|m| Key(m.0))));
            }
            let audience: Vec<(Key, String)> = q.load(c).map_err(db_err)?;
            let people: Vec<(Key, Option<Key>, String)> = users::table
                .filter(users::active.eq(true))
                .filter(users::membership_id.eq_any(audience.iter().map(|m| m.0)))
                .filter(users::role.eq_any([Role::Member.as_str(), Role::Coordinator.as_str()]))
                .order(users::name.asc())
                .select((users::id, users::membership_id, users::name))
                .load(c)
                .map_err(db_err)?;
            for (id, name) in audience {
                let missing: Vec<String> = people
                    .iter()
                    .filter(|p| p.1 == Some(id) && !fetched.contains(&p.0))
                    .map(|p| p.2.clone())
                    .collect();
                if !missing.is_empty() {
                    stats.missing_current.push((id.0, name, missing));
                }
            }
            Ok(stats)
        })
        .await
    }

    /// When the viewer last marked the downloads as seen.
    pub async fn downloads_last_visit(
        &self,
        viewer: &Viewer,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let user = Key(viewer.user_id);
        self.run(move |c| {
            let seen: Option<Moment> = download_visits::table
                .find(user)
                .select(download_visits::seen_at)
                .first(c)
                .optional()
                .map_err(db_err)?;
            Ok(seen.map(Into::into))
        })
        .await
    }

    /// When the viewer last opened the downloads page, and marks now as the new last visit.
    pub async fn touch_downloads_visit(
        &self,
        viewer: &Viewer,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let user = Key(viewer.user_id);
        self.run(move |c| {
            let previous: Option<Moment> = download_visits::table
                .find(user)
                .select(download_visits::seen_at)
                .first(c)
                .optional()
                .map_err(db_err)?;
            let seen = Moment(now());
            per_backend!(c, |c| diesel::insert_into(download_visits::table)
                .values((
                    download_visits::user_id.eq(user),
                    download_visits::seen_at.eq(seen)
                ))
                .on_conflict(download_visits::user_id)
                .do_update()
                .set(download_visits::seen_at.eq(seen))
                .execute(c))
            .map_err(db_err)?;
            Ok(previous.map(Into::into))
        })
        .await
    }
}
