//! The incident lists at scale, on PostgreSQL: one membership with N incidents (default
//! 1,000,000) among others, then the member's list and the staff queue timed through the store,
//! and through the REST API as an integration or the SPA calls it (HTTP, the token check,
//! keyset cursors, JSON with SLA marks).

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use faro_core::incidents::{IncidentState, Priority};
use faro_core::{Role, Viewer};
use faro_store::{IncidentFilter, Store};
use uuid::Uuid;

/// A list measured over the API: its label, the caller's token, the path of the n-th run.
type ApiCase<'a> = (&'static str, &'a String, Box<dyn Fn(usize) -> String + 'a>);

/// A measured list: its label, who looks, and the filter for the n-th run.
type Case = (&'static str, Viewer, Box<dyn Fn(usize) -> IncidentFilter>);

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

/// The admin URL's database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let cut = base.rfind('/').unwrap_or(base.len());
    match query {
        Some(q) => format!("{}/{name}?{q}", &base[..cut]),
        None => format!("{}/{name}", &base[..cut]),
    }
}

async fn time<F, Fut>(runs: usize, mut f: F) -> anyhow::Result<(Duration, Duration)>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    for i in 0..5 {
        f(i).await?;
    }
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let t = Instant::now();
        f(i).await?;
        samples.push(t.elapsed());
    }
    samples.sort();
    Ok((percentile(&samples, 0.5), percentile(&samples, 0.99)))
}

pub async fn run(admin_url: &str, incidents: u64, others: u64, runs: usize) -> anyhow::Result<()> {
    let name = "faro_bench_incidents";
    // Setup and teardown are plain SQL on connections of their own (nothing else runs yet).
    let mut admin = faro_store::db::connect(admin_url)?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    drop(admin);
    let url = with_database(admin_url, name);
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    let mut db = faro_store::db::connect(&url)?;

    let big = Uuid::now_v7();
    let member = Uuid::now_v7();
    let agent = Uuid::now_v7();
    println!(
        "Generating {incidents} incidents for one membership and {others} spread over 9 others…"
    );
    let t = Instant::now();
    db.batch_execute(&format!(
        "INSERT INTO memberships (id, name, tax_id, coordinator_email, contract_state, active, invitation_code, code_expires_at, created_at, updated_at)
         SELECT CASE WHEN g = 0 THEN '{big}'::uuid ELSE gen_random_uuid() END, 'Cliente ' || g, NULL, NULL, 'contract', true,
                'BENCH' || lpad(g::text, 11, '0'), NULL, now(), now()
         FROM generate_series(0, 9) g"
    ))?;
    let hash = crate::seed::password_hash()?.0;
    db.batch_execute(&format!(
        "INSERT INTO users (id, email, name, password_hash, role, membership_id, language, active, created_at, last_sign_in_at) VALUES
         ('{member}', 'lectora@banco.es', 'Lectora', '{hash}', 'member', '{big}', 'es', true, now(), NULL),
         ('{agent}', 'agente@banco.es', 'Agente', '{hash}', 'agent', NULL, 'es', true, now(), NULL)"
    ))?;
    // States: 90 % closed, 3 % resolved, the rest open; priorities 10 / 40 / 50 %.
    let insert = |membership: String, from: u64, count: u64| {
        format!(
            "INSERT INTO incidents (id, number, membership_id, title, description, system, priority, state, escalation,
                opened_by, opened_by_name, assignee_id, created_at, updated_at, first_response_at, first_response_due,
                resolution_due, paused_minutes, waiting_since, resolved_at, closed_at, solution_article_id)
             SELECT gen_random_uuid(), 'INC-2025-' || lpad(g::text, 8, '0'), {membership},
                'Incidencia de prueba ' || g, 'Descripción ' || g, 'ERP',
                CASE WHEN g % 10 = 0 THEN 'high' WHEN g % 10 < 5 THEN 'medium' ELSE 'low' END,
                CASE WHEN g % 100 < 90 THEN 'closed' WHEN g % 100 < 93 THEN 'resolved'
                     WHEN g % 100 < 97 THEN 'in_progress' WHEN g % 100 < 99 THEN 'new' ELSE 'waiting_client' END,
                'first_line',
                CASE WHEN g % 1000 = 0 THEN '{member}'::uuid ELSE NULL END, 'Persona',
                CASE WHEN g % 7 = 0 THEN '{agent}'::uuid ELSE NULL END,
                now() - (g || ' minutes')::interval, now() - ((g / 2) || ' minutes')::interval, NULL,
                now() - ((g - 60) || ' minutes')::interval, now() - ((g - 600) || ' minutes')::interval,
                0, NULL, NULL, NULL, NULL
             FROM generate_series({from}, {to}) g",
            to = from + count - 1
        )
    };
    db.batch_execute(&insert(format!("'{big}'::uuid"), 1, incidents))?;
    if others > 0 {
        let spread = format!(
            "(ARRAY(SELECT id FROM memberships WHERE id <> '{big}' ORDER BY name))[1 + g % 9]"
        );
        db.batch_execute(&insert(spread, incidents + 1, others))?;
    }
    db.batch_execute("ANALYZE incidents")?;
    println!("  generated in {:.1} s", t.elapsed().as_secs_f64());

    let member_v = Viewer {
        user_id: member,
        role: Role::Member,
        membership_id: Some(big),
    };
    let staff_v = Viewer {
        user_id: agent,
        role: Role::Agent,
        membership_id: None,
    };
    let page = |offset: u64| IncidentFilter {
        limit: 51,
        offset,
        ..IncidentFilter::default()
    };
    let mut rows = Vec::new();
    let cases: Vec<Case> = vec![
        (
            "member: list, newest first (page 1)",
            member_v.clone(),
            Box::new(move |_| page(0)),
        ),
        (
            "member: list, pages 2-10",
            member_v.clone(),
            Box::new(move |i| page(51 * (1 + i as u64 % 9))),
        ),
        (
            "member: priority Alta",
            member_v.clone(),
            Box::new(move |_| IncidentFilter {
                priority: Some(Priority::High),
                ..page(0)
            }),
        ),
        (
            "member: state en curso",
            member_v.clone(),
            Box::new(move |_| IncidentFilter {
                state: Some(IncidentState::InProgress),
                ..page(0)
            }),
        ),
        (
            "member: opened by me",
            member_v.clone(),
            Box::new(move |_| IncidentFilter {
                mine: true,
                ..page(0)
            }),
        ),
        (
            "staff: queue, open by due time",
            staff_v.clone(),
            Box::new(move |_| IncidentFilter {
                open_only: true,
                by_due: true,
                ..page(0)
            }),
        ),
        (
            "staff: queue, assigned to me",
            staff_v.clone(),
            Box::new(move |_| IncidentFilter {
                open_only: true,
                by_due: true,
                assigned_to_me: true,
                ..page(0)
            }),
        ),
        (
            "staff: every state, newest first",
            staff_v.clone(),
            Box::new(move |_| page(0)),
        ),
    ];
    for (label, viewer, filter) in &cases {
        let (p50, p99) = time(runs, |i| {
            let f = filter(i);
            let store = &store;
            let viewer = viewer.clone();
            async move {
                let found = store.incidents(&viewer, &f).await?;
                anyhow::ensure!(!found.is_empty() || f.mine, "no rows for a bench case");
                Ok(())
            }
        })
        .await?;
        rows.push((label.to_string(), p50, p99));
    }
    println!();
    println!(
        "| list ({incidents} incidents in the membership, {} in all) | p50 | p99 |",
        incidents + others
    );
    println!("|---|---|---|");
    for (label, p50, p99) in rows {
        println!("| {label} | {:.2} ms | {:.2} ms |", ms(p50), ms(p99));
    }
    println!("(goal: p99 < 50 ms; {runs} runs each after 5 warm-up runs)");
    store.close().await;
    over_api(&url, runs).await?;
    drop(db);
    let mut admin = faro_store::db::connect(admin_url)?;
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    Ok(())
}

/// The same lists through the REST API: the server as `faro serve` runs it on this database,
/// the member and the agent signed in, each request timed from send to the whole JSON page.
async fn over_api(url: &str, runs: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (store, running) = crate::api::start(faro_api::config::Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(url.to_owned()),
        ..faro_api::config::Config::default()
    })
    .await?;
    let base = format!("{}/api/v1", running.base_url);
    let http = reqwest::Client::new();
    let password = crate::seed::PASSWORD;
    let member = crate::seed::login(&http, &base, "lectora@banco.es", password).await?;
    let agent = crate::seed::login(&http, &base, "agente@banco.es", password).await?;
    let get = |token: String, path: String| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            let r: serde_json::Value = http
                .get(format!("{base}{path}"))
                .bearer_auth(token)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            anyhow::Ok(r)
        }
    };
    // The member's pages 2-10 by their cursors, as "load more" follows them.
    let mut cursors = Vec::new();
    let mut next = None::<String>;
    for _ in 0..10 {
        let path = match &next {
            Some(c) => format!("/incidents?limit=50&cursor={c}"),
            None => "/incidents?limit=50".to_owned(),
        };
        let page = get(member.clone(), path).await?;
        next = page["next_cursor"].as_str().map(str::to_owned);
        match &next {
            Some(c) => cursors.push(c.clone()),
            None => break,
        }
    }
    cursors.truncate(9);
    anyhow::ensure!(!cursors.is_empty(), "the member's list has one page only");
    let cases: Vec<ApiCase> = vec![
        (
            "member: list, latest activity first (page 1)",
            &member,
            Box::new(|_| "/incidents?limit=50".to_owned()),
        ),
        (
            "member: list, pages 2-10 (cursors)",
            &member,
            Box::new(|i| format!("/incidents?limit=50&cursor={}", cursors[i % cursors.len()])),
        ),
        (
            "member: priority Alta",
            &member,
            Box::new(|_| "/incidents?limit=50&priority=high".to_owned()),
        ),
        (
            "member: state en curso",
            &member,
            Box::new(|_| "/incidents?limit=50&state=in_progress".to_owned()),
        ),
        (
            "member: opened by me",
            &member,
            Box::new(|_| "/incidents?limit=50&mine=true".to_owned()),
        ),
        (
            "staff: queue, open by due time",
            &agent,
            Box::new(|_| "/incidents?limit=50&open=true&order=due".to_owned()),
        ),
        (
            "staff: queue, assigned to me",
            &agent,
            Box::new(|_| "/incidents?limit=50&open=true&order=due&assigned_to_me=true".to_owned()),
        ),
        (
            "staff: every state, latest activity first",
            &agent,
            Box::new(|_| "/incidents?limit=50".to_owned()),
        ),
    ];
    let mut rows = Vec::new();
    for (label, token, path) in &cases {
        let (p50, p99) = time(runs, |i| {
            let (token, path) = ((*token).clone(), path(i));
            let get = &get;
            async move {
                let page = get(token, path).await?;
                anyhow::ensure!(page["items"].is_array(), "no page for a bench case");
                Ok(())
            }
        })
        .await?;
        rows.push((label.to_string(), p50, p99));
    }
    println!();
    println!("| list over the REST API (50 a page, JSON with SLA marks) | p50 | p99 |");
    println!("|---|---|---|");
    for (label, p50, p99) in rows {
        println!("| {label} | {:.2} ms | {:.2} ms |", ms(p50), ms(p99));
    }
    println!("(goal: p99 < 50 ms; {runs} runs each after 5 warm-up runs)");
    running.stop().await;
    store.close().await;
    Ok(())
}
