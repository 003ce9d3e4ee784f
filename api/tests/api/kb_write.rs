//! The knowledge base's writing side over the API: staff create and edit articles (two editors
//! never overwrite each other: 412), publish, archive, history, diff, restore, categories,
//! preview, images through signed addresses, PDF; readers comment, vote and e-mail. Scope on
//! every endpoint: another membership's article is a 404 whatever the way in.

use reqwest::Method;
use serde_json::{Value, json};

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(staff_write_and_two_editors_never_overwrite_each_other);
on_both_databases!(images_and_pdfs_go_through_signed_addresses);
on_both_databases!(readers_comment_vote_and_email_within_their_scope);
on_both_databases!(api_keys_reach_the_kb_exactly_as_their_person);

fn article(title: &str, membership: Option<&str>) -> Value {
    json!({
        "title": title,
        "summary": "Resumen",
        "body": "## Pasos\n\n1. Abre **Configuración**.\n2. Pulsa *Red*.\n",
        "kind": "tutorial",
        "category_id": null,
        "membership_id": membership,
        "tags": ["VPN", "red", "vpn"],
        "note": "Primera versión"
    })
}

async fn put_if(c: &Client, path: &str, body: Value, etag: &str) -> Reply {
    c.send(Method::PUT, path, Some(body), &[("If-Match", etag)])
        .await
}

async fn staff_write_and_two_editors_never_overwrite_each_other(app: &TestApp) {
    let admin = setup_admin(app).await;
    let agent = staff_member(app, &admin, "agente@soporte.example.es", "Pablo Agente").await;
    let (a_id, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b_id, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let member_a = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let member_b = join(app, &b_code, "Bea de B", "bea@b.es").await;

    // A category, and one inside it.
    let r = admin
        .post(
            "/api/v1/kb/categories",
            json!({"name": "Redes", "parent_id": null}),
        )
        .await;
    r.expect(201);
    let redes = r.body["id"].as_str().unwrap().to_string();
    let r = admin
        .post(
            "/api/v1/kb/categories",
            json!({"name": "VPN", "parent_id": redes}),
        )
        .await;
    r.expect(201);
    assert_eq!(r.body["parent_id"], redes.as_str());
    let unknown = admin
        .post(
            "/api/v1/kb/categories",
            json!({"name": "X", "parent_id": "019a0000-0000-7000-8000-000000000000"}),
        )
        .await;
    unknown.problem(422, "validation_failed");
    member_a
        .post(
            "/api/v1/kb/categories",
            json!({"name": "Mía", "parent_id": null}),
        )
        .await
        .problem(404, "not_found");

    // Creating: a draft, revision 1, tags cleaned, Location and ETag.
    let mut body = article("Configurar la VPN en Windows", Some(&a_id));
    body["category_id"] = json!(redes);
    let r = agent.post("/api/v1/kb/articles", body.clone()).await;
    r.expect(201);
    let slug = r.body["slug"].as_str().unwrap().to_string();
    assert_eq!(slug, "configurar-la-vpn-en-windows");
    assert_eq!(r.header("location"), format!("/api/v1/kb/articles/{slug}"));
    assert_eq!(r.body["state"], "draft");
    assert_eq!(r.body["revision"], 1);
    assert_eq!(r.body["tags"], json!(["vpn", "red"]));
    assert_eq!(r.body["membership"]["id"], a_id.as_str());
    let path = format!("/api/v1/kb/articles/{slug}");
    // A draft is not there for clients yet.
    member_a.get(&path).await.problem(404, "not_found");
    // The same title again gets a numbered slug.
    let twin = agent.post("/api/v1/kb/articles", body.clone()).await;
    twin.expect(201);
    assert_eq!(twin.body["slug"], format!("{slug}-2"));

    // Clients cannot write; junk is a 422 naming every field, and nothing is created.
    let before = app.sql_count("SELECT COUNT(*) FROM kb_articles").await;
    member_a
        .post("/api/v1/kb/articles", article("Mío", None))
        .await
        .problem(404, "not_found");
    let r = agent
        .post(
            "/api/v1/kb/articles",
            json!({"title": "x", "kind": "tutorial", "category_id": "019a0000-0000-7000-8000-000000000000",
                   "membership_id": "019a0000-0000-7000-8000-000000000001",
                   "tags": ["a,b"], "summary": "s".repeat(501), "body": "ok"}),
        )
        .await;
    r.problem(422, "validation_failed");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(
        fields,
        ["category_id", "membership_id", "summary", "tags", "title"]
    );
    for junk in [
        json!({"title": "Bien", "kind": "novela"}),
        json!({"title": "Bien", "kind": "faq", "colour": "rojo"}),
        json!({"title": 7, "kind": "faq"}),
        json!({"kind": "faq"}),
    ] {
        agent
            .post("/api/v1/kb/articles", junk)
            .await
            .problem(422, "validation_failed");
    }
    agent
        .send_raw(
            Method::POST,
            "/api/v1/kb/articles",
            "application/json",
            b"{\"title\":".to_vec(),
        )
        .await
        .problem(400, "malformed_json");
    let huge = json!({"title": "Grande", "kind": "faq", "body": "x".repeat(200_001)});
    agent
        .post("/api/v1/kb/articles", huge)
        .await
        .problem(422, "validation_failed");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM kb_articles").await,
        before
    );

    // Two editors read revision 1.
    let read_admin = admin.get(&path).await;
    let read_agent = agent.get(&path).await;
    let (etag_admin, etag_agent) = (read_admin.header("etag"), read_agent.header("etag"));
    assert!(etag_admin.starts_with(&format!(
        "\"r{}-1.",
        read_admin.body["id"].as_str().unwrap()
    )));
    // The agent saves first.
    let mut edit = body.clone();
    edit["body"] = json!(
        "## Pasos\n\n1. Abre **Configuración**.\n2. Pulsa *Red e Internet*.\n3. Añade la VPN.\n"
    );
    edit["note"] = json!("Paso 3");
    let saved = put_if(&agent, &path, edit.clone(), &etag_agent).await;
    saved.expect(200);
    assert_eq!(saved.body["revision"], 2);
    assert_eq!(saved.body["last_change_note"], "Paso 3");
    // The administrator's save on top of revision 1 is refused, with the revision now current.
    let mut other = body.clone();
    other["title"] = json!("Otro título");
    let stale = put_if(&admin, &path, other.clone(), &etag_admin).await;
    stale.problem(412, "precondition_failed");
    assert_eq!(stale.body["current_revision"], 2);
    let current_tag = stale.header("etag");
    assert!(current_tag.contains("-2"), "{current_tag}");
    // So is an edit without If-Match, or with another article's tag, or `*`.
    for tag in [
        None,
        Some("\"r019a0000-0000-7000-8000-000000000000-2\""),
        Some("*"),
    ] {
        let r = match tag {
            None => admin.put(&path, other.clone()).await,
            Some(t) => put_if(&admin, &path, other.clone(), t).await,
        };
        r.problem(412, "precondition_failed");
        assert_eq!(r.body["current_revision"], 2);
    }
    let now = admin.get(&path).await;
    assert_eq!(now.body["revision"], 2);
    assert_eq!(now.body["title"], "Configurar la VPN en Windows");
    // Saved on top of the current revision, it goes through (the ETag of the 412 will do).
    let merged = put_if(&admin, &path, other.clone(), &current_tag).await;
    merged.expect(200);
    assert_eq!(merged.body["revision"], 3);
    assert_eq!(merged.body["slug"], slug.as_str(), "the slug never changes");
    // The refusal says what happened, in the caller's language.
    assert!(
        stale.body["detail"]
            .as_str()
            .unwrap()
            .contains("Otra persona"),
        "{stale:?}"
    );

    // Publish: A's people see it, B's never; publishing twice changes nothing.
    let r = agent.post_empty(&format!("{path}/publish")).await;
    r.expect(200);
    assert_eq!(r.body["state"], "published");
    assert_eq!(r.body["revision"], 4);
    assert!(r.body["published_at"].is_string());
    let again = agent.post_empty(&format!("{path}/publish")).await;
    assert_eq!(again.body["revision"], 4);
    member_a.get(&path).await.expect(200);
    member_b.get(&path).await.problem(404, "not_found");
    // A stale If-Match on publish is refused too; a junk note body is a 4xx, not ignored.
    agent
        .send(
            Method::POST,
            &format!("{path}/archive"),
            None,
            &[("If-Match", &etag_agent)],
        )
        .await
        .problem(412, "precondition_failed");
    agent
        .send_raw(
            Method::POST,
            &format!("{path}/archive"),
            "application/json",
            b"[1]".to_vec(),
        )
        .await
        .problem(422, "validation_failed");
    // Archive with a note: clients stop seeing it, staff still do.
    let r = agent
        .post(
            &format!("{path}/archive"),
            json!({"note": "Sustituido por la guía nueva"}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["state"], "archived");
    assert_eq!(r.body["last_change_note"], "Sustituido por la guía nueva");
    member_a.get(&path).await.problem(404, "not_found");
    agent
        .post_empty(&format!("{path}/publish"))
        .await
        .expect(200);

    // History: newest first, each with its author and note.
    let h = admin.get(&format!("{path}/revisions")).await;
    h.expect(200);
    let revs = h.body.as_array().unwrap();
    assert_eq!(revs.len(), 6);
    assert_eq!(revs[0]["number"], 6);
    assert_eq!(revs[0]["note"], "Publicado");
    assert_eq!(revs[5]["author_name"], "Pablo Agente");
    assert_eq!(revs[4]["note"], "Paso 3");
    let one = admin.get(&format!("{path}/revisions/1")).await;
    one.expect(200);
    assert_eq!(one.body["title"], "Configurar la VPN en Windows");
    assert!(one.body["body"].as_str().unwrap().contains("Pulsa *Red*"));
    for missing in ["0", "99", "-1", "abc"] {
        let r = admin.get(&format!("{path}/revisions/{missing}")).await;
        assert_eq!(r.status, 404, "{missing}: {r:?}");
    }
    // Diff of 1 and 2: the body's changed lines; of 2 and 3, the title.
    let d = admin.get(&format!("{path}/diff?from=1&to=2")).await;
    d.expect(200);
    assert_eq!(d.body["same"], false);
    let lines = d.body["lines"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["change"] == "removed" && l["text"] == "2. Pulsa *Red*.")
    );
    assert!(
        lines
            .iter()
            .any(|l| l["change"] == "added" && l["text"] == "3. Añade la VPN.")
    );
    let d = admin.get(&format!("{path}/diff?from=2&to=3")).await;
    assert_eq!(d.body["fields"][0]["field"], "title");
    assert_eq!(d.body["fields"][0]["after"], "Otro título");
    let d = admin.get(&format!("{path}/diff")).await;
    assert_eq!(d.body["to"]["number"], 6);
    assert_eq!(d.body["from"]["number"], 5);
    admin
        .get(&format!("{path}/diff?from=uno"))
        .await
        .problem(422, "validation_failed");
    for out_of_range in [
        "from=1&to=40",
        "to=-2147483648",
        "from=-2147483648&to=2147483647",
        "to=0",
    ] {
        admin
            .get(&format!("{path}/diff?{out_of_range}"))
            .await
            .problem(404, "not_found");
    }
    // Restore revision 1: a new revision 7 with revision 1's content, on a matching If-Match.
    let tag = admin.get(&path).await.header("etag");
    admin
        .post_empty(&format!("{path}/revisions/1/restore"))
        .await
        .problem(412, "precondition_failed");
    let r = admin
        .send(
            Method::POST,
            &format!("{path}/revisions/1/restore"),
            None,
            &[("If-Match", &tag)],
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["revision"], 7);
    assert_eq!(r.body["title"], "Configurar la VPN en Windows");
    assert_eq!(r.body["state"], "draft", "revision 1 was a draft");
    assert_eq!(r.body["last_change_note"], "Restaurada la revisión 1");

    // Every history endpoint is staff-only: a client gets 404 even on an article they read.
    let tag = admin.get(&path).await.header("etag");
    put_if(
        &admin,
        &path,
        {
            let mut b = body.clone();
            b["state"] = json!("published");
            b
        },
        &tag,
    )
    .await
    .expect(200);
    member_a.get(&path).await.expect(200);
    for p in [
        format!("{path}/revisions"),
        format!("{path}/revisions/1"),
        format!("{path}/diff"),
        format!("{path}/feedback"),
        "/api/v1/kb/feedback/least-helpful".to_string(),
    ] {
        member_a.get(&p).await.problem(404, "not_found");
    }
    let tag = member_a.get(&path).await.header("etag");
    put_if(&member_a, &path, body.clone(), &tag)
        .await
        .problem(404, "not_found");
    for p in [
        format!("{path}/publish"),
        format!("{path}/archive"),
        format!("{path}/revisions/1/restore"),
    ] {
        member_a.post_empty(&p).await.problem(404, "not_found");
    }

    // The preview is the server's sanitiser: scripts, handlers and javascript: never survive.
    let r = member_a
        .post(
            "/api/v1/kb/preview",
            json!({"markdown": "**hola** <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"}),
        )
        .await;
    r.expect(200);
    let html = r.body["html"].as_str().unwrap();
    assert!(html.contains("<strong>hola</strong>"), "{html}");
    for bad in ["<script", "onerror", "javascript:"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    // XSS written into an article stays text too.
    let tag = admin.get(&path).await.header("etag");
    let mut evil = body.clone();
    evil["body"] =
        json!("<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">a</a>");
    evil["state"] = json!("published");
    put_if(&admin, &path, evil, &tag).await.expect(200);
    let html = member_a.get(&path).await.body["body_html"]
        .as_str()
        .unwrap()
        .to_string();
    for bad in ["<script", "onclick", "javascript:"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
}

async fn images_and_pdfs_go_through_signed_addresses(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let member_a = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let member_b = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let anon = app.client();
    let mut body = article("Impresora de la oficina", Some(&a_id));
    body["state"] = json!("published");
    let r = admin.post("/api/v1/kb/articles", body.clone()).await;
    r.expect(201);
    let slug = r.body["slug"].as_str().unwrap().to_string();
    let path = format!("/api/v1/kb/articles/{slug}");

    // Upload: a PNG is recognised by its bytes; the answer says what to paste.
    let files_before = app.sql_count("SELECT COUNT(*) FROM stored_files").await;
    let up = admin
        .upload(&format!("{path}/images"), "image", "paso 1.png", png())
        .await;
    up.expect(201);
    assert_eq!(up.body["content_type"], "image/png");
    assert_eq!(up.body["size"], png().len());
    let image_id = up.body["id"].as_str().unwrap().to_string();
    let markdown = up.body["markdown"].as_str().unwrap().to_string();
    assert_eq!(
        markdown,
        format!("![paso 1.png](/api/v1/kb/images/{image_id})")
    );
    // The uploader's signed address works without any header.
    let got = anon.get_bytes(up.body["url"].as_str().unwrap()).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.bytes, png());
    assert_eq!(got.header("content-type"), "image/png");
    assert_eq!(got.header("x-content-type-options"), "nosniff");

    // Refused uploads keep nothing: not an image (HTML named .png), too large, wrong body.
    let images_before = app.sql_count("SELECT COUNT(*) FROM kb_images").await;
    admin
        .upload(
            &format!("{path}/images"),
            "image",
            "x.png",
            b"<html><script>alert(1)</script>".to_vec(),
        )
        .await
        .problem(422, "validation_failed");
    let mut big = png();
    big.resize(5 * 1024 * 1024 + 1, 0);
    admin
        .upload(&format!("{path}/images"), "image", "grande.png", big)
        .await
        .problem(413, "payload_too_large");
    let r = admin
        .upload(&format!("{path}/images"), "otro", "x.png", png())
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["image"]);
    admin
        .send_raw(
            Method::POST,
            &format!("{path}/images"),
            "application/json",
            b"{}".to_vec(),
        )
        .await
        .problem(415, "unsupported_media_type");
    admin
        .send_raw(
            Method::POST,
            &format!("{path}/images"),
            "multipart/form-data; boundary=XX",
            b"--XX\r\nbasura".to_vec(),
        )
        .await
        .problem(400, "bad_request");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM kb_images").await,
        images_before
    );
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM stored_files").await,
        files_before + 1
    );
    // Clients cannot upload.
    member_a
        .upload(&format!("{path}/images"), "image", "x.png", png())
        .await
        .problem(404, "not_found");

    // The image in the body: readers get a signed address in body_html, never the raw path.
    let tag = admin.get(&path).await.header("etag");
    body["body"] = json!(format!("Mira la imagen:\n\n{markdown}\n"));
    admin
        .send(
            Method::PUT,
            &path,
            Some(body.clone()),
            &[("If-Match", &tag)],
        )
        .await
        .expect(200);
    let read = member_a.get(&path).await;
    read.expect(200);
    let html = read.body["body_html"].as_str().unwrap().to_string();
    assert!(!html.contains("/api/v1/kb/images/"), "{html}");
    let src = html
        .split("src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(src.starts_with("/api/v1/files/"), "{src}");
    let got = anon.get_bytes(&src).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.bytes, png());
    // The same address all window long, so the ETag and the browser's cache hold.
    let again = member_a.get(&path).await;
    assert_eq!(again.header("etag"), read.header("etag"));
    assert_eq!(again.body["body_html"], read.body["body_html"]);
    // With a token, the image is also at its plain address; another membership gets 404.
    let plain = format!("/api/v1/kb/images/{image_id}");
    assert_eq!(member_a.get_bytes(&plain).await.bytes, png());
    assert_eq!(member_b.get_bytes(&plain).await.status, 404);
    assert_eq!(anon.get_bytes(&plain).await.status, 401);
    assert_eq!(
        member_a.get_bytes("/api/v1/kb/images/junk").await.status,
        404
    );

    // The PDF: with a token, and through the article's signed pdf_url.
    let pdf = member_a.get_bytes(&format!("{path}/pdf")).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let pdf_url = read.body["pdf_url"].as_str().unwrap().to_string();
    let signed_pdf = anon.get_bytes(&pdf_url).await;
    assert_eq!(signed_pdf.status, 200);
    assert!(signed_pdf.bytes.starts_with(b"%PDF"));
    assert_eq!(member_b.get_bytes(&format!("{path}/pdf")).await.status, 404);

    // A signed address is as narrow as its person's scope now: the article moves to B, and A's
    // addresses stop working (B's person never had one).
    let tag = admin.get(&path).await.header("etag");
    let b_id = member_b.get("/api/v1/me").await.body["membership"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    body["membership_id"] = json!(b_id);
    admin
        .send(
            Method::PUT,
            &path,
            Some(body.clone()),
            &[("If-Match", &tag)],
        )
        .await
        .expect(200);
    assert_eq!(anon.get_bytes(&src).await.status, 404);
    assert_eq!(anon.get_bytes(&pdf_url).await.status, 404);
    // Altered or made-up tickets are refused as invalid links.
    let tampered = format!("{}x", src);
    let r = anon.get(&tampered).await;
    r.problem(404, "link_invalid");
    anon.get("/api/v1/files/abc")
        .await
        .problem(404, "link_invalid");
    // An access token is not a ticket.
    anon.get(&format!(
        "/api/v1/files/{}",
        member_a.token.as_deref().unwrap()
    ))
    .await
    .problem(404, "link_invalid");
}

async fn readers_comment_vote_and_email_within_their_scope(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let member_a = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let colleague = join(app, &a_code, "Alberto de A", "alberto@a.es").await;
    let member_b = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let mut global = article("Copias de seguridad", None);
    global["state"] = json!("published");
    let g = admin.post("/api/v1/kb/articles", global).await;
    g.expect(201);
    let g_path = format!("/api/v1/kb/articles/{}", g.body["slug"].as_str().unwrap());
    let mut only_a = article("Servidor de A", Some(&a_id));
    only_a["state"] = json!("published");
    let r = admin.post("/api/v1/kb/articles", only_a).await;
    let a_path = format!("/api/v1/kb/articles/{}", r.body["slug"].as_str().unwrap());

    // Comments: Markdown through the sanitiser; the staff hear of them by e-mail.
    let r = member_a
        .post(
            &format!("{g_path}/comments"),
            json!({"body": "A mí me pedía **reiniciar** <img src=x onerror=alert(1)>"}),
        )
        .await;
    r.expect(201);
    let comment_id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["mine"], true);
    let html = r.body["body_html"].as_str().unwrap();
    assert!(
        html.contains("<strong>reiniciar</strong>") && !html.contains("onerror"),
        "{html}"
    );
    app.wait_for_link(ADMIN_EMAIL, "#comments", 0).await;
    member_b
        .post(
            &format!("{g_path}/comments"),
            json!({"body": "Comentario de B"}),
        )
        .await
        .expect(201);
    for junk in [
        json!({"body": "   "}),
        json!({"body": "x".repeat(5001)}),
        json!({"texto": "hola"}),
    ] {
        member_a
            .post(&format!("{g_path}/comments"), junk)
            .await
            .problem(422, "validation_failed");
    }
    // A colleague sees A's comment (not as theirs); B's people see only their own, and never
    // A's: a global article is read by every client, its comments are not.
    let seen = colleague.get(&format!("{g_path}/comments")).await;
    seen.expect(200);
    let list = seen.body.as_array().unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["author_name"], "Ana de A");
    assert_eq!(list[0]["mine"], false);
    let seen_b = member_b.get(&format!("{g_path}/comments")).await;
    let authors: Vec<&str> = seen_b
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["author_name"].as_str().unwrap())
        .collect();
    assert_eq!(authors, ["Bea de B"]);
    assert_eq!(
        admin
            .get(&format!("{g_path}/comments"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Staff hide a comment: clients stop seeing it, staff see it marked.
    let vis = format!("/api/v1/kb/comments/{comment_id}/visibility");
    member_a
        .put(&vis, json!({"hidden": true}))
        .await
        .problem(404, "not_found");
    admin.put(&vis, json!({"hidden": true})).await.expect(204);
    assert!(
        colleague
            .get(&format!("{g_path}/comments"))
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    let staff_view = admin.get(&format!("{g_path}/comments")).await;
    assert!(
        staff_view
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["hidden"] == true)
    );
    admin.put(&vis, json!({"hidden": false})).await.expect(204);
    assert_eq!(
        colleague
            .get(&format!("{g_path}/comments"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    admin
        .put(
            "/api/v1/kb/comments/019a0000-0000-7000-8000-000000000000/visibility",
            json!({"hidden": true}),
        )
        .await
        .problem(404, "not_found");
    admin
        .put(
            "/api/v1/kb/comments/junk/visibility",
            json!({"hidden": true}),
        )
        .await
        .problem(404, "not_found");

    // Feedback: one answer per person, replaced; staff read the counts, remarks and the report.
    assert!(member_a.get(&format!("{g_path}/feedback/mine")).await.body["helpful"].is_null());
    member_a
        .put(&format!("{g_path}/feedback"), json!({"helpful": true}))
        .await
        .expect(200);
    member_a
        .put(
            &format!("{g_path}/feedback"),
            json!({"helpful": false, "remark": "Falta Windows 10"}),
        )
        .await
        .expect(200);
    member_b
        .put(&format!("{g_path}/feedback"), json!({"helpful": false}))
        .await
        .expect(200);
    colleague
        .put(&format!("{g_path}/feedback"), json!({"helpful": true}))
        .await
        .expect(200);
    assert_eq!(
        member_a.get(&format!("{g_path}/feedback/mine")).await.body["helpful"],
        false
    );
    let s = admin.get(&format!("{g_path}/feedback")).await;
    s.expect(200);
    assert_eq!(
        (s.body["helpful"].as_u64(), s.body["not_helpful"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(s.body["remarks"][0]["remark"], "Falta Windows 10");
    let report = admin.get("/api/v1/kb/feedback/least-helpful").await;
    report.expect(200);
    assert_eq!(report.body[0]["title"], "Copias de seguridad");
    for junk in [
        json!({"helpful": "sí"}),
        json!({}),
        json!({"helpful": true, "remark": "x".repeat(1001)}),
    ] {
        member_a
            .put(&format!("{g_path}/feedback"), junk)
            .await
            .problem(422, "validation_failed");
    }

    // E-mail: the article and its PDF, to any address; a bad address names the field.
    let r = member_a
        .post(
            &format!("{g_path}/email"),
            json!({"to": "jefe@otra.example", "message": "Mira esto"}),
        )
        .await;
    r.expect(202);
    app.wait_for_link("jefe@otra.example", "/kb/", 0).await;
    let mail = app.mails_to("jefe@otra.example").pop().unwrap();
    assert!(mail.subject.contains("Ana de A"), "{}", mail.subject);
    assert!(mail.text.contains("Mira esto"));
    let r = member_a
        .post(&format!("{g_path}/email"), json!({"to": "no es correo"}))
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["to"]);

    // Scope: every reader endpoint on A's article is a 404 for B, as for a made-up slug.
    for p in [a_path.clone(), "/api/v1/kb/articles/no-existe".to_string()] {
        member_b.get(&p).await.problem(404, "not_found");
        member_b
            .get(&format!("{p}/comments"))
            .await
            .problem(404, "not_found");
        member_b
            .post(&format!("{p}/comments"), json!({"body": "hola"}))
            .await
            .problem(404, "not_found");
        member_b
            .put(&format!("{p}/feedback"), json!({"helpful": true}))
            .await
            .problem(404, "not_found");
        member_b
            .get(&format!("{p}/feedback/mine"))
            .await
            .problem(404, "not_found");
        member_b
            .post(&format!("{p}/email"), json!({"to": "x@y.es"}))
            .await
            .problem(404, "not_found");
        assert_eq!(member_b.get_bytes(&format!("{p}/pdf")).await.status, 404);
    }
    assert!(app.mails_to("x@y.es").is_empty());

    // At most ten e-mailed articles an hour per person: then 429 with Retry-After.
    for i in 1..10 {
        member_a
            .post(
                &format!("{a_path}/email"),
                json!({"to": format!("p{i}@a.es")}),
            )
            .await
            .expect(202);
    }
    let r = member_a
        .post(&format!("{a_path}/email"), json!({"to": "once@a.es"}))
        .await;
    r.problem(429, "too_many_requests");
    assert!(!r.header("retry-after").is_empty());
}

/// An integration with a client person's API key reaches the knowledge base exactly as that
/// person: another membership's article is a 404 on every endpoint that names it (its
/// comments, feedback, PDF, images, e-mail, related articles, search), a read-only key cannot
/// comment or vote, and no client key reaches the staff's endpoints.
async fn api_keys_reach_the_kb_exactly_as_their_person(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, _a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let member_b = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let mut only_a = article("Servidor secreto de A", Some(&a_id));
    only_a["state"] = json!("published");
    let r = admin.post("/api/v1/kb/articles", only_a).await;
    r.expect(201);
    let a_slug = r.body["slug"].as_str().unwrap().to_string();
    let a_path = format!("/api/v1/kb/articles/{a_slug}");
    let up = admin
        .upload(&format!("{a_path}/images"), "image", "a.png", png())
        .await;
    up.expect(201);
    let a_image = up.body["id"].as_str().unwrap().to_string();
    let mut global = article("Copias de seguridad", None);
    global["state"] = json!("published");
    let g = admin.post("/api/v1/kb/articles", global).await;
    g.expect(201);
    let g_path = format!("/api/v1/kb/articles/{}", g.body["slug"].as_str().unwrap());

    let key = |scope: &'static str| {
        let member_b = &member_b;
        async move {
            let r = member_b
                .post(
                    "/api/v1/me/api-keys",
                    json!({"name": format!("Intranet {scope}"), "scope": scope}),
                )
                .await;
            r.expect(201);
            app.client().with_token(r.body["secret"].as_str().unwrap())
        }
    };
    let read = key("read").await;
    let write = key("read_write").await;

    for c in [&read, &write] {
        for path in [
            a_path.clone(),
            format!("{a_path}/comments"),
            format!("{a_path}/feedback/mine"),
            format!("{a_path}/pdf"),
            format!("{a_path}/related"),
            format!("/api/v1/kb/images/{a_image}"),
        ] {
            c.get(&path).await.problem(404, "not_found");
        }
        let found = c.get("/api/v1/search?q=secreto").await;
        found.expect(200);
        assert_eq!(found.body["total"], 0, "{:?}", found.body);
        let s = c.get("/api/v1/search/suggestions?q=servidor%20sec").await;
        assert_eq!(s.body, json!([]));
        c.get(&g_path).await.expect(200);
        // The staff's side: history, revisions, the feedback report, editing.
        for path in [
            format!("{g_path}/revisions"),
            format!("{g_path}/feedback"),
            "/api/v1/kb/feedback/least-helpful".to_string(),
        ] {
            let r = c.get(&path).await;
            assert!(
                r.status == 403 || r.status == 404,
                "{path}: {} {:?}",
                r.status,
                r.body
            );
        }
    }
    // Writing into A's article through B's read-write key: 404, and nothing is written.
    write
        .post(&format!("{a_path}/comments"), json!({"body": "Hola"}))
        .await
        .problem(404, "not_found");
    write
        .send(
            Method::PUT,
            &format!("{a_path}/feedback"),
            Some(json!({"helpful": true})),
            &[],
        )
        .await
        .problem(404, "not_found");
    write
        .post(&format!("{a_path}/email"), json!({"to": "yo@b.es"}))
        .await
        .problem(404, "not_found");
    assert_eq!(app.sql_count("SELECT COUNT(*) FROM kb_comments").await, 0);
    assert_eq!(app.sql_count("SELECT COUNT(*) FROM kb_feedback").await, 0);
    // A read-only key reads but never writes; the read-write key comments as its person.
    read.post(&format!("{g_path}/comments"), json!({"body": "Hola"}))
        .await
        .problem(403, "read_only_key");
    let c = write
        .post(
            &format!("{g_path}/comments"),
            json!({"body": "Desde la intranet"}),
        )
        .await;
    c.expect(201);
    assert_eq!(c.body["author_name"], "Bea de B", "{:?}", c.body);
    // No client key writes articles.
    let r = write
        .post("/api/v1/kb/articles", article("De B", None))
        .await;
    assert!(
        r.status == 403 || r.status == 404,
        "{} {:?}",
        r.status,
        r.body
    );
}
