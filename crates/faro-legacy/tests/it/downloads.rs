//! Downloads with versions, on both databases: publishing (streamed uploads), scope per
//! membership, sha256 as shown, Range and ETag, withdrawal (410), counts, "new since your last
//! visit", the size limit (413, nothing kept) and an interrupted upload (nothing kept).

use std::path::Path;

use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::on_both_databases;
use crate::support::{Client, Page, TestApp, create_membership, join, setup_admin};

on_both_databases!(
    publish_fetch_and_count,
    withdrawn_versions_and_latest,
    refused_and_broken_uploads_leave_nothing,
    resources_catalogue
);

pub fn sha_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Deterministic bytes that do not compress or repeat.
pub fn payload(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Posts a multipart form with this client's CSRF token in the action URL, as the page does.
pub async fn upload(
    client: &Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, Vec<u8>)>,
) -> Page {
    let csrf = client.csrf().await;
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        form = form.part(
            "file",
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
        .unwrap_or_else(|e| panic!("{path} {fields:?}: {e}"));
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

pub async fn fetch(
    client: &Client,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = client.http.get(client.url(path));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let h = res.headers().clone();
    (status, h, res.bytes().await.unwrap().to_vec())
}

/// Every file under the file store's folder (staging files included).
pub fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.dir.path().join("files"), &mut out);
    out
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.sql_count(&format!("SELECT COUNT(*) FROM {table}"))
        .await
}

struct World {
    admin: Client,
    a1: Client,
    a2: Client,
    b1: Client,
    a_id: String,
}

async fn world(app: &TestApp) -> World {
    let admin = setup_admin(app).await;
    let a = create_membership(&admin, "Industrias Ejemplo S.A.", "coord@ejemplo.es", true).await;
    let b = create_membership(&admin, "Talleres Otros S.L.", "coord@otros.es", true).await;
    let a1 = join(app, &a.code, "Ana Uno", "ana@ejemplo.es").await;
    let a2 = join(app, &a.code, "Alberto Dos", "alberto@ejemplo.es").await;
    let b1 = join(app, &b.code, "Bea Otra", "bea@otros.es").await;
    World {
        admin,
        a1,
        a2,
        b1,
        a_id: a.id,
    }
}

async fn create_item(admin: &Client, title: &str, membership: Option<&str>) -> String {
    let mut fields = vec![
        ("title", title),
        ("kind", "software"),
        ("category", "Aplicaciones"),
        (
            "description",
            "Programa de **facturación** para la oficina.",
        ),
    ];
    match membership {
        Some(id) => {
            fields.push(("audience", "some"));
            fields.push(("membership", id));
        }
        None => fields.push(("audience", "all")),
    }
    let page = admin.post("/downloads/new", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location.unwrap()
}

async fn publish(admin: &Client, item: &str, label: &str, bytes: Vec<u8>) -> Page {
    upload(
        admin,
        &format!("{item}/versions"),
        &[("label", label), ("notes", "Corrige el cálculo del IVA.")],
        Some(("facturacion-setup.exe", bytes)),
    )
    .await
}

/// The id of the version with `label`, from the item page.
fn version_id(page: &Page, label: &str) -> String {
    let marker = format!("\">Descargar {label}</a>");
    let end = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no link for {label}:\n{}", page.body));
    let start = page.body[..end].rfind("/versions/").unwrap() + "/versions/".len();
    page.body[start..end].to_string()
}

async fn publish_fetch_and_count(app: &TestApp) {
    let w = world(app).await;
    let item = create_item(&w.admin, "Programa de facturación", Some(&w.a_id)).await;
    assert_eq!(item, "/downloads/programa-de-facturacion");
    // Nothing to fetch yet: the client does not see it at all.
    assert_eq!(w.a1.get(&item).await.status, StatusCode::NOT_FOUND);

    let v19 = payload(300_000, 19);
    let v110 = payload(6 * 1024 * 1024 + 17, 110);
    let page = publish(&w.admin, &item, "1.9", v19.clone()).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = publish(&w.admin, &item, "1.10", v110.clone()).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    w.admin
        .follow(page)
        .await
        .assert_contains("Versión 1.10 publicada.");

    // 1.10 is newer than 1.9, and the page shows each file's sha256.
    let shown = w.a1.get(&item).await;
    assert_eq!(shown.status, StatusCode::OK);
    let first = shown.body.find("Versión 1.10").unwrap();
    let second = shown.body.find("Versión 1.9").unwrap();
    assert!(first < second, "newest first");
    shown
        .assert_contains("Vigente")
        .assert_contains("Anterior")
        .assert_contains(&sha_hex(&v110))
        .assert_contains(&sha_hex(&v19))
        .assert_contains("6,0 MB");
    let id110 = version_id(&shown, "1.10");
    let id19 = version_id(&shown, "1.9");

    // The member downloads the newest: bytes and headers as promised.
    let (status, h, body) = fetch(&w.a1, &format!("{item}/latest"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sha_hex(&body), sha_hex(&v110));
    assert_eq!(h["content-length"], v110.len().to_string().as_str());
    assert_eq!(h["content-type"], "application/octet-stream");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["accept-ranges"], "bytes");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"facturacion-setup.exe\"")
    );
    let etag = h["etag"].to_str().unwrap().to_string();
    assert_eq!(etag, format!("\"{}\"", sha_hex(&v110)));
    // Resuming: the right bytes, 206, Content-Range; past the end is 416; a copy already held is 304.
    let (status, h, body) = fetch(
        &w.a1,
        &format!("{item}/versions/{id110}"),
        &[("range", "bytes=5000000-5000099")],
    )
    .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, &v110[5_000_000..5_000_100]);
    assert_eq!(
        h["content-range"],
        format!("bytes 5000000-5000099/{}", v110.len()).as_str()
    );
    let (status, _, body) = fetch(
        &w.a1,
        &format!("{item}/versions/{id19}"),
        &[("range", "bytes=-10")],
    )
    .await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, &v19[v19.len() - 10..]);
    let (status, h, _) = fetch(
        &w.a1,
        &format!("{item}/latest"),
        &[("range", &format!("bytes={}-", v110.len()))],
    )
    .await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        h["content-range"],
        format!("bytes */{}", v110.len()).as_str()
    );
    let (status, _, body) = fetch(
        &w.a1,
        &format!("{item}/latest"),
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());

    // Another membership: the item, its versions and `latest` do not exist; nor in lists or search.
    for path in [
        item.clone(),
        format!("{item}/latest"),
        format!("{item}/versions/{id110}"),
        format!("{item}/versions/{id19}"),
    ] {
        assert_eq!(
            w.b1.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    w.b1.get("/downloads")
        .await
        .assert_lacks("Programa de facturación");
    w.b1.get("/search?q=facturacion")
        .await
        .assert_lacks("programa-de-facturacion");
    w.a1.get("/search?q=facturacion&kind=download")
        .await
        .assert_contains("/downloads/programa-de-facturacion");
    w.a1.get("/search?q=facturacion&kind=articles")
        .await
        .assert_lacks("/downloads/programa-de-facturacion");
    let suggestions = w.a1.get("/search/suggest?q=programa").await;
    assert!(
        suggestions
            .body
            .contains("/downloads/programa-de-facturacion")
    );
    // Clients cannot publish.
    assert_eq!(
        publish(&w.a1, &item, "9.9", payload(10, 1)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.a1.post("/downloads/new", &[("title", "Intruso")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Staff see the counts: the first-byte downloads only (not the resumed ranges or the 304),
    // and who has not fetched the current version yet.
    let staff_view = w.admin.get(&item).await;
    staff_view
        .assert_contains("data-downloads=\"1\"")
        .assert_contains("Alberto Dos")
        .assert_lacks("Ana Uno");
    w.a2.get(&format!("{item}/latest")).await;
    w.admin
        .get(&item)
        .await
        .assert_lacks("Alberto Dos")
        .assert_contains("data-downloads=\"2\"");

    // What is new since the last visit.
    w.a1.get("/downloads").await.assert_lacks("flash flash-ok");
    let page = publish(&w.admin, &item, "1.11", payload(1000, 111)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    w.a1.get("/downloads")
        .await
        .assert_contains("Novedades desde tu última visita: 1")
        .assert_contains(">Nuevo<");
    w.a1.get("/downloads")
        .await
        .assert_lacks("Novedades desde tu última visita");
}

async fn withdrawn_versions_and_latest(app: &TestApp) {
    let w = world(app).await;
    let item = create_item(&w.admin, "Cliente VPN", None).await;
    let old = payload(2000, 1);
    let new = payload(3000, 2);
    publish(&w.admin, &item, "2024.3", old.clone()).await;
    publish(&w.admin, &item, "2025.1", new.clone()).await;
    // Published to all clients: the other membership sees it too.
    assert_eq!(w.b1.get(&item).await.status, StatusCode::OK);
    let page = w.admin.get(&item).await;
    let id_new = version_id(&page, "2025.1");

    // A reason is required.
    let refused = w
        .admin
        .post(
            &format!("{item}/versions/{id_new}/withdraw"),
            &[("reason", "")],
        )
        .await;
    w.admin
        .follow(refused)
        .await
        .assert_contains("Explica el motivo");
    let done = w
        .admin
        .post(
            &format!("{item}/versions/{id_new}/withdraw"),
            &[("reason", "Falla al instalar en Windows 11")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let gone = w.a1.get(&format!("{item}/versions/{id_new}")).await;
    assert_eq!(gone.status, StatusCode::GONE);
    gone.assert_contains("Falla al instalar en Windows 11");
    // `latest` falls back to the newest version still current.
    let (status, _, body) = fetch(&w.a1, &format!("{item}/latest"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, old);
    w.a1.get(&item)
        .await
        .assert_contains("Retirada")
        .assert_contains("Falla al instalar en Windows 11");
    // Put back, it is the latest again.
    let back = w
        .admin
        .post(&format!("{item}/versions/{id_new}/reinstate"), &[])
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    let (_, _, body) = fetch(&w.a1, &format!("{item}/latest"), &[]).await;
    assert_eq!(body, new);
    // Clients cannot withdraw.
    assert_eq!(
        w.a1.post(
            &format!("{item}/versions/{id_new}/withdraw"),
            &[("reason", "no me gusta")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Staff narrow the audience: the other membership loses it at once, search included.
    let narrowed = w
        .admin
        .post(
            &format!("{item}/edit"),
            &[
                ("title", "Cliente VPN"),
                ("kind", "software"),
                ("category", "Redes"),
                ("description", "Cliente VPN corporativo."),
                ("audience", "some"),
                ("membership", &w.a_id),
            ],
        )
        .await;
    assert_eq!(narrowed.status, StatusCode::SEE_OTHER, "{}", narrowed.body);
    assert_eq!(w.b1.get(&item).await.status, StatusCode::NOT_FOUND);
    w.b1.get("/search?q=vpn")
        .await
        .assert_lacks("/downloads/cliente-vpn");
    w.a1.get("/search?q=vpn")
        .await
        .assert_contains("/downloads/cliente-vpn");
    // Junk in the form: 422, every problem named, nothing created or changed.
    let refused = w
        .admin
        .post(
            "/downloads/new",
            &[
                ("title", ""),
                ("kind", "virus"),
                ("category", &"x".repeat(200)),
                ("audience", "some"),
                ("membership", "no-es-un-id"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused
        .assert_contains("Elige un tipo de la lista")
        .assert_contains("Publícalo para todos los clientes o elige al menos una membresía");
    let refused = w
        .admin
        .post(
            &format!("{item}/edit"),
            &[
                ("title", "\u{0}"),
                ("kind", "software"),
                ("audience", "all"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(app, "download_items").await, 1);
    // Junk ids are simply not found.
    for path in [
        format!("{item}/versions/not-a-uuid"),
        format!("{item}/versions/00000000-0000-0000-0000-000000000000"),
        "/downloads/no-existe/latest".to_string(),
        "/downloads/..%2F..%2Fetc/latest".to_string(),
    ] {
        assert_eq!(
            w.a1.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

async fn refused_and_broken_uploads_leave_nothing(app: &TestApp) {
    // The limit under test is the running portal's: 1 MB is configured below via a fresh app.
    let small = TestApp::spawn_with(
        if app.database_url.starts_with("sqlite") {
            crate::support::Db::Sqlite
        } else {
            crate::support::Db::Postgres
        },
        |c| c.download_max_mb = 1,
    )
    .await
    .unwrap();
    let admin = setup_admin(&small).await;
    let item = create_item(&admin, "Manual de usuario", None).await;
    let files_before = count(&small, "stored_files").await;

    // Over the limit: 413, the form explains, and no bytes or rows stay behind.
    let page = publish(&admin, &item, "1.0", payload(2 * 1024 * 1024, 3)).await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    page.assert_contains("supera el tamaño máximo permitido (1,0 MB)");
    // Also when the size is only found out while streaming (no Content-Length). The server
    // answers before the body ends and closes that connection: a connection of its own.
    let streamer = admin.on_new_connections();
    let csrf = streamer.csrf().await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..3).map(|i| Ok(payload(600 * 1024, i))).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let form = reqwest::multipart::Form::new().text("label", "1.1").part(
        "file",
        reqwest::multipart::Part::stream(body).file_name("big.pdf"),
    );
    let res = streamer
        .http
        .post(streamer.url(&format!("{item}/versions?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await;
    if let Ok(res) = res {
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    // A bad label after a good file: the file is dropped.
    let page = publish(&admin, &item, "1/0", payload(1000, 4)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("La versión admite letras");
    // No file at all.
    let page = upload(
        &admin,
        &format!("{item}/versions"),
        &[("label", "1.0")],
        None,
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("Elige un archivo");

    // An upload cut off mid-way (the browser closes): nothing is kept.
    let session = admin.cookie("faro_session").unwrap();
    let addr = small.base.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let boundary = "----faro-test-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\n2.0\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cortado.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    );
    let request = format!(
        "POST {item}/versions?_csrf={csrf} HTTP/1.1\r\nHost: {addr}\r\nCookie: faro_session={session}; faro_csrf={csrf}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{head}",
        head.len() + 900 * 1024 + 100
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    tcp.write_all(&payload(600 * 1024, 9)).await.unwrap();
    tcp.flush().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(tcp);
    // The server notices the closed connection and cleans up.
    let mut clean = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if count(&small, "stored_files").await == files_before && stored_files(&small).is_empty() {
            clean = true;
            break;
        }
    }
    assert!(clean, "left behind: {:?}", stored_files(&small));
    assert_eq!(count(&small, "download_versions").await, 0);

    // A good upload still works, and its bytes are the only ones stored.
    let page = publish(&admin, &item, "1.0", payload(5000, 5)).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(stored_files(&small).len(), 1);
    assert_eq!(count(&small, "stored_files").await, files_before + 1);

    // An upload a crashed node left pending (row and staging file) is swept, bytes first.
    small
        .store()
        .begin_file("objects/2020/01/abandonado", "x.bin")
        .await
        .unwrap();
    std::fs::create_dir_all(small.dir.path().join("files/objects/2020/01")).unwrap();
    std::fs::write(
        small.dir.path().join("files/objects/2020/01/abandonado#1"),
        b"partial",
    )
    .unwrap();
    let files = faro_files::FileStore::open(&faro_files::FileStoreConfig::Local {
        root: small.dir.path().join("files"),
    })
    .unwrap();
    // Within the grace period it is left alone (it may still be streaming in).
    let early = faro_jobs::sweep_unfinished_uploads(
        small.store(),
        &files,
        chrono::Utc::now() - faro_jobs::UPLOAD_GRACE,
    )
    .await
    .unwrap();
    assert_eq!(early, 0);
    let swept = faro_jobs::sweep_unfinished_uploads(
        small.store(),
        &files,
        chrono::Utc::now() + chrono::TimeDelta::minutes(1),
    )
    .await
    .unwrap();
    assert_eq!(swept, 1);
    assert_eq!(stored_files(&small).len(), 1);
    assert_eq!(count(&small, "stored_files").await, files_before + 1);
    small.finish().await;
}

async fn resources_catalogue(app: &TestApp) {
    let w = world(app).await;
    let tool = payload(40_000, 77);
    let page = upload(
        &w.admin,
        "/resources/new",
        &[
            ("name", "7-Zip"),
            ("category", "Compresión"),
            ("url", "https://www.7-zip.org/"),
            ("description", "Compresor de archivos **libre**."),
            ("file_version", "24.08"),
            ("verified_on", "01/11/2026"),
        ],
        Some(("7z2408-x64.exe", tool.clone())),
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let at = page.location.unwrap();
    assert_eq!(at, "/resources/7-zip");
    // Every client sees the catalogue, whatever the membership.
    for member in [&w.a1, &w.b1] {
        member
            .get("/resources")
            .await
            .assert_contains("7-Zip")
            .assert_contains("https://www.7-zip.org/")
            .assert_contains("01/11/2026");
        let shown = member.get(&at).await;
        shown.assert_contains(&sha_hex(&tool));
        let (status, h, body) = fetch(member, "/resources/7-zip/file", &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(sha_hex(&body), sha_hex(&tool));
        assert_eq!(h["content-type"], "application/octet-stream");
    }
    w.b1.get("/search?q=compresor&kind=resource")
        .await
        .assert_contains("/resources/7-zip");
    // Refusals: a script address, a junk date; nothing changes.
    let page = upload(
        &w.admin,
        "/resources/new",
        &[
            ("name", "Trampa"),
            ("url", "javascript:alert(1)"),
            ("verified_on", "31/02/2026"),
        ],
        Some(("x.exe", payload(100, 1))),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("https://");
    assert_eq!(stored_files(app).len(), 1);
    // Clients cannot change the catalogue.
    assert_eq!(
        w.a1.post("/resources/7-zip/delete", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // Staff: a new hosted copy replaces the old bytes; deleting removes them.
    let newer = payload(50_000, 78);
    let page = upload(
        &w.admin,
        "/resources/7-zip/edit",
        &[
            ("name", "7-Zip"),
            ("category", "Compresión"),
            ("url", "https://www.7-zip.org/"),
            ("description", "Compresor de archivos."),
            ("file_version", "24.09"),
            ("verified_on", ""),
        ],
        Some(("7z2409-x64.exe", newer.clone())),
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(stored_files(app).len(), 1);
    let (_, _, body) = fetch(&w.a1, "/resources/7-zip/file", &[]).await;
    assert_eq!(body, newer);
    let verified = w.admin.post("/resources/7-zip/verify", &[]).await;
    w.admin
        .follow(verified)
        .await
        .assert_contains("Marcado como comprobado");
    let gone = w.admin.post("/resources/7-zip/delete", &[]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert!(stored_files(app).is_empty());
    assert_eq!(w.a1.get(&at).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.a1.get("/resources/7-zip/file").await.status,
        StatusCode::NOT_FOUND
    );
}
