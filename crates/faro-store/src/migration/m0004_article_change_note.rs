//! What changed in an article's latest revision, kept on the article so readers see it in
//! lists without reading the history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum KbArticles {
    Table,
    LastChangeNote,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(KbArticles::Table)
                .add_column(string_len(KbArticles::LastChangeNote, 300).default(""))
                .to_owned(),
        )
        .await
    }
}
