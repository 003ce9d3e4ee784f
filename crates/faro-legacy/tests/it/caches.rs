//! The read caches behind the pages (sessions, people) never show what has changed: a write
//! made by another node or by hand in the database is seen within moments (PostgreSQL
//! notifications, SQLite's data version). The knowledge base's caches are the API's now
//! (api/tests/api/caches.rs).

use std::time::{Duration, Instant};

use faro_core::Viewer;
use faro_core::records::Actor;
use faro_store::Store;
use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(writes_from_anywhere_are_seen);

/// Asks `path` until `done` holds for the answer; fails after a few seconds.
async fn eventually(who: &Client, path: &str, done: impl Fn(&Page) -> bool, what: &str) {
    let start = Instant::now();
    loop {
        let page = who.get(path).await;
        if done(&page) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{what}: still {} after 5 s",
            page.status
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn writes_from_anywhere_are_seen(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Alfa S.A.", "coord@alfa.es", true).await;
    let member = join(app, &a.code, "Ana Alfa", "ana@alfa.es").await;
    let ana = person_id(
        &admin.get(&format!("/memberships/{}", a.id)).await,
        "ana@alfa.es",
    );

    // The caches switch on once the change follower is connected.
    let start = Instant::now();
    while app.store().freshness().epoch().is_none() {
        assert!(start.elapsed() < Duration::from_secs(5), "caches never on");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for _ in 0..3 {
        member.get("/profile").await.assert_contains("Ana Alfa");
    }

    // Someone edits the database by hand.
    app.sql("UPDATE users SET name = 'Ana Retocada' WHERE email = 'ana@alfa.es'")
        .await;
    eventually(
        &member,
        "/profile",
        |p| p.body.contains("Ana Retocada"),
        "name changed by hand",
    )
    .await;

    // Another node switches the person off: their session stops working.
    let other = Store::connect(&app.database_url).await.unwrap();
    other
        .set_person_active(
            &Viewer::system(),
            &Actor::default(),
            ana.parse().unwrap(),
            false,
        )
        .await
        .unwrap();
    eventually(
        &member,
        "/profile",
        |p| {
            p.status == StatusCode::SEE_OTHER
                && p.location
                    .as_deref()
                    .is_some_and(|l| l.starts_with("/login"))
        },
        "person deactivated by another node",
    )
    .await;
    other.close().await;
}
