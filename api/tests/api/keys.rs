//! API keys: created once with their secret shown, used as bearer tokens, read-only scope,
//! expiry, revocation, attribution in the audit log, and nobody else's keys.

use serde_json::json;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(keys_for_integrations, service_keys);

async fn keys_for_integrations(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (mid, code) = create_membership(&admin, "Talleres Ruiz S.L.", "lucia@ruiz.es").await;
    let mut coord = join(app, &code, "Lucía Ruiz", "lucia@ruiz.es").await;
    make_coordinator(&admin, &mut coord).await;

    let r = coord
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Intranet", "scope": "read_write"}),
        )
        .await;
    r.expect(201);
    let secret = r.body["secret"].as_str().unwrap().to_string();
    let key_id = r.body["key"]["id"].as_str().unwrap().to_string();
    assert!(secret.starts_with("faro_"));
    assert!(secret.starts_with(r.body["key"]["prefix"].as_str().unwrap()));
    assert_eq!(
        app.sql_count(&format!(
            "SELECT COUNT(*) FROM api_keys WHERE digest = '{secret}' OR prefix = '{secret}'"
        ))
        .await,
        0,
        "only a digest is stored"
    );
    let list = coord.get("/api/v1/me/api-keys").await;
    list.expect(200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert!(list.body["items"][0].get("secret").is_none());

    // The key acts as its owner.
    let integration = app.client().with_token(&secret);
    let me = integration.get("/api/v1/me").await;
    me.expect(200);
    assert_eq!(me.body["email"], "lucia@ruiz.es");
    assert_eq!(me.body["via_api_key"], key_id.as_str());
    integration
        .get(&format!("/api/v1/memberships/{mid}/people"))
        .await
        .expect(200);
    // Never more than its owner: no admin endpoints, no other membership.
    integration
        .get("/api/v1/staff")
        .await
        .problem(404, "not_found");
    integration
        .get("/api/v1/audit-events")
        .await
        .problem(404, "not_found");
    // A key cannot mint keys or change the password.
    integration
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "otra", "scope": "read"}),
        )
        .await
        .problem(403, "forbidden");
    // A write made with the key is attributable.
    let member = join(app, &code, "Jorge Ruiz", "jorge@ruiz.es").await;
    let jorge = member.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    integration
        .post_empty(&format!("/api/v1/people/{jorge}/deactivate"))
        .await
        .expect(200);
    assert_eq!(
        app.sql_count(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'person_deactivated' AND api_key_id IS NOT NULL"
        )
        .await,
        1
    );
    let events = admin.get("/api/v1/audit-events").await;
    let e = events.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "person_deactivated")
        .unwrap()
        .clone();
    assert_eq!(e["api_key_id"], key_id.as_str());
    assert_eq!(e["action_label"], "Cuenta desactivada");

    // Read-only keys read, and refuse every change.
    let r = coord
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Informes", "scope": "read"}),
        )
        .await;
    let reader = app.client().with_token(r.body["secret"].as_str().unwrap());
    reader.get("/api/v1/me").await.expect(200);
    reader
        .post_empty(&format!("/api/v1/people/{jorge}/reactivate"))
        .await
        .problem(403, "read_only_key");
    reader
        .patch("/api/v1/me", json!({"name": "Otro"}))
        .await
        .problem(403, "read_only_key");

    // Someone else's key id is not found, and changes nothing.
    admin
        .delete(&format!("/api/v1/me/api-keys/{key_id}"))
        .await
        .problem(404, "not_found");
    admin
        .delete(&format!("/api/v1/service-keys/{key_id}"))
        .await
        .problem(404, "not_found");
    integration.get("/api/v1/me").await.expect(200);
    // Revoked: refused at once.
    let r = coord.delete(&format!("/api/v1/me/api-keys/{key_id}")).await;
    r.expect(200);
    assert!(r.body["revoked_at"].is_string());
    integration
        .get("/api/v1/me")
        .await
        .problem(401, "api_key_refused");

    // Expired keys are refused; an expiry in the past is refused at creation.
    coord
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Vieja", "scope": "read", "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await
        .problem(422, "validation_failed");
    let r = coord
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Corta", "scope": "read", "expires_at": "2099-01-01T00:00:00Z"}),
        )
        .await;
    let short = app.client().with_token(r.body["secret"].as_str().unwrap());
    short.get("/api/v1/me").await.expect(200);
    app.sql(&format!(
        "UPDATE api_keys SET expires_at = {} WHERE name = 'Corta'",
        if app.database_url.starts_with("postgres") {
            "now() - interval '1 minute'"
        } else {
            "'2020-01-01T00:00:00+00:00'"
        }
    ))
    .await;
    let mut refused = false;
    for _ in 0..50 {
        if short.get("/api/v1/me").await.status == 401 {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(refused, "an expired key is refused");
    // A key whose owner is deactivated stops too; unknown or malformed keys get 401.
    app.client()
        .with_token("faro_000000000000000000000000000000000000000000000000")
        .get("/api/v1/me")
        .await
        .problem(401, "api_key_refused");
    app.client()
        .with_token("faro_x")
        .get("/api/v1/me")
        .await
        .problem(401, "api_key_refused");
}

async fn service_keys(app: &TestApp) {
    let admin = setup_admin(app).await;
    let staff = admin
        .post(
            "/api/v1/staff",
            json!({"email": "monitor@soporte.example.es", "name": "Monitorización", "role": "agent"}),
        )
        .await;
    staff.expect(201);
    let agent_id = staff.body["id"].as_str().unwrap().to_string();
    let r = admin
        .post(
            "/api/v1/service-keys",
            json!({"owner_id": agent_id, "name": "Zabbix", "scope": "read_write"}),
        )
        .await;
    r.expect(201);
    assert_eq!(r.body["key"]["service"], true);
    let svc = app.client().with_token(r.body["secret"].as_str().unwrap());
    let me = svc.get("/api/v1/me").await;
    assert_eq!(me.body["role"], "agent");
    let list = admin.get("/api/v1/service-keys").await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    // Only for active staff accounts, and only by administrators.
    let (_, code) = create_membership(&admin, "Cliente S.A.", "c@cliente.es").await;
    let client = join(app, &code, "Carmen", "c@cliente.es").await;
    let client_id = client.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = admin
        .post(
            "/api/v1/service-keys",
            json!({"owner_id": client_id, "name": "x", "scope": "read"}),
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["owner_id"]);
    client
        .post(
            "/api/v1/service-keys",
            json!({"owner_id": agent_id, "name": "x", "scope": "read"}),
        )
        .await
        .problem(404, "not_found");
    client
        .get("/api/v1/service-keys")
        .await
        .problem(404, "not_found");
    let id = list.body["items"][0]["id"].as_str().unwrap().to_string();
    admin
        .delete(&format!("/api/v1/service-keys/{id}"))
        .await
        .expect(200);
    svc.get("/api/v1/me").await.problem(401, "api_key_refused");
}
