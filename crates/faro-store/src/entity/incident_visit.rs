use sea_orm::entity::prelude::*;

/// An on-site visit scheduled for an incident, and its report.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incident_visits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub incident_id: Uuid,
    pub starts_at: DateTimeUtc,
    pub technician: String,
    pub address: String,
    pub report: Option<String>,
    pub reported_at: Option<DateTimeUtc>,
    pub created_by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
