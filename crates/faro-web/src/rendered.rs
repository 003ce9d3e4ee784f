//! What an article page computes that does not change from one read to the next: the sanitised
//! HTML of a revision (rendering and cleaning Markdown is costly, and a revision never changes)
//! and, for a short while, the ids of its related articles (a search per read otherwise).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use uuid::Uuid;

/// How many rendered revisions are kept; past that the cache starts again (cheap and bounded).
const CAPACITY: usize = 2_000;

/// Related articles are re-computed after this long, so new articles show up.
const RELATED_FOR: std::time::Duration = std::time::Duration::from_secs(120);

type RelatedKey = (Uuid, Option<Uuid>);

#[derive(Default)]
pub struct RenderedArticles {
    html: Mutex<HashMap<(Uuid, i32), Arc<str>>>,
    related: Mutex<HashMap<RelatedKey, (std::time::Instant, Vec<Uuid>)>>,
}

impl RenderedArticles {
    pub fn html(&self, id: Uuid, revision: i32, markdown: &str) -> String {
        if let Ok(cache) = self.html.lock()
            && let Some(h) = cache.get(&(id, revision))
        {
            return h.to_string();
        }
        let html: Arc<str> = faro_markdown::to_html(markdown).into();
        if let Ok(mut cache) = self.html.lock() {
            if cache.len() >= CAPACITY {
                cache.clear();
            }
            cache.insert((id, revision), html.clone());
        }
        html.to_string()
    }
}

impl RenderedArticles {
    /// Related article ids for `article` as seen from `scope` (`None`: staff), if fresh.
    pub fn related(&self, article: Uuid, scope: Option<Uuid>) -> Option<Vec<Uuid>> {
        let cache = self.related.lock().ok()?;
        let (at, ids) = cache.get(&(article, scope))?;
        (at.elapsed() < RELATED_FOR).then(|| ids.clone())
    }

    pub fn remember_related(&self, article: Uuid, scope: Option<Uuid>, ids: Vec<Uuid>) {
        if let Ok(mut cache) = self.related.lock() {
            if cache.len() >= CAPACITY {
                cache.clear();
            }
            cache.insert((article, scope), (std::time::Instant::now(), ids));
        }
    }
}
