//! Connections: one diesel connection type over PostgreSQL and SQLite (picked from the URL), an
//! r2d2 pool with the per-connection settings both need, transactions that take SQLite's write
//! lock at once, and the blocking façade async callers go through.
//!
//! Queries are written once against [`DbConn`]. Where diesel's `MultiConnection` lacks a
//! feature (upsert, batch insert), [`per_backend!`] expands one body for each concrete
//! connection; SQL that must differ lives in the migrations.

mod conn;
pub(crate) mod errors;
pub(crate) mod migrate;
pub mod rows;
pub mod schema;
pub mod types;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::r2d2;
use diesel::{Connection, PgConnection, SqliteConnection};
use faro_core::{StoreError, StoreResult};

pub use conn::{DbConn, MultiBackend};
pub(crate) use errors::db_err;

/// Runs the same body once per backend, with `$c` bound to the concrete connection: for the few
/// things diesel's `MultiConnection` cannot express (upsert, multi-row insert). One body, type
/// checked against both backends.
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Pg($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}
pub(crate) use per_backend;

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

/// Where to connect, parsed once at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// libpq's connection string (the URL as given: `sslmode` and the rest are libpq's).
    Postgres(String),
    /// What SQLite opens: a path (created when missing) or a `file:` URI with a mode.
    Sqlite(String),
}

impl Target {
    /// `sqlite://path`, `sqlite:path`, with `?mode=rwc` (create, the default), `rw` or `ro`;
    /// `postgres://…` or `postgresql://…`.
    pub(crate) fn parse(url: &str) -> Result<Self, String> {
        match Backend::from_url(url)? {
            Backend::Postgres => Ok(Self::Postgres(url.to_owned())),
            Backend::Sqlite => {
                let rest = url
                    .strip_prefix("sqlite://")
                    .or_else(|| url.strip_prefix("sqlite:"))
                    .unwrap_or_default();
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                if path.is_empty() {
                    return Err("FARO_DATABASE_URL names no SQLite file".into());
                }
                let mut mode = "rwc";
                for pair in query.split('&').filter(|p| !p.is_empty()) {
                    match pair.split_once('=') {
                        Some(("mode", m @ ("rwc" | "rw" | "ro"))) => mode = m,
                        _ => {
                            return Err(format!(
                                "FARO_DATABASE_URL: unknown SQLite option {pair:?} (only mode=rwc|rw|ro)"
                            ));
                        }
                    }
                }
                Ok(Self::Sqlite(if mode == "rwc" {
                    path.to_owned()
                } else {
                    format!(
                        "file:{}?mode={mode}",
                        path.replace('%', "%25")
                            .replace('?', "%3f")
                            .replace('#', "%23")
                    )
                }))
            }
        }
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Self::Postgres(_) => Backend::Postgres,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// A new connection with the settings every Faro connection has.
    pub(crate) fn establish(&self) -> Result<DbConn, diesel::ConnectionError> {
        match self {
            Self::Postgres(url) => {
                let mut c = PgConnection::establish(url)?;
                // Times are bound as timestamptz and read in binary, so the zone changes no
                // value; UTC keeps any text conversion in SQL (casts, date_trunc) the same on
                // every server.
                c.batch_execute("SET TIME ZONE 'UTC'")
                    .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Pg(c))
            }
            Self::Sqlite(path) => {
                let mut c = SqliteConnection::establish(path)?;
                // busy_timeout first: switching to WAL itself needs the lock. Foreign keys are
                // off by default in SQLite (cascades would silently do nothing).
                c.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(c))
            }
        }
    }
}

/// Makes pooled connections (diesel's own r2d2 manager would try every backend on each URL and
/// drop the errors).
#[derive(Debug)]
pub(crate) struct Manager(pub(crate) Target);

#[derive(Debug, thiserror::Error)]
pub(crate) enum PoolError {
    #[error(transparent)]
    Connect(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = PoolError;

    fn connect(&self) -> Result<DbConn, PoolError> {
        Ok(self.0.establish()?)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), PoolError> {
        Ok(conn.batch_execute("SELECT 1")?)
    }

    /// A connection given back inside a transaction (its caller was cancelled or panicked, or
    /// a rollback failed) is closed rather than reused, which rolls the transaction back.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking()
            || <DbConn as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

pub(crate) type Pool = r2d2::Pool<Manager>;

/// Logs pool errors (a connection that could not be opened) instead of dropping them.
#[derive(Debug)]
struct LogErrors;

impl r2d2::HandleError<PoolError> for LogErrors {
    fn handle_error(&self, error: PoolError) {
        tracing::warn!(%error, "database connection failed");
    }
}

/// Opens the pool; fails when the database cannot be reached at all.
pub(crate) fn open_pool(target: Target) -> StoreResult<Pool> {
    let size = match target.backend() {
        Backend::Sqlite => 8,
        Backend::Postgres => 16,
    };
    // One connection first, so a wrong URL or a database that is down is reported with
    // libpq's or SQLite's own words rather than as a pool time-out.
    let first = target
        .establish()
        .map_err(|e| StoreError::Other(e.to_string()))?;
    drop(first);
    r2d2::Pool::builder()
        .max_size(size)
        // Connections are opened when a request needs one and kept while used, never ahead of
        // time: a connection the pool opened on its own threads while the process was exiting
        // raced libpq's OpenSSL clean-up, and quick CLI commands died of a segmentation fault
        // after their work was done (about one run in ten on PostgreSQL).
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(10))
        // A PostgreSQL connection can die under the pool (a server restart, a dropped
        // database): each is checked with `SELECT 1` as it is taken, one round trip. A SQLite
        // connection is a file handle in this process and cannot.
        .test_on_check_out(target.backend() == Backend::Postgres)
        .error_handler(Box::new(LogErrors))
        .build(Manager(target))
        .map_err(|e| StoreError::Other(e.to_string()))
}

/// Runs `f` in a transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`:
/// a read-then-write transaction begun deferred fails with "database is locked" when another
/// writer got there first) and commits it when `f` succeeds. On PostgreSQL it is an ordinary
/// READ COMMITTED transaction: counters and claims are single atomic statements there.
pub(crate) fn write_transaction<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> StoreResult<T>,
) -> StoreResult<T> {
    type Tm = <DbConn as Connection>::TransactionManager;
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
        DbConn::Pg(_) => Tm::begin_transaction(conn),
    }
    .map_err(db_err)?;
    match f(conn) {
        Ok(value) => {
            if let DbConn::Pg(c) = conn {
                // Delivered to every listening node when (and only if) this commits.
                c.batch_execute(crate::fresh::NOTIFY).map_err(db_err)?;
            }
            match Tm::commit_transaction(conn) {
                Ok(()) => Ok(value),
                Err(e) => {
                    let _ = Tm::rollback_transaction(conn);
                    Err(db_err(e))
                }
            }
        }
        Err(e) => {
            // A failed rollback leaves the manager broken: the pool then drops the connection.
            let _ = Tm::rollback_transaction(conn);
            Err(e)
        }
    }
}

/// One connection with Faro's settings, outside any pool: for tests and benchmarks that need
/// the database as it is (raw SQL, fixtures). The portal itself goes through `Store`.
#[doc(hidden)]
pub fn connect(url: &str) -> StoreResult<DbConn> {
    Target::parse(url)
        .map_err(StoreError::Other)?
        .establish()
        .map_err(|e| StoreError::Other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls() {
        assert_eq!(
            Target::parse("sqlite:///tmp/x/faro.db?mode=rwc"),
            Ok(Target::Sqlite("/tmp/x/faro.db".into()))
        );
        assert_eq!(
            Target::parse("sqlite:faro.db"),
            Ok(Target::Sqlite("faro.db".into()))
        );
        assert_eq!(
            Target::parse("sqlite:///data/faro.db?mode=ro"),
            Ok(Target::Sqlite("file:/data/faro.db?mode=ro".into()))
        );
        assert!(Target::parse("sqlite://").is_err());
        assert!(Target::parse("sqlite:///x.db?cache=shared").is_err());
        assert!(Target::parse("mysql://x").is_err());
        assert_eq!(
            Target::parse("postgres://u@h/db?sslmode=require"),
            Ok(Target::Postgres("postgres://u@h/db?sslmode=require".into()))
        );
    }
}
