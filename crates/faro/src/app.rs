//! Start-up wiring: database, migrations, mail, background jobs and the HTTP server. Tests call
//! `start` with port 0 and a fresh database; `faro serve` calls it with the configuration.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use faro_jobs::{JobsConfig, MailWaker};
use faro_mail::Mailer;
use faro_store::Store;
use faro_web::{AppState, WebConfig};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Settings;

/// The settings key of the support company's name (set by the demo; shown in the footer).
pub const OPERATOR_NAME: &str = "operator_name";

/// Opens the database and brings its schema up to date.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    if settings.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!(
                "cannot create the data folder {}",
                settings.data_dir.display()
            )
        })?;
    }
    let store = Store::connect(&settings.database_url)
        .await
        .with_context(|| "cannot open the database (FARO_DATABASE_URL)".to_string())?;
    store.migrate().await.context("database migration failed")?;
    Ok(store)
}

/// Opens this node's search index under the data folder; a new or outdated index is rebuilt
/// from the database before the portal serves.
pub async fn open_search(
    settings: &Settings,
    store: &Store,
) -> anyhow::Result<faro_search::SearchIndex> {
    let dir = settings.data_dir.join("index");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the search index folder {}", dir.display()))?;
    let index = faro_search::SearchIndex::open(&dir).context("cannot open the search index")?;
    if index.needs_rebuild() {
        let n = faro_jobs::index::rebuild(store, &index).await?;
        tracing::info!(documents = n, "search index rebuilt");
    } else {
        faro_jobs::index::sync(store, &index).await?;
    }
    Ok(index)
}

/// A running portal.
pub struct Running {
    pub addr: SocketAddr,
    pub base_url: String,
    pub store: Store,
    shutdown: watch::Sender<bool>,
    server: JoinHandle<()>,
    jobs: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting requests, lets running ones finish, stops the jobs.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.server.await;
        for j in self.jobs {
            let _ = j.await;
        }
        self.store.close().await;
    }

    /// Resolves when the server task ends (after a shutdown signal).
    pub async fn wait(self) {
        let Running {
            server,
            shutdown,
            jobs,
            store,
            ..
        } = self;
        let _ = server.await;
        let _ = shutdown.send(true);
        for j in jobs {
            let _ = j.await;
        }
        store.close().await;
    }
}

pub struct StartOptions {
    pub jobs: JobsConfig,
    /// Stop on Ctrl-C / SIGTERM (the binary); tests stop through `Running::stop`.
    pub handle_signals: bool,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            jobs: JobsConfig::default(),
            handle_signals: true,
        }
    }
}

/// The file store the settings name: `<data>/files`, or the S3 bucket.
pub fn open_files(settings: &Settings) -> anyhow::Result<faro_files::FileStore> {
    faro_files::FileStore::open(&settings.files)
        .context("file store (FARO_S3_BUCKET / FARO_S3_ENDPOINT / FARO_S3_REGION)")
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
    let base_url = settings.base_url.clone().unwrap_or_else(|| {
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        match addr {
            SocketAddr::V6(_) if !addr.ip().is_unspecified() => {
                format!("http://[{host}]:{}", addr.port())
            }
            _ => format!("http://{host}:{}", addr.port()),
        }
    });
    let mailer = Mailer::new(
        &settings.mail_from,
        settings.smtp_url.as_deref(),
        settings.data_dir.join("outbox"),
    )
    .context("mail configuration (FARO_SMTP_URL / FARO_MAIL_FROM)")?;
    tracing::info!(transport = mailer.describe(), "mail ready");

    let search = open_search(settings, &store).await?;
    let files = open_files(settings)?;
    tracing::info!(store = files.describe(), "file store ready");
    let (shutdown, shutdown_rx) = watch::channel(false);
    // The read caches are on only while this follows the other processes' and nodes' writes.
    let follower = store.clone();
    let mut follower_stop = shutdown_rx.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = follower.follow_changes() => {}
            _ = follower_stop.changed() => {}
        }
    });
    let waker = MailWaker::default();
    let mut jobs_config = opts.jobs;
    jobs_config.base_url = base_url.clone();
    jobs_config.auto_close_days = settings.auto_close_days;
    let jobs = faro_jobs::spawn(
        store.clone(),
        Arc::new(mailer),
        waker.clone(),
        search.clone(),
        files.clone(),
        jobs_config,
        shutdown_rx.clone(),
    );

    let web = WebConfig {
        secure_cookies: base_url.starts_with("https://"),
        base_url: base_url.clone(),
        operator_name: store.setting(OPERATOR_NAME).await?,
        download_max_bytes: settings.download_max_bytes,
        attachment_max_bytes: settings.attachment_max_bytes,
    };
    let state = AppState::new(
        store.clone(),
        search,
        files,
        settings.sla.clone(),
        web,
        Arc::new(move || waker.wake()),
    );
    let mut stop_rx = shutdown_rx;
    let handle_signals = opts.handle_signals;
    let stop_tx = shutdown.clone();
    let server = tokio::spawn(async move {
        let graceful = async move {
            if handle_signals {
                tokio::select! {
                    _ = termination() => { let _ = stop_tx.send(true); }
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
        jobs,
    })
}

async fn termination() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
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

/// Fast polling for tests, so outbox mail lands within milliseconds.
pub fn test_jobs() -> JobsConfig {
    JobsConfig {
        index_poll: Duration::from_millis(500),
        mail_poll: Duration::from_millis(200),
        housekeeping_every: Duration::from_secs(3600),
        ..JobsConfig::default()
    }
}
