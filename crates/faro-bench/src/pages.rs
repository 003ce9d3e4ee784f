//! Article pages under load, next to the bare hyper baseline, in one run.

use faro_core::kb::{ArticleDraft, ArticleKind, ArticleState};
use faro_core::records::Actor;
use faro_core::{ContractState, Email, MembershipName, NewPassword, Role, Viewer};
use faro_legacy::app::{self, StartOptions};
use faro_legacy::config::Config;
use faro_store::{Author, NewMembership};

pub const PASSWORD: &str = "Banco-de-pruebas-2026";

/// A membership with a member (`lectora@banco.es`) and `articles` published articles, half of
/// them the membership's and half global, with realistic Markdown. Returns the slug of the
/// middle one.
pub async fn seed(store: &faro_store::Store, articles: usize) -> anyhow::Result<String> {
    let system = Viewer::system();
    let actor = Actor::default();
    let m = store
        .create_membership(
            &system,
            &actor,
            NewMembership {
                name: MembershipName::parse("Banco de Pruebas S.A.")?,
                tax_id: None,
                coordinator_email: None,
                contract_state: ContractState::Contract,
                code_expires_at: None,
            },
        )
        .await?;
    store
        .activate_membership_quietly(&system, &actor, m.id)
        .await?;
    let hash = NewPassword::parse(PASSWORD, PASSWORD, &[])
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .hash()
        .map_err(|e| anyhow::anyhow!(e))?;
    store
        .create_client_person(
            m.id,
            &Email::parse("lectora@banco.es")?,
            "Lectora",
            Role::Member,
            &hash,
        )
        .await?;

    println!("Writing {articles} articles through the store…");
    let author = Author {
        id: None,
        name: "Banco".into(),
    };
    let mut slug = String::new();
    for (i, d) in faro_search::synth::documents(articles, 7).enumerate() {
        let body = format!(
            "## Pasos\n\n1. {}\n2. Comprueba el resultado.\n\n| Campo | Valor |\n|---|---|\n| Equipo | PC-{i} |\n\n```\nping servidor\n```\n",
            d.body
        );
        let a = store
            .create_article(
                &system,
                &author,
                ArticleDraft {
                    title: format!("{} {i}", d.title),
                    summary: d.summary,
                    body,
                    kind: ArticleKind::parse(&d.kind).unwrap_or(ArticleKind::Faq),
                    state: ArticleState::Published,
                    category_id: None,
                    membership_id: if i % 2 == 0 { Some(m.id) } else { None },
                    tags: d.tags,
                    note: String::new(),
                },
            )
            .await?;
        if i == articles / 2 {
            slug = a.slug;
        }
    }
    Ok(slug)
}

pub async fn run(
    articles: usize,
    connections: u32,
    seconds: u32,
    rounds: u32,
    framework: bool,
) -> anyhow::Result<()> {
    anyhow::ensure!(rounds > 0, "--rounds must be at least 1");
    let dir = tempfile::tempdir()?;
    let settings = Config {
        bind: "127.0.0.1:0".into(),
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    }
    .validate()?;
    let store = app::open_store(&settings).await?;
    let slug = seed(&store, articles).await?;
    let running = app::start(
        &settings,
        store,
        StartOptions {
            handle_signals: false,
            ..StartOptions::default()
        },
    )
    .await?;
    faro_files::install_tls_provider();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let login = format!("{}/login", running.base_url);
    let page = client.get(&login).send().await?;
    let csrf = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("faro_csrf="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no CSRF cookie"))?;
    let res = client
        .post(&login)
        .header("cookie", format!("faro_csrf={csrf}"))
        .form(&[
            ("email", "lectora@banco.es"),
            ("password", PASSWORD),
            ("_csrf", csrf.as_str()),
        ])
        .send()
        .await?;
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("faro_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("sign-in failed"))?;
    let cookie = format!("faro_session={session}; faro_csrf={csrf}");
    let url = format!("{}/kb/{slug}", running.base_url);
    let check = client.get(&url).header("cookie", &cookie).send().await?;
    anyhow::ensure!(
        check.status().is_success(),
        "article page answered {}",
        check.status()
    );

    let hello = super::hello::start().await?;
    let hello_url = format!("http://{hello}/");
    // This machine's speed drifts by a fifth from one minute to the next: rounds alternate the
    // two servers, and the ratio reported is the median of the rounds' ratios.
    let mut ratios = Vec::new();
    let mut base_rps = 0.0;
    for round in 1..=rounds {
        println!(
            "\n== round {round}/{rounds}: bare hyper hello ({connections} connections, {seconds} s)"
        );
        let u = hello_url.clone();
        base_rps = tokio::task::spawn_blocking(move || super::wrk(&u, connections, seconds, None))
            .await??;
        println!("\n== round {round}/{rounds}: Faro article page {url}");
        let (u, c) = (url.clone(), cookie.clone());
        let faro_rps =
            tokio::task::spawn_blocking(move || super::wrk(&u, connections, seconds, Some(&c)))
                .await??;
        println!(
            "round {round}: hello {base_rps:.0} req/s; article page {faro_rps:.0} req/s; ratio {:.1} %",
            100.0 * faro_rps / base_rps
        );
        ratios.push(faro_rps / base_rps);
    }
    ratios.sort_by(f64::total_cmp);
    if framework {
        for (path, what) in [
            ("/healthz", "no middleware"),
            ("/login", "middleware and layout, no database"),
        ] {
            let u = format!("{}{path}", running.base_url);
            let c = format!("faro_csrf={csrf}");
            println!("\n== Faro {path} ({what})");
            let rps =
                tokio::task::spawn_blocking(move || super::wrk(&u, connections, seconds, Some(&c)))
                    .await??;
            println!(
                "{path}: {rps:.0} req/s; ratio {:.0} %",
                100.0 * rps / base_rps
            );
        }
    }
    let median = ratios[ratios.len() / 2];
    println!(
        "\narticle page / hello, {rounds} rounds: {} ; median {:.1} % (goal >= 50 %)",
        ratios
            .iter()
            .map(|r| format!("{:.1} %", 100.0 * r))
            .collect::<Vec<_>>()
            .join(", "),
        100.0 * median
    );
    running.stop().await;
    Ok(())
}
