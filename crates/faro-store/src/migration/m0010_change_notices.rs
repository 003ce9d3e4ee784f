//! PostgreSQL tells every node when the tables behind the read caches change, whoever writes
//! them (Faro itself also notifies on each commit; these cover SQL run by hand or by other
//! tools). Session rows notify only when deleted: new ones cannot be cached yet, and their
//! last-seen time moving changes nothing a cache holds. SQLite needs nothing: `data_version`
//! already moves on any other connection's commit (see `crate::fresh`).

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

use crate::fresh::CHANNEL;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table a cache in `repo::cached` reads, and the changes that matter.
const WATCHED: [(&str, &str); 7] = [
    ("users", "INSERT OR UPDATE OR DELETE"),
    ("memberships", "INSERT OR UPDATE OR DELETE"),
    ("sessions", "DELETE"),
    ("kb_articles", "INSERT OR UPDATE OR DELETE"),
    ("kb_categories", "INSERT OR UPDATE OR DELETE"),
    ("kb_comments", "INSERT OR UPDATE OR DELETE"),
    ("kb_feedback", "INSERT OR UPDATE OR DELETE"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "CREATE FUNCTION faro_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$"
        ))
        .await?;
        for (table, events) in WATCHED {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_changed AFTER {events} ON {table} \
                 FOR EACH STATEMENT EXECUTE FUNCTION faro_changed()"
            ))
            .await?;
        }
        Ok(())
    }
}
