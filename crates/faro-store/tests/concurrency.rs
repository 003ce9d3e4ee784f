//! Two writers on one SQLite file, each its own store (as two processes would be), running
//! read-then-write transactions at the same time: none may fail with "database is locked", and
//! none may be lost. (A deferred transaction here failed 575 times in 800 before writes took the
//! lock at once: see PITFALLS.md.)

use chrono::TimeDelta;
use faro_store::{Limit, Store};

const EACH: usize = 1_000;

/// Each call counts the events of its key, then records one: a read, then a write.
const LIMIT: Limit = Limit {
    kind: "concurrency_test",
    max: u64::MAX,
    window: TimeDelta::hours(1),
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_writers_never_see_database_is_locked() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("faro.db").display());
    let first = Store::connect(&url).await.unwrap();
    first.migrate().await.unwrap();
    let second = Store::connect(&url).await.unwrap();
    let run = |store: Store| {
        tokio::spawn(async move {
            let mut failures = Vec::new();
            for _ in 0..EACH {
                match store.within_limits(&[(LIMIT, "shared-key")]).await {
                    Ok(true) => {}
                    Ok(false) => failures.push("refused".to_string()),
                    Err(e) => failures.push(e.to_string()),
                }
            }
            failures
        })
    };
    let (a, b) = (run(first.clone()), run(second.clone()));
    let mut failures = a.await.unwrap();
    failures.extend(b.await.unwrap());
    let locked = failures.iter().filter(|f| f.contains("locked")).count();
    assert_eq!(locked, 0, "database is locked {locked} times");
    assert!(failures.is_empty(), "{failures:?}");
    // Every write is there: the next check counts all 2,000 events of the key.
    let full = Limit {
        max: (2 * EACH) as u64,
        ..LIMIT
    };
    assert!(!first.within_limits(&[(full, "shared-key")]).await.unwrap());
    let one_more = Limit {
        max: (2 * EACH + 1) as u64,
        ..LIMIT
    };
    assert!(
        second
            .within_limits(&[(one_more, "shared-key")])
            .await
            .unwrap()
    );
    first.close().await;
    second.close().await;
}
