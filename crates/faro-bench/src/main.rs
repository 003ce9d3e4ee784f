//! `faro-bench`: the numbers the knowledge-base issue asks for, measured on this machine.
//!
//! - `search`: builds a tantivy index of N synthetic Spanish articles and reports build time,
//!   index size and search latency percentiles for a mix of queries.
//! - `pages`: starts Faro (SQLite) with N articles, signs a member in and drives one article
//!   page with `wrk` at 64 connections; in the same run, drives a bare hyper "hello" server
//!   the same way, alternating the two for a few rounds, and reports the median ratio.
//! - `incidents`: a membership with a million incidents on PostgreSQL; member list and staff
//!   queue latency through the store.
//! - `api`: the REST API's reads with a JWT (`/api/v1/me`, one membership) under wrk at 64
//!   connections, alternating with a bare actix-web hello; median ratios and p99.
//! - `files`: publishes one large download version (default 1 GiB) and downloads it back,
//!   reporting throughput and the growth of the server's resident memory.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "faro-bench",
    about = "Faro benchmarks (see docs/benchmarks.md)"
)]
struct Cli {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand)]
enum What {
    /// Index build time, index size and search latency for N synthetic articles.
    Search {
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        /// Queries timed per query shape.
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
    },
    /// Article page requests per second under wrk, against a bare hyper server.
    Pages {
        #[arg(long, default_value_t = 2_000)]
        articles: usize,
        #[arg(long, default_value_t = 64)]
        connections: u32,
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        /// Rounds of hello then article page; the median ratio is reported.
        #[arg(long, default_value_t = 3)]
        rounds: u32,
        /// Also drive `/healthz` (no middleware) and `/login` (middleware and layout, no
        /// database) in the same run, to see what the framework alone costs.
        #[arg(long)]
        framework: bool,
    },
    /// API reads (`GET /api/v1/me` with a JWT, a membership read) under wrk, against a bare
    /// actix-web hello in the same run.
    Api {
        #[arg(long, default_value_t = 64)]
        connections: u32,
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        /// Rounds of hello then each API read; the median ratios are reported.
        #[arg(long, default_value_t = 3)]
        rounds: u32,
    },
    /// Upload and download of one large file: throughput and the server's RSS growth.
    Files {
        #[arg(long, default_value_t = 1024)]
        size_mb: u64,
    },
    /// Incident lists with a million incidents in one membership (PostgreSQL): p50/p99.
    Incidents {
        /// An administrative PostgreSQL URL; a scratch database is created and dropped.
        #[arg(
            long,
            env = "FARO_BENCH_DATABASE_URL",
            default_value = "postgres://postgres@127.0.0.1:5432/test"
        )]
        database_url: String,
        #[arg(long, default_value_t = 1_000_000)]
        incidents: u64,
        /// Incidents of the other memberships (they share the staff queue).
        #[arg(long, default_value_t = 200_000)]
        others: u64,
        #[arg(long, default_value_t = 500)]
        runs: usize,
    },
    /// The portal for `files`, run in its own process so its memory is measured alone.
    #[command(hide = true)]
    Server {
        #[arg(long)]
        data_dir: std::path::PathBuf,
        #[arg(long)]
        address_file: std::path::PathBuf,
    },
}

/// mimalloc: page rendering allocates many short-lived strings across threads, which glibc's
/// allocator serves noticeably slower (measured in docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.what {
        What::Search { articles, queries } => search(articles, queries),
        What::Pages {
            articles,
            connections,
            seconds,
            rounds,
            framework,
        } => rt.block_on(pages::run(
            articles,
            connections,
            seconds,
            rounds,
            framework,
        )),
        What::Files { size_mb } => rt.block_on(files::run(size_mb)),
        What::Api {
            connections,
            seconds,
            rounds,
        } => rt.block_on(api::run(connections, seconds, rounds)),
        What::Incidents {
            database_url,
            incidents,
            others,
            runs,
        } => rt.block_on(incidents::run(&database_url, incidents, others, runs)),
        What::Server {
            data_dir,
            address_file,
        } => rt.block_on(files::server(data_dir, address_file)),
    }
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn search(n: usize, per_shape: usize) -> anyhow::Result<()> {
    use faro_search::{Scope, SearchIndex, SearchRequest};
    let dir = tempfile::tempdir()?;
    let index = SearchIndex::open(dir.path())?;
    println!("Building an index of {n} synthetic articles…");
    let started = Instant::now();
    let docs: Vec<_> = faro_search::synth::documents(n, 42).collect();
    for chunk in docs.chunks(5_000) {
        index.upsert(chunk)?;
    }
    let build = started.elapsed();
    let size = dir_size(dir.path());
    println!(
        "index build: {:.1} s ({:.0} articles/s), size: {:.1} MB, {} documents",
        build.as_secs_f64(),
        n as f64 / build.as_secs_f64(),
        size as f64 / 1_048_576.0,
        index.doc_count()
    );

    let memberships = faro_search::synth::memberships(42);
    let shapes: [(&str, &[&str]); 5] = [
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
    let mut all = Vec::new();
    println!(
        "\n{:<12} {:>8} {:>8} {:>8} {:>8}",
        "query", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for (name, texts) in shapes {
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
            let r = index.search(&req)?;
            times.push(t.elapsed());
            std::hint::black_box(r);
        }
        times.sort();
        println!(
            "{:<12} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            name,
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.9)),
            ms(percentile(&times, 0.99)),
            ms(*times.last().unwrap_or(&Duration::ZERO))
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "{:<12} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
        "all",
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.9)),
        ms(percentile(&all, 0.99)),
        ms(*all.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "\ngoal: p99 < 10 ms -> {}",
        if percentile(&all, 0.99) < Duration::from_millis(10) {
            "met"
        } else {
            "NOT met"
        }
    );
    Ok(())
}

/// Runs wrk and returns requests per second.
fn wrk(url: &str, connections: u32, seconds: u32, cookie: Option<&str>) -> anyhow::Result<f64> {
    let header = cookie.map(|c| format!("Cookie: {c}"));
    wrk_run(url, connections, seconds, header.as_deref()).map(|r| r.rps)
}

/// What one wrk run measured.
pub struct WrkRun {
    pub rps: f64,
    /// The 99th percentile latency wrk printed (e.g. `12.34ms`).
    pub p99: String,
}

/// Runs wrk with an optional request header (`Name: value`).
fn wrk_run(
    url: &str,
    connections: u32,
    seconds: u32,
    header: Option<&str>,
) -> anyhow::Result<WrkRun> {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    if let Some(h) = header {
        cmd.args(["-H", h]);
    }
    let out = cmd
        .arg(url)
        .output()
        .map_err(|e| anyhow::anyhow!("cannot run wrk (apt-get install wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    if text.contains("Non-2xx") {
        anyhow::bail!("wrk saw error responses");
    }
    let rps = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("Requests/sec:")
                .map(|v| v.trim().parse::<f64>())
        })
        .ok_or_else(|| anyhow::anyhow!("no Requests/sec in wrk output"))??;
    let p99 = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%").map(|v| v.trim().to_owned()))
        .unwrap_or_default();
    Ok(WrkRun { rps, p99 })
}

mod api;

mod files;
mod hello;
mod incidents;
mod pages;
