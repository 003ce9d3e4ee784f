use sea_orm::entity::prelude::*;

/// One row per change of an article, a download item or a resource: the ordered change log
/// every node's search index follows (`article_id` holds whichever id changed).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "search_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub article_id: Uuid,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
