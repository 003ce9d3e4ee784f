//! The schema: plain SQL migrations under `migrations/postgres` and `migrations/sqlite` at the
//! repository root (same names, same meaning), embedded in the binary and run at start-up and
//! by `faro migrate`.
//!
//! Databases made by releases before diesel carry SeaORM's `seaql_migrations` table instead of
//! diesel's. Their schema is exactly what the migrations of the same names create, so the first
//! start records those as applied (in one transaction) and runs only what came after: every row
//! stays where it is.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use faro_core::{StoreError, StoreResult};

use super::{DbConn, db_err, write_transaction};

pub(crate) const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
pub(crate) const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// SeaORM's bookkeeping table in databases made by earlier releases.
const SEAORM_TABLE: &str = "seaql_migrations";
/// Serialises migrations of nodes starting together on PostgreSQL (an arbitrary constant).
const PG_LOCK: i64 = 0x0066_6172_6f6d_6967;

fn boxed(e: Box<dyn std::error::Error + Send + Sync>) -> StoreError {
    StoreError::Other(format!("migration: {e}"))
}

/// The migrations of this connection's backend, as (version, directory name).
fn names(conn: &DbConn) -> StoreResult<Vec<(String, String)>> {
    use diesel::migration::MigrationSource;
    fn list<DB: diesel::backend::Backend>(
        source: &EmbeddedMigrations,
    ) -> StoreResult<Vec<(String, String)>>
    where
        EmbeddedMigrations: MigrationSource<DB>,
    {
        Ok(MigrationSource::<DB>::migrations(source)
            .map_err(boxed)?
            .iter()
            .map(|m| (m.name().version().to_string(), m.name().to_string()))
            .collect())
    }
    match conn {
        DbConn::Pg(_) => list::<diesel::pg::Pg>(&POSTGRES),
        DbConn::Sqlite(_) => list::<diesel::sqlite::Sqlite>(&SQLITE),
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    version: String,
}

fn table_exists(conn: &mut DbConn, table: &str) -> StoreResult<bool> {
    let q = match conn {
        DbConn::Pg(_) => {
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
        DbConn::Sqlite(_) => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?"
        }
    };
    let found: Count = diesel::sql_query(q)
        .bind::<Text, _>(table)
        .get_result(conn)
        .map_err(db_err)?;
    Ok(found.n > 0)
}

/// Records the migrations SeaORM applied as diesel's, once (see the module docs).
fn adopt(conn: &mut DbConn) -> StoreResult<usize> {
    if !table_exists(conn, SEAORM_TABLE)? || table_exists(conn, "__diesel_schema_migrations")? {
        return Ok(0);
    }
    let ours = names(conn)?;
    write_transaction(conn, |conn| {
        let applied: Vec<Name> = diesel::sql_query(format!(
            "SELECT version FROM {SEAORM_TABLE} ORDER BY version"
        ))
        .load(conn)
        .map_err(db_err)?;
        conn.batch_execute(
            "CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (\
             version VARCHAR(50) PRIMARY KEY NOT NULL, \
             run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        )
        .map_err(db_err)?;
        let insert = match conn {
            DbConn::Pg(_) => "INSERT INTO __diesel_schema_migrations (version) VALUES ($1)",
            DbConn::Sqlite(_) => "INSERT INTO __diesel_schema_migrations (version) VALUES (?)",
        };
        for a in &applied {
            // SeaORM named each migration after its module: `m` + the directory name here.
            let Some((version, _)) = ours
                .iter()
                .find(|(_, dir)| a.version.strip_prefix('m') == Some(dir.as_str()))
            else {
                return Err(StoreError::Other(format!(
                    "the database records migration {:?}, which this Faro does not know: \
                     it was made by a newer release",
                    a.version
                )));
            };
            diesel::sql_query(insert)
                .bind::<Text, _>(version)
                .execute(conn)
                .map_err(db_err)?;
        }
        Ok(applied.len())
    })
}

/// Brings the schema up to date, or applies only the next `steps` migrations (tests start from
/// an older schema that way). Returns how many migrations ran. Nodes starting together on
/// PostgreSQL take turns (an advisory lock); on SQLite the first migration's write lock does it.
pub(crate) fn run(conn: &mut DbConn, steps: Option<usize>) -> StoreResult<usize> {
    if let DbConn::Pg(c) = conn {
        c.batch_execute(&format!("SELECT pg_advisory_lock({PG_LOCK})"))
            .map_err(db_err)?;
    }
    let outcome = apply(conn, steps);
    if let DbConn::Pg(c) = conn {
        let _ = c.batch_execute(&format!("SELECT pg_advisory_unlock({PG_LOCK})"));
    }
    outcome
}

fn apply(conn: &mut DbConn, steps: Option<usize>) -> StoreResult<usize> {
    let adopted = adopt(conn)?;
    if adopted > 0 {
        tracing::info!(adopted, "database made by an earlier release adopted");
    }
    let ran = match (conn, steps) {
        (DbConn::Pg(c), None) => c.run_pending_migrations(POSTGRES).map(|v| v.len()),
        (DbConn::Sqlite(c), None) => c.run_pending_migrations(SQLITE).map(|v| v.len()),
        (DbConn::Pg(c), Some(n)) => (0..n)
            .try_for_each(|_| c.run_next_migration(POSTGRES).map(drop))
            .map(|()| n),
        (DbConn::Sqlite(c), Some(n)) => (0..n)
            .try_for_each(|_| c.run_next_migration(SQLITE).map(drop))
            .map(|()| n),
    };
    ran.map_err(boxed)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use diesel::migration::MigrationSource;

    use super::*;

    fn folder(backend: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../migrations")
            .join(backend);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| {
                for f in ["up.sql", "down.sql"] {
                    assert!(e.path().join(f).is_file(), "{:?} lacks {f}", e.path());
                }
                e.file_name().to_string_lossy().into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn both_folders_hold_the_same_migrations() {
        let pg = folder("postgres");
        let sqlite = folder("sqlite");
        assert!(!pg.is_empty());
        assert_eq!(
            pg, sqlite,
            "migrations/postgres and migrations/sqlite differ"
        );
        // What is embedded is what is in the folders (build.rs keeps them in step).
        let embedded: Vec<String> = MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES)
            .unwrap()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        assert_eq!(embedded, pg);
        let embedded: Vec<String> = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE)
            .unwrap()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        assert_eq!(embedded, sqlite);
        // Versions are the four digits before the name, in order, without gaps.
        for (i, name) in pg.iter().enumerate() {
            assert_eq!(name[..5], format!("{:04}_", i + 1), "{name}");
        }
    }
}
