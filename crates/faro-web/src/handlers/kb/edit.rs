//! `/kb/new` and `/kb/{slug}/edit`: staff write articles. Each save is a new revision.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use faro_core::kb::{
    Article, ArticleDraft, ArticleKind, ArticleState, parse_body, parse_summary, parse_tags,
    parse_title,
};
use faro_core::{Invalid, StoreError};
use faro_store::Author;
use serde::Deserialize;
use uuid::Uuid;

use super::{category_rows, reindex_now};
use crate::AppState;
use crate::context::{Signed, Staff};
use crate::error::{WebError, WebResult};
use crate::forms::{FormErrors, see_other, success};
use crate::views::{ArticleFields, ArticleFormView, render, render_refused};

#[derive(Deserialize, Default)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    note: String,
}

impl ArticleForm {
    fn fields(&self) -> ArticleFields {
        ArticleFields {
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            kind: self.kind.clone(),
            category: self.category.clone(),
            tags: self.tags.clone(),
            scope: self.scope.clone(),
            state: self.state.clone(),
            note: self.note.clone(),
        }
    }

    fn from_article(a: &Article) -> Self {
        Self {
            title: a.title.clone(),
            summary: a.summary.clone(),
            body: a.body.clone(),
            kind: a.kind.as_str().into(),
            category: a
                .category
                .as_ref()
                .map(|c| c.id.to_string())
                .unwrap_or_default(),
            tags: a.tags.join(", "),
            scope: a
                .membership_id
                .map(|m| m.to_string())
                .unwrap_or_else(|| "global".into()),
            state: a.state.as_str().into(),
            note: String::new(),
        }
    }

    /// Parses every field, collecting one message per wrong field.
    fn parse(&self, t: &faro_core::Catalog, errors: &mut FormErrors) -> Option<ArticleDraft> {
        let title = errors.check("title", t, parse_title(&self.title));
        let summary = errors.check("summary", t, parse_summary(&self.summary));
        let body = errors.check("body", t, parse_body(&self.body));
        let kind = errors.check("kind", t, ArticleKind::parse(&self.kind));
        let state = errors.check("state", t, ArticleState::parse(&self.state));
        let tags = errors.check("tags", t, parse_tags(&self.tags));
        let category_id = errors.check(
            "category",
            t,
            match self.category.trim() {
                "" => Ok(None),
                c => Uuid::parse_str(c).map(Some).map_err(|_| Invalid::Category),
            },
        );
        let membership_id = errors.check(
            "scope",
            t,
            match self.scope.trim() {
                "" | "global" => Ok(None),
                m => Uuid::parse_str(m).map(Some).map_err(|_| Invalid::Category),
            },
        );
        Some(ArticleDraft {
            title: title?,
            summary: summary?,
            body: body?,
            kind: kind?,
            state: state?,
            tags: tags?,
            category_id: category_id?,
            membership_id: membership_id?,
            note: self.note.trim().chars().take(300).collect(),
        })
    }
}

async fn form_page(
    state: &AppState,
    s: &Signed,
    action: String,
    title: &str,
    is_new: bool,
    f: ArticleFields,
    errors: FormErrors,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let categories = category_rows(&state.store.categories().await?);
    let memberships = state
        .store
        .list_memberships(s.viewer(), faro_store::NamePage::ALL)
        .await?
        .into_iter()
        .map(|m| (m.membership.id.to_string(), m.membership.name))
        .collect();
    let refused = !errors.is_empty();
    let preview_html = if refused {
        String::new()
    } else {
        faro_markdown::to_html(&f.body)
    };
    // "/kb/<slug>/edit" -> "/kb/<slug>/images"; a new article has no images form.
    let image_action = match action.strip_suffix("/edit") {
        Some(article) => format!("{article}/images?_csrf={}", s.ctx.csrf),
        None => String::new(),
    };
    let view = ArticleFormView {
        p: s.ctx.page(title),
        image_action,
        action,
        is_new,
        f,
        errors,
        kinds: ArticleKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.kind(*k)))
            .collect(),
        states: ArticleState::ALL
            .iter()
            .map(|k| (k.as_str(), t.article_state(*k)))
            .collect(),
        categories,
        memberships,
        preview_html,
    };
    Ok(if refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}

fn author(s: &Signed) -> Author {
    Author {
        id: Some(s.owner.person.id),
        name: s.owner.person.name.clone(),
    }
}

fn refs_error(
    e: StoreError,
    t: &faro_core::Catalog,
    errors: &mut FormErrors,
) -> Result<(), WebError> {
    match e {
        StoreError::Invalid(Invalid::Category) => {
            errors.add("category", t.invalid_category);
            Ok(())
        }
        StoreError::Invalid(i) => {
            errors.add("title", t.invalid(i));
            Ok(())
        }
        other => Err(other.into()),
    }
}

pub async fn new(State(state): State<AppState>, Staff(s): Staff) -> WebResult<Response> {
    let f = ArticleForm {
        kind: "procedure".into(),
        state: "draft".into(),
        scope: "global".into(),
        ..Default::default()
    };
    form_page(
        &state,
        &s,
        "/kb/new".into(),
        s.ctx.t.kb_new,
        true,
        f.fields(),
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    Staff(s): Staff,
    Form(f): Form<ArticleForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let mut errors = FormErrors::default();
    if let Some(draft) = f.parse(t, &mut errors) {
        match state
            .store
            .create_article(s.viewer(), &author(&s), draft)
            .await
        {
            Ok(a) => {
                reindex_now(&state).await;
                return Ok(see_other(
                    &format!("/kb/{}", a.slug),
                    success(t.kb_created),
                    s.ctx.secure,
                ));
            }
            Err(e) => refs_error(e, t, &mut errors)?,
        }
    }
    form_page(
        &state,
        &s,
        "/kb/new".into(),
        t.kb_new,
        true,
        f.fields(),
        errors,
    )
    .await
}

pub async fn edit(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    let f = ArticleForm::from_article(&a);
    form_page(
        &state,
        &s,
        format!("/kb/{}/edit", a.slug),
        &a.title,
        false,
        f.fields(),
        FormErrors::default(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    Staff(s): Staff,
    Path(slug): Path<String>,
    Form(f): Form<ArticleForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let a = state.store.article_by_slug(s.viewer(), &slug).await?;
    let mut errors = FormErrors::default();
    if let Some(draft) = f.parse(t, &mut errors) {
        match state
            .store
            .update_article(s.viewer(), &author(&s), a.id, draft)
            .await
        {
            Ok(saved) => {
                reindex_now(&state).await;
                return Ok(see_other(
                    &format!("/kb/{}", saved.slug),
                    success(t.kb_saved),
                    s.ctx.secure,
                ));
            }
            Err(e) => refs_error(e, t, &mut errors)?,
        }
    }
    form_page(
        &state,
        &s,
        format!("/kb/{}/edit", a.slug),
        &a.title,
        false,
        f.fields(),
        errors,
    )
    .await
}

#[derive(Deserialize)]
pub struct CategoryForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent: String,
}

/// `POST /kb/categories`: staff add a category (optionally under another).
pub async fn create_category(
    State(state): State<AppState>,
    Staff(s): Staff,
    Form(f): Form<CategoryForm>,
) -> WebResult<Response> {
    let t = s.ctx.t;
    let parent = match f.parent.trim() {
        "" => None,
        p => Some(Uuid::parse_str(p).map_err(|_| WebError(crate::error::ErrorKind::BadRequest))?),
    };
    match state
        .store
        .create_category(s.viewer(), &f.name, parent)
        .await
    {
        Ok(c) => Ok(see_other(
            &format!("/kb?category={}", c.slug),
            success(t.kb_category_created),
            s.ctx.secure,
        )),
        Err(StoreError::Invalid(_)) => Ok(see_other(
            "/kb",
            crate::forms::failure(t.invalid_category),
            s.ctx.secure,
        )),
        Err(e) => Err(e.into()),
    }
}

/// `POST /kb/preview` (the editor's live preview): Markdown in, sanitised HTML out.
pub async fn preview(Staff(_s): Staff, body: String) -> Response {
    let body: String = body.chars().take(faro_core::kb::MAX_BODY).collect();
    axum::response::Html(faro_markdown::to_html(&body)).into_response()
}
