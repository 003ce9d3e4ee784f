//! `POST /language`: the language switch in every page's footer. Remembered in a cookie, and in
//! the profile when signed in.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use faro_core::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::context::Ctx;
use crate::cookies;
use crate::error::{WebError, WebResult};
use crate::forms::{safe_next, see_other};

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<LanguageForm>,
) -> WebResult<Response> {
    let lang = Lang::parse(&f.lang).map_err(|_| WebError(crate::error::ErrorKind::BadRequest))?;
    if let Some(owner) = &ctx.owner {
        state.store.set_language(&owner.viewer, lang).await?;
    }
    let mut res = see_other(&safe_next(f.next.as_deref()), None, ctx.secure);
    let cookie = cookies::set(
        cookies::LANG,
        lang.code(),
        Some(365 * 24 * 3600),
        ctx.secure,
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
