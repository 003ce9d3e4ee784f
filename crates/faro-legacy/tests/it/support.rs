//! Test harness: boots the real application on port 0 with a fresh database (a SQLite file in a
//! temp dir, or a new PostgreSQL database when FARO_TEST_DATABASE_URL is set) and drives it over
//! HTTP with a cookie-keeping client per person.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use faro_legacy::app::{self, Running, StartOptions};
use faro_legacy::config::Config;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::{StatusCode, Url};
#[path = "../../../../api/tests/shared/databases.rs"]
mod databases;
#[path = "../../../../api/tests/shared/mailbox.rs"]
mod mailbox;

pub use databases::*;
pub use mailbox::Mail;

pub struct TestApp {
    pub running: Option<Running>,
    pub base: String,
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pg: Option<(String, String)>,
}

impl TestApp {
    pub async fn spawn(db: Db) -> Option<Self> {
        Self::spawn_with(db, |_| {}).await
    }

    /// Like `spawn`, with a chance to change the configuration first (e.g. an SMTP server).
    pub async fn spawn_with(db: Db, adjust: impl FnOnce(&mut Config)) -> Option<Self> {
        Self::spawn_prepared(db, adjust, |_, _| {}).await
    }

    /// Like `spawn_with`, with a chance to fill the empty database (its URL) and the data
    /// folder before the portal opens them: a database made by an earlier release, say.
    pub async fn spawn_prepared(
        db: Db,
        adjust: impl FnOnce(&mut Config),
        prepare: impl FnOnce(&str, &std::path::Path),
    ) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let fresh = FreshDatabase::create_in(db, dir.path()).await?;
        prepare(&fresh.url, dir.path());
        let database_url = fresh.url.clone();
        let pg = fresh.pg;
        let mut config = Config {
            bind: "127.0.0.1:0".into(),
            data_dir: dir.path().to_path_buf(),
            database_url: Some(database_url.clone()),
            ..Config::default()
        };
        adjust(&mut config);
        let settings = config.validate().unwrap();
        let store = app::open_store(&settings).await.unwrap();
        let running = app::start(
            &settings,
            store,
            StartOptions {
                jobs: app::test_jobs(),
                handle_signals: false,
                portal_url: PORTAL.to_owned(),
            },
        )
        .await
        .unwrap();
        let base = running.base_url.clone();
        Some(Self {
            running: Some(running),
            base,
            dir,
            database_url,
            pg,
        })
    }

    pub fn store(&self) -> &faro_store::Store {
        &self.running.as_ref().unwrap().store
    }

    pub fn outbox(&self) -> PathBuf {
        self.dir.path().join("outbox")
    }

    /// A new browser-like client with its own cookies (one per person).
    pub fn client(&self) -> Client {
        Client::new(&self.base, None)
    }

    /// A client whose requests say they prefer `lang`.
    pub fn client_with_language(&self, accept_language: &str) -> Client {
        Client::new(&self.base, Some(accept_language))
    }

    /// The number `query` (a `SELECT COUNT(*) …`) answers.
    pub async fn sql_count(&self, query: &str) -> i64 {
        databases::sql_count(&self.database_url, query)
    }

    /// Runs raw SQL against this test's database (to age a code, say). The portal's read caches
    /// notice it like any other process's write: within moments, not before the next request
    /// (see the `caches` tests), so a test that changes cached data this way must wait for it.
    pub async fn sql(&self, statement: &str) {
        raw(&self.database_url, statement);
    }

    /// Drops this test's PostgreSQL database under the running portal (its connections end).
    pub async fn drop_postgres_database(&self) {
        let (admin, name) = self.pg.as_ref().expect("a PostgreSQL test");
        raw(admin, &format!("DROP DATABASE {name} WITH (FORCE)"));
    }

    pub async fn finish(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        if let Some((admin, name)) = self.pg.take() {
            raw(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }

    /// The e-mails delivered to `to` so far, decoded.
    pub fn mails_to(&self, to: &str) -> Vec<Mail> {
        mailbox::mails_to(&self.outbox(), to)
    }

    /// How many e-mails to `to` so far carry a link to `path`.
    pub fn links_sent(&self, to: &str, path: &str) -> usize {
        self.mails_to(to)
            .iter()
            .filter(|m| m.text.contains(path))
            .count()
    }

    /// Waits (up to 10 s) for a new e-mail to `to` with a link to `path` (more than `before`
    /// such mails) and returns that link. Other mail to the same address does not confuse it.
    pub async fn wait_for_link(&self, to: &str, path: &str, before: usize) -> String {
        mailbox::wait_for_link(&self.outbox(), to, path, before).await
    }

    /// Waits (up to 10 s) for the `n`-th e-mail to `to` and returns it.
    pub async fn wait_for_mail(&self, to: &str, n: usize) -> Mail {
        let start = Instant::now();
        loop {
            let mails = self.mails_to(to);
            if mails.len() >= n {
                return mails[n - 1].clone();
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no e-mail #{n} to {to} within 10 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// One person's browser: cookies kept, redirects not followed (tests look at them).
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    jar: Arc<Jar>,
    base: String,
}

pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    pub fn assert_contains(&self, needle: &str) -> &Self {
        assert!(
            self.body.contains(needle),
            "expected {needle:?} in page (status {}):\n{}",
            self.status,
            self.body
        );
        self
    }
    pub fn assert_lacks(&self, needle: &str) -> &Self {
        assert!(
            !self.body.contains(needle),
            "did not expect {needle:?} in page:\n{}",
            self.body
        );
        self
    }
    /// The text between `start` and the next `end` after it.
    pub fn between(&self, start: &str, end: &str) -> String {
        let i = self
            .body
            .find(start)
            .unwrap_or_else(|| panic!("{start:?} not in page:\n{}", self.body))
            + start.len();
        let j = self.body[i..].find(end).unwrap() + i;
        self.body[i..j].to_string()
    }
}

impl Client {
    fn new(base: &str, accept_language: Option<&str>) -> Self {
        faro_files::install_tls_provider();
        let jar = Arc::new(Jar::default());
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(l) = accept_language {
            headers.insert(reqwest::header::ACCEPT_LANGUAGE, l.parse().unwrap());
        }
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(headers)
            .build()
            .unwrap();
        Self {
            http,
            jar,
            base: base.to_string(),
        }
    }

    /// The same person (same cookies) on connections of their own: for uploads the server may
    /// refuse before reading them, after which it closes the connection, which a shared pool
    /// could otherwise hand to the next request.
    pub fn on_new_connections(&self) -> Self {
        faro_files::install_tls_provider();
        let http = reqwest::Client::builder()
            .cookie_provider(self.jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        Self {
            http,
            jar: self.jar.clone(),
            base: self.base.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url: Url = self.base.parse().unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    async fn page(res: reqwest::Response) -> Page {
        let status = res.status();
        let headers = res.headers().clone();
        let location = headers
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        let body = res.text().await.unwrap();
        Page {
            status,
            location,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        Self::page(self.http.get(self.url(path)).send().await.unwrap()).await
    }

    /// The CSRF token this client's forms carry (fetching a page first if it has none yet).
    pub async fn csrf(&self) -> String {
        if let Some(t) = self.cookie("faro_csrf") {
            return t;
        }
        self.get("/login").await;
        self.cookie("faro_csrf")
            .expect("csrf cookie set by any page")
    }

    /// Submits a form with this client's CSRF token, as a browser would.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("_csrf", &token));
        Self::page(
            self.http
                .post(self.url(path))
                .form(&form)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Submits a form without any CSRF token (what a forged cross-site form would do).
    pub async fn post_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        Self::page(
            self.http
                .post(self.url(path))
                .form(fields)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Follows a 303 and returns the page it leads to.
    pub async fn follow(&self, page: Page) -> Page {
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "expected a redirect, got:\n{}",
            page.body
        );
        self.get(page.location.as_deref().unwrap()).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        let page = self
            .post("/login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in of {email} failed:\n{}",
            page.body
        );
        self.follow(page).await
    }
}

/// Where the tests' portal says `faro serve` answers (nothing listens there: only the
/// redirects' targets are checked).
pub const PORTAL: &str = "http://portal.faro.test";
pub const ADMIN_EMAIL: &str = "admin@soporte.example.es";
pub const ADMIN_PASSWORD: &str = "Faro-admin-2026";
pub const PASSWORD: &str = "Clave-segura-2026";

/// First-run setup through the one-time link; returns the signed-in administrator.
pub async fn setup_admin(app: &TestApp) -> Client {
    let token = app
        .store()
        .issue_setup_token()
        .await
        .unwrap()
        .expect("fresh database has no users");
    let admin = app.client();
    admin
        .get(&format!("/setup?token={}", token.expose()))
        .await
        .assert_contains("Configuración inicial");
    let page = admin
        .post(
            "/setup",
            &[
                ("token", token.expose()),
                ("name", "Elena Administradora"),
                ("email", ADMIN_EMAIL),
                ("password", ADMIN_PASSWORD),
                ("password_confirm", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    admin
}

pub struct CreatedMembership {
    pub id: String,
    pub code: String,
}

/// Creates (and by default activates) a membership as `admin`; returns its id and code.
pub async fn create_membership(
    admin: &Client,
    name: &str,
    coordinator: &str,
    activate: bool,
) -> CreatedMembership {
    let mut fields = vec![
        ("name", name),
        ("tax_id", "B12345678"),
        ("coordinator_email", coordinator),
        ("contract_state", "contract"),
        ("code_expiry", ""),
    ];
    if activate {
        fields.push(("activate", "1"));
    }
    let page = admin.post("/memberships/new", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location.clone().unwrap();
    let id = location.trim_start_matches("/memberships/").to_string();
    let shown = admin.follow(page).await;
    let code = shown.between("id=\"invitation-code\">", "<");
    CreatedMembership { id, code }
}

/// Joins with `code`, confirms through the e-mailed link, and signs in.
pub async fn join(app: &TestApp, code: &str, name: &str, email: &str) -> Client {
    let person = app.client();
    let before = app.links_sent(email, "/join/confirm?token=");
    let page = person
        .post(
            "/join",
            &[
                ("code", code),
                ("name", name),
                ("email", email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let link = app
        .wait_for_link(email, "/join/confirm?token=", before)
        .await;
    let token = link.split("token=").nth(1).unwrap().to_string();
    person
        .get(&link)
        .await
        .assert_contains("Confirmar mi correo");
    let done = person.post("/join/confirm", &[("token", &token)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    person.login(email, PASSWORD).await;
    person
}

/// The id of the person with `email` as it appears in the people list of `page`.
pub fn person_id(page: &Page, email: &str) -> String {
    let row_start = page
        .body
        .find(&format!(">{email}<"))
        .unwrap_or_else(|| panic!("{email} not listed"));
    let row = &page.body[row_start..];
    let i = row.find("/people/").unwrap() + "/people/".len();
    row[i..i + 36].to_string()
}
