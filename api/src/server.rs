//! The API server: state, middleware, and `start`, which binds (port 0 in tests) and serves
//! until stopped.

use std::net::SocketAddr;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::{Condition, Next, from_fn};
use actix_web::{App, HttpMessage, HttpResponse, HttpServer, web};
use anyhow::Context;
use faro_core::Lang;
use faro_jobs::{JobsConfig, MailWaker};
use faro_store::Store;
use faro_types::ErrorCode;
use sha2::{Digest, Sha256};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::jwt::JwtKeys;
use crate::config::Settings;
use crate::problem::{ApiError, Text};
use crate::runtime::{self, Background};

/// What every handler reaches through `web::Data<Api>`.
pub struct Api {
    pub store: Store,
    pub jwt: JwtKeys,
    /// Public address, for links in e-mails.
    pub base_url: String,
    /// Cookies carry `Secure` when the portal is served over https.
    pub secure_cookies: bool,
    pub mail: MailWaker,
    /// Uploaded files and images.
    pub files: faro_files::FileStore,
    /// The search engine this node answers from.
    pub search: std::sync::Arc<dyn faro_search::SearchEngine>,
    /// Article bodies rendered once per revision (id, revision).
    pub rendered: faro_markdown::Rendered<(uuid::Uuid, i32)>,
    /// Article answers serialised once per article and cache epoch, filled per reader.
    pub article_molds: crate::resources::kb_answer::Molds,
    /// The service-level clock (business hours and targets per priority).
    pub sla: faro_store::Sla,
    /// The largest incident attachment accepted (`FARO_ATTACHMENT_MAX_MB`).
    pub attachment_max_bytes: u64,
    /// The largest download version or hosted copy accepted (`FARO_DOWNLOAD_MAX_MB`).
    pub download_max_bytes: u64,
    /// File addresses signed this window (`signed::Memo`).
    pub signed: crate::signed::Memo,
    /// One thumbnail is made at a time on this node (`thumbnails`).
    pub thumbnailing: tokio::sync::Semaphore,
}

impl Api {
    /// Tells the mail sender that a request queued mail.
    pub fn mail_queued(&self) {
        self.mail.wake();
    }
}

/// A running API server.
pub struct Running {
    pub addr: SocketAddr,
    pub base_url: String,
    pub store: Store,
    handle: actix_web::dev::ServerHandle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    background: Background,
}

impl Running {
    /// Stops accepting requests, lets running ones finish, stops the jobs.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.server.await;
        self.background.stop().await;
        self.store.close().await;
    }

    /// Resolves when the server ends (Ctrl-C or SIGTERM when it handles signals).
    pub async fn wait(self) {
        let _ = self.server.await;
        self.background.stop().await;
        self.store.close().await;
    }
}

pub struct StartOptions {
    pub jobs: JobsConfig,
    /// Stop on Ctrl-C / SIGTERM (the binary); tests stop through `Running::stop`.
    pub handle_signals: bool,
    /// HTTP worker threads; 0 for one per core.
    pub workers: usize,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            jobs: JobsConfig::default(),
            handle_signals: true,
            workers: 0,
        }
    }
}

/// Binds, wires and serves. Returns once the listener is bound, so requests can be made at once.
pub async fn start(
    settings: &Settings,
    store: Store,
    opts: StartOptions,
) -> anyhow::Result<Running> {
    let listener = std::net::TcpListener::bind(settings.bind)
        .with_context(|| format!("cannot listen on {} (FARO_BIND)", settings.bind))?;
    let addr = listener.local_addr()?;
    let base_url = runtime::base_url(settings, addr);
    let background = Background::start(settings, &store, &base_url, opts.jobs).await?;
    let jwt = JwtKeys::load(
        settings.jwt_keys.as_deref(),
        &settings.data_dir,
        settings.access_token_ttl,
    )?;
    let api = web::Data::new(Api {
        store: store.clone(),
        jwt,
        secure_cookies: base_url.starts_with("https://"),
        base_url: base_url.clone(),
        mail: background.waker.clone(),
        files: background.files.clone(),
        search: background.engine.clone(),
        rendered: faro_markdown::Rendered::new(4_096),
        article_molds: crate::resources::kb_answer::Molds::new(4_096),
        sla: settings.sla.clone(),
        attachment_max_bytes: settings.attachment_max_bytes,
        download_max_bytes: settings.download_max_bytes,
        thumbnailing: tokio::sync::Semaphore::new(1),
        signed: crate::signed::Memo::default(),
    });
    let openapi = crate::openapi::document();
    let known = std::sync::Arc::new(KnownPaths::of(&openapi));
    // Serialised once and shared by every worker; the document itself is dropped here (each
    // worker holding its own copy to serialise per request cost megabytes and time).
    let spec = Spec::of(&openapi)?;
    drop(openapi);
    let spa = crate::spa::SpaFiles::locate(settings.web_dir.as_deref());
    match &spa {
        Some(files) => tracing::info!(from = %files.describe(), "serving the single-page app"),
        None => tracing::info!(
            "no single-page app built (just web, or FARO_WEB_DIR); serving the API only"
        ),
    }
    let cors_origins = settings.cors_origins.clone();
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(api.clone())
            .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into()))
            // Before the `/api/v1` scope, which would otherwise claim the spec's path.
            .route(
                SPEC_PATH,
                web::get().to({
                    let spec = spec.clone();
                    move || std::future::ready(spec.response())
                }),
            )
            .service(
                SwaggerUi::new("/api/docs/{_:.*}")
                    .config(utoipa_swagger_ui::Config::new([SPEC_PATH])),
            )
            .service(web::scope("/api/v1").configure(crate::routes::v1))
            .configure(crate::routes::root)
            .service(web::redirect("/api/docs", "/api/docs/"))
            .default_service(web::to({
                let known = known.clone();
                let spa = spa.clone();
                move |req: actix_web::HttpRequest| {
                    let allowed = known.methods(req.path());
                    // Every other GET outside the API is the single-page app's (deep links).
                    let spa = spa
                        .clone()
                        .filter(|_| matches!(*req.method(), Method::GET | Method::HEAD))
                        .filter(|_| crate::spa::SpaFiles::claims(req.path()));
                    async move {
                        match spa {
                            Some(spa) => Ok(spa.serve(&req).await),
                            None => unmatched(allowed),
                        }
                    }
                }
            }))
            .wrap(from_fn(finish))
            // Without configured origins there is no CORS layer at all: browsers then refuse
            // every cross-origin call, which is what closed means.
            .wrap(Condition::new(
                !cors_origins.is_empty(),
                cors(&cors_origins),
            ))
    })
    .listen(listener)?
    .shutdown_timeout(10);
    if opts.workers > 0 {
        server = server.workers(opts.workers);
    }
    if !opts.handle_signals {
        server = server.disable_signals();
    }
    let server = server.run();
    let handle = server.handle();
    let server = tokio::spawn(server);
    Ok(Running {
        addr,
        base_url,
        store,
        handle,
        server,
        background,
    })
}

/// Where the OpenAPI document is served (and where `/api/docs` reads it).
const SPEC_PATH: &str = "/api/v1/openapi.json";

/// The OpenAPI document as served: compact JSON with a strong `ETag` of its bytes.
#[derive(Clone)]
struct Spec {
    json: web::Bytes,
    etag: header::HeaderValue,
}

impl Spec {
    fn of(doc: &utoipa::openapi::OpenApi) -> anyhow::Result<Self> {
        let json = serde_json::to_vec(doc).context("cannot serialise the OpenAPI document")?;
        let etag = header::HeaderValue::from_str(&strong_etag(&json))?;
        Ok(Self {
            json: web::Bytes::from(json),
            etag,
        })
    }

    fn response(&self) -> HttpResponse {
        HttpResponse::Ok()
            .content_type("application/json")
            .insert_header((header::ETAG, self.etag.clone()))
            .body(self.json.clone())
    }
}

/// Closed unless `FARO_CORS_ORIGINS` names origins.
fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::IF_NONE_MATCH,
            header::IF_MATCH,
        ])
        .expose_headers([header::ETAG, header::RETRY_AFTER, header::LOCATION])
        .max_age(3600);
    for o in origins {
        cors = cors.allowed_origin(o);
    }
    cors
}

/// The language `Accept-Language` asks for, if any.
pub fn request_lang(req: &actix_web::HttpRequest) -> Option<Lang> {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
}

fn accept_language(req: &ServiceRequest) -> Option<Lang> {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
}

/// A strong validator for exactly these bytes.
fn strong_etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("\"{}\"", faro_core::secret::hex(&digest[..12]))
}

fn weak_etag(body: &[u8]) -> String {
    format!("W/{}", strong_etag(body))
}

fn if_none_match(req: &actix_web::HttpRequest, etag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|t| {
            t == "*" || t == etag || t.trim_start_matches("W/") == etag.trim_start_matches("W/")
        })
}

/// Every response on its way out: errors as problem+json in the caller's language (the
/// person's setting once known, else `Accept-Language`, else Spanish), `ETag` and 304 on JSON
/// reads, and the security headers.
async fn finish(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let accept = accept_language(&req);
    let is_docs = req.path().starts_with("/api/docs");
    let is_spa = crate::spa::SpaFiles::claims(req.path());
    let read = matches!(*req.method(), Method::GET | Method::HEAD);
    let res = next.call(req).await?;
    let lang = res
        .request()
        .extensions()
        .get::<Lang>()
        .copied()
        .or(accept)
        .unwrap_or_default();
    let mut res = if let Some(err) = res
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
    {
        let rendered = err.response(lang);
        res.into_response(rendered)
    } else if res.status().is_client_error() || res.status().is_server_error() {
        let is_problem = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
        if is_problem {
            res.map_into_boxed_body()
        } else {
            let err = fallback(res.status());
            let rendered = err.response(lang);
            res.into_response(rendered)
        }
    } else {
        let json = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        if read && json && res.status() == StatusCode::OK {
            let (req, response) = res.into_parts();
            let (head, body) = response.into_parts();
            let bytes = actix_web::body::to_bytes(body)
                .await
                .map_err(|_| actix_web::error::ErrorInternalServerError("body"))?;
            // A handler's own validator (an article's revision) wins over the body's hash.
            let etag = head
                .headers()
                .get(header::ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
                .unwrap_or_else(|| weak_etag(&bytes));
            let mut out = if if_none_match(&req, &etag) {
                HttpResponse::NotModified().finish()
            } else {
                head.set_body(BoxBody::new(bytes))
            };
            if let Ok(v) = header::HeaderValue::from_str(&etag) {
                out.headers_mut().insert(header::ETAG, v);
            }
            ServiceResponse::new(req, out)
        } else {
            res.map_into_boxed_body()
        }
    };
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    let csp = if is_docs {
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    } else if is_spa {
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    } else {
        "default-src 'none'; frame-ancestors 'none'"
    };
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(csp),
    );
    if !h.contains_key(header::CACHE_CONTROL) && !is_docs {
        h.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("private, no-cache"),
        );
    }
    // The app's files vary by encoding only (spa.rs says so); API answers by caller and language.
    if !(is_spa && h.contains_key(header::VARY)) {
        h.insert(
            header::VARY,
            header::HeaderValue::from_static("Authorization, Accept-Language"),
        );
    }
    Ok(res)
}

/// The documented paths (templates such as `/api/v1/memberships/{id}`) and their methods, to
/// tell "no such resource" (404) from "not this method" (405 with `Allow`).
struct KnownPaths(Vec<(Vec<String>, Vec<String>)>);

impl KnownPaths {
    fn of(doc: &utoipa::openapi::OpenApi) -> Self {
        let paths = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template.split('/').map(str::to_owned).collect();
                let value = serde_json::to_value(item).unwrap_or_default();
                let methods = ["get", "put", "post", "delete", "patch"]
                    .into_iter()
                    .filter(|m| value.get(*m).is_some())
                    .map(str::to_ascii_uppercase)
                    .collect();
                (segments, methods)
            })
            .collect();
        Self(paths)
    }

    /// The methods a path answers to, if it is a documented path at all.
    fn methods(&self, path: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = path.split('/').collect();
        let mut found: Option<Vec<String>> = None;
        for (template, methods) in &self.0 {
            let matches = template.len() == parts.len()
                && template
                    .iter()
                    .zip(&parts)
                    .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()));
            if matches {
                found
                    .get_or_insert_with(Vec::new)
                    .extend(methods.iter().cloned());
            }
        }
        found
    }
}

fn unmatched(allowed: Option<Vec<String>>) -> Result<HttpResponse, ApiError> {
    Err(match allowed {
        None => ApiError::not_found(),
        Some(methods) => ApiError {
            allow: Some(methods.join(", ")),
            ..fallback(StatusCode::METHOD_NOT_ALLOWED)
        },
    })
}

/// A problem for an error response that actix or a library wrote itself.
fn fallback(status: StatusCode) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::not_found(),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
            status,
            ErrorCode::MethodNotAllowed,
            Text::Catalog(|t| t.api_method_not_allowed),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            status,
            ErrorCode::PayloadTooLarge,
            Text::Catalog(|t| t.api_body_too_large),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            status,
            ErrorCode::UnsupportedMediaType,
            Text::Catalog(|t| t.api_bad_content_type),
        ),
        StatusCode::SERVICE_UNAVAILABLE => ApiError::new(
            status,
            ErrorCode::Unavailable,
            Text::Catalog(|t| t.api_unavailable),
        ),
        s if s.is_server_error() => {
            ApiError::new(s, ErrorCode::Internal, Text::Catalog(|t| t.api_internal))
        }
        s => ApiError::new(
            s,
            ErrorCode::MalformedJson,
            Text::Filled(|t| t.api_bad_body, s.to_string()),
        ),
    }
}

/// How long the server waits for the database at start-up checks.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);
