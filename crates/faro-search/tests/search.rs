//! Behaviour a portal user would notice, against an in-memory index (and a temp dir where
//! persistence is the point).

use chrono::{DateTime, Duration, Utc};
use faro_search::{Document, Hit, Scope, SearchIndex, SearchRequest, SearchResults};
use uuid::Uuid;

const A: Uuid = Uuid::from_u128(0xA);
const B: Uuid = Uuid::from_u128(0xB);

fn at(days: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_750_000_000, 0).unwrap_or_default() + Duration::days(days)
}

fn doc(n: u128, title: &str, body: &str) -> Document {
    Document {
        id: Uuid::from_u128(n),
        slug: format!("art-{n}"),
        title: title.into(),
        summary: String::new(),
        body: body.into(),
        tags: Vec::new(),
        kind: "tutorial".into(),
        categories: Vec::new(),
        membership: None,
        also_memberships: Vec::new(),
        published: true,
        updated_at: at(n as i64),
    }
}

fn index_with(docs: &[Document]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(docs).unwrap();
    index
}

fn staff(text: &str) -> SearchRequest {
    SearchRequest::new(text, Scope::All)
}

fn run(index: &SearchIndex, req: &SearchRequest) -> SearchResults {
    index.search(req).unwrap()
}

fn slugs(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| h.slug.clone()).collect()
}

fn found(index: &SearchIndex, text: &str) -> Vec<String> {
    slugs(&run(index, &staff(text)).hits)
}

fn printer_kb() -> SearchIndex {
    index_with(&[
        doc(
            1,
            "Configuración de la impresora",
            "Cómo añadir la impresora de la segunda planta y elegir la bandeja.",
        ),
        doc(
            2,
            "Correo en el móvil",
            "Añada el servidor IMAP con el puerto seguro.",
        ),
        doc(
            3,
            "Copias de seguridad",
            "La copia nocturna se guarda en el servidor de archivos.",
        ),
    ])
}

#[test]
fn accents_and_case_do_not_matter() {
    let index = printer_kb();
    for q in [
        "configuracion",
        "Configuración",
        "CONFIGURACION",
        "impresóra",
    ] {
        assert_eq!(found(&index, q), ["art-1"], "{q}");
    }
}

#[test]
fn plurals_and_inflections_find_the_singular() {
    let index = printer_kb();
    for q in ["configuraciones", "impresoras", "copia", "servidores"] {
        assert!(!found(&index, q).is_empty(), "{q}");
    }
    assert_eq!(found(&index, "configuraciones impresoras"), ["art-1"]);
}

#[test]
fn typos_still_find_the_article() {
    let index = printer_kb();
    for q in [
        "impresroa",
        "configurasion",
        "confguracion de la impresora",
        "imprezora",
    ] {
        let r = run(&index, &staff(q));
        assert_eq!(slugs(&r.hits), ["art-1"], "{q}");
        assert!(!r.relaxed, "{q}");
    }
    // Short words get no typo budget: "red" must not match "sed" or "rex".
    let index = index_with(&[doc(1, "Sed de agua", "rex")]);
    assert!(found(&index, "red").is_empty());
}

#[test]
fn exact_spelling_outranks_a_typo_match() {
    let index = index_with(&[
        doc(1, "Problemas con la impresora", "La bandeja se atasca."),
        doc(2, "Problemas con la impresión", "Colores apagados."),
        doc(3, "Problemas con la impresera", "Equipo antiguo."),
    ]);
    let hits = run(&index, &staff("impresora")).hits;
    assert_eq!(hits.first().map(|h| h.slug.as_str()), Some("art-1"));
    assert!(hits.iter().any(|h| h.slug == "art-3"));
}

#[test]
fn phrase_needs_the_words_together() {
    let index = index_with(&[
        doc(1, "Atasco", "Si hay papel atascado abra la bandeja."),
        doc(
            2,
            "Bandeja",
            "El papel de la bandeja quedó bien colocado, nada atascado.",
        ),
    ]);
    assert_eq!(found(&index, r#""papel atascado""#), ["art-1"]);
    let mut loose = found(&index, "papel atascado");
    loose.sort();
    assert_eq!(loose, ["art-1", "art-2"]);
    // Stop words inside a phrase keep their place: "configuración de la impresora".
    let index = printer_kb();
    assert_eq!(
        found(&index, r#""configuración de la impresora""#),
        ["art-1"]
    );
    assert!(found(&index, r#""impresora configuración""#).is_empty());
}

#[test]
fn excluded_words_and_phrases_remove_results() {
    let index = index_with(&[
        doc(1, "Impresora láser", "Cambiar el tóner negro."),
        doc(2, "Impresora de tinta", "Cambiar el cartucho de color."),
    ]);
    assert_eq!(found(&index, "impresora -láser"), ["art-2"]);
    assert_eq!(
        found(&index, r#"impresora -"cartucho de color""#),
        ["art-1"]
    );
    // Excluding alone browses everything else.
    assert_eq!(found(&index, "-tinta"), ["art-1"]);
}

#[test]
fn title_match_outranks_body_match() {
    let index = index_with(&[
        doc(
            1,
            "Bandeja de entrada",
            "Aquí se habla de la red de la oficina y poco más.",
        ),
        doc(2, "Red de la oficina", "Cables y puntos de acceso."),
    ]);
    assert_eq!(found(&index, "red"), ["art-2", "art-1"]);
}

#[test]
fn all_words_first_then_any_word() {
    let index = index_with(&[
        doc(1, "Impresora", "Papel."),
        doc(2, "Impresora y escáner", "Papel."),
    ]);
    let r = run(&index, &staff("impresora escáner"));
    assert_eq!(slugs(&r.hits), ["art-2"]);
    assert!(!r.relaxed);
    let r = run(&index, &staff("impresora teclado"));
    assert_eq!(r.total, 2);
    assert!(r.relaxed);
    assert!(run(&index, &staff("teclado ratón")).hits.is_empty());
    assert!(
        run(&index, &staff("de la")).hits.is_empty(),
        "stop words alone search nothing"
    );
}

#[test]
fn kind_and_category_filters() {
    let mut faq = doc(1, "Wifi de invitados", "Red wifi.");
    faq.kind = "faq".into();
    faq.categories = vec!["redes".into(), "wifi".into()];
    let mut proc_ = doc(2, "Wifi de empleados", "Red wifi.");
    proc_.kind = "procedure".into();
    proc_.categories = vec!["redes".into()];
    let mut other = doc(3, "Wifi en la impresora", "Red wifi.");
    other.kind = "maintenance".into();
    other.categories = vec!["impresion".into()];
    let index = index_with(&[faq, proc_, other]);

    let mut req = staff("wifi");
    req.kinds = vec!["faq".into(), "procedure".into()];
    let mut got = slugs(&run(&index, &req).hits);
    got.sort();
    assert_eq!(got, ["art-1", "art-2"]);

    let mut req = staff("wifi");
    req.category = Some("redes".into());
    assert_eq!(
        run(&index, &req).total,
        2,
        "parent category includes sub-categories"
    );
    req.category = Some("wifi".into());
    assert_eq!(slugs(&run(&index, &req).hits), ["art-1"]);
    req.kinds = vec!["maintenance".into()];
    assert_eq!(run(&index, &req).total, 0);
}

#[test]
fn empty_text_browses_newest_first_with_paging() {
    let mut docs: Vec<Document> = (1..=5)
        .map(|n| doc(n, &format!("Artículo {n}"), "x"))
        .collect();
    docs[0].kind = "faq".into();
    let index = index_with(&docs);
    let r = run(&index, &staff(""));
    assert_eq!(r.total, 5);
    assert_eq!(
        slugs(&r.hits),
        ["art-5", "art-4", "art-3", "art-2", "art-1"]
    );
    let mut req = staff("  ");
    req.limit = 2;
    req.offset = 1;
    let r = run(&index, &req);
    assert_eq!(
        (r.total, slugs(&r.hits)),
        (5, vec!["art-4".into(), "art-3".into()])
    );
    req.limit = 0;
    let r = run(&index, &req);
    assert_eq!((r.total, r.hits.len()), (5, 0));
    let mut req = staff("");
    req.kinds = vec!["faq".into()];
    assert_eq!(slugs(&run(&index, &req).hits), ["art-1"]);
}

fn scoped_kb() -> SearchIndex {
    let mut a = doc(
        1,
        "Impresora de la oficina A",
        "Configurar la impresora compartida.",
    );
    a.membership = Some(A);
    a.tags = vec!["impresora".into()];
    let mut b = doc(
        2,
        "Impresora de la oficina B",
        "Configurar la impresora compartida.",
    );
    b.membership = Some(B);
    b.tags = vec!["impresora".into()];
    let global = doc(
        3,
        "Impresoras: guía general",
        "Configurar cualquier impresora.",
    );
    let mut draft_a = doc(
        4,
        "Impresora nueva (borrador)",
        "Configurar la impresora nueva.",
    );
    draft_a.membership = Some(A);
    draft_a.published = false;
    let mut draft_global = doc(5, "Impresora sin publicar", "Configurar la impresora.");
    draft_global.published = false;
    index_with(&[a, b, global, draft_a, draft_global])
}

#[test]
fn membership_sees_own_and_global_never_another() {
    let index = scoped_kb();
    for (scope, expected) in [(A, ["art-1", "art-3"]), (B, ["art-2", "art-3"])] {
        let r = run(
            &index,
            &SearchRequest::new("impresora", Scope::Membership(scope)),
        );
        let mut got = slugs(&r.hits);
        got.sort();
        assert_eq!(got, expected);
        assert_eq!(r.total, 2);
        // Even asking for drafts as a member changes nothing.
        let mut req = SearchRequest::new("", Scope::Membership(scope));
        req.include_unpublished = true;
        assert_eq!(run(&index, &req).total, 2);
    }
    // Another membership's words appear nowhere, not even in snippets of its own results.
    let r = run(
        &index,
        &SearchRequest::new("oficina B", Scope::Membership(A)),
    );
    assert!(r.hits.iter().all(|h| h.slug != "art-2"));
    assert!(!r.hits.iter().any(|h| h.title.contains(" B")));
    let other = Scope::Membership(Uuid::from_u128(0xC));
    assert_eq!(
        slugs(&run(&index, &SearchRequest::new("impresora", other)).hits),
        ["art-3"]
    );
}

#[test]
fn unpublished_only_for_staff_who_ask() {
    let index = scoped_kb();
    assert_eq!(run(&index, &staff("impresora")).total, 3);
    let mut req = staff("impresora");
    req.include_unpublished = true;
    assert_eq!(run(&index, &req).total, 5);
    let r = run(
        &index,
        &SearchRequest::new("borrador", Scope::Membership(A)),
    );
    assert_eq!(r.total, 0);
}

#[test]
fn suggestions_complete_the_last_word_within_scope() {
    let index = scoped_kb();
    let titles = |prefix: &str, scope: Scope| -> Vec<String> {
        let mut t: Vec<String> = index
            .suggest(prefix, &scope, 10)
            .unwrap()
            .into_iter()
            .map(|s| s.title)
            .collect();
        t.sort();
        t
    };
    assert_eq!(
        titles("impre", Scope::Membership(A)),
        ["Impresora de la oficina A", "Impresoras: guía general"]
    );
    assert_eq!(
        titles("impresora ofi", Scope::Membership(A)),
        ["Impresora de la oficina A"]
    );
    assert_eq!(
        titles("Impresoras ofic", Scope::Membership(B)),
        ["Impresora de la oficina B"]
    );
    assert_eq!(
        titles("impersora", Scope::Membership(B)).len(),
        2,
        "one typo while typing"
    );
    assert!(titles("oficina b", Scope::Membership(A)).is_empty());
    assert_eq!(
        titles("impre", Scope::All).len(),
        3,
        "drafts are never suggested"
    );
    assert!(titles("", Scope::All).is_empty());
    assert!(titles("   ", Scope::All).is_empty());
    assert!(index.suggest("impre", &Scope::All, 0).unwrap().is_empty());
}

#[test]
fn related_articles_are_similar_scoped_and_never_self() {
    let index = scoped_kb();
    let rel = |id: u128, scope: Scope| -> Vec<String> {
        let mut s = slugs(&index.related(Uuid::from_u128(id), &scope, 10).unwrap());
        s.sort();
        s
    };
    assert_eq!(rel(1, Scope::Membership(A)), ["art-3"]);
    assert_eq!(rel(3, Scope::Membership(A)), ["art-1"]);
    assert_eq!(rel(3, Scope::Membership(B)), ["art-2"]);
    assert!(
        rel(2, Scope::Membership(A)).is_empty(),
        "B's article does not exist for A"
    );
    assert_eq!(
        rel(4, Scope::All),
        ["art-1", "art-2", "art-3"],
        "drafts have neighbours for staff"
    );
    assert!(rel(99, Scope::All).is_empty());
}

#[test]
fn malformed_syntax_never_errors() {
    let index = printer_kb();
    for q in [
        r#""abc"#,
        "-",
        "(((",
        "title:foo",
        "a~2^3*",
        r#"-""#,
        "\"",
        "--",
        ")",
        "*:*",
        "[1 TO 5]",
        "impresora:(",
    ] {
        let r = index
            .search(&staff(q))
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        assert!(r.fell_back, "{q}");
    }
    let r = run(&index, &staff(r#""impresora"#));
    assert_eq!(slugs(&r.hits), ["art-1"], "degrades to the plain words");
    assert!(r.fell_back);
    let r = run(&index, &staff("impresora(planta)"));
    assert_eq!(slugs(&r.hits), ["art-1"]);
    assert!(!run(&index, &staff(r#"impresora "segunda planta""#)).fell_back);
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = printer_kb();
    assert_eq!(index.doc_count(), 3);
    let mut changed = doc(1, "Escáner de red", "Digitalizar documentos.");
    changed.slug = "escaner".into();
    index.upsert(&[changed.clone(), changed]).unwrap();
    assert_eq!(index.doc_count(), 3);
    assert!(found(&index, "impresora").is_empty());
    assert_eq!(found(&index, "escáner"), ["escaner"]);
    index.delete(Uuid::from_u128(1)).unwrap();
    assert_eq!(index.doc_count(), 2);
    assert!(found(&index, "escáner").is_empty());
    index.delete(Uuid::from_u128(42)).unwrap();
    index.clear().unwrap();
    assert_eq!(index.doc_count(), 0);
}

#[test]
fn snippets_and_titles_are_escaped_and_highlighted() {
    let mut d = doc(
        1,
        "<script>alert(1)</script> Impresora \"rápida\"?",
        "Texto previo. <img src=x onerror=alert(1)> La impresora & el <b>escáner</b> fallan.",
    );
    d.summary = "Resumen <i>con</i> etiquetas".into();
    let index = index_with(&[d]);
    let hit = &run(&index, &staff("impresoras")).hits[0];
    assert_eq!(
        hit.title_html,
        "&lt;script&gt;alert(1)&lt;/script&gt; <b>Impresora</b> &quot;rápida&quot;?"
    );
    assert!(
        hit.snippet_html.contains("<b>impresora</b>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html
            .contains("&lt;img src=x onerror=alert(1)&gt;")
    );
    assert!(hit.snippet_html.contains("&lt;b&gt;escáner&lt;/b&gt;"));
    assert!(hit.snippet_html.contains("&amp;"));
    let without_marks = hit.snippet_html.replace("<b>", "").replace("</b>", "");
    assert!(!without_marks.contains('<'), "{}", hit.snippet_html);

    // A typo is highlighted too, and a summary-only match snippets the summary.
    let hit = &run(&index, &staff("impresroa")).hits[0];
    assert!(
        hit.snippet_html.contains("<b>impresora</b>"),
        "{}",
        hit.snippet_html
    );
    let hit = &run(&index, &staff("resumen")).hits[0];
    assert!(
        hit.snippet_html.starts_with("<b>Resumen</b> &lt;i&gt;"),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn long_bodies_give_short_snippets() {
    let body = format!(
        "{} La impresora falla. {}",
        "Relleno de texto. ".repeat(40),
        "Fin. ".repeat(80)
    );
    let index = index_with(&[doc(1, "Incidencia", &body)]);
    let hit = &run(&index, &staff("impresora")).hits[0];
    assert!(
        hit.snippet_html.starts_with('…') && hit.snippet_html.ends_with('…'),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_html.chars().count() < 260);
    let browse = &run(&index, &staff("")).hits[0];
    assert!(browse.snippet_html.ends_with('…') && browse.snippet_html.chars().count() <= 201);
}

#[test]
fn cursor_is_committed_with_the_batch_and_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        assert!(index.needs_rebuild(), "a new index starts empty");
        assert_eq!(index.cursor().unwrap(), 0);
        let docs: Vec<Document> = (1..=3).map(|n| doc(n, "Impresora", "x")).collect();
        index.upsert_with_cursor(&docs, &[], 17).unwrap();
        index
            .upsert_with_cursor(&[], &[Uuid::from_u128(2)], 18)
            .unwrap();
        // Writes without a cursor keep the last one.
        index.upsert(&[doc(9, "Correo", "y")]).unwrap();
        assert_eq!(index.cursor().unwrap(), 18);
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(!index.needs_rebuild());
    assert_eq!(index.cursor().unwrap(), 18);
    assert_eq!(index.doc_count(), 3);
    assert_eq!(found(&index, "impresora").len(), 2);
    index.clear().unwrap();
    drop(index);
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!((index.cursor().unwrap(), index.doc_count()), (0, 0));
}

#[test]
fn other_schema_version_is_wiped_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::open(dir.path()).unwrap();
        index
            .upsert_with_cursor(&[doc(1, "Impresora", "x")], &[], 5)
            .unwrap();
    }
    std::fs::write(dir.path().join("faro-schema-version"), "0").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not ours").unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(index.needs_rebuild());
    assert_eq!((index.cursor().unwrap(), index.doc_count()), (0, 0));
    drop(index);
    let index = SearchIndex::open(dir.path()).unwrap();
    assert!(!index.needs_rebuild(), "the recreated index is current");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("faro-schema-version")).unwrap(),
        faro_search::SCHEMA_VERSION.to_string()
    );
}

#[test]
fn clones_share_one_index_across_threads() {
    let index = SearchIndex::in_memory().unwrap();
    let handles: Vec<_> = (0..4u128)
        .map(|t| {
            let index = index.clone();
            std::thread::spawn(move || {
                for n in 0..5 {
                    index.upsert(&[doc(t * 10 + n, "Hilo", "x")]).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(index.doc_count(), 20);
}

#[test]
fn synthetic_corpus_indexes_and_searches() {
    let index = SearchIndex::in_memory().unwrap();
    let docs: Vec<Document> = faro_search::synth::documents(300, 1).collect();
    index.upsert(&docs).unwrap();
    assert_eq!(index.doc_count(), 300);
    let member = faro_search::synth::memberships(1)[0];
    let r = run(
        &index,
        &SearchRequest::new("configurar impresora", Scope::Membership(member)),
    );
    assert!(r.total > 0);
    for hit in &r.hits {
        let d = docs.iter().find(|d| d.id == hit.id).unwrap();
        assert!(d.published && (d.membership.is_none() || d.membership == Some(member)));
    }
}
