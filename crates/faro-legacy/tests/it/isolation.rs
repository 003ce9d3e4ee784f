//! Tenant isolation: a member (or coordinator) of membership A gets 404 on every URL of
//! membership B, and on staff pages, and nothing changes.

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(other_memberships_are_not_found);

async fn other_memberships_are_not_found(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Alfa S.A.", "coord@alfa.es", true).await;
    let b = create_membership(&admin, "Beta S.L.", "coord@beta.es", true).await;
    let alfa_coord = join(app, &a.code, "Coordinadora Alfa", "coord@alfa.es").await;
    let alfa_member = join(app, &a.code, "Miembro Alfa", "miembro@alfa.es").await;
    join(app, &b.code, "Coordinador Beta", "coord@beta.es").await;
    join(app, &b.code, "Miembro Beta", "miembro@beta.es").await;
    let a_people = admin.get(&format!("/memberships/{}", a.id)).await;
    admin
        .post(
            &format!(
                "/people/{}/coordinator",
                person_id(&a_people, "coord@alfa.es")
            ),
            &[],
        )
        .await;
    let b_people = admin.get(&format!("/memberships/{}", b.id)).await;
    let beta_member = person_id(&b_people, "miembro@beta.es");
    let beta_coord = person_id(&b_people, "coord@beta.es");
    alfa_coord.login("coord@alfa.es", PASSWORD).await;

    let gets = [
        format!("/memberships/{}", b.id),
        format!("/memberships/{}/edit", b.id),
        format!("/memberships/{}", a.id),
        "/memberships".to_string(),
        "/memberships/new".to_string(),
        "/admin/staff".to_string(),
        "/admin/audit".to_string(),
    ];
    let posts = [
        format!("/memberships/{}/code", b.id),
        format!("/memberships/{}/expiry", b.id),
        format!("/memberships/{}/activate", b.id),
        format!("/memberships/{}/deactivate", b.id),
        format!("/memberships/{}/edit", b.id),
        format!("/people/{beta_member}/deactivate"),
        format!("/people/{beta_member}/reactivate"),
        format!("/people/{beta_member}/coordinator"),
        format!("/people/{beta_coord}/deactivate"),
        format!("/admin/staff/{beta_member}"),
    ];
    for who in [&alfa_coord, &alfa_member] {
        for url in &gets {
            let page = who.get(url).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "GET {url}");
            page.assert_lacks("Beta S.L.");
        }
        for url in &posts {
            let page = who
                .post(
                    url,
                    &[
                        ("code_expiry", "31/12/2099"),
                        ("name", "Robada"),
                        ("contract_state", "lapsed"),
                        ("role", "admin"),
                    ],
                )
                .await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "POST {url}");
            page.assert_lacks("Beta S.L.");
        }
        // Their own pages never mention the other membership.
        let home = who.get("/").await;
        home.assert_lacks("Beta S.L.").assert_lacks(&b.code);
    }
    alfa_coord
        .get("/membership")
        .await
        .assert_lacks("beta.es")
        .assert_lacks(&b.code);
    // Nothing changed in B: same code, still active, its people still active.
    let after = admin.get(&format!("/memberships/{}", b.id)).await;
    after
        .assert_contains(&b.code)
        .assert_contains("Beta S.L.")
        .assert_lacks("Robada")
        .assert_lacks("Caduca el");
    assert!(
        !after.body.contains("tag off"),
        "nobody in Beta was deactivated"
    );
    app.client().login("miembro@beta.es", PASSWORD).await;
}
