//! Reading tools of the knowledge base: comments, "was this helpful?" feedback, images uploaded
//! into articles, and the log of articles e-mailed (which also rate-limits sharing).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum KbArticles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum KbComments {
    Table,
    Id,
    ArticleId,
    AuthorId,
    AuthorName,
    Body,
    Hidden,
    CreatedAt,
}

#[derive(DeriveIden)]
enum KbFeedback {
    Table,
    Id,
    ArticleId,
    UserId,
    Helpful,
    Remark,
    CreatedAt,
}

#[derive(DeriveIden)]
enum KbImages {
    Table,
    Id,
    ArticleId,
    ContentType,
    FileName,
    Bytes,
    Sha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum KbShares {
    Table,
    Id,
    ArticleId,
    UserId,
    ToAddress,
    CreatedAt,
}

fn article_fk<T: IntoIden + 'static>(table: T, col: T) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(KbArticles::Table, KbArticles::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KbComments::Table)
                .col(pk_uuid(KbComments::Id))
                .col(uuid(KbComments::ArticleId))
                .col(uuid_null(KbComments::AuthorId))
                .col(string_len(KbComments::AuthorName, 120))
                .col(text(KbComments::Body))
                .col(boolean(KbComments::Hidden))
                .col(timestamp_with_time_zone(KbComments::CreatedAt))
                .foreign_key(&mut article_fk(KbComments::Table, KbComments::ArticleId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_kb_comments_article")
                .table(KbComments::Table)
                .col(KbComments::ArticleId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(KbFeedback::Table)
                .col(pk_uuid(KbFeedback::Id))
                .col(uuid(KbFeedback::ArticleId))
                .col(uuid(KbFeedback::UserId))
                .col(boolean(KbFeedback::Helpful))
                .col(text(KbFeedback::Remark))
                .col(timestamp_with_time_zone(KbFeedback::CreatedAt))
                .foreign_key(&mut article_fk(KbFeedback::Table, KbFeedback::ArticleId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_kb_feedback_article_user")
                .table(KbFeedback::Table)
                .col(KbFeedback::ArticleId)
                .col(KbFeedback::UserId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(KbImages::Table)
                .col(pk_uuid(KbImages::Id))
                .col(uuid(KbImages::ArticleId))
                .col(string_len(KbImages::ContentType, 64))
                .col(string_len(KbImages::FileName, 200))
                .col(blob(KbImages::Bytes))
                .col(string_len(KbImages::Sha256, 64))
                .col(timestamp_with_time_zone(KbImages::CreatedAt))
                .foreign_key(&mut article_fk(KbImages::Table, KbImages::ArticleId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(KbShares::Table)
                .col(pk_uuid(KbShares::Id))
                .col(uuid(KbShares::ArticleId))
                .col(uuid(KbShares::UserId))
                .col(string_len(KbShares::ToAddress, 254))
                .col(timestamp_with_time_zone(KbShares::CreatedAt))
                .foreign_key(&mut article_fk(KbShares::Table, KbShares::ArticleId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_kb_shares_user")
                .table(KbShares::Table)
                .col(KbShares::UserId)
                .col(KbShares::CreatedAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
