//! `faro-legacy`: the server-rendered portal pages, on the same database and data folder as
//! `faro serve` (run it on another port: `just legacy` uses FARO_BIND=127.0.0.1:8081 and its own
//! search index folder).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::ExitCode;

use clap::Parser;
use faro_api::config::{Config, Settings};
use faro_legacy::app::{self, StartOptions};
use faro_legacy::demo;

#[derive(Parser)]
#[command(
    name = "faro-legacy",
    version,
    about = "Faro: las páginas del portal renderizadas en el servidor / the server-rendered portal pages",
    long_about = "Serves Faro's server-rendered pages (until the single-page app covers them) with the \
same configuration as `faro serve`: faro.toml, FARO_BIND, FARO_DATA_DIR, FARO_DATABASE_URL and the rest. \
Give it its own FARO_BIND and FARO_INDEX_DIR when `faro serve` runs on the same data folder. \
The knowledge base and the incidents have moved to the single-page app: these pages send /kb \
and /incidents addresses on to --portal-url."
)]
struct Cli {
    /// Load the Spanish demo (public passwords!) and print its accounts.
    #[arg(long)]
    demo: bool,
    /// Where `faro serve` (the single-page app) answers; /kb and /incidents addresses are sent on
    /// there.
    #[arg(long, env = "FARO_PORTAL_URL", default_value = app::DEFAULT_PORTAL_URL)]
    portal_url: String,
}

/// mimalloc: page rendering allocates many short-lived strings across threads, which glibc's
/// allocator serves noticeably slower (measured in docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Config::load().and_then(Config::validate) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("FARO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(settings, cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings, cli: Cli) -> anyhow::Result<()> {
    let with_demo = cli.demo;
    let store = app::open_store(&settings).await?;
    if with_demo {
        demo::load(&store, &app::open_files(&settings)?).await?;
    }
    let opts = StartOptions {
        portal_url: cli.portal_url,
        ..StartOptions::default()
    };
    let running = app::start(&settings, store.clone(), opts).await?;
    println!(
        "Faro (páginas clásicas) escuchando en {} (datos en {})",
        running.base_url,
        settings.data_dir.display()
    );
    if with_demo {
        for line in demo::account_lines() {
            println!("{line}");
        }
    }
    for line in app::sign_in_instructions(&store, &running.base_url).await? {
        println!("{line}");
    }
    running.wait().await;
    Ok(())
}
