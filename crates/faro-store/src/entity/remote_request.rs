use sea_orm::entity::prelude::*;

/// Staff asking a membership to authorise a remote connection, and the answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "remote_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub incident_id: Uuid,
    pub purpose: String,
    pub tool: String,
    pub window: String,
    pub requested_by: Option<Uuid>,
    pub requested_by_name: String,
    pub requested_at: DateTimeUtc,
    pub state: String,
    pub answered_by: Option<Uuid>,
    pub answered_by_name: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
