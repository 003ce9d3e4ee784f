//! Downloads with versions, the resources catalogue, and the register of stored files that keeps
//! database rows and file-store objects in agreement.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Memberships {
    Table,
    Id,
}

/// Every object in the file store has a row here. `pending` while its bytes stream in; rows
/// left pending by a crash are swept, with their objects, by housekeeping.
#[derive(DeriveIden, Clone, Copy)]
enum StoredFiles {
    Table,
    Id,
    ObjectKey,
    FileName,
    Size,
    Sha256,
    State,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DownloadItems {
    Table,
    Id,
    Slug,
    Kind,
    Title,
    Description,
    Category,
    AllClients,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DownloadAudience {
    Table,
    ItemId,
    MembershipId,
}

#[derive(DeriveIden, Clone, Copy)]
enum DownloadVersions {
    Table,
    Id,
    ItemId,
    Label,
    Notes,
    FileId,
    PublishedBy,
    PublishedByName,
    PublishedAt,
    WithdrawnAt,
    WithdrawnReason,
}

#[derive(DeriveIden, Clone, Copy)]
enum DownloadEvents {
    Table,
    Id,
    ItemId,
    VersionId,
    UserId,
    MembershipId,
    At,
}

#[derive(DeriveIden, Clone, Copy)]
enum DownloadVisits {
    Table,
    UserId,
    SeenAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Resources {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Category,
    Url,
    FileId,
    FileVersion,
    VerifiedOn,
    CreatedAt,
    UpdatedAt,
}

fn index<T: IntoIden + Copy + 'static>(name: &str, table: T, cols: &[T]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StoredFiles::Table)
                .col(pk_uuid(StoredFiles::Id))
                .col(string_len_uniq(StoredFiles::ObjectKey, 200))
                .col(string_len(StoredFiles::FileName, 200))
                .col(big_integer(StoredFiles::Size))
                .col(string_len(StoredFiles::Sha256, 64))
                .col(string_len(StoredFiles::State, 16))
                .col(timestamp_with_time_zone(StoredFiles::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_stored_files_state",
            StoredFiles::Table,
            &[StoredFiles::State, StoredFiles::CreatedAt],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(DownloadItems::Table)
                .col(pk_uuid(DownloadItems::Id))
                .col(string_len_uniq(DownloadItems::Slug, 120))
                .col(string_len(DownloadItems::Kind, 16))
                .col(string_len(DownloadItems::Title, 200))
                .col(text(DownloadItems::Description))
                .col(string_len(DownloadItems::Category, 80))
                .col(boolean(DownloadItems::AllClients))
                .col(timestamp_with_time_zone(DownloadItems::CreatedAt))
                .col(timestamp_with_time_zone(DownloadItems::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DownloadAudience::Table)
                .col(uuid(DownloadAudience::ItemId))
                .col(uuid(DownloadAudience::MembershipId))
                .primary_key(
                    Index::create()
                        .col(DownloadAudience::ItemId)
                        .col(DownloadAudience::MembershipId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DownloadAudience::Table, DownloadAudience::ItemId)
                        .to(DownloadItems::Table, DownloadItems::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DownloadAudience::Table, DownloadAudience::MembershipId)
                        .to(Memberships::Table, Memberships::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_download_audience_membership",
            DownloadAudience::Table,
            &[DownloadAudience::MembershipId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(DownloadVersions::Table)
                .col(pk_uuid(DownloadVersions::Id))
                .col(uuid(DownloadVersions::ItemId))
                .col(string_len(DownloadVersions::Label, 64))
                .col(text(DownloadVersions::Notes))
                .col(uuid(DownloadVersions::FileId))
                .col(uuid_null(DownloadVersions::PublishedBy))
                .col(string_len(DownloadVersions::PublishedByName, 120))
                .col(timestamp_with_time_zone(DownloadVersions::PublishedAt))
                .col(timestamp_with_time_zone_null(DownloadVersions::WithdrawnAt))
                .col(text_null(DownloadVersions::WithdrawnReason))
                .foreign_key(
                    ForeignKey::create()
                        .from(DownloadVersions::Table, DownloadVersions::ItemId)
                        .to(DownloadItems::Table, DownloadItems::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(DownloadVersions::Table, DownloadVersions::FileId)
                        .to(StoredFiles::Table, StoredFiles::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "idx_download_versions_item_label",
                DownloadVersions::Table,
                &[DownloadVersions::ItemId, DownloadVersions::Label],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DownloadEvents::Table)
                .col(pk_uuid(DownloadEvents::Id))
                .col(uuid(DownloadEvents::ItemId))
                .col(uuid(DownloadEvents::VersionId))
                .col(uuid(DownloadEvents::UserId))
                .col(uuid_null(DownloadEvents::MembershipId))
                .col(timestamp_with_time_zone(DownloadEvents::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(DownloadEvents::Table, DownloadEvents::ItemId)
                        .to(DownloadItems::Table, DownloadItems::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_download_events_item",
            DownloadEvents::Table,
            &[DownloadEvents::ItemId, DownloadEvents::VersionId],
        ))
        .await?;
        m.create_index(index(
            "idx_download_events_user",
            DownloadEvents::Table,
            &[DownloadEvents::UserId, DownloadEvents::ItemId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(DownloadVisits::Table)
                .col(pk_uuid(DownloadVisits::UserId))
                .col(timestamp_with_time_zone(DownloadVisits::SeenAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Resources::Table)
                .col(pk_uuid(Resources::Id))
                .col(string_len_uniq(Resources::Slug, 120))
                .col(string_len(Resources::Name, 200))
                .col(text(Resources::Description))
                .col(string_len(Resources::Category, 80))
                .col(string_len(Resources::Url, 2000))
                .col(uuid_null(Resources::FileId))
                .col(string_len(Resources::FileVersion, 64))
                .col(date_null(Resources::VerifiedOn))
                .col(timestamp_with_time_zone(Resources::CreatedAt))
                .col(timestamp_with_time_zone(Resources::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Resources::Table, Resources::FileId)
                        .to(StoredFiles::Table, StoredFiles::Id),
                )
                .to_owned(),
        )
        .await
    }
}
