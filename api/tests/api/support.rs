//! Test harness: boots the real API server on port 0 with a fresh database and talks JSON to
//! it, with a client per person that keeps the refresh cookie the way a browser does.

use std::path::PathBuf;
use std::sync::Arc;

use faro_api::config::Config;
use faro_api::server::{self, Running, StartOptions};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[path = "../shared/databases.rs"]
mod databases;
#[path = "../shared/mailbox.rs"]
mod mailbox;

pub use databases::*;
#[allow(unused_imports)]
pub use mailbox::Mail;

/// Opens the database `config` names and starts a server on it with the tests' fast jobs.
async fn boot(config: Config) -> (faro_api::config::Settings, Running) {
    let settings = config.validate().unwrap();
    let store = faro_api::runtime::open_store(&settings).await.unwrap();
    let running = server::start(
        &settings,
        store,
        StartOptions {
            jobs: faro_api::runtime::test_jobs(),
            handle_signals: false,
            workers: 2,
        },
    )
    .await
    .unwrap();
    (settings, running)
}

pub struct TestApp {
    pub running: Option<Running>,
    pub base: String,
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pg: Option<(String, String)>,
    /// The Meilisearch index this app searches with (deleted by `finish`).
    pub meili: Option<faro_search::MeiliConfig>,
}

/// The Meilisearch server the Meilisearch variants run against, if any. Unlike PostgreSQL,
/// its absence is skipped even under CI=true: no package registry here carries Meilisearch.
pub fn meili_server() -> Option<(String, Option<String>)> {
    match std::env::var("FARO_TEST_MEILISEARCH_URL") {
        Ok(u) if !u.trim().is_empty() => Some((u, std::env::var("FARO_TEST_MEILISEARCH_KEY").ok())),
        _ => {
            eprintln!(
                "NOTICE: skipping the Meilisearch variant: FARO_TEST_MEILISEARCH_URL is not set"
            );
            None
        }
    }
}

impl TestApp {
    pub async fn spawn(db: Db) -> Option<Self> {
        Self::spawn_with(db, |_| {}).await
    }

    pub async fn spawn_with(db: Db, adjust: impl FnOnce(&mut Config)) -> Option<Self> {
        Self::spawn_prepared(db, adjust, |_, _| {}).await
    }

    /// Like `spawn_with`, with a chance to fill the empty database (its URL) and the data
    /// folder before the server opens them: a database made by an earlier release, say.
    pub async fn spawn_prepared(
        db: Db,
        adjust: impl FnOnce(&mut Config),
        prepare: impl FnOnce(&str, &std::path::Path),
    ) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let fresh = FreshDatabase::create_in(db, dir.path()).await?;
        prepare(&fresh.url, dir.path());
        let database_url = fresh.url.clone();
        let pg = fresh.pg.clone();
        let mut config = Config {
            bind: "127.0.0.1:0".into(),
            data_dir: dir.path().to_path_buf(),
            database_url: Some(database_url.clone()),
            ..Config::default()
        };
        adjust(&mut config);
        let (settings, running) = boot(config).await;
        let base = running.base_url.clone();
        Some(Self {
            running: Some(running),
            base,
            dir,
            database_url,
            pg,
            meili: settings.meilisearch,
        })
    }

    /// A server searching with a new Meilisearch index of its own; `None` (with a notice)
    /// when no Meilisearch server is configured for tests.
    pub async fn spawn_meili(db: Db) -> Option<Self> {
        let (url, key) = meili_server()?;
        let index = format!("faro-api-test-{}", uuid::Uuid::new_v4().simple());
        Self::spawn_with(db, |c| {
            c.meilisearch_url = Some(url);
            c.meilisearch_key = key;
            c.meilisearch_index = index;
        })
        .await
    }

    /// A second node of the same portal: same database, same data folder's keys, same
    /// Meilisearch index, its own port and embedded index.
    pub async fn second_node(&self) -> Running {
        let dir = self.dir.path();
        let mut config = Config {
            bind: "127.0.0.1:0".into(),
            data_dir: dir.to_path_buf(),
            database_url: Some(self.database_url.clone()),
            index_dir: Some(dir.join("index-second-node")),
            ..Config::default()
        };
        if let Some(m) = &self.meili {
            config.meilisearch_url = Some(m.url.clone());
            config.meilisearch_key = m.key.clone();
            config.meilisearch_index = m.index.clone();
        }
        boot(config).await.1
    }

    pub fn store(&self) -> &faro_store::Store {
        &self.running.as_ref().unwrap().store
    }

    pub fn outbox(&self) -> PathBuf {
        self.dir.path().join("outbox")
    }

    /// A client with its own cookie jar (one per person or device).
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    pub async fn sql_count(&self, query: &str) -> i64 {
        databases::sql_count(&self.database_url, query)
    }

    pub async fn sql(&self, statement: &str) {
        raw(&self.database_url, statement);
    }

    pub fn mails_to(&self, to: &str) -> Vec<Mail> {
        mailbox::mails_to(&self.outbox(), to)
    }

    pub async fn wait_for_link(&self, to: &str, path: &str, before: usize) -> String {
        mailbox::wait_for_link(&self.outbox(), to, path, before).await
    }

    pub async fn finish(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        if let Some(m) = self.meili.take() {
            let engine = faro_search::MeiliEngine::connect(&m).await.unwrap();
            engine.delete().await.unwrap();
        }
        if let Some((admin, name)) = self.pg.take() {
            raw(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// An answer: status, headers and the JSON body (Null when there is none).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// The problem's `code` (panics when the body is not a problem).
    pub fn code(&self) -> &str {
        self.body["code"]
            .as_str()
            .unwrap_or_else(|| panic!("not a problem: {self:?}"))
    }

    /// The field names a 422 lists.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "{self:#?}");
        self
    }

    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> &Self {
        self.expect(status);
        assert!(
            self.header("content-type")
                .starts_with("application/problem+json"),
            "{self:#?}"
        );
        assert_eq!(self.code(), code, "{self:#?}");
        assert!(!self.body["detail"].as_str().unwrap_or("").is_empty());
        self
    }
}

/// A caller: an HTTP client with its own cookies and, once signed in, a bearer token.
pub struct Client {
    pub base: String,
    http: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub token: Option<String>,
    pub language: Option<String>,
}

impl Client {
    pub fn new(base: &str) -> Self {
        faro_files::install_tls_provider();
        let jar = Arc::new(reqwest::cookie::Jar::default());
        Self {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .cookie_provider(jar.clone())
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            jar,
            token: None,
            language: None,
        }
    }

    pub fn with_token(mut self, token: &str) -> Self {
        self.token = Some(token.to_string());
        self
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(l) = &self.language {
            req = req.header("Accept-Language", l);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Sends raw bytes with a content type (for junk bodies).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("Content-Type", content_type)
            .body(body);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        Reply {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, &[]).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body), &[]).await
    }

    pub async fn post_empty(&self, path: &str) -> Reply {
        self.send(Method::POST, path, None, &[]).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(body), &[]).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(body), &[]).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None, &[]).await
    }

    /// Signs in and keeps the access token.
    pub async fn login(&mut self, email: &str, password: &str) -> Reply {
        let r = self
            .post(
                "/api/v1/auth/login",
                json!({"email": email, "password": password}),
            )
            .await;
        if r.status == StatusCode::OK {
            self.token = r.body["access_token"].as_str().map(str::to_owned);
        }
        r
    }

    /// Renews the access token with the refresh cookie.
    pub async fn refresh(&mut self) -> Reply {
        let saved = self.token.take();
        let r = self.post_empty("/api/v1/auth/refresh").await;
        self.token = if r.status == StatusCode::OK {
            r.body["access_token"].as_str().map(str::to_owned)
        } else {
            saved
        };
        r
    }

    /// The refresh cookie's value, as the jar holds it.
    pub fn refresh_cookie(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = format!("{}/api/v1/auth/refresh", self.base)
            .parse()
            .unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .map(str::trim)
            .find_map(|c| c.strip_prefix("faro_refresh="))
            .map(str::to_owned)
    }
}

pub const ADMIN_EMAIL: &str = "admin@soporte.example.es";
pub const PASSWORD: &str = "caballo bateria grapa correcta";

/// The first administrator, created with the setup token, signed in.
pub async fn setup_admin(app: &TestApp) -> Client {
    let token = app.store().issue_setup_token().await.unwrap().unwrap();
    let mut admin = app.client();
    let r = admin
        .post(
            "/api/v1/setup",
            json!({"token": token.expose(), "name": "Ana Admin", "email": ADMIN_EMAIL, "password": PASSWORD}),
        )
        .await;
    r.expect(200);
    admin.token = r.body["access_token"].as_str().map(str::to_owned);
    admin
}

/// A membership created and activated by `admin`: (id, invitation code).
pub async fn create_membership(admin: &Client, name: &str, coordinator: &str) -> (String, String) {
    let r = admin
        .post(
            "/api/v1/memberships",
            json!({"name": name, "coordinator_email": coordinator, "contract_state": "contract", "activate": true}),
        )
        .await;
    r.expect(201);
    (
        r.body["id"].as_str().unwrap().to_string(),
        r.body["invitation_code"].as_str().unwrap().to_string(),
    )
}

/// Staff make `who` their membership's coordinator; `who` renews its token for the new role.
pub async fn make_coordinator(admin: &Client, who: &mut Client) {
    let id = who.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    admin
        .post_empty(&format!("/api/v1/people/{id}/make-coordinator"))
        .await
        .expect(200);
    who.refresh().await.expect(200);
    assert_eq!(who.get("/api/v1/me").await.body["role"], "coordinator");
}

/// Someone joins with `code`, confirms the e-mailed link, and signs in.
pub async fn join(app: &TestApp, code: &str, name: &str, email: &str) -> Client {
    let mut c = app.client();
    let before = app
        .mails_to(email)
        .iter()
        .filter(|m| m.text.contains("/join/confirm?token="))
        .count();
    c.post(
        "/api/v1/join",
        json!({"code": code, "name": name, "email": email, "password": PASSWORD}),
    )
    .await
    .expect(202);
    let link = app
        .wait_for_link(email, "/join/confirm?token=", before)
        .await;
    let token = link.split("token=").nth(1).unwrap();
    c.post("/api/v1/join/confirm", json!({"token": token}))
        .await
        .expect(200);
    c.login(email, PASSWORD).await.expect(200);
    c
}

/// A second staff member created by `admin`, who sets a password from the welcome e-mail and
/// signs in.
/// The person behind a signed-in client, as the store has them now.
pub async fn principal_of(app: &TestApp, c: &Client) -> Arc<faro_store::Principal> {
    let id: uuid::Uuid = c.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    app.store().principal(id).await.unwrap().unwrap()
}

pub async fn staff_member(app: &TestApp, admin: &Client, email: &str, name: &str) -> Client {
    admin
        .post(
            "/api/v1/staff",
            json!({"email": email, "name": name, "role": "agent"}),
        )
        .await
        .expect(201);
    let link = app.wait_for_link(email, "/password/reset?token=", 0).await;
    let token = link.split("token=").nth(1).unwrap().to_string();
    let mut c = app.client();
    c.post(
        "/api/v1/password/reset",
        json!({"token": token, "password": PASSWORD}),
    )
    .await
    .expect(204);
    c.login(email, PASSWORD).await.expect(200);
    c
}

/// What an endpoint answered with raw bytes (a file, a PDF).
pub struct Bytes {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Bytes {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
}

impl Client {
    /// GETs `path` (a path, or a whole address) and keeps the body as bytes.
    pub async fn get_bytes(&self, path: &str) -> Bytes {
        self.get_bytes_with(path, &[]).await
    }

    /// The same, with extra request headers (`Range`, `If-Range`…).
    pub async fn get_bytes_with(&self, path: &str, headers: &[(&str, &str)]) -> Bytes {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        let mut req = self.http.get(url);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let res = req.send().await.unwrap();
        Bytes {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            bytes: res.bytes().await.unwrap().to_vec(),
        }
    }

    /// POSTs a multipart form with one file part.
    pub async fn upload(&self, path: &str, field: &str, file_name: &str, bytes: Vec<u8>) -> Reply {
        self.form(path, &[], &[(field, file_name, bytes)]).await
    }

    /// POSTs a multipart form: text `fields`, then `files` as (field, file name, bytes).
    pub async fn form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Reply {
        self.send_form(Method::POST, path, fields, files).await
    }

    /// Sends a multipart form with `method`.
    pub async fn send_form(
        &self,
        method: Method,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Reply {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (field, file_name, bytes) in files {
            let part =
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(file_name.to_string());
            form = form.part(field.to_string(), part);
        }
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .multipart(form);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        Reply {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }
}

/// Every file's path under `dir`.
pub fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A real 1×1 PNG.
pub fn png() -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
        .unwrap()
}
