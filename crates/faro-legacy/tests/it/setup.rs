//! Point 1: first run, the one-time setup link, health probes.

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(
    setup_link_creates_the_admin_once,
    probes_answer,
    csrf_is_required
);

async fn setup_link_creates_the_admin_once(app: &TestApp) {
    assert!(!app.store().has_users().await.unwrap());
    // A made-up token is refused.
    let stranger = app.client();
    let page = stranger
        .get(&format!("/setup?token={}", "a".repeat(64)))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    page.assert_contains("no es válido");

    let token = app.store().issue_setup_token().await.unwrap().unwrap();
    // Restarting issues a new link and the older one stops working.
    let newer = app.store().issue_setup_token().await.unwrap().unwrap();
    assert_eq!(
        stranger
            .get(&format!("/setup?token={}", token.expose()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let admin = app.client();
    // Bad input: clear Spanish messages, the form refilled, nothing created.
    let page = admin
        .post(
            "/setup",
            &[
                ("token", newer.expose()),
                ("name", "Elena"),
                ("email", "no-es-un-correo"),
                ("password", "corta"),
                ("password_confirm", "corta"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("Escribe un correo electrónico válido")
        .assert_contains("al menos 10 caracteres");
    page.assert_contains("value=\"no-es-un-correo\"")
        .assert_lacks("value=\"corta\"");
    assert!(!app.store().has_users().await.unwrap());

    let page = admin
        .post(
            "/setup",
            &[
                ("token", newer.expose()),
                ("name", "Elena Administradora"),
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("password_confirm", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let home = admin.follow(page).await;
    home.assert_contains("Cuenta de administración creada")
        .assert_contains("Membresías de clientes");

    // The link is spent; and no new link is issued once an account exists.
    let again = app
        .client()
        .get(&format!("/setup?token={}", newer.expose()))
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(app.store().issue_setup_token().await.unwrap().is_none());
    let replay = app
        .client()
        .post(
            "/setup",
            &[
                ("token", newer.expose()),
                ("name", "Intruso"),
                ("email", "intruso@x.es"),
                ("password", ADMIN_PASSWORD),
                ("password_confirm", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(replay.status, StatusCode::NOT_FOUND);
    assert!(
        !app.store()
            .email_in_use(&faro_core::Email::parse("intruso@x.es").unwrap())
            .await
            .unwrap()
    );
}

async fn probes_answer(app: &TestApp) {
    let c = app.client();
    let health = c.get("/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(c.get("/readyz").await.status, StatusCode::OK);
    // Security headers on every response.
    let page = c.get("/login").await;
    let h = &page.headers;
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    assert!(
        !h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("unsafe-inline")
    );
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    let cookie = h
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    // Stylesheet under a content-hash name, cached for good, with print rules.
    let css_href = page.between("rel=\"stylesheet\" href=\"", "\"");
    let css = c.http.get(c.url(&css_href)).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let css = css.text().await.unwrap();
    assert!(css.contains("@media print") && css.contains("@media (max-width"));
    assert_eq!(
        c.get("/static/faro.0000.css").await.status,
        StatusCode::NOT_FOUND
    );
    // Unknown pages: a Spanish 404 page.
    let missing = c.get("/no-existe").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    missing.assert_contains("Página no encontrada");
}

async fn csrf_is_required(app: &TestApp) {
    let admin = setup_admin(app).await;
    // A forged form (no token) is refused and changes nothing.
    let forged = admin
        .post_without_csrf(
            "/memberships/new",
            &[("name", "Falsa S.L."), ("contract_state", "contract")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    forged.assert_contains("El formulario ha caducado");
    assert_eq!(app.store().count_memberships().await.unwrap(), 0);
    // A wrong token too.
    let wrong = admin
        .post_without_csrf(
            "/memberships/new",
            &[
                ("name", "Falsa S.L."),
                ("contract_state", "contract"),
                ("_csrf", &"0".repeat(64)),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store().count_memberships().await.unwrap(), 0);
    // Signing out without a token does not sign out.
    assert_eq!(
        admin.post_without_csrf("/logout", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(admin.get("/memberships").await.status, StatusCode::OK);
    // Joining without a token sends nothing.
    let m = create_membership(&admin, "Real S.A.", "coord@real.es", true).await;
    let stranger = app.client();
    stranger.get("/join").await;
    let page = stranger
        .post_without_csrf(
            "/join",
            &[
                ("code", &m.code),
                ("name", "X"),
                ("email", "x@real.es"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(app.mails_to("x@real.es").is_empty());
}

/// Behind https (FARO_BASE_URL), cookies are marked Secure and e-mailed links use that address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_base_url_marks_cookies_secure() {
    let app = TestApp::spawn_with(Db::Sqlite, |c| {
        c.base_url = Some("https://portal.example.es/".into())
    })
    .await
    .unwrap();
    faro_files::install_tls_provider();
    let page = reqwest::get(format!(
        "http://{}/login",
        app.running.as_ref().unwrap().addr
    ))
    .await
    .unwrap();
    let cookies: Vec<String> = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        !cookies.is_empty() && cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );
    let lines = faro_legacy::app::sign_in_instructions(app.store(), &app.base)
        .await
        .unwrap();
    assert!(
        lines.iter().any(|l| l
            .trim()
            .starts_with("https://portal.example.es/setup?token=")),
        "{lines:?}"
    );
    app.finish().await;
}

/// `/readyz` follows the database: once PostgreSQL stops answering for this portal, it says 503
/// while `/healthz` (the process) still says 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_follows_the_database() {
    let Some(app) = TestApp::spawn(Db::Postgres).await else {
        return;
    };
    let c = app.client();
    assert_eq!(c.get("/readyz").await.status, StatusCode::OK);
    app.drop_postgres_database().await;
    assert_eq!(
        c.get("/readyz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
    app.finish().await;
}
