//! The knowledge base: categories, articles with every revision kept, and the change log the
//! search index of each node follows.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum KbCategories {
    Table,
    Id,
    ParentId,
    Slug,
    Name,
    Position,
    CreatedAt,
}

#[derive(DeriveIden)]
enum KbArticles {
    Table,
    Id,
    Slug,
    Title,
    Summary,
    Body,
    Kind,
    State,
    CategoryId,
    MembershipId,
    Tags,
    Views,
    Revision,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum KbRevisions {
    Table,
    Id,
    ArticleId,
    Number,
    Title,
    Summary,
    Body,
    Kind,
    State,
    CategoryId,
    MembershipId,
    Tags,
    AuthorId,
    AuthorName,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SearchChanges {
    Table,
    Seq,
    ArticleId,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(KbCategories::Table)
                .col(pk_uuid(KbCategories::Id))
                .col(uuid_null(KbCategories::ParentId))
                .col(string_len_uniq(KbCategories::Slug, 120))
                .col(string_len(KbCategories::Name, 120))
                .col(integer(KbCategories::Position))
                .col(timestamp_with_time_zone(KbCategories::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(KbCategories::Table, KbCategories::ParentId)
                        .to(KbCategories::Table, KbCategories::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(KbArticles::Table)
                .col(pk_uuid(KbArticles::Id))
                .col(string_len_uniq(KbArticles::Slug, 120))
                .col(string_len(KbArticles::Title, 200))
                .col(text(KbArticles::Summary))
                .col(text(KbArticles::Body))
                .col(string_len(KbArticles::Kind, 16))
                .col(string_len(KbArticles::State, 16))
                .col(uuid_null(KbArticles::CategoryId))
                .col(uuid_null(KbArticles::MembershipId))
                .col(text(KbArticles::Tags))
                .col(big_integer(KbArticles::Views))
                .col(integer(KbArticles::Revision))
                .col(timestamp_with_time_zone(KbArticles::CreatedAt))
                .col(timestamp_with_time_zone(KbArticles::UpdatedAt))
                .col(timestamp_with_time_zone_null(KbArticles::PublishedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(KbArticles::Table, KbArticles::CategoryId)
                        .to(KbCategories::Table, KbCategories::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(KbArticles::Table, KbArticles::MembershipId)
                        .to(Memberships::Table, Memberships::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_kb_articles_membership", KbArticles::MembershipId),
            ("idx_kb_articles_updated", KbArticles::UpdatedAt),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(KbArticles::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(KbRevisions::Table)
                .col(pk_uuid(KbRevisions::Id))
                .col(uuid(KbRevisions::ArticleId))
                .col(integer(KbRevisions::Number))
                .col(string_len(KbRevisions::Title, 200))
                .col(text(KbRevisions::Summary))
                .col(text(KbRevisions::Body))
                .col(string_len(KbRevisions::Kind, 16))
                .col(string_len(KbRevisions::State, 16))
                .col(uuid_null(KbRevisions::CategoryId))
                .col(uuid_null(KbRevisions::MembershipId))
                .col(text(KbRevisions::Tags))
                .col(uuid_null(KbRevisions::AuthorId))
                .col(string_len(KbRevisions::AuthorName, 120))
                .col(string_len(KbRevisions::Note, 300))
                .col(timestamp_with_time_zone(KbRevisions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(KbRevisions::Table, KbRevisions::ArticleId)
                        .to(KbArticles::Table, KbArticles::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_kb_revisions_article_number")
                .table(KbRevisions::Table)
                .col(KbRevisions::ArticleId)
                .col(KbRevisions::Number)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SearchChanges::Table)
                .col(big_pk_auto(SearchChanges::Seq))
                .col(uuid(SearchChanges::ArticleId))
                .col(timestamp_with_time_zone(SearchChanges::At))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
