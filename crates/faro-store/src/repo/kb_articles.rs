//! Knowledge-base articles. Members read published articles of their membership and global
//! ones; staff read and write everything. Every save keeps a revision and appends to the change
//! log that search indexes follow.

use chrono::{DateTime, Utc};
use faro_core::kb::{
    Article, ArticleDraft, ArticleKind, ArticleState, Category, Revision, Slug, parse_title,
};
use faro_core::viewer::Scope;
use faro_core::{StoreError, StoreResult, Viewer};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::kb_categories::category;
use super::legacy::log_change;
use super::now;
use crate::entity::{kb_article, kb_category, kb_revision, membership, search_change};
use crate::{Store, db_err};
use faro_core::downloads::{DownloadItem, Resource, Version};

/// Who saved a revision.
pub struct Author {
    pub id: Option<Uuid>,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleOrder {
    Newest,
    MostRead,
    Title,
}

#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub kind: Option<ArticleKind>,
    /// This category and its sub-categories.
    pub category_ids: Vec<Uuid>,
    /// Staff only: restrict to one state.
    pub state: Option<ArticleState>,
}

/// A batch of the change log for a search index: articles, download items and resources to
/// (re)index, ids to remove.
#[derive(Default)]
pub struct SearchFeed {
    pub upserts: Vec<Article>,
    pub downloads: Vec<(DownloadItem, Vec<Version>)>,
    pub resources: Vec<Resource>,
    /// Incidents with their public comments.
    pub incidents: Vec<(faro_core::incidents::Incident, String)>,
    pub deletes: Vec<Uuid>,
    pub cursor: u64,
}

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Other(format!("stored {what} does not parse: {v:?}"))
}

fn split_tags(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Which articles `viewer` may read, as a query condition; `None` means nothing at all.
pub(crate) fn visible(viewer: &Viewer) -> Option<Condition> {
    match viewer.scope() {
        Scope::AllMemberships => Some(Condition::all()),
        Scope::Membership(m) => Some(
            Condition::all()
                .add(kb_article::Column::State.eq(ArticleState::Published.as_str()))
                .add(
                    Condition::any()
                        .add(kb_article::Column::MembershipId.eq(m))
                        .add(kb_article::Column::MembershipId.is_null()),
                ),
        ),
        Scope::Nothing => None,
    }
}

/// Turns article rows into articles with two queries in all (categories, membership names),
/// however many rows there are.
async fn to_articles(
    conn: &impl ConnectionTrait,
    rows: Vec<kb_article::Model>,
) -> StoreResult<Vec<Article>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let categories: Vec<Category> = kb_category::Entity::find()
        .all(conn)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(category)
        .collect();
    let names =
        super::legacy::membership_names(conn, rows.iter().filter_map(|r| r.membership_id)).await?;
    rows.into_iter()
        .map(|m| article_from(m, &categories, &names))
        .collect()
}

async fn to_article(conn: &impl ConnectionTrait, m: kb_article::Model) -> StoreResult<Article> {
    to_articles(conn, vec![m])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

fn article_from(
    m: kb_article::Model,
    categories: &[Category],
    names: &[(Uuid, String)],
) -> StoreResult<Article> {
    let category = m
        .category_id
        .and_then(|id| categories.iter().find(|c| c.id == id).cloned());
    let membership_name = m
        .membership_id
        .and_then(|id| names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()));
    Ok(Article {
        kind: ArticleKind::parse(&m.kind).map_err(|_| corrupt("article kind", &m.kind))?,
        state: ArticleState::parse(&m.state).map_err(|_| corrupt("article state", &m.state))?,
        tags: split_tags(&m.tags),
        views: m.views.max(0) as u64,
        id: m.id,
        slug: m.slug,
        title: m.title,
        summary: m.summary,
        body: m.body,
        category,
        membership_id: m.membership_id,
        membership_name,
        revision: m.revision,
        created_at: m.created_at,
        updated_at: m.updated_at,
        published_at: m.published_at,
        last_change_note: m.last_change_note,
    })
}

fn to_revision(r: kb_revision::Model) -> StoreResult<Revision> {
    Ok(Revision {
        kind: ArticleKind::parse(&r.kind).map_err(|_| corrupt("article kind", &r.kind))?,
        state: ArticleState::parse(&r.state).map_err(|_| corrupt("article state", &r.state))?,
        tags: split_tags(&r.tags),
        number: r.number,
        title: r.title,
        summary: r.summary,
        body: r.body,
        author_name: r.author_name,
        note: r.note,
        created_at: r.created_at,
    })
}

async fn check_refs(conn: &impl ConnectionTrait, d: &ArticleDraft) -> StoreResult<()> {
    if let Some(c) = d.category_id
        && kb_category::Entity::find_by_id(c)
            .one(conn)
            .await
            .map_err(db_err)?
            .is_none()
    {
        return Err(faro_core::Invalid::Category.into());
    }
    if let Some(m) = d.membership_id
        && membership::Entity::find_by_id(m)
            .one(conn)
            .await
            .map_err(db_err)?
            .is_none()
    {
        return Err(faro_core::Invalid::Category.into());
    }
    Ok(())
}

async fn insert_revision(
    conn: &impl ConnectionTrait,
    article_id: Uuid,
    number: i32,
    d: &ArticleDraft,
    author: &Author,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    kb_revision::ActiveModel {
        id: Set(Uuid::now_v7()),
        article_id: Set(article_id),
        number: Set(number),
        title: Set(d.title.clone()),
        summary: Set(d.summary.clone()),
        body: Set(d.body.clone()),
        kind: Set(d.kind.as_str().to_owned()),
        state: Set(d.state.as_str().to_owned()),
        category_id: Set(d.category_id),
        membership_id: Set(d.membership_id),
        tags: Set(d.tags.join(",")),
        author_id: Set(author.id.filter(|id| !id.is_nil())),
        author_name: Set(super::clean(&author.name, 120)),
        note: Set(super::clean(&d.note, 300)),
        created_at: Set(at),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    Ok(())
}

async fn load_revision(
    conn: &impl ConnectionTrait,
    article_id: Uuid,
    number: i32,
) -> StoreResult<kb_revision::Model> {
    kb_revision::Entity::find()
        .filter(kb_revision::Column::ArticleId.eq(article_id))
        .filter(kb_revision::Column::Number.eq(number))
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

impl Store {
    /// Creates an article (revision 1). Its slug comes from the title and never changes.
    pub async fn create_article(
        &self,
        viewer: &Viewer,
        author: &Author,
        d: ArticleDraft,
    ) -> StoreResult<Article> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let base = Slug::from_title(&parse_title(&d.title)?)?;
        let at = now();
        let tx = self.write_tx().await?;
        check_refs(&tx, &d).await?;
        let mut slug = base.clone();
        let mut n = 2;
        while kb_article::Entity::find()
            .filter(kb_article::Column::Slug.eq(slug.as_str()))
            .count(&tx)
            .await
            .map_err(db_err)?
            > 0
        {
            slug = base.numbered(n);
            n += 1;
        }
        let id = Uuid::now_v7();
        let row = kb_article::ActiveModel {
            id: Set(id),
            slug: Set(slug.as_str().to_owned()),
            title: Set(d.title.clone()),
            summary: Set(d.summary.clone()),
            body: Set(d.body.clone()),
            kind: Set(d.kind.as_str().to_owned()),
            state: Set(d.state.as_str().to_owned()),
            category_id: Set(d.category_id),
            membership_id: Set(d.membership_id),
            tags: Set(d.tags.join(",")),
            views: Set(0),
            revision: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
            published_at: Set((d.state == ArticleState::Published).then_some(at)),
            last_change_note: Set(super::clean(&d.note, 300)),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        insert_revision(&tx, id, 1, &d, author, at).await?;
        log_change(&tx, id, at).await?;
        let article = to_article(&tx, row).await?;
        self.commit(tx).await?;
        Ok(article)
    }

    /// Saves a new revision of an article.
    pub async fn update_article(
        &self,
        viewer: &Viewer,
        author: &Author,
        id: Uuid,
        d: ArticleDraft,
    ) -> StoreResult<Article> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        parse_title(&d.title)?;
        let at = now();
        let tx = self.write_tx().await?;
        check_refs(&tx, &d).await?;
        let current = kb_article::Entity::find_by_id(id)
            .one(&tx)
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let number = current.revision + 1;
        let first_publication =
            current.published_at.is_none() && d.state == ArticleState::Published;
        let mut row: kb_article::ActiveModel = current.into();
        row.title = Set(d.title.clone());
        row.summary = Set(d.summary.clone());
        row.body = Set(d.body.clone());
        row.kind = Set(d.kind.as_str().to_owned());
        row.state = Set(d.state.as_str().to_owned());
        row.category_id = Set(d.category_id);
        row.membership_id = Set(d.membership_id);
        row.tags = Set(d.tags.join(","));
        row.revision = Set(number);
        row.updated_at = Set(at);
        row.last_change_note = Set(super::clean(&d.note, 300));
        if first_publication {
            row.published_at = Set(Some(at));
        }
        let row = row.update(&tx).await.map_err(db_err)?;
        insert_revision(&tx, id, number, &d, author, at).await?;
        log_change(&tx, id, at).await?;
        let article = to_article(&tx, row).await?;
        self.commit(tx).await?;
        Ok(article)
    }

    /// An article by its URL name, if `viewer` may read it; otherwise `NotFound`.
    pub(crate) async fn article_by_slug_from_db(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> StoreResult<Article> {
        let scope = visible(viewer).ok_or(StoreError::NotFound)?;
        let row = kb_article::Entity::find()
            .filter(kb_article::Column::Slug.eq(slug))
            .filter(scope)
            .one(self.conn())
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        to_article(self.conn(), row).await
    }

    /// Articles by id that `viewer` may read, in the order given (for search results).
    pub async fn articles_by_ids(
        &self,
        viewer: &Viewer,
        ids: &[Uuid],
    ) -> StoreResult<Vec<Article>> {
        let Some(scope) = visible(viewer) else {
            return Ok(Vec::new());
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = kb_article::Entity::find()
            .filter(kb_article::Column::Id.is_in(ids.to_vec()))
            .filter(scope)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let found = to_articles(self.conn(), rows).await?;
        Ok(ids
            .iter()
            .filter_map(|id| found.iter().find(|a| a.id == *id).cloned())
            .collect())
    }

    /// (slug, title) of the published articles among `ids` that `viewer` may read, in the order
    /// given: links to related articles, without loading whole articles.
    pub(crate) async fn article_links_from_db(
        &self,
        viewer: &Viewer,
        ids: &[Uuid],
    ) -> StoreResult<Vec<(String, String)>> {
        let Some(scope) = visible(viewer) else {
            return Ok(Vec::new());
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(Uuid, String, String)> = kb_article::Entity::find()
            .select_only()
            .column(kb_article::Column::Id)
            .column(kb_article::Column::Slug)
            .column(kb_article::Column::Title)
            .filter(kb_article::Column::Id.is_in(ids.to_vec()))
            .filter(kb_article::Column::State.eq(ArticleState::Published.as_str()))
            .filter(scope)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)?;
        Ok(ids
            .iter()
            .filter_map(|id| {
                rows.iter()
                    .find(|r| r.0 == *id)
                    .map(|r| (r.1.clone(), r.2.clone()))
            })
            .collect())
    }

    /// Counts a read. Reads are buffered in memory and written in batches by
    /// `flush_article_views`, so reading an article never waits for a database write.
    pub fn record_article_view(&self, id: Uuid) {
        if let Ok(mut pending) = self.views.lock() {
            *pending.entry(id).or_insert(0) += 1;
        }
    }

    /// Writes the buffered reads in one transaction; returns how many articles were updated.
    pub async fn flush_article_views(&self) -> StoreResult<usize> {
        use sea_orm::sea_query::ExprTrait as _;
        let batch: Vec<(Uuid, u64)> = match self.views.lock() {
            Ok(mut pending) => pending.drain().collect(),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        let tx = self.write_tx().await?;
        for (id, n) in &batch {
            let n = i64::try_from(*n).unwrap_or(i64::MAX);
            kb_article::Entity::update_many()
                .col_expr(
                    kb_article::Column::Views,
                    Expr::col(kb_article::Column::Views).add(n),
                )
                .filter(kb_article::Column::Id.eq(*id))
                .exec(&tx)
                .await
                .map_err(db_err)?;
        }
        self.commit(tx).await?;
        Ok(batch.len())
    }

    /// Articles `viewer` may read, filtered and ordered, with how many there are in all.
    pub async fn list_articles(
        &self,
        viewer: &Viewer,
        filter: &ArticleFilter,
        order: ArticleOrder,
        limit: u64,
        offset: u64,
    ) -> StoreResult<(Vec<Article>, u64)> {
        let Some(scope) = visible(viewer) else {
            return Ok((Vec::new(), 0));
        };
        let mut q = kb_article::Entity::find().filter(scope);
        if let Some(k) = filter.kind {
            q = q.filter(kb_article::Column::Kind.eq(k.as_str()));
        }
        if !filter.category_ids.is_empty() {
            q = q.filter(kb_article::Column::CategoryId.is_in(filter.category_ids.clone()));
        }
        if let Some(s) = filter.state.filter(|_| viewer.is_staff()) {
            q = q.filter(kb_article::Column::State.eq(s.as_str()));
        }
        let total = q.clone().count(self.conn()).await.map_err(db_err)?;
        q = match order {
            ArticleOrder::Newest => q.order_by_desc(kb_article::Column::UpdatedAt),
            ArticleOrder::MostRead => q
                .order_by_desc(kb_article::Column::Views)
                .order_by_desc(kb_article::Column::UpdatedAt),
            ArticleOrder::Title => q.order_by_asc(kb_article::Column::Title),
        };
        let rows = q
            .limit(limit)
            .offset(offset)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        Ok((to_articles(self.conn(), rows).await?, total))
    }

    /// Every revision of an article, newest first. Staff only.
    pub async fn revisions(&self, viewer: &Viewer, article_id: Uuid) -> StoreResult<Vec<Revision>> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        kb_revision::Entity::find()
            .filter(kb_revision::Column::ArticleId.eq(article_id))
            .order_by_desc(kb_revision::Column::Number)
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(to_revision)
            .collect()
    }

    /// One revision. Staff only.
    pub async fn revision(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
        number: i32,
    ) -> StoreResult<Revision> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        to_revision(load_revision(self.conn(), article_id, number).await?)
    }

    /// Makes an old revision current again, as a new revision (history is never rewritten).
    pub async fn restore_revision(
        &self,
        viewer: &Viewer,
        author: &Author,
        article_id: Uuid,
        number: i32,
        note: String,
    ) -> StoreResult<Article> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let old = load_revision(self.conn(), article_id, number).await?;
        let draft = ArticleDraft {
            kind: ArticleKind::parse(&old.kind).map_err(|_| corrupt("article kind", &old.kind))?,
            state: ArticleState::parse(&old.state)
                .map_err(|_| corrupt("article state", &old.state))?,
            tags: split_tags(&old.tags),
            title: old.title,
            summary: old.summary,
            body: old.body,
            category_id: old.category_id,
            membership_id: old.membership_id,
            note,
        };
        self.update_article(viewer, author, article_id, draft).await
    }

    /// The next batch of the search change log after `cursor`. Articles come back whatever
    /// their state; the index applies scope and publication at query time.
    pub async fn search_feed(&self, cursor: u64, limit: u64) -> StoreResult<SearchFeed> {
        let changes = search_change::Entity::find()
            .filter(search_change::Column::Seq.gt(i64::try_from(cursor).unwrap_or(i64::MAX)))
            .order_by_asc(search_change::Column::Seq)
            .limit(limit)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let Some(last) = changes.last() else {
            return Ok(SearchFeed {
                cursor,
                ..Default::default()
            });
        };
        let new_cursor = last.seq.max(0) as u64;
        let mut ids: Vec<Uuid> = changes.iter().map(|c| c.article_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let rows = kb_article::Entity::find()
            .filter(kb_article::Column::Id.is_in(ids.clone()))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let upserts = to_articles(self.conn(), rows).await?;
        // The log also carries download items and resources (ids never collide: UUIDv7).
        ids.retain(|id| !upserts.iter().any(|a| a.id == *id));
        let downloads = self.download_items_for_index(ids.clone()).await?;
        ids.retain(|id| !downloads.iter().any(|(d, _)| d.id == *id));
        let resources = self.resources_by_ids(&ids).await?;
        ids.retain(|id| !resources.iter().any(|r| r.id == *id));
        let incidents = self.incidents_for_index(ids.clone()).await?;
        ids.retain(|id| !incidents.iter().any(|(i, _)| i.id == *id));
        Ok(SearchFeed {
            upserts,
            downloads,
            resources,
            incidents,
            deletes: ids,
            cursor: new_cursor,
        })
    }

    /// The newest change sequence number (0 when there is none).
    pub async fn search_head(&self) -> StoreResult<u64> {
        let last = search_change::Entity::find()
            .order_by_desc(search_change::Column::Seq)
            .one(self.conn())
            .await
            .map_err(db_err)?;
        Ok(last.map(|c| c.seq.max(0) as u64).unwrap_or(0))
    }

    /// Every article, in batches, for `faro reindex`.
    pub async fn all_articles(&self, after: Option<Uuid>, limit: u64) -> StoreResult<Vec<Article>> {
        let mut q = kb_article::Entity::find()
            .order_by_asc(kb_article::Column::Id)
            .limit(limit);
        if let Some(a) = after {
            q = q.filter(kb_article::Column::Id.gt(a));
        }
        let rows = q.all(self.conn()).await.map_err(db_err)?;
        to_articles(self.conn(), rows).await
    }
}
