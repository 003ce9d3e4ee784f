//! Point 5: signing in and out, password resets, profile (language, password), throttling.

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(
    sign_in_and_out,
    password_reset_by_email,
    profile_language_and_password,
    failed_sign_ins_slow_down,
    staff_accounts
);

async fn sign_in_and_out(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Sesiones S.L.", "c@ses.es", true).await;
    let person = join(app, &m.code, "Sara Sesiones", "sara@ses.es").await;
    let session_before = person.cookie("faro_session").unwrap();
    // Anonymous visitors are sent to sign in, and brought back afterwards.
    let anon = app.client();
    let page = anon.get("/profile").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/login?next=%2Fprofile"));
    let login_page = anon.get("/login?next=%2Fprofile").await;
    login_page.assert_contains("name=\"next\" value=\"/profile\"");
    let signed = anon
        .post(
            "/login",
            &[
                ("email", "SARA@ses.es"),
                ("password", PASSWORD),
                ("next", "/profile"),
            ],
        )
        .await;
    assert_eq!(signed.location.as_deref(), Some("/profile"));
    // Never redirected off-site.
    let other = app.client();
    let page = other
        .post(
            "/login",
            &[
                ("email", "sara@ses.es"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/"));
    // A new session id at each sign-in.
    assert_ne!(anon.cookie("faro_session").unwrap(), session_before);
    // Wrong password: generic message, 401.
    let bad = app
        .client()
        .post(
            "/login",
            &[("email", "sara@ses.es"), ("password", "Incorrecta-2026")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    bad.assert_contains("El correo o la contraseña no son correctos")
        .assert_contains("value=\"sara@ses.es\"");
    // Signing out ends the session in the database: the old cookie no longer works.
    let out = person.post("/logout", &[]).await;
    person
        .follow(out)
        .await
        .assert_contains("Has cerrado la sesión");
    let stolen = app.client();
    stolen
        .http
        .get(stolen.url("/"))
        .header("cookie", format!("faro_session={session_before}"))
        .send()
        .await
        .unwrap();
    let replay = stolen
        .http
        .get(stolen.url("/profile"))
        .header("cookie", format!("faro_session={session_before}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::SEE_OTHER);
    let audit = admin.get("/admin/audit").await;
    audit
        .assert_contains("Inicio de sesión fallido")
        .assert_contains("Cierre de sesión")
        .assert_contains("127.0.0.1");
}

async fn password_reset_by_email(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Claves S.L.", "c@claves.es", true).await;
    join(app, &m.code, "Rosa Claves", "rosa@claves.es").await;
    let rosa = app.client();
    // Unknown addresses get the same answer and no mail.
    let unknown = rosa
        .post("/password/forgot", &[("email", "nadie@claves.es")])
        .await;
    rosa.follow(unknown)
        .await
        .assert_contains("Si el correo corresponde a una cuenta");
    let bad = rosa
        .post("/password/forgot", &[("email", "no-es-correo")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let before = app.links_sent("rosa@claves.es", "/password/reset?token=");
    let asked = rosa
        .post("/password/forgot", &[("email", "rosa@claves.es")])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let link = app
        .wait_for_link("rosa@claves.es", "/password/reset?token=", before)
        .await;
    let mail = app.mails_to("rosa@claves.es").pop().unwrap();
    assert!(
        mail.subject.contains("Restablece tu contraseña"),
        "{}",
        mail.subject
    );
    // By now the sender has handled the earlier request too: the unknown address got nothing.
    assert!(app.mails_to("nadie@claves.es").is_empty());
    let token = link.split("token=").nth(1).unwrap().to_string();
    rosa.get(&link)
        .await
        .assert_contains("Elige una contraseña nueva");
    let weak = rosa
        .post(
            "/password/reset",
            &[
                ("token", &token),
                ("password", "123"),
                ("password_confirm", "123"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = rosa
        .post(
            "/password/reset",
            &[
                ("token", &token),
                ("password", "Nueva-clave-2026"),
                ("password_confirm", "Nueva-clave-2026"),
            ],
        )
        .await;
    rosa.follow(done)
        .await
        .assert_contains("Contraseña cambiada");
    // Single use.
    let again = rosa
        .post(
            "/password/reset",
            &[
                ("token", &token),
                ("password", "Otra-clave-2026"),
                ("password_confirm", "Otra-clave-2026"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(rosa.get(&link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        rosa.post(
            "/login",
            &[("email", "rosa@claves.es"), ("password", PASSWORD)]
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    rosa.login("rosa@claves.es", "Nueva-clave-2026").await;
    // Expires after an hour.
    let before = app.links_sent("rosa@claves.es", "/password/reset?token=");
    rosa.post("/password/forgot", &[("email", "rosa@claves.es")])
        .await;
    let link = app
        .wait_for_link("rosa@claves.es", "/password/reset?token=", before)
        .await;
    app.sql("UPDATE tokens SET expires_at = '2020-01-01 00:00:00+00:00' WHERE used_at IS NULL")
        .await;
    assert_eq!(rosa.get(&link).await.status, StatusCode::NOT_FOUND);
}

async fn profile_language_and_password(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Perfiles S.L.", "c@perfiles.es", true).await;
    let p = join(app, &m.code, "Pilar Perfil", "pilar@perfiles.es").await;
    p.get("/profile")
        .await
        .assert_contains("Mi perfil")
        .assert_contains("pilar@perfiles.es");
    let bad = p.post("/profile/language", &[("lang", "fr")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let set = p.post("/profile/language", &[("lang", "en")]).await;
    let page = p.follow(set).await;
    page.assert_contains("Language saved")
        .assert_contains("My profile")
        .assert_contains("lang=\"en\"");
    // The preference follows the person to any device.
    let elsewhere = app.client_with_language("es-ES");
    elsewhere
        .login("pilar@perfiles.es", PASSWORD)
        .await
        .assert_contains("Hello, Pilar");
    // Password change needs the current password, and ends other sessions.
    let wrong = p
        .post(
            "/profile/password",
            &[
                ("current", "No-es-esta-2026"),
                ("password", "Cambiada-2026"),
                ("password_confirm", "Cambiada-2026"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("The current password is not correct");
    let ok = p
        .post(
            "/profile/password",
            &[
                ("current", PASSWORD),
                ("password", "Cambiada-2026"),
                ("password_confirm", "Cambiada-2026"),
            ],
        )
        .await;
    p.follow(ok).await.assert_contains("Password changed");
    assert_eq!(
        elsewhere.get("/profile").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(p.get("/profile").await.status, StatusCode::OK);
    app.client()
        .login("pilar@perfiles.es", "Cambiada-2026")
        .await;
}

async fn failed_sign_ins_slow_down(app: &TestApp) {
    let admin = setup_admin(app).await;
    let attacker = app.client();
    for _ in 0..5 {
        let page = attacker
            .post(
                "/login",
                &[("email", ADMIN_EMAIL), ("password", "adivinando-1")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    // The sixth try is not even checked, even with the right password.
    let page = attacker
        .post(
            "/login",
            &[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    page.assert_contains("Demasiados intentos fallidos")
        .assert_contains("15 minutos");
    // After the window passes, the right password works again.
    app.sql("UPDATE login_failures SET at = '2020-01-01 00:00:00+00:00'")
        .await;
    app.client().login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    admin
        .get("/admin/audit")
        .await
        .assert_contains("Inicio de sesión fallido");
}

async fn staff_accounts(app: &TestApp) {
    let admin = setup_admin(app).await;
    let page = admin.get("/admin/staff").await;
    page.assert_contains(ADMIN_EMAIL);
    let bad = admin
        .post(
            "/admin/staff",
            &[("name", "Pablo"), ("email", "x"), ("role", "member")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("correo electrónico válido")
        .assert_contains("Elige un rol válido");
    let created = admin
        .post(
            "/admin/staff",
            &[
                ("name", "Pablo Agente"),
                ("email", "pablo@soporte.example.es"),
                ("role", "agent"),
            ],
        )
        .await;
    admin
        .follow(created)
        .await
        .assert_contains("Cuenta creada")
        .assert_contains("pablo@soporte.example.es");
    let dup = admin
        .post(
            "/admin/staff",
            &[
                ("name", "Otro"),
                ("email", "pablo@soporte.example.es"),
                ("role", "agent"),
            ],
        )
        .await;
    dup.assert_contains("Ya existe una cuenta con este correo");
    // The new agent chooses a password through the e-mailed link.
    let mail = app.wait_for_mail("pablo@soporte.example.es", 1).await;
    let link = mail.link("http");
    let token = link.split("token=").nth(1).unwrap().to_string();
    let agent = app.client();
    agent
        .post(
            "/password/reset",
            &[
                ("token", &token),
                ("password", "Agente-clave-2026"),
                ("password_confirm", "Agente-clave-2026"),
            ],
        )
        .await;
    let home = agent
        .login("pablo@soporte.example.es", "Agente-clave-2026")
        .await;
    home.assert_contains("Membresías de clientes")
        .assert_lacks("href=\"/admin/staff\"");
    // Agents see memberships and the audit log, not staff management.
    assert_eq!(
        agent.get("/admin/staff").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(agent.get("/admin/audit").await.status, StatusCode::OK);
    assert_eq!(
        agent.get("/memberships/new").await.status,
        StatusCode::NOT_FOUND
    );
    // The last active administrator cannot be demoted or deactivated.
    let staff = admin.get("/admin/staff").await;
    let admin_row = staff.body.find(ADMIN_EMAIL).unwrap();
    let i =
        staff.body[admin_row..].find("/admin/staff/").unwrap() + admin_row + "/admin/staff/".len();
    let admin_id = staff.body[i..i + 36].to_string();
    let demote = admin
        .post(
            &format!("/admin/staff/{admin_id}"),
            &[("role", "agent"), ("active", "1")],
        )
        .await;
    admin
        .follow(demote)
        .await
        .assert_contains("Debe quedar al menos una cuenta de administración activa");
    // Promote the agent; role changes are audited.
    let agent_row = staff.body.find("pablo@soporte.example.es").unwrap();
    let i =
        staff.body[agent_row..].find("/admin/staff/").unwrap() + agent_row + "/admin/staff/".len();
    let agent_id = staff.body[i..i + 36].to_string();
    let promote = admin
        .post(
            &format!("/admin/staff/{agent_id}"),
            &[("role", "admin"), ("active", "1")],
        )
        .await;
    admin.follow(promote).await.assert_contains("Rol guardado");
    admin
        .get("/admin/audit")
        .await
        .assert_contains("Rol cambiado")
        .assert_contains("agent → admin");
}

on_both_databases!(mail_sending_forms_are_rate_limited);

/// Reset links and join requests cannot be used to flood a mailbox.
async fn mail_sending_forms_are_rate_limited(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Límites S.L.", "c@limites.es", true).await;
    join(app, &m.code, "Lola Límites", "lola@limites.es").await;
    let c = app.client();
    // Reset links: three an hour per address; the answer never changes (no account probing).
    let before = app.links_sent("lola@limites.es", "/password/reset?token=");
    for _ in 0..5 {
        let page = c
            .post("/password/forgot", &[("email", "lola@limites.es")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location.as_deref(), Some("/login"));
    }
    app.wait_for_link("lola@limites.es", "/password/reset?token=", before + 2)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(
        app.links_sent("lola@limites.es", "/password/reset?token=") - before,
        3
    );
    // Join requests: three an hour per e-mail; wrong codes do not count against the person.
    for _ in 0..4 {
        let wrong = c
            .post(
                "/join",
                &[
                    ("code", "AAAA-AAAA-AAAA-AAAA"),
                    ("name", "Pepe"),
                    ("email", "pepe@limites.es"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    for _ in 0..3 {
        let ok = c
            .post(
                "/join",
                &[
                    ("code", &m.code),
                    ("name", "Pepe"),
                    ("email", "pepe@limites.es"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    }
    let limited = c
        .post(
            "/join",
            &[
                ("code", &m.code),
                ("name", "Pepe"),
                ("email", "pepe@limites.es"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    limited
        .assert_contains("Demasiadas peticiones seguidas")
        .assert_contains("value=\"pepe@limites.es\"");
}
