//! The pillars that moved to the single-page app (`faro serve`): the knowledge base and the
//! incidents. Their old addresses keep working by landing on the same page there.

use axum::extract::State;
use axum::http::Uri;
use axum::response::Redirect;

use crate::AppState;

/// `GET /kb…` and `GET /incidents…`: the same address in the single-page app, query string
/// included (`/kb/<slug>`, `/incidents/INC-2026-000042`, `/incidents?state=open` and the rest keep
/// their paths there). A bookmark, a link in an e-mail sent before the move or a link on these
/// pages all land where the page lives now.
pub async fn to_portal(State(state): State<AppState>, uri: Uri) -> Redirect {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    Redirect::to(&format!("{}{path}", state.config.portal_url))
}
