//! Setup, joining, confirmation, password reset and the profile over the API.

use serde_json::json;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(setup_join_reset_and_profile);

async fn setup_join_reset_and_profile(app: &TestApp) {
    let anon = app.client();
    assert_eq!(anon.get("/api/v1/setup").await.body["needs_setup"], true);
    anon.post(
        "/api/v1/setup",
        json!({"token": "0".repeat(64), "name": "X", "email": "x@y.es", "password": PASSWORD}),
    )
    .await
    .problem(404, "link_invalid");
    let admin = setup_admin(app).await;
    assert_eq!(anon.get("/api/v1/setup").await.body["needs_setup"], false);
    assert_eq!(admin.get("/api/v1/me").await.body["role"], "admin");

    let (_, code) = create_membership(&admin, "Talleres Ruiz S.L.", "lucia@ruiz.es").await;
    // Join refusals: each field named; a wrong code is a conflict; nothing is created.
    let r = anon
        .post(
            "/api/v1/join",
            json!({"code": "x", "name": "", "email": "no", "password": "corta"}),
        )
        .await;
    r.problem(422, "validation_failed");
    let mut f = r.fields();
    f.sort();
    assert_eq!(f, ["code", "email", "name", "password"]);
    anon.post(
        "/api/v1/join",
        json!({"code": "AAAA-BBBB-CCCC-DDDD", "name": "N", "email": "n@ruiz.es", "password": PASSWORD}),
    )
    .await;
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM users WHERE email = 'n@ruiz.es'")
            .await,
        0
    );

    // Join in English: the mail is in English; the account exists only after confirming.
    let r = anon
        .post(
            "/api/v1/join",
            json!({"code": code, "name": "Jorge Ruiz", "email": "jorge@ruiz.es", "password": PASSWORD, "language": "en"}),
        )
        .await;
    r.expect(202);
    assert!(
        r.body["message"].as_str().unwrap().contains("e-mail"),
        "{r:?}"
    );
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM users WHERE email = 'jorge@ruiz.es'")
            .await,
        0
    );
    let link = app
        .wait_for_link("jorge@ruiz.es", "/join/confirm?token=", 0)
        .await;
    let mail = app.mails_to("jorge@ruiz.es").pop().unwrap();
    assert!(
        mail.text.contains(&format!("{}{link}", app.base)),
        "links point at this portal"
    );
    assert!(mail.text.contains("Confirm"), "in English: {}", mail.text);
    let token = link.split("token=").nth(1).unwrap().to_string();
    anon.post("/api/v1/join/confirm", json!({"token": "f".repeat(64)}))
        .await
        .problem(404, "link_invalid");
    let r = anon
        .post("/api/v1/join/confirm", json!({"token": token}))
        .await;
    r.expect(200);
    assert_eq!(r.body["language"], "en");
    anon.post("/api/v1/join/confirm", json!({"token": token}))
        .await
        .problem(404, "link_invalid");
    let mut jorge = app.client();
    jorge.login("jorge@ruiz.es", PASSWORD).await.expect(200);
    // Errors follow the person's language.
    let r = jorge.patch("/api/v1/me", json!({"name": ""})).await;
    r.problem(422, "validation_failed");
    assert_eq!(r.header("content-language"), "en");

    // Profile: name and language; the language applies to the very next answer.
    let r = jorge
        .patch(
            "/api/v1/me",
            json!({"name": "Jorge Ruiz Gil", "language": "es"}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["name"], "Jorge Ruiz Gil");
    assert_eq!(r.body["language"], "es");
    let r = jorge.patch("/api/v1/me", json!({"name": "\u{7}"})).await;
    assert_eq!(r.header("content-language"), "es");

    // Forgotten password: the same answer for unknown addresses; a single-use link.
    let r = anon
        .post("/api/v1/password/forgot", json!({"email": "nadie@ruiz.es"}))
        .await;
    r.expect(202);
    let r2 = anon
        .post("/api/v1/password/forgot", json!({"email": "jorge@ruiz.es"}))
        .await;
    r2.expect(202);
    assert_eq!(r.body, r2.body);
    let link = app
        .wait_for_link("jorge@ruiz.es", "/password/reset?token=", 0)
        .await;
    let token = link.split("token=").nth(1).unwrap().to_string();
    let r = anon
        .post(
            "/api/v1/password/reset",
            json!({"token": token, "password": "1234"}),
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["password"]);
    anon.post(
        "/api/v1/password/reset",
        json!({"token": token, "password": "nueva frase larguísima"}),
    )
    .await
    .expect(204);
    anon.post(
        "/api/v1/password/reset",
        json!({"token": token, "password": "nueva frase larguísima"}),
    )
    .await
    .problem(404, "link_invalid");
    // The reset signed the account out everywhere.
    jorge.get("/api/v1/me").await.problem(401, "session_ended");
    jorge
        .login("jorge@ruiz.es", "nueva frase larguísima")
        .await
        .expect(200);
    jorge
        .login("jorge@ruiz.es", PASSWORD)
        .await
        .problem(401, "login_failed");

    // Joining limits: 3 requests an hour for one address.
    for _ in 0..3 {
        anon.post(
            "/api/v1/join",
            json!({"code": code, "name": "Eva", "email": "eva@ruiz.es", "password": PASSWORD}),
        )
        .await
        .expect(202);
    }
    let r = anon
        .post(
            "/api/v1/join",
            json!({"code": code, "name": "Eva", "email": "eva@ruiz.es", "password": PASSWORD}),
        )
        .await;
    r.problem(429, "too_many_requests");
    assert!(!r.header("retry-after").is_empty());
    // An existing account's address cannot join again.
    anon.post(
        "/api/v1/join",
        json!({"code": code, "name": "Jorge", "email": "jorge@ruiz.es", "password": PASSWORD}),
    )
    .await
    .problem(409, "email_taken");
}
