//! The one interface the rest of Faro searches through, whatever answers: the embedded
//! tantivy index (the default: nothing to run beside Faro) or a Meilisearch server shared by
//! every node. Both take the same documents and requests and answer the same results, and
//! the same contract suite (`tests/contract.rs`) holds them to it.

use std::future::Future;
use std::pin::Pin;

use crate::{
    Document, Hit, Scope, SearchError, SearchIndex, SearchRequest, SearchResults, Suggestion,
};

/// A future an engine answers with (boxed, so engines can be chosen at start-up).
pub type Answer<'a, T> = Pin<Box<dyn Future<Output = Result<T, SearchError>> + Send + 'a>>;

/// Where the change log stands in an engine, and who moves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// The engine keeps its own cursor, committed with its data (the embedded index: one per
    /// node, each node follows the change log itself).
    Own,
    /// The engine is shared by every node: the cursor lives in the database and the node
    /// that holds the claim pushes each change once.
    Shared,
}

pub trait SearchEngine: Send + Sync {
    /// For logs and `/readyz`: "embedded" or "meilisearch".
    fn name(&self) -> &'static str;

    fn cursor_kind(&self) -> Cursor;

    /// True when the engine started empty (new, or its schema changed): everything must be
    /// indexed again.
    fn needs_rebuild(&self) -> bool;

    fn search<'a>(&'a self, req: &'a SearchRequest) -> Answer<'a, SearchResults>;

    /// Titles completing what has been typed, in `scope`.
    fn suggest<'a>(
        &'a self,
        text: &'a str,
        scope: &'a Scope,
        limit: usize,
    ) -> Answer<'a, Vec<Suggestion>>;

    /// Published documents in `scope` most like document `id` (never itself).
    fn related<'a>(
        &'a self,
        id: uuid::Uuid,
        scope: &'a Scope,
        limit: usize,
    ) -> Answer<'a, Vec<Hit>>;

    /// The engine's own change-log position ([`Cursor::Own`]); 0 when new.
    fn cursor(&self) -> Answer<'_, u64>;

    /// Applies a batch: these documents replace those with their ids, `deleted` go, and (for
    /// [`Cursor::Own`]) `cursor` is recorded with them. Searchable when this returns.
    fn apply<'a>(
        &'a self,
        docs: &'a [Document],
        deleted: &'a [uuid::Uuid],
        cursor: u64,
    ) -> Answer<'a, ()>;

    /// Removes every document (before a rebuild).
    fn clear(&self) -> Answer<'_, ()>;

    /// How many documents it holds.
    fn count(&self) -> Answer<'_, u64>;

    /// For [`Cursor::Shared`]: the name the shared cursor is kept under (the index's name).
    fn shared_key(&self) -> Option<&str> {
        None
    }
}

/// Runs blocking index work off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> Result<T, SearchError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SearchError::Engine(e.to_string()))?
}

impl SearchEngine for SearchIndex {
    fn name(&self) -> &'static str {
        "embedded"
    }

    fn cursor_kind(&self) -> Cursor {
        Cursor::Own
    }

    fn needs_rebuild(&self) -> bool {
        SearchIndex::needs_rebuild(self)
    }

    fn search<'a>(&'a self, req: &'a SearchRequest) -> Answer<'a, SearchResults> {
        let (index, req) = (self.clone(), req.clone());
        Box::pin(blocking(move || SearchIndex::search(&index, &req)))
    }

    fn suggest<'a>(
        &'a self,
        text: &'a str,
        scope: &'a Scope,
        limit: usize,
    ) -> Answer<'a, Vec<Suggestion>> {
        let (index, text, scope) = (self.clone(), text.to_owned(), *scope);
        Box::pin(blocking(move || {
            SearchIndex::suggest(&index, &text, &scope, limit)
        }))
    }

    fn related<'a>(
        &'a self,
        id: uuid::Uuid,
        scope: &'a Scope,
        limit: usize,
    ) -> Answer<'a, Vec<Hit>> {
        let (index, scope) = (self.clone(), *scope);
        Box::pin(blocking(move || {
            SearchIndex::related(&index, id, &scope, limit)
        }))
    }

    fn cursor(&self) -> Answer<'_, u64> {
        Box::pin(std::future::ready(SearchIndex::cursor(self)))
    }

    fn apply<'a>(
        &'a self,
        docs: &'a [Document],
        deleted: &'a [uuid::Uuid],
        cursor: u64,
    ) -> Answer<'a, ()> {
        let (index, docs, deleted) = (self.clone(), docs.to_vec(), deleted.to_vec());
        Box::pin(blocking(move || {
            index.upsert_with_cursor(&docs, &deleted, cursor)
        }))
    }

    fn clear(&self) -> Answer<'_, ()> {
        let index = self.clone();
        Box::pin(blocking(move || SearchIndex::clear(&index)))
    }

    fn count(&self) -> Answer<'_, u64> {
        Box::pin(std::future::ready(Ok(self.doc_count())))
    }
}
