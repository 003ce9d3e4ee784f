//! Faro's persistence: one implementation for SQLite and PostgreSQL. Every call that reads client
//! data takes a `Viewer` and applies the membership scope here, not in handlers.
//!
//! diesel (synchronous) underneath (`db`: connections, schema, migrations), reached by async
//! callers through `Store::run` and `Store::write`, which run each repository function on tokio's
//! blocking pool.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod convert;
pub mod db;
pub mod fresh;
pub mod limits;
pub mod printout;
mod repo;

use faro_core::{StoreError, StoreResult};

pub use repo::NamePage;
pub use repo::accounts::check_code;
pub use repo::api_access::{KeyList, NewApiKey, Principal, REFRESH_IDLE, Refreshed};
pub use repo::downloads::{DownloadDraft, DownloadStats, NewVersion};
pub use repo::incident_escalation::{RemoteRequest, RemoteState, Visit, VisitNotify};
pub use repo::incidents::{
    Attachment, IncidentAfter, IncidentFilter, NewAttachment, NewIncident, Notice, Notify, Sla,
    TimelineEvent, kind,
};
pub use repo::kb_articles::{ArticleAfter, ArticleFilter, ArticleOrder, Author, SearchFeed};
pub use repo::kb_categories::{ancestry, with_descendants};
pub use repo::kb_reading::SHARES_PER_HOUR;
pub use repo::kb_reading::kb_article_info::ArticleInfo;
pub use repo::login::{Attempt, LoginCandidate, SessionOwner};
pub use repo::memberships::{MembershipChanges, NewMembership};
pub use repo::outbox::QueuedMail;
pub use repo::people::{NewStaff, WelcomeMail};
pub use repo::rate::Limit;
pub use repo::resources::{NewFile, ResourceDraft};

pub use db::Backend;

/// The handle every part of Faro uses to reach the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    /// diesel's connections (see `db`).
    pool: db::Pool,
    target: db::Target,
    /// Article reads not yet written (see `record_article_view`).
    views: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<uuid::Uuid, u64>>>,
    /// Moves on every committed write; see `fresh`.
    fresh: std::sync::Arc<fresh::Freshness>,
    caches: std::sync::Arc<repo::cached::Caches>,
}

impl Store {
    /// Connects with the options both backends need (`db::Target::establish`: WAL, busy
    /// timeout and foreign keys on SQLite; UTC on PostgreSQL) and an explicit pool size.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let target = db::Target::parse(url).map_err(StoreError::Other)?;
        let pool = {
            let target = target.clone();
            tokio::task::spawn_blocking(move || db::open_pool(target))
                .await
                .map_err(|e| StoreError::Other(e.to_string()))??
        };
        Ok(Self {
            pool,
            target,
            views: Default::default(),
            fresh: Default::default(),
            caches: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.target.backend()
    }

    /// Brings the schema up to date (adopting a database made by an earlier release, see
    /// `db::migrate`). Safe to run on every start; returns how many migrations ran.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        self.run(|c| db::migrate::run(c, None)).await
    }

    /// Applies only the next `steps` migrations: lets tests start from an older schema.
    #[doc(hidden)]
    pub async fn migrate_first(&self, steps: usize) -> Result<(), StoreError> {
        self.run(move |c| db::migrate::run(c, Some(steps)).map(drop))
            .await
    }

    /// Whether the database answers: used by `/readyz`.
    pub async fn ping(&self) -> bool {
        use diesel::connection::SimpleConnection;
        self.run(|c| c.batch_execute("SELECT 1").map_err(db::db_err))
            .await
            .is_ok()
    }

    /// Runs `f` with a pooled connection on tokio's blocking pool: diesel is synchronous and
    /// never runs on the async threads.
    pub(crate) async fn run<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut db::DbConn) -> StoreResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool
                .get()
                .map_err(|e| StoreError::Other(format!("database unavailable: {e}")))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Other(format!("database task: {e}")))?
    }

    /// `f` in a write transaction (`db::write_transaction`: SQLite's write lock at once, other
    /// nodes notified on PostgreSQL). This process's caches learn of it right after the commit,
    /// on the blocking thread, so a caller that stops waiting cannot leave them stale.
    pub(crate) async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut db::DbConn) -> StoreResult<T> + Send + 'static,
    {
        let fresh = self.fresh.clone();
        self.run(move |c| {
            let value = db::write_transaction(c, f)?;
            fresh.bump();
            Ok(value)
        })
        .await
    }

    /// Saves what is only in memory (article reads); the connections close with the last
    /// clone of the store.
    pub async fn close(self) {
        if let Err(e) = self.flush_article_views().await {
            tracing::warn!(error = %e, "article reads not saved at shutdown");
        }
    }
}
