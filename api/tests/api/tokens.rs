//! Access tokens and refresh tokens: sign-in, rotation, reuse, sign-out, forgeries, and changes
//! that take effect at the very next request.

use base64::Engine;
use serde_json::json;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(
    sign_in_refresh_and_reuse,
    forged_tokens_get_nothing,
    changes_apply_at_the_next_request,
    throttled_sign_in
);

async fn sign_in_refresh_and_reuse(app: &TestApp) {
    let _admin = setup_admin(app).await;
    let mut c = app.client();
    let r = c.login(ADMIN_EMAIL, PASSWORD).await;
    r.expect(200);
    assert_eq!(r.body["token_type"], "Bearer");
    assert!(r.body["expires_in"].as_u64().unwrap() <= 900);
    let cookie = r.header("set-cookie");
    for part in [
        "faro_refresh=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
    ] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    assert_eq!(
        c.get("/api/v1/me").await.expect(200).body["email"],
        ADMIN_EMAIL
    );
    let stored = app
        .sql_count(&format!(
            "SELECT COUNT(*) FROM refresh_tokens WHERE digest = '{}'",
            c.refresh_cookie().unwrap()
        ))
        .await;
    assert_eq!(stored, 0, "refresh tokens are stored hashed");

    // Rotation: the old cookie is spent, the new one works.
    let first = c.refresh_cookie().unwrap();
    c.refresh().await.expect(200);
    let second = c.refresh_cookie().unwrap();
    assert_ne!(first, second);
    c.get("/api/v1/me").await.expect(200);

    // Someone replays the spent token: the whole family is revoked, the thief and the owner
    // both have to sign in again.
    let thief = app.client();
    thief.jar.add_cookie_str(
        &format!("faro_refresh={first}; Path=/api/v1/auth"),
        &format!("{}/api/v1/auth/refresh", app.base).parse().unwrap(),
    );
    thief
        .post_empty("/api/v1/auth/refresh")
        .await
        .problem(401, "refresh_reused");
    c.refresh().await.problem(401, "refresh_refused");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM audit_events WHERE action = 'refresh_reused'")
            .await,
        1
    );

    // Logout revokes this device's family.
    let mut d = app.client();
    d.login(ADMIN_EMAIL, PASSWORD).await.expect(200);
    d.post_empty("/api/v1/auth/logout").await.expect(204);
    d.refresh().await.problem(401, "refresh_refused");
    // No cookie at all.
    app.client()
        .post_empty("/api/v1/auth/refresh")
        .await
        .problem(401, "refresh_refused");
}

async fn forged_tokens_get_nothing(app: &TestApp) {
    let mut admin = setup_admin(app).await;
    admin.login(ADMIN_EMAIL, PASSWORD).await.expect(200);
    let token = admin.token.clone().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut claims: serde_json::Value =
        serde_json::from_slice(&b64.decode(parts[1]).unwrap()).unwrap();
    let header: serde_json::Value = serde_json::from_slice(&b64.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["alg"], "HS256");
    assert!(header["kid"].is_string());

    claims["role"] = "admin".into();
    claims["exp"] = (claims["exp"].as_i64().unwrap() + 3600).into();
    let changed = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(claims.to_string()),
        parts[2]
    );
    let none = format!(
        "{}.{}.",
        b64.encode(r#"{"alg":"none","typ":"JWT"}"#),
        b64.encode(claims.to_string())
    );
    let hs512 = format!(
        "{}.{}.{}",
        b64.encode(format!(
            r#"{{"alg":"HS512","typ":"JWT","kid":{}}}"#,
            header["kid"]
        )),
        parts[1],
        parts[2]
    );
    for forged in [
        changed.as_str(),
        none.as_str(),
        hs512.as_str(),
        "junk",
        "a.b.c",
        "",
    ] {
        app.client()
            .with_token(forged)
            .get("/api/v1/me")
            .await
            .problem(401, "unauthorized");
    }
    // A token signed with a key Faro does not have.
    let stranger = faro_api::auth::jwt::JwtKeys::new(
        &[(header["kid"].as_str().unwrap().into(), "s".repeat(40))],
        std::time::Duration::from_secs(600),
    )
    .unwrap();
    let id: uuid::Uuid = claims["sub"].as_str().unwrap().parse().unwrap();
    let (t, _) = stranger.issue(id, "admin", None, 0).unwrap();
    app.client()
        .with_token(&t)
        .get("/api/v1/me")
        .await
        .problem(401, "unauthorized");
    // Expired: a real key, a time in the past.
    let keys = std::fs::read_to_string(app.dir.path().join("jwt-keys")).unwrap();
    let (kid, secret) = keys.trim().split_once(':').unwrap();
    let now = chrono::Utc::now().timestamp();
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header {
            kid: Some(kid.into()),
            ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256)
        },
        &json!({"sub": id, "role": "admin", "mid": null, "ver": 0, "iat": now - 2000, "exp": now - 1000, "iss": "faro", "aud": "faro-api"}),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()).unwrap(),
    )
    .unwrap();
    app.client()
        .with_token(&expired)
        .get("/api/v1/me")
        .await
        .problem(401, "token_expired");
    // The same, in its validity window, works: the test token is well made.
    let valid = jsonwebtoken::encode(
        &jsonwebtoken::Header {
            kid: Some(kid.into()),
            ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256)
        },
        &json!({"sub": id, "role": "admin", "mid": null, "ver": 0, "iat": now, "exp": now + 60, "iss": "faro", "aud": "faro-api"}),
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()).unwrap(),
    )
    .unwrap();
    app.client()
        .with_token(&valid)
        .get("/api/v1/me")
        .await
        .expect(200);
    // No header at all, or another scheme.
    app.client()
        .get("/api/v1/me")
        .await
        .problem(401, "unauthorized");
    let r = app
        .client()
        .send(
            reqwest::Method::GET,
            "/api/v1/me",
            None,
            &[("Authorization", "Basic YTpi")],
        )
        .await;
    r.problem(401, "unauthorized");
    assert!(r.header("www-authenticate").starts_with("Bearer"));
}

async fn changes_apply_at_the_next_request(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (mid, code) = create_membership(&admin, "Talleres Ruiz S.L.", "lucia@ruiz.es").await;
    let mut coord = join(app, &code, "Lucía Ruiz", "lucia@ruiz.es").await;
    make_coordinator(&admin, &mut coord).await;
    let member = join(app, &code, "Jorge Ruiz", "jorge@ruiz.es").await;
    let me = member.get("/api/v1/me").await;
    me.expect(200);
    assert_eq!(me.body["role"], "member");
    let member_id = me.body["id"].as_str().unwrap().to_string();

    // Deactivated: the very next request with the same token is refused, and refresh too.
    coord
        .post_empty(&format!("/api/v1/people/{member_id}/deactivate"))
        .await
        .expect(200);
    member.get("/api/v1/me").await.problem(401, "session_ended");
    let mut member = member;
    member.refresh().await.problem(401, "refresh_refused");
    let mut again = app.client();
    again
        .login("jorge@ruiz.es", PASSWORD)
        .await
        .problem(403, "account_inactive");
    coord
        .post_empty(&format!("/api/v1/people/{member_id}/reactivate"))
        .await
        .expect(200);
    member.login("jorge@ruiz.es", PASSWORD).await.expect(200);

    // Role: passing the coordinator role ends the old coordinator's token; a refresh gives one
    // with the new role.
    coord
        .post_empty(&format!("/api/v1/people/{member_id}/make-coordinator"))
        .await
        .expect(200);
    coord.get("/api/v1/me").await.problem(401, "session_ended");
    coord.refresh().await.expect(200);
    assert_eq!(coord.get("/api/v1/me").await.body["role"], "member");
    member.get("/api/v1/me").await.problem(401, "session_ended");
    member.refresh().await.expect(200);
    assert_eq!(member.get("/api/v1/me").await.body["role"], "coordinator");

    // Password: another device is signed out; this one continues with the new token.
    let mut other = app.client();
    other.login("jorge@ruiz.es", PASSWORD).await.expect(200);
    let r = member
        .post(
            "/api/v1/me/password",
            json!({"current_password": PASSWORD, "new_password": "otra frase bastante larga"}),
        )
        .await;
    r.expect(200);
    member.token = r.body["access_token"].as_str().map(str::to_owned);
    member.get("/api/v1/me").await.expect(200);
    other.get("/api/v1/me").await.problem(401, "session_ended");
    other.refresh().await.problem(401, "refresh_refused");
    member.refresh().await.expect(200);
    // Wrong current password: 422 naming it, nothing changed.
    let r = member
        .post(
            "/api/v1/me/password",
            json!({"current_password": "no es esta", "new_password": "tercera frase muy larga"}),
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["current_password"]);
    app.client()
        .login("jorge@ruiz.es", "otra frase bastante larga")
        .await
        .expect(200);

    // Membership deactivated: its people's tokens stop at once.
    admin
        .post_empty(&format!("/api/v1/memberships/{mid}/deactivate"))
        .await
        .expect(200);
    member.get("/api/v1/me").await.problem(401, "session_ended");
}

async fn throttled_sign_in(app: &TestApp) {
    let _admin = setup_admin(app).await;
    let mut c = app.client();
    for _ in 0..5 {
        c.login(ADMIN_EMAIL, "mal")
            .await
            .problem(401, "login_failed");
    }
    let r = c.login(ADMIN_EMAIL, PASSWORD).await;
    r.problem(429, "too_many_requests");
    assert!(r.header("retry-after").parse::<u64>().unwrap() > 0);
    // In English when asked.
    c.language = Some("en".into());
    let r = c.login(ADMIN_EMAIL, PASSWORD).await;
    assert!(
        r.body["detail"].as_str().unwrap().contains("Too many"),
        "{r:?}"
    );
    assert_eq!(r.header("content-language"), "en");
}
