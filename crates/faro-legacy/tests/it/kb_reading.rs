//! The knowledge base's reading tools: comments, feedback, PDF, e-mail with the PDF, images.

use reqwest::StatusCode;

use crate::kb::write_article;
use crate::on_both_databases;
use crate::support::*;

on_both_databases!(
    comments_and_feedback,
    pdf_email_and_images,
    images_from_before_the_file_store_move_there
);

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

async fn comments_and_feedback(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Alfa S.A.", "c@alfa.es", true).await;
    let b = create_membership(&admin, "Beta S.L.", "c@beta.es", true).await;
    let ana = join(app, &a.code, "Ana Alfa", "ana@alfa.es").await;
    let luis = join(app, &a.code, "Luis Alfa", "luis@alfa.es").await;
    let bea = join(app, &b.code, "Bea Beta", "bea@beta.es").await;
    let slug = write_article(
        &admin,
        "Cómo pedir ayuda",
        "Escribe a soporte.",
        "global",
        "published",
        "faq",
        "",
    )
    .await;
    let for_a = write_article(
        &admin,
        "Interno de Alfa",
        "Solo Alfa.",
        &a.id,
        "published",
        "faq",
        "",
    )
    .await;

    // A member comments (sanitised Markdown); colleagues and staff read it, other clients do not;
    // staff are told by mail.
    let empty = ana
        .post(&format!("/kb/{slug}/comments"), &[("body", "   ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_contains("Escribe un comentario");
    let posted = ana
        .post(
            &format!("/kb/{slug}/comments"),
            &[(
                "body",
                "¿Vale también **desde casa**? <script>alert(1)</script>",
            )],
        )
        .await;
    ana.follow(posted)
        .await
        .assert_contains("Comentario publicado")
        .assert_contains("<strong>desde casa</strong>")
        .assert_lacks("<script>alert");
    let mail = app.wait_for_mail(ADMIN_EMAIL, 1).await;
    assert!(
        mail.subject.contains("Cómo pedir ayuda"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("Ana Alfa") && mail.text.contains("desde casa"));
    // Another client reads the global article, never Alfa's comments on it.
    bea.get(&format!("/kb/{slug}"))
        .await
        .assert_contains("Cómo pedir ayuda")
        .assert_lacks("desde casa");
    luis.get(&format!("/kb/{slug}"))
        .await
        .assert_contains("desde casa");
    // Staff hide it: clients no longer see it, staff still do (marked).
    let page = admin.get(&format!("/kb/{slug}")).await;
    let id = page.between("action=\"/kb/comments/", "/hide\"");
    assert_eq!(
        ana.post(&format!("/kb/comments/{id}/hide"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND,
        "members cannot hide"
    );
    admin.post(&format!("/kb/comments/{id}/hide"), &[]).await;
    luis.get(&format!("/kb/{slug}"))
        .await
        .assert_lacks("desde casa");
    admin
        .get(&format!("/kb/{slug}"))
        .await
        .assert_contains("desde casa")
        .assert_contains("Oculto para los clientes");
    admin.post(&format!("/kb/comments/{id}/show"), &[]).await;
    luis.get(&format!("/kb/{slug}"))
        .await
        .assert_contains("desde casa");

    // "Was it helpful?": one answer per person, with an optional remark; staff see the totals.
    let voted = ana
        .post(
            &format!("/kb/{slug}/feedback"),
            &[("helpful", "no"), ("remark", "Falta el teléfono")],
        )
        .await;
    ana.follow(voted)
        .await
        .assert_contains("Gracias por tu opinión")
        .assert_contains("Dijiste que no te resultó útil");
    luis.post(
        &format!("/kb/{slug}/feedback"),
        &[("helpful", "yes"), ("remark", "")],
    )
    .await;
    ana.post(
        &format!("/kb/{slug}/feedback"),
        &[("helpful", "no"), ("remark", "Sigue faltando")],
    )
    .await;
    assert_eq!(
        ana.post(&format!("/kb/{slug}/feedback"), &[("helpful", "quizá")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let staff_view = admin.get(&format!("/kb/{slug}")).await;
    staff_view
        .assert_contains("1 útil · 1 no útil")
        .assert_contains("Sigue faltando")
        .assert_lacks("Falta el teléfono");
    ana.get(&format!("/kb/{slug}"))
        .await
        .assert_lacks("1 útil · 1 no útil");
    admin
        .get("/kb/feedback")
        .await
        .assert_contains("Cómo pedir ayuda");
    assert_eq!(ana.get("/kb/feedback").await.status, StatusCode::NOT_FOUND);

    // Another membership's article: every reading tool is not found.
    for (url, field) in [
        ("comments", "body"),
        ("feedback", "helpful"),
        ("email", "to"),
    ] {
        let page = bea
            .post(&format!("/kb/{for_a}/{url}"), &[(field, "yes")])
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{url}");
    }
    assert_eq!(
        bea.get(&format!("/kb/{for_a}/pdf")).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn pdf_email_and_images(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Alfa S.A.", "c@alfa.es", true).await;
    let b = create_membership(&admin, "Beta S.L.", "c@beta.es", true).await;
    let ana = join(app, &a.code, "Ana Alfa", "ana@alfa.es").await;
    let bea = join(app, &b.code, "Bea Beta", "bea@beta.es").await;
    let slug = write_article(&admin, "Guia de la VPN", "## Pasos\n\n1. Abre el cliente\n2. Conecta\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nping servidor\n```", &a.id, "published", "tutorial", "vpn").await;

    // An image uploaded into the article, recognised by its bytes.
    let csrf = admin.csrf().await;
    let upload = |bytes: Vec<u8>, name: &'static str| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name);
        reqwest::multipart::Form::new().part("image", part)
    };
    let res = admin
        .http
        .post(admin.url(&format!("/kb/{slug}/images?_csrf={csrf}")))
        .multipart(upload(PNG.to_vec(), "captura.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = admin.get(&format!("/kb/{slug}/edit")).await;
    let image_url = page.between("(/kb/files/", ")");
    let image_url = format!("/kb/files/{image_url}");
    // Without the token the upload is refused; a script posing as an image is refused too.
    let forged = admin
        .http
        .post(admin.url(&format!("/kb/{slug}/images")))
        .multipart(upload(PNG.to_vec(), "x.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let svg = admin
        .http
        .post(admin.url(&format!("/kb/{slug}/images?_csrf={csrf}")))
        .multipart(upload(b"<svg onload=alert(1)>".to_vec(), "x.png"))
        .send()
        .await
        .unwrap();
    let refused = admin
        .follow(crate::support::Page {
            status: svg.status(),
            location: svg
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string()),
            headers: svg.headers().clone(),
            body: String::new(),
        })
        .await;
    refused.assert_contains("La imagen debe ser PNG");
    // Use it in the body.
    let saved = admin
        .post(
            &format!("/kb/{slug}/edit"),
            &[
                ("title", "Guia de la VPN"),
                ("summary", "Resumen"),
                (
                    "body",
                    &format!("Mira la captura:\n\n![Captura]({image_url})"),
                ),
                ("kind", "tutorial"),
                ("category", ""),
                ("tags", "vpn"),
                ("scope", &a.id),
                ("state", "published"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    ana.get(&format!("/kb/{slug}"))
        .await
        .assert_contains(&format!("src=\"{image_url}\""));
    let img = ana.http.get(ana.url(&image_url)).send().await.unwrap();
    assert_eq!(img.status(), StatusCode::OK);
    assert_eq!(img.headers()["content-type"], "image/png");
    assert_eq!(img.headers()["x-content-type-options"], "nosniff");
    assert_eq!(img.bytes().await.unwrap().as_ref(), PNG);
    assert_eq!(
        bea.get(&image_url).await.status,
        StatusCode::NOT_FOUND,
        "other membership's image"
    );

    // The PDF: a real PDF, named after the article, with its title inside.
    let res = ana
        .http
        .get(ana.url(&format!("/kb/{slug}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("guia-de-la-vpn.pdf")
    );
    let pdf = res.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.windows(b"Guia de la VPN".len())
            .any(|w| w == b"Guia de la VPN"),
        "title in the PDF metadata"
    );

    // E-mail the article: HTML + text, PDF attached, through the outbox.
    let bad = ana
        .post(
            &format!("/kb/{slug}/email"),
            &[("to", "no-es-correo"), ("message", "Hola")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Escribe un correo electrónico válido")
        .assert_contains("value=\"no-es-correo\"")
        .assert_contains(">Hola</textarea>");
    let sent = ana
        .post(
            &format!("/kb/{slug}/email"),
            &[("to", "jefe@alfa.es"), ("message", "Mira esto, por favor")],
        )
        .await;
    ana.follow(sent)
        .await
        .assert_contains("Artículo enviado a jefe@alfa.es");
    let mail = app.wait_for_mail("jefe@alfa.es", 1).await;
    assert!(
        mail.subject.contains("Ana Alfa") && mail.subject.contains("Guia de la VPN"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("Mira esto, por favor") && mail.text.contains("Mira la captura"));
    assert!(mail.html.contains("<h2>Guia de la VPN</h2>"));
    let raw: String = std::fs::read_dir(app.outbox())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .filter(|r| r.contains("jefe@alfa.es"))
        .collect();
    assert!(
        raw.contains("application/pdf") && raw.contains("guia-de-la-vpn.pdf"),
        "PDF attached"
    );
    // Rate limit: ten an hour per person.
    for _ in 1..10 {
        ana.post(
            &format!("/kb/{slug}/email"),
            &[("to", "otro@alfa.es"), ("message", "")],
        )
        .await;
    }
    let limited = ana
        .post(
            &format!("/kb/{slug}/email"),
            &[("to", "otro@alfa.es"), ("message", "")],
        )
        .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    limited.assert_contains("demasiados artículos en la última hora");
    // Another membership cannot e-mail it.
    assert_eq!(
        bea.post(
            &format!("/kb/{slug}/email"),
            &[("to", "x@beta.es"), ("message", "")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

/// An image stored in the database by an older version moves to the file store at start-up and
/// is served the same.
async fn images_from_before_the_file_store_move_there(app: &TestApp) {
    use diesel::{ExpressionMethods, RunQueryDsl};
    use faro_store::db::schema::kb_images;
    use faro_store::db::types::{Key, Moment};
    let admin = setup_admin(app).await;
    let created = admin
        .post(
            "/kb/new",
            &[
                ("title", "Guía con captura antigua"),
                ("summary", ""),
                ("body", "Texto."),
                ("kind", "tutorial"),
                ("state", "published"),
                ("category", ""),
                ("scope", "global"),
                ("tags", ""),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let article = app
        .store()
        .article_by_slug(&faro_core::Viewer::system(), "guia-con-captura-antigua")
        .await
        .unwrap();
    let image = uuid::Uuid::now_v7();
    // A row as versions before the file store wrote it: the bytes in the table, no file.
    let mut db = faro_store::db::connect(&app.database_url).unwrap();
    diesel::insert_into(kb_images::table)
        .values((
            kb_images::id.eq(Key(image)),
            kb_images::article_id.eq(Key(article.id)),
            kb_images::content_type.eq("image/png"),
            kb_images::file_name.eq("antigua.png"),
            kb_images::bytes.eq(PNG.to_vec()),
            kb_images::sha256.eq(faro_core::secret::sha256_hex(PNG)),
            kb_images::created_at.eq(Moment(chrono::Utc::now())),
        ))
        .execute(&mut db)
        .unwrap();
    drop(db);
    // Served from the database while it waits...
    let (status, _, body) =
        crate::downloads::fetch(&admin, &format!("/kb/files/{image}"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PNG);
    // ...then moved, once.
    let files = faro_files::FileStore::open(&faro_files::FileStoreConfig::Local {
        root: app.dir.path().join("files"),
    })
    .unwrap();
    assert_eq!(
        faro_jobs::files::move_article_images(app.store(), &files)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        faro_jobs::files::move_article_images(app.store(), &files)
            .await
            .unwrap(),
        0
    );
    assert_eq!(crate::downloads::stored_files(app).len(), 1);
    let (status, h, body) =
        crate::downloads::fetch(&admin, &format!("/kb/files/{image}"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PNG);
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM kb_images WHERE file_id IS NULL")
            .await,
        0
    );
    // The PDF still carries it.
    let pdf = crate::downloads::fetch(&admin, &format!("/kb/{}/pdf", article.slug), &[]).await;
    assert_eq!(pdf.0, StatusCode::OK);
}
