//! Points 2, 7 and 8: the demo, home pages per role, navigation, languages, Spanish formats.

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(demo_accounts_sign_in, homes_per_role_and_languages);

async fn demo_accounts_sign_in(app: &TestApp) {
    let files = faro_files::FileStore::open(&faro_files::FileStoreConfig::Local {
        root: app.dir.path().join("files"),
    })
    .unwrap();
    faro_legacy::demo::load(app.store(), &files).await.unwrap();
    // Loading twice changes nothing.
    faro_legacy::demo::load(app.store(), &files).await.unwrap();
    let lines = faro_legacy::demo::account_lines();
    for role in ["admin", "agent", "coordinator", "member"] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("demo: {role} "))),
            "{role}"
        );
    }
    for line in &lines {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts.len(), 4, "{line}");
        let home = app.client().login(parts[2], parts[3]).await;
        assert_eq!(home.status, StatusCode::OK);
    }
    let admin = app.client();
    admin.login("admin@faro.demo", "faro-demo-admin").await;
    let list = admin.get("/memberships").await;
    list.assert_contains("Industrias Ejemplo S.A.")
        .assert_contains("Talleres Demo S.L.");
    let coord = app.client();
    coord
        .login("lucia.martin@industrias-ejemplo.es", "faro-demo-coordina")
        .await;
    coord
        .get("/membership")
        .await
        .assert_contains("ana.garcia@industrias-ejemplo.es")
        .assert_lacks("talleres-demo.es");
    // The home page shows the membership's open incidents and the latest versions.
    let home = coord.get("/").await;
    home.assert_contains("Incidencias abiertas de tu empresa")
        .assert_contains("La línea de envasado no arranca")
        .assert_contains("Últimas versiones publicadas")
        .assert_contains("Manual de la línea de envasado")
        .assert_lacks("matrícula")
        .assert_lacks("Controlador del lector");
    // The incidents themselves live in the app: the home page's links go on there.
    let year = chrono::Utc::now().format("%Y");
    let number = format!("INC-{year}-0001");
    home.assert_contains(&format!("href=\"/incidents/{number}\""));
    let to_app = coord.get(&format!("/incidents/{number}")).await;
    assert_eq!(to_app.status, StatusCode::SEE_OTHER);
    assert_eq!(
        to_app.location.as_deref(),
        Some(format!("{PORTAL}/incidents/{number}").as_str())
    );
    // Downloads for all clients and for this membership only; a withdrawn version elsewhere.
    let downloads = coord.get("/downloads").await;
    downloads
        .assert_contains("FaroERP, programa de gestión")
        .assert_contains("Manual de la línea de envasado")
        .assert_lacks("Controlador del lector");
    let manual = coord
        .get("/downloads/manual-de-la-linea-de-envasado/latest")
        .await;
    assert_eq!(manual.status, StatusCode::OK);
    assert!(manual.body.contains("versión 1.1"));
    coord
        .get("/resources")
        .await
        .assert_contains("RustDesk")
        .assert_contains("KeePassXC");
    let taller = app.client();
    taller
        .login("jorge.navarro@talleres-demo.es", "faro-demo-coordina")
        .await;
    taller
        .get("/downloads/controlador-del-lector-de-codigos-de-barras")
        .await
        .assert_contains("Retirada")
        .assert_contains("Bloquea el lector");
    assert_eq!(
        taller
            .get("/downloads/manual-de-la-linea-de-envasado")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn homes_per_role_and_languages(app: &TestApp) {
    let admin = setup_admin(app).await;
    let m = create_membership(&admin, "Hogares S.L.", "c@hogares.es", true).await;
    let member = join(app, &m.code, "Hugo Hogar", "hugo@hogares.es").await;

    // Members: their membership, in Spanish, with es-ES dates; no placeholder sections.
    let home = member.get("/").await;
    home.assert_contains("<html lang=\"es\"")
        .assert_contains("Hola, Hugo")
        .assert_contains("Hogares S.L.");
    let year = chrono::Utc::now().format("%Y").to_string();
    home.assert_contains(&format!(" de {year}</dd>"));
    for absent in ["Soporte</a>", "Informes", "href=\"/memberships\""] {
        home.assert_lacks(absent);
    }
    home.assert_contains("name=\"viewport\"");
    // Sections appear once they exist: the knowledge base does.
    home.assert_contains("href=\"/kb\"")
        .assert_contains("Documentación")
        .assert_contains("href=\"/downloads\"")
        .assert_contains("href=\"/resources\"");
    // ...and lives in the app, as the incidents do: their addresses here go on there, query
    // string and all.
    for path in [
        "/kb?kind=faq",
        "/incidents",
        "/incidents/new",
        "/incidents?state=open&mine=1",
    ] {
        let to_app = member.get(path).await;
        assert_eq!(to_app.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            to_app.location.as_deref(),
            Some(format!("{PORTAL}{path}").as_str())
        );
    }
    // Staff: the list of memberships.
    let staff_home = admin.get("/").await;
    staff_home
        .assert_contains("Membresías de clientes")
        .assert_contains("Hogares S.L.")
        .assert_contains("href=\"/admin/staff\"");

    // Anonymous: the sign-in page, in English when the browser asks for it.
    let english = app.client_with_language("en-GB,en;q=0.9");
    let page = english.get("/").await;
    assert_eq!(page.location.as_deref(), Some("/login"));
    english
        .get("/login")
        .await
        .assert_contains("<html lang=\"en\"")
        .assert_contains("Forgot your password?");
    let unsupported = app.client_with_language("de-DE");
    unsupported
        .get("/login")
        .await
        .assert_contains("<html lang=\"es\"")
        .assert_contains("¿Has olvidado tu contraseña?");
    // The footer switch remembers the choice.
    let switch = unsupported
        .post("/language", &[("lang", "en"), ("next", "/join")])
        .await;
    assert_eq!(switch.location.as_deref(), Some("/join"));
    unsupported
        .get("/join")
        .await
        .assert_contains("Join your company");
    // Validation messages in the person's language.
    let refused = english
        .post(
            "/join",
            &[
                ("code", "x"),
                ("name", "A"),
                ("email", "b"),
                ("password", "c"),
                ("password_confirm", "c"),
            ],
        )
        .await;
    refused.assert_contains("Enter a valid e-mail address");

    // Numbers and dates in es-ES form in the audit log (dd/mm/aaaa hh:mm).
    let audit = admin.get("/admin/audit").await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Madrid)
        .format("%d/%m/%Y")
        .to_string();
    audit.assert_contains(&today);
}
