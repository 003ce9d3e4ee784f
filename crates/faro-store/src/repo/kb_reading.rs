//! What readers do with an article: comment, say whether it helped, see its images, e-mail it.
//! Every call first checks that the viewer may read the article (another membership's is
//! `NotFound`).

use chrono::TimeDelta;
use faro_core::kb::{Comment, FeedbackRow, FeedbackSummary, Image, ImageBytes, MAX_IMAGE_BYTES};
use faro_core::records::{OutgoingMail, Person};
use faro_core::{Conflict, Invalid, Role, StoreError, StoreResult, Viewer};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::kb_articles::visible;
use super::legacy::enqueue_mail;
use super::{clean, now};
use crate::entity::{kb_article, kb_comment, kb_feedback, kb_image, kb_revision, kb_share, user};
use crate::{Store, convert, db_err};

/// Articles one person may e-mail per hour.
pub const SHARES_PER_HOUR: u64 = 10;

async fn readable(
    conn: &impl ConnectionTrait,
    viewer: &Viewer,
    article_id: Uuid,
) -> StoreResult<kb_article::Model> {
    let scope = visible(viewer).ok_or(StoreError::NotFound)?;
    kb_article::Entity::find_by_id(article_id)
        .filter(scope)
        .one(conn)
        .await
        .map_err(db_err)?
        .ok_or(StoreError::NotFound)
}

async fn to_images(
    conn: &impl ConnectionTrait,
    rows: Vec<kb_image::Model>,
) -> StoreResult<Vec<Image>> {
    let files =
        super::legacy::files_by_ids(conn, rows.iter().filter_map(|r| r.file_id).collect()).await?;
    Ok(rows
        .into_iter()
        .map(|i| Image {
            id: i.id,
            content_type: i.content_type,
            sha256: i.sha256,
            stored: match i.file_id.and_then(|f| files.iter().find(|x| x.id == f)) {
                Some(f) => ImageBytes::InFileStore(f.clone()),
                None => ImageBytes::InDatabase(i.bytes),
            },
        })
        .collect())
}

fn comment(c: kb_comment::Model) -> Comment {
    Comment {
        id: c.id,
        author_id: c.author_id,
        author_name: c.author_name,
        body: c.body,
        hidden: c.hidden,
        created_at: c.created_at,
    }
}

impl Store {
    /// Comments on an article, oldest first. Hidden ones only for staff.
    pub(crate) async fn comments_from_db(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
    ) -> StoreResult<Vec<Comment>> {
        readable(self.conn(), viewer, article_id).await?;
        let mut q = kb_comment::Entity::find()
            .filter(kb_comment::Column::ArticleId.eq(article_id))
            .order_by_asc(kb_comment::Column::CreatedAt);
        if !viewer.is_staff() {
            q = q.filter(kb_comment::Column::Hidden.eq(false));
        }
        Ok(q.all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(comment)
            .collect())
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
        + Send,
    ) -> StoreResult<Comment> {
        let body = faro_core::kb::parse_comment(body)?;
        let tx = self.write_tx().await?;
        let article = readable(&tx, viewer, article_id).await?;
        let row = kb_comment::ActiveModel {
            id: Set(Uuid::now_v7()),
            article_id: Set(article_id),
            author_id: Set(Some(viewer.user_id).filter(|id| !id.is_nil())),
            author_name: Set(clean(author_name, 120)),
            body: Set(body),
            hidden: Set(false),
            created_at: Set(now()),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        let first_author = kb_revision::Entity::find()
            .filter(kb_revision::Column::ArticleId.eq(article_id))
            .order_by_asc(kb_revision::Column::Number)
            .one(&tx)
            .await
            .map_err(db_err)?
            .and_then(|r| r.author_id);
        let staff = user::Entity::find()
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::Role.is_in([Role::Admin.as_str(), Role::Agent.as_str()]))
            .all(&tx)
            .await
            .map_err(db_err)?;
        let mut recipients: Vec<Person> = Vec::new();
        for u in staff {
            if u.id != viewer.user_id {
                recipients.push(convert::person_model(u)?);
            }
        }
        if let Some(author) =
            first_author.filter(|a| *a != viewer.user_id && !recipients.iter().any(|r| r.id == *a))
            && let Some(u) = user::Entity::find_by_id(author)
                .one(&tx)
                .await
                .map_err(db_err)?
                .filter(|u| u.active)
        {
            recipients.push(convert::person_model(u)?);
        }
        let info = kb_article_info::ArticleInfo {
            slug: article.slug,
            title: article.title,
        };
        for mail in notify(&info, &recipients).map_err(StoreError::Other)? {
            enqueue_mail(&tx, &mail).await?;
        }
        self.commit(tx).await?;
        Ok(comment(row))
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
        let c = kb_comment::Entity::find_by_id(comment_id)
            .one(self.conn())
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        let article = readable(self.conn(), viewer, c.article_id).await?;
        kb_comment::Entity::update_many()
            .col_expr(kb_comment::Column::Hidden, Expr::value(hidden))
            .filter(kb_comment::Column::Id.eq(comment_id))
            .exec(self.conn())
            .await
            .map_err(db_err)?;
        self.wrote().await?;
        Ok(article.slug)
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
        let tx = self.write_tx().await?;
        readable(&tx, viewer, article_id).await?;
        kb_feedback::Entity::delete_many()
            .filter(kb_feedback::Column::ArticleId.eq(article_id))
            .filter(kb_feedback::Column::UserId.eq(viewer.user_id))
            .exec(&tx)
            .await
            .map_err(db_err)?;
        kb_feedback::ActiveModel {
            id: Set(Uuid::now_v7()),
            article_id: Set(article_id),
            user_id: Set(viewer.user_id),
            helpful: Set(helpful),
            remark: Set(remark),
            created_at: Set(now()),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        self.commit(tx).await
    }

    /// This person's current answer, if any.
    pub(crate) async fn my_feedback_from_db(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
    ) -> StoreResult<Option<bool>> {
        Ok(kb_feedback::Entity::find()
            .filter(kb_feedback::Column::ArticleId.eq(article_id))
            .filter(kb_feedback::Column::UserId.eq(viewer.user_id))
            .one(self.conn())
            .await
            .map_err(db_err)?
            .map(|f| f.helpful))
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
        let rows = kb_feedback::Entity::find()
            .filter(kb_feedback::Column::ArticleId.eq(article_id))
            .order_by_desc(kb_feedback::Column::CreatedAt)
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let mut s = FeedbackSummary::default();
        for r in rows {
            if r.helpful {
                s.helpful += 1;
            } else {
                s.not_helpful += 1;
            }
            if !r.remark.is_empty() {
                s.remarks.push((r.helpful, r.remark, r.created_at));
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
        let counts: Vec<(Uuid, bool, i64)> = kb_feedback::Entity::find()
            .select_only()
            .column(kb_feedback::Column::ArticleId)
            .column(kb_feedback::Column::Helpful)
            .column_as(kb_feedback::Column::Id.count(), "n")
            .group_by(kb_feedback::Column::ArticleId)
            .group_by(kb_feedback::Column::Helpful)
            .into_tuple()
            .all(self.conn())
            .await
            .map_err(db_err)?;
        let mut per: Vec<(Uuid, u64, u64)> = Vec::new();
        for (id, helpful, n) in counts {
            let n = n.max(0) as u64;
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
        let ids: Vec<Uuid> = per.iter().map(|p| p.0).collect();
        let articles = kb_article::Entity::find()
            .filter(kb_article::Column::Id.is_in(ids))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        Ok(per
            .into_iter()
            .filter_map(|(id, yes, no)| {
                articles.iter().find(|a| a.id == id).map(|a| FeedbackRow {
                    slug: a.slug.clone(),
                    title: a.title.clone(),
                    helpful: yes,
                    not_helpful: no,
                })
            })
            .collect())
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
        let tx = self.write_tx().await?;
        readable(&tx, viewer, article_id).await?;
        super::legacy::make_ready(&tx, file.file_id, file.size, &file.sha256).await?;
        let id = Uuid::now_v7();
        kb_image::ActiveModel {
            id: Set(id),
            article_id: Set(article_id),
            content_type: Set(content_type.to_owned()),
            file_name: Set(clean(file_name, 200)),
            sha256: Set(file.sha256.clone()),
            bytes: Set(Vec::new()),
            file_id: Set(Some(file.file_id)),
            created_at: Set(now()),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        self.commit(tx).await?;
        Ok(id)
    }

    /// An image, if its article is readable by `viewer`.
    pub async fn article_image(&self, viewer: &Viewer, image_id: Uuid) -> StoreResult<Image> {
        let img = kb_image::Entity::find_by_id(image_id)
            .one(self.conn())
            .await
            .map_err(db_err)?
            .ok_or(StoreError::NotFound)?;
        readable(self.conn(), viewer, img.article_id).await?;
        to_images(self.conn(), vec![img])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// Every image of an article (for its PDF).
    pub async fn article_images(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
    ) -> StoreResult<Vec<Image>> {
        readable(self.conn(), viewer, article_id).await?;
        let rows = kb_image::Entity::find()
            .filter(kb_image::Column::ArticleId.eq(article_id))
            .all(self.conn())
            .await
            .map_err(db_err)?;
        to_images(self.conn(), rows).await
    }

    /// Images still holding their bytes in the database (uploaded before the file store):
    /// id, file name and bytes, a few at a time.
    pub async fn images_in_database(
        &self,
        limit: u64,
    ) -> StoreResult<Vec<(Uuid, String, Vec<u8>)>> {
        Ok(kb_image::Entity::find()
            .filter(kb_image::Column::FileId.is_null())
            .limit(limit)
            .all(self.conn())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|i| (i.id, i.file_name, i.bytes))
            .collect())
    }

    /// Points an image at its copy in the file store and drops the bytes from the database.
    /// `false` when another node moved it first (the copy is then the caller's to remove).
    pub async fn image_moved(
        &self,
        image_id: Uuid,
        file: &super::resources::NewFile,
    ) -> StoreResult<bool> {
        let tx = self.write_tx().await?;
        super::legacy::make_ready(&tx, file.file_id, file.size, &file.sha256).await?;
        let done = kb_image::Entity::update_many()
            .col_expr(kb_image::Column::FileId, Expr::value(file.file_id))
            .col_expr(kb_image::Column::Bytes, Expr::value(Vec::<u8>::new()))
            .filter(kb_image::Column::Id.eq(image_id))
            .filter(kb_image::Column::FileId.is_null())
            .exec(&tx)
            .await
            .map_err(db_err)?;
        if done.rows_affected == 0 {
            // Dropping the transaction rolls back: the file row is pending again.
            return Ok(false);
        }
        self.commit(tx).await?;
        Ok(true)
    }

    /// Queues an article e-mailed by `viewer`, at most `SHARES_PER_HOUR` an hour per person.
    pub async fn share_article(
        &self,
        viewer: &Viewer,
        article_id: Uuid,
        mail: &OutgoingMail,
    ) -> StoreResult<()> {
        let tx = self.write_tx().await?;
        readable(&tx, viewer, article_id).await?;
        let recent = kb_share::Entity::find()
            .filter(kb_share::Column::UserId.eq(viewer.user_id))
            .filter(kb_share::Column::CreatedAt.gt(now() - TimeDelta::hours(1)))
            .count(&tx)
            .await
            .map_err(db_err)?;
        if recent >= SHARES_PER_HOUR {
            return Err(StoreError::Conflict(Conflict::RateLimited));
        }
        kb_share::ActiveModel {
            id: Set(Uuid::now_v7()),
            article_id: Set(article_id),
            user_id: Set(viewer.user_id),
            to_address: Set(clean(&mail.to, 254)),
            created_at: Set(now()),
        }
        .insert(&tx)
        .await
        .map_err(db_err)?;
        enqueue_mail(&tx, mail).await?;
        self.commit(tx).await
    }
}

/// The little an e-mail about an article needs.
pub mod kb_article_info {
    pub struct ArticleInfo {
        pub slug: String,
        pub title: String,
    }
}
