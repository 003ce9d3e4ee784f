use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kb_revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub article_id: Uuid,
    pub number: i32,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: String,
    pub state: String,
    pub category_id: Option<Uuid>,
    pub membership_id: Option<Uuid>,
    pub tags: String,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub note: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
