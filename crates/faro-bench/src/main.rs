//! `faro-bench`: the numbers the knowledge-base issue asks for, measured on this machine.
//!
//! - `search`: indexes N synthetic Spanish articles in each engine (the embedded tantivy index,
//!   and Meilisearch when `--meilisearch-url` is given) and reports build time, index size and
//!   search latency percentiles for a mix of query shapes, through the `SearchEngine` interface
//!   the API uses.
//! - `incidents`: a membership with a million incidents on PostgreSQL; member list and staff
//!   queue latency through the store and through the REST API.
//! - `api`: the REST API's reads with a JWT (`/api/v1/me`, one membership, a member reading a
//!   knowledge-base article) under wrk at 64 connections, alternating with a bare actix-web
//!   hello; median ratios and p99.
//! - `files`: publishes one large download version (default 1 GiB) and downloads it back,
//!   reporting throughput and the growth of the server's resident memory.
//! - `attachments`: a client's member opens an incident with one large file (default 1 GiB)
//!   through the REST API and reads it back by its signed address, with the same measures.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

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
        /// Also measure a Meilisearch server (a scratch index is created and deleted).
        #[arg(long, env = "FARO_BENCH_MEILISEARCH_URL")]
        meilisearch_url: Option<String>,
        #[arg(long, env = "FARO_BENCH_MEILISEARCH_KEY")]
        meilisearch_key: Option<String>,
    },
    /// API reads (`GET /api/v1/me` with a JWT, a membership read, a member's article read)
    /// under wrk, against a bare actix-web hello in the same run.
    Api {
        #[arg(long, default_value_t = 64)]
        connections: u32,
        #[arg(long, default_value_t = 10)]
        seconds: u32,
        /// Rounds of hello then each API read; the median ratios are reported.
        #[arg(long, default_value_t = 3)]
        rounds: u32,
        /// Articles in the knowledge base the article read picks one from.
        #[arg(long, default_value_t = 2_000)]
        articles: usize,
    },
    /// Upload and download of one large file: throughput and the server's RSS growth.
    Files {
        #[arg(long, default_value_t = 1024)]
        size_mb: u64,
    },
    /// One large incident attachment through the REST API: throughput and the server's RSS
    /// growth while it is uploaded and read back.
    Attachments {
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
    /// The REST API for `files`, run in its own process so its memory is measured alone.
    #[command(hide = true)]
    Server {
        #[arg(long)]
        data_dir: std::path::PathBuf,
        #[arg(long)]
        address_file: std::path::PathBuf,
    },
    /// The REST API for `attachments`, in its own process likewise.
    #[command(hide = true)]
    ApiServer {
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
    // The servers the benches start run with `faro serve`'s allocator settings.
    faro_api::allocator::tune();
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.what {
        What::Search {
            articles,
            queries,
            meilisearch_url,
            meilisearch_key,
        } => rt.block_on(search::run(
            articles,
            queries,
            meilisearch_url.map(|url| faro_search::MeiliConfig {
                url,
                key: meilisearch_key,
                index: format!("faro-bench-{}", uuid::Uuid::new_v4().simple()),
            }),
        )),
        What::Files { size_mb } => rt.block_on(files::run(size_mb)),
        What::Attachments { size_mb } => rt.block_on(attachments::run(size_mb)),
        What::Api {
            connections,
            seconds,
            rounds,
            articles,
        } => rt.block_on(api::run(connections, seconds, rounds, articles)),
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
        What::ApiServer {
            data_dir,
            address_file,
        } => rt.block_on(attachments::server(data_dir, address_file)),
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

mod attachments;
mod files;
mod incidents;
mod search;
mod seed;
