use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kb_articles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub kind: String,
    pub state: String,
    pub category_id: Option<Uuid>,
    /// `None`: a global article, for every client.
    pub membership_id: Option<Uuid>,
    /// Comma-separated, already normalised.
    pub tags: String,
    pub views: i64,
    pub revision: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    /// The note of the latest revision: what changed, for readers.
    pub last_change_note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
