//! The route table: the map of the portal. Every path Faro answers is listed here.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};

use crate::handlers::{
    account, admin, auth, downloads, health, kb, memberships, people, portal, resources,
};
use crate::{AppState, context, csrf, security};

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        // Sign-in, joining and account recovery
        .route("/setup", get(auth::setup::show).post(auth::setup::submit))
        .route("/login", get(auth::login::show).post(auth::login::submit))
        .route("/logout", post(auth::logout::submit))
        .route("/join", get(auth::join::show).post(auth::join::submit))
        .route("/join/sent", get(auth::join::sent))
        .route(
            "/join/confirm",
            get(auth::confirm::show).post(auth::confirm::submit),
        )
        .route(
            "/password/forgot",
            get(auth::forgot::show).post(auth::forgot::submit),
        )
        .route(
            "/password/reset",
            get(auth::reset::show).post(auth::reset::submit),
        )
        .route("/language", post(auth::language::submit))
        // Everyone signed in
        .route("/", get(account::home::show))
        .route("/profile", get(account::profile::show))
        .route("/profile/language", post(account::profile::language))
        .route("/profile/password", post(account::profile::password))
        // A coordinator's own membership and its people
        .route("/membership", get(memberships::show::mine))
        .route("/people/{id}/deactivate", post(people::manage::deactivate))
        .route("/people/{id}/reactivate", post(people::manage::reactivate))
        .route(
            "/people/{id}/coordinator",
            post(people::manage::make_coordinator),
        )
        // Staff: memberships
        .route("/memberships", get(memberships::list::show))
        .route(
            "/memberships/new",
            get(memberships::create::show).post(memberships::create::submit),
        )
        .route("/memberships/{id}", get(memberships::show::show))
        .route(
            "/memberships/{id}/edit",
            get(memberships::edit::show).post(memberships::edit::submit),
        )
        .route("/memberships/{id}/code", post(memberships::code::rotate))
        .route("/memberships/{id}/expiry", post(memberships::code::expiry))
        .route(
            "/memberships/{id}/activate",
            post(memberships::state::activate),
        )
        .route(
            "/memberships/{id}/deactivate",
            post(memberships::state::deactivate),
        )
        // The knowledge base and the incidents live in the single-page app now: old addresses
        // (bookmarks, links in e-mails sent before) land on the same page there.
        .route("/kb", get(portal::to_portal))
        .route("/kb/{*rest}", get(portal::to_portal))
        .route("/incidents", get(portal::to_portal))
        .route("/incidents/{*rest}", get(portal::to_portal))
        // Search across articles, incidents, downloads and resources (the header's box)
        .route("/search", get(kb::search::show))
        .route("/search/suggest", get(kb::search::suggest))
        // Downloads with versions, and the resources catalogue
        .route("/downloads", get(downloads::list::show))
        .route(
            "/downloads/new",
            get(downloads::edit::new).post(downloads::edit::create),
        )
        .route("/downloads/{slug}", get(downloads::item::show))
        .route(
            "/downloads/{slug}/edit",
            get(downloads::edit::edit).post(downloads::edit::update),
        )
        .route(
            "/downloads/{slug}/versions",
            post(downloads::versions::publish).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/downloads/{slug}/versions/{id}",
            get(downloads::files::version),
        )
        .route(
            "/downloads/{slug}/versions/{id}/withdraw",
            post(downloads::versions::withdraw),
        )
        .route(
            "/downloads/{slug}/versions/{id}/reinstate",
            post(downloads::versions::reinstate),
        )
        .route("/downloads/{slug}/latest", get(downloads::files::latest))
        .route("/resources", get(resources::list))
        .route(
            "/resources/new",
            get(resources::edit::new)
                .post(resources::edit::create)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/resources/{slug}", get(resources::show))
        .route(
            "/resources/{slug}/edit",
            get(resources::edit::edit)
                .post(resources::edit::update)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/resources/{slug}/file", get(resources::file))
        .route("/resources/{slug}/verify", post(resources::edit::verify))
        .route("/resources/{slug}/delete", post(resources::edit::delete))
        // Administration
        .route(
            "/admin/staff",
            get(admin::staff::show).post(admin::staff::create),
        )
        .route("/admin/staff/{id}", post(admin::staff::update))
        .route("/admin/audit", get(admin::audit::show))
        .fallback(health::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            context::middleware,
        ));

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/static/{name}", get(health::asset))
        .layer(middleware::map_response(security::headers))
        .merge(pages)
        .layer(DefaultBodyLimit::max(csrf::FORM_LIMIT))
        .with_state(state)
}
