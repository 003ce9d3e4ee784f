//! Incidents on both databases: opening with files, membership-wide participation, followers'
//! e-mail, internal notes that never reach a client, states with the client's confirmation,
//! the staff queue, attachments served safely, and another membership's 404 everywhere.

use reqwest::StatusCode;

use crate::downloads::{fetch, payload, stored_files};
use crate::on_both_databases;
use crate::support::{
    ADMIN_EMAIL, Client, PNG, PORTAL, Page, TestApp, create_membership, join, setup_admin,
};

on_both_databases!(
    incident_lifecycle,
    attachments_over_the_limit_leave_nothing,
    escalation_solution_pdf_search_and_auto_close
);

/// Posts a multipart form (`files` repeated) as the incident pages do.
async fn send(
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>)>,
) -> Page {
    let csrf = client.csrf().await;
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        form = form.part(
            "files",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    let res = client
        .on_new_connections()
        .http
        .post(client.url(&format!("{path}?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let location = headers
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    Page {
        status,
        location,
        body: res.text().await.unwrap(),
        headers,
    }
}

fn attachment_ids(page: &Page) -> Vec<String> {
    let mut ids: Vec<String> = page
        .body
        .match_indices("/incidents/files/")
        .map(|(i, m)| page.body[i + m.len()..i + m.len() + 36].to_string())
        .collect();
    ids.dedup();
    ids
}

async fn incident_lifecycle(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Industrias Ejemplo S.A.", "coord@ejemplo.es", true).await;
    let b = create_membership(&admin, "Talleres Otros S.L.", "coord@otros.es", true).await;
    let a1 = join(app, &a.code, "Ana Uno", "ana@ejemplo.es").await;
    let a2 = join(app, &a.code, "Alberto Dos", "alberto@ejemplo.es").await;
    let b1 = join(app, &b.code, "Bea Otra", "bea@otros.es").await;

    // The form explains the three priorities.
    a1.get("/incidents/new")
        .await
        .assert_contains("la producción está parada")
        .assert_contains("procedimientos degradados")
        .assert_contains("no afecta a la operación");
    // Refused input: named problems, nothing created.
    let refused = send(
        &a1,
        "/incidents/new",
        &[
            ("title", ""),
            ("priority", "urgentisima"),
            ("description", " "),
        ],
        vec![],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused
        .assert_contains("Elige una prioridad")
        .assert_contains("Escribe el texto");

    // Ana opens a high-priority incident with a screenshot and a log file.
    let html_trap = b"<html><script>alert(1)</script></html>".to_vec();
    let opened = send(
        &a1,
        "/incidents/new",
        &[
            ("title", "La impresora del almacén no imprime"),
            ("system", "Impresora de almacén"),
            ("priority", "high"),
            ("description", "Desde esta mañana sale **error 49**."),
        ],
        vec![("captura.png", PNG.to_vec()), ("registro.html", html_trap)],
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let year = chrono::Utc::now().format("%Y").to_string();
    let url = format!("/incidents/INC-{year}-0001");
    assert_eq!(opened.location.as_deref(), Some(url.as_str()));
    // Staff hear about a high-priority incident at once.
    let alert = app.wait_for_mail(ADMIN_EMAIL, 1).await;
    assert!(
        alert.subject.contains("prioridad alta"),
        "{}",
        alert.subject
    );
    assert!(alert.text.contains("Industrias Ejemplo S.A."));

    let page = a1.get(&url).await;
    page.assert_contains("La impresora del almacén no imprime")
        .assert_contains("<strong>error 49</strong>")
        .assert_contains("<img src=\"/incidents/files/")
        .assert_contains("registro.html");
    let files = attachment_ids(&page);
    assert_eq!(files.len(), 2, "{files:?}");
    // The image shows inline; the HTML file is only ever a download.
    let (status, h, body) = fetch(&a1, &format!("/incidents/files/{}", files[0]), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-type"], "image/png");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    assert_eq!(body, PNG);
    let (status, h, _) = fetch(&a1, &format!("/incidents/files/{}", files[1]), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-type"], "application/octet-stream");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");

    // A colleague sees it and comments; Ana (following as the opener) is told.
    let ana_mails = app.mails_to("ana@ejemplo.es").len();
    a2.get("/incidents")
        .await
        .assert_contains(&format!("INC-{year}-0001"));
    let commented = send(
        &a2,
        &format!("{url}/comments"),
        &[("body", "A mí también me pasa en la planta 2.")],
        vec![],
    )
    .await;
    assert_eq!(
        commented.status,
        StatusCode::SEE_OTHER,
        "{}",
        commented.body
    );
    let mail = app.wait_for_mail("ana@ejemplo.es", ana_mails + 1).await;
    assert!(mail.subject.contains(&format!("INC-{year}-0001")));
    assert!(mail.text.contains("planta 2"));

    // Another membership: nothing about it exists.
    for path in [
        url.clone(),
        format!("/incidents/files/{}", files[0]),
        format!("/incidents/files/{}", files[1]),
    ] {
        assert_eq!(b1.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for action in ["follow", "unfollow", "state", "priority", "assign"] {
        let res = b1
            .post(
                &format!("{url}/{action}"),
                &[("to", "closed"), ("priority", "low")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{action}");
    }
    let res = send(&b1, &format!("{url}/comments"), &[("body", "hola")], vec![]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    b1.get("/incidents")
        .await
        .assert_lacks("almacén")
        .assert_lacks(&format!("INC-{year}-0001"));
    // Junk numbers are not found either.
    for path in [
        "/incidents/INC-20-1",
        "/incidents/nada",
        "/incidents/files/zzz",
    ] {
        assert_eq!(a1.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }

    // Staff: the queue across memberships, with the SLA standing out.
    let queue = admin.get("/incidents").await;
    queue
        .assert_contains("Cola de incidencias")
        .assert_contains("Industrias Ejemplo S.A.")
        .assert_contains("sla-");
    // An internal note with a file: staff see it, clients never (page, file, e-mail).
    let mails_before = app.mails_to("ana@ejemplo.es").len();
    let noted = send(
        &admin,
        &format!("{url}/comments"),
        &[
            (
                "body",
                "Nota interna: el tóner es de un proveedor no homologado.",
            ),
            ("internal", "1"),
        ],
        vec![("presupuesto.txt", b"coste interno 120 EUR".to_vec())],
    )
    .await;
    assert_eq!(noted.status, StatusCode::SEE_OTHER, "{}", noted.body);
    let staff_view = admin.get(&url).await;
    staff_view.assert_contains("proveedor no homologado");
    let internal_file = attachment_ids(&staff_view)
        .into_iter()
        .find(|id| !files.contains(id))
        .unwrap();
    let client_view = a1.get(&url).await;
    client_view
        .assert_lacks("proveedor no homologado")
        .assert_lacks("presupuesto.txt")
        .assert_lacks(&internal_file);
    assert_eq!(
        a1.get(&format!("/incidents/files/{internal_file}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Clients cannot write internal notes (the flag is ignored: it becomes a comment).
    let sneaky = send(
        &a2,
        &format!("{url}/comments"),
        &[("body", "¿Se ve esto?"), ("internal", "1")],
        vec![],
    )
    .await;
    assert_eq!(sneaky.status, StatusCode::SEE_OTHER);
    a1.get(&url).await.assert_contains("¿Se ve esto?");

    // Staff answer in public (first response), ask the client, resolve.
    let answered = send(
        &admin,
        &format!("{url}/comments"),
        &[("body", "Cambiad el tóner por uno original, por favor.")],
        vec![],
    )
    .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    for to in ["waiting_client", "in_progress", "resolved"] {
        let moved = admin
            .post(&format!("{url}/state"), &[("to", to), ("remark", "")])
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER);
        admin.follow(moved).await.assert_contains("Estado cambiado");
    }
    // No e-mail carried the internal note.
    let mails = app.mails_to("ana@ejemplo.es");
    assert!(mails.len() > mails_before);
    for m in &mails {
        assert!(!m.text.contains("no homologado") && !m.html.contains("no homologado"));
        assert!(!m.text.contains("coste interno"));
    }
    // Staff cannot close without writing down the client's confirmation.
    let refused = admin
        .post(&format!("{url}/state"), &[("to", "closed"), ("remark", "")])
        .await;
    admin
        .follow(refused)
        .await
        .assert_contains("no es posible en el estado actual");
    // Clients cannot change priority or assignment.
    assert_eq!(
        a1.post(&format!("{url}/priority"), &[("priority", "low")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The client confirms the fix and closes; then reopens.
    let page = a1.get(&url).await;
    page.assert_contains("Confirmar la solución y cerrar");
    let closed = a1
        .post(
            &format!("{url}/state"),
            &[("to", "closed"), ("remark", "Funciona con el tóner nuevo")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    a1.follow(closed)
        .await
        .assert_contains("cerró la incidencia confirmando la solución")
        .assert_contains("Funciona con el tóner nuevo");
    let reopened = a1
        .post(
            &format!("{url}/state"),
            &[("to", "in_progress"), ("remark", "Vuelve a fallar")],
        )
        .await;
    a1.follow(reopened)
        .await
        .assert_contains("reabrió la incidencia")
        .assert_contains("En curso");
    // A client cannot jump states staff own.
    let jump = a1
        .post(
            &format!("{url}/state"),
            &[("to", "resolved"), ("remark", "")],
        )
        .await;
    a1.follow(jump)
        .await
        .assert_contains("no es posible en el estado actual");

    // Priority and assignment (staff), and filters.
    let p = admin
        .post(&format!("{url}/priority"), &[("priority", "medium")])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let junk = admin
        .post(
            &format!("{url}/assign"),
            &[("assignee", &uuid::Uuid::now_v7().to_string())],
        )
        .await;
    admin
        .follow(junk)
        .await
        .assert_contains("Elige a una persona del equipo");
    a1.get("/incidents?priority=medium")
        .await
        .assert_contains(&format!("INC-{year}-0001"));
    a1.get("/incidents?priority=low")
        .await
        .assert_lacks(&format!("INC-{year}-0001"));
    a2.get("/incidents?mine=1")
        .await
        .assert_lacks(&format!("INC-{year}-0001"));
    a1.get("/incidents?q=impresora")
        .await
        .assert_contains(&format!("INC-{year}-0001"));
    // Unfollowing stops the e-mail.
    let un = a1.post(&format!("{url}/unfollow"), &[]).await;
    assert_eq!(un.status, StatusCode::SEE_OTHER);
    let before = app.mails_to("ana@ejemplo.es").len();
    send(
        &a2,
        &format!("{url}/comments"),
        &[("body", "Otro dato más.")],
        vec![],
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(app.mails_to("ana@ejemplo.es").len(), before);
}

async fn attachments_over_the_limit_leave_nothing(app: &TestApp) {
    let db = if app.database_url.starts_with("sqlite") {
        crate::support::Db::Sqlite
    } else {
        crate::support::Db::Postgres
    };
    let small = TestApp::spawn_with(db, |c| c.attachment_max_mb = 1)
        .await
        .unwrap();
    let admin = setup_admin(&small).await;
    let a = create_membership(&admin, "Industrias Ejemplo S.A.", "coord@ejemplo.es", true).await;
    let a1 = join(&small, &a.code, "Ana Uno", "ana@ejemplo.es").await;
    let page = send(
        &a1,
        "/incidents/new",
        &[
            ("title", "Vídeo del fallo"),
            ("priority", "low"),
            ("description", "Adjunto el vídeo."),
        ],
        vec![
            ("pequeno.png", PNG.to_vec()),
            ("video.mp4", payload(1536 * 1024, 1)),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    page.assert_contains("supera el tamaño máximo permitido (1,0 MB)");
    assert!(
        stored_files(&small).is_empty(),
        "{:?}",
        stored_files(&small)
    );
    assert_eq!(
        small.sql_count("SELECT COUNT(*) FROM stored_files").await,
        0
    );
    assert_eq!(small.sql_count("SELECT COUNT(*) FROM incidents").await, 0);
    small.finish().await;
}

async fn pdf_text(client: &Client, path: &str) -> String {
    let (status, h, body) = fetch(client, path, &[]).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    assert_eq!(h["content-type"], "application/pdf");
    crate::pdf_reader::compact(&crate::pdf_reader::Pdf::parse(&body).text())
}

async fn escalation_solution_pdf_search_and_auto_close(app: &TestApp) {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Industrias Ejemplo S.A.", "coord@ejemplo.es", true).await;
    let b = create_membership(&admin, "Talleres Otros S.L.", "coord@otros.es", true).await;
    let a1 = join(app, &a.code, "Ana Uno", "ana@ejemplo.es").await;
    let b1 = join(app, &b.code, "Bea Otra", "bea@otros.es").await;
    let opened = send(
        &a1,
        "/incidents/new",
        &[
            ("title", "El escáner de albaranes se desconecta"),
            ("priority", "medium"),
            ("description", "Cada media hora pierde la conexión wifi."),
        ],
        vec![("foto.png", PNG.to_vec())],
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    let url = opened.location.unwrap();
    let number = url.trim_start_matches("/incidents/").to_string();

    // Remote connection: asked by staff, cannot start before the client says yes.
    let asked = admin
        .post(
            &format!("{url}/remote"),
            &[
                ("purpose", "Revisar la configuración wifi del escáner"),
                ("tool", "RustDesk"),
                ("window", "Hoy de 16:00 a 17:00"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let page = a1.get(&url).await;
    page.assert_contains("Autorizo la conexión")
        .assert_contains("Revisar la configuración wifi del escáner");
    let request = page.between("/remote/", "/answer");
    let early = admin
        .post(&format!("{url}/remote/{request}/start"), &[])
        .await;
    admin
        .follow(early)
        .await
        .assert_contains("el cliente no ha autorizado esta conexión");
    // Nobody from another membership can answer, and staff cannot answer for the client.
    assert_eq!(
        b1.post(
            &format!("{url}/remote/{request}/answer"),
            &[("answer", "authorise")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin
            .post(
                &format!("{url}/remote/{request}/answer"),
                &[("answer", "authorise")]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let yes = a1
        .post(
            &format!("{url}/remote/{request}/answer"),
            &[("answer", "authorise")],
        )
        .await;
    a1.follow(yes)
        .await
        .assert_contains("autorizó la conexión remota (desde 127.0.0.1)")
        .assert_contains("Respondió Ana Uno el");
    let again = a1
        .post(
            &format!("{url}/remote/{request}/answer"),
            &[("answer", "refuse")],
        )
        .await;
    a1.follow(again).await.assert_contains("ya tiene respuesta");
    let started = admin
        .post(&format!("{url}/remote/{request}/start"), &[])
        .await;
    admin
        .follow(started)
        .await
        .assert_contains("empezó la conexión remota (RustDesk)")
        .assert_contains("Conexión remota");

    // On-site visit: a date in the past is refused; a future one e-mails an .ics.
    let past = admin
        .post(
            &format!("{url}/visits"),
            &[
                ("date", "01/01/2020"),
                ("time", "09:30"),
                ("technician", "Luis"),
                ("address", "Calle Mayor 1"),
            ],
        )
        .await;
    admin.follow(past).await.assert_contains("posterior a hoy");
    let day = (chrono::Utc::now() + chrono::TimeDelta::days(3))
        .format("%d/%m/%Y")
        .to_string();
    let visit = admin
        .post(
            &format!("{url}/visits"),
            &[
                ("date", &day),
                ("time", "09:30"),
                ("technician", "Luis Técnico"),
                ("address", "Calle Mayor 1, Getafe"),
            ],
        )
        .await;
    admin
        .follow(visit)
        .await
        .assert_contains("Visita presencial")
        .assert_contains("Luis Técnico");
    let invite = {
        let start = std::time::Instant::now();
        loop {
            let found = std::fs::read_dir(app.outbox())
                .unwrap()
                .flatten()
                .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                .find(|raw| raw.contains("visita.ics") && raw.contains("ana@ejemplo.es"));
            if let Some(raw) = found {
                break raw;
            }
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "no invitation"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    };
    assert!(invite.contains("text/calendar"));
    let visit_id = admin.get(&url).await.between("/visits/", "/report");
    let reported = admin
        .post(
            &format!("{url}/visits/{visit_id}/report"),
            &[("report", "Cambiada la antena del escáner.")],
        )
        .await;
    admin
        .follow(reported)
        .await
        .assert_contains("Cambiada la antena del escáner.");

    // An internal note stays out of the client's PDF; staff's PDF has it.
    send(
        &admin,
        &format!("{url}/comments"),
        &[
            ("body", "Sospecho del repetidor de la nave tres"),
            ("internal", "1"),
        ],
        vec![],
    )
    .await;
    let client_pdf = pdf_text(&a1, &format!("{url}/pdf")).await;
    assert!(client_pdf.contains(&number), "{client_pdf}");
    assert!(client_pdf.contains("Cambiadalaantenadelescáner"));
    assert!(!client_pdf.contains("repetidor"));
    let staff_pdf = pdf_text(&admin, &format!("{url}/pdf")).await;
    assert!(staff_pdf.contains("Sospechodelrepetidor"));
    assert_eq!(
        b1.get(&format!("{url}/pdf")).await.status,
        StatusCode::NOT_FOUND
    );

    // Search finds the incident by its public text for its membership only, never by the note.
    let found = a1.get("/search?q=albaranes&kind=incident").await;
    found.assert_contains(&url);
    b1.get("/search?q=albaranes").await.assert_lacks(&url);
    a1.get("/search?q=repetidor").await.assert_lacks(&url);
    admin.get("/search?q=albaranes").await.assert_contains(&url);

    // The knowledge base grows from support: a draft article from the incident, opened in
    // the app's editor...
    let drafted = admin.post(&format!("{url}/kb-draft"), &[]).await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER);
    let edit = drafted.location.clone().unwrap();
    let slug = edit
        .strip_prefix(&format!("{PORTAL}/kb/"))
        .and_then(|s| s.strip_suffix("/edit"))
        .unwrap_or_else(|| panic!("the draft opens in the app: {edit}"))
        .to_string();
    let draft = app
        .store()
        .article_by_slug(&faro_core::Viewer::system(), &slug)
        .await
        .unwrap();
    assert!(draft.body.contains("Cambiada la antena del escáner."));
    assert!(
        !draft.body.contains("repetidor"),
        "the internal note stays out"
    );
    // ...not visible to the client while a draft, so it cannot be the solution yet.
    let refused = admin
        .post(&format!("{url}/solution"), &[("article", &slug)])
        .await;
    admin
        .follow(refused)
        .await
        .assert_contains("Elige un artículo publicado");
    app.store()
        .update_article(
            &faro_core::Viewer::system(),
            &faro_store::Author {
                id: None,
                name: "Soporte".into(),
            },
            draft.id,
            faro_core::kb::ArticleDraft {
                title: "El escáner de albaranes se desconecta".into(),
                summary: String::new(),
                body: "Cambiar la antena.".into(),
                kind: faro_core::kb::ArticleKind::Procedure,
                state: faro_core::kb::ArticleState::Published,
                category_id: None,
                membership_id: Some(a.id.parse().unwrap()),
                tags: Vec::new(),
                note: "Publicado".into(),
            },
        )
        .await
        .unwrap();
    let linked = admin
        .post(
            &format!("{url}/solution"),
            &[("article", &format!("http://x/kb/{slug}"))],
        )
        .await;
    assert_eq!(linked.status, StatusCode::SEE_OTHER);
    a1.get(&url)
        .await
        .assert_contains(&format!("href=\"/kb/{slug}\""))
        .assert_contains("enlazó la solución");
    // The solution's link opens the article in the app.
    let link = a1.get(&format!("/kb/{slug}")).await;
    assert_eq!(link.status, StatusCode::SEE_OTHER);
    assert_eq!(
        link.location.as_deref(),
        Some(format!("{PORTAL}/kb/{slug}").as_str())
    );

    // Resolved and unanswered: housekeeping closes it after N days and tells the followers.
    let resolved = admin
        .post(
            &format!("{url}/state"),
            &[("to", "resolved"), ("remark", "")],
        )
        .await;
    assert_eq!(resolved.status, StatusCode::SEE_OTHER);
    let base = app.base.clone();
    let not_yet = faro_jobs::incidents::auto_close(app.store(), &base, 7)
        .await
        .unwrap();
    assert_eq!(not_yet, 0);
    let before = app.mails_to("ana@ejemplo.es").len();
    let closed = faro_jobs::incidents::auto_close_before(
        app.store(),
        &base,
        7,
        chrono::Utc::now() + chrono::TimeDelta::minutes(1),
    )
    .await
    .unwrap();
    assert_eq!(closed, 1);
    a1.get(&url)
        .await
        .assert_contains("Cerrada")
        .assert_contains("cerró la incidencia automáticamente");
    let start = std::time::Instant::now();
    while !app
        .mails_to("ana@ejemplo.es")
        .iter()
        .skip(before.saturating_sub(1))
        .any(|m| m.text.contains("nadie respondió en 7 días"))
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "no closing notice"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // A new incident like it: staff see the closed one among similar resolved incidents.
    let again = send(
        &a1,
        "/incidents/new",
        &[
            ("title", "Otra vez el escáner de albaranes se desconecta"),
            ("priority", "low"),
            ("description", "Vuelve a pasar."),
        ],
        vec![],
    )
    .await;
    let second = again.location.unwrap();
    admin
        .get(&second)
        .await
        .assert_contains("Incidencias parecidas ya resueltas")
        .assert_contains(&format!("href=\"{url}\""));
}
