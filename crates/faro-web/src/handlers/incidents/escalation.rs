//! Escalation on the incident page: staff ask for a remote connection (a member authorises or
//! refuses it; who, when and from where is recorded), mark remote work started (only under an
//! authorisation), schedule on-site visits (members get an `.ics`) and record the report; and
//! the knowledge-base side: link an article as the solution, or turn the incident into a draft
//! article.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveTime, TimeZone, Utc};
use faro_core::{Conflict, Invalid, StoreError, format};
use serde::Deserialize;

use super::update_mails;
use crate::AppState;
use crate::context::{Signed, Staff};
use crate::error::{WebError, WebResult};
use crate::forms::{failure, see_other, success};
use crate::handlers::parse_id;

fn back(number: &str, anchor: &str) -> String {
    format!("/incidents/{number}#{anchor}")
}

#[derive(Deserialize)]
pub struct RemoteForm {
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    tool: String,
    #[serde(default)]
    window: String,
}

/// `POST /incidents/{number}/remote`: staff ask for authorisation.
pub async fn request_remote(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(number): Path<String>,
    Form(f): Form<RemoteForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let to = back(&i.number, "escalation");
    let who = s.owner.person.name.clone();
    let result = state
        .store
        .request_remote(
            s.viewer(),
            &who,
            i.id,
            &f.purpose,
            &f.tool,
            &f.window,
            update_mails(
                state.clone(),
                who.clone(),
                |t| t.inc_mail_remote_asked.to_string(),
                f.purpose.clone(),
            ),
        )
        .await;
    match result {
        Ok(_) => {
            (state.mail_queued)();
            Ok(see_other(
                &to,
                success(t.inc_remote_requested),
                s.ctx.secure,
            ))
        }
        Err(StoreError::Invalid(e)) => Ok(see_other(&to, failure(t.invalid(e)), s.ctx.secure)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// `POST /incidents/{number}/remote/{id}/answer`: someone of the membership authorises or
/// refuses.
pub async fn answer_remote(
    State(state): State<AppState>,
    s: Signed,
    Path((number, id)): Path<(String, String)>,
    Form(f): Form<AnswerForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let authorise = match f.answer.as_str() {
        "authorise" => true,
        "refuse" => false,
        _ => return Err(WebError(crate::error::ErrorKind::BadRequest)),
    };
    let who = s.owner.person.name.clone();
    let result = state
        .store
        .answer_remote(
            s.viewer(),
            &who,
            s.ctx.ip.as_deref(),
            i.id,
            parse_id(&id)?,
            authorise,
            update_mails(
                state.clone(),
                who.clone(),
                move |t| {
                    if authorise {
                        t.inc_mail_remote_yes.to_string()
                    } else {
                        t.inc_mail_remote_no.to_string()
                    }
                },
                String::new(),
            ),
        )
        .await;
    let to = back(&i.number, "escalation");
    match result {
        Ok(()) => {
            (state.mail_queued)();
            Ok(see_other(
                &to,
                success(if authorise {
                    t.inc_remote_authorised
                } else {
                    t.inc_remote_refused
                }),
                s.ctx.secure,
            ))
        }
        Err(StoreError::Conflict(Conflict::NotAllowedNow)) => {
            Ok(see_other(&to, failure(t.inc_remote_answered), s.ctx.secure))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /incidents/{number}/remote/{id}/start`: staff begin remote work (needs the yes).
pub async fn start_remote(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path((number, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let to = back(&i.number, "escalation");
    match state
        .store
        .start_remote(s.viewer(), &s.owner.person.name, i.id, parse_id(&id)?)
        .await
    {
        Ok(()) => Ok(see_other(&to, success(t.inc_remote_started), s.ctx.secure)),
        Err(StoreError::Conflict(Conflict::NotAllowedNow)) => Ok(see_other(
            &to,
            failure(t.inc_remote_not_authorised),
            s.ctx.secure,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct VisitForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    technician: String,
    #[serde(default)]
    address: String,
}

/// `POST /incidents/{number}/visits`: staff schedule an on-site visit.
pub async fn schedule_visit(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(number): Path<String>,
    Form(f): Form<VisitForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let to = back(&i.number, "escalation");
    let when = format::parse_date(&f.date).and_then(|d| {
        let time = NaiveTime::parse_from_str(f.time.trim(), "%H:%M").map_err(|_| Invalid::Time)?;
        format::DISPLAY_TZ
            .from_local_datetime(&d.and_time(time))
            .earliest()
            .map(|at| at.with_timezone(&Utc))
            .ok_or(Invalid::Time)
    });
    let starts_at = match when {
        Ok(at) => at,
        Err(e) => return Ok(see_other(&to, failure(t.invalid(e)), s.ctx.secure)),
    };
    let who = s.owner.person.name.clone();
    let (technician, address) = (f.technician.clone(), f.address.clone());
    let st = state.clone();
    let result = state
        .store
        .schedule_visit(
            s.viewer(),
            &who,
            i.id,
            starts_at,
            &f.technician,
            &f.address,
            Box::new(move |n, visit_id| {
                n.recipients
                    .iter()
                    .map(|p| {
                        crate::mails::visit_invitation(
                            &st,
                            p,
                            n.incident,
                            visit_id,
                            starts_at,
                            technician.trim(),
                            address.trim(),
                        )
                    })
                    .collect()
            }),
        )
        .await;
    match result {
        Ok(_) => {
            (state.mail_queued)();
            Ok(see_other(&to, success(t.inc_visit_scheduled), s.ctx.secure))
        }
        Err(StoreError::Invalid(e)) => Ok(see_other(&to, failure(t.invalid(e)), s.ctx.secure)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    report: String,
}

/// `POST /incidents/{number}/visits/{id}/report`
pub async fn report_visit(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path((number, id)): Path<(String, String)>,
    Form(f): Form<ReportForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let to = back(&i.number, "escalation");
    match state
        .store
        .report_visit(
            s.viewer(),
            &s.owner.person.name,
            i.id,
            parse_id(&id)?,
            &f.report,
        )
        .await
    {
        Ok(()) => Ok(see_other(&to, success(t.inc_visit_reported), s.ctx.secure)),
        Err(StoreError::Invalid(e)) => Ok(see_other(&to, failure(t.invalid(e)), s.ctx.secure)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct SolutionForm {
    #[serde(default)]
    article: String,
}

/// `POST /incidents/{number}/solution`: link a published article as the solution.
pub async fn link_solution(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(number): Path<String>,
    Form(f): Form<SolutionForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let i = state.store.incident(s.viewer(), &number).await?;
    let to = back(&i.number, "timeline");
    // Accept the article's address as well as its slug.
    let slug = f.article.trim().trim_end_matches('/');
    let slug = slug.rsplit("/kb/").next().unwrap_or(slug);
    match state
        .store
        .link_solution(s.viewer(), &s.owner.person.name, i.id, slug)
        .await
    {
        Ok(()) => Ok(see_other(&to, success(t.inc_solution_linked), s.ctx.secure)),
        Err(StoreError::Invalid(e)) => Ok(see_other(&to, failure(t.invalid(e)), s.ctx.secure)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /incidents/{number}/kb-draft`: a draft article from the incident and its answers.
pub async fn kb_draft(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let i = state.store.incident(s.viewer(), &number).await?;
    let author = faro_store::Author {
        id: Some(s.owner.person.id),
        name: s.owner.person.name.clone(),
    };
    let slug = state
        .store
        .draft_article_from_incident(s.viewer(), &author, i.id)
        .await?;
    crate::handlers::kb::reindex_now(&state).await;
    // Straight into the app's editor, where the knowledge base lives now.
    Ok(
        axum::response::Redirect::to(&format!("{}/kb/{slug}/edit", state.config.portal_url))
            .into_response(),
    )
}
