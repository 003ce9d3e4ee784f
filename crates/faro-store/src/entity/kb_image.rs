use sea_orm::entity::prelude::*;

/// An image uploaded into an article; readable by whoever may read the article.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kb_images")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub article_id: Uuid,
    pub content_type: String,
    pub file_name: String,
    /// Empty once the image lives in the file store (`file_id`).
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub file_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
