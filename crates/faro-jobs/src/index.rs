//! Keeping this node's search index in step with the database: apply the change log after the
//! index's cursor, or rebuild everything (`faro reindex`, or a new index schema).

use faro_core::kb::{Article, ArticleState, Category};
use faro_search::{Document, SearchIndex};
use faro_store::{Store, ancestry};

const BATCH: u64 = 500;

/// What the index stores for an article: its text without markup, its category path (so a
/// parent category finds its sub-categories' articles) and its scope.
pub fn document(article: &Article, categories: &[Category]) -> Document {
    let category_path = article
        .category
        .as_ref()
        .map(|c| {
            ancestry(categories, c.id)
                .into_iter()
                .map(|a| a.slug.clone())
                .collect()
        })
        .unwrap_or_default();
    Document {
        id: article.id,
        slug: article.slug.clone(),
        title: article.title.clone(),
        summary: article.summary.clone(),
        body: faro_markdown::to_plain_text(&article.body),
        tags: article.tags.clone(),
        kind: article.kind.as_str().to_owned(),
        categories: category_path,
        membership: article.membership_id,
        published: article.state == ArticleState::Published,
        updated_at: article.updated_at,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] faro_core::StoreError),
    #[error(transparent)]
    Index(#[from] faro_search::SearchError),
}

/// Applies every change after the index's cursor. Returns how many articles were updated.
pub async fn sync(store: &Store, index: &SearchIndex) -> Result<usize, SyncError> {
    let mut applied = 0;
    loop {
        let cursor = index.cursor()?;
        let feed = store.search_feed(cursor, BATCH).await?;
        if feed.cursor == cursor {
            return Ok(applied);
        }
        let categories = store.categories().await?;
        let docs: Vec<Document> = feed
            .upserts
            .iter()
            .map(|a| document(a, &categories))
            .collect();
        applied += docs.len();
        let index = index.clone();
        let deletes = feed.deletes.clone();
        let new_cursor = feed.cursor;
        tokio::task::spawn_blocking(move || index.upsert_with_cursor(&docs, &deletes, new_cursor))
            .await
            .map_err(|e| faro_core::StoreError::Other(e.to_string()))??;
    }
}

/// Throws the index away and indexes every article again, ending at the current change head.
pub async fn rebuild(store: &Store, index: &SearchIndex) -> Result<usize, SyncError> {
    let head = store.search_head().await?;
    let categories = store.categories().await?;
    index.clear()?;
    let mut after = None;
    let mut total = 0;
    loop {
        let batch = store.all_articles(after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        let docs: Vec<Document> = batch.iter().map(|a| document(a, &categories)).collect();
        total += docs.len();
        let index = index.clone();
        tokio::task::spawn_blocking(move || index.upsert_with_cursor(&docs, &[], head))
            .await
            .map_err(|e| faro_core::StoreError::Other(e.to_string()))??;
    }
    index.upsert_with_cursor(&[], &[], head)?;
    // Changes made while rebuilding are picked up by the next sync.
    sync(store, index).await?;
    Ok(total)
}
