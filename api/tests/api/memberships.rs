//! Memberships and their people over the API: the administrator's work, the coordinator's,
//! pages by cursor, and another membership's ids answered 404 on every endpoint that takes one.

use serde_json::json;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(administrators_manage_memberships, tenant_isolation);

async fn administrators_manage_memberships(app: &TestApp) {
    let admin = setup_admin(app).await;
    let r = admin
        .post(
            "/api/v1/memberships",
            json!({"name": "Talleres Ruiz S.L.", "tax_id": "B12345678", "coordinator_email": "lucia@ruiz.es", "contract_state": "contract", "code_valid_until": "2099-12-31", "activate": true}),
        )
        .await;
    r.expect(201);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.header("location"), format!("/api/v1/memberships/{id}"));
    assert_eq!(r.body["active"], true);
    assert!(
        r.body["code_expires_at"]
            .as_str()
            .unwrap()
            .starts_with("2099-12-31T2")
    );
    let code = r.body["invitation_code"].as_str().unwrap().to_string();
    // The coordinator got the code by e-mail, with a link to the join screen.
    let link = app.wait_for_link("lucia@ruiz.es", "/join?code=", 0).await;
    assert!(link.ends_with(&code), "{link}");

    // Refusals name the fields; a taken name is a conflict.
    let r = admin
        .post(
            "/api/v1/memberships",
            json!({"name": "", "coordinator_email": "no-es-correo", "contract_state": "contract", "code_valid_until": "2001-01-01"}),
        )
        .await;
    r.problem(422, "validation_failed");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(fields, ["code_valid_until", "coordinator_email", "name"]);
    admin
        .post(
            "/api/v1/memberships",
            json!({"name": "Talleres Ruiz S.L.", "contract_state": "contract"}),
        )
        .await
        .problem(409, "name_taken");
    admin
        .post(
            "/api/v1/memberships",
            json!({"name": "Sin correo", "contract_state": "contract", "activate": true}),
        )
        .await
        .problem(422, "validation_failed");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM memberships WHERE name = 'Sin correo'")
            .await,
        0
    );

    // Edit, rotate the code, set its expiry, deactivate and activate.
    let r = admin
        .put(
            &format!("/api/v1/memberships/{id}"),
            json!({"name": "Talleres Ruiz e Hijos S.L.", "coordinator_email": "lucia@ruiz.es", "contract_state": "subscription"}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["contract_state"], "subscription");
    assert!(r.body["tax_id"].is_null());
    let r = admin
        .post_empty(&format!("/api/v1/memberships/{id}/code"))
        .await;
    r.expect(200);
    let new_code = r.body["invitation_code"].as_str().unwrap().to_string();
    assert_ne!(new_code, code);
    let mut c = app.client();
    c.post(
        "/api/v1/join",
        json!({"code": code, "name": "Tarde", "email": "tarde@ruiz.es", "password": PASSWORD}),
    )
    .await
    .problem(409, "code_invalid");
    let r = admin
        .put(
            &format!("/api/v1/memberships/{id}/code-expiry"),
            json!({"code_valid_until": null}),
        )
        .await;
    r.expect(200);
    assert!(r.body["code_expires_at"].is_null());
    admin
        .post_empty(&format!("/api/v1/memberships/{id}/deactivate"))
        .await
        .expect(200);
    c.login("x@y.es", "z").await;
    assert_eq!(
        admin.get(&format!("/api/v1/memberships/{id}")).await.body["active"],
        false
    );
    admin
        .post_empty(&format!("/api/v1/memberships/{id}/activate"))
        .await
        .expect(200);

    // The person the invitation went to (`coordinator_email`) joins as its coordinator; anyone
    // else joins as a member. The coordinator sees their membership and its people; a member
    // does not see people.
    let coord = join(app, &new_code, "Lucía Ruiz", "lucia@ruiz.es").await;
    assert_eq!(coord.get("/api/v1/me").await.body["role"], "coordinator");
    let member = join(app, &new_code, "Jorge Ruiz", "jorge@ruiz.es").await;
    assert_eq!(member.get("/api/v1/me").await.body["role"], "member");
    let people = coord.get(&format!("/api/v1/memberships/{id}/people")).await;
    people.expect(200);
    assert_eq!(people.body["items"].as_array().unwrap().len(), 2);
    member
        .get(&format!("/api/v1/memberships/{id}/people"))
        .await
        .problem(403, "forbidden");
    let mine = member.get("/api/v1/memberships").await;
    assert_eq!(mine.body["items"].as_array().unwrap().len(), 1);
    // Members and coordinators cannot administer.
    member
        .post_empty(&format!("/api/v1/memberships/{id}/code"))
        .await
        .problem(404, "not_found");
    coord
        .post(
            "/api/v1/memberships",
            json!({"name": "Mía", "contract_state": "contract"}),
        )
        .await
        .problem(404, "not_found");
    let me_id = coord.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    coord
        .post_empty(&format!("/api/v1/people/{me_id}/deactivate"))
        .await
        .problem(409, "self_action");

    // Pages by cursor: 5 memberships in pages of 2, every one exactly once, in name order.
    for n in 1..=4 {
        admin
            .post(
                "/api/v1/memberships",
                json!({"name": format!("Cliente {n}"), "contract_state": "lapsed"}),
            )
            .await
            .expect(201);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/memberships?limit=2&cursor={c}"),
            None => "/api/v1/memberships?limit=2".to_string(),
        };
        let page = admin.get(&path).await;
        page.expect(200);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(
            items
                .iter()
                .map(|m| m["name"].as_str().unwrap().to_string()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 5);
    // ETag on reads: the same answer is 304 with If-None-Match.
    let r = admin.get(&format!("/api/v1/memberships/{id}")).await;
    let etag = r.header("etag");
    assert!(etag.starts_with("W/\""), "{etag}");
    let again = admin
        .send(
            reqwest::Method::GET,
            &format!("/api/v1/memberships/{id}"),
            None,
            &[("If-None-Match", &etag)],
        )
        .await;
    again.expect(304);

    // Staff accounts: create (welcome e-mail), change role, never the last administrator.
    let r = admin
        .post(
            "/api/v1/staff",
            json!({"email": "agente@soporte.example.es", "name": "Pablo Agente", "role": "agent"}),
        )
        .await;
    r.expect(201);
    let agent = r.body["id"].as_str().unwrap().to_string();
    app.wait_for_link("agente@soporte.example.es", "/password/reset?token=", 0)
        .await;
    admin
        .post(
            "/api/v1/staff",
            json!({"email": "agente@soporte.example.es", "name": "Otro", "role": "agent"}),
        )
        .await
        .problem(409, "email_taken");
    let r = admin
        .post(
            "/api/v1/staff",
            json!({"email": "m@s.es", "name": "M", "role": "member"}),
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["role"]);
    let staff = admin.get("/api/v1/staff").await;
    assert_eq!(staff.body["items"].as_array().unwrap().len(), 2);
    let admin_id = admin.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    admin
        .patch(
            &format!("/api/v1/staff/{admin_id}"),
            json!({"role": "agent", "active": true}),
        )
        .await
        .problem(409, "last_admin");
    admin
        .patch(
            &format!("/api/v1/staff/{agent}"),
            json!({"role": "admin", "active": true}),
        )
        .await
        .expect(200);
    coord.get("/api/v1/staff").await.problem(404, "not_found");
}

async fn tenant_isolation(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (b_id, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let mut a = join(app, &a_code, "Coord A", "coord@a.es").await;
    make_coordinator(&admin, &mut a).await;
    let a_member = join(app, &a_code, "Miembro A", "miembro@a.es").await;
    let mut b = join(app, &b_code, "Coord B", "coord@b.es").await;
    make_coordinator(&admin, &mut b).await;
    let a_person = a_member.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b_key = b
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "B", "scope": "read_write"}),
        )
        .await
        .body["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let b_by_key = app.client().with_token(&b_key);
    // B's coordinator, by token and by key, gets 404 for every id of A, and changes nothing.
    for who in [&b, &b_by_key] {
        who.get(&format!("/api/v1/memberships/{a_id}"))
            .await
            .problem(404, "not_found");
        who.get(&format!("/api/v1/memberships/{a_id}/people"))
            .await
            .problem(404, "not_found");
        for action in ["deactivate", "reactivate", "make-coordinator"] {
            who.post_empty(&format!("/api/v1/people/{a_person}/{action}"))
                .await
                .problem(404, "not_found");
        }
        for action in ["activate", "deactivate", "code"] {
            who.post_empty(&format!("/api/v1/memberships/{a_id}/{action}"))
                .await
                .problem(404, "not_found");
        }
        who.put(
            &format!("/api/v1/memberships/{a_id}"),
            json!({"name": "Robada", "contract_state": "contract"}),
        )
        .await
        .problem(404, "not_found");
        who.put(
            &format!("/api/v1/memberships/{a_id}/code-expiry"),
            json!({"code_valid_until": null}),
        )
        .await
        .problem(404, "not_found");
        let list = who.get("/api/v1/memberships").await;
        let names: Vec<&str> = list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Empresa B"]);
    }
    // Staff-only ids are just as invisible to client people, by token or by key.
    let admin_id = admin.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let svc = admin
        .post(
            "/api/v1/service-keys",
            json!({"owner_id": admin_id, "name": "Monitor", "scope": "read"}),
        )
        .await;
    svc.expect(201);
    let svc_id = svc.body["key"]["id"].as_str().unwrap().to_string();
    for who in [&b, &b_by_key, &a] {
        who.patch(
            &format!("/api/v1/staff/{admin_id}"),
            json!({"role": "agent", "active": false}),
        )
        .await
        .problem(404, "not_found");
    }
    // Keys are managed by signed-in people only (a key gets 403); for them another's key is 404.
    for who in [&b, &a] {
        for path in ["service-keys", "me/api-keys"] {
            who.delete(&format!("/api/v1/{path}/{svc_id}"))
                .await
                .problem(404, "not_found");
        }
    }
    b_by_key
        .delete(&format!("/api/v1/service-keys/{svc_id}"))
        .await
        .problem(403, "forbidden");
    admin.get("/api/v1/me").await.expect(200);
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND service")
            .await,
        1
    );
    a_member.get("/api/v1/me").await.expect(200);
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM memberships WHERE name = 'Robada'")
            .await,
        0
    );
    // A's own coordinator still works on A; unknown and malformed ids are 404 too.
    a.get(&format!("/api/v1/memberships/{a_id}/people"))
        .await
        .expect(200);
    a.get(&format!("/api/v1/memberships/{b_id}"))
        .await
        .problem(404, "not_found");
    a.get("/api/v1/memberships/00000000-0000-0000-0000-000000000000")
        .await
        .problem(404, "not_found");
    a.get("/api/v1/memberships/no-es-un-id")
        .await
        .problem(404, "not_found");
}
