//! `faro-bench api`: the REST API's reads against a bare actix-web "hello" in the same run.
//! The API runs exactly as `faro serve` does (SQLite in a temp folder, every middleware, the
//! per-request credential check); wrk sends a JWT in `Authorization`.

use actix_web::{App, HttpResponse, HttpServer, web};
use faro_api::config::Config;
use faro_api::server::{self, StartOptions};
use serde_json::json;

/// A bare actix-web server answering a small JSON "hello" to every GET.
fn start_hello() -> anyhow::Result<(String, actix_web::dev::ServerHandle)> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server = HttpServer::new(|| {
        App::new().default_service(web::to(|| async {
            HttpResponse::Ok().json(json!({"hello": "world"}))
        }))
    })
    .listen(listener)?
    .disable_signals()
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    Ok((format!("http://{addr}/"), handle))
}

/// The API as `faro serve` runs it, on 127.0.0.1 at a free port, with `config` (its data
/// folder, database…); its store beside it.
pub async fn start(
    config: Config,
) -> anyhow::Result<(faro_store::Store, faro_api::server::Running)> {
    faro_files::install_tls_provider();
    let settings = Config {
        bind: "127.0.0.1:0".into(),
        ..config
    }
    .validate()?;
    let store = faro_api::runtime::open_store(&settings).await?;
    let running = server::start(
        &settings,
        store.clone(),
        StartOptions {
            handle_signals: false,
            ..StartOptions::default()
        },
    )
    .await?;
    Ok((store, running))
}

pub async fn run(
    connections: u32,
    seconds: u32,
    rounds: u32,
    articles: usize,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (store, running) = start(Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    })
    .await?;
    let base = running.base_url.clone();
    let http = reqwest::Client::new();
    let token = store
        .issue_setup_token()
        .await?
        .ok_or_else(|| anyhow::anyhow!("fresh database has users"))?;
    let r: serde_json::Value = http
        .post(format!("{base}/api/v1/setup"))
        .json(&json!({"token": token.expose(), "name": "Bench", "email": "bench@soporte.example.es", "password": "caballo bateria grapa correcta"}))
        .send()
        .await?
        .json()
        .await?;
    let jwt = r["access_token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("setup gave no token: {r}"))?
        .to_owned();
    let m: serde_json::Value = http
        .post(format!("{base}/api/v1/memberships"))
        .bearer_auth(&jwt)
        .json(&json!({"name": "Talleres Bench S.L.", "contract_state": "contract"}))
        .send()
        .await?
        .json()
        .await?;
    let membership = m["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no membership: {m}"))?
        .to_owned();
    println!("Writing {articles} articles through the store…");
    let slug = crate::seed::seed(&store, articles).await?;
    // A client member reads the article, as the portal's readers do (their reads are counted).
    let member_jwt = crate::seed::login(
        &http,
        &format!("{base}/api/v1"),
        crate::seed::MEMBER,
        crate::seed::PASSWORD,
    )
    .await?;
    let article_url = format!("{base}/api/v1/kb/articles/{slug}");
    let check = http
        .get(&article_url)
        .bearer_auth(&member_jwt)
        .send()
        .await?;
    anyhow::ensure!(
        check.status().is_success(),
        "article read answered {}",
        check.status()
    );
    let (hello_url, hello) = start_hello()?;
    let auth = format!("Authorization: Bearer {jwt}");
    let member_auth = format!("Authorization: Bearer {member_jwt}");
    let reads = [
        (
            "GET /healthz (middleware only)",
            format!("{base}/healthz"),
            &auth,
        ),
        ("GET /api/v1/me", format!("{base}/api/v1/me"), &auth),
        (
            "GET /api/v1/memberships/{id}",
            format!("{base}/api/v1/memberships/{membership}"),
            &auth,
        ),
        (
            "GET /api/v1/kb/articles/{slug} (a member)",
            article_url.clone(),
            &member_auth,
        ),
    ];
    // This machine's speed drifts from one minute to the next: rounds alternate the servers,
    // and the ratio reported is the median of the rounds' ratios.
    let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); reads.len()];
    let mut p99s: Vec<Vec<String>> = vec![Vec::new(); reads.len()];
    let mut hello_p99 = Vec::new();
    for round in 1..=rounds {
        println!(
            "\n== round {round}/{rounds}: bare actix-web hello ({connections} connections, {seconds} s)"
        );
        let u = hello_url.clone();
        let base_run =
            tokio::task::spawn_blocking(move || super::wrk_run(&u, connections, seconds, None))
                .await??;
        hello_p99.push(base_run.p99.clone());
        for (i, (name, url, auth)) in reads.iter().enumerate() {
            println!("\n== round {round}/{rounds}: Faro {name}");
            let (u, h) = (url.clone(), (*auth).clone());
            let run = tokio::task::spawn_blocking(move || {
                super::wrk_run(&u, connections, seconds, Some(&h))
            })
            .await??;
            println!(
                "round {round}: hello {:.0} req/s; {name} {:.0} req/s (p99 {}); ratio {:.1} %",
                base_run.rps,
                run.rps,
                run.p99,
                100.0 * run.rps / base_run.rps
            );
            ratios[i].push(run.rps / base_run.rps);
            p99s[i].push(run.p99);
        }
    }
    println!(
        "\nbare actix-web hello p99 per round: {}",
        hello_p99.join(", ")
    );
    for (i, (name, _, _)) in reads.iter().enumerate() {
        let mut r = ratios[i].clone();
        r.sort_by(f64::total_cmp);
        println!(
            "{name} / hello, {rounds} rounds: {} ; median {:.1} % (goal >= 50 %); p99 per round: {}",
            ratios[i]
                .iter()
                .map(|x| format!("{:.1} %", 100.0 * x))
                .collect::<Vec<_>>()
                .join(", "),
            100.0 * r[r.len() / 2],
            p99s[i].join(", ")
        );
    }
    hello.stop(true).await;
    running.stop().await;
    Ok(())
}
