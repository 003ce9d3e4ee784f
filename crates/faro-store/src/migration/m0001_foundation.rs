//! Memberships, people, sessions, single-use tokens, the mail outbox, the audit log, sign-in
//! failures and settings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    Name,
    TaxId,
    CoordinatorEmail,
    ContractState,
    Active,
    InvitationCode,
    CodeExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    Role,
    MembershipId,
    Language,
    Active,
    CreatedAt,
    LastSignInAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum Tokens {
    Table,
    Id,
    Purpose,
    UserId,
    MembershipId,
    Payload,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    ToAddress,
    Subject,
    TextBody,
    HtmlBody,
    Attachments,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    SentAt,
    LastError,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorId,
    ActorEmail,
    Action,
    Subject,
    MembershipId,
    Ip,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Email,
    Ip,
    At,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Memberships::Table)
                .col(pk_uuid(Memberships::Id))
                .col(string_len_uniq(Memberships::Name, 160))
                .col(string_len_null(Memberships::TaxId, 20))
                .col(string_len_null(Memberships::CoordinatorEmail, 254))
                .col(string_len(Memberships::ContractState, 16))
                .col(boolean(Memberships::Active))
                .col(string_len_uniq(Memberships::InvitationCode, 16))
                .col(timestamp_with_time_zone_null(Memberships::CodeExpiresAt))
                .col(timestamp_with_time_zone(Memberships::CreatedAt))
                .col(timestamp_with_time_zone(Memberships::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Users::Table)
                .col(pk_uuid(Users::Id))
                .col(string_len_uniq(Users::Email, 254))
                .col(string_len(Users::Name, 120))
                .col(string_null(Users::PasswordHash))
                .col(string_len(Users::Role, 16))
                .col(uuid_null(Users::MembershipId))
                .col(string_len(Users::Language, 8))
                .col(boolean(Users::Active))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone_null(Users::LastSignInAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Users::Table, Users::MembershipId)
                        .to(Memberships::Table, Memberships::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_users_membership")
                .table(Users::Table)
                .col(Users::MembershipId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string_len(Sessions::Id, 64).primary_key())
                .col(uuid(Sessions::UserId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .col(string_len_null(Sessions::Ip, 64))
                .col(string_len_null(Sessions::UserAgent, 256))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_user")
                .table(Sessions::Table)
                .col(Sessions::UserId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Tokens::Table)
                .col(string_len(Tokens::Id, 64).primary_key())
                .col(string_len(Tokens::Purpose, 32))
                .col(uuid_null(Tokens::UserId))
                .col(uuid_null(Tokens::MembershipId))
                .col(text_null(Tokens::Payload))
                .col(timestamp_with_time_zone(Tokens::CreatedAt))
                .col(timestamp_with_time_zone(Tokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(Tokens::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Tokens::Table, Tokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(pk_uuid(Outbox::Id))
                .col(string_len(Outbox::ToAddress, 254))
                .col(string(Outbox::Subject))
                .col(text(Outbox::TextBody))
                .col(text(Outbox::HtmlBody))
                .col(text_null(Outbox::Attachments))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(integer(Outbox::Attempts))
                .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Outbox::ClaimedUntil))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .col(text_null(Outbox::LastError))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_due")
                .table(Outbox::Table)
                .col(Outbox::SentAt)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEvents::Table)
                .col(pk_uuid(AuditEvents::Id))
                .col(timestamp_with_time_zone(AuditEvents::At))
                .col(uuid_null(AuditEvents::ActorId))
                .col(string_len_null(AuditEvents::ActorEmail, 254))
                .col(string_len(AuditEvents::Action, 48))
                .col(string(AuditEvents::Subject))
                .col(uuid_null(AuditEvents::MembershipId))
                .col(string_len_null(AuditEvents::Ip, 64))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_audit_at")
                .table(AuditEvents::Table)
                .col(AuditEvents::At)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginFailures::Table)
                .col(pk_uuid(LoginFailures::Id))
                .col(string_len(LoginFailures::Email, 254))
                .col(string_len(LoginFailures::Ip, 64))
                .col(timestamp_with_time_zone(LoginFailures::At))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_login_failures_email", LoginFailures::Email),
            ("idx_login_failures_ip", LoginFailures::Ip),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(LoginFailures::Table)
                    .col(col)
                    .col(LoginFailures::At)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(Settings::Table)
                .col(string_len(Settings::Key, 64).primary_key())
                .col(text(Settings::Value))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
