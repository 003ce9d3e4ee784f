//! Junk in every place an integration can put it: bodies, types, fields, query strings, routes.
//! Always a problem document with a 4xx, never a 500, and nothing changes.

use reqwest::Method;
use serde_json::json;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(junk_gets_clear_refusals);

async fn junk_gets_clear_refusals(app: &TestApp) {
    let admin = setup_admin(app).await;
    let before = app.sql_count("SELECT COUNT(*) FROM memberships").await;
    let path = "/api/v1/memberships";
    admin
        .send_raw(
            Method::POST,
            path,
            "application/json",
            b"{\"name\": ".to_vec(),
        )
        .await
        .problem(400, "malformed_json");
    admin
        .send_raw(Method::POST, path, "text/plain", b"{}".to_vec())
        .await
        .problem(415, "unsupported_media_type");
    admin
        .send_raw(
            Method::POST,
            path,
            "application/json",
            vec![b' '; 70 * 1024],
        )
        .await
        .problem(413, "payload_too_large");
    admin
        .send_raw(Method::POST, path, "application/json", vec![0xff, 0xfe])
        .await
        .problem(400, "malformed_json");
    let cases = [
        (
            json!({"name": 5, "contract_state": "contract"}),
            "name",
            "wrong_type",
        ),
        (
            json!({"name": "Empresa X", "contract_state": "gratis"}),
            "contract_state",
            "wrong_type",
        ),
        (json!({"name": "Empresa X"}), "contract_state", "required"),
        (
            json!({"name": "Empresa X", "contract_state": "contract", "colour": "red"}),
            "colour",
            "unknown_field",
        ),
        (
            json!({"name": "Empresa X", "contract_state": "contract", "activate": "yes"}),
            "activate",
            "wrong_type",
        ),
        (
            json!({"name": "a\u{0}b", "contract_state": "contract"}),
            "body",
            "nul_character",
        ),
        (
            json!({"name": "x".repeat(10_000), "contract_state": "contract"}),
            "name",
            "name",
        ),
        (json!([1, 2, 3]), "body", "wrong_type"),
        (json!(["Empresa X", "contract"]), "body", "wrong_type"),
        (
            json!({"name": "Empresa X", "contract_state": "contract", "code_valid_until": ""}),
            "code_valid_until",
            "date",
        ),
        (
            json!({"name": "Empresa X", "contract_state": "contract", "tax_id": "🙂".repeat(50)}),
            "tax_id",
            "tax_id",
        ),
    ];
    for (body, field, code) in cases {
        let r = admin.post(path, body.clone()).await;
        r.problem(422, "validation_failed");
        let e = &r.body["errors"][0];
        assert_eq!(
            (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()),
            (field, code),
            "{body}: {r:#?}"
        );
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM memberships").await,
        before
    );
    // Query strings.
    for q in [
        "limit=0",
        "limit=101",
        "limit=abc",
        "cursor=%%%",
        "cursor=bm8",
        "colour=red",
    ] {
        let r = admin.get(&format!("{path}?{q}")).await;
        r.problem(422, "validation_failed");
    }
    // Unknown routes and methods, ids that are not ids.
    admin
        .get("/api/v1/nothing-here")
        .await
        .problem(404, "not_found");
    admin
        .get("/api/v1/memberships/123")
        .await
        .problem(404, "not_found");
    let r = admin
        .send(Method::DELETE, "/api/v1/memberships", None, &[])
        .await;
    r.problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), "GET, POST");
    let r = admin
        .send(
            Method::PATCH,
            "/api/v1/memberships/0198d7a6-0000-7000-8000-000000000000",
            None,
            &[],
        )
        .await;
    r.problem(405, "method_not_allowed");
    assert_eq!(r.header("allow"), "GET, PUT");
    // Login junk.
    let r = app
        .client()
        .post("/api/v1/auth/login", json!({"email": 1, "password": []}))
        .await;
    r.problem(422, "validation_failed");
    let r = app
        .client()
        .post(
            "/api/v1/auth/login",
            json!({"email": "a\u{0}@b.es", "password": "x"}),
        )
        .await;
    r.problem(422, "validation_failed");
    // Health.
    app.client().get("/healthz").await.expect(200);
    let r = app.client().get("/readyz").await;
    r.expect(200);
    assert_eq!(r.body["database"], "ok");
    // Security headers on every answer.
    let r = app.client().get("/api/v1/setup").await;
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert!(
        r.header("content-security-policy")
            .contains("default-src 'none'")
    );
    // CORS is closed by default: no allow-origin for a foreign origin.
    let r = app
        .client()
        .send(
            Method::GET,
            "/api/v1/setup",
            None,
            &[("Origin", "https://evil.example")],
        )
        .await;
    assert!(r.header("access-control-allow-origin").is_empty(), "{r:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_configured_origins() {
    let app = TestApp::spawn_with(Db::Sqlite, |c| {
        c.cors_origins = "https://intranet.cliente.es".into();
    })
    .await
    .unwrap();
    let c = app.client();
    let r = c
        .send(
            Method::OPTIONS,
            "/api/v1/me",
            None,
            &[
                ("Origin", "https://intranet.cliente.es"),
                ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "authorization"),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{r:?}");
    assert_eq!(
        r.header("access-control-allow-origin"),
        "https://intranet.cliente.es"
    );
    let r = c
        .send(
            Method::GET,
            "/api/v1/setup",
            None,
            &[("Origin", "https://otro.es")],
        )
        .await;
    assert!(r.header("access-control-allow-origin").is_empty());
    app.finish().await;
}
