//! Article images move to the file store: `kb_images.file_id` points at a `stored_files` row.
//! Rows written before keep their bytes until the start-up task moves them (see
//! `faro_jobs::files::move_article_images`); afterwards `bytes` is empty.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum KbImages {
    Table,
    FileId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(KbImages::Table)
                .add_column(uuid_null(KbImages::FileId))
                .to_owned(),
        )
        .await
    }
}
