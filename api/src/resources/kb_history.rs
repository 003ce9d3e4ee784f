//! An article's history (staff): every revision, one whole, the difference of two, and
//! restoring an old one as a new revision (history is never rewritten).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use faro_core::kb::Revision as CoreRevision;
use faro_types::kb::Article;
use faro_types::kb_edit::{
    ArticleDiff, ChangeNote, DiffLine, DiffQuery, FieldChange, LineChange, Revision,
    RevisionSummary,
};
use similar::{ChangeTag, TextDiff};

use super::convert;
use super::kb::readable;
use super::kb_edit::{answer_saved, author, note_or, staff, stale};
use crate::auth::Auth;
use crate::extract::{OptionalJson, Query};
use crate::problem::{ApiError, ApiResult};
use crate::server::Api;

/// List an article's revisions
///
/// Newest first, without their bodies. Staff only.
#[utoipa::path(
    operation_id = "list_kb_revisions",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug")),
    responses(
        (status = 200, description = "Every revision", body = Vec<RevisionSummary>),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/articles/{slug}/revisions")]
pub async fn list(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let a = readable(&api, &auth, &slug).await?;
    let all = api.store.revisions(&auth.viewer(), a.id).await?;
    Ok(HttpResponse::Ok().json(
        all.iter()
            .map(convert::revision_summary)
            .collect::<Vec<_>>(),
    ))
}

async fn one(api: &Api, auth: &Auth, article: uuid::Uuid, n: i32) -> ApiResult<CoreRevision> {
    if n < 1 {
        return Err(ApiError::not_found());
    }
    Ok(api.store.revision(&auth.viewer(), article, n).await?)
}

/// Read one revision
///
/// Whole, with its body. Staff only.
#[utoipa::path(
    operation_id = "get_kb_revision",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The article's slug"),
        ("number" = i32, Path, description = "The revision's number, from 1")
    ),
    responses(
        (status = 200, description = "The revision", body = Revision),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/kb/articles/{slug}/revisions/{number}")]
pub async fn show(
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, i32)>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let (slug, n) = path.into_inner();
    let a = readable(&api, &auth, &slug).await?;
    let r = one(&api, &auth, a.id, n).await?;
    Ok(HttpResponse::Ok().json(convert::revision(r)))
}

/// The fields other than the body that differ, as text.
fn field_changes(old: &CoreRevision, new: &CoreRevision) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut add = |field: &str, before: String, after: String| {
        if before != after {
            out.push(FieldChange {
                field: field.into(),
                before,
                after,
            });
        }
    };
    add("title", old.title.clone(), new.title.clone());
    add("summary", old.summary.clone(), new.summary.clone());
    add("kind", old.kind.as_str().into(), new.kind.as_str().into());
    add(
        "state",
        old.state.as_str().into(),
        new.state.as_str().into(),
    );
    add("tags", old.tags.join(", "), new.tags.join(", "));
    out
}

/// The body's difference, line by line.
fn body_lines(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| DiffLine {
            change: match c.tag() {
                ChangeTag::Delete => LineChange::Removed,
                ChangeTag::Insert => LineChange::Added,
                ChangeTag::Equal => LineChange::Same,
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

/// Compare two revisions
///
/// `from` defaults to the revision before `to`, `to` to the current one. Fields that changed,
/// and the body line by line. Staff only.
#[utoipa::path(
    operation_id = "diff_kb_revisions",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(("slug" = String, Path, description = "The article's slug"), DiffQuery),
    responses(
        (status = 200, description = "The difference", body = ArticleDiff),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/kb/articles/{slug}/diff")]
pub async fn diff(
    api: web::Data<Api>,
    auth: Auth,
    slug: web::Path<String>,
    Query(q): Query<DiffQuery>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let a = readable(&api, &auth, &slug).await?;
    let to = q.to.unwrap_or(a.revision);
    let from = q.from.unwrap_or(to.saturating_sub(1)).max(1);
    let (old, new) = (
        one(&api, &auth, a.id, from).await?,
        one(&api, &auth, a.id, to).await?,
    );
    let fields = field_changes(&old, &new);
    let lines = body_lines(&old.body, &new.body);
    let same = fields.is_empty() && lines.iter().all(|l| l.change == LineChange::Same);
    Ok(HttpResponse::Ok().json(ArticleDiff {
        from: convert::revision_summary(&old),
        to: convert::revision_summary(&new),
        fields,
        lines,
        same,
    }))
}

/// Restore a revision
///
/// Makes an old revision's content current again, as a new revision (with the optional
/// `note`, by default «Restaurada la revisión N»). `If-Match` must name the current revision,
/// as for an edit. Staff only.
#[utoipa::path(
    operation_id = "restore_kb_revision",
    tag = "kb",
    security(("access_token" = []), ("api_key" = [])),
    params(
        ("slug" = String, Path, description = "The article's slug"),
        ("number" = i32, Path, description = "The revision to bring back"),
        ("If-Match" = Option<String>, Header, description = "The `ETag` of the current revision. Needed: without it nothing is restored and the answer is 412")
    ),
    request_body(content = Option<ChangeNote>, description = "Optional"),
    responses(
        (status = 200, description = "Restored as a new revision", body = Article),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 412, response = crate::openapi::Stale),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/kb/articles/{slug}/revisions/{number}/restore")]
pub async fn restore(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    path: web::Path<(String, i32)>,
    OptionalJson(body): OptionalJson<ChangeNote>,
) -> ApiResult<HttpResponse> {
    staff(&auth)?;
    let (slug, n) = path.into_inner();
    let a = readable(&api, &auth, &slug).await?;
    one(&api, &auth, a.id, n).await?;
    let Some(expected) = super::kb_edit::if_match(&req, &a) else {
        return Err(stale(&a));
    };
    let restored =
        faro_core::Catalog::fill(auth.lang().catalog().kb_restored_note, &[&n.to_string()]);
    let note = note_or(body, &restored);
    let r = api
        .store
        .restore_revision_at(
            &auth.viewer(),
            &author(&auth),
            a.id,
            n,
            Some(expected),
            note,
        )
        .await;
    answer_saved(&api, &auth, &slug, r).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_say_what_changed() {
        let l = body_lines("a\nb\nc\n", "a\nB\nc\nd\n");
        let marks: Vec<_> = l.iter().map(|x| (x.change, x.text.as_str())).collect();
        assert_eq!(
            marks,
            vec![
                (LineChange::Same, "a"),
                (LineChange::Removed, "b"),
                (LineChange::Added, "B"),
                (LineChange::Same, "c"),
                (LineChange::Added, "d"),
            ]
        );
    }
}
