//! One migration set for SQLite and PostgreSQL, run at start-up and by `faro migrate`.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_knowledge_base;
mod m0003_kb_reading_tools;
mod m0004_article_change_note;
mod m0005_rate_events;
mod m0006_downloads;
mod m0007_incidents;
mod m0008_incident_list_indexes;
mod m0009_kb_images_in_file_store;
mod m0010_change_notices;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_knowledge_base::Migration),
            Box::new(m0003_kb_reading_tools::Migration),
            Box::new(m0004_article_change_note::Migration),
            Box::new(m0005_rate_events::Migration),
            Box::new(m0006_downloads::Migration),
            Box::new(m0007_incidents::Migration),
            Box::new(m0008_incident_list_indexes::Migration),
            Box::new(m0009_kb_images_in_file_store::Migration),
            Box::new(m0010_change_notices::Migration),
        ]
    }
}
