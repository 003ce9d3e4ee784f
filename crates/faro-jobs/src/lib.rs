//! Background work that every node runs: delivering the mail outbox (claimed row by row in the
//! database, so nodes never send one message twice) and housekeeping.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod files;
pub mod incidents;
pub mod index;

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use faro_mail::Mailer;
use faro_store::Store;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

/// Wakes the sender at once when a request has queued mail, instead of waiting for the next poll.
#[derive(Clone, Default)]
pub struct MailWaker(Arc<Notify>);

impl MailWaker {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

pub struct JobsConfig {
    /// How often the sender looks for due mail when nobody wakes it.
    pub mail_poll: Duration,
    /// Public address for links in e-mails the jobs write.
    pub base_url: String,
    /// Resolved incidents close themselves after this many days without an answer.
    pub auto_close_days: i64,
    pub housekeeping_every: Duration,
    /// How often this node's search index looks for changes saved on other nodes.
    pub index_poll: Duration,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self {
            mail_poll: Duration::from_secs(5),
            base_url: String::new(),
            auto_close_days: 7,
            housekeeping_every: Duration::from_secs(3600),
            index_poll: Duration::from_secs(5),
        }
    }
}

/// Waiting time before attempt `attempts + 1`: 30 s doubling, at most 6 h.
pub fn backoff(attempts: i32) -> TimeDelta {
    let exp = attempts.clamp(0, 10) as u32;
    let secs = 30i64.saturating_mul(1i64 << exp);
    TimeDelta::seconds(secs.min(6 * 3600))
}

/// Starts the background tasks; they stop when `shutdown` turns true.
pub fn spawn(
    store: Store,
    mailer: Arc<Mailer>,
    waker: MailWaker,
    search: Vec<Arc<dyn faro_search::SearchEngine>>,
    files: faro_files::FileStore,
    config: JobsConfig,
    shutdown: watch::Receiver<bool>,
) -> Vec<JoinHandle<()>> {
    vec![
        tokio::spawn(mail_sender(
            store.clone(),
            mailer,
            waker,
            config.mail_poll,
            shutdown.clone(),
        )),
        tokio::spawn(index_follower(
            store.clone(),
            search,
            config.index_poll,
            shutdown.clone(),
        )),
        tokio::spawn(view_flusher(store.clone(), shutdown.clone())),
        tokio::spawn(housekeeping(store, files, config, shutdown)),
    ]
}

/// Follows the change log so articles saved on any node become searchable here (and, for a
/// shared engine, on every node).
async fn index_follower(
    store: Store,
    engines: Vec<Arc<dyn faro_search::SearchEngine>>,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        for engine in &engines {
            if let Err(e) = index::sync(&store, engine.as_ref()).await {
                tracing::warn!(engine = engine.name(), error = %e, "search index sync failed; will retry");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Delivers every due message it can claim; returns how many it handled.
pub async fn deliver_due(store: &Store, mailer: &Mailer) -> usize {
    let batch = match store.claim_due_mail(20).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the mail outbox");
            return 0;
        }
    };
    let n = batch.len();
    for queued in batch {
        let result = match mailer.send(&queued.mail).await {
            Ok(()) => store.mark_mail_sent(queued.id).await,
            Err(e) => {
                let attempts = queued.attempts + 1;
                tracing::warn!(to = %queued.mail.to, attempts, error = %e, "mail delivery failed; will retry");
                store
                    .mark_mail_failed(
                        queued.id,
                        attempts,
                        Utc::now() + backoff(attempts),
                        &e.to_string(),
                    )
                    .await
            }
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "cannot record mail delivery state");
        }
    }
    n
}

async fn mail_sender(
    store: Store,
    mailer: Arc<Mailer>,
    waker: MailWaker,
    poll: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        if deliver_due(&store, &mailer).await > 0 {
            continue;
        }
        tokio::select! {
            _ = waker.0.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Writes buffered article reads every few seconds.
async fn view_flusher(store: Store, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = shutdown.changed() => return,
        }
        if let Err(e) = store.flush_article_views().await {
            tracing::warn!(error = %e, "article reads not saved yet; will retry");
        }
    }
}

/// How long an upload may take before its unfinished bytes count as abandoned.
pub const UPLOAD_GRACE: TimeDelta = TimeDelta::hours(24);

/// Removes uploads that started before `before` and never finished (the node stopped while the
/// bytes streamed in): their objects first, then their rows. Returns how many.
pub async fn sweep_unfinished_uploads(
    store: &Store,
    files: &faro_files::FileStore,
    before: chrono::DateTime<chrono::Utc>,
) -> Result<usize, faro_core::StoreError> {
    let stale = store.stale_files(before).await?;
    let mut removed = 0;
    for (id, key) in stale {
        match files.delete(&key).await {
            Ok(()) => {
                store.discard_file(id).await?;
                removed += 1;
            }
            Err(e) => tracing::warn!(key, error = %e, "unfinished upload not removed; will retry"),
        }
    }
    Ok(removed)
}

async fn housekeeping(
    store: Store,
    files: faro_files::FileStore,
    config: JobsConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let every = config.housekeeping_every;
    match files::move_article_images(&store, &files).await {
        Ok(n) if n > 0 => tracing::info!(moved = n, "article images moved to the file store"),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "article images not moved yet; next start retries"),
    }
    loop {
        match incidents::auto_close(&store, &config.base_url, config.auto_close_days).await {
            Ok(n) if n > 0 => tracing::info!(closed = n, "resolved incidents closed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "resolved incidents not closed"),
        }
        match store.purge_expired().await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions and attempts removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
        }
        match sweep_unfinished_uploads(&store, &files, chrono::Utc::now() - UPLOAD_GRACE).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "unfinished uploads removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "unfinished uploads not swept"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(1), TimeDelta::seconds(60));
        assert!(backoff(3) > backoff(2));
        assert_eq!(backoff(50), TimeDelta::hours(6));
    }
}
