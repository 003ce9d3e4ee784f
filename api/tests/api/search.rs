//! Search over the API: Spanish relevance (accents, capitals, word forms, a typo, phrases,
//! exclusion), filters, highlighted passages, cursor pages, suggestions and related articles,
//! and the scope rule: another membership's articles never appear, not even in counts or
//! suggestions.

use serde_json::{Value, json};

use crate::support::*;
use crate::{on_both_databases, with_meilisearch};

on_both_databases!(
    search_finds_spanish_words_within_the_callers_scope,
    one_node_at_a_time_pushes_a_shared_index,
);
with_meilisearch!(
    meilisearch: search_finds_spanish_words_within_the_callers_scope,
    meilisearch_nodes: two_nodes_share_one_meilisearch_index,
);

async fn publish(
    staff: &Client,
    title: &str,
    body: &str,
    kind: &str,
    membership: Option<&str>,
) -> String {
    let r = staff
        .post(
            "/api/v1/kb/articles",
            json!({"title": title, "summary": "", "body": body, "kind": kind,
                   "category_id": null, "membership_id": membership, "state": "published"}),
        )
        .await;
    r.expect(201);
    r.body["slug"].as_str().unwrap().to_string()
}

fn titles(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

async fn search(c: &Client, query: &str) -> Reply {
    let r = c.get(&format!("/api/v1/search?{query}")).await;
    r.expect(200);
    r
}

fn q(text: &str) -> String {
    format!(
        "q={}",
        form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>()
    )
}

async fn search_finds_spanish_words_within_the_callers_scope(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (b_id, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let member_a = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let member_b = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let printers = publish(
        &admin,
        "Configuración de las impresoras",
        "Para añadir una impresora de red abre el panel de control y pulsa «Agregar dispositivo».",
        "tutorial",
        None,
    )
    .await;
    publish(
        &admin,
        "Copias de seguridad nocturnas",
        "La copia de seguridad se ejecuta cada noche a las dos; revisa el informe del servidor.",
        "procedure",
        None,
    )
    .await;
    publish(
        &admin,
        "¿Qué hago si la VPN no conecta?",
        "Comprueba la conexión a internet y reinicia el cliente VPN de la impresora de etiquetas.",
        "faq",
        None,
    )
    .await;
    publish(
        &admin,
        "Servidor secreto de Empresa B",
        "La impresora de la planta de Empresa B está en el servidor secreto.",
        "tutorial",
        Some(&b_id),
    )
    .await;
    publish(
        &admin,
        "Red interna de Empresa A",
        "La impresora del almacén de Empresa A usa la red interna.",
        "tutorial",
        Some(&a_id),
    )
    .await;
    let draft = admin
        .post(
            "/api/v1/kb/articles",
            json!({"title": "Borrador sobre impresoras", "kind": "faq", "category_id": null,
                   "membership_id": null, "body": "impresora"}),
        )
        .await;
    draft.expect(201);

    // Accents and capitals do not matter; plurals and other forms match; results carry
    // highlighted passages and where to open them.
    for text in [
        "CONFIGURACION impresora",
        "configuración impresoras",
        "Impresoras",
    ] {
        let r = search(&member_a, &q(text)).await;
        assert!(
            titles(&r).contains(&"Configuración de las impresoras".to_string()),
            "{text}: {:?}",
            titles(&r)
        );
    }
    let r = search(&member_a, &q("impresoras")).await;
    let hit = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["link"] == format!("/kb/{printers}"))
        .unwrap()
        .clone();
    assert_eq!(hit["type"], "article");
    assert_eq!(hit["kind"], "tutorial");
    assert_eq!(hit["api_url"], format!("/api/v1/kb/articles/{printers}"));
    assert!(
        hit["snippet_html"].as_str().unwrap().contains("<b>"),
        "{hit}"
    );
    assert!(
        hit["title_html"]
            .as_str()
            .unwrap()
            .contains("<b>impresoras</b>"),
        "{hit}"
    );
    // Scope: A's people find A's article and never B's, nor the draft; counts agree.
    let found = titles(&r);
    assert!(
        found.contains(&"Red interna de Empresa A".to_string()),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|t| t.contains("Empresa B") || t.contains("Borrador")),
        "{found:?}"
    );
    assert_eq!(
        r.body["total"].as_u64().unwrap() as usize,
        found.len(),
        "{:?}",
        r.body
    );
    let secret = search(&member_a, &q("secreto")).await;
    assert!(titles(&secret).is_empty());
    assert_eq!(secret.body["total"], 0);
    let b_sees = search(&member_b, &q("secreto")).await;
    assert_eq!(titles(&b_sees), ["Servidor secreto de Empresa B"]);
    // Staff see everything, drafts included.
    let staff = search(&admin, &q("impresoras")).await;
    assert!(titles(&staff).contains(&"Borrador sobre impresoras".to_string()));
    assert!(titles(&staff).contains(&"Servidor secreto de Empresa B".to_string()));

    // A typo is forgiven; phrases and exclusion work.
    let typo = search(&member_a, &q("impresorra")).await;
    assert!(
        titles(&typo).contains(&"Configuración de las impresoras".to_string()),
        "{:?}",
        titles(&typo)
    );
    let phrase = search(&member_a, &q("\"copia de seguridad\"")).await;
    assert_eq!(titles(&phrase), ["Copias de seguridad nocturnas"]);
    let excluded = search(&member_a, &q("impresora -vpn")).await;
    assert!(
        !titles(&excluded).iter().any(|t| t.contains("VPN")),
        "{:?}",
        titles(&excluded)
    );
    assert!(!titles(&excluded).is_empty());

    // Filters: kind, type; an unknown category finds nothing.
    let faq = search(&member_a, &format!("{}&kind=faq", q("impresora"))).await;
    assert_eq!(titles(&faq), ["¿Qué hago si la VPN no conecta?"]);
    let only_downloads = search(&member_a, &format!("{}&type=download", q("impresora"))).await;
    assert!(titles(&only_downloads).is_empty());
    let nowhere = search(&member_a, &format!("{}&category=no-existe", q("impresora"))).await;
    assert!(titles(&nowhere).is_empty());

    // Cursor pages: one at a time, every result once.
    let mut seen: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let mut query = format!("{}&limit=1", q("impresora"));
        if let Some(c) = &cursor {
            query.push_str(&format!("&cursor={c}"));
        }
        let r = search(&member_a, &query).await;
        seen.extend(titles(&r));
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "{seen:?}");
    assert_eq!(
        seen.len(),
        titles(&search(&member_a, &q("impresora")).await).len()
    );

    // Junk: broken syntax is searched as words, never an error; bad parameters are a 422.
    for junk in ["\"sin cerrar", "((((", "-", "AND OR NOT", "*?~^"] {
        member_a
            .get(&format!("/api/v1/search?{}", q(junk)))
            .await
            .expect(200);
    }
    let r = search(&member_a, &q("\"impresora")).await;
    assert!(r.body["items"].as_array().is_some());
    for bad in [
        format!("{}&limit=0", q("x")),
        format!("{}&type=novela", q("x")),
        format!("{}&cursor=basura", q("x")),
        "otra=1".to_string(),
        q(&"x".repeat(301)),
    ] {
        member_a
            .get(&format!("/api/v1/search?{bad}"))
            .await
            .problem(422, "validation_failed");
    }
    assert!(titles(&search(&member_a, "q=").await).is_empty());

    // Suggestions while typing: scoped too.
    let s = member_a
        .get(&format!("/api/v1/search/suggestions?{}", q("config")))
        .await;
    s.expect(200);
    let suggested: Vec<&Value> = s.body.as_array().unwrap().iter().collect();
    assert!(
        suggested
            .iter()
            .any(|x| x["title"] == "Configuración de las impresoras"),
        "{suggested:?}"
    );
    let s = member_a
        .get(&format!("/api/v1/search/suggestions?{}", q("servidor sec")))
        .await;
    assert!(
        s.body
            .as_array()
            .unwrap()
            .iter()
            .all(|x| !x["title"].as_str().unwrap().contains("Empresa B")),
        "{:?}",
        s.body
    );
    let s = member_b
        .get(&format!("/api/v1/search/suggestions?{}", q("servidor sec")))
        .await;
    assert!(
        s.body
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["title"] == "Servidor secreto de Empresa B"),
        "{:?}",
        s.body
    );
    assert!(
        member_a
            .get("/api/v1/search/suggestions?q=c")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Related articles stay in scope as well.
    let r = member_a
        .get(&format!("/api/v1/kb/articles/{printers}/related"))
        .await;
    r.expect(200);
    assert!(
        r.body
            .as_array()
            .unwrap()
            .iter()
            .all(|a| !a["title"].as_str().unwrap().contains("Empresa B"))
    );
    member_b
        .get("/api/v1/kb/articles/red-interna-de-empresa-a/related")
        .await
        .problem(404, "not_found");

    // An article edited out of A's scope disappears from A's search at once.
    let path = "/api/v1/kb/articles/red-interna-de-empresa-a";
    let a = admin.get(path).await;
    let mut body = json!({"title": a.body["title"], "summary": "", "body": a.body["body"], "kind": "tutorial",
        "category_id": null, "membership_id": b_id});
    body["tags"] = json!([]);
    admin
        .send(
            reqwest::Method::PUT,
            path,
            Some(body),
            &[("If-Match", &a.header("etag"))],
        )
        .await
        .expect(200);
    let r = search(&member_a, &q("almacén")).await;
    assert!(titles(&r).is_empty(), "{:?}", titles(&r));
}

/// The lease behind a shared index's cursor: one node pushes at a time, a dead node's lease
/// runs out, and a node that lost it can no longer move the cursor.
async fn one_node_at_a_time_pushes_a_shared_index(app: &TestApp) {
    let store = app.store();
    let lease = chrono::TimeDelta::seconds(30);
    assert_eq!(store.search_push_position("faro-v1").await.unwrap(), None);
    assert_eq!(
        store
            .claim_search_push("faro-v1", "node-1", lease)
            .await
            .unwrap(),
        Some(0)
    );
    assert_eq!(
        store
            .claim_search_push("faro-v1", "node-2", lease)
            .await
            .unwrap(),
        None,
        "held by node 1"
    );
    assert!(
        store
            .advance_search_push("faro-v1", "node-1", 17, lease)
            .await
            .unwrap()
    );
    assert!(
        !store
            .advance_search_push("faro-v1", "node-2", 99, lease)
            .await
            .unwrap()
    );
    assert_eq!(
        store.search_push_position("faro-v1").await.unwrap(),
        Some(17)
    );
    // Another index has its own cursor.
    assert_eq!(
        store
            .claim_search_push("faro-v2", "node-2", lease)
            .await
            .unwrap(),
        Some(0)
    );
    store
        .release_search_push("faro-v1", "node-1")
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_search_push("faro-v1", "node-2", lease)
            .await
            .unwrap(),
        Some(17)
    );
    // Node 2 stops answering: its lease runs out and node 1 takes over from the cursor.
    app.sql("UPDATE search_pushes SET lease_until = NULL WHERE engine = 'faro-v1'")
        .await;
    let expired = chrono::TimeDelta::seconds(-1);
    assert_eq!(
        store
            .claim_search_push("faro-v1", "node-2", expired)
            .await
            .unwrap(),
        Some(17)
    );
    assert_eq!(
        store
            .claim_search_push("faro-v1", "node-1", lease)
            .await
            .unwrap(),
        Some(17),
        "an expired lease is free"
    );
    assert!(
        !store
            .advance_search_push("faro-v1", "node-2", 18, lease)
            .await
            .unwrap()
    );
}

/// Two nodes on one database and one Meilisearch index: what one saves, the other finds at
/// once, and the shared cursor moves past every change exactly once.
async fn two_nodes_share_one_meilisearch_index(app: &TestApp) {
    let admin = setup_admin(app).await;
    let second = app.second_node().await;
    let on_second = Client::new(&second.base_url);
    let ready = on_second.get("/readyz").await;
    ready.expect(200);
    assert_eq!(
        ready.body["search"]["engine"], "meilisearch",
        "{:?}",
        ready.body
    );
    assert_eq!(ready.body["search"]["status"], "ok");
    let (_, code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    join(app, &code, "Ana de A", "ana@a.es").await;
    // The member signs in on the second node.
    let mut member_second = Client::new(&second.base_url);
    member_second.login("ana@a.es", PASSWORD).await.expect(200);
    for n in 0..3 {
        publish(
            &admin,
            &format!("Cortafuegos de la sede {n}"),
            "Abrir el puerto del cortafuegos para la VPN.",
            "procedure",
            None,
        )
        .await;
        let r = search(&member_second, &q("cortafuegos")).await;
        assert_eq!(r.body["total"], n + 1, "{:?}", r.body);
    }
    let m = app.meili.as_ref().unwrap();
    let key = format!("{}-v{}", m.index, faro_search::LAYOUT_VERSION);
    let head = app
        .sql_count("SELECT MAX(seq) AS n FROM search_changes")
        .await;
    let position = app
        .store()
        .search_push_position(&key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(position as i64, head);
    second.stop().await;

    // Meilisearch loses the index: searches are a 503 to retry, the node stays ready.
    let http = reqwest::Client::new();
    let mut delete = http.delete(format!("{}/indexes/{key}", m.url));
    if let Some(k) = &m.key {
        delete = delete.bearer_auth(k);
    }
    assert!(delete.send().await.unwrap().status().is_success());
    let mut gone = false;
    for _ in 0..100 {
        let r = admin
            .get(&format!("/api/v1/search?{}", q("cortafuegos")))
            .await;
        if r.status == reqwest::StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(r.body["code"], "unavailable", "{:?}", r.body);
            assert_eq!(r.header("retry-after"), "5");
            assert!(r.body["detail"].as_str().unwrap().contains("búsqueda"));
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(gone, "the index deletion never showed");
    let ready = admin.get("/readyz").await;
    ready.expect(200);
    assert_eq!(ready.body["search"]["status"], "unavailable");
}
