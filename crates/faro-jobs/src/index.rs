//! Keeping this node's search index in step with the database: apply the change log after the
//! index's cursor, or rebuild everything (`faro reindex`, or a new index schema).

use faro_core::downloads::{DownloadItem, Resource, Version, VersionState};
use faro_core::kb::{Article, ArticleState, Category};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
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
    #[error("another node kept the push lease of search index {0} for a minute; try again")]
    Busy(String),
}

/// How long a node holds a shared engine's push lease without renewing it. A node that dies
/// while pushing is replaced by another one after this.
const LEASE: TimeDelta = TimeDelta::seconds(30);
/// How long a save waits for the node holding the lease to push its change.
const WAIT_FOR_PUSH: Duration = Duration::from_secs(3);
/// How long `faro reindex` waits for the lease of a running server.
const WAIT_FOR_LEASE: Duration = Duration::from_secs(60);

/// This process's name as the holder of a shared engine's lease.
static HOLDER: LazyLock<String> = LazyLock::new(|| format!("node-{}", uuid::Uuid::new_v4()));
/// One push at a time from this process (the API's saves and the follower share a holder).
static PUSHING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Brings the engine up to the change log's head. An engine with its own cursor (the embedded
/// index) is brought up to date here; a shared one (Meilisearch) is pushed by whichever node
/// holds its lease, and when another node holds it this waits a moment for that node to push
/// what was saved before the call. Returns how many documents this node pushed.
pub async fn sync(store: &Store, engine: &dyn SearchEngine) -> Result<usize, SyncError> {
    let Some(key) = engine.shared_key() else {
        return follow(store, engine, engine.cursor().await?, None).await;
    };
    let target = store.search_head().await?;
    let deadline = Instant::now() + WAIT_FOR_PUSH;
    loop {
        {
            let _one = PUSHING.lock().await;
            if let Some(position) = store.claim_search_push(key, &HOLDER, LEASE).await? {
                let pushed = follow(store, engine, position, Some(key)).await;
                store.release_search_push(key, &HOLDER).await?;
                return pushed;
            }
        }
        let position = store.search_push_position(key).await?.unwrap_or(0);
        if position >= target || Instant::now() >= deadline {
            return Ok(0);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Applies the change log after `position`. With a shared `key`, each batch moves the shared
/// cursor; losing the lease (another node took over after a stall) stops here, and the new
/// holder goes on from the cursor.
async fn follow(
    store: &Store,
    engine: &dyn SearchEngine,
    mut position: u64,
    key: Option<&str>,
) -> Result<usize, SyncError> {
    let mut applied = 0;
    loop {
        let feed = store.search_feed(position, BATCH).await?;
        if feed.cursor == position {
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
        engine.apply(&docs, &feed.deletes, feed.cursor).await?;
        position = feed.cursor;
        if let Some(key) = key
            && !store
                .advance_search_push(key, &HOLDER, position, LEASE)
                .await?
        {
            return Ok(applied);
        }
    }
}

/// Throws the engine's documents away and indexes every article, download item, resource and
/// incident again, ending at the current change head. A shared engine is rebuilt under its
/// lease, waiting for a running node to give it up between pushes.
pub async fn rebuild(store: &Store, engine: &dyn SearchEngine) -> Result<usize, SyncError> {
    let Some(key) = engine.shared_key() else {
        let head = store.search_head().await?;
        let total = index_everything(store, engine, head).await?;
        // Changes made while rebuilding are picked up by the next sync.
        follow(store, engine, head, None).await?;
        return Ok(total);
    };
    let deadline = Instant::now() + WAIT_FOR_LEASE;
    let _one = PUSHING.lock().await;
    while store
        .claim_search_push(key, &HOLDER, LEASE)
        .await?
        .is_none()
    {
        if Instant::now() >= deadline {
            return Err(SyncError::Busy(key.to_owned()));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let rebuilt = async {
        let head = store.search_head().await?;
        let total = index_everything(store, engine, head).await?;
        store.advance_search_push(key, &HOLDER, head, LEASE).await?;
        follow(store, engine, head, Some(key)).await?;
        Ok(total)
    }
    .await;
    store.release_search_push(key, &HOLDER).await?;
    rebuilt
}

/// Whether a shared engine has never been filled from this database (a new index, or one
/// this database has no cursor for): then it must be rebuilt rather than followed.
pub async fn needs_rebuild(store: &Store, engine: &dyn SearchEngine) -> Result<bool, SyncError> {
    if engine.needs_rebuild() {
        return Ok(true);
    }
    Ok(match engine.shared_key() {
        Some(key) => store.search_push_position(key).await?.is_none(),
        None => false,
    })
}

async fn index_everything(
    store: &Store,
    engine: &dyn SearchEngine,
    head: u64,
) -> Result<usize, SyncError> {
    let categories = store.categories().await?;
    engine.clear().await?;
    let mut after = None;
    let mut total = 0;
    loop {
        let batch = store.all_articles(after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        let docs: Vec<Document> = batch.iter().map(|a| document(a, &categories)).collect();
        total += docs.len();
        engine.apply(&docs, &[], head).await?;
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
    engine.apply(&others, &[], head).await?;
    Ok(total)
}
