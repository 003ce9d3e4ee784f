//! The read caches behind article pages never show what has changed: a write made through
//! this portal is seen by the very next request, and one made by another node or by hand in the
//! database is seen within moments (PostgreSQL notifications, SQLite's data version).

use std::time::{Duration, Instant};

use faro_core::Viewer;
use faro_core::kb::{ArticleDraft, ArticleKind, ArticleState};
use faro_core::records::Actor;
use faro_store::{Author, Store};
use reqwest::StatusCode;
use uuid::Uuid;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(writes_from_anywhere_are_seen, one_kept_page_many_readers);

fn draft(title: &str, membership: Uuid) -> ArticleDraft {
    ArticleDraft {
        title: title.into(),
        summary: "Resumen".into(),
        body: "Cuerpo del artículo.".into(),
        kind: ArticleKind::Tutorial,
        state: ArticleState::Published,
        category_id: None,
        membership_id: Some(membership),
        tags: Vec::new(),
        note: String::new(),
    }
}

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
    let b = create_membership(&admin, "Beta S.L.", "coord@beta.es", true).await;
    let member = join(app, &a.code, "Ana Alfa", "ana@alfa.es").await;
    let (a_id, b_id): (Uuid, Uuid) = (a.id.parse().unwrap(), b.id.parse().unwrap());
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

    let system = Viewer::system();
    let author = Author {
        id: None,
        name: "Soporte".into(),
    };
    let article = app
        .store()
        .create_article(
            &system,
            &author,
            draft("Copias de seguridad nocturnas", a_id),
        )
        .await
        .unwrap();
    let path = format!("/kb/{}", article.slug);
    for _ in 0..3 {
        member
            .get(&path)
            .await
            .assert_contains("Copias de seguridad nocturnas");
    }

    // Another node moves the article to another membership: gone for Alfa.
    let other = Store::connect(&app.database_url).await.unwrap();
    other
        .update_article(&system, &author, article.id, draft("Copias movidas", b_id))
        .await
        .unwrap();
    eventually(
        &member,
        &path,
        |p| p.status == StatusCode::NOT_FOUND && !p.body.contains("Copias movidas"),
        "article moved to Beta by another node",
    )
    .await;

    // This node moves it back: the very next request sees it.
    app.store()
        .update_article(
            &system,
            &author,
            article.id,
            draft("Copias de vuelta", a_id),
        )
        .await
        .unwrap();
    member.get(&path).await.assert_contains("Copias de vuelta");

    // Someone edits the database by hand.
    app.sql("UPDATE kb_articles SET title = 'Retocado a mano'")
        .await;
    eventually(
        &member,
        &path,
        |p| p.body.contains("Retocado a mano"),
        "title changed by hand",
    )
    .await;

    // Another node switches the person off: their session stops working.
    other
        .set_person_active(&system, &Actor::default(), ana.parse().unwrap(), false)
        .await
        .unwrap();
    eventually(
        &member,
        &path,
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

/// Readers of one membership share one kept article page; each still gets their own name,
/// CSRF token, address and answer to "was it helpful?", and their forms work.
async fn one_kept_page_many_readers(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Alfa S.A.", "coord@alfa.es", true).await;
    let ana = join(app, &a.code, "Ana O'Alfa", "ana@alfa.es").await;
    let luis = join(app, &a.code, "Luis Alfa", "luis@alfa.es").await;
    let article = app
        .store()
        .create_article(
            &Viewer::system(),
            &Author {
                id: None,
                name: "Soporte".into(),
            },
            draft("Reiniciar el router", a.id.parse().unwrap()),
        )
        .await
        .unwrap();
    let path = format!("/kb/{}", article.slug);
    let with_query = format!("{path}?desde=inicio&x=1");

    for _ in 0..3 {
        for (who, name, other) in [
            (&ana, "Ana O&#39;Alfa", "Luis Alfa"),
            (&luis, "Luis Alfa", "O&#39;Alfa"),
        ] {
            let page = who.get(&with_query).await;
            assert_eq!(page.status, StatusCode::OK);
            let token = who.cookie("faro_csrf").unwrap();
            page.assert_contains(name)
                .assert_contains(&format!("name=\"_csrf\" value=\"{token}\""))
                .assert_contains(&format!(
                    "name=\"next\" value=\"{path}?desde=inicio&#38;x=1\""
                ))
                .assert_contains("Reiniciar el router")
                .assert_lacks(other)
                .assert_lacks("\u{1}")
                .assert_lacks("útil. Puedes cambiar");
        }
    }
    let voted = ana
        .post(
            &format!("{path}/feedback"),
            &[("helpful", "yes"), ("remark", "")],
        )
        .await;
    assert_eq!(voted.status, StatusCode::SEE_OTHER, "{}", voted.body);
    ana.get(&path)
        .await
        .assert_contains("Dijiste que te resultó útil");
    luis.get(&path).await.assert_lacks("útil. Puedes cambiar");
    let commented = luis
        .post(
            &format!("{path}/comments"),
            &[("body", "Funcionó a la primera")],
        )
        .await;
    assert_eq!(
        commented.status,
        StatusCode::SEE_OTHER,
        "{}",
        commented.body
    );
    ana.get(&path)
        .await
        .assert_contains("Funcionó a la primera");
}
