use sea_orm::entity::prelude::*;

/// An incident of one membership.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub membership_id: Uuid,
    pub title: String,
    pub description: String,
    pub system: String,
    pub priority: String,
    pub state: String,
    pub escalation: String,
    pub opened_by: Option<Uuid>,
    pub opened_by_name: String,
    pub assignee_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub first_response_at: Option<DateTimeUtc>,
    pub first_response_due: DateTimeUtc,
    pub resolution_due: DateTimeUtc,
    pub paused_minutes: i64,
    pub waiting_since: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub solution_article_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
