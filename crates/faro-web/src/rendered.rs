//! What an article page computes that does not change from one read to the next: the sanitised
//! HTML of a revision or a comment (rendering and cleaning Markdown is costly, and neither ever
//! changes), whole pages cut at each reader's values while nothing is written (see `mold`)
//! and, for a short while, the ids of its related articles (a search per read otherwise).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use faro_core::{Lang, Role};
use faro_store::fresh::ReadCache;
use uuid::Uuid;

use crate::mold::{Marks, Mold};

/// How many rendered revisions are kept; past that the cache starts again (cheap and bounded).
const CAPACITY: usize = 2_000;

/// Related articles are re-computed after this long, so new articles show up.
const RELATED_FOR: std::time::Duration = std::time::Duration::from_secs(120);

type RelatedKey = (Uuid, Option<Uuid>);

/// An article page as one role of one membership sees it in one language.
pub type MoldKey = (Uuid, Lang, Role, Option<Uuid>);

pub struct RenderedArticles {
    html: faro_markdown::Rendered<(Uuid, i32)>,
    related: Mutex<HashMap<RelatedKey, (std::time::Instant, Vec<Uuid>)>>,
    /// Article pages rendered with marks for each reader's own values (see `mold`). Made of
    /// store reads, so filed under the store's epoch like them: any write retires them all.
    pub molds: ReadCache<MoldKey, Arc<Mold>>,
    pub marks: Marks,
}

impl Default for RenderedArticles {
    fn default() -> Self {
        Self {
            html: faro_markdown::Rendered::new(CAPACITY),
            related: Mutex::default(),
            molds: ReadCache::new(CAPACITY),
            marks: Marks::default(),
        }
    }
}

impl RenderedArticles {
    pub fn html(&self, id: Uuid, revision: i32, markdown: &str) -> Arc<str> {
        self.html.html((id, revision), markdown)
    }

    /// The sanitised HTML of a comment: its text never changes once posted.
    pub fn comment_html(&self, id: Uuid, markdown: &str) -> Arc<str> {
        self.html(id, COMMENT, markdown)
    }
}

/// The revision number comments are filed under (articles start at 1; ids never collide).
const COMMENT: i32 = 0;

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
