//! Incidents: a client's people open them and see every incident of their membership; staff
//! see one queue across memberships. Addressed by number (`INC-2026-0001`); another
//! membership's incident is a 404, as if it did not exist. A client never receives an
//! internal note: the store's one timeline path leaves them out for client viewers.

use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use faro_core::incidents as core;
use faro_core::{Catalog, StoreError, Viewer};
use faro_store::{IncidentAfter, IncidentFilter, NewAttachment, NewIncident as Draft, Notice};
use faro_types::incidents::{
    Incident, IncidentOrder, IncidentQuery, IncidentSummary, NewIncident, NewIncidentComment,
};
use faro_types::{Page, PageQuery};

use super::convert;
use super::paging::Paging;
use crate::auth::Auth;
use crate::extract::Query;
use crate::problem::{ApiError, ApiResult, Fields, Text};
use crate::server::Api;
use crate::uploads;

/// The incident `number`, if the caller may see it.
pub async fn visible(api: &Api, auth: &Auth, number: &str) -> ApiResult<core::Incident> {
    if number.len() > 40 {
        return Err(ApiError::not_found());
    }
    Ok(api.store.incident(&auth.viewer(), number).await?)
}

/// Refusals of the store with the field they are about; a change the incident's state does
/// not allow now is 409.
pub fn refused(field: &'static str) -> impl Fn(StoreError) -> ApiError {
    move |e| match e {
        StoreError::Invalid(i) => ApiError::invalid(field, i),
        StoreError::Conflict(faro_core::Conflict::NotAllowedNow) => {
            ApiError::conflict(faro_types::ErrorCode::Conflict, |t| t.inc_not_allowed)
        }
        e => e.into(),
    }
}

/// Only a client's people open incidents (staff work them).
fn client(viewer: &Viewer) -> ApiResult<()> {
    if viewer.membership_id.is_some() && !viewer.is_staff() {
        Ok(())
    } else {
        Err(ApiError::forbidden(faro_types::ErrorCode::Forbidden, |t| {
            t.api_incident_clients_only
        }))
    }
}

/// E-mails to followers about a public change, `what` in each recipient's language. The store
/// renders them inside its transaction, on the blocking pool: the closure owns what it uses.
pub fn update_mails(
    api: &Api,
    who: String,
    what: impl Fn(&Catalog) -> String + Send + 'static,
    body: String,
) -> faro_store::Notify {
    let base = api.base_url.clone();
    Box::new(move |n: Notice<'_>| {
        n.recipients
            .iter()
            .map(|p| {
                let text = what(p.language.catalog());
                faro_mail::incidents::update(&base, p, n.incident, &who, &text, &body)
            })
            .collect()
    })
}

/// The cursor's sort key: where the store's keyset continues after `i`.
fn cursor_key(order: IncidentOrder, i: &core::Incident) -> String {
    match order {
        IncidentOrder::Recent => format!("u:{}", i.updated_at.to_rfc3339()),
        IncidentOrder::Due => format!("d:{}", i.resolution_due.to_rfc3339()),
    }
}

fn after(order: IncidentOrder, key: &str, id: uuid::Uuid) -> Option<IncidentAfter> {
    let prefix = match order {
        IncidentOrder::Recent => "u:",
        IncidentOrder::Due => "d:",
    };
    let at = DateTime::parse_from_rfc3339(key.strip_prefix(prefix)?).ok()?;
    Some(IncidentAfter {
        at: at.with_timezone(&Utc),
        id,
    })
}

/// The incidents whose number is `text`, or whose title, description or public comments match
/// its words (the search engine, scoped to what the caller may see).
async fn matching(api: &Api, viewer: &Viewer, text: &str) -> ApiResult<Vec<uuid::Uuid>> {
    if core::parse_number(text).is_some() {
        return match api.store.incident(viewer, text).await {
            Ok(i) => Ok(vec![i.id]),
            Err(StoreError::NotFound) => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        };
    }
    let Some(scope) = super::search::scope(viewer) else {
        return Ok(Vec::new());
    };
    let mut req = faro_search::SearchRequest::new(text, scope);
    req.kinds = vec![faro_search::KIND_INCIDENT.to_owned()];
    req.limit = faro_search::MAX_LIMIT;
    let found = api
        .search
        .search(&req)
        .await
        .map_err(super::search::failed)?;
    Ok(found.hits.into_iter().map(|h| h.id).collect())
}

/// List incidents
///
/// A client's people see every incident of their membership; staff see all memberships (the
/// queue: `open=true&order=due`, most urgent first, with each one's SLA mark). Filters combine;
/// `q` searches the number, title, system, description and public comments.
#[utoipa::path(
    operation_id = "list_incidents",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(IncidentQuery),
    responses(
        (status = 200, description = "A page of incidents, without their timelines", body = Page<IncidentSummary>),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[get("/incidents")]
pub async fn list(
    api: web::Data<Api>,
    auth: Auth,
    Query(q): Query<IncidentQuery>,
) -> ApiResult<HttpResponse> {
    let paging = Paging::parse(&PageQuery {
        limit: q.limit,
        cursor: q.cursor.clone(),
    })?;
    let order = q.order.unwrap_or_default();
    let start = match &paging.after {
        None => None,
        Some((key, id)) => Some(after(order, key, *id).ok_or_else(|| {
            ApiError::field("cursor", "invalid", Text::Catalog(|t| t.api_bad_cursor))
        })?),
    };
    let text = q.q.as_deref().map(str::trim).unwrap_or_default();
    if text.chars().count() > 300 {
        return Err(ApiError::field(
            "q",
            "too_long",
            Text::Catalog(|t| t.api_search_too_long),
        ));
    }
    let viewer = auth.viewer();
    let ids = if text.is_empty() {
        None
    } else {
        Some(matching(&api, &viewer, text).await?)
    };
    if ids.as_ref().is_some_and(Vec::is_empty) {
        return Ok(HttpResponse::Ok().json(Page::<IncidentSummary>::empty()));
    }
    let staff = viewer.is_staff();
    let filter = IncidentFilter {
        state: q.state.map(convert::incident_state_in),
        open_only: q.open.unwrap_or(false),
        priority: q.priority.map(convert::priority_in),
        mine: q.mine.unwrap_or(false),
        assigned_to_me: staff && q.assigned_to_me.unwrap_or(false),
        ids,
        membership: q.membership_id.filter(|_| staff),
        by_due: order == IncidentOrder::Due,
        after: start,
        limit: paging.fetch() as u64,
        offset: 0,
    };
    let rows = api.store.incidents(&viewer, &filter).await?;
    let now = Utc::now();
    let page = paging.page(
        rows,
        |i| (cursor_key(order, i), i.id),
        |i| convert::incident_summary(&i, now),
    );
    Ok(HttpResponse::Ok().json(page))
}

/// The whole incident for the caller: its timeline (without internal entries for a client)
/// and files through signed addresses.
async fn whole(api: &Api, auth: &Auth, i: core::Incident) -> ApiResult<Incident> {
    let viewer = auth.viewer();
    let (events, attachments) = api.store.timeline(&viewer, i.id).await?;
    let following = api.store.is_following(&viewer, i.id).await?;
    let signer = super::kb::signer(api, auth);
    let extras = convert::IncidentExtras {
        remote: api.store.remote_requests(&viewer, i.id).await?,
        visits: api.store.visits(&viewer, i.id).await?,
        solution: api.store.solution_of(&viewer, &i).await?,
        pdf_url: signer.url(crate::signed::FileRef::IncidentPdf(i.id))?,
    };
    convert::incident(
        i,
        events,
        attachments,
        extras,
        following,
        viewer.is_staff(),
        Utc::now(),
        |file| signer.url(file),
    )
}

/// Read an incident
///
/// With its description (Markdown and sanitised HTML) and timeline, oldest first: comments,
/// changes, remote-connection requests and answers, visits, and the files of each entry
/// through signed addresses. Staff also get the internal notes; a client never does.
#[utoipa::path(
    operation_id = "get_incident",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number, e.g. `INC-2026-0001`")),
    responses(
        (status = 200, description = "The incident", body = Incident),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[get("/incidents/{number}")]
pub async fn show(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
) -> ApiResult<HttpResponse> {
    respond(&api, &auth, &number, HttpResponse::Ok()).await
}

/// The incident `number` as it is now, whole, in `res` (200, 201…).
pub async fn respond(
    api: &Api,
    auth: &Auth,
    number: &str,
    mut res: HttpResponseBuilder,
) -> ApiResult<HttpResponse> {
    let i = visible(api, auth, number).await?;
    Ok(res.json(whole(api, auth, i).await?))
}

/// Files one request may carry.
pub const MAX_FILES: usize = 20;

fn limits(api: &Api) -> uploads::Limits {
    uploads::Limits {
        file_field: "files",
        max_files: MAX_FILES,
        max_bytes: api.attachment_max_bytes,
    }
}

fn attachments(files: &[uploads::Received]) -> Vec<NewAttachment> {
    files
        .iter()
        .map(|f| NewAttachment {
            file_id: f.id,
            size: f.size,
            sha256: f.sha256.clone(),
            content_type: core::attachment_type(&f.head).to_owned(),
        })
        .collect()
}

/// Open an incident
///
/// For the caller's membership (a client's people only; staff get 403). JSON, or
/// `multipart/form-data` with the same fields and up to 20 files in `files` (screenshots,
/// photos, videos…; each at most `FARO_ATTACHMENT_MAX_MB`, 200 MB unless configured: a larger
/// one is 413 and nothing is kept). The caller follows it; a `high` one e-mails every staff
/// member at once. The service-level due times are set from the priority.
#[utoipa::path(
    operation_id = "open_incident",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    request_body(content(
        (NewIncident = "application/json"),
        (faro_types::incidents::NewIncidentForm = "multipart/form-data")
    )),
    responses(
        (status = 201, description = "Opened; `Location` is its address", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/incidents")]
pub async fn open(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer();
    if let Err(e) = client(&viewer) {
        return Err(uploads::refuse(payload, e).await);
    }
    let (body, files): (NewIncident, _) = uploads::submission(
        &api,
        &req,
        payload,
        &limits(&api),
        &["title", "description", "system", "priority"],
        &[],
    )
    .await?;
    let draft = Draft::parse(
        &body.title,
        &body.description,
        &body.system,
        convert::priority_in(body.priority).as_str(),
    );
    let draft = match draft {
        Ok(d) => d,
        Err(problems) => {
            uploads::forget_all(&api, &files).await;
            let mut f = Fields::default();
            for (field, e) in problems {
                f.check::<()>(field, Err(e));
            }
            return Err(f
                .finish()
                .err()
                .unwrap_or_else(|| ApiError::internal("no field refused")));
        }
    };
    let base = api.base_url.clone();
    let notify: faro_store::Notify = Box::new(move |n: Notice<'_>| {
        n.recipients
            .iter()
            .map(|p| faro_mail::incidents::alert(&base, p, n.incident))
            .collect()
    });
    let opened = api
        .store
        .open_incident(
            &viewer,
            &auth.principal.person.name,
            &draft,
            &attachments(&files),
            &api.sla,
            notify,
        )
        .await;
    let i = match opened {
        Ok(i) => i,
        Err(e) => {
            uploads::forget_all(&api, &files).await;
            return Err(e.into());
        }
    };
    api.mail_queued();
    super::kb::reindex(&api).await;
    let location = format!("/api/v1/incidents/{}", i.number);
    let body = whole(&api, &auth, i).await?;
    Ok(HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(body))
}

/// Comment on an incident
///
/// A public comment in Markdown, e-mailed to the incident's followers (never to its author);
/// a client who comments starts following it. Staff may instead add an internal note
/// (`internal: true`), which only staff ever see and which e-mails nobody. A staff member's
/// first public comment is the incident's first response. JSON, or `multipart/form-data`
/// with up to 20 files in `files` (then `body` may be empty).
#[utoipa::path(
    operation_id = "comment_incident",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    request_body(content(
        (NewIncidentComment = "application/json"),
        (faro_types::incidents::NewIncidentCommentForm = "multipart/form-data")
    )),
    responses(
        (status = 201, description = "Added; the incident as it is now", body = Incident),
        (status = 400, response = crate::openapi::BadJson),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 413, response = crate::openapi::TooLarge),
        (status = 415, response = crate::openapi::NotJson),
        (status = 422, response = crate::openapi::Invalid)
    )
)]
#[post("/incidents/{number}/comments")]
pub async fn comment(
    req: HttpRequest,
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let i = match visible(&api, &auth, &number).await {
        Ok(i) => i,
        Err(e) => return Err(uploads::refuse(payload, e).await),
    };
    let viewer = auth.viewer();
    let (body, files): (NewIncidentComment, _) = uploads::submission(
        &api,
        &req,
        payload,
        &limits(&api),
        &["body", "internal"],
        &["internal"],
    )
    .await?;
    let refused = if body.internal && !viewer.is_staff() {
        Some(ApiError::forbidden(faro_types::ErrorCode::Forbidden, |t| {
            t.api_staff_only
        }))
    } else if files.is_empty() || !body.body.trim().is_empty() {
        core::parse_message(&body.body)
            .err()
            .map(|e| ApiError::invalid("body", e))
    } else {
        None
    };
    if let Some(e) = refused {
        uploads::forget_all(&api, &files).await;
        return Err(e);
    }
    let text = body.body.trim().to_owned();
    let who = auth.principal.person.name.clone();
    let notify = update_mails(
        &api,
        who.clone(),
        |t| t.inc_mail_commented.to_string(),
        text.clone(),
    );
    let added = api
        .store
        .comment_incident(
            &viewer,
            &who,
            i.id,
            &text,
            body.internal,
            &attachments(&files),
            notify,
        )
        .await;
    if let Err(e) = added {
        uploads::forget_all(&api, &files).await;
        return Err(match e {
            StoreError::Invalid(e) => ApiError::invalid("body", e),
            e => e.into(),
        });
    }
    api.mail_queued();
    if !body.internal {
        super::kb::reindex(&api).await;
    }
    respond(&api, &auth, &number, HttpResponse::Created()).await
}

/// Follow an incident
///
/// The caller is e-mailed about its public activity from now on (opening or commenting on an
/// incident follows it already).
#[utoipa::path(
    operation_id = "follow_incident",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    responses(
        (status = 204, description = "Following"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[put("/incidents/{number}/following")]
pub async fn follow(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let i = visible(&api, &auth, &number).await?;
    api.store.set_following(&auth.viewer(), i.id, true).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Stop following an incident
///
/// No more e-mails about it; it stays visible as before.
#[utoipa::path(
    operation_id = "unfollow_incident",
    tag = "incidents",
    security(("access_token" = []), ("api_key" = [])),
    params(("number" = String, Path, description = "The incident's number")),
    responses(
        (status = 204, description = "Not following"),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 404, response = crate::openapi::NotFound)
    )
)]
#[delete("/incidents/{number}/following")]
pub async fn unfollow(
    api: web::Data<Api>,
    auth: Auth,
    number: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let i = visible(&api, &auth, &number).await?;
    api.store.set_following(&auth.viewer(), i.id, false).await?;
    Ok(HttpResponse::NoContent().finish())
}
