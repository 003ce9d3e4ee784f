//! Bad input never breaks the portal: every form, given junk, answers with a 4xx (or a normal
//! redirect back) and never a 5xx.

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(junk_never_causes_a_server_error);

async fn junk_never_causes_a_server_error(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Robusta S.A.", "c@robusta.es", true).await;
    let member = join(app, &m.code, "Rita Robusta", "rita@robusta.es").await;
    let long = "ñ".repeat(5000);
    let junk: [&str; 7] = [
        "",
        " ",
        "\u{0}",
        "'; DROP TABLE users; --",
        "<script>alert(1)</script>",
        &long,
        "%%%",
    ];
    let forms = [
        "/login",
        "/join",
        "/join/confirm",
        "/password/forgot",
        "/password/reset",
        "/setup",
        "/language",
        "/profile/language",
        "/profile/password",
        "/memberships/new",
        &format!("/memberships/{}/edit", m.id),
        &format!("/memberships/{}/expiry", m.id),
        "/admin/staff",
        "/memberships/00000000-0000-0000-0000-000000000000/code",
        "/people/not-an-id/deactivate",
    ];
    let fields = [
        "email",
        "password",
        "password_confirm",
        "current",
        "name",
        "code",
        "token",
        "lang",
        "next",
        "tax_id",
        "coordinator_email",
        "contract_state",
        "code_expiry",
        "role",
    ];
    for who in [&admin, &member] {
        for url in forms {
            for value in junk {
                let form: Vec<(&str, &str)> = fields.iter().map(|f| (*f, value)).collect();
                let page = who.post(url, &form).await;
                assert!(
                    page.status.is_client_error()
                        || page.status.is_redirection()
                        || page.status == StatusCode::OK,
                    "POST {url} with {:?} gave {}",
                    value.chars().take(20).collect::<String>(),
                    page.status
                );
                assert!(
                    !page.body.contains("<script>alert(1)</script>"),
                    "unescaped input echoed by {url}"
                );
            }
        }
        for url in [
            "/setup?token=%00",
            "/join?code=%3Cscript%3E",
            "/password/reset?token=zz",
            "/join/confirm?token=",
            "/login?next=javascript:alert(1)",
            "/admin/audit?before=yesterday",
        ] {
            let page = who.get(url).await;
            assert!(page.status.as_u16() < 500, "GET {url} gave {}", page.status);
            page.assert_lacks("<script>");
        }
    }
    // Nothing the junk did let anyone in or broke the accounts. (The junk sign-ins came from
    // this test's address, which is now throttled: that is the throttle working.)
    member.get("/").await.assert_contains("Robusta S.A.");
    let throttled = app
        .client()
        .post(
            "/login",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    app.sql("DELETE FROM login_failures").await;
    app.client().login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
}
