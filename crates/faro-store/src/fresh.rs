//! Read caches that never serve stale data, so hot pages (an article read by everyone) need no
//! database round trip.
//!
//! Every committed write bumps one counter, the *epoch*. A reader notes the epoch before it reads
//! the database and files what it read under that epoch; an entry is served only while the epoch
//! has not moved. A write that commits while the read is in flight moves the epoch, so what that
//! read saw is never served. Writes of this process bump the epoch right after their commit;
//! writes of other processes or nodes reach it through `Store::follow_changes` (PostgreSQL
//! `LISTEN`/`NOTIFY`, delivered on commit; SQLite's `data_version`, polled). While that follower
//! is not connected, the caches are off and every read goes to the database.
//!
//! The unit is deliberately the whole database: any write transaction empties every cache
//! (`Store::commit`), as do the few single statements outside one that change what the caches
//! hold (`Store::wrote`). Writes are rare next to reads in a help desk, and one counter leaves
//! no write path to forget.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// How often SQLite's `data_version` is read: the longest another process's write (a command
/// line `faro …` run beside the server) can go unseen.
pub const POLL_EVERY: Duration = Duration::from_millis(100);

/// The PostgreSQL channel every write transaction notifies on commit (migration 0010's
/// triggers notify on it too).
pub(crate) const CHANNEL: &str = "faro_changed";
/// The statement that does it.
pub(crate) const NOTIFY: &str = "NOTIFY faro_changed";
/// How often the PostgreSQL listener looks for notifications (diesel exposes no socket to wait
/// on), and how often it checks that its connection still answers.
const LISTEN_EVERY: Duration = Duration::from_millis(20);
const PROBE_EVERY: Duration = Duration::from_secs(5);

#[derive(Default)]
pub struct Freshness {
    epoch: AtomicU64,
    live: AtomicBool,
}

impl Freshness {
    /// The epoch to file a read under, or `None` while caching is off.
    pub fn epoch(&self) -> Option<u64> {
        // The epoch is read before `live` so that a follower switching off in between cannot
        // let a read through with an epoch taken while it was on.
        let e = self.epoch.load(Ordering::Acquire);
        self.live.load(Ordering::Acquire).then_some(e)
    }

    /// Something changed: nothing read before now may be served.
    pub fn bump(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// Turns caching on (the follower is connected) or off (it lost its connection). Either way
    /// the epoch moves: what was read while nobody listened is not trusted.
    pub(crate) fn set_live(&self, live: bool) {
        if !live {
            self.live.store(false, Ordering::Release);
        }
        self.bump();
        if live {
            self.live.store(true, Ordering::Release);
        }
    }
}

/// One cache: values filed under the epoch they were read in. Bounded: past `capacity` entries
/// it starts again, which is cheap and keeps memory flat whatever the traffic.
pub struct ReadCache<K, V> {
    entries: Mutex<HashMap<K, (u64, V)>>,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> ReadCache<K, V> {
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    pub fn get(&self, fresh: &Freshness, key: &K) -> Option<V> {
        let now = fresh.epoch()?;
        let entries = self.entries.lock().ok()?;
        let (at, v) = entries.get(key)?;
        (*at == now).then(|| v.clone())
    }

    /// The value under `key`, or what `read` answers (filed for next time). `read` is a future,
    /// so it has not asked anything yet: the epoch taken here comes before its reads.
    pub async fn get_or_read<E>(
        &self,
        fresh: &Freshness,
        key: K,
        read: impl Future<Output = Result<V, E>>,
    ) -> Result<V, E> {
        if let Some(v) = self.get(fresh, &key) {
            return Ok(v);
        }
        let read_at = fresh.epoch();
        let v = read.await?;
        self.put(fresh, read_at, key, v.clone());
        Ok(v)
    }

    /// Files `value`, read after `read_at` was taken, unless something changed since.
    pub fn put(&self, fresh: &Freshness, read_at: Option<u64>, key: K, value: V) {
        let Some(at) = read_at else { return };
        if fresh.epoch() != Some(at) {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.capacity {
                entries.clear();
            }
            entries.insert(key, (at, value));
        }
    }
}

impl crate::Store {
    /// What the read caches go by; the web layer files what it derives from store reads (a
    /// rendered comment list, say) under the same epoch.
    pub fn freshness(&self) -> &Freshness {
        &self.fresh
    }

    /// Follows writes made by other processes and nodes, forever; the caches are on only while
    /// this runs and is connected. The server spawns it once at start.
    pub async fn follow_changes(&self) {
        loop {
            let outcome = match self.backend() {
                crate::Backend::Postgres => self.listen_postgres().await,
                crate::Backend::Sqlite => self.poll_sqlite().await,
            };
            self.fresh.set_live(false);
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "lost the change feed; caches off until it is back");
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// A connection of its own (`LISTEN` belongs to a session), polled on the blocking pool.
    /// Notifications sent while it was not connected are lost: `set_live(false)` covers them.
    async fn listen_postgres(&self) -> Result<(), String> {
        use diesel::connection::SimpleConnection;
        let target = self.target.clone();
        let mut conn = blocking(move || {
            let mut c = target.establish().map_err(|e| e.to_string())?;
            c.batch_execute(&format!("LISTEN {CHANNEL}"))
                .map_err(|e| e.to_string())?;
            Ok(c)
        })
        .await?;
        self.fresh.set_live(true);
        let mut probed = std::time::Instant::now();
        loop {
            tokio::time::sleep(LISTEN_EVERY).await;
            let probe = probed.elapsed() >= PROBE_EVERY;
            if probe {
                probed = std::time::Instant::now();
            }
            let (back, heard) = blocking(move || {
                let heard = match &mut conn {
                    crate::db::DbConn::Pg(c) => {
                        if probe {
                            c.batch_execute("SELECT 1").map_err(|e| e.to_string())?;
                        }
                        let mut n = 0usize;
                        for note in c.notifications_iter() {
                            note.map_err(|e| e.to_string())?;
                            n += 1;
                        }
                        n
                    }
                    crate::db::DbConn::Sqlite(_) => 0,
                };
                Ok((conn, heard))
            })
            .await?;
            conn = back;
            if heard > 0 {
                self.fresh.bump();
            }
        }
    }

    /// A connection of its own: `data_version` moves when any *other* connection commits.
    async fn poll_sqlite(&self) -> Result<(), String> {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Version {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            data_version: i64,
        }
        fn read(c: &mut crate::db::DbConn) -> Result<i64, String> {
            diesel::sql_query("PRAGMA data_version")
                .get_result::<Version>(c)
                .map(|v| v.data_version)
                .map_err(|e| e.to_string())
        }
        let target = self.target.clone();
        let (mut conn, mut seen) = blocking(move || {
            let mut c = target.establish().map_err(|e| e.to_string())?;
            let v = read(&mut c)?;
            Ok((c, v))
        })
        .await?;
        self.fresh.set_live(true);
        loop {
            tokio::time::sleep(POLL_EVERY).await;
            let (back, now) = blocking(move || {
                let v = read(&mut conn)?;
                Ok((conn, v))
            })
            .await?;
            conn = back;
            if now != seen {
                seen = now;
                self.fresh.bump();
            }
        }
    }
}

/// Runs a step of a follower on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| e.to_string())?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_served_while_the_follower_is_off() {
        let fresh = Freshness::default();
        let cache = ReadCache::new(10);
        cache.put(&fresh, fresh.epoch(), 1, "a");
        assert_eq!(cache.get(&fresh, &1), None);
    }

    #[test]
    fn a_write_during_the_read_keeps_it_out() {
        let fresh = Freshness::default();
        fresh.set_live(true);
        let cache = ReadCache::new(10);
        let at = fresh.epoch();
        fresh.bump();
        cache.put(&fresh, at, 1, "old");
        assert_eq!(cache.get(&fresh, &1), None);
    }

    #[tokio::test]
    async fn get_or_read_takes_the_epoch_before_reading() {
        let fresh = Freshness::default();
        fresh.set_live(true);
        let cache = ReadCache::new(10);
        let read = async {
            fresh.bump(); // a write commits while the database is being read
            Ok::<_, ()>("old")
        };
        assert_eq!(cache.get_or_read(&fresh, 1, read).await, Ok("old"));
        assert_eq!(cache.get(&fresh, &1), None);
        let read = async { Ok::<_, ()>("new") };
        assert_eq!(cache.get_or_read(&fresh, 1, read).await, Ok("new"));
        let unused = async { Ok::<_, ()>("never read") };
        assert_eq!(cache.get_or_read(&fresh, 1, unused).await, Ok("new"));
    }

    #[test]
    fn a_write_after_the_read_hides_it() {
        let fresh = Freshness::default();
        fresh.set_live(true);
        let cache = ReadCache::new(10);
        cache.put(&fresh, fresh.epoch(), 1, "a");
        assert_eq!(cache.get(&fresh, &1), Some("a"));
        fresh.bump();
        assert_eq!(cache.get(&fresh, &1), None);
        fresh.set_live(false);
        cache.put(&fresh, fresh.epoch(), 1, "b");
        assert_eq!(cache.get(&fresh, &1), None);
    }

    #[test]
    fn stays_within_its_capacity() {
        let fresh = Freshness::default();
        fresh.set_live(true);
        let cache = ReadCache::new(3);
        for i in 0..10 {
            cache.put(&fresh, fresh.epoch(), i, i);
        }
        assert!(cache.entries.lock().map(|e| e.len()).unwrap_or(0) <= 3);
        assert_eq!(cache.get(&fresh, &9), Some(9));
    }
}
