//! The command line operators script: `faro membership create|list`, `faro admin create`,
//! `faro migrate`, `faro --demo`, first-run output and configuration errors.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::on_both_databases;
use crate::support::*;

on_both_databases!(membership_and_admin_commands);

fn faro(app: &TestApp) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_faro"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("FARO_DATA_DIR", app.dir.path())
        .env("FARO_DATABASE_URL", &app.database_url)
        .env("FARO_CONFIG", app.dir.path().join("none.toml"))
        .env("FARO_LOG", "warn");
    c
}

async fn membership_and_admin_commands(app: &TestApp) {
    let out = faro(app).args(["migrate"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = faro(app)
        .args([
            "membership",
            "create",
            "--name",
            "Consola S.L.",
            "--coordinator-email",
            "c@consola.es",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let code = stdout.lines().last().unwrap().trim().to_string();
    assert!(
        faro_core::InvitationCode::parse(&code).is_ok(),
        "last line is the code: {stdout}"
    );
    assert_eq!(code.len(), 19);

    let list = faro(app).args(["membership", "list"]).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(
        list.contains("Consola S.L.") && list.contains(&code) && list.contains("active"),
        "{list}"
    );

    // The printed code admits people in the running portal.
    join(app, &code, "Persona Consola", "persona@consola.es").await;

    let mut child = faro(app)
        .args([
            "admin",
            "create",
            "--email",
            "ops@soporte.example.es",
            "--name",
            "Operaciones",
            "--role",
            "agent",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Consola-clave-2026\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{:?}\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut ops = app.client();
    let r = ops
        .login("ops@soporte.example.es", "Consola-clave-2026")
        .await;
    r.expect(200);
    assert_eq!(r.body["person"]["role"], "agent");
    ops.get("/api/v1/memberships").await.expect(200);

    // `faro reindex` rebuilds a node's index from the database (here into another data folder,
    // since the running portal holds its own index).
    let other = tempfile::tempdir().unwrap();
    let out = faro(app)
        .env("FARO_DATA_DIR", other.path())
        .args(["reindex"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("documentos indexados"));
    assert!(other.path().join("index").is_dir());

    // Weak passwords and bad roles are refused with a message, nothing created.
    let mut child = faro(app)
        .args([
            "admin",
            "create",
            "--email",
            "debil@soporte.example.es",
            "--name",
            "Débil",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"1234\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));
    let out = faro(app)
        .args([
            "membership",
            "create",
            "--name",
            "X S.L.",
            "--contract",
            "gratis",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--contract"));
}

fn first_lines(mut cmd: Command, until: &str) -> (std::process::Child, Vec<String>) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut lines = Vec::new();
    let start = Instant::now();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let done = line.contains(until);
        lines.push(line.trim_end().to_string());
        if done || start.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    (child, lines)
}

fn serve_cmd(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_faro"));
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("FARO_DATA_DIR", dir)
        .env("FARO_BIND", "127.0.0.1:0")
        .env("FARO_CONFIG", dir.join("none.toml"))
        .env("FARO_LOG", "warn");
    c
}

#[tokio::test]
async fn first_run_prints_a_working_setup_token() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, lines) = first_lines(serve_cmd(dir.path()), "curl");
    let link = lines
        .iter()
        .find(|l| l.contains("/setup?token="))
        .expect("setup link printed")
        .trim()
        .to_string();
    let (base, token) = link.split_once("/setup?token=").unwrap();
    faro_files::install_tls_provider();
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/setup"))
        .json(&serde_json::json!({"token": token, "name": "Ana", "email": "ana@soporte.es", "password": "caballo bateria grapa correcta"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Faro escuchando en http://127.0.0.1:")),
        "{lines:?}"
    );
    child.kill().unwrap();
    let _ = child.wait();
}

#[tokio::test]
async fn demo_prints_every_account() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = serve_cmd(dir.path());
    cmd.args(["serve", "--demo"]);
    let (mut child, lines) = first_lines(cmd, "Inicia sesión");
    child.kill().unwrap();
    let _ = child.wait();
    let demo: Vec<&String> = lines.iter().filter(|l| l.starts_with("demo: ")).collect();
    assert_eq!(demo.len(), faro_api::demo::ACCOUNTS.len(), "{lines:?}");
    for role in ["admin", "agent", "coordinator", "member"] {
        assert!(
            demo.iter().any(|l| l.split(' ').nth(1) == Some(role)),
            "{role}: {lines:?}"
        );
    }
    assert!(demo.iter().all(|l| l.split(' ').count() == 4));
    assert!(
        lines.iter().any(|l| l.contains("contraseñas son públicas")),
        "{lines:?}"
    );
}

#[test]
fn invalid_configuration_names_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    for (var, value) in [
        ("FARO_BIND", "no-es-una-direccion"),
        ("FARO_DATABASE_URL", "mysql://localhost/faro"),
        ("FARO_BASE_URL", "portal.example.es"),
        ("FARO_SMTP_URL", "http://mail"),
    ] {
        let out = serve_cmd(dir.path()).env(var, value).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(var), "{err}");
    }
}
