//! The request context: who is asking (session), in which language, with which CSRF token and
//! flash message. Built once per request by `middleware`, read by handlers through `Ctx`.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use faro_core::records::Actor;
use faro_core::secret::sha256_hex;
use faro_core::{Catalog, Lang, SecretToken, Viewer};
use faro_store::SessionOwner;

use crate::error::{ErrorKind, WebError};
use crate::forms::{Flash, safe_next, see_other};
use crate::views::{ErrorView, Page, render};
use crate::{AppState, cookies, csrf, security};

/// Cheap to clone (one reference count): extractors hand it to every handler.
#[derive(Clone)]
pub struct Ctx(Arc<CtxData>);

impl std::ops::Deref for Ctx {
    type Target = CtxData;

    fn deref(&self) -> &CtxData {
        &self.0
    }
}

pub struct CtxData {
    pub lang: Lang,
    pub t: &'static Catalog,
    pub csrf: String,
    pub owner: Option<SessionOwner>,
    pub session_digest: Option<String>,
    pub flash: Option<Flash>,
    pub ip: Option<String>,
    /// Path and query of this request, for "come back here after signing in".
    pub here: String,
    pub css_url: Arc<str>,
    pub js_url: Arc<str>,
    pub secure: bool,
    pub operator: Option<String>,
}

impl CtxData {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.owner.as_ref().map(|o| o.person.id),
            email: self.owner.as_ref().map(|o| o.person.email.to_string()),
            ip: self.ip.clone(),
            api_key_id: None,
        }
    }

    pub fn page(&self, title: &str) -> Page<'_> {
        Page::new(self, title)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| WebError::internal("request context missing"))
    }
}

/// A signed-in person. Anyone else is sent to the sign-in page and brought back afterwards.
pub struct Signed {
    pub ctx: Ctx,
    pub owner: SessionOwner,
}

impl Signed {
    pub fn viewer(&self) -> &Viewer {
        &self.owner.viewer
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, s)
            .await
            .map_err(IntoResponse::into_response)?;
        match ctx.owner.clone() {
            Some(owner) => Ok(Self { ctx, owner }),
            None => {
                let next: String = form_urlencoded::byte_serialize(ctx.here.as_bytes()).collect();
                let to = if ctx.here == "/" {
                    "/login".to_string()
                } else {
                    format!("/login?next={next}")
                };
                Err(see_other(&safe_next(Some(&to)), None, ctx.secure))
            }
        }
    }
}

/// A signed-in member of the support company's staff; client people get a 404.
pub struct Staff(pub Signed);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let signed = Signed::from_request_parts(parts, s).await?;
        if signed.owner.viewer.is_staff() {
            Ok(Self(signed))
        } else {
            Err(WebError::not_found().into_response())
        }
    }
}

/// A signed-in administrator; anyone else gets a 404.
pub struct Admin(pub Signed);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let signed = Signed::from_request_parts(parts, s).await?;
        if signed.owner.viewer.is_admin() {
            Ok(Self(signed))
        } else {
            Err(WebError::not_found().into_response())
        }
    }
}

fn valid_token(raw: Option<String>) -> Option<String> {
    raw.and_then(|v| SecretToken::parse(&v))
        .map(|t| t.expose().to_string())
}

/// Builds the context, runs the handler, renders error pages, sets cookies and the security
/// headers of every page.
pub async fn middleware(state: State<AppState>, req: Request<Body>, next: Next) -> Response {
    let mut res = with_context(state, req, next).await;
    security::add(res.headers_mut());
    res
}

async fn with_context(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let secure = state.config.secure_cookies;
    let headers = req.headers();
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    let here = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());

    let session_token = valid_token(cookies::get(headers, cookies::SESSION));
    let session_digest = session_token.as_deref().map(|t| sha256_hex(t.as_bytes()));
    let owner = match &session_digest {
        Some(d) => match state.store.session_owner(d).await {
            Ok(o) => o,
            Err(e) => {
                tracing::error!(error = %e, "cannot read session");
                let lang = Lang::from_accept_language(
                    headers
                        .get(header::ACCEPT_LANGUAGE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or(""),
                );
                return error_page(&state, lang, ErrorKind::Unavailable);
            }
        },
        None => None,
    };
    let lang = owner
        .as_ref()
        .map(|o| o.person.language)
        .or_else(|| cookies::get(headers, cookies::LANG).and_then(|l| Lang::parse(&l).ok()))
        .unwrap_or_else(|| {
            Lang::from_accept_language(
                headers
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        });
    let existing_csrf = valid_token(cookies::get(headers, cookies::CSRF));
    let flash = cookies::get(headers, cookies::FLASH).and_then(|f| Flash::decode(&f));
    let had_flash = flash.is_some();

    let mut req = req;
    if csrf::needs_check(req.method()) {
        match csrf::verify(req, existing_csrf.as_deref()).await {
            csrf::Verdict::Pass(r) => req = *r,
            csrf::Verdict::Refuse => {
                return error_page(&state, lang, ErrorKind::Csrf);
            }
            csrf::Verdict::TooLarge => {
                return error_page(&state, lang, ErrorKind::BadRequest);
            }
        }
    }
    let (csrf_token, new_csrf) = match existing_csrf {
        Some(t) => (t, false),
        None => match SecretToken::generate() {
            Ok(t) => (t.expose().to_string(), true),
            Err(e) => {
                tracing::error!(error = %e, "no randomness for the CSRF token");
                return error_page(&state, lang, ErrorKind::Internal);
            }
        },
    };
    let ctx = Ctx(Arc::new(CtxData {
        lang,
        t: lang.catalog(),
        csrf: csrf_token.clone(),
        owner,
        session_digest,
        flash,
        ip,
        here,
        css_url: state.assets.css_url(),
        js_url: state.assets.js_url(),
        secure,
        operator: state.config.operator_name.clone(),
    }));
    req.extensions_mut().insert(ctx.clone());
    let mut res = next.run(req).await;

    if let Some(kind) = res.extensions().get::<ErrorKind>().copied() {
        let page = render_error(&ctx, kind);
        let cookies: Vec<HeaderValue> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .cloned()
            .collect();
        res = page;
        for c in cookies {
            res.headers_mut().append(header::SET_COOKIE, c);
        }
    }
    let headers = res.headers_mut();
    if new_csrf
        && let Ok(v) =
            HeaderValue::from_str(&cookies::set(cookies::CSRF, &csrf_token, None, secure))
    {
        headers.append(header::SET_COOKIE, v);
    }
    if had_flash
        && !res.status().is_redirection()
        && let Ok(v) = HeaderValue::from_str(&cookies::clear(cookies::FLASH, secure))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        // Pages are personal: never let a shared cache keep them.
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

fn render_error(ctx: &Ctx, kind: ErrorKind) -> Response {
    let t = ctx.t;
    let (title, body) = match kind {
        ErrorKind::NotFound => (t.not_found_title, t.not_found_body),
        ErrorKind::Forbidden => (t.forbidden_title, t.forbidden_body),
        ErrorKind::Csrf => (t.csrf_title, t.csrf_body),
        ErrorKind::BadRequest => (t.bad_request_title, t.bad_request_body),
        ErrorKind::Internal | ErrorKind::Unavailable => (t.error_title, t.error_body),
    };
    let view = ErrorView {
        p: ctx.page(title),
        body,
    };
    let mut res = render(&view).into_response();
    *res.status_mut() = kind.status();
    res
}

/// An error page before a full context exists (no session, or the CSRF check failed).
fn error_page(state: &AppState, lang: Lang, kind: ErrorKind) -> Response {
    let ctx = Ctx(Arc::new(CtxData {
        lang,
        t: lang.catalog(),
        csrf: String::new(),
        owner: None,
        session_digest: None,
        flash: None,
        ip: None,
        here: "/".into(),
        css_url: state.assets.css_url(),
        js_url: state.assets.js_url(),
        secure: state.config.secure_cookies,
        operator: state.config.operator_name.clone(),
    }));
    render_error(&ctx, kind)
}
