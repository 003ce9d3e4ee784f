//! Incidents over the API: a member opens one, a colleague sees and joins it, staff answer and
//! leave an internal note no client ever receives; filters, cursor pages and search; another
//! membership's 404 on every incident endpoint; junk refused with nothing kept.

use serde_json::{Value, json};

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(incidents_are_opened_seen_joined_and_scoped);
on_both_databases!(incident_lists_filter_page_and_search);
on_both_databases!(incidents_are_worked_resolved_closed_and_reopened);
on_both_databases!(incidents_are_escalated_and_triaged);
on_both_databases!(integrations_work_incidents_with_api_keys);

const NOTE: &str = "NOTA-INTERNA-7f3a: el cliente tiene la licencia caducada";

/// The newest entry of an incident's timeline, as an answer carries it.
fn latest_entry(incident: &Value) -> Value {
    incident["timeline"]
        .as_array()
        .and_then(|t| t.last())
        .cloned()
        .unwrap_or_else(|| panic!("no timeline in {incident:#}"))
}

fn numbers(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["number"].as_str().unwrap().to_string())
        .collect()
}

/// Waits (up to 10 s) for an e-mail to `to` whose text holds `needle`.
async fn mail_with(app: &TestApp, to: &str, needle: &str) -> Mail {
    let start = std::time::Instant::now();
    loop {
        if let Some(m) = app
            .mails_to(to)
            .into_iter()
            .find(|m| m.text.contains(needle))
        {
            return m;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "no e-mail to {to} with {needle:?} within 10 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn open(c: &Client, title: &str, priority: &str) -> Value {
    let r = c
        .post(
            "/api/v1/incidents",
            json!({"title": title, "description": format!("{title}: no funciona desde esta mañana."), "system": "ERP", "priority": priority}),
        )
        .await;
    r.expect(201);
    r.body.clone()
}

async fn incidents_are_opened_seen_joined_and_scoped(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (_a, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let alberto = join(app, &a_code, "Alberto de A", "alberto@a.es").await;
    let bea = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let pablo = staff_member(app, &admin, "pablo@soporte.example.es", "Pablo Técnico").await;

    // Junk is refused, in the caller's language, and nothing is kept.
    let r = ana
        .post(
            "/api/v1/incidents",
            json!({"title": "", "description": "  ", "system": "a\nb", "priority": "medium"}),
        )
        .await;
    r.problem(422, "validation_failed");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(fields, ["description", "system", "title"]);
    ana.post(
        "/api/v1/incidents",
        json!({"title": "Impresora", "description": "x", "priority": "urgentísima"}),
    )
    .await
    .expect(422);
    ana.post(
        "/api/v1/incidents",
        json!({"title": "Impresora", "description": "x", "priority": "low", "owner": "yo"}),
    )
    .await
    .expect(422);
    let r = ana
        .send_raw(
            reqwest::Method::POST,
            "/api/v1/incidents",
            "application/json",
            b"{\"title\": \"Impresora\", ".to_vec(),
        )
        .await;
    r.problem(400, "malformed_json");
    // Staff work incidents; they do not open them.
    pablo
        .post(
            "/api/v1/incidents",
            json!({"title": "Impresora", "description": "x", "priority": "low"}),
        )
        .await
        .problem(403, "forbidden");
    assert_eq!(app.sql_count("SELECT COUNT(*) FROM incidents").await, 0);

    // What each priority means, in the caller's language, with its service-level targets.
    let r = ana.get("/api/v1/incidents/priorities").await;
    r.expect(200);
    let list = r.body.as_array().unwrap();
    assert_eq!(
        list.iter()
            .map(|p| p["priority"].clone())
            .collect::<Vec<_>>(),
        [json!("high"), json!("medium"), json!("low")]
    );
    assert_eq!(list[0]["label"], "Alta");
    assert!(
        list[0]["definition"]
            .as_str()
            .unwrap()
            .contains("producción")
    );
    assert_eq!(list[0]["first_response_minutes"], 60);
    assert_eq!(list[0]["resolution_minutes"], 240);
    pablo.get("/api/v1/incidents/priorities").await.expect(200);
    app.client()
        .get("/api/v1/incidents/priorities")
        .await
        .problem(401, "unauthorized");

    // Ana opens an Alta incident; staff are told at once.
    let r = ana
        .post(
            "/api/v1/incidents",
            json!({
                "title": "La impresora de recepción no imprime",
                "description": "Se queda en cola. <script>alert(1)</script> **urgente**",
                "system": "Impresora HP",
                "priority": "high"
            }),
        )
        .await;
    r.expect(201);
    let number = r.body["number"].as_str().unwrap().to_string();
    assert!(number.starts_with("INC-"), "{number}");
    assert_eq!(r.header("location"), format!("/api/v1/incidents/{number}"));
    assert_eq!(r.body["state"], "new");
    assert_eq!(r.body["priority"], "high");
    assert_eq!(r.body["membership"]["name"], "Empresa A");
    assert_eq!(r.body["opened_by"]["name"], "Ana de A");
    assert_eq!(r.body["following"], true);
    let html = r.body["description_html"].as_str().unwrap();
    assert!(
        html.contains("<strong>urgente</strong>") && !html.contains("<script"),
        "{html}"
    );
    let sla = &r.body["sla"];
    assert!(sla["first_response_due"].is_string() && sla["resolution_due"].is_string());
    assert!(sla["first_response_at"].is_null());
    assert!(["ok", "due_soon", "breached"].contains(&sla["mark"].as_str().unwrap()));
    assert_eq!(r.body["timeline"][0]["kind"], "opened");
    let alert = mail_with(
        app,
        "pablo@soporte.example.es",
        &format!("/incidents/{number}"),
    )
    .await;
    assert!(alert.subject.contains(&number), "{alert:?}");
    let path = format!("/api/v1/incidents/{number}");

    // Her colleague sees it, reads it and joins it with a comment.
    let listed = alberto.get("/api/v1/incidents").await;
    listed.expect(200);
    assert_eq!(
        numbers(listed.body["items"].as_array().unwrap()),
        [number.as_str()]
    );
    let r = alberto.get(&path).await;
    r.expect(200);
    assert_eq!(r.body["following"], false);
    let r = alberto
        .post(
            &format!("{path}/comments"),
            json!({"body": "A mí tampoco me imprime <img src=x onerror=alert(1)>"}),
        )
        .await;
    r.expect(201);
    assert_eq!(r.body["following"], true);
    let comment = latest_entry(&r.body);
    assert_eq!(comment["kind"], "comment");
    assert_eq!(comment["author_name"], "Alberto de A");
    assert!(!comment["body_html"].as_str().unwrap().contains("onerror"));
    // Ana follows it, so she is told of her colleague's comment.
    let told = mail_with(app, "ana@a.es", "A mí tampoco").await;
    assert!(told.subject.contains(&number), "{told:?}");

    // Staff answer publicly (the first response) and leave an internal note.
    pablo
        .post(
            &format!("{path}/comments"),
            json!({"body": "Lo miramos ahora."}),
        )
        .await
        .expect(201);
    let r = pablo
        .post(
            &format!("{path}/comments"),
            json!({"body": NOTE, "internal": true}),
        )
        .await;
    r.expect(201);
    let note = latest_entry(&r.body);
    assert_eq!(
        (note["kind"].clone(), note["internal"].clone()),
        (json!("note"), json!(true))
    );
    assert!(r.body["sla"]["first_response_at"].is_string());
    // A client may not write one.
    ana.post(
        &format!("{path}/comments"),
        json!({"body": "nota", "internal": true}),
    )
    .await
    .problem(403, "forbidden");
    ana.post(&format!("{path}/comments"), json!({"body": ""}))
        .await
        .problem(422, "validation_failed");

    // A public answer after the note: once it is delivered, anything the note had queued
    // would have been too (the outbox goes out in order).
    pablo
        .post(
            &format!("{path}/comments"),
            json!({"body": "Seguimos con ello."}),
        )
        .await
        .expect(201);
    mail_with(app, "ana@a.es", "Seguimos con ello").await;
    mail_with(app, "alberto@a.es", "Seguimos con ello").await;

    // The planted note reaches no client: not the read, not the list, not an e-mail.
    for c in [&ana, &alberto] {
        for p in [
            path.clone(),
            "/api/v1/incidents".into(),
            format!("/api/v1/incidents?q={number}"),
        ] {
            let r = c.get(&p).await;
            r.expect(200);
            assert!(
                !r.body.to_string().contains("NOTA-INTERNA"),
                "{p}: {}",
                r.body
            );
        }
    }
    for to in ["ana@a.es", "alberto@a.es", "coord@a.es"] {
        assert!(
            app.mails_to(to)
                .iter()
                .all(|m| !m.text.contains("NOTA-INTERNA") && !m.html.contains("NOTA-INTERNA")),
            "{to} was e-mailed the note"
        );
    }
    let staff_view = pablo.get(&path).await;
    assert!(staff_view.body.to_string().contains("NOTA-INTERNA"));

    // Nor the portal's search or its suggestions, by the note's words.
    for c in [&ana, &alberto] {
        for p in [
            "/api/v1/search?q=NOTA-INTERNA-7f3a",
            "/api/v1/search?q=licencia%20caducada",
            "/api/v1/search?q=caducada&type=incident",
            "/api/v1/search/suggestions?q=caducada",
        ] {
            let r = c.get(p).await;
            r.expect(200);
            let text = r.body.to_string();
            assert!(
                !text.contains("NOTA-INTERNA") && !text.contains("caducada"),
                "{p}: {text}"
            );
        }
    }

    // Nor the PDF: it is typeset from the printout of the timeline the reader is given.
    let id: uuid::Uuid = staff_view.body["id"].as_str().unwrap().parse().unwrap();
    let i = app
        .store()
        .incident(&faro_core::Viewer::system(), &number)
        .await
        .unwrap();
    for (c, sees) in [(&ana, false), (&alberto, false), (&pablo, true)] {
        let viewer = principal_of(app, c).await.viewer();
        let (events, files) = app.store().timeline(&viewer, id).await.unwrap();
        let doc =
            faro_store::printout::Printout::new(faro_core::Lang::Es.catalog(), &i, &events, &files);
        assert_eq!(
            doc.markdown.contains("NOTA-INTERNA"),
            sees,
            "{}",
            doc.markdown
        );
        assert!(doc.markdown.contains("Seguimos con ello"));
        for pdf in [
            c.get_bytes(&format!("{path}/pdf")).await,
            c.get_bytes(c.get(&path).await.body["pdf_url"].as_str().unwrap())
                .await,
        ] {
            assert_eq!(pdf.status, 200);
            assert_eq!(pdf.header("content-type"), "application/pdf");
            assert!(pdf.header("content-disposition").contains(&number));
            let text =
                crate::pdf_reader::compact(&crate::pdf_reader::Pdf::parse(&pdf.bytes).text());
            assert!(text.contains("Seguimosconello"), "{text}");
            assert_eq!(text.contains("NOTA-INTERNA"), sees, "{text}");
        }
    }
    bea.get_bytes(&format!("{path}/pdf"))
        .await
        .status
        .eq(&404)
        .then_some(())
        .expect("another membership's PDF is 404");

    // Another membership: nothing, on every incident endpoint.
    let r = bea.get("/api/v1/incidents").await;
    r.expect(200);
    assert!(r.body["items"].as_array().unwrap().is_empty());
    assert!(
        bea.get(&format!("/api/v1/incidents?q={number}")).await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    bea.get(&path).await.problem(404, "not_found");
    bea.post(&format!("{path}/comments"), json!({"body": "hola"}))
        .await
        .problem(404, "not_found");
    bea.put(&format!("{path}/following"), json!({}))
        .await
        .problem(404, "not_found");
    bea.delete(&format!("{path}/following"))
        .await
        .problem(404, "not_found");
    for junk in ["INC-1-1", "nada", "INC-2026-99999999", &"9".repeat(300)] {
        ana.get(&format!("/api/v1/incidents/{junk}"))
            .await
            .problem(404, "not_found");
    }

    // Following is switched off and on.
    alberto
        .delete(&format!("{path}/following"))
        .await
        .expect(204);
    assert_eq!(alberto.get(&path).await.body["following"], false);
    alberto
        .put(&format!("{path}/following"), json!({}))
        .await
        .expect(204);
    assert_eq!(alberto.get(&path).await.body["following"], true);
}

async fn incident_lists_filter_page_and_search(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let alberto = join(app, &a_code, "Alberto de A", "alberto@a.es").await;
    let bea = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let pablo = staff_member(app, &admin, "pablo@soporte.example.es", "Pablo Técnico").await;

    let vpn = open(&ana, "La VPN se corta cada hora", "low").await;
    let printer = open(&ana, "Impresora atascada", "medium").await;
    let mail = open(&alberto, "Correo rechazado por el servidor", "high").await;
    let theirs = open(&bea, "Impresora de B sin tóner", "medium").await;

    let r = ana.get("/api/v1/incidents?priority=low").await;
    assert_eq!(
        numbers(r.body["items"].as_array().unwrap()),
        [vpn["number"].as_str().unwrap()]
    );
    let r = ana.get("/api/v1/incidents?mine=true").await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    assert!(
        ana.get("/api/v1/incidents?state=closed").await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Latest activity first; every page follows on from the last.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(k) => format!("/api/v1/incidents?limit=1&cursor={k}"),
            None => "/api/v1/incidents?limit=1".into(),
        };
        let r = ana.get(&url).await;
        r.expect(200);
        seen.extend(numbers(r.body["items"].as_array().unwrap()));
        match r.body["next_cursor"].as_str() {
            Some(k) => cursor = Some(k.to_owned()),
            None => break,
        }
    }
    assert_eq!(
        seen,
        [&mail, &printer, &vpn].map(|i| i["number"].as_str().unwrap().to_string())
    );
    // The staff queue: every membership, the soonest due first.
    let r = pablo.get("/api/v1/incidents?open=true&order=due").await;
    r.expect(200);
    let queue = r.body["items"].as_array().unwrap();
    assert_eq!(queue.len(), 4);
    let dues: Vec<&str> = queue
        .iter()
        .map(|i| i["sla"]["resolution_due"].as_str().unwrap())
        .collect();
    let mut sorted = dues.clone();
    sorted.sort();
    assert_eq!(dues, sorted);
    assert_eq!(queue[0]["number"], mail["number"]);
    let r = pablo
        .get(&format!(
            "/api/v1/incidents?membership_id={a_id}&order=due&limit=2"
        ))
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    let next = r.body["next_cursor"].as_str().unwrap().to_string();
    let r = pablo
        .get(&format!(
            "/api/v1/incidents?membership_id={a_id}&order=due&limit=2&cursor={next}"
        ))
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    // A cursor of one order does not continue another.
    pablo
        .get(&format!(
            "/api/v1/incidents?membership_id={a_id}&cursor={next}"
        ))
        .await
        .problem(422, "validation_failed");
    for junk in [
        "?limit=0",
        "?limit=101",
        "?cursor=%%%",
        "?state=perdida",
        "?priority=urgente",
        "?mine=quizas",
        "?order=random",
        "?membership_id=nope",
        "?colour=red",
    ] {
        let r = ana.get(&format!("/api/v1/incidents{junk}")).await;
        assert!(r.status.is_client_error(), "{junk}: {r:#?}");
    }
    let long = "a".repeat(301);
    ana.get(&format!("/api/v1/incidents?q={long}"))
        .await
        .problem(422, "validation_failed");

    // Words and numbers find incidents, only within the membership.
    let r = ana.get("/api/v1/incidents?q=impresoras").await;
    assert_eq!(
        numbers(r.body["items"].as_array().unwrap()),
        [printer["number"].as_str().unwrap()]
    );
    let r = ana
        .get(&format!(
            "/api/v1/incidents?q={}",
            theirs["number"].as_str().unwrap()
        ))
        .await;
    assert!(r.body["items"].as_array().unwrap().is_empty());
    let r = pablo.get("/api/v1/incidents?q=impresora").await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    // Staff filters that are not theirs are ignored for clients.
    let r = bea
        .get(&format!("/api/v1/incidents?membership_id={a_id}"))
        .await;
    assert_eq!(
        numbers(r.body["items"].as_array().unwrap()),
        [theirs["number"].as_str().unwrap()]
    );
}

/// With attachments at most 1 MB (`FARO_ATTACHMENT_MAX_MB=1`), on both databases.
mod attachments_stream_in_and_out_within_scope {
    use crate::support::{Db, TestApp};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = TestApp::spawn_with(Db::Sqlite, |c| c.attachment_max_mb = 1)
            .await
            .expect("sqlite always runs");
        super::attachments(&app).await;
        app.finish().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_with(Db::Postgres, |c| c.attachment_max_mb = 1).await {
            super::attachments(&app).await;
            app.finish().await;
        }
    }
}

async fn attachments(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (_a, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let bea = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let pablo = staff_member(app, &admin, "pablo@soporte.example.es", "Pablo Técnico").await;
    let files_before = app.sql_count("SELECT COUNT(*) FROM stored_files").await;

    // Over the limit: 413, and neither bytes nor rows are kept.
    let big = vec![7u8; 1024 * 1024 + 10];
    let r = ana
        .form(
            "/api/v1/incidents",
            &[
                ("title", "Vídeo del fallo"),
                ("description", "Adjunto el vídeo."),
                ("priority", "medium"),
            ],
            &[("files", "fallo.mp4", big)],
        )
        .await;
    r.problem(413, "payload_too_large");
    assert_eq!(app.sql_count("SELECT COUNT(*) FROM incidents").await, 0);
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM stored_files").await,
        files_before
    );
    // A form with a refused field keeps nothing either.
    let r = ana
        .form(
            "/api/v1/incidents",
            &[("title", ""), ("description", "x"), ("priority", "medium")],
            &[("files", "captura.png", png())],
        )
        .await;
    r.problem(422, "validation_failed");
    let r = ana
        .form(
            "/api/v1/incidents",
            &[
                ("title", "Título"),
                ("description", "x"),
                ("priority", "medium"),
                ("colour", "red"),
            ],
            &[("files", "captura.png", png())],
        )
        .await;
    r.expect(422);
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM stored_files").await,
        files_before
    );

    // An Alta incident with a screenshot and a log file.
    let log = b"2026-12-03 ERROR impresora desconectada\n".repeat(50);
    let r = ana
        .form(
            "/api/v1/incidents",
            &[
                ("title", "La impresora no imprime"),
                ("description", "Adjunto captura y registro."),
                ("system", "Impresora HP"),
                ("priority", "high"),
            ],
            &[
                ("files", "captura.png", png()),
                ("files", "registro.txt", log.clone()),
            ],
        )
        .await;
    r.expect(201);
    let number = r.body["number"].as_str().unwrap().to_string();
    let files = r.body["timeline"][0]["attachments"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(files.len(), 2, "{:#?}", r.body);
    let (image, text) = (&files[0], &files[1]);
    assert_eq!(image["name"], "captura.png");
    assert_eq!(image["content_type"], "image/png");
    assert_eq!(text["content_type"], "application/octet-stream");
    assert_eq!(text["size"], log.len());
    assert_eq!(text["sha256"], sha256_hex(&log));

    // Signed addresses: no Authorization header; images inline, anything else a download.
    let anyone = app.client();
    let got = anyone.get_bytes(image["url"].as_str().unwrap()).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.bytes, png());
    assert_eq!(got.header("content-type"), "image/png");
    assert!(got.header("content-disposition").starts_with("inline"));
    let got = anyone.get_bytes(text["url"].as_str().unwrap()).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.bytes, log);
    assert_eq!(got.header("content-type"), "application/octet-stream");
    assert!(got.header("content-disposition").starts_with("attachment"));
    assert_eq!(got.header("x-content-type-options"), "nosniff");
    // Byte ranges (video seeking, resumed downloads), If-Range and If-None-Match.
    let url = text["url"].as_str().unwrap();
    let part = anyone
        .get_bytes_with(url, &[("range", "bytes=10-19")])
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.bytes, &log[10..20]);
    assert_eq!(
        part.header("content-range"),
        format!("bytes 10-19/{}", log.len())
    );
    let etag = part.header("etag");
    let stale = anyone
        .get_bytes_with(url, &[("range", "bytes=10-19"), ("if-range", "\"old\"")])
        .await;
    assert_eq!((stale.status, stale.bytes.len()), (200, log.len()));
    let cached = anyone
        .get_bytes_with(url, &[("if-none-match", &etag)])
        .await;
    assert_eq!(cached.status, 304);
    let past = anyone
        .get_bytes_with(url, &[("range", "bytes=999999-")])
        .await;
    assert_eq!(past.status, 416);
    // A forged or altered address opens nothing.
    let mut forged = url.to_string();
    forged.pop();
    forged.push('x');
    assert_eq!(anyone.get_bytes(&forged).await.status, 404);

    // Images also come as a thumbnail through an address of its own: a JPEG made on the first
    // request and kept; other files have none.
    assert!(text.get("thumbnail_url").is_none());
    let thumb_url = image["thumbnail_url"].as_str().unwrap();
    assert_ne!(thumb_url, image["url"].as_str().unwrap());
    // A 1 × 1 PNG weighs less than any JPEG of it: it is its own thumbnail.
    let thumb = anyone.get_bytes(thumb_url).await;
    assert_eq!(thumb.status, 200);
    assert_eq!(thumb.header("content-type"), "image/png");
    assert!(thumb.header("content-disposition").starts_with("inline"));
    assert_eq!(thumb.bytes, png());
    // A photo: 1500 × 1000, with some grain (the tests' attachment limit is 1 MiB).
    let photo = {
        let mut seed = 7u32;
        let img = image::RgbImage::from_fn(1500, 1000, |x, y| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            image::Rgb([(x / 6) as u8, (y / 4) as u8, 100 + (seed >> 27) as u8])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(
                &mut std::io::Cursor::new(&mut out),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        out
    };
    // A "PNG" cut short: recognised as an image, but no thumbnail can be made of it.
    let broken = png()[..30].to_vec();
    let r = ana
        .form(
            &format!("/api/v1/incidents/{number}/comments"),
            &[("body", "Foto del panel y una captura rota.")],
            &[
                ("files", "panel.jpg", photo.clone()),
                ("files", "rota.png", broken.clone()),
            ],
        )
        .await;
    r.expect(201);
    let last = latest_entry(&r.body);
    let (panel, rota) = (&last["attachments"][0], &last["attachments"][1]);
    assert_eq!(panel["content_type"], "image/jpeg");
    let stored_before = app.sql_count("SELECT COUNT(*) FROM stored_files").await;
    let first = anyone
        .get_bytes(panel["thumbnail_url"].as_str().unwrap())
        .await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("content-type"), "image/jpeg");
    assert!(first.header("content-disposition").starts_with("inline"));
    let small = image::load_from_memory(&first.bytes).unwrap();
    assert_eq!((small.width(), small.height()), (480, 320));
    assert!(
        first.bytes.len() * 4 < photo.len(),
        "{} B for a {} B photo",
        first.bytes.len(),
        photo.len()
    );
    // Kept in the file store (no row: it follows from the original), the same bytes next time.
    let again = anyone
        .get_bytes(panel["thumbnail_url"].as_str().unwrap())
        .await;
    assert_eq!(again.bytes, first.bytes);
    let tag = first.header("etag");
    let unchanged = anyone
        .get_bytes_with(
            panel["thumbnail_url"].as_str().unwrap(),
            &[("if-none-match", &tag)],
        )
        .await;
    assert_eq!(unchanged.status, 304);
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM stored_files").await,
        stored_before
    );
    assert!(
        walk(&app.dir.path().join("files"))
            .iter()
            .any(|p| p.contains("thumbnails")),
        "kept beside the original"
    );
    let fallback = anyone
        .get_bytes(rota["thumbnail_url"].as_str().unwrap())
        .await;
    assert_eq!(fallback.status, 200);
    assert_eq!(
        fallback.bytes, broken,
        "the original when no thumbnail can be made"
    );

    // Another membership's person can never hold an address for these files: one signed for
    // Bea (with the server's own keys) for Ana's image opens nothing, thumbnail or original.
    let keys = faro_api::auth::jwt::JwtKeys::load(
        None,
        app.dir.path(),
        std::time::Duration::from_secs(600),
    )
    .unwrap();
    let image_id: uuid::Uuid = panel["id"].as_str().unwrap().parse().unwrap();
    let signer_for = async |c: &Client| {
        let p = principal_of(app, c).await;
        faro_api::signed::Signer::new(&keys, p.person.id, p.token_version)
    };
    let as_bea = signer_for(&bea).await;
    for file in [
        faro_api::signed::FileRef::Thumbnail(image_id),
        faro_api::signed::FileRef::Attachment(image_id),
    ] {
        let url = as_bea.url(file).unwrap();
        anyone.get(&url).await.problem(404, "not_found");
    }
    // ...while the same address signed for Ana opens (so the 404 above is the scope's).
    let as_ana = signer_for(&ana).await;
    let url = as_ana
        .url(faro_api::signed::FileRef::Thumbnail(image_id))
        .unwrap();
    assert_eq!(anyone.get_bytes(&url).await.bytes, first.bytes);

    // A comment with a file only; staff attach one to an internal note.
    let path = format!("/api/v1/incidents/{number}");
    let r = ana
        .form(
            &format!("{path}/comments"),
            &[("body", "")],
            &[("files", "otra.png", png())],
        )
        .await;
    r.expect(201);
    let r = pablo
        .form(
            &format!("{path}/comments"),
            &[("body", NOTE), ("internal", "true")],
            &[("files", "interno.txt", b"solo para soporte".to_vec())],
        )
        .await;
    r.expect(201);
    let note = latest_entry(&r.body);
    assert_eq!(note["internal"], true);
    let note_url = note["attachments"][0]["url"].as_str().unwrap().to_string();
    assert_eq!(
        anyone.get_bytes(&note_url).await.bytes,
        b"solo para soporte"
    );
    // The client sees neither the note nor its file.
    let r = ana.get(&path).await;
    let body = r.body.to_string();
    assert!(
        !body.contains("NOTA-INTERNA") && !body.contains("interno.txt"),
        "{body}"
    );
    // (Opened, the photo's comment and the file-only one: not the note.)
    assert_eq!(r.body["timeline"].as_array().unwrap().len(), 3);
    // Another membership cannot comment with files, and keeps nothing trying.
    let before = app.sql_count("SELECT COUNT(*) FROM stored_files").await;
    bea.form(
        &format!("{path}/comments"),
        &[("body", "hola")],
        &[("files", "x.png", png())],
    )
    .await
    .problem(404, "not_found");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM stored_files").await,
        before
    );
}

async fn incidents_are_worked_resolved_closed_and_reopened(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (_a, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let bea = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let pablo = staff_member(app, &admin, "pablo@soporte.example.es", "Pablo Técnico").await;
    let pablo_id = pablo.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let ana_id = ana.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let i = open(&ana, "El ERP no arranca", "medium").await;
    let path = format!("/api/v1/incidents/{}", i["number"].as_str().unwrap());
    let due = i["sla"]["resolution_due"].as_str().unwrap().to_string();

    // Another membership touches nothing; a client cannot do staff work.
    for (p, body) in [
        (format!("{path}/state"), json!({"state": "in_progress"})),
        (format!("{path}/priority"), json!({"priority": "low"})),
        (format!("{path}/assignee"), json!({"assignee_id": null})),
    ] {
        let r = if p.ends_with("/state") {
            bea.post(&p, body.clone()).await
        } else {
            bea.put(&p, body.clone()).await
        };
        r.problem(404, "not_found");
    }
    ana.put(&format!("{path}/priority"), json!({"priority": "high"}))
        .await
        .problem(404, "not_found");
    ana.put(&format!("{path}/assignee"), json!({"assignee_id": ana_id}))
        .await
        .problem(404, "not_found");
    // A client cannot resolve it; nothing changes.
    ana.post(&format!("{path}/state"), json!({"state": "resolved"}))
        .await
        .problem(409, "conflict");
    for junk in [
        json!({"state": "perdida"}),
        json!({"state": "closed", "remark": "x".repeat(2001)}),
        json!({"state": "closed", "extra": 1}),
        json!({}),
    ] {
        let r = pablo.post(&format!("{path}/state"), junk.clone()).await;
        assert!(r.status.is_client_error(), "{junk}: {r:#?}");
    }
    assert_eq!(ana.get(&path).await.body["state"], "new");

    // Staff take it, raise it, wait for the client, and resolve it.
    let r = pablo
        .put(
            &format!("{path}/assignee"),
            json!({"assignee_id": pablo_id}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["assignee"]["name"], "Pablo Técnico");
    pablo
        .put(&format!("{path}/assignee"), json!({"assignee_id": ana_id}))
        .await
        .problem(422, "validation_failed");
    let r = pablo
        .put(&format!("{path}/priority"), json!({"priority": "high"}))
        .await;
    r.expect(200);
    assert_eq!(r.body["priority"], "high");
    assert!(r.body["sla"]["resolution_due"].as_str().unwrap() < due.as_str());
    let r = pablo
        .post(
            &format!("{path}/state"),
            json!({"state": "waiting_client", "remark": "¿Nos dice la versión?"}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["sla"]["mark"], "stopped");
    let last = latest_entry(&r.body);
    assert_eq!(last["kind"], "state");
    assert_eq!(
        last["change"],
        json!({"from": "new", "to": "waiting_client"})
    );
    mail_with(app, "ana@a.es", "¿Nos dice la versión?").await;
    pablo
        .post(&format!("{path}/state"), json!({"state": "resolved"}))
        .await
        .expect(200);
    // Staff cannot close it for the client without saying how they confirmed.
    pablo
        .post(&format!("{path}/state"), json!({"state": "closed"}))
        .await
        .problem(409, "conflict");

    // The client confirms and closes it, then reopens it.
    let r = ana
        .post(
            &format!("{path}/state"),
            json!({"state": "closed", "remark": "Ya funciona, gracias."}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["state"], "closed");
    assert!(r.body["closed_at"].is_string());
    let r = ana
        .post(
            &format!("{path}/state"),
            json!({"state": "in_progress", "remark": "Vuelve a fallar."}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["state"], "in_progress");
    assert!(r.body["closed_at"].is_null());
    let kinds: Vec<String> = r.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    // Assignments are internal: the client's timeline does not hold them; staff's does.
    assert_eq!(
        kinds,
        ["opened", "priority", "state", "state", "closed", "reopened"]
    );
    let staff_view = pablo.get(&path).await;
    let assigned = staff_view.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "assigned")
        .cloned()
        .unwrap();
    assert_eq!(assigned["internal"], true);

    // Resolved and unanswered: housekeeping closes it after N days and tells the followers.
    pablo
        .post(&format!("{path}/state"), json!({"state": "resolved"}))
        .await
        .expect(200);
    let not_yet = faro_jobs::incidents::auto_close(app.store(), &app.base, 7)
        .await
        .unwrap();
    assert_eq!(not_yet, 0);
    let closed = faro_jobs::incidents::auto_close_before(
        app.store(),
        &app.base,
        7,
        chrono::Utc::now() + chrono::TimeDelta::minutes(1),
    )
    .await
    .unwrap();
    assert_eq!(closed, 1);
    let r = ana.get(&path).await;
    assert_eq!(r.body["state"], "closed");
    assert_eq!(latest_entry(&r.body)["kind"], "auto_closed");
    mail_with(app, "ana@a.es", "nadie respondió en 7 días").await;
}

async fn incidents_are_escalated_and_triaged(app: &TestApp) {
    use faro_core::kb::{ArticleDraft, ArticleKind, ArticleState};
    let admin = setup_admin(app).await;
    let (_a, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (b_id, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let alberto = join(app, &a_code, "Alberto de A", "alberto@a.es").await;
    let bea = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let pablo = staff_member(app, &admin, "pablo@soporte.example.es", "Pablo Técnico").await;
    let i = open(&ana, "La impresora no imprime", "high").await;
    let path = format!("/api/v1/incidents/{}", i["number"].as_str().unwrap());
    let ask = json!({"purpose": "Revisar el controlador", "tool": "AnyDesk", "window": "Hoy de 16:00 a 17:00"});

    // Only staff ask, and only on incidents they can see.
    for c in [&ana, &bea] {
        c.post(&format!("{path}/remote-requests"), ask.clone())
            .await
            .problem(404, "not_found");
    }
    let r = pablo
        .post(
            &format!("{path}/remote-requests"),
            json!({"purpose": "", "tool": "AnyDesk", "window": "hoy"}),
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["purpose"]);
    let r = pablo
        .post(&format!("{path}/remote-requests"), ask.clone())
        .await;
    r.expect(201);
    let request = r.body["remote_requests"][0].clone();
    assert_eq!(request["state"], "pending");
    assert_eq!(request["tool"], "AnyDesk");
    let rid = request["id"].as_str().unwrap().to_string();
    mail_with(app, "ana@a.es", "Revisar el controlador").await;
    // Work cannot start before someone of the membership says yes; staff cannot say it.
    pablo
        .post_empty(&format!("{path}/remote-requests/{rid}/start"))
        .await
        .problem(409, "conflict");
    pablo
        .post(
            &format!("{path}/remote-requests/{rid}/answer"),
            json!({"authorise": true}),
        )
        .await
        .problem(404, "not_found");
    bea.post(
        &format!("{path}/remote-requests/{rid}/answer"),
        json!({"authorise": true}),
    )
    .await
    .problem(404, "not_found");
    for junk in ["nope", "00000000-0000-0000-0000-000000000000"] {
        alberto
            .post(
                &format!("{path}/remote-requests/{junk}/answer"),
                json!({"authorise": true}),
            )
            .await
            .problem(404, "not_found");
    }
    alberto
        .post(
            &format!("{path}/remote-requests/{rid}/answer"),
            json!({"authorise": "sí"}),
        )
        .await
        .problem(422, "validation_failed");
    // A colleague authorises: who, when and from where are recorded.
    let r = alberto
        .post(
            &format!("{path}/remote-requests/{rid}/answer"),
            json!({"authorise": true}),
        )
        .await;
    r.expect(200);
    let answered = &r.body["remote_requests"][0];
    assert_eq!(answered["state"], "authorised");
    assert_eq!(answered["answered_by"], "Alberto de A");
    assert!(answered["answered_at"].is_string());
    assert!(
        answered["answered_ip"].is_null(),
        "the address is for staff"
    );
    ana.post(
        &format!("{path}/remote-requests/{rid}/answer"),
        json!({"authorise": false}),
    )
    .await
    .problem(409, "conflict");
    let r = pablo
        .post_empty(&format!("{path}/remote-requests/{rid}/start"))
        .await;
    r.expect(200);
    assert_eq!(r.body["remote_requests"][0]["state"], "started");
    assert_eq!(r.body["remote_requests"][0]["answered_ip"], "127.0.0.1");
    assert_eq!(r.body["escalation"], "remote");

    // An on-site visit: in the future, with an invitation the followers get.
    let visit = json!({"starts_at": "2031-03-04T09:00:00Z", "technician": "Pablo Técnico", "address": "Calle Mayor 1, Madrid"});
    pablo
        .post(
            &format!("{path}/visits"),
            json!({"starts_at": "2020-01-01T09:00:00Z", "technician": "Pablo", "address": "Calle Mayor 1"}),
        )
        .await
        .problem(422, "validation_failed");
    ana.post(&format!("{path}/visits"), visit.clone())
        .await
        .problem(404, "not_found");
    let r = pablo.post(&format!("{path}/visits"), visit.clone()).await;
    r.expect(201);
    assert_eq!(r.body["escalation"], "on_site");
    let vid = r.body["visits"][0]["id"].as_str().unwrap().to_string();
    mail_with(app, "ana@a.es", "Calle Mayor 1, Madrid").await;
    let ics = ana.get_bytes(&format!("{path}/visits/{vid}/ics")).await;
    assert_eq!(ics.status, 200);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    let text = String::from_utf8(ics.bytes).unwrap();
    assert!(
        text.contains("BEGIN:VCALENDAR") && text.contains("20310304T090000Z"),
        "{text}"
    );
    assert_eq!(
        bea.get_bytes(&format!("{path}/visits/{vid}/ics"))
            .await
            .status,
        404
    );
    let r = pablo
        .put(
            &format!("{path}/visits/{vid}/report"),
            json!({"report": "Cambiado el **fusor**."}),
        )
        .await;
    r.expect(200);
    assert!(
        r.body["visits"][0]["report_html"]
            .as_str()
            .unwrap()
            .contains("<strong>fusor</strong>")
    );
    ana.put(
        &format!("{path}/visits/{vid}/report"),
        json!({"report": "x"}),
    )
    .await
    .problem(404, "not_found");

    // Triage: a published article the membership can read becomes the solution.
    let store = app.store();
    let staff = faro_core::Viewer::system();
    let author = faro_store::Author {
        id: None,
        name: "Soporte".into(),
    };
    let draft = |title: &str, membership: Option<uuid::Uuid>| ArticleDraft {
        title: title.into(),
        summary: "Resumen".into(),
        body: "Pasos.".into(),
        kind: ArticleKind::Procedure,
        state: ArticleState::Published,
        category_id: None,
        membership_id: membership,
        tags: Vec::new(),
        note: String::new(),
    };
    let fix = store
        .create_article(&staff, &author, draft("Cambiar el fusor", None))
        .await
        .unwrap();
    let theirs = store
        .create_article(
            &staff,
            &author,
            draft("Solo para B", Some(uuid::Uuid::parse_str(&b_id).unwrap())),
        )
        .await
        .unwrap();
    pablo
        .put(&format!("{path}/solution"), json!({"article": theirs.slug}))
        .await
        .problem(422, "validation_failed");
    pablo
        .put(&format!("{path}/solution"), json!({"article": "no-existe"}))
        .await
        .problem(422, "validation_failed");
    pablo
        .put(
            &format!("{path}/solution"),
            json!({"article": format!("http://x/kb/{}", fix.slug)}),
        )
        .await
        .expect(200);
    let r = ana.get(&path).await;
    assert_eq!(
        r.body["solution"],
        json!({"slug": fix.slug, "title": "Cambiar el fusor"})
    );

    // A draft article from the incident keeps internal notes out.
    pablo
        .post(
            &format!("{path}/comments"),
            json!({"body": NOTE, "internal": true}),
        )
        .await
        .expect(201);
    pablo
        .post(
            &format!("{path}/comments"),
            json!({"body": "Solución: reiniciar la cola."}),
        )
        .await
        .expect(201);
    ana.post_empty(&format!("{path}/draft-article"))
        .await
        .problem(404, "not_found");
    let r = pablo.post_empty(&format!("{path}/draft-article")).await;
    r.expect(201);
    let slug = r.body["slug"].as_str().unwrap().to_string();
    assert_eq!(r.header("location"), format!("/api/v1/kb/articles/{slug}"));
    let article = pablo.get(&format!("/api/v1/kb/articles/{slug}")).await;
    article.expect(200);
    assert_eq!(article.body["state"], "draft");
    let body = article.body["body"].as_str().unwrap();
    assert!(
        body.contains("reiniciar la cola") && !body.contains("NOTA-INTERNA"),
        "{body}"
    );
    // Nothing of it shows through another membership.
    for p in [format!("{path}/solution"), format!("{path}/draft-article")] {
        let r = if p.ends_with("solution") {
            bea.put(&p, json!({"article": fix.slug})).await
        } else {
            bea.post_empty(&p).await
        };
        r.problem(404, "not_found");
    }
}

/// An API key of `c`'s person, as a client of its own.
async fn key(app: &TestApp, c: &Client, scope: &str) -> Client {
    let r = c
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Monitorización", "scope": scope}),
        )
        .await;
    r.expect(201);
    app.client().with_token(r.body["secret"].as_str().unwrap())
}

async fn integrations_work_incidents_with_api_keys(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (_a, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let bea = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let monitor = key(app, &ana, "read_write").await;
    let intranet = key(app, &ana, "read").await;
    let other = key(app, &bea, "read_write").await;

    // A monitoring system opens and follows up an incident exactly as Ana, with a file.
    let r = monitor
        .form(
            "/api/v1/incidents",
            &[
                ("title", "El ERP no responde"),
                ("description", "Sin respuesta desde las 9:00."),
                ("priority", "high"),
            ],
            &[("files", "captura.png", png())],
        )
        .await;
    r.expect(201);
    assert_eq!(r.body["opened_by"]["name"], "Ana de A");
    let number = r.body["number"].as_str().unwrap().to_string();
    let path = format!("/api/v1/incidents/{number}");
    monitor
        .post(
            &format!("{path}/comments"),
            json!({"body": "Vuelve a fallar."}),
        )
        .await
        .expect(201);
    // A read key lists and reads but writes nothing.
    let r = intranet.get("/api/v1/incidents?open=true").await;
    assert_eq!(
        numbers(r.body["items"].as_array().unwrap()),
        [number.as_str()]
    );
    intranet.get(&path).await.expect(200);
    intranet
        .post(&format!("{path}/comments"), json!({"body": "x"}))
        .await
        .problem(403, "read_only_key");
    intranet
        .post(
            "/api/v1/incidents",
            json!({"title": "Otra", "description": "x", "priority": "low"}),
        )
        .await
        .problem(403, "read_only_key");
    // Another membership's key sees nothing of it.
    assert!(
        other.get("/api/v1/incidents").await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    other.get(&path).await.problem(404, "not_found");
    other
        .post(&format!("{path}/comments"), json!({"body": "hola"}))
        .await
        .problem(404, "not_found");
    other
        .put(&format!("{path}/following"), json!({}))
        .await
        .problem(404, "not_found");
    other
        .get(&format!("{path}/pdf"))
        .await
        .problem(404, "not_found");

    // A staff service key works the queue.
    let staff = admin
        .post(
            "/api/v1/staff",
            json!({"email": "monitor@soporte.example.es", "name": "Monitorización", "role": "agent"}),
        )
        .await;
    let agent_id = staff.body["id"].as_str().unwrap().to_string();
    let r = admin
        .post(
            "/api/v1/service-keys",
            json!({"owner_id": agent_id, "name": "Cola", "scope": "read_write"}),
        )
        .await;
    r.expect(201);
    let service = app.client().with_token(r.body["secret"].as_str().unwrap());
    let r = service.get("/api/v1/incidents?open=true&order=due").await;
    assert_eq!(
        numbers(r.body["items"].as_array().unwrap()),
        [number.as_str()]
    );
    service
        .put(
            &format!("{path}/assignee"),
            json!({"assignee_id": agent_id}),
        )
        .await
        .expect(200);
    let r = service
        .post(
            &format!("{path}/state"),
            json!({"state": "in_progress", "remark": "En ello."}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["assignee"]["name"], "Monitorización");
    assert_eq!(r.body["state"], "in_progress");
}
