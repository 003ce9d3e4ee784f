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
    // Something to aim junk at: a download with a version.
    let item = admin
        .post(
            "/downloads/new",
            &[
                ("title", "Programa robusto"),
                ("kind", "software"),
                ("audience", "all"),
            ],
        )
        .await
        .location
        .unwrap();
    crate::downloads::upload(
        &admin,
        &format!("{item}/versions"),
        &[("label", "1.0")],
        Some(("robusto.exe", crate::downloads::payload(100, 1))),
    )
    .await;
    let version = admin
        .get(&item)
        .await
        .between(&format!("{item}/versions/"), "\"");
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
        "/downloads/new",
        &format!("{item}/edit"),
        &format!("{item}/versions"),
        &format!("{item}/versions/{version}/withdraw"),
        &format!("{item}/versions/{version}/reinstate"),
        &format!("{item}/versions/not-an-id/withdraw"),
        "/resources/new",
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
        "title",
        "kind",
        "category",
        "description",
        "audience",
        "membership",
        "label",
        "notes",
        "reason",
        "url",
        "verified_on",
        "to",
        "remark",
        "priority",
        "assignee",
        "purpose",
        "tool",
        "window",
        "date",
        "time",
        "technician",
        "address",
        "report",
        "article",
        "answer",
        "body",
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
        // The upload forms (multipart), junk in every field and a junk file name.
        for url in [&format!("{item}/versions"), "/resources/new"] {
            for value in junk {
                let form: Vec<(&str, &str)> = fields.iter().map(|f| (*f, value)).collect();
                let page = crate::downloads::upload(
                    who,
                    url,
                    &form,
                    Some((value, value.as_bytes().to_vec())),
                )
                .await;
                assert!(
                    page.status.is_client_error()
                        || page.status.is_redirection()
                        || page.status == StatusCode::OK,
                    "multipart POST {url} with {:?} gave {}",
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
            // The incidents' old addresses only redirect now, junk query strings and all.
            "/incidents?state=%00&priority=%3Cscript%3E&q=%25%25%25&mine=x&page=-1",
            "/incidents?q=INC-2026-%00",
            "/incidents/INC-9999-999999999",
            "/downloads?kind=%3Cscript%3E",
            "/downloads/%3Cscript%3E/latest",
            "/resources/..%2F..",
            "/search?q=%22&kind=incident",
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
