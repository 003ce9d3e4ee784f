//! The read caches behind the API (people, articles, rendered Markdown) never answer with what
//! has changed: a write through this node is seen by the very next request, and one made by
//! another node or by hand in the database within moments (PostgreSQL notifications, SQLite's
//! data version).

use std::time::{Duration, Instant};

use faro_core::Viewer;
use faro_core::kb::{ArticleDraft, ArticleKind, ArticleState};
use faro_core::records::Actor;
use faro_store::{Author, Store};
use uuid::Uuid;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(writes_from_anywhere_are_seen);

fn draft(title: &str, membership: Uuid) -> ArticleDraft {
    ArticleDraft {
        title: title.into(),
        summary: "Resumen".into(),
        body: format!("Cuerpo de *{title}*."),
        kind: ArticleKind::Tutorial,
        state: ArticleState::Published,
        category_id: None,
        membership_id: Some(membership),
        tags: Vec::new(),
        note: String::new(),
    }
}

/// Asks `path` until `done` holds for the answer; fails after five seconds.
async fn eventually(who: &Client, path: &str, done: impl Fn(&Reply) -> bool, what: &str) {
    let start = Instant::now();
    loop {
        let r = who.get(path).await;
        if done(&r) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{what}: still {} {} after 5 s",
            r.status,
            r.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn writes_from_anywhere_are_seen(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, a_code) = create_membership(&admin, "Alfa S.A.", "coord@alfa.es").await;
    let (b_id, _) = create_membership(&admin, "Beta S.L.", "coord@beta.es").await;
    let ana = join(app, &a_code, "Ana Alfa", "ana@alfa.es").await;
    let ana_id: Uuid = ana.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let (a_id, b_id): (Uuid, Uuid) = (a_id.parse().unwrap(), b_id.parse().unwrap());

    // The caches switch on once the change follower is connected.
    let start = Instant::now();
    while app.store().freshness().epoch().is_none() {
        assert!(start.elapsed() < Duration::from_secs(5), "caches never on");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let system = Viewer::system();
    let author = Author {
        id: None,
        name: "Soporte".into(),
    };
    let article = app
        .store()
        .create_article(&system, &author, draft("Copias nocturnas", a_id))
        .await
        .unwrap();
    let path = format!("/api/v1/kb/articles/{}", article.slug);
    for _ in 0..3 {
        let r = ana.get(&path).await;
        r.expect(200);
        assert_eq!(r.body["title"], "Copias nocturnas");
        assert!(
            r.body["body_html"]
                .as_str()
                .unwrap()
                .contains("<em>Copias nocturnas</em>")
        );
    }

    // Another node moves the article to another membership: gone for Alfa.
    let other = Store::connect(&app.database_url).await.unwrap();
    other
        .update_article(&system, &author, article.id, draft("Copias movidas", b_id))
        .await
        .unwrap();
    eventually(
        &ana,
        &path,
        |r| r.status == 404 && !r.body.to_string().contains("Copias movidas"),
        "article moved to Beta by another node",
    )
    .await;

    // This node moves it back: the very next request sees it, HTML and all.
    app.store()
        .update_article(
            &system,
            &author,
            article.id,
            draft("Copias de vuelta", a_id),
        )
        .await
        .unwrap();
    let r = ana.get(&path).await;
    r.expect(200);
    assert_eq!(r.body["title"], "Copias de vuelta");
    assert!(
        r.body["body_html"]
            .as_str()
            .unwrap()
            .contains("<em>Copias de vuelta</em>")
    );

    // Someone edits the database by hand.
    app.sql("UPDATE kb_articles SET title = 'Retocado a mano'")
        .await;
    eventually(
        &ana,
        &path,
        |r| r.status == 200 && r.body["title"] == "Retocado a mano",
        "title changed by hand",
    )
    .await;

    // Another node switches the person off: their token stops working.
    other
        .set_person_active(&system, &Actor::default(), ana_id, false)
        .await
        .unwrap();
    eventually(
        &ana,
        &path,
        |r| r.status == 401,
        "person deactivated by another node",
    )
    .await;
    other.close().await;
}
