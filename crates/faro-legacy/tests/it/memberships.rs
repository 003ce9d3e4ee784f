//! Points 3, 4 and 6: memberships and their codes, joining, coordinators managing people.

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(
    admin_creates_membership_and_code_is_mailed,
    rotation_and_expiry_stop_old_codes,
    joining_refuses_bad_input_and_creates_nothing,
    joining_confirms_by_email,
    coordinator_manages_people,
    membership_form_validates,
);

fn looks_like_code(code: &str) -> bool {
    let groups: Vec<&str> = code.split('-').collect();
    groups.len() == 4
        && groups.iter().all(|g| {
            g.len() == 4
                && g.bytes()
                    .all(|b| faro_core::invitation::ALPHABET.contains(&b))
        })
}

async fn admin_creates_membership_and_code_is_mailed(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(
        &admin,
        "Industrias Ejemplo S.A.",
        "lucia@industrias.es",
        true,
    )
    .await;
    assert!(looks_like_code(&m.code), "{}", m.code);
    let page = admin.get(&format!("/memberships/{}", m.id)).await;
    page.assert_contains("Industrias Ejemplo S.A.")
        .assert_contains("Activa")
        .assert_contains("B12345678");
    page.assert_contains(&format!("/join?code={}", m.code));
    // The coordinator gets the code and a join link.
    let mail = app.wait_for_mail("lucia@industrias.es", 1).await;
    assert!(mail.subject.contains("membresía"), "{}", mail.subject);
    assert!(mail.text.contains(&m.code) && mail.html.contains(&m.code));
    assert!(
        mail.link("http")
            .ends_with(&format!("/join?code={}", m.code))
    );
    // Listed for staff, with its people count.
    let list = admin.get("/memberships").await;
    list.assert_contains("Industrias Ejemplo S.A.")
        .assert_contains("Contrato de mantenimiento");
    // Created inactive, then activated later: same mail.
    let later = create_membership(&admin, "Talleres Demo S.L.", "jorge@talleres.es", false).await;
    admin
        .get(&format!("/memberships/{}", later.id))
        .await
        .assert_contains("Inactiva");
    let joined = app
        .client()
        .post(
            "/join",
            &[
                ("code", &later.code),
                ("name", "Pepe"),
                ("email", "pepe@talleres.es"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        joined.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "inactive membership admits nobody"
    );
    let act = admin
        .post(&format!("/memberships/{}/activate", later.id), &[])
        .await;
    admin
        .follow(act)
        .await
        .assert_contains("Hemos enviado el código al coordinador");
    let mail = app.wait_for_mail("jorge@talleres.es", 1).await;
    assert!(mail.text.contains(&later.code));
    // Audit trail of the membership changes.
    let audit = admin.get("/admin/audit").await;
    audit
        .assert_contains("Membresía creada")
        .assert_contains("Membresía activada")
        .assert_contains(ADMIN_EMAIL);
}

async fn rotation_and_expiry_stop_old_codes(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Rotaciones S.L.", "c@rot.es", true).await;
    let rotated = admin
        .post(&format!("/memberships/{}/code", m.id), &[])
        .await;
    let page = admin.follow(rotated).await;
    page.assert_contains("El anterior ya no funciona");
    let new_code = page.between("id=\"invitation-code\">", "<");
    assert_ne!(new_code, m.code);
    assert!(looks_like_code(&new_code));

    let person = app.client();
    let old = person
        .post(
            "/join",
            &[
                ("code", &m.code),
                ("name", "Ana"),
                ("email", "ana@rot.es"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    old.assert_contains("El código de invitación no es correcto");

    // Expiry: a past date is refused, a future one is shown.
    let past = admin
        .post(
            &format!("/memberships/{}/expiry", m.id),
            &[("code_expiry", "01/01/2020")],
        )
        .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    past.assert_contains("dd/mm/aaaa");
    let set = admin
        .post(
            &format!("/memberships/{}/expiry", m.id),
            &[("code_expiry", "31/12/2099")],
        )
        .await;
    admin
        .follow(set)
        .await
        .assert_contains("Caduca el 31 de diciembre de 2099");
    // Once the date has passed, joining says so.
    app.sql("UPDATE memberships SET code_expires_at = '2020-01-01 00:00:00+00:00'")
        .await;
    let expired = person
        .post(
            "/join",
            &[
                ("code", &new_code),
                ("name", "Ana"),
                ("email", "ana@rot.es"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(expired.status, StatusCode::UNPROCESSABLE_ENTITY);
    expired.assert_contains("ha caducado");
    // Clearing the expiry makes the code work again.
    let cleared = admin
        .post(
            &format!("/memberships/{}/expiry", m.id),
            &[("code_expiry", "")],
        )
        .await;
    admin.follow(cleared).await.assert_contains("No caduca");
    join(app, &new_code, "Ana Ruiz", "ana@rot.es").await;
    let audit = admin.get("/admin/audit").await;
    audit
        .assert_contains("Código de invitación renovado")
        .assert_contains("Caducidad del código cambiada");
}

async fn joining_refuses_bad_input_and_creates_nothing(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Entradas S.A.", "c@entradas.es", true).await;
    join(app, &m.code, "Primera Persona", "primera@entradas.es").await;
    let person = app.client();
    let cases: [(&str, &str, &str, &str, &str); 5] = [
        (
            "AAAA-AAAA-AAAA-AAAA",
            "Luis",
            "luis@entradas.es",
            PASSWORD,
            "El código de invitación no es correcto",
        ),
        (
            "esto no es un código",
            "Luis",
            "luis@entradas.es",
            PASSWORD,
            "no tiene el formato correcto",
        ),
        (
            &m.code,
            "Luis",
            "primera@entradas.es",
            PASSWORD,
            "Ya existe una cuenta con este correo",
        ),
        (
            &m.code,
            "Luis",
            "luis@entradas.es",
            "1234567890",
            "demasiado fácil de adivinar",
        ),
        (
            &m.code,
            "",
            "luis@entradas",
            PASSWORD,
            "Escribe un correo electrónico válido",
        ),
    ];
    for (code, name, email, password, message) in cases {
        let page = person
            .post(
                "/join",
                &[
                    ("code", code),
                    ("name", name),
                    ("email", email),
                    ("password", password),
                    ("password_confirm", password),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        page.assert_contains(message);
        // The form comes back filled in, except the password.
        page.assert_contains(&format!("value=\"{email}\""))
            .assert_lacks(&format!("value=\"{password}\""));
    }
    let mismatch = person
        .post(
            "/join",
            &[
                ("code", &m.code),
                ("name", "Luis"),
                ("email", "luis@entradas.es"),
                ("password", PASSWORD),
                ("password_confirm", "Otra-cosa-2026"),
            ],
        )
        .await;
    mismatch.assert_contains("no coinciden");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert!(app.mails_to("luis@entradas.es").is_empty());
    assert!(
        !app.store()
            .email_in_use(&faro_core::Email::parse("luis@entradas.es").unwrap())
            .await
            .unwrap()
    );
}

async fn joining_confirms_by_email(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Confirmaciones S.L.", "c@conf.es", true).await;
    let person = app.client();
    // The code is accepted in lower case with spaces, as people type it over the phone.
    let typed = m.code.to_lowercase().replace('-', " ");
    let page = person
        .post(
            "/join",
            &[
                ("code", &typed),
                ("name", "Marta Sanz"),
                ("email", "Marta@Conf.es"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    person
        .follow(page)
        .await
        .assert_contains("Te hemos enviado un correo");
    let email = faro_core::Email::parse("marta@conf.es").unwrap();
    // No account before confirming: signing in fails.
    assert!(!app.store().email_in_use(&email).await.unwrap());
    assert_eq!(
        person
            .post(
                "/login",
                &[("email", "marta@conf.es"), ("password", PASSWORD)]
            )
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let mail = app.wait_for_mail("marta@conf.es", 1).await;
    assert!(
        mail.subject.contains("Confirmaciones S.L."),
        "{}",
        mail.subject
    );
    let link = mail.link("http");
    let token = link.split("token=").nth(1).unwrap().to_string();
    let confirm = person.post("/join/confirm", &[("token", &token)]).await;
    person
        .follow(confirm)
        .await
        .assert_contains("Correo confirmado");
    assert!(app.store().email_in_use(&email).await.unwrap());
    // The link works once.
    let again = person.post("/join/confirm", &[("token", &token)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    again.assert_contains("no es válido");
    let home = person.login("marta@conf.es", PASSWORD).await;
    home.assert_contains("Hola, Marta")
        .assert_contains("Confirmaciones S.L.")
        .assert_contains("Miembro");
    // Staff see the new person in the membership.
    admin
        .get(&format!("/memberships/{}", m.id))
        .await
        .assert_contains("marta@conf.es");
}

async fn coordinator_manages_people(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Equipos S.A.", "coord@equipos.es", true).await;
    // The invitation went to coord@equipos.es: joining makes her the coordinator.
    let coord = join(app, &m.code, "Carla Coordinadora", "coord@equipos.es").await;
    let member = join(app, &m.code, "Mario Miembro", "mario@equipos.es").await;
    // Her membership page shows its people and code.
    let mine = coord.get("/membership").await;
    assert_eq!(mine.status, StatusCode::OK);
    mine.assert_contains("mario@equipos.es")
        .assert_contains(&m.code)
        .assert_lacks("Generar un código nuevo");
    // A plain member cannot manage people.
    assert_eq!(
        member.get("/membership").await.status,
        StatusCode::FORBIDDEN
    );
    let mario = person_id(&mine, "mario@equipos.es");
    let refused = member
        .post(&format!("/people/{mario}/deactivate"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Deactivating signs the person out and keeps them out.
    let done = coord
        .post(&format!("/people/{mario}/deactivate"), &[])
        .await;
    coord
        .follow(done)
        .await
        .assert_contains("Cuenta desactivada");
    assert_eq!(member.get("/").await.status, StatusCode::SEE_OTHER);
    let back = member
        .post(
            "/login",
            &[("email", "mario@equipos.es"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(back.status, StatusCode::FORBIDDEN);
    back.assert_contains("Esta cuenta está desactivada");
    coord
        .post(&format!("/people/{mario}/reactivate"), &[])
        .await;
    // Passing the coordinator role: Mario becomes coordinator, Carla a member.
    let passed = coord
        .post(&format!("/people/{mario}/coordinator"), &[])
        .await;
    coord
        .follow(passed)
        .await
        .assert_contains("Rol de coordinador traspasado");
    assert_eq!(coord.get("/membership").await.status, StatusCode::FORBIDDEN);
    member.login("mario@equipos.es", PASSWORD).await;
    member
        .get("/membership")
        .await
        .assert_contains("coord@equipos.es");
    // Nobody can act on themselves.
    let own = member
        .post(&format!("/people/{mario}/deactivate"), &[])
        .await;
    member
        .follow(own)
        .await
        .assert_contains("No puedes hacer esto con tu propia cuenta");
    admin
        .get("/admin/audit")
        .await
        .assert_contains("Rol de coordinador traspasado")
        .assert_contains("Cuenta desactivada");
}

async fn membership_form_validates(app: &TestApp) {
    let admin = setup_admin(app).await;
    let page = admin
        .post(
            "/memberships/new",
            &[
                ("name", " "),
                ("tax_id", "<b>"),
                ("coordinator_email", "x"),
                ("contract_state", "gratis"),
                ("code_expiry", "ayer"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("Escribe un nombre")
        .assert_contains("El NIF/CIF")
        .assert_contains("correo electrónico válido")
        .assert_contains("Elige una situación contractual")
        .assert_contains("dd/mm/aaaa")
        .assert_contains("value=\"&#60;b&#62;\"");
    let needs_mail = admin
        .post(
            "/memberships/new",
            &[
                ("name", "Sin Correo S.L."),
                ("contract_state", "lapsed"),
                ("activate", "1"),
            ],
        )
        .await;
    assert_eq!(needs_mail.status, StatusCode::UNPROCESSABLE_ENTITY);
    needs_mail.assert_contains("indica el correo del coordinador");
    assert_eq!(app.store().count_memberships().await.unwrap(), 0);
    let m = create_membership(&admin, "Duplicada S.L.", "c@dup.es", false).await;
    let dup = admin
        .post(
            "/memberships/new",
            &[("name", "Duplicada S.L."), ("contract_state", "contract")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    dup.assert_contains("Ya existe una membresía con ese nombre");
    // Editing.
    let edit = admin
        .post(
            &format!("/memberships/{}/edit", m.id),
            &[
                ("name", "Renombrada S.L."),
                ("tax_id", ""),
                ("coordinator_email", ""),
                ("contract_state", "subscription"),
            ],
        )
        .await;
    admin
        .follow(edit)
        .await
        .assert_contains("Renombrada S.L.")
        .assert_contains("Suscripción");
    assert_eq!(
        admin.get("/memberships/no-es-un-id").await.status,
        StatusCode::NOT_FOUND
    );
}
