//! The key flow in real Chromium (Debian's chromium + chromium-driver, headless): setup link ->
//! admin creates a membership -> a person joins with its code -> confirms through the e-mail
//! in the outbox -> signs in and sees the membership home in Spanish. Skipped without
//! chromedriver, except under CI=true where it must run.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::*;

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn chromedriver() -> Option<String> {
    let found = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .map(|d| std::path::Path::new(d).join("chromedriver"))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string());
    if found.is_none() {
        assert!(
            !ci(),
            "CI=true but chromedriver is not on PATH: the browser suite cannot run"
        );
        eprintln!("skipping browser test: chromedriver is not on PATH");
    }
    found
}

impl Browser {
    pub async fn start() -> Option<Self> {
        let driver_path = chromedriver()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let mut opts = serde_json::json!({
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=es-ES",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": {
                "intl.accept_languages": "es-ES,es",
                "download.default_directory": profile.path().join("descargas").display().to_string(),
                "download.prompt_for_download": false
            }
        });
        if let Some(bin) = chromium {
            opts["binary"] = serde_json::Value::String(bin.into());
        }
        caps.insert("goog:chromeOptions".into(), opts);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("open a Chromium session");
        Some(Self {
            client,
            driver,
            _profile: profile,
        })
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let el = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.clear().await.unwrap();
        el.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// Waits for the page to contain `needle` (up to 10 s) and returns the page source.
    pub async fn wait_for_text(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let src = self.client.source().await.unwrap();
            if src.contains(needle) {
                return src;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "page never showed {needle:?}:\n{src}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newcomer_joins_and_sees_the_membership_home_in_spanish() {
    let Some(b) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn(Db::Sqlite).await.unwrap();
    let base = app.base.clone();

    // The administrator opens the setup link printed at first start.
    let lines = faro_legacy::app::sign_in_instructions(app.store(), &base)
        .await
        .unwrap();
    let link = lines
        .iter()
        .find(|l| l.contains("/setup?token="))
        .unwrap()
        .trim()
        .to_string();
    b.client.goto(&link).await.unwrap();
    b.wait_for_text("Configuración inicial").await;
    b.fill("#name", "Elena Administradora").await;
    b.fill("#email", ADMIN_EMAIL).await;
    b.fill("#password", ADMIN_PASSWORD).await;
    b.fill("#password_confirm", ADMIN_PASSWORD).await;
    b.click("form.card button[type=submit]").await;
    b.wait_for_text("Cuenta de administración creada").await;

    // ... creates a membership, activated at once.
    b.client
        .goto(&format!("{base}/memberships/new"))
        .await
        .unwrap();
    b.fill("#name", "Industrias Ejemplo S.A.").await;
    b.fill("#tax_id", "A28123456").await;
    b.fill("#coordinator_email", "lucia.martin@industrias-ejemplo.es")
        .await;
    b.click("form.card button[type=submit]").await;
    b.wait_for_text("Membresía creada").await;
    let code = b.text("#invitation-code").await;
    assert_eq!(code.len(), 19, "{code}");
    // ... and signs out.
    b.click("header form[action='/logout'] button").await;
    b.wait_for_text("Has cerrado la sesión").await;

    // A newcomer joins with the code.
    b.client.goto(&format!("{base}/join")).await.unwrap();
    b.fill("#code", &code.to_lowercase()).await;
    b.fill("#name", "Ana García").await;
    b.fill("#email", "ana.garcia@industrias-ejemplo.es").await;
    b.fill("#password", PASSWORD).await;
    b.fill("#password_confirm", PASSWORD).await;
    b.click("form.card button[type=submit]").await;
    b.wait_for_text("Te hemos enviado un correo").await;

    // ... confirms through the link in the e-mail written to the outbox.
    let mail = app
        .wait_for_mail("ana.garcia@industrias-ejemplo.es", 1)
        .await;
    b.client.goto(&mail.link("http")).await.unwrap();
    b.wait_for_text("Confirmar mi correo").await;
    b.click("form.card button[type=submit]").await;
    b.wait_for_text("Correo confirmado").await;

    // ... signs in and sees the membership home in Spanish.
    b.fill("#email", "ana.garcia@industrias-ejemplo.es").await;
    b.fill("#password", PASSWORD).await;
    b.click("form.card button[type=submit]").await;
    let home = b.wait_for_text("Hola, Ana").await;
    assert!(home.contains("lang=\"es\""));
    assert!(home.contains("Industrias Ejemplo S.A."));
    assert!(home.contains("Este es el portal de soporte de tu empresa."));
    assert_eq!(b.client.current_url().await.unwrap().path(), "/");

    b.close().await;
    app.finish().await;
}

/// Staff register a download and publish a version with a file (upload with progress); a
/// member finds it, downloads it (same sha256 as shown), and the download is counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_publish_a_version_and_a_member_downloads_it() {
    let Some((b, app, admin, _)) = with_a_member().await else {
        return;
    };
    let base = app.base.clone();

    b.sign_in(&base, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    b.client.goto(&format!("{base}/downloads")).await.unwrap();
    b.click("a[href='/downloads/new']").await;
    b.wait_for_text("Nueva descarga").await;
    b.fill("#title", "Programa de facturación").await;
    b.fill("#category", "Aplicaciones").await;
    b.fill("#description", "Instalador para **Windows 11**.")
        .await;
    b.click("form.card button[type=submit]").await;
    b.wait_for_text("Descarga creada").await;

    let bytes = crate::downloads::payload(3 * 1024 * 1024 + 5, 42);
    let sha = crate::downloads::sha_hex(&bytes);
    let file = app.dir.path().join("facturacion-1.0.exe");
    std::fs::write(&file, &bytes).unwrap();
    b.fill("#label", "1.0").await;
    b.fill("#notes", "Primera versión.").await;
    b.client
        .find(Locator::Css("#file"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    b.click("form[data-upload] button[type=submit]").await;
    let page = b.wait_for_text("Versión 1.0 publicada.").await;
    assert!(page.contains(&sha), "the page shows the sha256");
    assert!(page.contains("3,0 MB"));
    b.sign_out().await;

    // The member finds it in the list and downloads it.
    b.sign_in(&base, "ana@industrias.es", PASSWORD).await;
    b.click("nav a[href='/downloads']").await;
    b.wait_for_text("Programa de facturación").await;
    b.click("a[href='/downloads/programa-de-facturacion']")
        .await;
    b.wait_for_text(&sha).await;
    b.click("a.button[href*='/versions/']").await;
    // The download is recorded as it starts; the page then says so.
    let start = Instant::now();
    loop {
        b.client
            .goto(&format!("{base}/downloads/programa-de-facturacion"))
            .await
            .unwrap();
        if b.client
            .source()
            .await
            .unwrap()
            .contains("La descargaste el")
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "download not recorded"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Staff see it counted.
    admin
        .get("/downloads/programa-de-facturacion")
        .await
        .assert_contains("data-downloads=\"1\"");
    // The bytes the browser saved are the ones published.
    let saved = b._profile.path().join("descargas/facturacion-1.0.exe");
    let start = Instant::now();
    while !saved.exists() && start.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if saved.exists() {
        assert_eq!(
            crate::downloads::sha_hex(&std::fs::read(&saved).unwrap()),
            sha
        );
    }

    b.close().await;
    app.finish().await;
}

/// A browser, a portal with its administrator, and a membership with one member (Ana García,
/// ana@industrias.es). `None` where there is no chromedriver (outside CI).
async fn with_a_member() -> Option<(Browser, TestApp, crate::support::Client, CreatedMembership)> {
    let b = Browser::start().await?;
    let app = TestApp::spawn(Db::Sqlite).await.unwrap();
    let admin = setup_admin(&app).await;
    let m = create_membership(
        &admin,
        "Industrias Ejemplo S.A.",
        "lucia@industrias.es",
        true,
    )
    .await;
    join(&app, &m.code, "Ana García", "ana@industrias.es").await;
    Some((b, app, admin, m))
}

impl Browser {
    async fn sign_in(&self, base: &str, email: &str, password: &str) {
        self.client.goto(&format!("{base}/login")).await.unwrap();
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click("form.card button[type=submit]").await;
        self.wait_for_text("Cerrar sesión").await;
    }

    async fn sign_out(&self) {
        self.click("header form[action='/logout'] button").await;
        self.wait_for_text("Has cerrado la sesión").await;
    }
}
