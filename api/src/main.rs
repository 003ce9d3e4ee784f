//! `faro`: the support portal's single binary.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use faro_api::config::{Config, Settings};
use faro_api::server::{self, StartOptions};
use faro_api::{demo, runtime as app};
use faro_core::records::Actor;
use faro_core::{ContractState, Email, Lang, MembershipName, NewPassword, Role, TaxId, Viewer};
use faro_store::{NewMembership, NewStaff};

#[derive(Parser)]
#[command(
    name = "faro",
    version,
    about = "Faro: portal de soporte autoalojado / self-hosted support portal",
    long_about = "Faro serves the support portal's REST API (the default command): /api/v1, its \
documentation at /api/docs, /healthz and /readyz. Configuration: defaults, then faro.toml (or the file \
in FARO_CONFIG), then FARO_* variables: FARO_BIND, FARO_DATA_DIR, FARO_DATABASE_URL, FARO_BASE_URL, \
FARO_SMTP_URL, FARO_MAIL_FROM, FARO_JWT_KEYS, FARO_ACCESS_TOKEN_MINUTES, FARO_CORS_ORIGINS, \
FARO_INDEX_DIR and the rest listed in the README."
)]
struct Cli {
    /// With no command: serve, loading the Spanish demo data (public passwords!).
    #[arg(long)]
    demo: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve {
        /// Load the Spanish demo (two client memberships, one account per role) and print its accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date and exit (a database made by a SeaORM release of
    /// Faro is adopted: its applied migrations are recorded, every row is kept).
    Migrate,
    /// Rebuild this node's search index from the database (stop `faro serve` first).
    Reindex,
    /// Staff accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Client memberships.
    #[command(subcommand)]
    Membership(MembershipCommand),
    /// Print the OpenAPI document of the REST API (what openapi/openapi.json holds).
    Openapi,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a staff account; the password is read from standard input.
    Create(AdminCreate),
}

#[derive(Args)]
struct AdminCreate {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    /// admin or agent
    #[arg(long, default_value = "admin")]
    role: String,
    /// Read the password from standard input (required: passwords never go on the command line).
    #[arg(long, required = true)]
    password_stdin: bool,
}

#[derive(Subcommand)]
enum MembershipCommand {
    /// Create an active membership; its invitation code is the last line printed.
    Create(MembershipCreate),
    /// List memberships with their state and invitation code.
    List,
}

#[derive(Args)]
struct MembershipCreate {
    #[arg(long)]
    name: String,
    #[arg(long)]
    coordinator_email: Option<String>,
    #[arg(long)]
    tax_id: Option<String>,
    /// contract, subscription or lapsed
    #[arg(long, default_value = "contract")]
    contract: String,
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FARO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

/// mimalloc: answers allocate many short-lived strings across threads, which glibc's allocator
/// serves noticeably slower (measured in docs/benchmarks.md); tuned in `allocator.rs`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    faro_api::allocator::tune();
    let cli = Cli::parse();
    let settings = match Config::load().and_then(Config::validate) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    init_logging();
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
    match runtime.block_on(run(cli, settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command {
        None => serve(settings, cli.demo).await,
        Some(Command::Serve { demo }) => serve(settings, demo || cli.demo).await,
        Some(Command::Migrate) => {
            app::open_store(&settings).await?.close().await;
            println!("migraciones aplicadas / migrations applied");
            Ok(())
        }
        Some(Command::Reindex) => reindex(settings).await,
        Some(Command::Admin(AdminCommand::Create(a))) => admin_create(settings, a).await,
        Some(Command::Membership(MembershipCommand::Create(m))) => {
            membership_create(settings, m).await
        }
        Some(Command::Membership(MembershipCommand::List)) => membership_list(settings).await,
        Some(Command::Openapi) => {
            print!("{}", faro_api::openapi::pretty());
            Ok(())
        }
    }
}

async fn serve(settings: Settings, with_demo: bool) -> anyhow::Result<()> {
    let store = app::open_store(&settings).await?;
    if with_demo {
        demo::load(&store, &app::open_files(&settings)?).await?;
    }
    let running = server::start(&settings, store.clone(), StartOptions::default()).await?;
    println!(
        "Faro escuchando en {} (datos en {}); API en {}/api/v1, documentación en {}/api/docs",
        running.base_url,
        settings.data_dir.display(),
        running.base_url,
        running.base_url
    );
    if with_demo {
        println!(
            "AVISO: datos de demostración cargados. Estas contraseñas son públicas: no uses --demo en producción."
        );
        println!(
            "WARNING: demo data loaded. These passwords are public: never use --demo in production."
        );
        for line in demo::account_lines() {
            println!("{line}");
        }
    }
    for line in sign_in_instructions(&store, &running.base_url).await? {
        println!("{line}");
    }
    running.wait().await;
    Ok(())
}

async fn reindex(settings: Settings) -> anyhow::Result<()> {
    let store = app::open_store(&settings).await?;
    let started = std::time::Instant::now();
    let n = match &settings.meilisearch {
        // The shared index, under its push lease (a running server gives it up between pushes).
        Some(config) => {
            let engine = app::connect_meilisearch(config).await?;
            println!("Meilisearch {} ({})", config.url, engine.uid());
            faro_jobs::index::rebuild(&store, &engine).await?
        }
        None => {
            let dir = settings.index_dir.clone();
            std::fs::create_dir_all(&dir)?;
            let index = faro_search::SearchIndex::open(&dir).map_err(|e| {
                anyhow::anyhow!(
                    "cannot open the search index in {} (is faro serve running?): {e}",
                    dir.display()
                )
            })?;
            faro_jobs::index::rebuild(&store, &index).await?
        }
    };
    println!(
        "{n} documentos indexados en {:.1} s (artículos, descargas, recursos, incidencias) / {n} documents indexed",
        started.elapsed().as_secs_f64()
    );
    store.close().await;
    Ok(())
}

fn cli_actor() -> Actor {
    Actor {
        email: Some(format!(
            "cli:{}",
            std::env::var("USER").unwrap_or_else(|_| "faro".into())
        )),
        ..Actor::default()
    }
}

/// Tells the operator how to get in: the one-time setup token while nobody has an account.
async fn sign_in_instructions(
    store: &faro_store::Store,
    base_url: &str,
) -> anyhow::Result<Vec<String>> {
    let mut lines = Vec::new();
    if let Some(token) = store.issue_setup_token().await? {
        lines.push("Primer arranque: abre este enlace de un solo uso para crear la cuenta de administración / First run: open this one-time link to create the administrator account:".into());
        lines.push(format!("  {base_url}/setup?token={}", token.expose()));
        lines.push(format!(
            "  (API) curl -X POST {base_url}/api/v1/setup -H 'Content-Type: application/json' -d '{{\"token\": \"{}\", \"name\": \"…\", \"email\": \"…\", \"password\": \"…\"}}'",
            token.expose()
        ));
    } else {
        lines.push(format!(
            "Inicia sesión / Sign in: {base_url}/login (API: POST {base_url}/api/v1/auth/login, documentación / docs: {base_url}/api/docs)"
        ));
    }
    Ok(lines)
}

async fn admin_create(settings: Settings, a: AdminCreate) -> anyhow::Result<()> {
    let email = Email::parse(&a.email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let role =
        Role::parse_staff(&a.role).map_err(|_| anyhow::anyhow!("--role must be admin or agent"))?;
    let name = faro_core::email::parse_name(&a.name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let pw = input.lines().next().unwrap_or("").to_string();
    let password = NewPassword::parse(&pw, &pw, &[email.as_str(), &name])
        .map_err(|e| anyhow::anyhow!("password: {e}"))?
        .hash()
        .map_err(|e| anyhow::anyhow!(e))?;
    let store = app::open_store(&settings).await?;
    let new = NewStaff {
        email,
        name,
        role,
        language: Lang::Es,
        password: Some(password),
    };
    let person = store
        .create_staff(&Viewer::system(), &cli_actor(), new, None)
        .await?;
    println!("{} {} {}", person.role, person.email, person.id);
    store.close().await;
    Ok(())
}

async fn membership_create(settings: Settings, m: MembershipCreate) -> anyhow::Result<()> {
    let new = NewMembership {
        name: MembershipName::parse(&m.name).map_err(|e| anyhow::anyhow!("--name: {e}"))?,
        tax_id: TaxId::parse_optional(m.tax_id.as_deref().unwrap_or(""))
            .map_err(|e| anyhow::anyhow!("--tax-id: {e}"))?,
        coordinator_email: m
            .coordinator_email
            .as_deref()
            .map(Email::parse)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--coordinator-email: {e}"))?,
        contract_state: ContractState::parse(&m.contract)
            .map_err(|e| anyhow::anyhow!("--contract: {e}"))?,
        code_expires_at: None,
    };
    let store = app::open_store(&settings).await?;
    let system = Viewer::system();
    let actor = cli_actor();
    let created = store.create_membership(&system, &actor, new).await?;
    let active = store
        .activate_membership_quietly(&system, &actor, created.id)
        .await?;
    println!("{} {}", active.id, active.name);
    println!("{}", active.invitation_code.display());
    store.close().await;
    Ok(())
}

async fn membership_list(settings: Settings) -> anyhow::Result<()> {
    let store = app::open_store(&settings).await?;
    for row in store
        .list_memberships(&Viewer::system(), faro_store::NamePage::ALL)
        .await?
    {
        let m = row.membership;
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            m.id,
            m.invitation_code.display(),
            if m.active { "active" } else { "inactive" },
            m.contract_state.as_str(),
            row.people,
            m.name
        );
    }
    store.close().await;
    Ok(())
}
