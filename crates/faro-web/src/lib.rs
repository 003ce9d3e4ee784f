//! Faro's web interface: the route table, one handler file per action, askama views, the request
//! context (language, session, CSRF, flash) and the security headers every response carries.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod assets;
mod context;
mod cookies;
mod csrf;
mod error;
mod forms;
mod handlers;
mod mails;
mod routes;
mod security;
mod sending;
mod uploads;
mod views;

use std::sync::Arc;

use faro_store::Store;

pub use routes::router;

/// What the web layer needs from the outside, passed in state (never global).
#[derive(Clone)]
pub struct WebConfig {
    /// Public address used in e-mailed links, without a trailing slash.
    pub base_url: String,
    /// Cookies get `Secure` when the portal is served over https.
    pub secure_cookies: bool,
    /// The support company running the portal, shown in every page's footer.
    pub operator_name: Option<String>,
    /// Largest file staff may publish as a download version or a hosted resource.
    pub download_max_bytes: u64,
    /// Where `faro serve` answers (the single-page app), without a trailing slash: the
    /// knowledge base and the incidents live there, and these pages send their old addresses on
    /// to it.
    pub portal_url: String,
}

/// Everything a handler reaches, behind one `Arc`: extractors clone the state for every request,
/// and one reference count costs less than one per field (measured: a tenth of the article
/// page's time went to cloning and dropping a dozen counted fields).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub store: Store,
    /// This node's search index (articles saved here are indexed before the response).
    pub search: faro_search::SearchIndex,
    /// Where uploaded and published files live.
    pub files: faro_files::FileStore,
    pub config: WebConfig,
    /// Called after a request queued e-mail, so the sender delivers it at once.
    pub mail_queued: Arc<dyn Fn() + Send + Sync>,
    assets: assets::Assets,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(
        store: Store,
        search: faro_search::SearchIndex,
        files: faro_files::FileStore,
        config: WebConfig,
        mail_queued: Arc<dyn Fn() + Send + Sync>,
    ) -> Self {
        Self(Arc::new(Shared {
            store,
            search,
            files,
            config,
            mail_queued,
            assets: assets::Assets::load(),
        }))
    }
}

/// Serves the portal on `listener` until `shutdown` resolves, then lets running requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
