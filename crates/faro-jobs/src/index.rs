//! Keeping this node's search index in step with the database: apply the change log after the
//! index's cursor, or rebuild everything (`faro reindex`, or a new index schema).

use faro_core::downloads::{DownloadItem, Resource, Version, VersionState};
use faro_core::kb::{Article, ArticleState, Category};
use faro_search::{Document, SearchEngine};
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
        also_memberships: Vec::new(),
        published: article.state == ArticleState::Published,
        updated_at: article.updated_at,
    }
}

/// What the index stores for a download item: its description and current version's notes.
/// Clients find it only once a version is current, and only in the memberships it is for.
pub fn download_document(item: &DownloadItem, versions: &[Version]) -> Document {
    let current = versions.iter().find(|v| v.state == VersionState::Current);
    let mut body = faro_markdown::to_plain_text(&item.description);
    if let Some(v) = current {
        body.push('\n');
        body.push_str(v.label.as_str());
        body.push('\n');
        body.push_str(&faro_markdown::to_plain_text(&v.notes));
    }
    let audience: Vec<uuid::Uuid> = item.memberships.iter().map(|m| m.0).collect();
    let (membership, also_memberships) = match (item.all_clients, audience.split_first()) {
        (true, _) => (None, Vec::new()),
        (false, Some((first, rest))) => (Some(*first), rest.to_vec()),
        // Published to nobody: a membership no client has, and not published either.
        (false, None) => (Some(uuid::Uuid::nil()), Vec::new()),
    };
    Document {
        id: item.id,
        slug: item.slug.clone(),
        title: item.title.clone(),
        summary: item.category.clone(),
        body,
        tags: Vec::new(),
        kind: faro_search::KIND_DOWNLOAD.to_owned(),
        categories: Vec::new(),
        published: current.is_some() && (item.all_clients || !audience.is_empty()),
        membership,
        also_memberships,
        updated_at: item.updated_at,
    }
}

/// What the index stores for a catalogue resource: every client sees the catalogue.
pub fn resource_document(r: &Resource) -> Document {
    Document {
        id: r.id,
        slug: r.slug.clone(),
        title: r.name.clone(),
        summary: r.category.clone(),
        body: format!(
            "{}\n{}",
            faro_markdown::to_plain_text(&r.description),
            r.file_version
        ),
        tags: Vec::new(),
        kind: faro_search::KIND_RESOURCE.to_owned(),
        categories: Vec::new(),
        membership: None,
        also_memberships: Vec::new(),
        published: true,
        updated_at: r.updated_at,
    }
}

/// What the index stores for an incident: its number, title, description and public comments
/// (internal notes are never indexed), under its membership.
pub fn incident_document(i: &faro_core::incidents::Incident, comments: &str) -> Document {
    Document {
        id: i.id,
        slug: i.number.clone(),
        title: format!("{} {}", i.number, i.title),
        summary: i.system.clone(),
        body: format!(
            "{}\n\n{}",
            faro_markdown::to_plain_text(&i.description),
            faro_markdown::to_plain_text(comments)
        ),
        tags: Vec::new(),
        kind: faro_search::KIND_INCIDENT.to_owned(),
        categories: Vec::new(),
        membership: Some(i.membership_id),
        also_memberships: Vec::new(),
        published: true,
        updated_at: i.updated_at,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] faro_core::StoreError),
    #[error(transparent)]
    Index(#[from] faro_search::SearchError),
}

/// Applies every change after the engine's cursor. Returns how many documents were updated.
pub async fn sync(store: &Store, index: &dyn SearchEngine) -> Result<usize, SyncError> {
    let mut applied = 0;
    loop {
        let cursor = index.cursor().await?;
        let feed = store.search_feed(cursor, BATCH).await?;
        if feed.cursor == cursor {
            return Ok(applied);
        }
        let categories = store.categories().await?;
        let docs: Vec<Document> = feed
            .upserts
            .iter()
            .map(|a| document(a, &categories))
            .chain(feed.downloads.iter().map(|(d, v)| download_document(d, v)))
            .chain(feed.resources.iter().map(resource_document))
            .chain(feed.incidents.iter().map(|(i, c)| incident_document(i, c)))
            .collect();
        applied += docs.len();
        index.apply(&docs, &feed.deletes, feed.cursor).await?;
    }
}

/// Throws the index away and indexes every article, download item and resource again, ending at the current change head.
pub async fn rebuild(store: &Store, index: &dyn SearchEngine) -> Result<usize, SyncError> {
    let head = store.search_head().await?;
    let categories = store.categories().await?;
    index.clear().await?;
    let mut after = None;
    let mut total = 0;
    loop {
        let batch = store.all_articles(after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        let docs: Vec<Document> = batch.iter().map(|a| document(a, &categories)).collect();
        total += docs.len();
        index.apply(&docs, &[], head).await?;
    }
    let mut others: Vec<Document> = store
        .all_download_items()
        .await?
        .iter()
        .map(|(d, v)| download_document(d, v))
        .collect();
    others.extend(store.resources().await?.iter().map(resource_document));
    for chunk in store.all_incident_ids().await?.chunks(BATCH as usize) {
        others.extend(
            store
                .incidents_for_index(chunk.to_vec())
                .await?
                .iter()
                .map(|(i, c)| incident_document(i, c)),
        );
    }
    total += others.len();
    index.apply(&others, &[], head).await?;
    // Changes made while rebuilding are picked up by the next sync.
    sync(store, index).await?;
    Ok(total)
}
