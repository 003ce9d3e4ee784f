#![allow(dead_code)]
//! Shared by the API's and the legacy portal's integration tests: an empty database of either
//! backend for each test (a SQLite file, or a new PostgreSQL database when
//! FARO_TEST_DATABASE_URL is set), and raw SQL against it.

use diesel::connection::SimpleConnection;
use diesel::{QueryableByName, RunQueryDsl};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs `$name(app)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::support::{Db, TestApp};

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = TestApp::spawn(Db::Sqlite).await.expect("sqlite always runs");
                    super::$name(&app).await;
                    app.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = TestApp::spawn(Db::Postgres).await {
                        super::$name(&app).await;
                        app.finish().await;
                    }
                }
            }
        )*
    };
}

/// Runs `$name(app)` on SQLite and on PostgreSQL with the server searching through a
/// Meilisearch index of its own, when FARO_TEST_MEILISEARCH_URL names a server; the tests go
/// in module `$module` (beside the embedded engine's `$name`).
#[macro_export]
macro_rules! with_meilisearch {
    ($($module:ident: $name:ident),* $(,)?) => {
        $(
            mod $module {
                use $crate::support::{Db, TestApp};

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite_meilisearch() {
                    if let Some(app) = TestApp::spawn_meili(Db::Sqlite).await {
                        super::$name(&app).await;
                        app.finish().await;
                    }
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres_meilisearch() {
                    if $crate::support::meili_server().is_none() {
                        return;
                    }
                    if let Some(app) = TestApp::spawn_meili(Db::Postgres).await {
                        super::$name(&app).await;
                        app.finish().await;
                    }
                }
            }
        )*
    };
}

/// Whether a suite whose environment is missing must fail rather than skip.
pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

pub fn pg_admin_url() -> Option<String> {
    match std::env::var("FARO_TEST_DATABASE_URL") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            assert!(
                !ci(),
                "CI=true but FARO_TEST_DATABASE_URL is not set: the PostgreSQL suite cannot run"
            );
            eprintln!("skipping PostgreSQL test: FARO_TEST_DATABASE_URL is not set");
            None
        }
    }
}

/// `postgres://u@h:5432/test?x=y` with the database name replaced.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{db}?{q}"),
        None => format!("{host_part}/{db}"),
    }
}

/// An empty database of one backend: a SQLite file, or a new PostgreSQL database.
pub struct FreshDatabase {
    pub url: String,
    /// (server URL, database name) for PostgreSQL, to drop it afterwards.
    pub pg: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl FreshDatabase {
    pub async fn create(db: Db) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mut fresh = Self::create_in(db, dir.path()).await?;
        fresh._dir = Some(dir);
        Some(fresh)
    }

    pub async fn create_in(db: Db, dir: &std::path::Path) -> Option<Self> {
        match db {
            Db::Sqlite => Some(Self {
                url: format!("sqlite://{}?mode=rwc", dir.join("faro.db").display()),
                pg: None,
                _dir: None,
            }),
            Db::Postgres => {
                let admin = pg_admin_url()?;
                let name = format!("faro_t_{}", uuid::Uuid::new_v4().simple());
                raw(&admin, &format!("CREATE DATABASE {name}"));
                Some(Self {
                    url: with_database(&admin, &name),
                    pg: Some((admin, name)),
                    _dir: None,
                })
            }
        }
    }

    pub async fn drop(self) {
        if let Some((admin, name)) = self.pg {
            raw(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// Runs `sql` (one or more statements) on a connection of its own.
pub fn raw(url: &str, sql: &str) {
    faro_store::db::connect(url)
        .expect("connect to the test database")
        .batch_execute(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

#[derive(QueryableByName)]
pub struct Number {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub n: i64,
}

/// The number `query` (a `SELECT COUNT(*) …`) answers on the database at `url`.
pub fn sql_count(url: &str, query: &str) -> i64 {
    let mut conn = faro_store::db::connect(url).unwrap();
    diesel::sql_query(format!("SELECT ({query}) AS n"))
        .get_result::<Number>(&mut conn)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .n
}
