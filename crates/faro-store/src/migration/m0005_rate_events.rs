//! A general log of rate-limited actions (reset links, join requests), counted per key in a time
//! window so every node applies the same limit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RateEvents {
    Table,
    Id,
    Kind,
    Key,
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
                .table(RateEvents::Table)
                .col(pk_uuid(RateEvents::Id))
                .col(string_len(RateEvents::Kind, 32))
                .col(string_len(RateEvents::Key, 254))
                .col(timestamp_with_time_zone(RateEvents::At))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_rate_events_kind_key_at")
                .table(RateEvents::Table)
                .col(RateEvents::Kind)
                .col(RateEvents::Key)
                .col(RateEvents::At)
                .to_owned(),
        )
        .await
    }
}
