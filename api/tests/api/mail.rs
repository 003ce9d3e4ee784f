//! Mail is never lost: while SMTP is down, messages stay in the outbox with the error and are
//! retried later; once delivery works they go out.

use std::net::TcpListener;

use serde_json::json;

use crate::support::*;

async fn undeliverable_mail_is_kept_and_retried(db: Db) {
    // An SMTP address where nothing listens.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let Some(app) = TestApp::spawn_with(db, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))
    })
    .await
    else {
        return;
    };
    let admin = setup_admin(&app).await;
    // Activating a membership e-mails its invitation code to the coordinator.
    admin
        .post(
            "/api/v1/memberships",
            json!({"name": "Correo Caído S.L.", "coordinator_email": "coord@caido.es", "contract_state": "contract", "activate": true}),
        )
        .await
        .expect(201);

    // The sender tries, fails, and keeps the message with the reason and a later retry time.
    let start = std::time::Instant::now();
    while app
        .sql_count("SELECT COUNT(*) FROM outbox WHERE attempts >= 1")
        .await
        == 0
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "no delivery attempt"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.sql_count(
            "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL \
             AND last_error IS NOT NULL AND last_error <> ''"
        )
        .await,
        1,
        "the failed attempt is recorded with its reason, not as sent"
    );
    assert_eq!(app.store().pending_mail_count().await.unwrap(), 1);
    assert!(app.mails_to("coord@caido.es").is_empty());

    // SMTP is back (here: the folder transport); the due message is delivered. The server's
    // own sender still points at the dead server and may claim the message first, so retry.
    let working = faro_mail::Mailer::new("Faro <faro@localhost>", None, app.outbox()).unwrap();
    let mut delivered = 0;
    for _ in 0..50 {
        app.sql(
            "UPDATE outbox SET next_attempt_at = '2020-01-01 00:00:00+00:00', claimed_until = NULL",
        )
        .await;
        delivered = faro_jobs::deliver_due(app.store(), &working).await;
        if delivered == 1 {
            break;
        }
    }
    assert_eq!(delivered, 1);
    assert_eq!(app.store().pending_mail_count().await.unwrap(), 0);
    let mail = app
        .mails_to("coord@caido.es")
        .pop()
        .expect("the message was delivered");
    assert!(mail.text.contains("Correo Caído S.L."), "{}", mail.text);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undeliverable_mail_is_kept_and_retried_sqlite() {
    undeliverable_mail_is_kept_and_retried(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undeliverable_mail_is_kept_and_retried_postgres() {
    undeliverable_mail_is_kept_and_retried(Db::Postgres).await;
}
