//! Knowledge-base categories: one tree shared by every membership (articles carry the scope).

use faro_core::kb::{Category, Slug};
use faro_core::{Invalid, StoreError, StoreResult, Viewer};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::now;
use crate::entity::kb_category;
use crate::{Store, db_err};

pub(crate) fn category(m: kb_category::Model) -> Category {
    Category {
        id: m.id,
        parent_id: m.parent_id,
        slug: m.slug,
        name: m.name,
    }
}

/// The slugs of a category and all its ancestors, root first.
pub fn ancestry(all: &[Category], id: Uuid) -> Vec<&Category> {
    let mut chain = Vec::new();
    let mut next = Some(id);
    while let Some(id) = next {
        // A loop in the tree would be a bug; the length cap keeps it from hanging a request.
        match all.iter().find(|c| c.id == id) {
            Some(c) if chain.len() < 16 => {
                chain.push(c);
                next = c.parent_id;
            }
            _ => break,
        }
    }
    chain.reverse();
    chain
}

impl Store {
    pub async fn categories(&self) -> StoreResult<Vec<Category>> {
        Ok(kb_category::Entity::find()
            .order_by_asc(kb_category::Column::Position)
            .order_by_asc(kb_category::Column::Name)
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(category)
            .collect())
    }

    /// Staff create a category, optionally under a parent.
    pub async fn create_category(
        &self,
        viewer: &Viewer,
        name: &str,
        parent_id: Option<Uuid>,
    ) -> StoreResult<Category> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let name = name.trim();
        if !(2..=120).contains(&name.chars().count()) || name.chars().any(char::is_control) {
            return Err(Invalid::Category.into());
        }
        let base = Slug::from_title(name).map_err(|_| StoreError::Invalid(Invalid::Category))?;
        let tx = self.write_tx().await?;
        if let Some(p) = parent_id
            && kb_category::Entity::find_by_id(p)
                .one(&tx)
                .await
                .map_err(db_err)?
                .is_none()
        {
            return Err(Invalid::Category.into());
        }
        let mut slug = base.clone();
        let mut n = 2;
        while kb_category::Entity::find()
            .filter(kb_category::Column::Slug.eq(slug.as_str()))
            .count(&tx)
            .await
            .map_err(db_err)?
            > 0
        {
            slug = base.numbered(n);
            n += 1;
        }
        let position = kb_category::Entity::find()
            .count(&tx)
            .await
            .map_err(db_err)? as i32;
        let row = kb_category::ActiveModel {
            id: Set(Uuid::now_v7()),
            parent_id: Set(parent_id),
            slug: Set(slug.as_str().to_owned()),
            name: Set(name.to_owned()),
            position: Set(position),
            created_at: Set(now()),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        self.commit(tx).await?;
        Ok(category(row))
    }
}
