//! The reads behind every article page, answered from memory while nothing has been written
//! (see `fresh`): the session's owner, the article, its related links, its comments and the
//! reader's own feedback. Keys carry the viewer's scope, so one membership's answer is never
//! another's.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use faro_core::kb::{Article, Comment};
use faro_core::viewer::Scope;
use faro_core::{StoreResult, Viewer};
use uuid::Uuid;

use super::now;
use crate::Store;
use crate::fresh::ReadCache;
use crate::repo::api_access::Principal;
use crate::repo::login::SessionOwner;
use faro_core::access::ApiKey;

/// Slug and title of each readable article among some ids, in their order.
type Links = Vec<(String, String)>;

pub(crate) struct Caches {
    sessions: ReadCache<String, (SessionOwner, DateTime<Utc>)>,
    principals: ReadCache<Uuid, Option<Arc<Principal>>>,
    memberships: ReadCache<Uuid, faro_core::records::Membership>,
    api_keys: ReadCache<String, (ApiKey, Arc<Principal>, DateTime<Utc>)>,
    articles: ReadCache<(String, Scope), Arc<Article>>,
    links: ReadCache<(Scope, Vec<Uuid>), Links>,
    comments: ReadCache<(Uuid, Scope), Vec<Comment>>,
    feedback: ReadCache<(Uuid, Uuid), Option<bool>>,
}

impl Default for Caches {
    fn default() -> Self {
        Self {
            sessions: ReadCache::new(20_000),
            principals: ReadCache::new(20_000),
            memberships: ReadCache::new(5_000),
            api_keys: ReadCache::new(5_000),
            articles: ReadCache::new(5_000),
            links: ReadCache::new(5_000),
            comments: ReadCache::new(5_000),
            feedback: ReadCache::new(20_000),
        }
    }
}

impl Store {
    /// The person behind a session cookie (by the digest of its token), if the session is open
    /// and the person and their membership are active.
    pub async fn session_owner(&self, session_digest: &str) -> StoreResult<Option<SessionOwner>> {
        let c = &self.caches.sessions;
        let key = session_digest.to_owned();
        if let Some((owner, holds_until)) = c.get(&self.fresh, &key)
            && now() < holds_until
        {
            return Ok(Some(owner));
        }
        let read_at = self.fresh.epoch();
        let Some(found) = self.session_owner_from_db(session_digest).await? else {
            return Ok(None);
        };
        let owner = found.0.clone();
        c.put(&self.fresh, read_at, key, found);
        Ok(Some(owner))
    }

    /// The active person behind an access token (and their membership, if active): read on
    /// every API request, answered from memory until the next write anywhere.
    pub async fn principal(&self, user_id: Uuid) -> StoreResult<Option<Arc<Principal>>> {
        let c = &self.caches.principals;
        if let Some(found) = c.get(&self.fresh, &user_id) {
            return Ok(found);
        }
        let read_at = self.fresh.epoch();
        let found = self.principal_from_db(user_id).await?.map(Arc::new);
        c.put(&self.fresh, read_at, user_id, found.clone());
        Ok(found)
    }

    /// A membership by id, whoever asks (callers check the scope first).
    pub(crate) async fn cached_membership(
        &self,
        id: Uuid,
    ) -> StoreResult<faro_core::records::Membership> {
        self.caches
            .memberships
            .get_or_read(&self.fresh, id, self.membership_from_db(id))
            .await
    }

    /// The usable API key whose secret hashes to `digest`, with its active owner; `ip` is
    /// recorded as where it was last used.
    pub async fn api_key_owner(
        &self,
        digest: &str,
        ip: Option<String>,
    ) -> StoreResult<Option<(ApiKey, Arc<Principal>)>> {
        let c = &self.caches.api_keys;
        let key = digest.to_owned();
        if let Some((k, p, holds_until)) = c.get(&self.fresh, &key)
            && now() < holds_until
        {
            return Ok(Some((k, p)));
        }
        let read_at = self.fresh.epoch();
        let Some((k, p, holds_until)) = self.api_key_owner_from_db(digest, ip).await? else {
            return Ok(None);
        };
        let found = (k, Arc::new(p), holds_until);
        let answer = (found.0.clone(), found.1.clone());
        c.put(&self.fresh, read_at, key, found);
        Ok(Some(answer))
    }

    /// The article at `slug`, if `viewer` may read it.
    pub async fn article_by_slug(&self, viewer: &Viewer, slug: &str) -> StoreResult<Article> {
        Ok(Arc::unwrap_or_clone(
            self.shared_article(viewer, slug).await?,
        ))
    }

    /// The same, shared with the cache rather than copied (the article page's path).
    pub async fn shared_article(&self, viewer: &Viewer, slug: &str) -> StoreResult<Arc<Article>> {
        let read = async { Ok(Arc::new(self.article_by_slug_from_db(viewer, slug).await?)) };
        let key = (slug.to_owned(), viewer.scope());
        self.caches
            .articles
            .get_or_read(&self.fresh, key, read)
            .await
    }

    /// Slug and title of the published articles among `ids` that `viewer` may read, in order.
    pub async fn article_links(&self, viewer: &Viewer, ids: &[Uuid]) -> StoreResult<Links> {
        let read = self.article_links_from_db(viewer, ids);
        let key = (viewer.scope(), ids.to_vec());
        self.caches.links.get_or_read(&self.fresh, key, read).await
    }

    /// The comments on an article `viewer` may read, oldest first; hidden ones for staff only.
    pub async fn comments(&self, viewer: &Viewer, article_id: Uuid) -> StoreResult<Vec<Comment>> {
        let read = self.comments_from_db(viewer, article_id);
        let key = (article_id, viewer.scope());
        self.caches
            .comments
            .get_or_read(&self.fresh, key, read)
            .await
    }

    /// This person's answer to "was it helpful?" on an article, if any.
    pub async fn my_feedback(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
    ) -> StoreResult<Option<bool>> {
        let read = self.my_feedback_from_db(viewer, article_id);
        let key = (viewer.user_id, article_id);
        self.caches
            .feedback
            .get_or_read(&self.fresh, key, read)
            .await
    }
}
