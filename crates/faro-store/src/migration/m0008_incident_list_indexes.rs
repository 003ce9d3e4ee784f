//! Indexes for the incident lists at a million rows: "opened by me" within a membership,
//! "assigned to me" in the staff queue by due time, and the staff's list of every incident by
//! latest activity.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Incidents {
    Table,
    MembershipId,
    OpenedBy,
    UpdatedAt,
    AssigneeId,
    State,
    ResolutionDue,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_incidents_membership_opener")
                .table(Incidents::Table)
                .col(Incidents::MembershipId)
                .col(Incidents::OpenedBy)
                .col(Incidents::UpdatedAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_incidents_assignee_due")
                .table(Incidents::Table)
                .col(Incidents::AssigneeId)
                .col(Incidents::State)
                .col(Incidents::ResolutionDue)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_incidents_updated")
                .table(Incidents::Table)
                .col(Incidents::UpdatedAt)
                .col(Incidents::Id)
                .to_owned(),
        )
        .await
    }
}
