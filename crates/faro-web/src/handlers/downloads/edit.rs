//! Staff register and edit download items: title, type, category, description and the
//! memberships it is published to (all clients, or chosen ones).

use axum::extract::{Path, State};
use axum::response::Response;
use faro_core::downloads::{DownloadKind, parse_category, parse_notes};
use faro_core::kb::parse_title;
use faro_core::{Catalog, Invalid, StoreError};
use faro_store::DownloadDraft;
use uuid::Uuid;

use super::kind_choices;
use crate::AppState;
use crate::context::Staff;
use crate::error::WebResult;
use crate::forms::{FormErrors, see_other, success};
use crate::views::{DownloadFields, DownloadFormView, render, render_refused};

/// The form as sent; `membership` repeats once per ticked box.
pub struct ItemForm(Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequest<S> for ItemForm {
    type Rejection = crate::error::WebError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|_| crate::error::WebError(crate::error::ErrorKind::BadRequest))?;
        Ok(Self(pairs))
    }
}

impl ItemForm {
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    fn fields(&self) -> DownloadFields {
        DownloadFields {
            title: self.get("title").chars().take(200).collect(),
            kind: self.get("kind").to_string(),
            category: self.get("category").chars().take(80).collect(),
            description: self.get("description").chars().take(50_000).collect(),
            all_clients: self.get("audience") == "all",
            memberships: self
                .0
                .iter()
                .filter(|(k, _)| k == "membership")
                .filter_map(|(_, v)| Uuid::parse_str(v).ok())
                .collect(),
        }
    }

    fn parse(&self, t: &Catalog, errors: &mut FormErrors) -> Option<DownloadDraft> {
        let f = self.fields();
        let title = errors.check("title", t, parse_title(self.get("title")));
        let kind = errors.check("kind", t, DownloadKind::parse(self.get("kind")));
        let category = errors.check("category", t, parse_category(self.get("category")));
        let description = errors.check("description", t, parse_notes(self.get("description")));
        if !f.all_clients && f.memberships.is_empty() {
            errors.add("audience", t.invalid(Invalid::Audience));
        }
        Some(DownloadDraft {
            kind: kind?,
            title: title?,
            description: description?,
            category: category?,
            all_clients: f.all_clients,
            memberships: f.memberships,
        })
        .filter(|_| errors.is_empty())
    }
}

async fn form_page(
    state: &AppState,
    s: &Staff,
    title: &str,
    action: String,
    cancel: String,
    f: DownloadFields,
    errors: FormErrors,
) -> WebResult<Response> {
    let Staff(s) = s;
    let memberships = state
        .store
        .list_memberships(s.viewer(), faro_store::NamePage::ALL)
        .await?
        .into_iter()
        .map(|m| (m.membership.id, m.membership.name))
        .collect();
    let mut categories: Vec<String> = state
        .store
        .download_items(s.viewer(), None)
        .await?
        .into_iter()
        .map(|i| i.category)
        .filter(|c| !c.is_empty())
        .collect();
    categories.sort();
    categories.dedup();
    let refused = !errors.is_empty();
    let view = DownloadFormView {
        p: s.ctx.page(title),
        action,
        cancel,
        f,
        errors,
        kinds: kind_choices(s.ctx.t),
        memberships,
        categories,
    };
    Ok(if refused {
        render_refused(&view)
    } else {
        render(&view)
    })
}

pub async fn new(State(state): State<AppState>, s: Staff) -> WebResult<Response> {
    let f = DownloadFields {
        title: String::new(),
        kind: DownloadKind::Software.as_str().into(),
        category: String::new(),
        description: String::new(),
        all_clients: true,
        memberships: Vec::new(),
    };
    let title = s.0.ctx.t.dl_new;
    form_page(
        &state,
        &s,
        title,
        "/downloads/new".into(),
        "/downloads".into(),
        f,
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    s: Staff,
    form: ItemForm,
) -> WebResult<Response> {
    let t = s.0.ctx.t;
    let mut errors = FormErrors::default();
    let Some(draft) = form.parse(t, &mut errors) else {
        return form_page(
            &state,
            &s,
            t.dl_new,
            "/downloads/new".into(),
            "/downloads".into(),
            form.fields(),
            errors,
        )
        .await;
    };
    match state
        .store
        .create_download_item(s.0.viewer(), &s.0.ctx.actor(), &draft)
        .await
    {
        Ok(slug) => {
            crate::handlers::kb::reindex_now(&state).await;
            Ok(see_other(
                &format!("/downloads/{slug}"),
                success(t.dl_created),
                s.0.ctx.secure,
            ))
        }
        Err(StoreError::Invalid(e)) => {
            errors.add("audience", t.invalid(e));
            form_page(
                &state,
                &s,
                t.dl_new,
                "/downloads/new".into(),
                "/downloads".into(),
                form.fields(),
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    s: Staff,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let (item, _) = state.store.download_item(s.0.viewer(), &slug).await?;
    let f = DownloadFields {
        title: item.title.clone(),
        kind: item.kind.as_str().into(),
        category: item.category.clone(),
        description: item.description.clone(),
        all_clients: item.all_clients,
        memberships: item.memberships.iter().map(|m| m.0).collect(),
    };
    let title = format!("{} · {}", s.0.ctx.t.dl_edit, item.title);
    form_page(
        &state,
        &s,
        &title,
        format!("/downloads/{}/edit", item.slug),
        format!("/downloads/{}", item.slug),
        f,
        FormErrors::default(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    s: Staff,
    Path(slug): Path<String>,
    form: ItemForm,
) -> WebResult<Response> {
    let t = s.0.ctx.t;
    let (item, _) = state.store.download_item(s.0.viewer(), &slug).await?;
    let mut errors = FormErrors::default();
    let back = format!("/downloads/{}", item.slug);
    let title = format!("{} · {}", t.dl_edit, item.title);
    let Some(draft) = form.parse(t, &mut errors) else {
        return form_page(
            &state,
            &s,
            &title,
            format!("{back}/edit"),
            back,
            form.fields(),
            errors,
        )
        .await;
    };
    match state
        .store
        .update_download_item(s.0.viewer(), &s.0.ctx.actor(), item.id, &draft)
        .await
    {
        Ok(()) => {
            crate::handlers::kb::reindex_now(&state).await;
            Ok(see_other(&back, success(t.dl_saved), s.0.ctx.secure))
        }
        Err(StoreError::Invalid(e)) => {
            errors.add("audience", t.invalid(e));
            form_page(
                &state,
                &s,
                &title,
                format!("{back}/edit"),
                back,
                form.fields(),
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
