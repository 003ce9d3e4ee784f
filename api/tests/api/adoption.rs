//! A data folder made by the last SeaORM release (`tests/fixtures/seaorm-release`: its demo, its
//! database and its file store) opens with this binary and keeps every row: people sign in with
//! their passwords over the API, articles, incidents and downloads (with their files) are all
//! there, scoped as before; and the adopted schema is exactly the one a new database gets.

use std::path::{Path, PathBuf};

use crate::support::{Client, Db, TestApp, sha256_hex};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

fn fixture(db: Db) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seaorm-release")
        .join(match db {
            Db::Sqlite => "sqlite",
            Db::Postgres => "postgres",
        })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The tables whose rows the checks below never change.
const KEPT: [&str; 14] = [
    "memberships",
    "users",
    "kb_categories",
    "kb_articles",
    "kb_revisions",
    "incidents",
    "incident_events",
    "incident_followers",
    "remote_requests",
    "stored_files",
    "download_items",
    "download_versions",
    "download_audience",
    "resources",
];

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

fn counts(url: &str) -> Vec<(String, i64)> {
    let mut c = faro_store::db::connect(url).unwrap();
    KEPT.iter()
        .map(|t| {
            let n = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {t}"))
                .get_result::<Count>(&mut c)
                .unwrap()
                .n;
            (t.to_string(), n)
        })
        .collect()
}

/// Every table, column, index, constraint and trigger, one line each, in a stable order
/// (without the migration bookkeeping of either library).
pub fn schema(url: &str) -> Vec<String> {
    let mut c = faro_store::db::connect(url).unwrap();
    let queries: &[&str] = match c {
        faro_store::db::DbConn::Sqlite(_) => &[
            "SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || COALESCE(sql, '') AS line \
             FROM sqlite_master WHERE name NOT IN ('seaql_migrations', '__diesel_schema_migrations', \
             'sqlite_autoindex_seaql_migrations_1', 'sqlite_autoindex___diesel_schema_migrations_1')",
        ],
        faro_store::db::DbConn::Pg(_) => &[
            "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || \
             COALESCE(character_maximum_length::text, '') || ' ' || is_nullable || ' ' || \
             COALESCE(column_default, '') || ' ' || is_identity AS line \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name NOT IN ('seaql_migrations', '__diesel_schema_migrations')",
            "SELECT 'index ' || indexname || ': ' || indexdef AS line FROM pg_indexes \
             WHERE schemaname = 'public' AND tablename NOT IN ('seaql_migrations', '__diesel_schema_migrations')",
            "SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ': ' || \
             pg_get_constraintdef(oid) AS line FROM pg_constraint \
             WHERE connamespace = 'public'::regnamespace \
             AND conrelid::regclass::text NOT IN ('seaql_migrations', '__diesel_schema_migrations')",
            "SELECT 'trigger ' || tgname || ' ON ' || tgrelid::regclass::text || ': ' || \
             pg_get_triggerdef(oid) AS line FROM pg_trigger WHERE NOT tgisinternal",
            "SELECT 'function ' || proname || ': ' || prosrc AS line FROM pg_proc \
             WHERE pronamespace = 'public'::regnamespace",
        ],
    };
    let mut lines: Vec<String> = queries
        .iter()
        .flat_map(|q| {
            diesel::sql_query(*q)
                .load::<Line>(&mut c)
                .unwrap()
                .into_iter()
                .map(|l| l.line)
        })
        .collect();
    lines.sort();
    lines
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Client {
    let mut c = app.client();
    c.login(email, password).await.expect(200);
    c
}

async fn adopted_without_loss(db: Db) {
    let dir = fixture(db);
    let mut before = Vec::new();
    let Some(app) = TestApp::spawn_prepared(
        db,
        |_| {},
        |url, data| {
            let sql = std::fs::read_to_string(dir.join("faro.sql")).unwrap();
            faro_store::db::connect(url)
                .unwrap()
                .batch_execute(&sql)
                .unwrap();
            copy_dir(&dir.join("files"), &data.join("files"));
            before = counts(url);
        },
    )
    .await
    else {
        return;
    };
    assert!(before.iter().all(|(_, n)| *n > 0), "{before:?}");

    // The schema is the one a new database gets, object for object.
    let fresh = TestApp::spawn(db).await.unwrap();
    assert_eq!(schema(&app.database_url), schema(&fresh.database_url));
    fresh.finish().await;

    // People sign in with the passwords they had.
    let admin = sign_in(&app, "admin@faro.demo", "faro-demo-admin").await;
    let ana = sign_in(
        &app,
        "ana.garcia@industrias-ejemplo.es",
        "faro-demo-miembro",
    )
    .await;
    let jorge = sign_in(&app, "jorge.navarro@talleres-demo.es", "faro-demo-coordina").await;

    // Articles, with their revisions.
    let slug = "configuracion-de-la-impresora-de-red-en-windows-11";
    let article = ana.get(&format!("/api/v1/kb/articles/{slug}")).await;
    article.expect(200);
    assert_eq!(
        article.body["title"],
        "Configuración de la impresora de red en Windows 11"
    );
    let revisions = admin
        .get(&format!("/api/v1/kb/articles/{slug}/revisions"))
        .await;
    revisions.expect(200);
    assert!(
        !revisions.body.as_array().unwrap().is_empty(),
        "its revisions came along: {}",
        revisions.body
    );

    // Incidents, in their membership only.
    let first = ana.get("/api/v1/incidents/INC-2026-0001").await;
    first.expect(200);
    assert_eq!(
        first.body["title"],
        "La línea de envasado no arranca tras el corte de luz"
    );
    jorge
        .get("/api/v1/incidents/INC-2026-0001")
        .await
        .problem(404, "not_found");
    let third = jorge.get("/api/v1/incidents/INC-2026-0003").await;
    third.expect(200);
    assert!(
        third.body["title"]
            .as_str()
            .unwrap()
            .contains("¿Se puede añadir un campo de matrícula")
    );

    // Downloads: the file is still in the file store, byte for byte what its row says.
    let item = ana
        .get("/api/v1/downloads/faroerp-programa-de-gestion")
        .await;
    item.expect(200);
    let got = ana
        .get_bytes("/api/v1/downloads/faroerp-programa-de-gestion/latest")
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(item.body["versions"][0]["sha256"], sha256_hex(&got.bytes));
    assert!(String::from_utf8_lossy(&got.bytes).contains("Archivo de demostración de Faro"));
    // And the resources' hosted copies.
    let resources = ana.get("/api/v1/resources").await;
    let hosted: Vec<&str> = resources.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["hosted"]["url"].as_str())
        .collect();
    assert!(!hosted.is_empty(), "{}", resources.body);
    for url in hosted {
        assert_eq!(ana.get_bytes(url).await.status, 200, "{url}");
    }

    // Nothing was lost.
    assert_eq!(counts(&app.database_url), before);
    app.finish().await;
}

mod a_database_of_the_seaorm_release_is_adopted_without_loss {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        adopted_without_loss(Db::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        adopted_without_loss(Db::Postgres).await;
    }
}
