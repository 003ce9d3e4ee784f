//! The knowledge base: writing with revisions, reading in scope, Spanish-aware search.

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(
    staff_write_members_read_in_scope,
    spanish_search_finds_what_people_type,
    revisions_diff_and_restore
);

/// Creates an article through the editor; returns its slug.
pub async fn write_article(
    staff: &Client,
    title: &str,
    body: &str,
    scope: &str,
    state: &str,
    kind: &str,
    tags: &str,
) -> String {
    let page = staff
        .post(
            "/kb/new",
            &[
                ("title", title),
                ("summary", "Resumen de prueba"),
                ("body", body),
                ("kind", kind),
                ("category", ""),
                ("tags", tags),
                ("scope", scope),
                ("state", state),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location
        .unwrap()
        .trim_start_matches("/kb/")
        .to_string()
}

async fn staff_write_members_read_in_scope(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Alfa S.A.", "c@alfa.es", true).await;
    let b = create_membership(&admin, "Beta S.L.", "c@beta.es", true).await;
    let alfa = join(app, &a.code, "Ana Alfa", "ana@alfa.es").await;

    // The editor refuses bad input with messages and keeps what was typed.
    let bad = admin
        .post(
            "/kb/new",
            &[
                ("title", "x"),
                ("body", "cuerpo"),
                ("kind", "blog"),
                ("scope", "global"),
                ("state", "draft"),
                ("tags", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Escribe un título")
        .assert_contains("Elige un tipo de artículo")
        .assert_contains(">cuerpo</textarea>");

    let global = write_article(
        &admin,
        "Guía general de la VPN",
        "Texto para **todos**.",
        "global",
        "published",
        "tutorial",
        "vpn",
    )
    .await;
    let for_a = write_article(
        &admin,
        "Procedimiento propio de Alfa",
        "Solo Alfa.",
        &a.id,
        "published",
        "procedure",
        "",
    )
    .await;
    let for_b = write_article(
        &admin,
        "Secreto industrial de Beta",
        "Solo Beta: fórmula secreta.",
        &b.id,
        "published",
        "procedure",
        "",
    )
    .await;
    let draft = write_article(
        &admin,
        "Borrador sin publicar",
        "Aún no.",
        "global",
        "draft",
        "faq",
        "",
    )
    .await;
    let evil = write_article(
        &admin,
        "Artículo con HTML peligroso",
        "<script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>",
        "global",
        "published",
        "faq",
        "",
    )
    .await;
    assert_eq!(global, "guia-general-de-la-vpn");

    // The member reads global and own articles, in Spanish, with the "updated on" date.
    let page = alfa.get(&format!("/kb/{global}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Guía general de la VPN")
        .assert_contains("<strong>todos</strong>")
        .assert_contains("Actualizado el");
    assert_eq!(
        alfa.get(&format!("/kb/{for_a}")).await.status,
        StatusCode::OK
    );
    let list = alfa.get("/kb").await;
    list.assert_contains("Procedimiento propio de Alfa")
        .assert_contains("Guía general")
        .assert_lacks("Beta")
        .assert_lacks("Borrador sin publicar");
    // Another membership's article and drafts are not found, on every KB URL.
    for slug in [&for_b, &draft] {
        for url in [
            format!("/kb/{slug}"),
            format!("/kb/{slug}/edit"),
            format!("/kb/{slug}/history"),
            format!("/kb/{slug}/diff?from=1&to=1"),
        ] {
            let p = alfa.get(&url).await;
            assert_eq!(p.status, StatusCode::NOT_FOUND, "GET {url}");
            p.assert_lacks("fórmula secreta");
        }
        let p = alfa
            .post(&format!("/kb/{slug}/restore"), &[("number", "1")])
            .await;
        assert_eq!(p.status, StatusCode::NOT_FOUND);
        let p = alfa
            .post(
                &format!("/kb/{slug}/edit"),
                &[
                    ("title", "Robado"),
                    ("body", "x"),
                    ("kind", "faq"),
                    ("scope", "global"),
                    ("state", "published"),
                ],
            )
            .await;
        assert_eq!(p.status, StatusCode::NOT_FOUND);
    }
    // Members cannot write at all.
    assert_eq!(alfa.get("/kb/new").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        alfa.post("/kb/categories", &[("name", "Intrusa"), ("parent", "")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let token = alfa.csrf().await;
    let part = reqwest::multipart::Part::bytes(crate::kb_reading::PNG.to_vec()).file_name("x.png");
    let upload = alfa
        .http
        .post(alfa.url(&format!("/kb/{global}/images?_csrf={token}")))
        .multipart(reqwest::multipart::Form::new().part("image", part))
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        alfa.post(
            "/kb/new",
            &[
                ("title", "Intruso"),
                ("body", "x"),
                ("kind", "faq"),
                ("scope", "global"),
                ("state", "published")
            ]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Nothing from the article can run.
    let page = alfa.get(&format!("/kb/{evil}")).await;
    page.assert_lacks("<script>alert")
        .assert_lacks("javascript:")
        .assert_lacks("onerror");
    // Staff see drafts, marked as such.
    admin
        .get(&format!("/kb/{draft}"))
        .await
        .assert_contains("Borrador")
        .assert_contains("los clientes no lo ven");
    admin
        .get("/kb?state=draft")
        .await
        .assert_contains("Borrador sin publicar");
    // Kind filter.
    alfa.get("/kb?kind=tutorial")
        .await
        .assert_contains("Guía general")
        .assert_lacks("Procedimiento propio");
}

async fn spanish_search_finds_what_people_type(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Alfa S.A.", "c@alfa.es", true).await;
    let b = create_membership(&admin, "Beta S.L.", "c@beta.es", true).await;
    let alfa = join(app, &a.code, "Ana Alfa", "ana@alfa.es").await;
    write_article(
        &admin,
        "Configuración de la impresora de red",
        "Abre el panel y añade la impresora compartida de la oficina.",
        "global",
        "published",
        "tutorial",
        "impresoras",
    )
    .await;
    write_article(
        &admin,
        "Correo que no llega",
        "Revisa la carpeta de no deseado. La red de la oficina no influye.",
        "global",
        "published",
        "procedure",
        "correo",
    )
    .await;
    write_article(
        &admin,
        "Configuraciones avanzadas de Beta",
        "Impresora secreta de Beta.",
        &b.id,
        "published",
        "procedure",
        "impresoras",
    )
    .await;

    let search = |q: &str| {
        let q: String = form_urlencoded_encode(q);
        format!("/search?q={q}")
    };
    // Accents, capitals and plurals find the same article.
    for q in [
        "configuracion",
        "Configuración",
        "configuraciones",
        "IMPRESORAS",
    ] {
        let page = alfa.get(&search(q)).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("/kb/configuracion-de-la-impresora-de-red")
            .assert_lacks("Beta");
    }
    // A typo in a longer word.
    alfa.get(&search("impresroa"))
        .await
        .assert_contains("/kb/configuracion-de-la-impresora-de-red");
    // A phrase only matches the words together.
    alfa.get(&search("\"red de la oficina\""))
        .await
        .assert_contains("/kb/correo-que-no-llega")
        .assert_lacks("/kb/configuracion-de-la-impresora-de-red");
    // Exclusion.
    alfa.get(&search("oficina -correo"))
        .await
        .assert_contains("/kb/configuracion-de-la-impresora-de-red")
        .assert_lacks("/kb/correo-que-no-llega");
    // Highlighted snippets.
    alfa.get(&search("compartida"))
        .await
        .assert_contains("<b>compartida</b>");
    // Another membership's article never shows, nor counts.
    let page = alfa.get(&search("impresora")).await;
    page.assert_lacks("Beta").assert_contains("1 resultado");
    let staff = admin.get(&search("impresora")).await;
    staff
        .assert_contains("Configuraciones avanzadas de Beta")
        .assert_contains("2 resultados");
    // Syntax errors are never a 500.
    for q in ["\"sin cerrar", "-", "(((", "title:foo", "a~2^3*", "\u{0}"] {
        let page = alfa.get(&search(q)).await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
    }
    // Kind filter.
    alfa.get(&format!("{}&kind=procedure", search("oficina")))
        .await
        .assert_contains("/kb/correo-que-no-llega")
        .assert_lacks("/kb/configuracion-de-la-impresora-de-red");
}

fn form_urlencoded_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn revisions_diff_and_restore(app: &TestApp) {
    let admin = setup_admin(app).await;
    let slug = write_article(
        &admin,
        "Copias de seguridad diarias",
        "Primera versión del texto.\nLínea común.",
        "global",
        "published",
        "maintenance",
        "copias",
    )
    .await;
    let edit = admin.get(&format!("/kb/{slug}/edit")).await;
    edit.assert_contains("Primera versión del texto.");
    let saved = admin
        .post(
            &format!("/kb/{slug}/edit"),
            &[
                ("title", "Copias de seguridad diarias y semanales"),
                ("summary", "Resumen de prueba"),
                ("body", "Segunda versión del texto.\nLínea común."),
                ("kind", "maintenance"),
                ("category", ""),
                ("tags", "copias"),
                ("scope", "global"),
                ("state", "published"),
                ("note", "Añado las semanales"),
            ],
        )
        .await;
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/kb/{slug}").as_str()),
        "the address never changes"
    );
    admin
        .follow(saved)
        .await
        .assert_contains("Copias de seguridad diarias y semanales")
        .assert_contains("Segunda versión");
    let history = admin.get(&format!("/kb/{slug}/history")).await;
    history
        .assert_contains("Añado las semanales")
        .assert_contains("Revisión")
        .assert_contains("Elena Administradora");
    let diff = admin.get(&format!("/kb/{slug}/diff?from=1&to=2")).await;
    diff.assert_contains("- Primera versión del texto.")
        .assert_contains("+ Segunda versión del texto.")
        .assert_contains("Copias de seguridad diarias y semanales");
    let restored = admin
        .post(&format!("/kb/{slug}/restore"), &[("number", "1")])
        .await;
    admin
        .follow(restored)
        .await
        .assert_contains("Restaurada la revisión 1");
    admin
        .get(&format!("/kb/{slug}"))
        .await
        .assert_contains("Primera versión del texto.")
        .assert_contains("Revisión 3");
    assert_eq!(
        admin
            .post(&format!("/kb/{slug}/restore"), &[("number", "9")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin
            .get(&format!("/kb/{slug}/diff?from=7&to=8"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

on_both_databases!(suggestions_preview_and_a_second_node);

async fn suggestions_preview_and_a_second_node(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Alfa S.A.", "c@alfa.es", true).await;
    let b = create_membership(&admin, "Beta S.L.", "c@beta.es", true).await;
    let alfa = join(app, &a.code, "Ana Alfa", "ana@alfa.es").await;
    write_article(
        &admin,
        "Impresora de la recepción",
        "Texto.",
        "global",
        "published",
        "faq",
        "",
    )
    .await;
    write_article(
        &admin,
        "Impresora secreta de Beta",
        "Texto.",
        &b.id,
        "published",
        "faq",
        "",
    )
    .await;

    // Suggestions while typing: scoped like search.
    let json = alfa.get("/search/suggest?q=impre").await;
    assert_eq!(json.status, StatusCode::OK);
    assert!(
        json.body.contains("impresora-de-la-recepcion") && !json.body.contains("Beta"),
        "{}",
        json.body
    );
    assert_eq!(alfa.get("/search/suggest?q=i").await.body, "[]");

    // Live preview: staff only, with the CSRF header, sanitised.
    let csrf = admin.csrf().await;
    let res = admin
        .http
        .post(admin.url("/kb/preview"))
        .header("x-csrf-token", &csrf)
        .body("**hola** <script>alert(1)</script>")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("<strong>hola</strong>") && !html.contains("<script"),
        "{html}"
    );
    let res = admin
        .http
        .post(admin.url("/kb/preview"))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let token = alfa.csrf().await;
    let res = alfa
        .http
        .post(alfa.url("/kb/preview"))
        .header("x-csrf-token", &token)
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // A second node on the same database, with its own index, catches up on its own.
    let dir = tempfile::tempdir().unwrap();
    let settings = faro_legacy::config::Config {
        bind: "127.0.0.1:0".into(),
        data_dir: dir.path().into(),
        database_url: Some(app.database_url.clone()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let store = faro_legacy::app::open_store(&settings).await.unwrap();
    let node2 = faro_legacy::app::start(
        &settings,
        store,
        faro_legacy::app::StartOptions {
            jobs: faro_legacy::app::test_jobs(),
            handle_signals: false,
        },
    )
    .await
    .unwrap();
    let on_node2 = Client::new_for(&node2.base_url);
    on_node2.login("ana@alfa.es", PASSWORD).await;
    on_node2
        .get("/search?q=recepcion")
        .await
        .assert_contains("impresora-de-la-recepcion");
    // Saved on node 1 after node 2 started: found on node 2 once it follows the change log.
    write_article(
        &admin,
        "Escáner del almacén",
        "Texto.",
        "global",
        "published",
        "faq",
        "",
    )
    .await;
    let start = std::time::Instant::now();
    loop {
        let page = on_node2.get("/search?q=almacen").await;
        if page.body.contains("escaner-del-almacen") {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "node 2 never indexed the new article"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    node2.stop().await;
}

/// Migrations run from an older schema: articles written before the change note existed are
/// still readable afterwards, with an empty note.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_upgrade_an_older_schema() {
    for db in [Db::Sqlite, Db::Postgres] {
        let Some(fresh) = FreshDatabase::create(db).await else {
            continue;
        };
        let older = faro_store::Store::connect(&fresh.url).await.unwrap();
        older.migrate_first(3).await.unwrap();
        let mut conn = faro_store::db::connect(&fresh.url).unwrap();
        // SQLite keeps UUIDs as 16 bytes, PostgreSQL as uuid.
        let id = match db {
            Db::Sqlite => "X'0192f3a0000070008000000000000001'",
            Db::Postgres => "'0192f3a0-0000-7000-8000-000000000001'",
        };
        diesel::connection::SimpleConnection::batch_execute(
            &mut conn,
            &format!(
                "INSERT INTO kb_articles (id, slug, title, summary, body, kind, state, category_id, membership_id, tags, views, revision, created_at, updated_at, published_at) \
                 VALUES ({id}, 'antiguo', 'Artículo antiguo', '', 'Texto', 'faq', 'published', NULL, NULL, '', 0, 1, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', NULL)"
            ),
        )
        .unwrap();
        drop(conn);
        older.migrate().await.unwrap();
        let a = older
            .article_by_slug(&faro_core::Viewer::system(), "antiguo")
            .await
            .unwrap();
        assert_eq!(a.title, "Artículo antiguo");
        assert_eq!(a.last_change_note, "");
        older.close().await;
        fresh.drop().await;
    }
}
