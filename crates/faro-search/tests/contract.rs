//! The contract every search engine keeps, run against each backend: the embedded index
//! always, and Meilisearch when `FARO_TEST_MEILISEARCH_URL` (and `FARO_TEST_MEILISEARCH_KEY`)
//! name a server (each test gets its own index there, deleted afterwards). Behaviour a portal
//! user would notice: Spanish word forms, typos, phrases, exclusion, filters, scope (another
//! membership's documents never appear, not even in counts or suggestions), snippets.

use std::sync::Once;

use faro_search::{
    Document, Hit, MeiliConfig, MeiliEngine, Scope, SearchEngine, SearchIndex, SearchRequest,
    SearchResults,
};
use uuid::Uuid;

mod common;
use common::doc;

const A: Uuid = Uuid::from_u128(0xA);
const B: Uuid = Uuid::from_u128(0xB);

static NOTICE: Once = Once::new();

/// Runs `check` against every configured engine, each holding `docs`.
async fn each_engine(docs: &[Document], check: impl AsyncFn(&dyn SearchEngine)) {
    let embedded = SearchIndex::in_memory().unwrap();
    embedded.apply(docs, &[], 0).await.unwrap();
    check(&embedded).await;
    let Ok(url) = std::env::var("FARO_TEST_MEILISEARCH_URL") else {
        NOTICE.call_once(|| {
            eprintln!(
                "NOTICE: the Meilisearch half of the search contract is skipped: set FARO_TEST_MEILISEARCH_URL (and FARO_TEST_MEILISEARCH_KEY) to a Meilisearch server to run it"
            );
        });
        return;
    };
    let meili = MeiliEngine::connect(&MeiliConfig {
        url,
        key: std::env::var("FARO_TEST_MEILISEARCH_KEY").ok(),
        index: format!("faro-test-{}", Uuid::new_v4().simple()),
    })
    .await
    .unwrap();
    assert!(meili.needs_rebuild(), "a new index starts empty");
    meili.apply(docs, &[], 0).await.unwrap();
    check(&meili).await;
    meili.delete().await.unwrap();
}

fn staff(text: &str) -> SearchRequest {
    SearchRequest::new(text, Scope::All)
}

async fn run(e: &dyn SearchEngine, req: &SearchRequest) -> SearchResults {
    e.search(req).await.unwrap()
}

fn slugs(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| h.slug.clone()).collect()
}

async fn found(e: &dyn SearchEngine, text: &str) -> Vec<String> {
    slugs(&run(e, &staff(text)).await.hits)
}

fn printer_kb() -> Vec<Document> {
    vec![
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
    ]
}

#[tokio::test]
async fn accents_and_case_do_not_matter() {
    each_engine(&printer_kb(), async |e| {
        for q in [
            "configuracion",
            "Configuración",
            "CONFIGURACION",
            "impresóra",
        ] {
            assert_eq!(found(e, q).await, ["art-1"], "{}: {q}", e.name());
        }
    })
    .await;
}

#[tokio::test]
async fn plurals_and_inflections_find_the_singular() {
    each_engine(&printer_kb(), async |e| {
        for q in ["configuraciones", "impresoras", "copia", "servidores"] {
            assert!(!found(e, q).await.is_empty(), "{}: {q}", e.name());
        }
        assert_eq!(found(e, "configuraciones impresoras").await, ["art-1"]);
    })
    .await;
}

#[tokio::test]
async fn typos_still_find_the_article() {
    each_engine(&printer_kb(), async |e| {
        for q in [
            "impresroa",
            "configurasion",
            "confguracion de la impresora",
            "imprezora",
        ] {
            let r = run(e, &staff(q)).await;
            assert_eq!(slugs(&r.hits), ["art-1"], "{}: {q}", e.name());
            assert!(!r.relaxed, "{}: {q}", e.name());
        }
    })
    .await;
    // Short words get no typo budget: "red" must not match "sed" or "rex".
    each_engine(&[doc(1, "Sed de agua", "rex")], async |e| {
        assert!(found(e, "red").await.is_empty(), "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn exact_spelling_outranks_a_typo_match() {
    let docs = [
        doc(1, "Problemas con la impresora", "La bandeja se atasca."),
        doc(2, "Problemas con la impresión", "Colores apagados."),
        doc(3, "Problemas con la impresera", "Equipo antiguo."),
    ];
    each_engine(&docs, async |e| {
        let hits = run(e, &staff("impresora")).await.hits;
        assert_eq!(
            hits.first().map(|h| h.slug.as_str()),
            Some("art-1"),
            "{}",
            e.name()
        );
        assert!(hits.iter().any(|h| h.slug == "art-3"), "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn phrase_needs_the_words_together() {
    let docs = [
        doc(1, "Atasco", "Si hay papel atascado abra la bandeja."),
        doc(
            2,
            "Bandeja",
            "El papel de la bandeja quedó bien colocado, nada atascado.",
        ),
    ];
    each_engine(&docs, async |e| {
        assert_eq!(
            found(e, r#""papel atascado""#).await,
            ["art-1"],
            "{}",
            e.name()
        );
        let mut loose = found(e, "papel atascado").await;
        loose.sort();
        assert_eq!(loose, ["art-1", "art-2"], "{}", e.name());
    })
    .await;
    // Stop words inside a phrase keep their place: "configuración de la impresora".
    each_engine(&printer_kb(), async |e| {
        assert_eq!(
            found(e, r#""configuración de la impresora""#).await,
            ["art-1"],
            "{}",
            e.name()
        );
        assert!(
            found(e, r#""impresora configuración""#).await.is_empty(),
            "{}",
            e.name()
        );
    })
    .await;
    // A longer phrase needs all its words in order, not just each neighbouring pair somewhere.
    let docs = [
        doc(
            1,
            "Cola",
            "La cola de impresión atascada se vacía desde el panel.",
        ),
        doc(
            2,
            "Panel",
            "Vacíe la cola de impresión. Si la impresión atascada sigue, reinicie.",
        ),
    ];
    each_engine(&docs, async |e| {
        assert_eq!(
            found(e, r#""cola de impresión atascada""#).await,
            ["art-1"],
            "{}",
            e.name()
        );
    })
    .await;
}

#[tokio::test]
async fn excluded_words_and_phrases_remove_results() {
    let docs = [
        doc(1, "Impresora láser", "Cambiar el tóner negro."),
        doc(2, "Impresora de tinta", "Cambiar el cartucho de color."),
    ];
    each_engine(&docs, async |e| {
        assert_eq!(
            found(e, "impresora -láser").await,
            ["art-2"],
            "{}",
            e.name()
        );
        assert_eq!(
            found(e, r#"impresora -"cartucho de color""#).await,
            ["art-1"],
            "{}",
            e.name()
        );
        // Excluding alone browses everything else.
        assert_eq!(found(e, "-tinta").await, ["art-1"], "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn title_match_outranks_body_match() {
    let docs = [
        doc(
            1,
            "Bandeja de entrada",
            "Aquí se habla de la red de la oficina y poco más.",
        ),
        doc(2, "Red de la oficina", "Cables y puntos de acceso."),
    ];
    each_engine(&docs, async |e| {
        assert_eq!(found(e, "red").await, ["art-2", "art-1"], "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn all_words_first_then_any_word() {
    let docs = [
        doc(1, "Impresora", "Papel."),
        doc(2, "Impresora y escáner", "Papel."),
    ];
    each_engine(&docs, async |e| {
        let r = run(e, &staff("impresora escáner")).await;
        assert_eq!(slugs(&r.hits), ["art-2"], "{}", e.name());
        assert!(!r.relaxed);
        for q in ["impresora teclado", "teclado impresora"] {
            let r = run(e, &staff(q)).await;
            assert_eq!(r.total, 2, "{}: {q}", e.name());
            assert_eq!(r.hits.len(), 2, "{}: {q}", e.name());
            assert!(r.relaxed, "{}: {q}", e.name());
        }
        assert!(run(e, &staff("teclado ratón")).await.hits.is_empty());
        assert!(
            run(e, &staff("de la")).await.hits.is_empty(),
            "{}: stop words alone search nothing",
            e.name()
        );
    })
    .await;
}

#[tokio::test]
async fn synonyms_of_the_support_desk() {
    let docs = [
        doc(1, "Cambiar la clave", "Desde el perfil."),
        doc(2, "Portátil sin batería", "Cargador."),
    ];
    each_engine(&docs, async |e| {
        assert_eq!(found(e, "contraseñas").await, ["art-1"], "{}", e.name());
        assert_eq!(found(e, "password").await, ["art-1"], "{}", e.name());
        assert_eq!(found(e, "laptop").await, ["art-2"], "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn kind_and_category_filters() {
    let mut faq = doc(1, "Wifi de invitados", "Red wifi.");
    faq.kind = "faq".into();
    faq.categories = vec!["redes".into(), "wifi".into()];
    let mut proc_ = doc(2, "Wifi de empleados", "Red wifi.");
    proc_.kind = "procedure".into();
    proc_.categories = vec!["redes".into()];
    let mut other = doc(3, "Wifi en la impresora", "Red wifi.");
    other.kind = "maintenance".into();
    other.categories = vec!["impresion".into()];
    each_engine(&[faq, proc_, other], async |e| {
        let mut req = staff("wifi");
        req.kinds = vec!["faq".into(), "procedure".into()];
        let mut got = slugs(&run(e, &req).await.hits);
        got.sort();
        assert_eq!(got, ["art-1", "art-2"], "{}", e.name());

        let mut req = staff("wifi");
        req.category = Some("redes".into());
        assert_eq!(
            run(e, &req).await.total,
            2,
            "{}: parent category includes sub-categories",
            e.name()
        );
        req.category = Some("wifi".into());
        assert_eq!(slugs(&run(e, &req).await.hits), ["art-1"], "{}", e.name());
        req.kinds = vec!["maintenance".into()];
        assert_eq!(run(e, &req).await.total, 0, "{}", e.name());
        // A filter value with quotes is a value, never filter syntax.
        req.kinds = Vec::new();
        req.category = Some(r#"x" OR kind = "faq"#.into());
        assert_eq!(run(e, &req).await.total, 0, "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn empty_text_browses_newest_first_with_paging() {
    let mut docs: Vec<Document> = (1..=5)
        .map(|n| doc(n, &format!("Artículo {n}"), "x"))
        .collect();
    docs[0].kind = "faq".into();
    each_engine(&docs, async |e| {
        let r = run(e, &staff("")).await;
        assert_eq!(r.total, 5);
        assert_eq!(
            slugs(&r.hits),
            ["art-5", "art-4", "art-3", "art-2", "art-1"],
            "{}",
            e.name()
        );
        let mut req = staff("  ");
        req.limit = 2;
        req.offset = 1;
        let r = run(e, &req).await;
        assert_eq!(
            (r.total, slugs(&r.hits)),
            (5, vec!["art-4".into(), "art-3".into()]),
            "{}",
            e.name()
        );
        req.offset = 2;
        let r = run(e, &req).await;
        assert_eq!(slugs(&r.hits), ["art-3", "art-2"], "{}", e.name());
        req.limit = 0;
        let r = run(e, &req).await;
        assert_eq!((r.total, r.hits.len()), (5, 0), "{}", e.name());
        let mut req = staff("");
        req.kinds = vec!["faq".into()];
        assert_eq!(slugs(&run(e, &req).await.hits), ["art-1"], "{}", e.name());
    })
    .await;
}

fn scoped_kb() -> Vec<Document> {
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
    vec![a, b, global, draft_a, draft_global]
}

#[tokio::test]
async fn membership_sees_own_and_global_never_another() {
    each_engine(&scoped_kb(), async |e| {
        for (scope, expected) in [(A, ["art-1", "art-3"]), (B, ["art-2", "art-3"])] {
            let r = run(
                e,
                &SearchRequest::new("impresora", Scope::Membership(scope)),
            )
            .await;
            let mut got = slugs(&r.hits);
            got.sort();
            assert_eq!(got, expected, "{}", e.name());
            assert_eq!(r.total, 2, "{}", e.name());
            // Counting alone counts the same.
            let mut req = SearchRequest::new("impresora", Scope::Membership(scope));
            req.limit = 0;
            assert_eq!(run(e, &req).await.total, 2, "{}", e.name());
            // Even asking for drafts as a member changes nothing.
            let mut req = SearchRequest::new("", Scope::Membership(scope));
            req.include_unpublished = true;
            assert_eq!(run(e, &req).await.total, 2, "{}", e.name());
        }
        // Another membership's words appear nowhere, not even in snippets of its own results.
        let r = run(e, &SearchRequest::new("oficina B", Scope::Membership(A))).await;
        assert!(r.hits.iter().all(|h| h.slug != "art-2"), "{}", e.name());
        assert!(
            !r.hits.iter().any(|h| h.title.contains(" B")),
            "{}",
            e.name()
        );
        let r = run(
            e,
            &SearchRequest::new("\"oficina b\"", Scope::Membership(A)),
        )
        .await;
        assert_eq!((r.total, r.hits.len()), (0, 0), "{}", e.name());
        let other = Scope::Membership(Uuid::from_u128(0xC));
        assert_eq!(
            slugs(&run(e, &SearchRequest::new("impresora", other)).await.hits),
            ["art-3"],
            "{}",
            e.name()
        );
    })
    .await;
}

#[tokio::test]
async fn documents_for_several_memberships() {
    let mut shared = doc(1, "Instalador de la versión 2", "Descarga.");
    shared.kind = faro_search::KIND_DOWNLOAD.into();
    shared.membership = Some(A);
    shared.also_memberships = vec![B];
    each_engine(&[shared], async |e| {
        for m in [A, B] {
            let r = run(e, &SearchRequest::new("instalador", Scope::Membership(m))).await;
            assert_eq!(slugs(&r.hits), ["art-1"], "{}", e.name());
        }
        let c = Scope::Membership(Uuid::from_u128(0xC));
        assert_eq!(run(e, &SearchRequest::new("instalador", c)).await.total, 0);
    })
    .await;
}

#[tokio::test]
async fn unpublished_only_for_staff_who_ask() {
    each_engine(&scoped_kb(), async |e| {
        assert_eq!(run(e, &staff("impresora")).await.total, 3, "{}", e.name());
        let mut req = staff("impresora");
        req.include_unpublished = true;
        assert_eq!(run(e, &req).await.total, 5, "{}", e.name());
        let r = run(e, &SearchRequest::new("borrador", Scope::Membership(A))).await;
        assert_eq!(r.total, 0, "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn suggestions_complete_the_last_word_within_scope() {
    each_engine(&scoped_kb(), async |e| {
        let titles = async |prefix: &str, scope: Scope| -> Vec<String> {
            let mut t: Vec<String> = e
                .suggest(prefix, &scope, 10)
                .await
                .unwrap()
                .into_iter()
                .map(|s| s.title)
                .collect();
            t.sort();
            t
        };
        assert_eq!(
            titles("impre", Scope::Membership(A)).await,
            ["Impresora de la oficina A", "Impresoras: guía general"],
            "{}",
            e.name()
        );
        assert_eq!(
            titles("impresora ofi", Scope::Membership(A)).await,
            ["Impresora de la oficina A"],
            "{}",
            e.name()
        );
        assert_eq!(
            titles("Impresoras ofic", Scope::Membership(B)).await,
            ["Impresora de la oficina B"],
            "{}",
            e.name()
        );
        assert_eq!(
            titles("impersora", Scope::Membership(B)).await.len(),
            2,
            "{}: one typo while typing",
            e.name()
        );
        assert!(titles("oficina b", Scope::Membership(A)).await.is_empty());
        assert_eq!(
            titles("impre", Scope::All).await.len(),
            3,
            "{}: drafts are never suggested",
            e.name()
        );
        assert!(titles("", Scope::All).await.is_empty());
        assert!(titles("   ", Scope::All).await.is_empty());
        assert!(e.suggest("impre", &Scope::All, 0).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn related_articles_are_similar_scoped_and_never_self() {
    each_engine(&scoped_kb(), async |e| {
        let rel = async |id: u128, scope: Scope| -> Vec<String> {
            let mut s = slugs(&e.related(Uuid::from_u128(id), &scope, 10).await.unwrap());
            s.sort();
            s
        };
        assert_eq!(
            rel(1, Scope::Membership(A)).await,
            ["art-3"],
            "{}",
            e.name()
        );
        assert_eq!(
            rel(3, Scope::Membership(A)).await,
            ["art-1"],
            "{}",
            e.name()
        );
        assert_eq!(
            rel(3, Scope::Membership(B)).await,
            ["art-2"],
            "{}",
            e.name()
        );
        assert!(
            rel(2, Scope::Membership(A)).await.is_empty(),
            "{}: B's article does not exist for A",
            e.name()
        );
        assert_eq!(
            rel(4, Scope::All).await,
            ["art-1", "art-2", "art-3"],
            "{}: drafts have neighbours for staff",
            e.name()
        );
        assert!(rel(99, Scope::All).await.is_empty(), "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn malformed_syntax_never_errors() {
    each_engine(&printer_kb(), async |e| {
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
            let r = e
                .search(&staff(q))
                .await
                .unwrap_or_else(|err| panic!("{}: {q}: {err}", e.name()));
            assert!(r.fell_back, "{}: {q}", e.name());
        }
        let r = run(e, &staff(r#""impresora"#)).await;
        assert_eq!(
            slugs(&r.hits),
            ["art-1"],
            "{}: degrades to the plain words",
            e.name()
        );
        assert!(r.fell_back);
        let r = run(e, &staff("impresora(planta)")).await;
        assert_eq!(slugs(&r.hits), ["art-1"], "{}", e.name());
        assert!(
            !run(e, &staff(r#"impresora "segunda planta""#))
                .await
                .fell_back
        );
    })
    .await;
}

#[tokio::test]
async fn apply_replaces_and_deletes() {
    each_engine(&printer_kb(), async |e| {
        assert_eq!(e.count().await.unwrap(), 3, "{}", e.name());
        let mut changed = doc(1, "Escáner de red", "Digitalizar documentos.");
        changed.slug = "escaner".into();
        e.apply(&[changed.clone(), changed], &[], 1).await.unwrap();
        assert_eq!(e.count().await.unwrap(), 3, "{}", e.name());
        assert!(found(e, "impresora").await.is_empty(), "{}", e.name());
        assert_eq!(found(e, "escáner").await, ["escaner"], "{}", e.name());
        e.apply(&[], &[Uuid::from_u128(1), Uuid::from_u128(42)], 2)
            .await
            .unwrap();
        assert_eq!(e.count().await.unwrap(), 2, "{}", e.name());
        assert!(found(e, "escáner").await.is_empty(), "{}", e.name());
        e.clear().await.unwrap();
        assert_eq!(e.count().await.unwrap(), 0, "{}", e.name());
    })
    .await;
}

#[tokio::test]
async fn snippets_and_titles_are_escaped_and_highlighted() {
    let mut d = doc(
        1,
        "<script>alert(1)</script> Impresora \"rápida\"?",
        "Texto previo. <img src=x onerror=alert(1)> La impresora & el <b>escáner</b> fallan.",
    );
    d.summary = "Resumen <i>con</i> etiquetas".into();
    each_engine(&[d], async |e| {
        let hit = &run(e, &staff("impresoras")).await.hits[0];
        assert_eq!(
            hit.title_html,
            "&lt;script&gt;alert(1)&lt;/script&gt; <b>Impresora</b> &quot;rápida&quot;?",
            "{}",
            e.name()
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
        let hit = &run(e, &staff("impresroa")).await.hits[0];
        assert!(
            hit.snippet_html.contains("<b>impresora</b>"),
            "{}: {}",
            e.name(),
            hit.snippet_html
        );
        let hit = &run(e, &staff("resumen")).await.hits[0];
        assert!(
            hit.snippet_html.starts_with("<b>Resumen</b> &lt;i&gt;"),
            "{}: {}",
            e.name(),
            hit.snippet_html
        );
    })
    .await;
}

#[tokio::test]
async fn long_bodies_give_short_snippets() {
    let body = format!(
        "{} La impresora falla. {}",
        "Relleno de texto. ".repeat(40),
        "Fin. ".repeat(80)
    );
    each_engine(&[doc(1, "Incidencia", &body)], async |e| {
        let hit = &run(e, &staff("impresora")).await.hits[0];
        assert!(
            hit.snippet_html.starts_with('…') && hit.snippet_html.ends_with('…'),
            "{}: {}",
            e.name(),
            hit.snippet_html
        );
        assert!(hit.snippet_html.chars().count() < 260);
        let browse = &run(e, &staff("")).await.hits[0];
        assert!(browse.snippet_html.ends_with('…') && browse.snippet_html.chars().count() <= 201);
    })
    .await;
}

#[tokio::test]
async fn synthetic_corpus_indexes_and_searches() {
    let docs: Vec<Document> = faro_search::synth::documents(300, 1).collect();
    each_engine(&docs, async |e| {
        assert_eq!(e.count().await.unwrap(), 300, "{}", e.name());
        let member = faro_search::synth::memberships(1)[0];
        let r = run(
            e,
            &SearchRequest::new("configurar impresora", Scope::Membership(member)),
        )
        .await;
        assert!(r.total > 0, "{}", e.name());
        for hit in &r.hits {
            let d = docs.iter().find(|d| d.id == hit.id).unwrap();
            assert!(d.published && (d.membership.is_none() || d.membership == Some(member)));
        }
    })
    .await;
}
