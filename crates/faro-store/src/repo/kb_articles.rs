//! Knowledge-base articles. Members read published articles of their membership and global
//! ones; staff read and write everything. Every save keeps a revision and appends to the change
//! log that search indexes follow.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use faro_core::kb::{
    Article, ArticleDraft, ArticleKind, ArticleState, Category, Revision, Slug, parse_title,
};
use faro_core::viewer::Scope;
use faro_core::{StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::kb_categories::{all_categories, category_exists};
use super::now;
use super::search_log::log_change;
use crate::Store;
use crate::db::rows::{KbArticleRow, KbRevisionRow, SearchChangeRow};
use crate::db::schema::{kb_articles, kb_revisions, memberships, search_changes};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, MultiBackend, db_err};
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
/// Where a page of articles starts: just after this article, in the page's order (keyset
/// paging; each order ends its key with the id, so no two articles tie).
#[derive(Debug, Clone, PartialEq)]
pub enum ArticleAfter {
    Newest {
        updated_at: DateTime<Utc>,
        id: Uuid,
    },
    MostRead {
        views: u64,
        updated_at: DateTime<Utc>,
        id: Uuid,
    },
    Title {
        title: String,
        id: Uuid,
    },
}

impl ArticleAfter {
    /// The order this key belongs to.
    pub fn order(&self) -> ArticleOrder {
        match self {
            Self::Newest { .. } => ArticleOrder::Newest,
            Self::MostRead { .. } => ArticleOrder::MostRead,
            Self::Title { .. } => ArticleOrder::Title,
        }
    }

    /// The key of `a` in `order`, to continue after it.
    pub fn of(order: ArticleOrder, a: &Article) -> Self {
        match order {
            ArticleOrder::Newest => Self::Newest {
                updated_at: a.updated_at,
                id: a.id,
            },
            ArticleOrder::MostRead => Self::MostRead {
                views: a.views,
                updated_at: a.updated_at,
                id: a.id,
            },
            ArticleOrder::Title => Self::Title {
                title: a.title.clone(),
                id: a.id,
            },
        }
    }
}

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

/// A query over articles, filters added as it is built.
pub(crate) type ArticleQuery = kb_articles::BoxedQuery<'static, MultiBackend>;

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

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `q` restricted to the articles a viewer with `scope` may read; `None` means nothing at all.
pub(crate) fn scoped(q: ArticleQuery, scope: Scope) -> Option<ArticleQuery> {
    match scope {
        Scope::AllMemberships => Some(q),
        Scope::Membership(m) => Some(
            q.filter(kb_articles::state.eq(ArticleState::Published.as_str()))
                .filter(
                    kb_articles::membership_id
                        .eq(Key(m))
                        .or(kb_articles::membership_id.is_null()),
                ),
        ),
        Scope::Nothing => None,
    }
}

/// The articles `scope` may read, narrowed by kind, categories and (staff) state.
fn filtered(
    scope: Scope,
    kind: Option<ArticleKind>,
    category_ids: &[Uuid],
    state: Option<ArticleState>,
) -> Option<ArticleQuery> {
    let mut q = scoped(kb_articles::table.into_boxed(), scope)?;
    if let Some(k) = kind {
        q = q.filter(kb_articles::kind.eq(k.as_str()));
    }
    if !category_ids.is_empty() {
        q = q.filter(kb_articles::category_id.eq_any(category_ids.iter().copied().map(Key)));
    }
    if let Some(s) = state {
        q = q.filter(kb_articles::state.eq(s.as_str()));
    }
    Some(q)
}

/// Orders `q` and starts it after `after` (of the same order: `article_page` checks).
fn keyset(q: ArticleQuery, order: ArticleOrder, after: Option<ArticleAfter>) -> ArticleQuery {
    use kb_articles::{id, title, updated_at, views};
    let q = match order {
        ArticleOrder::Newest => q.order((updated_at.desc(), id.desc())),
        ArticleOrder::MostRead => q.order((views.desc(), updated_at.desc(), id.desc())),
        ArticleOrder::Title => q.order((title.asc(), id.asc())),
    };
    match after {
        None => q,
        Some(ArticleAfter::Newest {
            updated_at: t,
            id: i,
        }) => q.filter(
            updated_at
                .lt(Moment(t))
                .or(updated_at.eq(Moment(t)).and(id.lt(Key(i)))),
        ),
        Some(ArticleAfter::MostRead {
            views: v,
            updated_at: t,
            id: i,
        }) => {
            let v = as_i64(v);
            q.filter(
                views.lt(v).or(views.eq(v).and(
                    updated_at
                        .lt(Moment(t))
                        .or(updated_at.eq(Moment(t)).and(id.lt(Key(i)))),
                )),
            )
        }
        Some(ArticleAfter::Title { title: t, id: i }) => {
            q.filter(title.gt(t.clone()).or(title.eq(t).and(id.gt(Key(i)))))
        }
    }
}

/// Turns article rows into articles with two queries in all (categories, membership names),
/// however many rows there are.
fn to_articles(conn: &mut DbConn, rows: Vec<KbArticleRow>) -> StoreResult<Vec<Article>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let categories = all_categories(conn)?;
    let names = super::membership_names(
        conn,
        rows.iter().filter_map(|r| r.membership_id.map(Uuid::from)),
    )?;
    rows.into_iter()
        .map(|m| article_from(m, &categories, &names))
        .collect()
}

fn to_article(conn: &mut DbConn, m: KbArticleRow) -> StoreResult<Article> {
    to_articles(conn, vec![m])?
        .pop()
        .ok_or(StoreError::NotFound)
}

fn article_from(
    m: KbArticleRow,
    categories: &[Category],
    names: &[(Uuid, String)],
) -> StoreResult<Article> {
    let category = m
        .category_id
        .and_then(|id| categories.iter().find(|c| c.id == id.0).cloned());
    let membership_name = m.membership_id.and_then(|id| {
        names
            .iter()
            .find(|(i, _)| *i == id.0)
            .map(|(_, n)| n.clone())
    });
    Ok(Article {
        kind: ArticleKind::parse(&m.kind).map_err(|_| corrupt("article kind", &m.kind))?,
        state: ArticleState::parse(&m.state).map_err(|_| corrupt("article state", &m.state))?,
        tags: split_tags(&m.tags),
        views: m.views.max(0) as u64,
        id: m.id.0,
        slug: m.slug,
        title: m.title,
        summary: m.summary,
        body: m.body,
        category,
        membership_id: m.membership_id.map(Into::into),
        membership_name,
        revision: m.revision,
        created_at: m.created_at.0,
        updated_at: m.updated_at.0,
        published_at: m.published_at.map(Into::into),
        last_change_note: m.last_change_note,
    })
}

fn to_revision(r: KbRevisionRow) -> StoreResult<Revision> {
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
        created_at: r.created_at.0,
    })
}

fn check_refs(conn: &mut DbConn, d: &ArticleDraft) -> StoreResult<()> {
    if let Some(c) = d.category_id
        && !category_exists(conn, c)?
    {
        return Err(faro_core::Invalid::Category.into());
    }
    if let Some(m) = d.membership_id {
        let n: i64 = memberships::table
            .filter(memberships::id.eq(Key(m)))
            .count()
            .get_result(conn)
            .map_err(db_err)?;
        if n == 0 {
            return Err(faro_core::Invalid::Category.into());
        }
    }
    Ok(())
}

fn insert_revision(
    conn: &mut DbConn,
    article_id: Uuid,
    number: i32,
    d: &ArticleDraft,
    author: &Author,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::insert_into(kb_revisions::table)
        .values(KbRevisionRow {
            id: Key(Uuid::now_v7()),
            article_id: Key(article_id),
            number,
            title: d.title.clone(),
            summary: d.summary.clone(),
            body: d.body.clone(),
            kind: d.kind.as_str().to_owned(),
            state: d.state.as_str().to_owned(),
            category_id: d.category_id.map(Key),
            membership_id: d.membership_id.map(Key),
            tags: d.tags.join(","),
            author_id: author.id.filter(|id| !id.is_nil()).map(Key),
            author_name: super::clean(&author.name, 120),
            note: super::clean(&d.note, 300),
            created_at: Moment(at),
        })
        .execute(conn)
        .map_err(db_err)?;
    Ok(())
}

fn load_revision(conn: &mut DbConn, article_id: Uuid, number: i32) -> StoreResult<KbRevisionRow> {
    kb_revisions::table
        .filter(kb_revisions::article_id.eq(Key(article_id)))
        .filter(kb_revisions::number.eq(number))
        .first(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

/// A copy of `author` the blocking pool can own.
fn own(author: &Author) -> Author {
    Author {
        id: author.id,
        name: author.name.clone(),
    }
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
        let author = own(author);
        self.write(move |c| {
            check_refs(c, &d)?;
            let slug = super::free_slug(c, &base, |c, s| {
                kb_articles::table
                    .filter(kb_articles::slug.eq(s))
                    .count()
                    .get_result(c)
            })?;
            let id = Uuid::now_v7();
            let row = KbArticleRow {
                id: Key(id),
                slug: slug.as_str().to_owned(),
                title: d.title.clone(),
                summary: d.summary.clone(),
                body: d.body.clone(),
                kind: d.kind.as_str().to_owned(),
                state: d.state.as_str().to_owned(),
                category_id: d.category_id.map(Key),
                membership_id: d.membership_id.map(Key),
                tags: d.tags.join(","),
                views: 0,
                revision: 1,
                created_at: Moment(at),
                updated_at: Moment(at),
                published_at: (d.state == ArticleState::Published).then_some(Moment(at)),
                last_change_note: super::clean(&d.note, 300),
            };
            diesel::insert_into(kb_articles::table)
                .values(&row)
                .execute(c)
                .map_err(db_err)?;
            insert_revision(c, id, 1, &d, &author, at)?;
            log_change(c, id, at)?;
            to_article(c, row)
        })
        .await
    }

    /// Saves a new revision of an article.
    pub async fn update_article(
        &self,
        viewer: &Viewer,
        author: &Author,
        id: Uuid,
        d: ArticleDraft,
    ) -> StoreResult<Article> {
        self.update_article_at(viewer, author, id, None, d).await
    }

    /// Saves a new revision of an article if its current revision is still `expected` (when
    /// given), checked in the saving transaction: two editors never overwrite each other
    /// silently; the second gets `StaleRevision` with the revision now current.
    pub async fn update_article_at(
        &self,
        viewer: &Viewer,
        author: &Author,
        id: Uuid,
        expected: Option<i32>,
        d: ArticleDraft,
    ) -> StoreResult<Article> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        parse_title(&d.title)?;
        let at = now();
        let author = own(author);
        self.write(move |c| {
            check_refs(c, &d)?;
            let current: KbArticleRow = kb_articles::table
                .find(Key(id))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            if expected.is_some_and(|e| e != current.revision) {
                return Err(StoreError::Conflict(faro_core::Conflict::StaleRevision {
                    current: current.revision,
                }));
            }
            let number = current.revision + 1;
            let first_publication =
                current.published_at.is_none() && d.state == ArticleState::Published;
            let changes = (
                kb_articles::title.eq(d.title.clone()),
                kb_articles::summary.eq(d.summary.clone()),
                kb_articles::body.eq(d.body.clone()),
                kb_articles::kind.eq(d.kind.as_str()),
                kb_articles::state.eq(d.state.as_str()),
                kb_articles::category_id.eq(d.category_id.map(Key)),
                kb_articles::membership_id.eq(d.membership_id.map(Key)),
                kb_articles::tags.eq(d.tags.join(",")),
                kb_articles::revision.eq(number),
                kb_articles::updated_at.eq(Moment(at)),
                kb_articles::last_change_note.eq(super::clean(&d.note, 300)),
            );
            let target = diesel::update(kb_articles::table.find(Key(id)));
            // `published_at` is written only on the first publication, never cleared.
            let row: KbArticleRow = if first_publication {
                target
                    .set((changes, kb_articles::published_at.eq(Some(Moment(at)))))
                    .returning(kb_articles::all_columns)
                    .get_result(c)
            } else {
                target
                    .set(changes)
                    .returning(kb_articles::all_columns)
                    .get_result(c)
            }
            .map_err(db_err)?;
            insert_revision(c, id, number, &d, &author, at)?;
            log_change(c, id, at)?;
            to_article(c, row)
        })
        .await
    }

    /// An article by its URL name, if `viewer` may read it; otherwise `NotFound`.
    pub(crate) async fn article_by_slug_from_db(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> StoreResult<Article> {
        let scope = viewer.scope();
        let slug = slug.to_owned();
        self.run(move |c| {
            let row: KbArticleRow = scoped(kb_articles::table.into_boxed(), scope)
                .ok_or(StoreError::NotFound)?
                .filter(kb_articles::slug.eq(slug))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            to_article(c, row)
        })
        .await
    }

    /// Articles by id that `viewer` may read, in the order given (for search results).
    pub async fn articles_by_ids(
        &self,
        viewer: &Viewer,
        ids: &[Uuid],
    ) -> StoreResult<Vec<Article>> {
        let scope = viewer.scope();
        if scope == Scope::Nothing || ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = ids.to_vec();
        self.run(move |c| {
            let Some(q) = scoped(kb_articles::table.into_boxed(), scope) else {
                return Ok(Vec::new());
            };
            let rows: Vec<KbArticleRow> = q
                .filter(kb_articles::id.eq_any(ids.iter().copied().map(Key)))
                .load(c)
                .map_err(db_err)?;
            let found = to_articles(c, rows)?;
            Ok(ids
                .iter()
                .filter_map(|id| found.iter().find(|a| a.id == *id).cloned())
                .collect())
        })
        .await
    }

    /// (slug, title) of the published articles among `ids` that `viewer` may read, in the order
    /// given: links to related articles, without loading whole articles.
    pub(crate) async fn article_links_from_db(
        &self,
        viewer: &Viewer,
        ids: &[Uuid],
    ) -> StoreResult<Vec<(String, String)>> {
        let scope = viewer.scope();
        if scope == Scope::Nothing || ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = ids.to_vec();
        self.run(move |c| {
            let Some(q) = scoped(kb_articles::table.into_boxed(), scope) else {
                return Ok(Vec::new());
            };
            let rows: Vec<(Key, String, String)> = q
                .filter(kb_articles::id.eq_any(ids.iter().copied().map(Key)))
                .filter(kb_articles::state.eq(ArticleState::Published.as_str()))
                .select((kb_articles::id, kb_articles::slug, kb_articles::title))
                .load(c)
                .map_err(db_err)?;
            Ok(ids
                .iter()
                .filter_map(|id| {
                    rows.iter()
                        .find(|r| r.0.0 == *id)
                        .map(|r| (r.1.clone(), r.2.clone()))
                })
                .collect())
        })
        .await
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
        let batch: Vec<(Uuid, u64)> = match self.views.lock() {
            Ok(mut pending) => pending.drain().collect(),
            Err(_) => return Ok(0),
        };
        if batch.is_empty() {
            return Ok(0);
        }
        self.write(move |c| {
            for (id, n) in &batch {
                diesel::update(kb_articles::table.find(Key(*id)))
                    .set(kb_articles::views.eq(kb_articles::views + as_i64(*n)))
                    .execute(c)
                    .map_err(db_err)?;
            }
            Ok(batch.len())
        })
        .await
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
        let scope = viewer.scope();
        if scope == Scope::Nothing {
            return Ok((Vec::new(), 0));
        }
        let kind = filter.kind;
        let category_ids = filter.category_ids.clone();
        let state = filter.state.filter(|_| viewer.is_staff());
        let (limit, offset) = (as_i64(limit), as_i64(offset));
        self.run(move |c| {
            // Built twice: once to count, once to load a page.
            let build = || filtered(scope, kind, &category_ids, state);
            let (Some(counted), Some(q)) = (build(), build()) else {
                return Ok((Vec::new(), 0));
            };
            let total: i64 = counted.count().get_result(c).map_err(db_err)?;
            let q = match order {
                ArticleOrder::Newest => q.order(kb_articles::updated_at.desc()),
                ArticleOrder::MostRead => {
                    q.order((kb_articles::views.desc(), kb_articles::updated_at.desc()))
                }
                ArticleOrder::Title => q.order(kb_articles::title.asc()),
            };
            let rows: Vec<KbArticleRow> = q.limit(limit).offset(offset).load(c).map_err(db_err)?;
            Ok((to_articles(c, rows)?, total.max(0) as u64))
        })
        .await
    }

    /// One page of the articles `viewer` may read, in `order`, after `after` (keyset paging:
    /// the API's cursor pages). `limit` + 1 are read by callers that want to know whether more
    /// follow.
    pub async fn article_page(
        &self,
        viewer: &Viewer,
        filter: &ArticleFilter,
        order: ArticleOrder,
        after: Option<ArticleAfter>,
        limit: u64,
    ) -> StoreResult<Vec<Article>> {
        let scope = viewer.scope();
        let kind = filter.kind;
        let category_ids = filter.category_ids.clone();
        let state = filter.state.filter(|_| viewer.is_staff());
        if after.as_ref().is_some_and(|a| a.order() != order) {
            return Err(StoreError::Other(
                "an article page continues only in its own order".into(),
            ));
        }
        let limit = as_i64(limit);
        self.run(move |c| {
            let Some(q) = filtered(scope, kind, &category_ids, state) else {
                return Ok(Vec::new());
            };
            let rows: Vec<KbArticleRow> = keyset(q, order, after)
                .limit(limit)
                .load(c)
                .map_err(db_err)?;
            to_articles(c, rows)
        })
        .await
    }

    /// Every revision of an article, newest first. Staff only.
    pub async fn revisions(&self, viewer: &Viewer, article_id: Uuid) -> StoreResult<Vec<Revision>> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        self.run(move |c| {
            kb_revisions::table
                .filter(kb_revisions::article_id.eq(Key(article_id)))
                .order(kb_revisions::number.desc())
                .load::<KbRevisionRow>(c)
                .map_err(db_err)?
                .into_iter()
                .map(to_revision)
                .collect()
        })
        .await
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
        self.run(move |c| to_revision(load_revision(c, article_id, number)?))
            .await
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
        self.restore_revision_at(viewer, author, article_id, number, None, note)
            .await
    }

    /// `restore_revision`, if the current revision is still `expected` (when given).
    pub async fn restore_revision_at(
        &self,
        viewer: &Viewer,
        author: &Author,
        article_id: Uuid,
        number: i32,
        expected: Option<i32>,
        note: String,
    ) -> StoreResult<Article> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let old = self
            .run(move |c| load_revision(c, article_id, number))
            .await?;
        let draft = ArticleDraft {
            kind: ArticleKind::parse(&old.kind).map_err(|_| corrupt("article kind", &old.kind))?,
            state: ArticleState::parse(&old.state)
                .map_err(|_| corrupt("article state", &old.state))?,
            tags: split_tags(&old.tags),
            title: old.title,
            summary: old.summary,
            body: old.body,
            category_id: old.category_id.map(Into::into),
            membership_id: old.membership_id.map(Into::into),
            note,
        };
        self.update_article_at(viewer, author, article_id, expected, draft)
            .await
    }

    /// The next batch of the search change log after `cursor`. Articles come back whatever
    /// their state; the index applies scope and publication at query time.
    pub async fn search_feed(&self, cursor: u64, limit: u64) -> StoreResult<SearchFeed> {
        let (after, limit) = (as_i64(cursor), as_i64(limit));
        let read = self
            .run(move |c| {
                let changes: Vec<SearchChangeRow> = search_changes::table
                    .filter(search_changes::seq.gt(after))
                    .order(search_changes::seq.asc())
                    .limit(limit)
                    .load(c)
                    .map_err(db_err)?;
                let Some(last) = changes.last() else {
                    return Ok(None);
                };
                let new_cursor = last.seq.max(0) as u64;
                let mut ids: Vec<Uuid> = changes.iter().map(|c| c.article_id.0).collect();
                ids.sort_unstable();
                ids.dedup();
                let rows: Vec<KbArticleRow> = kb_articles::table
                    .filter(kb_articles::id.eq_any(ids.iter().copied().map(Key)))
                    .load(c)
                    .map_err(db_err)?;
                let upserts = to_articles(c, rows)?;
                Ok(Some((new_cursor, ids, upserts)))
            })
            .await?;
        let Some((new_cursor, mut ids, upserts)) = read else {
            return Ok(SearchFeed {
                cursor,
                ..Default::default()
            });
        };
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
        self.run(|c| {
            let last: Option<i64> = search_changes::table
                .select(search_changes::seq)
                .order(search_changes::seq.desc())
                .first(c)
                .optional()
                .map_err(db_err)?;
            Ok(last.map(|s| s.max(0) as u64).unwrap_or(0))
        })
        .await
    }

    /// Every article, in batches, for `faro reindex`.
    pub async fn all_articles(&self, after: Option<Uuid>, limit: u64) -> StoreResult<Vec<Article>> {
        let limit = as_i64(limit);
        self.run(move |c| {
            let mut q = kb_articles::table
                .order(kb_articles::id.asc())
                .limit(limit)
                .into_boxed();
            if let Some(a) = after {
                q = q.filter(kb_articles::id.gt(Key(a)));
            }
            let rows: Vec<KbArticleRow> = q.load(c).map_err(db_err)?;
            to_articles(c, rows)
        })
        .await
    }
}
