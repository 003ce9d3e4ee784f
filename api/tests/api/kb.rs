//! The knowledge base over the API (read side): categories, cursor pages of articles in each
//! order, filters, one article by slug with its revision ETag; scope on every endpoint.

use faro_core::Viewer;
use faro_core::kb::{ArticleDraft, ArticleKind, ArticleState};
use faro_store::Author;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(articles_are_listed_read_and_scoped);

fn draft(title: &str, kind: ArticleKind, state: ArticleState) -> ArticleDraft {
    ArticleDraft {
        title: title.into(),
        summary: format!("Resumen de {title}"),
        body: format!("# {title}\n\nTexto con **negrita** y <script>alert(1)</script>."),
        kind,
        state,
        category_id: None,
        membership_id: None,
        tags: vec!["correo".into()],
        note: String::new(),
    }
}

/// Every item of every page of `path` (a query string without `cursor`), following cursors.
async fn all_pages(c: &Client, path: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..50 {
        let url = match &cursor {
            Some(k) => format!("{path}&cursor={k}"),
            None => path.to_string(),
        };
        let r = c.get(&url).await;
        r.expect(200);
        items.extend(r.body["items"].as_array().unwrap().iter().cloned());
        match r.body["next_cursor"].as_str() {
            Some(k) => cursor = Some(k.to_string()),
            None => return items,
        }
    }
    panic!("{path}: cursors never ended");
}

fn titles(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

async fn articles_are_listed_read_and_scoped(app: &TestApp) {
    let admin = setup_admin(app).await;
    let (a_id, a_code) = create_membership(&admin, "Empresa A", "coord@a.es").await;
    let (_b_id, b_code) = create_membership(&admin, "Empresa B", "coord@b.es").await;
    let member_a = join(app, &a_code, "Ana de A", "ana@a.es").await;
    let member_b = join(app, &b_code, "Bea de B", "bea@b.es").await;
    let staff = Viewer::system();
    let author = Author {
        id: None,
        name: "Soporte".into(),
    };
    let store = app.store();
    let correo = store
        .create_category(&staff, "Correo electrónico", None)
        .await
        .unwrap();
    let movil = store
        .create_category(&staff, "Móvil", Some(correo.id))
        .await
        .unwrap();
    // Seven global published articles, one draft, one for A only, one for B only.
    let mut global = Vec::new();
    for (i, kind) in [
        ArticleKind::Tutorial,
        ArticleKind::Faq,
        ArticleKind::Procedure,
        ArticleKind::Tutorial,
        ArticleKind::Maintenance,
        ArticleKind::Faq,
        ArticleKind::Tutorial,
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = draft(
            &format!("Artículo global {i}"),
            kind,
            ArticleState::Published,
        );
        d.category_id = Some(if i % 2 == 0 { correo.id } else { movil.id });
        global.push(store.create_article(&staff, &author, d).await.unwrap());
    }
    store
        .create_article(
            &staff,
            &author,
            draft("Borrador interno", ArticleKind::Faq, ArticleState::Draft),
        )
        .await
        .unwrap();
    let mut only_a = draft(
        "Solo para A",
        ArticleKind::Tutorial,
        ArticleState::Published,
    );
    only_a.membership_id = Some(a_id.parse().unwrap());
    let only_a = store.create_article(&staff, &author, only_a).await.unwrap();
    let b_membership = member_b.get("/api/v1/me").await.body["membership"]["id"]
        .as_str()
        .unwrap()
        .parse::<Uuid>()
        .unwrap();
    let mut only_b = draft(
        "Solo para B",
        ArticleKind::Tutorial,
        ArticleState::Published,
    );
    only_b.membership_id = Some(b_membership);
    let only_b = store.create_article(&staff, &author, only_b).await.unwrap();

    // Categories: the flat tree in name order.
    let r = member_a.get("/api/v1/kb/categories").await;
    r.expect(200);
    let cats = r.body.as_array().unwrap();
    assert_eq!(cats.len(), 2);
    assert_eq!(cats[0]["slug"], correo.slug);
    assert_eq!(cats[1]["parent_id"], correo.id.to_string());

    // A member of A sees the global published ones and A's; never B's, never the draft. Every
    // order pages through the same set with small pages, no repeats, no gaps.
    for order in ["newest", "most_read", "title"] {
        let items = all_pages(
            &member_a,
            &format!("/api/v1/kb/articles?order={order}&limit=3"),
        )
        .await;
        let mut seen = titles(&items);
        assert_eq!(seen.len(), 8, "{order}: {seen:?}");
        assert!(seen.contains(&"Solo para A".to_string()));
        assert!(
            !seen
                .iter()
                .any(|t| t == "Solo para B" || t == "Borrador interno")
        );
        if order == "title" {
            let mut sorted = seen.clone();
            sorted.sort();
            assert_eq!(seen, sorted);
        }
        seen.dedup();
        assert_eq!(seen.len(), 8);
        assert!(
            items.iter().all(|i| i.get("body").is_none()),
            "lists carry no bodies"
        );
    }
    // Newest first.
    let first = member_a.get("/api/v1/kb/articles?limit=1").await;
    assert_eq!(first.body["items"][0]["slug"], only_a.slug.as_str());
    // Staff see every state and may filter by it; members may not widen their view.
    let staff_all = all_pages(&admin, "/api/v1/kb/articles?limit=100").await;
    assert_eq!(staff_all.len(), 10);
    let drafts = admin.get("/api/v1/kb/articles?state=draft").await;
    assert_eq!(
        titles(drafts.body["items"].as_array().unwrap()),
        ["Borrador interno"]
    );
    let widened = member_a.get("/api/v1/kb/articles?state=draft").await;
    assert!(titles(widened.body["items"].as_array().unwrap()).is_empty());

    // Filters: kind; a category with its sub-categories; an unknown category matches nothing.
    let faqs = all_pages(&member_a, "/api/v1/kb/articles?kind=faq&limit=100").await;
    assert_eq!(faqs.len(), 2);
    assert!(faqs.iter().all(|i| i["kind"] == "faq"));
    let in_correo = all_pages(
        &member_a,
        &format!("/api/v1/kb/articles?category={}&limit=100", correo.slug),
    )
    .await;
    assert_eq!(in_correo.len(), 7, "the category and its sub-category");
    let in_movil = all_pages(
        &member_a,
        &format!("/api/v1/kb/articles?category={}&limit=100", movil.slug),
    )
    .await;
    assert_eq!(in_movil.len(), 3);
    let none = member_a.get("/api/v1/kb/articles?category=no-existe").await;
    none.expect(200);
    assert!(none.body["items"].as_array().unwrap().is_empty());

    // Junk in the query: a clear 422 naming the parameter, never a 500.
    for (query, field) in [
        ("kind=novela", "kind"),
        ("order=aleatorio", "order"),
        ("limit=0", "limit"),
        ("cursor=basura", "cursor"),
        ("pagina=2", "pagina"),
    ] {
        let r = member_a.get(&format!("/api/v1/kb/articles?{query}")).await;
        r.problem(422, "validation_failed");
        assert_eq!(r.fields(), [field], "{query}");
    }
    // A cursor of one order does not continue another.
    let page = member_a
        .get("/api/v1/kb/articles?order=title&limit=2")
        .await;
    let cursor = page.body["next_cursor"].as_str().unwrap();
    member_a
        .get(&format!("/api/v1/kb/articles?order=newest&cursor={cursor}"))
        .await
        .problem(422, "validation_failed");

    // One article: Markdown and sanitised HTML, the revision as ETag, 304 on a match.
    let path = format!("/api/v1/kb/articles/{}", global[0].slug);
    let r = member_a.get(&path).await;
    r.expect(200);
    assert_eq!(r.body["title"], "Artículo global 0");
    assert_eq!(r.body["category"]["slug"], correo.slug);
    assert!(r.body["membership"].is_null());
    let html = r.body["body_html"].as_str().unwrap();
    assert!(html.contains("<strong>negrita</strong>"), "{html}");
    assert!(
        !html.contains("<script"),
        "the sanitiser keeps scripts out: {html}"
    );
    let etag = r.header("etag");
    assert!(
        etag.starts_with(&format!("\"r{}-1.", global[0].id)),
        "{etag}"
    );
    let again = member_a
        .send(
            reqwest::Method::GET,
            &path,
            None,
            &[("If-None-Match", etag.as_str())],
        )
        .await;
    assert_eq!(again.status, 304);

    // Scope: another membership's article, a draft, or a slug that does not exist are all the
    // same 404, for people and their API keys alike.
    member_a
        .get(&format!("/api/v1/kb/articles/{}", only_b.slug))
        .await
        .problem(404, "not_found");
    member_b
        .get(&format!("/api/v1/kb/articles/{}", only_a.slug))
        .await
        .problem(404, "not_found");
    member_b
        .get("/api/v1/kb/articles/borrador-interno")
        .await
        .problem(404, "not_found");
    member_b
        .get(&format!("/api/v1/kb/articles/{}", "x".repeat(300)))
        .await
        .problem(404, "not_found");
    admin
        .get(&format!("/api/v1/kb/articles/{}", only_b.slug))
        .await
        .expect(200);
    let key = member_b
        .post(
            "/api/v1/me/api-keys",
            json!({"name": "Intranet", "scope": "read"}),
        )
        .await;
    key.expect(201);
    let via_key = app
        .client()
        .with_token(key.body["secret"].as_str().unwrap());
    via_key
        .get(&format!("/api/v1/kb/articles/{}", only_b.slug))
        .await
        .expect(200);
    via_key
        .get(&format!("/api/v1/kb/articles/{}", only_a.slug))
        .await
        .problem(404, "not_found");
    let b_sees = all_pages(&via_key, "/api/v1/kb/articles?limit=100").await;
    assert!(titles(&b_sees).contains(&"Solo para B".to_string()));
    assert!(!titles(&b_sees).contains(&"Solo para A".to_string()));
    // Nobody signed in sees nothing.
    app.client()
        .get("/api/v1/kb/articles")
        .await
        .problem(401, "unauthorized");
}
