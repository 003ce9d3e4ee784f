//! Incidents: numbered per year, one membership each, with a timeline of events (comments,
//! internal notes, state changes…), attachments in the file store, followers, remote-connection
//! requests with the client's answer, and on-site visits.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Memberships {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum StoredFiles {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum IncidentCounters {
    Table,
    Year,
    Last,
}

#[derive(DeriveIden, Clone, Copy)]
enum Incidents {
    Table,
    Id,
    Number,
    MembershipId,
    Title,
    Description,
    System,
    Priority,
    State,
    Escalation,
    OpenedBy,
    OpenedByName,
    AssigneeId,
    CreatedAt,
    UpdatedAt,
    FirstResponseAt,
    FirstResponseDue,
    ResolutionDue,
    PausedMinutes,
    WaitingSince,
    ResolvedAt,
    ClosedAt,
    SolutionArticleId,
}

#[derive(DeriveIden, Clone, Copy)]
enum IncidentEvents {
    Table,
    Id,
    IncidentId,
    Kind,
    Internal,
    AuthorId,
    AuthorName,
    Body,
    Data,
    Ip,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum IncidentAttachments {
    Table,
    Id,
    IncidentId,
    EventId,
    FileId,
    ContentType,
    Internal,
    UploadedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum IncidentFollowers {
    Table,
    IncidentId,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
enum RemoteRequests {
    Table,
    Id,
    IncidentId,
    Purpose,
    Tool,
    Window,
    RequestedBy,
    RequestedByName,
    RequestedAt,
    State,
    AnsweredBy,
    AnsweredByName,
    AnsweredAt,
    AnsweredIp,
}

#[derive(DeriveIden, Clone, Copy)]
enum IncidentVisits {
    Table,
    Id,
    IncidentId,
    StartsAt,
    Technician,
    Address,
    Report,
    ReportedAt,
    CreatedByName,
    CreatedAt,
}

fn index<T: IntoIden + Copy + 'static>(name: &str, table: T, cols: &[T]) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    i.to_owned()
}

fn incident_fk<T: IntoIden + Copy + 'static>(table: T, col: T) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Incidents::Table, Incidents::Id)
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
                .table(IncidentCounters::Table)
                .col(integer(IncidentCounters::Year).primary_key())
                .col(big_integer(IncidentCounters::Last))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Incidents::Table)
                .col(pk_uuid(Incidents::Id))
                .col(string_len_uniq(Incidents::Number, 24))
                .col(uuid(Incidents::MembershipId))
                .col(string_len(Incidents::Title, 200))
                .col(text(Incidents::Description))
                .col(string_len(Incidents::System, 120))
                .col(string_len(Incidents::Priority, 8))
                .col(string_len(Incidents::State, 16))
                .col(string_len(Incidents::Escalation, 16))
                .col(uuid_null(Incidents::OpenedBy))
                .col(string_len(Incidents::OpenedByName, 120))
                .col(uuid_null(Incidents::AssigneeId))
                .col(timestamp_with_time_zone(Incidents::CreatedAt))
                .col(timestamp_with_time_zone(Incidents::UpdatedAt))
                .col(timestamp_with_time_zone_null(Incidents::FirstResponseAt))
                .col(timestamp_with_time_zone(Incidents::FirstResponseDue))
                .col(timestamp_with_time_zone(Incidents::ResolutionDue))
                .col(big_integer(Incidents::PausedMinutes))
                .col(timestamp_with_time_zone_null(Incidents::WaitingSince))
                .col(timestamp_with_time_zone_null(Incidents::ResolvedAt))
                .col(timestamp_with_time_zone_null(Incidents::ClosedAt))
                .col(uuid_null(Incidents::SolutionArticleId))
                .foreign_key(
                    ForeignKey::create()
                        .from(Incidents::Table, Incidents::MembershipId)
                        .to(Memberships::Table, Memberships::Id),
                )
                .to_owned(),
        )
        .await?;
        // A membership's list, newest activity first (keyset pages on updated_at, id).
        m.create_index(index(
            "idx_incidents_membership_updated",
            Incidents::Table,
            &[Incidents::MembershipId, Incidents::UpdatedAt, Incidents::Id],
        ))
        .await?;
        // The staff queue: open states by due time.
        m.create_index(index(
            "idx_incidents_state_due",
            Incidents::Table,
            &[Incidents::State, Incidents::ResolutionDue],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(IncidentEvents::Table)
                .col(pk_uuid(IncidentEvents::Id))
                .col(uuid(IncidentEvents::IncidentId))
                .col(string_len(IncidentEvents::Kind, 24))
                .col(boolean(IncidentEvents::Internal))
                .col(uuid_null(IncidentEvents::AuthorId))
                .col(string_len(IncidentEvents::AuthorName, 120))
                .col(text(IncidentEvents::Body))
                .col(text_null(IncidentEvents::Data))
                .col(string_len_null(IncidentEvents::Ip, 64))
                .col(timestamp_with_time_zone(IncidentEvents::CreatedAt))
                .foreign_key(&mut incident_fk(
                    IncidentEvents::Table,
                    IncidentEvents::IncidentId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_incident_events_incident",
            IncidentEvents::Table,
            &[IncidentEvents::IncidentId, IncidentEvents::CreatedAt],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(IncidentAttachments::Table)
                .col(pk_uuid(IncidentAttachments::Id))
                .col(uuid(IncidentAttachments::IncidentId))
                .col(uuid_null(IncidentAttachments::EventId))
                .col(uuid(IncidentAttachments::FileId))
                .col(string_len(IncidentAttachments::ContentType, 127))
                .col(boolean(IncidentAttachments::Internal))
                .col(uuid_null(IncidentAttachments::UploadedBy))
                .col(timestamp_with_time_zone(IncidentAttachments::CreatedAt))
                .foreign_key(&mut incident_fk(
                    IncidentAttachments::Table,
                    IncidentAttachments::IncidentId,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(IncidentAttachments::Table, IncidentAttachments::FileId)
                        .to(StoredFiles::Table, StoredFiles::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "idx_incident_attachments_incident",
            IncidentAttachments::Table,
            &[IncidentAttachments::IncidentId],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(IncidentFollowers::Table)
                .col(uuid(IncidentFollowers::IncidentId))
                .col(uuid(IncidentFollowers::UserId))
                .primary_key(
                    Index::create()
                        .col(IncidentFollowers::IncidentId)
                        .col(IncidentFollowers::UserId),
                )
                .foreign_key(&mut incident_fk(
                    IncidentFollowers::Table,
                    IncidentFollowers::IncidentId,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RemoteRequests::Table)
                .col(pk_uuid(RemoteRequests::Id))
                .col(uuid(RemoteRequests::IncidentId))
                .col(text(RemoteRequests::Purpose))
                .col(string_len(RemoteRequests::Tool, 120))
                .col(string_len(RemoteRequests::Window, 200))
                .col(uuid_null(RemoteRequests::RequestedBy))
                .col(string_len(RemoteRequests::RequestedByName, 120))
                .col(timestamp_with_time_zone(RemoteRequests::RequestedAt))
                .col(string_len(RemoteRequests::State, 16))
                .col(uuid_null(RemoteRequests::AnsweredBy))
                .col(string_len_null(RemoteRequests::AnsweredByName, 120))
                .col(timestamp_with_time_zone_null(RemoteRequests::AnsweredAt))
                .col(string_len_null(RemoteRequests::AnsweredIp, 64))
                .foreign_key(&mut incident_fk(
                    RemoteRequests::Table,
                    RemoteRequests::IncidentId,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(IncidentVisits::Table)
                .col(pk_uuid(IncidentVisits::Id))
                .col(uuid(IncidentVisits::IncidentId))
                .col(timestamp_with_time_zone(IncidentVisits::StartsAt))
                .col(string_len(IncidentVisits::Technician, 120))
                .col(text(IncidentVisits::Address))
                .col(text_null(IncidentVisits::Report))
                .col(timestamp_with_time_zone_null(IncidentVisits::ReportedAt))
                .col(string_len(IncidentVisits::CreatedByName, 120))
                .col(timestamp_with_time_zone(IncidentVisits::CreatedAt))
                .foreign_key(&mut incident_fk(
                    IncidentVisits::Table,
                    IncidentVisits::IncidentId,
                ))
                .to_owned(),
        )
        .await
    }
}
