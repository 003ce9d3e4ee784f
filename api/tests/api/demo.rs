//! `--demo` loads the whole Spanish demo, and everything in it is what the API shows: every
//! account signs in with its printed password; 32 articles; incidents in several states;
//! downloads with versions (one withdrawn), for everyone and for one client, some already
//! fetched; the resources catalogue with a hosted copy.

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(the_demo_is_all_there);

async fn the_demo_is_all_there(app: &TestApp) {
    let files = faro_files::FileStore::open(&faro_files::FileStoreConfig::Local {
        root: app.dir.path().join("files"),
    })
    .unwrap();
    faro_api::demo::load(app.store(), &files).await.unwrap();
    // A second start with `--demo` finds it in place and adds nothing.
    let items = app.sql_count("SELECT COUNT(*) FROM download_items").await;
    faro_api::demo::load(app.store(), &files).await.unwrap();
    assert_eq!(
        app.sql_count("SELECT COUNT(*) FROM download_items").await,
        items
    );

    for line in faro_api::demo::account_lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        let mut c = app.client();
        c.login(parts[2], parts[3]).await.expect(200);
    }
    let mut admin = app.client();
    admin.login("admin@faro.demo", "faro-demo-admin").await;
    let mut ana = app.client();
    ana.login("ana.garcia@industrias-ejemplo.es", "faro-demo-miembro")
        .await;
    let mut jorge = app.client();
    jorge
        .login("jorge.navarro@talleres-demo.es", "faro-demo-coordina")
        .await;

    // The knowledge base: 32 articles, global and per client.
    let mut articles = 0;
    let mut cursor = String::new();
    loop {
        let page = admin
            .get(&format!("/api/v1/kb/articles?limit=100{cursor}"))
            .await;
        articles += page.body["items"].as_array().unwrap().len();
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(articles, 32);

    // Incidents in several states, each client seeing its own.
    let queue = admin.get("/api/v1/incidents?limit=100").await;
    let mut states: Vec<&str> = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    states.sort();
    states.dedup();
    assert!(states.len() >= 3, "{states:?}");
    let theirs = jorge.get("/api/v1/incidents").await;
    assert!(
        theirs.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["membership"]["name"] == "Talleres Demo S.L."),
        "{}",
        theirs.body
    );

    // Downloads: versions, a withdrawn one, one item for Industrias Ejemplo only.
    let all = admin.get("/api/v1/downloads").await;
    let for_ana = ana.get("/api/v1/downloads").await;
    let for_jorge = jorge.get("/api/v1/downloads").await;
    let n = |r: &Reply| r.body["items"].as_array().unwrap().len();
    assert!(n(&all) >= 4);
    assert!(n(&for_ana) < n(&all) && n(&for_jorge) < n(&all));
    let slugs = |r: &Reply| {
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["slug"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_ne!(slugs(&for_ana), slugs(&for_jorge));
    let erp = ana
        .get("/api/v1/downloads/faroerp-programa-de-gestion")
        .await;
    erp.expect(200);
    let versions = erp.body["versions"].as_array().unwrap();
    assert_eq!(versions[0]["label"], "3.10");
    assert_eq!(versions[0]["state"], "current");
    // Ana fetched the previous version, not the current one.
    assert!(versions[0]["fetched_at"].is_null());
    assert!(versions[1]["fetched_at"].is_string());
    let mut found_withdrawn = false;
    for slug in slugs(&all) {
        let item = admin.get(&format!("/api/v1/downloads/{slug}")).await;
        found_withdrawn |= item.body["versions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["state"] == "withdrawn" && v["withdrawal"]["reason"].is_string());
    }
    assert!(found_withdrawn);
    let stats = admin
        .get("/api/v1/downloads/faroerp-programa-de-gestion/stats")
        .await;
    assert!(stats.body["total"].as_u64().unwrap() >= 3, "{}", stats.body);
    let missing = stats.body["missing_current"].to_string();
    assert!(missing.contains("Ana García"), "{missing}");
    assert!(!missing.contains("Jorge Navarro"), "{missing}");
    // Once Ana fetches it, she is off that list.
    let got = ana
        .get_bytes(erp.body["latest_url"].as_str().unwrap())
        .await;
    assert_eq!(sha256_hex(&got.bytes), versions[0]["sha256"]);
    let stats = admin
        .get("/api/v1/downloads/faroerp-programa-de-gestion/stats")
        .await;
    assert!(
        !stats.body["missing_current"]
            .to_string()
            .contains("Ana García")
    );

    // Resources, one with a hosted copy, all checked today.
    let resources = ana.get("/api/v1/resources").await;
    let items = resources.body["items"].as_array().unwrap();
    assert!(items.len() >= 5);
    assert!(items.iter().any(|r| r["hosted"]["sha256"].is_string()));
    assert!(items.iter().all(|r| r["checked_today"] == true));
}
