//! Start-up of the server-rendered portal: the shared background (`faro_api::runtime`) and the
//! axum pages. Tests call `start` with port 0 and a fresh database.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use faro_api::config::Settings;
use faro_api::runtime::{self, Background};
use faro_jobs::JobsConfig;
use faro_store::Store;
use faro_web::{AppState, WebConfig};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use faro_api::runtime::{OPERATOR_NAME, open_files, open_search, open_store, test_jobs};

/// A running portal.
pub struct Running {
    pub addr: SocketAddr,
    pub base_url: String,
    pub store: Store,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<()>,
    background: Background,
}

impl Running {
    /// Stops accepting requests, lets running ones finish, stops the jobs.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.server.await;
        self.background.stop().await;
        self.store.close().await;
    }

    /// Resolves when the server task ends (after a shutdown signal).
    pub async fn wait(self) {
        let _ = self.server.await;
        let _ = self.shutdown.send(true);
        self.background.stop().await;
        self.store.close().await;
    }
}

/// `faro serve`'s address when neither `--portal-url` nor `FARO_PORTAL_URL` says otherwise.
pub const DEFAULT_PORTAL_URL: &str = "http://127.0.0.1:8080";

pub struct StartOptions {
    pub jobs: JobsConfig,
    /// Stop on Ctrl-C / SIGTERM (the binary); tests stop through `Running::stop`.
    pub handle_signals: bool,
    /// Where `faro serve` answers: the old addresses of the knowledge base and the incidents are
    /// sent on there.
    pub portal_url: String,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            jobs: JobsConfig::default(),
            handle_signals: true,
            portal_url: DEFAULT_PORTAL_URL.to_owned(),
        }
    }
}

/// Binds, wires and serves. Returns once the listener is bound, so requests can be made at once.
pub async fn start(
    settings: &Settings,
    store: Store,
    opts: StartOptions,
) -> anyhow::Result<Running> {
    let listener = TcpListener::bind(settings.bind)
        .await
        .with_context(|| format!("cannot listen on {} (FARO_BIND)", settings.bind))?;
    let addr = listener.local_addr()?;
    let base_url = runtime::base_url(settings, addr);
    let background = Background::start(settings, &store, &base_url, opts.jobs).await?;
    let web = WebConfig {
        secure_cookies: base_url.starts_with("https://"),
        base_url: base_url.clone(),
        operator_name: store.setting(OPERATOR_NAME).await?,
        download_max_bytes: settings.download_max_bytes,
        portal_url: opts.portal_url.trim_end_matches('/').to_owned(),
    };
    let waker = background.waker.clone();
    let state = AppState::new(
        store.clone(),
        background.search.clone(),
        background.files.clone(),
        web,
        Arc::new(move || waker.wake()),
    );
    let (shutdown, mut stop_rx) = watch::channel(false);
    let handle_signals = opts.handle_signals;
    let stop_tx = shutdown.clone();
    let server = tokio::spawn(async move {
        let graceful = async move {
            if handle_signals {
                tokio::select! {
                    _ = runtime::termination() => { let _ = stop_tx.send(true); }
                    _ = stop_rx.changed() => {}
                }
            } else {
                let _ = stop_rx.changed().await;
            }
        };
        if let Err(e) = faro_web::serve(listener, state, graceful).await {
            tracing::error!(error = %e, "server stopped with an error");
        }
    });
    Ok(Running {
        addr,
        base_url,
        store,
        shutdown,
        server,
        background,
    })
}

/// Tells the operator how to get in: the one-time setup link while nobody has an account.
pub async fn sign_in_instructions(store: &Store, base_url: &str) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    if let Some(token) = store.issue_setup_token().await? {
        lines.push("Primer arranque: abre este enlace para crear la cuenta de administración (solo funciona una vez):".into());
        lines.push(format!("  {base_url}/setup?token={}", token.expose()));
        lines.push(
            "First run: open this link to create the administrator account (works once).".into(),
        );
    } else {
        lines.push(format!("Inicia sesión en {base_url}/login"));
    }
    Ok(lines)
}
