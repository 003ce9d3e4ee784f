//! Downloads and resources over the API: staff publish items and versions (also from a
//! pipeline with an API key, in one multipart request), clients fetch them through signed
//! addresses with ranges and see them counted; withdrawn versions answer 410; another
//! membership's items are 404 on every endpoint and address; refused and interrupted uploads
//! keep nothing; the resources catalogue with its hosted copies.

use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(downloads_are_published_fetched_counted_and_scoped);
on_both_databases!(versions_are_withdrawn_and_published_by_pipelines);
on_both_databases!(resources_catalogue);

/// `len` bytes that do not compress and differ per `seed`.
fn payload(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

async fn create_item(staff: &Client, title: &str, memberships: &[&str]) -> Value {
    let r = staff
        .post(
            "/api/v1/downloads",
            json!({
                "kind": "software",
                "title": title,
                "description": "Instalador para **Windows 11**.",
                "category": "Aplicaciones",
                "all_clients": memberships.is_empty(),
                "memberships": memberships,
            }),
        )
        .await;
    r.expect(201);
    assert_eq!(
        r.header("location"),
        format!("/api/v1/downloads/{}", r.body["slug"].as_str().unwrap())
    );
    r.body
}

async fn publish(staff: &Client, slug: &str, label: &str, bytes: Vec<u8>) -> Value {
    let r = staff
        .form(
            &format!("/api/v1/downloads/{slug}/versions"),
            &[("label", label), ("notes", "- Corrige el **IVA**.")],
            &[("file", &format!("setup-{label}.exe"), bytes)],
        )
        .await;
    r.expect(201);
    r.body
}

fn slugs(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap().to_owned())
        .collect()
}

async fn signer_keys(app: &TestApp) -> faro_api::auth::jwt::JwtKeys {
    faro_api::auth::jwt::JwtKeys::load(None, app.dir.path(), std::time::Duration::from_secs(600))
        .unwrap()
}

async fn downloads_are_published_fetched_counted_and_scoped(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let alba = join(app, &a_code, "Alba de A", "alba@a.es").await;
    let bea = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let pablo = staff_member(app, &admin, "pablo@soporte.example.es", "Pablo Técnico").await;

    let erp = create_item(&pablo, "FaroERP, programa de gestión", &[]).await;
    let erp_slug = erp["slug"].as_str().unwrap().to_owned();
    assert_eq!(erp["all_clients"], true);
    assert_eq!(erp["versions"], json!([]));
    assert!(erp["latest_url"].is_null());
    assert_eq!(
        erp["description_html"],
        "<p>Instalador para <strong>Windows 11</strong>.</p>\n"
    );
    let manual = create_item(&pablo, "Manual de la línea de envasado", &[&a_id]).await;
    let manual_slug = manual["slug"].as_str().unwrap().to_owned();
    assert_eq!(manual["memberships"][0]["name"], "Empresa A");

    // Nothing to fetch yet: clients do not see the items at all.
    assert_eq!(
        slugs(&ana.get("/api/v1/downloads").await.body),
        Vec::<String>::new()
    );
    ana.get(&format!("/api/v1/downloads/{erp_slug}"))
        .await
        .problem(404, "not_found");
    assert_eq!(slugs(&pablo.get("/api/v1/downloads").await.body).len(), 2);

    // Versions, ordered as people read them: 1.10 is newer than 1.9.
    let v19 = publish(&pablo, &erp_slug, "1.9", payload(150_000, 1)).await;
    let bytes = payload(300_000, 2);
    let v110 = publish(&pablo, &erp_slug, "1.10", bytes.clone()).await;
    assert_eq!(v110["size"], 300_000);
    assert_eq!(v110["sha256"], sha256_hex(&bytes));
    assert_eq!(v110["published_by"], "Pablo Técnico");
    assert_eq!(v110["state"], "current");
    assert_eq!(
        v110["notes_html"],
        "<ul>\n<li>Corrige el <strong>IVA</strong>.</li>\n</ul>\n"
    );
    let manual_bytes = payload(20_000, 3);
    let m10 = publish(&pablo, &manual_slug, "1.0", manual_bytes.clone()).await;
    // The same label twice is refused, and its bytes are not kept.
    let files_before = app.sql_count("SELECT COUNT(*) FROM stored_files").await;
    pablo
        .form(
            &format!("/api/v1/downloads/{erp_slug}/versions"),
            &[("label", "1.10")],
            &[("file", "otra.exe", payload(1000, 4))],
        )
        .await
        .problem(409, "version_exists");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM stored_files").await,
        files_before
    );

    let item = ana.get(&format!("/api/v1/downloads/{erp_slug}")).await;
    item.expect(200);
    let labels: Vec<&str> = item.body["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["1.10", "1.9"]);
    assert_eq!(item.body["versions"][1]["state"], "superseded");
    assert_eq!(item.body["current"]["label"], "1.10");
    // Clients are not told who else an item is published to.
    let manual_for_ana = ana.get(&format!("/api/v1/downloads/{manual_slug}")).await;
    assert_eq!(manual_for_ana.body["memberships"], json!([]));
    assert_eq!(manual_for_ana.body["all_clients"], false);

    // Each membership sees what is published to it.
    let mut for_ana = slugs(&ana.get("/api/v1/downloads").await.body);
    for_ana.sort();
    let mut both = vec![erp_slug.clone(), manual_slug.clone()];
    both.sort();
    assert_eq!(for_ana, both);
    assert_eq!(
        slugs(&bea.get("/api/v1/downloads").await.body),
        vec![erp_slug.clone()]
    );
    let filtered = ana.get("/api/v1/downloads?kind=document").await;
    assert_eq!(slugs(&filtered.body), Vec::<String>::new());
    let filtered = ana.get("/api/v1/downloads?category=Aplicaciones").await;
    assert_eq!(slugs(&filtered.body).len(), 2);

    // Another membership's item is 404 on every endpoint, as if it did not exist.
    let m10_id = m10["id"].as_str().unwrap();
    for path in [
        format!("/api/v1/downloads/{manual_slug}"),
        format!("/api/v1/downloads/{manual_slug}/latest"),
        format!("/api/v1/downloads/{manual_slug}/versions/{m10_id}"),
        format!("/api/v1/downloads/{manual_slug}/versions/{m10_id}/file"),
        format!("/api/v1/downloads/{manual_slug}/stats"),
        // Its version through an item Bea does see.
        format!("/api/v1/downloads/{erp_slug}/versions/{m10_id}"),
        format!("/api/v1/downloads/{erp_slug}/versions/{m10_id}/file"),
        format!("/api/v1/downloads/{erp_slug}/versions/not-an-id/file"),
    ] {
        let r = bea.get_bytes(&path).await;
        assert_eq!(r.status, 404, "{path}");
    }
    // With an API key of Bea's the same.
    let key = bea
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Intranet B", "scope": "read"}),
        )
        .await;
    key.expect(201);
    let bea_key = app
        .client()
        .with_token(key.body["secret"].as_str().unwrap());
    for path in [
        format!("/api/v1/downloads/{manual_slug}"),
        format!("/api/v1/downloads/{manual_slug}/latest"),
        format!("/api/v1/downloads/{manual_slug}/versions/{m10_id}/file"),
    ] {
        assert_eq!(bea_key.get_bytes(&path).await.status, 404, "{path}");
    }
    assert_eq!(
        slugs(&bea_key.get("/api/v1/downloads").await.body),
        vec![erp_slug.clone()]
    );
    // An address signed with the server's keys for Bea, naming Ana's version, opens nothing;
    // the same signed for Ana opens it.
    let keys = signer_keys(app).await;
    let version_ref = faro_api::signed::FileRef::Version(m10_id.parse().unwrap());
    let as_bea = principal_of(app, &bea).await;
    let url = faro_api::signed::Signer::new(&keys, as_bea.person.id, as_bea.token_version)
        .url(version_ref)
        .unwrap();
    assert_eq!(app.client().get_bytes(&url).await.status, 404);
    let as_ana = principal_of(app, &ana).await;
    let url = faro_api::signed::Signer::new(&keys, as_ana.person.id, as_ana.token_version)
        .url(version_ref)
        .unwrap();
    let got = app.client().get_bytes(&url).await;
    assert_eq!((got.status, got.bytes.len()), (200, manual_bytes.len()));
    // Clients cannot change anything (the endpoints do not exist for them).
    ana.post(
        "/api/v1/downloads",
        json!({"kind": "document", "title": "Lo mío"}),
    )
    .await
    .problem(404, "not_found");
    let r = ana
        .form(
            &format!("/api/v1/downloads/{erp_slug}/versions"),
            &[("label", "9.9")],
            &[("file", "x.exe", payload(10_000, 5))],
        )
        .await;
    r.problem(404, "not_found");
    ana.get(&format!("/api/v1/downloads/{erp_slug}/stats"))
        .await
        .problem(404, "not_found");

    // Fetching: through the signed address, the bytes whose SHA-256 the item shows.
    let latest_url = item.body["latest_url"].as_str().unwrap().to_owned();
    let anyone = app.client();
    let got = anyone.get_bytes(&latest_url).await;
    assert_eq!(got.status, 200);
    assert_eq!(sha256_hex(&got.bytes), item.body["versions"][0]["sha256"]);
    assert_eq!(got.header("content-length"), "300000");
    assert_eq!(got.header("content-type"), "application/octet-stream");
    assert_eq!(got.header("etag"), format!("\"{}\"", sha256_hex(&bytes)));
    assert_eq!(got.header("accept-ranges"), "bytes");
    assert!(
        got.header("content-disposition").contains("setup-1.10.exe"),
        "{}",
        got.header("content-disposition")
    );
    // Resuming: the rest from byte 100 000 (not counted again), If-Range with the ETag.
    let etag = got.header("etag");
    let rest = anyone
        .get_bytes_with(
            &latest_url,
            &[("range", "bytes=100000-"), ("if-range", &etag)],
        )
        .await;
    assert_eq!(rest.status, 206);
    assert_eq!(rest.bytes, &bytes[100_000..]);
    assert_eq!(rest.header("content-range"), "bytes 100000-299999/300000");
    // If-Range naming another file: the whole file.
    let stale = anyone
        .get_bytes_with(
            &latest_url,
            &[("range", "bytes=100000-"), ("if-range", "\"otro\"")],
        )
        .await;
    assert_eq!((stale.status, stale.bytes.len()), (200, 300_000));
    assert_eq!(
        anyone
            .get_bytes_with(&latest_url, &[("range", "bytes=400000-")])
            .await
            .status,
        416
    );
    assert_eq!(
        anyone
            .get_bytes_with(&latest_url, &[("if-none-match", &etag)])
            .await
            .status,
        304
    );
    // With the bearer token too, for scripts.
    let direct = ana
        .get_bytes(&format!("/api/v1/downloads/{erp_slug}/latest"))
        .await;
    assert_eq!(direct.bytes, bytes);

    // Counted: three full downloads by Ana of 1.10 (the stale If-Range and the direct one are
    // whole downloads; the resumed part, the 416 and the 304 are not).
    let stats = pablo
        .get(&format!("/api/v1/downloads/{erp_slug}/stats"))
        .await;
    stats.expect(200);
    let v = &stats.body["versions"];
    assert_eq!(v[0]["label"], "1.10");
    assert_eq!(
        (v[0]["downloads"].as_u64(), v[0]["people"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(v[1]["downloads"], 0);
    assert_eq!(stats.body["total"], 3);
    // Who has not fetched the current version: Alba in A, Bea in B; not Ana.
    let missing = stats.body["missing_current"].as_array().unwrap();
    let of = |name: &str| -> Vec<String> {
        missing
            .iter()
            .find(|m| m["membership"]["name"] == name)
            .map(|m| {
                m["people"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(
        of("Empresa A").contains(&"Alba de A".to_owned()),
        "{missing:?}"
    );
    assert!(!of("Empresa A").contains(&"Ana de A".to_owned()));
    assert!(of("Empresa B").contains(&"Bea de B".to_owned()));
    // "You fetched it on …", per version and per person.
    let mine = ana.get(&format!("/api/v1/downloads/{erp_slug}")).await;
    assert!(mine.body["versions"][0]["fetched_at"].is_string());
    assert!(mine.body["versions"][1]["fetched_at"].is_null());
    let theirs = alba.get(&format!("/api/v1/downloads/{erp_slug}")).await;
    assert!(theirs.body["versions"][0]["fetched_at"].is_null());

    // New since the last visit: a visit is marked, then a version comes out.
    let list = ana.get("/api/v1/downloads").await;
    assert!(list.body["last_visit"].is_null());
    assert_eq!(list.body["new_count"], 0);
    let first = ana.post_empty("/api/v1/me/downloads-visit").await;
    first.expect(200);
    assert!(first.body.is_null());
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    publish(&pablo, &erp_slug, "1.11", payload(1000, 6)).await;
    let list = ana.get("/api/v1/downloads").await;
    assert!(list.body["last_visit"].is_string());
    assert_eq!(list.body["new_count"], 1);
    let new: Vec<(String, bool)> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["slug"].as_str().unwrap().to_owned(),
                i["new"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(new.contains(&(erp_slug.clone(), true)), "{new:?}");
    assert!(new.contains(&(manual_slug.clone(), false)), "{new:?}");
    let again = ana.post_empty("/api/v1/me/downloads-visit").await;
    assert!(again.body.is_string());
    assert_eq!(ana.get("/api/v1/downloads").await.body["new_count"], 0);

    // Staff edit an item: the audience moves from everyone to A only, and Bea loses it,
    // with the addresses she was given.
    let bea_url = bea.get(&format!("/api/v1/downloads/{erp_slug}")).await.body["latest_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(app.client().get_bytes(&bea_url).await.status, 200);
    let r = pablo
        .put(
            &format!("/api/v1/downloads/{erp_slug}"),
            json!({"kind": "software", "title": "FaroERP", "category": "Aplicaciones", "all_clients": false, "memberships": [a_id]}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["title"], "FaroERP");
    assert_eq!(r.body["versions"].as_array().unwrap().len(), 3);
    bea.get(&format!("/api/v1/downloads/{erp_slug}"))
        .await
        .problem(404, "not_found");
    assert_eq!(app.client().get_bytes(&bea_url).await.status, 404);
    // Staff's addresses still open, older versions too.
    assert_eq!(
        app.client()
            .get_bytes(v19["url"].as_str().unwrap())
            .await
            .status,
        200
    );

    // Junk is refused with every field named, and nothing is created.
    let before = app.sql_count("SELECT COUNT(*) FROM download_items").await;
    let r = pablo
        .post(
            "/api/v1/downloads",
            json!({"kind": "software", "title": "x", "category": "a\u{7}b", "all_clients": false}),
        )
        .await;
    r.problem(422, "validation_failed");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(fields, ["category", "memberships", "title"]);
    pablo
        .post(
            "/api/v1/downloads",
            json!({"kind": "software", "title": "Otra", "all_clients": false, "memberships": [uuid::Uuid::now_v7()]}),
        )
        .await
        .problem(422, "validation_failed");
    let r = pablo
        .post(
            "/api/v1/downloads",
            json!({"kind": "video", "title": "Otra"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    let r = pablo
        .post(
            "/api/v1/downloads",
            json!({"kind": "document", "title": "Otra", "color": "rojo"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    pablo
        .get("/api/v1/downloads?kind=video")
        .await
        .problem(422, "validation_failed");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM download_items").await,
        before
    );
    // A version form with a bad label, without a file, or not a form at all.
    let files_before = app.sql_count("SELECT COUNT(*) FROM stored_files").await;
    let on_disk = walk(&app.dir.path().join("files")).len();
    let r = pablo
        .form(
            &format!("/api/v1/downloads/{erp_slug}/versions"),
            &[("label", "1/0")],
            &[("file", "x.exe", payload(5000, 7))],
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["label"]);
    let r = pablo
        .form(
            &format!("/api/v1/downloads/{erp_slug}/versions"),
            &[("label", "2.0")],
            &[],
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.fields(), ["file"]);
    let r = pablo
        .form(
            &format!("/api/v1/downloads/{erp_slug}/versions"),
            &[("label", "2.0"), ("colour", "x")],
            &[("file", "x.exe", payload(5000, 8))],
        )
        .await;
    r.problem(422, "validation_failed");
    pablo
        .post(
            &format!("/api/v1/downloads/{erp_slug}/versions"),
            json!({"label": "2.0"}),
        )
        .await
        .problem(415, "unsupported_media_type");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM stored_files").await,
        files_before
    );
    assert_eq!(walk(&app.dir.path().join("files")).len(), on_disk);
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM download_versions")
            .await,
        4
    );
}

async fn versions_are_withdrawn_and_published_by_pipelines(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (_a, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let pablo = staff_member(app, &admin, "pablo@soporte.example.es", "Pablo Técnico").await;
    let item = create_item(&pablo, "Agente de copias", &[]).await;
    let slug = item["slug"].as_str().unwrap().to_owned();
    let good = payload(50_000, 11);
    let v1 = publish(&pablo, &slug, "2.0-rc1", good.clone()).await;
    let v2 = publish(&pablo, &slug, "2.0", payload(60_000, 12)).await;
    let v2_id = v2["id"].as_str().unwrap().to_owned();
    assert_eq!(
        ana.get(&format!("/api/v1/downloads/{slug}")).await.body["current"]["label"],
        "2.0"
    );
    let v2_url = ana
        .get(&format!("/api/v1/downloads/{slug}/versions/{v2_id}"))
        .await
        .body["url"]
        .as_str()
        .unwrap()
        .to_owned();

    // Withdrawn with a reason: its file is 410 with the reason, in the caller's language, on
    // every address; the release candidate becomes current again.
    pablo
        .put(
            &format!("/api/v1/downloads/{slug}/versions/{v2_id}/withdrawal"),
            json!({"reason": "no"}),
        )
        .await
        .problem(422, "validation_failed");
    let r = pablo
        .put(
            &format!("/api/v1/downloads/{slug}/versions/{v2_id}/withdrawal"),
            json!({"reason": "Corrompe la base de datos al actualizar desde la 1.8."}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["state"], "withdrawn");
    assert!(r.body["url"].is_null());
    assert_eq!(
        r.body["withdrawal"]["reason"],
        "Corrompe la base de datos al actualizar desde la 1.8."
    );
    for path in [
        v2_url.clone(),
        format!("/api/v1/downloads/{slug}/versions/{v2_id}/file"),
    ] {
        let r = ana.get(&path).await;
        r.problem(410, "version_withdrawn");
        assert!(
            r.body["detail"]
                .as_str()
                .unwrap()
                .contains("Corrompe la base de datos"),
            "{}",
            r.body
        );
    }
    let item_now = ana.get(&format!("/api/v1/downloads/{slug}")).await;
    assert_eq!(item_now.body["current"]["label"], "2.0-rc1");
    assert_eq!(item_now.body["versions"][0]["state"], "withdrawn");
    let latest = ana
        .get_bytes(&format!("/api/v1/downloads/{slug}/latest"))
        .await;
    assert_eq!(latest.bytes, good);
    // Put back: current again.
    let r = pablo
        .delete(&format!(
            "/api/v1/downloads/{slug}/versions/{v2_id}/withdrawal"
        ))
        .await;
    r.expect(200);
    assert_eq!(r.body["state"], "current");
    assert_eq!(ana.get_bytes(&v2_url).await.status, 200);
    // Withdrawing the only versions leaves no `latest`.
    for id in [v1["id"].as_str().unwrap(), &v2_id] {
        pablo
            .put(
                &format!("/api/v1/downloads/{slug}/versions/{id}/withdrawal"),
                json!({"reason": "Sustituido por el nuevo agente."}),
            )
            .await
            .expect(200);
    }
    // Every version withdrawn: the item is still there, with nothing current to fetch.
    let r = ana.get(&format!("/api/v1/downloads/{slug}/latest")).await;
    r.problem(409, "no_current_version");
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .contains("ninguna versión vigente"),
        "{}",
        r.body
    );
    ana.put(
        &format!("/api/v1/downloads/{slug}/versions/{v2_id}/withdrawal"),
        json!({"reason": "Yo también quiero retirarla."}),
    )
    .await
    .problem(404, "not_found");

    // A build pipeline with a staff API key: one multipart request publishes a version.
    let key = pablo
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Integración continua", "scope": "read_write"}),
        )
        .await;
    key.expect(201);
    let pipeline = app
        .client()
        .with_token(key.body["secret"].as_str().unwrap());
    let build = payload(80_000, 13);
    let r = pipeline
        .form(
            &format!("/api/v1/downloads/{slug}/versions"),
            &[("label", "2.1"), ("notes", "Compilación 4711.")],
            &[("file", "agente-2.1.msi", build.clone())],
        )
        .await;
    r.expect(201);
    assert_eq!(r.body["sha256"], sha256_hex(&build));
    assert_eq!(r.body["published_by"], "Pablo Técnico");
    let got = ana
        .get_bytes(&format!("/api/v1/downloads/{slug}/latest"))
        .await;
    assert_eq!(sha256_hex(&got.bytes), sha256_hex(&build));
    let audit = admin.get("/api/v1/audit-events").await;
    assert!(audit.body.to_string().contains("2.1"), "{}", audit.body);
    // A read-only key may fetch but not publish.
    let key = pablo
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Solo lectura", "scope": "read"}),
        )
        .await;
    let reader = app
        .client()
        .with_token(key.body["secret"].as_str().unwrap());
    reader
        .form(
            &format!("/api/v1/downloads/{slug}/versions"),
            &[("label", "2.2")],
            &[("file", "agente-2.2.msi", payload(1000, 14))],
        )
        .await
        .problem(403, "read_only_key");
    assert_eq!(
        reader
            .get_bytes(&format!("/api/v1/downloads/{slug}/latest"))
            .await
            .bytes,
        build
    );
}

/// With versions at most 1 MB (`FARO_DOWNLOAD_MAX_MB=1`), on both databases.
mod uploads_refused_or_cut_short_keep_nothing {
    use crate::support::{Db, TestApp};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = TestApp::spawn_with(Db::Sqlite, |c| c.download_max_mb = 1)
            .await
            .expect("sqlite always runs");
        super::refused_uploads(&app).await;
        app.finish().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_with(Db::Postgres, |c| c.download_max_mb = 1).await {
            super::refused_uploads(&app).await;
            app.finish().await;
        }
    }
}

async fn refused_uploads(app: &TestApp) {
    let admin = setup_admin(app).await;
    let item = create_item(&admin, "Manual de usuario", &[]).await;
    let slug = item["slug"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/downloads/{slug}/versions");
    let files_before = app.sql_count("SELECT COUNT(*) FROM stored_files").await;
    let files_dir = app.dir.path().join("files");

    // Over the limit, declared: 413 naming the limit.
    let r = admin
        .form(
            &path,
            &[("label", "1.0")],
            &[("file", "big.pdf", payload(2 * 1024 * 1024, 1))],
        )
        .await;
    r.problem(413, "payload_too_large");
    assert!(
        r.body["detail"].as_str().unwrap().contains("1 MB"),
        "{}",
        r.body
    );
    // A text field sent twice is pointed out, not picked from (nothing is stored).
    let r = admin
        .form(
            &path,
            &[("label", "1.0"), ("notes", "Primera"), ("notes", "Segunda")],
            &[("file", "manual.pdf", payload(10 * 1024, 3))],
        )
        .await;
    r.problem(422, "validation_failed");
    assert_eq!(r.body["errors"][0]["field"], "notes", "{}", r.body);
    assert_eq!(r.body["errors"][0]["code"], "repeated_field", "{}", r.body);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("más de una vez"),
        "{}",
        r.body
    );
    assert!(walk(&files_dir).is_empty());

    // Found out only while streaming (chunked, no Content-Length).
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..3).map(|i| Ok(payload(600 * 1024, i))).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let form = reqwest::multipart::Form::new().text("label", "1.1").part(
        "file",
        reqwest::multipart::Part::stream(body).file_name("big.pdf"),
    );
    let res = reqwest::Client::new()
        .post(format!("{}{path}", app.base))
        .bearer_auth(admin.token.as_deref().unwrap())
        .multipart(form)
        .send()
        .await;
    if let Ok(res) = res {
        assert_eq!(res.status(), 413);
    }
    assert!(
        walk(&files_dir).is_empty(),
        "left behind: {:?}",
        walk(&files_dir)
    );

    // Cut off mid-way (the connection closes): nothing is kept.
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let boundary = "----faro-test-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\n2.0\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cortado.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    );
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{head}",
        admin.token.as_deref().unwrap(),
        head.len() + 900 * 1024 + 100
    );
    tcp.write_all(request.as_bytes()).await.unwrap();
    tcp.write_all(&payload(600 * 1024, 9)).await.unwrap();
    tcp.flush().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(tcp);
    let mut gone = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if app.sql_count("SELECT COUNT(*) FROM stored_files").await == files_before
            && walk(&files_dir).is_empty()
        {
            gone = true;
            break;
        }
    }
    assert!(gone, "left behind: {:?}", walk(&files_dir));
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM download_versions")
            .await,
        0
    );

    // A good upload still works, and its bytes are the only ones stored.
    let ok = payload(900 * 1024, 5);
    let v = publish(&admin, &slug, "1.0", ok.clone()).await;
    assert_eq!(v["sha256"], sha256_hex(&ok));
    assert_eq!(walk(&files_dir).len(), 1);
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM stored_files").await,
        files_before + 1
    );
}

async fn resources_catalogue(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (_a, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let ana = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let pablo = staff_member(app, &admin, "pablo@soporte.example.es", "Pablo Técnico").await;

    // Added as JSON (official address only) and as a form with a hosted copy.
    let r = pablo
        .post(
            "/api/v1/resources",
            json!({"name": "Notepad++", "description": "Editor de texto.", "category": "Utilidades", "url": "https://notepad-plus-plus.org/"}),
        )
        .await;
    r.expect(201);
    assert!(r.body["hosted"].is_null());
    assert!(r.body["checked_on"].is_null());
    assert_eq!(r.body["checked_today"], false);
    let notepad = r.body["slug"].as_str().unwrap().to_owned();
    let copy = payload(40_000, 21);
    let r = pablo
        .form(
            "/api/v1/resources",
            &[
                ("name", "7-Zip"),
                ("description", "Compresor **libre**."),
                ("category", "Utilidades"),
                ("url", "https://www.7-zip.org/"),
                ("version", "24.08"),
                ("checked_on", "2026-11-02"),
            ],
            &[("file", "7z2408-x64.exe", copy.clone())],
        )
        .await;
    r.expect(201);
    assert_eq!(
        r.body["description_html"],
        "<p>Compresor <strong>libre</strong>.</p>\n"
    );
    assert_eq!(r.body["hosted"]["version"], "24.08");
    assert_eq!(r.body["hosted"]["sha256"], sha256_hex(&copy));
    assert_eq!(r.body["checked_on"], "2026-11-02");
    let zip = r.body["slug"].as_str().unwrap().to_owned();

    // Every signed-in person reads it, and fetches the hosted copy with its SHA-256.
    let list = ana.get("/api/v1/resources").await;
    list.expect(200);
    let names: Vec<&str> = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["7-Zip", "Notepad++"]);
    let mine = ana.get(&format!("/api/v1/resources/{zip}")).await;
    let got = app
        .client()
        .get_bytes(mine.body["hosted"]["url"].as_str().unwrap())
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(sha256_hex(&got.bytes), mine.body["hosted"]["sha256"]);
    let part = ana
        .get_bytes_with(
            &format!("/api/v1/resources/{zip}/file"),
            &[("range", "bytes=0-9")],
        )
        .await;
    assert_eq!((part.status, part.bytes.as_slice()), (206, &copy[..10]));
    ana.get(&format!("/api/v1/resources/{notepad}/file"))
        .await
        .problem(404, "not_found");
    app.client()
        .get("/api/v1/resources")
        .await
        .problem(401, "unauthorized");

    // Checked today.
    let r = pablo
        .post_empty(&format!("/api/v1/resources/{notepad}/check"))
        .await;
    r.expect(200);
    assert_eq!(r.body["checked_today"], true);
    assert!(r.body["checked_on"].is_string());

    // A new copy replaces the old one, whose bytes go.
    let files_dir = app.dir.path().join("files");
    assert_eq!(walk(&files_dir).len(), 1);
    let newer = payload(45_000, 22);
    let r = pablo
        .send_form(
            reqwest::Method::PUT,
            &format!("/api/v1/resources/{zip}"),
            &[
                ("name", "7-Zip"),
                ("category", "Utilidades"),
                ("url", "https://www.7-zip.org/"),
                ("version", "24.09"),
                ("checked_on", "03/11/2026"),
            ],
            &[("file", "7z2409-x64.exe", newer.clone())],
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["hosted"]["sha256"], sha256_hex(&newer));
    assert_eq!(r.body["checked_on"], "2026-11-03");
    assert_eq!(walk(&files_dir).len(), 1);
    // JSON keeps the copy.
    let r = pablo
        .put(
            &format!("/api/v1/resources/{zip}"),
            json!({"name": "7-Zip", "url": "https://www.7-zip.org/", "version": "24.09", "category": "Compresores"}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["hosted"]["file_name"], "7z2409-x64.exe");
    assert_eq!(r.body["category"], "Compresores");
    // Stop hosting it.
    let r = pablo.delete(&format!("/api/v1/resources/{zip}/file")).await;
    r.expect(200);
    assert!(r.body["hosted"].is_null());
    assert!(walk(&files_dir).is_empty());

    // Junk is refused with every field named; clients change nothing.
    let before = app.sql_count("SELECT COUNT(*) FROM resources").await;
    let r = pablo
        .post(
            "/api/v1/resources",
            json!({"name": "x", "url": "javascript:alert(1)", "version": "1/2", "checked_on": "mañana"}),
        )
        .await;
    r.problem(422, "validation_failed");
    let mut fields = r.fields();
    fields.sort();
    assert_eq!(fields, ["checked_on", "name", "url", "version"]);
    let r = pablo
        .form(
            "/api/v1/resources",
            &[("name", "Roto"), ("url", "ftp://x.org")],
            &[("file", "roto.exe", payload(1000, 23))],
        )
        .await;
    r.problem(422, "validation_failed");
    assert!(walk(&files_dir).is_empty());
    ana.post(
        "/api/v1/resources",
        json!({"name": "Lo mío", "url": "https://example.com/"}),
    )
    .await
    .problem(404, "not_found");
    ana.delete(&format!("/api/v1/resources/{notepad}"))
        .await
        .problem(404, "not_found");
    ana.post_empty(&format!("/api/v1/resources/{notepad}/check"))
        .await
        .problem(404, "not_found");
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM resources").await,
        before
    );

    // Removed.
    pablo
        .delete(&format!("/api/v1/resources/{notepad}"))
        .await
        .expect(204);
    ana.get(&format!("/api/v1/resources/{notepad}"))
        .await
        .problem(404, "not_found");
}
