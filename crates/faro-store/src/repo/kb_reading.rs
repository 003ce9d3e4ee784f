//! What readers do with an article: comment, say whether it helped, see its images, e-mail it.
//! Every call first checks that the viewer may read the article (another membership's is
//! `NotFound`).

use chrono::TimeDelta;
use diesel::prelude::*;
use faro_core::kb::{Comment, FeedbackRow, FeedbackSummary, Image, ImageBytes, MAX_IMAGE_BYTES};
use faro_core::records::{OutgoingMail, Person};
use faro_core::{Conflict, Invalid, Role, StoreError, StoreResult, Viewer};
use uuid::Uuid;

use super::files::{files_by_ids, make_ready};
use super::kb_articles::scoped;
use super::{clean, now, outbox};
use crate::db::rows::{
    KbArticleRow, KbCommentRow, KbFeedbackRow, KbImageRow, KbRevisionRow, KbShareRow, UserRow,
};
use crate::db::schema::{
    kb_articles, kb_comments, kb_feedback, kb_images, kb_revisions, kb_shares, users,
};
use crate::db::types::{Key, Moment};
use crate::db::{DbConn, db_err};
use crate::{Store, convert};

/// Articles one person may e-mail per hour.
pub const SHARES_PER_HOUR: u64 = 10;

/// The article, if `viewer` may read it; otherwise `NotFound`.
fn readable(conn: &mut DbConn, viewer: &Viewer, article_id: Uuid) -> StoreResult<KbArticleRow> {
    scoped(kb_articles::table.into_boxed(), viewer.scope())
        .ok_or(StoreError::NotFound)?
        .filter(kb_articles::id.eq(Key(article_id)))
        .first(conn)
        .optional()
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

fn to_images(conn: &mut DbConn, rows: Vec<KbImageRow>) -> StoreResult<Vec<Image>> {
    let files = files_by_ids(
        conn,
        rows.iter()
            .filter_map(|r| r.file_id.map(Uuid::from))
            .collect(),
    )?;
    Ok(rows
        .into_iter()
        .map(|i| Image {
            id: i.id.0,
            content_type: i.content_type,
            sha256: i.sha256,
            stored: match i.file_id.and_then(|f| files.iter().find(|x| x.id == f.0)) {
                Some(f) => ImageBytes::InFileStore(f.clone()),
                None => ImageBytes::InDatabase(i.bytes),
            },
        })
        .collect())
}

fn comment(c: KbCommentRow) -> Comment {
    Comment {
        id: c.id.0,
        author_id: c.author_id.map(Into::into),
        author_name: c.author_name,
        body: c.body,
        hidden: c.hidden,
        created_at: c.created_at.0,
    }
}

impl Store {
    /// Comments on an article, oldest first. Hidden ones only for staff; a client's people see
    /// only their membership's and the staff's.
    pub(crate) async fn comments_from_db(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
    ) -> StoreResult<Vec<Comment>> {
        let viewer = viewer.clone();
        self.run(move |c| {
            readable(c, &viewer, article_id)?;
            let mut q = kb_comments::table
                .filter(kb_comments::article_id.eq(Key(article_id)))
                .order(kb_comments::created_at.asc())
                .into_boxed();
            if !viewer.is_staff() {
                q = q.filter(kb_comments::hidden.eq(false));
            }
            let mut rows = q.load::<KbCommentRow>(c).map_err(db_err)?;
            // A client's people see their own company's comments and the staff's, never
            // another client's (a global article is read by every client).
            if !viewer.is_staff() {
                let authors: Vec<Key> = rows.iter().filter_map(|r| r.author_id).collect();
                let outsiders: Vec<Key> = users::table
                    .filter(users::id.eq_any(authors))
                    .filter(users::membership_id.is_not_null())
                    .select((users::id, users::membership_id))
                    .load::<(Key, Option<Key>)>(c)
                    .map_err(db_err)?
                    .into_iter()
                    .filter(|(_, m)| m.map(Uuid::from) != viewer.membership_id)
                    .map(|(id, _)| id)
                    .collect();
                rows.retain(|r| r.author_id.is_none_or(|a| !outsiders.contains(&a)));
            }
            Ok(rows.into_iter().map(comment).collect())
        })
        .await
    }

    /// Adds a comment and, in the same transaction, queues the notices `notify` renders for the
    /// article's author and the support staff (never for the commenter).
    pub async fn add_comment(
        &self,
        viewer: &Viewer,
        author_name: &str,
        article_id: Uuid,
        body: &str,
        notify: impl FnOnce(
            &kb_article_info::ArticleInfo,
            &[Person],
        ) -> Result<Vec<OutgoingMail>, String>
        + Send
        + 'static,
    ) -> StoreResult<Comment> {
        let body = faro_core::kb::parse_comment(body)?;
        let viewer = viewer.clone();
        let author_name = clean(author_name, 120);
        self.write(move |c| {
            let article = readable(c, &viewer, article_id)?;
            let row = KbCommentRow {
                id: Key(Uuid::now_v7()),
                article_id: Key(article_id),
                author_id: Some(viewer.user_id).filter(|id| !id.is_nil()).map(Key),
                author_name,
                body,
                hidden: false,
                created_at: Moment(now()),
            };
            diesel::insert_into(kb_comments::table)
                .values(&row)
                .execute(c)
                .map_err(db_err)?;
            let first_author: Option<Uuid> = kb_revisions::table
                .filter(kb_revisions::article_id.eq(Key(article_id)))
                .order(kb_revisions::number.asc())
                .first::<KbRevisionRow>(c)
                .optional()
                .map_err(db_err)?
                .and_then(|r| r.author_id.map(Into::into));
            let staff: Vec<UserRow> = users::table
                .filter(users::active.eq(true))
                .filter(users::role.eq_any([Role::Admin.as_str(), Role::Agent.as_str()]))
                .load(c)
                .map_err(db_err)?;
            let mut recipients: Vec<Person> = Vec::new();
            for u in staff {
                if u.id.0 != viewer.user_id {
                    recipients.push(convert::person(u)?);
                }
            }
            if let Some(author) = first_author
                .filter(|a| *a != viewer.user_id && !recipients.iter().any(|r| r.id == *a))
                && let Some(u) = users::table
                    .find(Key(author))
                    .first::<UserRow>(c)
                    .optional()
                    .map_err(db_err)?
                    .filter(|u| u.active)
            {
                recipients.push(convert::person(u)?);
            }
            let info = kb_article_info::ArticleInfo {
                slug: article.slug,
                title: article.title,
            };
            for mail in notify(&info, &recipients).map_err(StoreError::Other)? {
                outbox::enqueue(c, &mail)?;
            }
            Ok(comment(row))
        })
        .await
    }

    /// Staff hide (or show again) a comment; returns the article's slug.
    pub async fn set_comment_hidden(
        &self,
        viewer: &Viewer,
        comment_id: Uuid,
        hidden: bool,
    ) -> StoreResult<String> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let viewer = viewer.clone();
        self.write(move |c| {
            let found: KbCommentRow = kb_comments::table
                .find(Key(comment_id))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            let article = readable(c, &viewer, found.article_id.0)?;
            diesel::update(kb_comments::table.find(Key(comment_id)))
                .set(kb_comments::hidden.eq(hidden))
                .execute(c)
                .map_err(db_err)?;
            Ok(article.slug)
        })
        .await
    }

    /// Records (or replaces) this person's answer to "was it helpful?".
    pub async fn record_feedback(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
        helpful: bool,
        remark: &str,
    ) -> StoreResult<()> {
        let remark = clean(remark.trim(), 1000);
        let viewer = viewer.clone();
        self.write(move |c| {
            readable(c, &viewer, article_id)?;
            diesel::delete(
                kb_feedback::table
                    .filter(kb_feedback::article_id.eq(Key(article_id)))
                    .filter(kb_feedback::user_id.eq(Key(viewer.user_id))),
            )
            .execute(c)
            .map_err(db_err)?;
            diesel::insert_into(kb_feedback::table)
                .values(KbFeedbackRow {
                    id: Key(Uuid::now_v7()),
                    article_id: Key(article_id),
                    user_id: Key(viewer.user_id),
                    helpful,
                    remark,
                    created_at: Moment(now()),
                })
                .execute(c)
                .map_err(db_err)?;
            Ok(())
        })
        .await
    }

    /// This person's current answer, if any.
    pub(crate) async fn my_feedback_from_db(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
    ) -> StoreResult<Option<bool>> {
        let user_id = viewer.user_id;
        self.run(move |c| {
            kb_feedback::table
                .filter(kb_feedback::article_id.eq(Key(article_id)))
                .filter(kb_feedback::user_id.eq(Key(user_id)))
                .select(kb_feedback::helpful)
                .first::<bool>(c)
                .optional()
                .map_err(db_err)
        })
        .await
    }

    /// Counts and remarks for one article. Staff only.
    pub async fn feedback_summary(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
    ) -> StoreResult<FeedbackSummary> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        let rows: Vec<KbFeedbackRow> = self
            .run(move |c| {
                kb_feedback::table
                    .filter(kb_feedback::article_id.eq(Key(article_id)))
                    .order(kb_feedback::created_at.desc())
                    .load(c)
                    .map_err(db_err)
            })
            .await?;
        let mut s = FeedbackSummary::default();
        for r in rows {
            if r.helpful {
                s.helpful += 1;
            } else {
                s.not_helpful += 1;
            }
            if !r.remark.is_empty() {
                s.remarks.push((r.helpful, r.remark, r.created_at.0));
            }
        }
        Ok(s)
    }

    /// Articles with the most "not helpful" answers relative to all answers. Staff only.
    pub async fn least_helpful(
        &self,
        viewer: &Viewer,
        limit: usize,
    ) -> StoreResult<Vec<FeedbackRow>> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        self.run(move |c| {
            let counts: Vec<(Key, bool, i64)> = kb_feedback::table
                .group_by((kb_feedback::article_id, kb_feedback::helpful))
                .select((
                    kb_feedback::article_id,
                    kb_feedback::helpful,
                    diesel::dsl::count(kb_feedback::id),
                ))
                .load(c)
                .map_err(db_err)?;
            let mut per: Vec<(Uuid, u64, u64)> = Vec::new();
            for (id, helpful, n) in counts {
                let (id, n) = (id.0, n.max(0) as u64);
                match per.iter_mut().find(|(a, _, _)| *a == id) {
                    Some(e) => {
                        if helpful {
                            e.1 += n
                        } else {
                            e.2 += n
                        }
                    }
                    None => per.push(if helpful { (id, n, 0) } else { (id, 0, n) }),
                }
            }
            per.retain(|(_, _, no)| *no > 0);
            // Most unhelpful share first; more answers break ties.
            per.sort_by(|a, b| {
                let ra = a.2 as f64 / (a.1 + a.2) as f64;
                let rb = b.2 as f64 / (b.1 + b.2) as f64;
                rb.total_cmp(&ra).then((b.1 + b.2).cmp(&(a.1 + a.2)))
            });
            per.truncate(limit);
            if per.is_empty() {
                return Ok(Vec::new());
            }
            let articles: Vec<(Key, String, String)> = kb_articles::table
                .filter(kb_articles::id.eq_any(per.iter().map(|p| Key(p.0))))
                .select((kb_articles::id, kb_articles::slug, kb_articles::title))
                .load(c)
                .map_err(db_err)?;
            Ok(per
                .into_iter()
                .filter_map(|(id, yes, no)| {
                    articles.iter().find(|a| a.0.0 == id).map(|a| FeedbackRow {
                        slug: a.1.clone(),
                        title: a.2.clone(),
                        helpful: yes,
                        not_helpful: no,
                    })
                })
                .collect())
        })
        .await
    }

    /// Records an image uploaded into an article; its bytes were streamed into the file store
    /// under `file` (pending), recognised by the caller as `content_type`.
    pub async fn add_article_image(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
        file_name: &str,
        content_type: &str,
        file: &super::resources::NewFile,
    ) -> StoreResult<Uuid> {
        if !viewer.is_staff() {
            return Err(StoreError::NotFound);
        }
        if file.size > MAX_IMAGE_BYTES as u64 || !content_type.starts_with("image/") {
            return Err(Invalid::Image.into());
        }
        let viewer = viewer.clone();
        let (file_id, size, sha256) = (file.file_id, file.size, file.sha256.clone());
        let row = KbImageRow {
            id: Key(Uuid::now_v7()),
            article_id: Key(article_id),
            content_type: content_type.to_owned(),
            file_name: clean(file_name, 200),
            bytes: Vec::new(),
            sha256: sha256.clone(),
            file_id: Some(Key(file_id)),
            created_at: Moment(now()),
        };
        self.write(move |c| {
            readable(c, &viewer, article_id)?;
            make_ready(c, file_id, size, &sha256)?;
            diesel::insert_into(kb_images::table)
                .values(&row)
                .execute(c)
                .map_err(db_err)?;
            Ok(row.id.0)
        })
        .await
    }

    /// An image, if its article is readable by `viewer`.
    pub async fn article_image(&self, viewer: &Viewer, image_id: Uuid) -> StoreResult<Image> {
        let viewer = viewer.clone();
        self.run(move |c| {
            let img: KbImageRow = kb_images::table
                .find(Key(image_id))
                .first(c)
                .optional()
                .map_err(db_err)?
                .ok_or(StoreError::NotFound)?;
            readable(c, &viewer, img.article_id.0)?;
            to_images(c, vec![img])?.pop().ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Every image of an article (for its PDF).
    pub async fn article_images(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
    ) -> StoreResult<Vec<Image>> {
        let viewer = viewer.clone();
        self.run(move |c| {
            readable(c, &viewer, article_id)?;
            let rows: Vec<KbImageRow> = kb_images::table
                .filter(kb_images::article_id.eq(Key(article_id)))
                .load(c)
                .map_err(db_err)?;
            to_images(c, rows)
        })
        .await
    }

    /// Images still holding their bytes in the database (uploaded before the file store):
    /// id, file name and bytes, a few at a time.
    pub async fn images_in_database(
        &self,
        limit: u64,
    ) -> StoreResult<Vec<(Uuid, String, Vec<u8>)>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(move |c| {
            let rows: Vec<(Key, String, Vec<u8>)> = kb_images::table
                .filter(kb_images::file_id.is_null())
                .select((kb_images::id, kb_images::file_name, kb_images::bytes))
                .limit(limit)
                .load(c)
                .map_err(db_err)?;
            Ok(rows.into_iter().map(|(k, n, b)| (k.0, n, b)).collect())
        })
        .await
    }

    /// Points an image at its copy in the file store and drops the bytes from the database.
    /// `false` when another node moved it first (the copy is then the caller's to remove).
    pub async fn image_moved(
        &self,
        image_id: Uuid,
        file: &super::resources::NewFile,
    ) -> StoreResult<bool> {
        let (file_id, size, sha256) = (file.file_id, file.size, file.sha256.clone());
        self.write(move |c| {
            // The claim on the image first: when another node moved it, nothing is written and
            // the file row stays pending for the caller to discard.
            let done = diesel::update(
                kb_images::table
                    .filter(kb_images::id.eq(Key(image_id)))
                    .filter(kb_images::file_id.is_null()),
            )
            .set((
                kb_images::file_id.eq(Key(file_id)),
                kb_images::bytes.eq(Vec::<u8>::new()),
            ))
            .execute(c)
            .map_err(db_err)?;
            if done == 0 {
                return Ok(false);
            }
            // Fails (rolling the image back) when the file is not pending.
            make_ready(c, file_id, size, &sha256)?;
            Ok(true)
        })
        .await
    }

    /// Queues an article e-mailed by `viewer`, at most `SHARES_PER_HOUR` an hour per person.
    pub async fn share_article(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
        mail: &OutgoingMail,
    ) -> StoreResult<()> {
        let viewer = viewer.clone();
        let mail = mail.clone();
        self.write(move |c| {
            readable(c, &viewer, article_id)?;
            let recent: i64 = kb_shares::table
                .filter(kb_shares::user_id.eq(Key(viewer.user_id)))
                .filter(kb_shares::created_at.gt(Moment(now() - TimeDelta::hours(1))))
                .count()
                .get_result(c)
                .map_err(db_err)?;
            if recent.max(0) as u64 >= SHARES_PER_HOUR {
                return Err(StoreError::Conflict(Conflict::RateLimited));
            }
            diesel::insert_into(kb_shares::table)
                .values(KbShareRow {
                    id: Key(Uuid::now_v7()),
                    article_id: Key(article_id),
                    user_id: Key(viewer.user_id),
                    to_address: clean(&mail.to, 254),
                    created_at: Moment(now()),
                })
                .execute(c)
                .map_err(db_err)?;
            outbox::enqueue(c, &mail)?;
            Ok(())
        })
        .await
    }
}

/// The little an e-mail about an article needs.
pub mod kb_article_info {
    pub struct ArticleInfo {
        pub slug: String,
        pub title: String,
    }
}
