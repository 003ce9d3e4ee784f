//! `faro-bench search`: the same synthetic knowledge base and the same query shapes through
//! each engine, as the API calls them (`&dyn SearchEngine`): build time, size on disk, and
//! latency percentiles per shape.

use std::time::{Duration, Instant};

use faro_search::{
    Document, MeiliConfig, MeiliEngine, Scope, SearchEngine, SearchIndex, SearchRequest,
};

use crate::{dir_size, ms, percentile};

/// What users type: single words, two words, typos, phrases and exclusions.
const SHAPES: [(&str, &[&str]); 5] = [
    (
        "one word",
        &[
            "impresora",
            "vpn",
            "correo",
            "contraseña",
            "copias",
            "portátil",
            "red",
            "certificado",
        ],
    ),
    (
        "two words",
        &[
            "configurar impresora",
            "error vpn",
            "correo rechazado",
            "restablecer contraseña",
            "copia seguridad",
        ],
    ),
    (
        "typo",
        &[
            "impresroa",
            "configurasion",
            "contrasena",
            "certifcado",
            "sincronisar",
        ],
    ),
    (
        "phrase",
        &[
            "\"cola de impresión\"",
            "\"no conecta\"",
            "\"copia de seguridad\"",
        ],
    ),
    (
        "exclusion",
        &["impresora -red", "vpn -móvil", "correo -spam"],
    ),
];

const BATCH: usize = 5_000;

pub async fn run(n: usize, per_shape: usize, meili: Option<MeiliConfig>) -> anyhow::Result<()> {
    println!("Generating {n} synthetic articles…");
    let docs: Vec<Document> = faro_search::synth::documents(n, 42).collect();

    let dir = tempfile::tempdir()?;
    let embedded = SearchIndex::open(dir.path())?;
    let build = fill(&embedded, &docs).await?;
    let size = dir_size(dir.path());
    report(&embedded, n, build, size, per_shape).await?;

    match meili {
        None => println!(
            "\nMeilisearch: not measured (give --meilisearch-url or FARO_BENCH_MEILISEARCH_URL)"
        ),
        Some(config) => {
            let engine = MeiliEngine::connect(&config).await?;
            println!(
                "\nMeilisearch {} ({}), index {}",
                config.url,
                engine.version().await?,
                engine.uid()
            );
            println!(
                "settings: searchable title, tags, summary, body and their Spanish stems (in that order of importance); \
                 ranking words > typo > proximity > attribute > sort > exactness; typos: 1 from 5 letters, 2 from 8; \
                 Spanish stop words and synonyms; filters on scope, publication, kind, category; exact totals up to 10,200"
            );
            let before = engine.disk_size().await?;
            let build = fill(&engine, &docs).await?;
            let size = engine.disk_size().await?.saturating_sub(before);
            let measured = report(&engine, n, build, size, per_shape).await;
            engine.delete().await?;
            measured?;
        }
    }
    Ok(())
}

async fn fill(engine: &dyn SearchEngine, docs: &[Document]) -> anyhow::Result<Duration> {
    let started = Instant::now();
    for chunk in docs.chunks(BATCH) {
        engine.apply(chunk, &[], 1).await?;
    }
    Ok(started.elapsed())
}

async fn report(
    engine: &dyn SearchEngine,
    n: usize,
    build: Duration,
    size: u64,
    per_shape: usize,
) -> anyhow::Result<()> {
    println!(
        "\n[{}] index build: {:.1} s ({:.0} articles/s), size: {:.1} MB, {} documents",
        engine.name(),
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64(),
        size as f64 / 1_048_576.0,
        engine.count().await?
    );
    let memberships = faro_search::synth::memberships(42);
    println!(
        "{:<12} {:>8} {:>8} {:>8} {:>8}",
        "query", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    let mut all = Vec::new();
    for (name, texts) in SHAPES {
        let mut times = Vec::with_capacity(per_shape);
        for i in 0..per_shape {
            let scope = if i % 4 == 0 {
                Scope::All
            } else {
                Scope::Membership(memberships[i % memberships.len()])
            };
            let mut req = SearchRequest::new(texts[i % texts.len()], scope);
            req.limit = 20;
            let t = Instant::now();
            let r = engine.search(&req).await?;
            times.push(t.elapsed());
            std::hint::black_box(r);
        }
        times.sort();
        line(name, &times);
        all.extend(times);
    }
    all.sort();
    line("all", &all);
    if engine.name() == "embedded" {
        println!(
            "goal: p99 < 10 ms -> {}",
            if percentile(&all, 0.99) < Duration::from_millis(10) {
                "met"
            } else {
                "NOT met"
            }
        );
    }
    Ok(())
}

fn line(name: &str, sorted: &[Duration]) {
    println!(
        "{:<12} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
        name,
        ms(percentile(sorted, 0.5)),
        ms(percentile(sorted, 0.9)),
        ms(percentile(sorted, 0.99)),
        ms(*sorted.last().unwrap_or(&Duration::ZERO))
    );
}
