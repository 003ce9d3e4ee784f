//! Knowledge-base categories: one tree shared by every membership (articles carry the scope).

use diesel::prelude::*;
use faro_core::kb::{Category, Slug};
use faro_core::{Invalid, StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::now;
use crate::Store;
use crate::db::rows::KbCategoryRow;
use crate::db::schema::kb_categories;
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};

pub(crate) fn category(m: KbCategoryRow) -> Category {
    Category {
        id: m.id.0,
        parent_id: m.parent_id.map(Into::into),
        slug: m.slug,
        name: m.name,
    }
}

/// Every category, in no particular order (for turning rows into records).
pub(crate) fn all_categories(conn: &mut DbConn) -> StoreResult<Vec<Category>> {
    Ok(kb_categories::table
        .load::<KbCategoryRow>(conn)
        .map_err(db_err)?
        .into_iter()
        .map(category)
        .collect())
}

/// Whether a category with this id exists.
pub(crate) fn category_exists(conn: &mut DbConn, id: Uuid) -> StoreResult<bool> {
    let n: i64 = kb_categories::table
        .filter(kb_categories::id.eq(Key(id)))
        .count()
        .get_result(conn)
        .map_err(db_err)?;
    Ok(n > 0)
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

/// A category and all categories under it.
pub fn with_descendants(all: &[Category], id: Uuid) -> Vec<Uuid> {
    let mut ids = vec![id];
    let mut i = 0;
    while i < ids.len() && ids.len() <= all.len() {
        let parent = ids[i];
        ids.extend(
            all.iter()
                .filter(|c| c.parent_id == Some(parent))
                .map(|c| c.id),
        );
        i += 1;
    }
    ids
}

impl Store {
    pub async fn categories(&self) -> StoreResult<Vec<Category>> {
        self.run(|c| {
            Ok(kb_categories::table
                .order((kb_categories::position.asc(), kb_categories::name.asc()))
                .load::<KbCategoryRow>(c)
                .map_err(db_err)?
                .into_iter()
                .map(category)
                .collect())
        })
        .await
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
        let name = name.trim().to_owned();
        if !(2..=120).contains(&name.chars().count()) || name.chars().any(char::is_control) {
            return Err(Invalid::Category.into());
        }
        let base = Slug::from_title(&name).map_err(|_| StoreError::Invalid(Invalid::Category))?;
        self.write(move |c| {
            if let Some(p) = parent_id
                && !category_exists(c, p)?
            {
                return Err(Invalid::Category.into());
            }
            let slug = super::free_slug(c, &base, |c, s| {
                kb_categories::table
                    .filter(kb_categories::slug.eq(s))
                    .count()
                    .get_result(c)
            })?;
            let position: i64 = kb_categories::table.count().get_result(c).map_err(db_err)?;
            let row = KbCategoryRow {
                id: Key(Uuid::now_v7()),
                parent_id: parent_id.map(Key),
                slug: slug.as_str().to_owned(),
                name,
                position: position as i32,
                created_at: Moment(now()),
            };
            diesel::insert_into(kb_categories::table)
                .values(&row)
                .execute(c)
                .map_err(db_err)?;
            Ok(category(row))
        })
        .await
    }
}
