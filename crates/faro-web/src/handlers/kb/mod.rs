//! The knowledge base moved to the single-page app (`faro serve`); what stays here is the
//! header's search across everything (old article addresses are `handlers::portal`'s).

pub mod search;

use faro_core::kb::{ArticleKind, Category};
use faro_core::viewer::Scope;
use faro_core::{Catalog, Viewer};
use uuid::Uuid;

use crate::AppState;

/// A category with its depth in the tree, for indented lists and selects.
pub struct CategoryRow {
    pub slug: String,
    pub name: String,
    pub depth: usize,
}

impl CategoryRow {
    pub fn indent(&self) -> String {
        "\u{2003}".repeat(self.depth)
    }
}

/// The categories as a depth-first list (parents before their children).
pub fn category_rows(all: &[Category]) -> Vec<CategoryRow> {
    fn walk(all: &[Category], parent: Option<Uuid>, depth: usize, out: &mut Vec<CategoryRow>) {
        if depth > 8 {
            return;
        }
        for c in all.iter().filter(|c| c.parent_id == parent) {
            out.push(CategoryRow {
                slug: c.slug.clone(),
                name: c.name.clone(),
                depth,
            });
            walk(all, Some(c.id), depth + 1, out);
        }
    }
    let mut out = Vec::with_capacity(all.len());
    walk(all, None, 0, &mut out);
    out
}
pub fn kind_choices(t: &Catalog) -> Vec<(&'static str, &'static str)> {
    ArticleKind::ALL
        .iter()
        .map(|k| (k.as_str(), t.kinds(*k)))
        .collect()
}

/// The search scope of a viewer: staff search everything, client people their membership's
/// articles and the global ones.
pub fn search_scope(viewer: &Viewer) -> Option<faro_search::Scope> {
    match viewer.scope() {
        Scope::AllMemberships => Some(faro_search::Scope::All),
        Scope::Membership(m) => Some(faro_search::Scope::Membership(m)),
        Scope::Nothing => None,
    }
}

/// Brings this node's index up to date after a save, so the author finds the article at once.
pub async fn reindex_now(state: &AppState) {
    if let Err(e) = faro_jobs::index::sync(&state.store, &state.search).await {
        tracing::warn!(error = %e, "search index not updated; the background sync will retry");
    }
}
