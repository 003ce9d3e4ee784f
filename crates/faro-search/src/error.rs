use thiserror::Error;

/// Everything that can go wrong in the search index.
///
/// Malformed user queries are deliberately absent: they degrade to plain terms
/// (see [`crate::SearchResults::fell_back`]) instead of failing.
#[derive(Debug, Error)]
pub enum SearchError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index writer lock poisoned by a panic in another thread")]
    Poisoned,
    /// Another process has this index directory open (each process needs its own).
    #[error("the search index in {0} is in use by another process")]
    InUse(std::path::PathBuf),
    #[error("search index commit payload is unreadable: {0}")]
    Payload(String),
    /// A search server refused or failed a request (its task failed, it did not answer…).
    #[error("search engine error: {0}")]
    Engine(String),
}
