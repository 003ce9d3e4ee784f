//! Faro's persistence: one implementation over SeaORM for SQLite and PostgreSQL. Every call that
//! reads client data takes a `Viewer` and applies the membership scope here, not in handlers.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod convert;
mod entity;
pub mod fresh;
mod migration;
mod repo;

use std::time::Duration;

use faro_core::StoreError;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

pub use repo::accounts::check_code;
pub use repo::downloads::{DownloadDraft, DownloadStats, NewVersion};
pub use repo::incident_escalation::{RemoteRequest, RemoteState, Visit};
pub use repo::incidents::{
    Attachment, IncidentFilter, NewAttachment, NewIncident, Notice, Notify, Sla, TimelineEvent,
    kind,
};
pub use repo::kb_articles::{ArticleFilter, ArticleOrder, Author, SearchFeed};
pub use repo::kb_categories::ancestry;
pub use repo::kb_reading::SHARES_PER_HOUR;
pub use repo::kb_reading::kb_article_info::ArticleInfo;
pub use repo::login::{LoginCandidate, SessionOwner};
pub use repo::memberships::{MembershipChanges, NewMembership};
pub use repo::outbox::QueuedMail;
pub use repo::people::{NewStaff, WelcomeMail};
pub use repo::rate::Limit;
pub use repo::resources::{NewFile, ResourceDraft};

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from the URL scheme; anything else is a configuration error.
    pub fn from_url(url: &str) -> Result<Self, String> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err("FARO_DATABASE_URL must start with sqlite: or postgres://".into())
        }
    }
}

/// The handle every part of Faro uses to reach the database. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// Article reads not yet written (see `record_article_view`).
    views: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<uuid::Uuid, u64>>>,
    /// Moves on every committed write; see `fresh`.
    fresh: std::sync::Arc<fresh::Freshness>,
    caches: std::sync::Arc<repo::cached::Caches>,
}

pub(crate) fn db_err(e: DbErr) -> StoreError {
    StoreError::Other(e.to_string())
}

impl Store {
    /// Connects with the options both backends need (see PITFALLS.md: WAL, busy timeout,
    /// foreign keys and an explicit pool size on SQLite).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let backend = Backend::from_url(url).map_err(StoreError::Other)?;
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(15));
        match backend {
            Backend::Sqlite => {
                opts.max_connections(8)
                    .min_connections(1)
                    .map_sqlx_sqlite_opts(|o| {
                        o.journal_mode(SqliteJournalMode::Wal)
                            .synchronous(SqliteSynchronous::Normal)
                            .busy_timeout(Duration::from_secs(10))
                            .foreign_keys(true)
                            .create_if_missing(true)
                    });
            }
            Backend::Postgres => {
                opts.max_connections(16).min_connections(1);
            }
        }
        let db = Database::connect(opts).await.map_err(db_err)?;
        Ok(Self {
            db,
            views: Default::default(),
            fresh: Default::default(),
            caches: Default::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.db.get_database_backend() {
            DbBackend::Sqlite => Backend::Sqlite,
            _ => Backend::Postgres,
        }
    }

    /// Brings the schema up to date. Safe to run on every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        migration::Migrator::up(&self.db, None)
            .await
            .map_err(db_err)
    }

    /// Applies only the first `steps` migrations: lets tests start from an older schema.
    #[doc(hidden)]
    pub async fn migrate_first(&self, steps: u32) -> Result<(), StoreError> {
        migration::Migrator::up(&self.db, Some(steps))
            .await
            .map_err(db_err)
    }

    /// Whether the database answers: used by `/readyz`.
    pub async fn ping(&self) -> bool {
        self.db.ping().await.is_ok()
    }

    pub async fn close(self) {
        if let Err(e) = self.flush_article_views().await {
            tracing::warn!(error = %e, "article reads not saved at shutdown");
        }
        let _ = self.db.close().await;
    }

    /// A transaction that reads then writes. On SQLite it must take the write lock at once
    /// (BEGIN IMMEDIATE) or concurrent writers fail with "database is locked".
    pub(crate) async fn write_tx(&self) -> Result<DatabaseTransaction, StoreError> {
        self.db
            .begin_with_options(TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            })
            .await
            .map_err(db_err)
    }

    pub(crate) fn conn(&self) -> &impl ConnectionTrait {
        &self.db
    }
}

impl Store {
    /// Commits a write transaction and tells every cache, here and on other nodes, that what
    /// they hold is old (see `fresh`). Every write transaction ends here.
    pub(crate) async fn commit(&self, tx: DatabaseTransaction) -> Result<(), StoreError> {
        if self.backend() == Backend::Postgres {
            // Delivered to the listeners when (and only if) the transaction commits.
            tx.execute_unprepared(&format!("NOTIFY {}", fresh::CHANNEL))
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)?;
        self.fresh.bump();
        Ok(())
    }

    /// The same for a write made outside a transaction that changes what the caches hold.
    pub(crate) async fn wrote(&self) -> Result<(), StoreError> {
        if self.backend() == Backend::Postgres {
            self.db
                .execute_unprepared(&format!("NOTIFY {}", fresh::CHANNEL))
                .await
                .map_err(db_err)?;
        }
        self.fresh.bump();
        Ok(())
    }
}
