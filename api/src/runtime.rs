//! What every Faro server process runs besides HTTP, shared by the API server and the legacy
//! pages: the database (migrated), this node's search index, the file store, mail and the
//! background jobs, and the first-run instructions.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use faro_jobs::{JobsConfig, MailWaker};
use faro_mail::Mailer;
use faro_store::Store;
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

/// Opens this node's search index (`FARO_INDEX_DIR`, default `<data>/index`); a new or
/// outdated index is rebuilt from the database before the portal serves.
pub async fn open_search(
    settings: &Settings,
    store: &Store,
) -> anyhow::Result<faro_search::SearchIndex> {
    let dir = &settings.index_dir;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the search index folder {}", dir.display()))?;
    let index = faro_search::SearchIndex::open(dir).with_context(|| {
        format!(
            "cannot open the search index in {} (does another Faro process use it? give each its own FARO_INDEX_DIR)",
            dir.display()
        )
    })?;
    if index.needs_rebuild() {
        let n = faro_jobs::index::rebuild(store, &index).await?;
        tracing::info!(documents = n, "search index rebuilt");
    } else {
        faro_jobs::index::sync(store, &index).await?;
    }
    Ok(index)
}

/// What searches answer from: the shared Meilisearch index when `FARO_MEILISEARCH_URL` is set
/// (connected, its settings applied, filled from the database when new), else this node's
/// embedded index.
pub async fn open_engine(
    settings: &Settings,
    store: &Store,
    embedded: &faro_search::SearchIndex,
) -> anyhow::Result<Arc<dyn faro_search::SearchEngine>> {
    let Some(config) = &settings.meilisearch else {
        return Ok(Arc::new(embedded.clone()));
    };
    let engine = connect_meilisearch(config).await?;
    if faro_jobs::index::needs_rebuild(store, &engine).await? {
        let n = faro_jobs::index::rebuild(store, &engine).await?;
        tracing::info!(
            documents = n,
            index = engine.uid(),
            "Meilisearch index rebuilt"
        );
    } else {
        faro_jobs::index::sync(store, &engine).await?;
    }
    tracing::info!(url = %config.url, index = engine.uid(), "searching with Meilisearch");
    Ok(Arc::new(engine))
}

pub async fn connect_meilisearch(
    config: &faro_search::MeiliConfig,
) -> anyhow::Result<faro_search::MeiliEngine> {
    faro_search::MeiliEngine::connect(config)
        .await
        .with_context(|| {
            format!(
                "cannot use Meilisearch at {} (FARO_MEILISEARCH_URL, FARO_MEILISEARCH_KEY)",
                config.url
            )
        })
}

/// The file store the settings name: `<data>/files`, or the S3 bucket.
pub fn open_files(settings: &Settings) -> anyhow::Result<faro_files::FileStore> {
    faro_files::FileStore::open(&settings.files)
        .context("file store (FARO_S3_BUCKET / FARO_S3_ENDPOINT / FARO_S3_REGION)")
}

/// The public address for links: `FARO_BASE_URL`, or the address actually bound.
pub fn base_url(settings: &Settings, addr: SocketAddr) -> String {
    settings.base_url.clone().unwrap_or_else(|| {
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
    })
}

/// The parts of a running node that are not HTTP.
pub struct Background {
    /// This node's embedded index (the legacy pages read it directly).
    pub search: faro_search::SearchIndex,
    /// What the API searches: Meilisearch when configured, else the embedded index.
    pub engine: Arc<dyn faro_search::SearchEngine>,
    pub files: faro_files::FileStore,
    /// Wakes the mail sender when a request queued mail.
    pub waker: MailWaker,
    pub shutdown: watch::Sender<bool>,
    pub jobs: Vec<JoinHandle<()>>,
}

impl Background {
    /// Mail, search index, file store, the cache follower and the jobs, for a node whose links
    /// start with `base_url`.
    pub async fn start(
        settings: &Settings,
        store: &Store,
        base_url: &str,
        jobs: JobsConfig,
    ) -> anyhow::Result<Self> {
        let mailer = Mailer::new(
            &settings.mail_from,
            settings.smtp_url.as_deref(),
            settings.data_dir.join("outbox"),
        )
        .context("mail configuration (FARO_SMTP_URL / FARO_MAIL_FROM)")?;
        tracing::info!(transport = mailer.describe(), "mail ready");
        let search = open_search(settings, store).await?;
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
        let mut jobs_config = jobs;
        jobs_config.base_url = base_url.to_owned();
        jobs_config.auto_close_days = settings.auto_close_days;
        let engine = open_engine(settings, store, &search).await?;
        // The follower keeps every engine in step: the embedded index (the legacy pages read
        // it) and Meilisearch when it is the engine.
        let mut followed: Vec<Arc<dyn faro_search::SearchEngine>> = vec![Arc::new(search.clone())];
        if settings.meilisearch.is_some() {
            followed.push(engine.clone());
        }
        let jobs = faro_jobs::spawn(
            store.clone(),
            Arc::new(mailer),
            waker.clone(),
            followed,
            files.clone(),
            jobs_config,
            shutdown_rx,
        );
        Ok(Self {
            search,
            engine,
            files,
            waker,
            shutdown,
            jobs,
        })
    }

    /// Stops the jobs and waits for them.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for j in self.jobs {
            let _ = j.await;
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn termination() {
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

/// Fast polling for tests, so outbox mail lands within milliseconds.
pub fn test_jobs() -> JobsConfig {
    JobsConfig {
        index_poll: Duration::from_millis(500),
        mail_poll: Duration::from_millis(200),
        housekeeping_every: Duration::from_secs(3600),
        ..JobsConfig::default()
    }
}
