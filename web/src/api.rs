//! The one typed client of the REST API. The access token lives in memory only (a signal); the
//! refresh token is the HttpOnly cookie the server sets, sent only to `/api/v1/auth`.
//!
//! - The token is renewed silently a minute before it expires, and once on a 401.
//! - Renewals are serialised: the API treats a refresh token used twice as stolen and ends the
//!   whole session, so two calls failing at once must not both renew.
//! - When renewal fails the session is marked expired: the shell then asks for the password
//!   again in a dialog, over the screen, so whatever the person was typing stays where it was.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use faro_types::Problem;
use faro_types::accounts::{AccessToken, LoginRequest, Me, Role, SetupRequest};
use futures::lock::Mutex;
use leptos::prelude::*;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What a call can end in, ready to show.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The API refused, with its problem document (message in the person's language).
    Problem(Problem),
    /// No answer at all (network down, server stopped).
    Network,
    /// An answer the SPA cannot read (a proxy's error page, say).
    Unreadable(u16),
}

impl ApiError {
    pub fn message(&self) -> String {
        let t = crate::i18n::t_untracked();
        match self {
            ApiError::Problem(p) => p.detail.clone(),
            ApiError::Network => t.network_error.to_string(),
            ApiError::Unreadable(status) => format!("{} (HTTP {status})", t.server_error),
        }
    }

    /// The message the API gave for one field, if any.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            ApiError::Problem(p) => p
                .errors
                .iter()
                .find(|e| e.field == name)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Unreadable(s) => Some(*s),
            ApiError::Network => None,
        }
    }

    /// The message for the whole form: everything but per-field 422 messages, which are shown
    /// beside their fields.
    pub fn general(&self) -> Option<String> {
        match self {
            ApiError::Problem(p) if p.status == 422 && !p.errors.is_empty() => None,
            _ => Some(self.message()),
        }
    }
}

/// The signed-in person's session, shared by every screen through the context.
#[derive(Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<String>>,
    pub me: RwSignal<Option<Me>>,
    /// The session ended under the person's feet (expired, signed out elsewhere, deactivated).
    pub expired: RwSignal<bool>,
    /// One renewal at a time (the refresh token may be spent only once).
    renewing: StoredValue<Rc<Mutex<()>>, LocalStorage>,
    /// Bumped on every new token, so a stale renewal timer does nothing.
    generation: StoredValue<Rc<Cell<u64>>, LocalStorage>,
    /// The language in force (also the context's), sent as `Accept-Language`. Held here so
    /// that calls and renewals outside any view (timers) still know it.
    lang: crate::i18n::Language,
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Headers a call adds (`If-Match` on edits).
type Extra<'a> = &'a [(&'static str, String)];

async fn send<B: Serialize, T: DeserializeOwned>(
    lang: crate::i18n::Language,
    method: Method,
    path: &str,
    body: Option<&B>,
    token: Option<String>,
) -> Result<T, ApiError> {
    let body = encode(body)?;
    decode(exchange(lang, method, path, body, token, &[]).await?)
}

/// A body as JSON.
fn encode<B: Serialize>(body: Option<&B>) -> Result<Option<Vec<u8>>, ApiError> {
    body.map(serde_json::to_vec)
        .transpose()
        .map_err(|_| ApiError::Unreadable(0))
}

/// A successful answer's body read as `T` (an empty one as `null`).
fn decode<T: DeserializeOwned>((status, bytes): (u16, Vec<u8>)) -> Result<T, ApiError> {
    let text = if bytes.is_empty() {
        &b"null"[..]
    } else {
        &bytes[..]
    };
    serde_json::from_slice(text).map_err(|_| ApiError::Unreadable(status))
}

/// One request and its answer: the status and body of a success, else the problem. Not
/// generic, so the app holds one copy of it, not one per body type.
async fn exchange(
    lang: crate::i18n::Language,
    method: Method,
    path: &str,
    body: Option<Vec<u8>>,
    token: Option<String>,
    extra: Extra<'_>,
) -> Result<(u16, Vec<u8>), ApiError> {
    let client = reqwest::Client::new();
    let mut req = client
        .request(method, format!("{}{path}", origin()))
        .header("Accept-Language", lang.code());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    for (k, v) in extra {
        req = req.header(*k, v);
    }
    if let Some(b) = body {
        req = req.header("Content-Type", "application/json").body(b);
    }
    let res = req.send().await.map_err(|_| ApiError::Network)?;
    let status = res.status();
    let bytes = res.bytes().await.map_err(|_| ApiError::Network)?;
    if status.is_success() {
        Ok((status.as_u16(), bytes.to_vec()))
    } else {
        serde_json::from_slice::<Problem>(&bytes)
            .map(ApiError::Problem)
            .or(Err(ApiError::Unreadable(status.as_u16())))
            .and_then(Err)
    }
}

impl Session {
    pub fn new(lang: crate::i18n::Language) -> Self {
        Self {
            lang,
            token: RwSignal::new(None),
            me: RwSignal::new(None),
            expired: RwSignal::new(false),
            renewing: StoredValue::new_local(Rc::new(Mutex::new(()))),
            generation: StoredValue::new_local(Rc::new(Cell::new(0))),
        }
    }

    /// Whether there is an access token (untracked: the restoring resource must not re-run
    /// each time the token changes).
    pub fn signed_in(&self) -> bool {
        self.token.with_untracked(Option::is_some)
    }

    /// The role of the person signed in, if any (reactive).
    pub fn role(&self) -> Option<Role> {
        self.me.with(|m| m.as_ref().map(|m| m.role))
    }

    /// Takes a new token pair the API handed out (sign-in, setup, password change).
    pub fn adopt(&self, t: AccessToken) -> Me {
        let generation = self.generation.with_value(|g| {
            g.set(g.get() + 1);
            g.get()
        });
        self.token.set(Some(t.access_token));
        self.me.set(Some(t.person.clone()));
        self.expired.set(false);
        self.lang.apply(t.person.language);
        // Renew a minute before expiry, silently, while the tab stays open.
        let lead = t.expires_in.saturating_sub(60).max(10);
        let this = *self;
        set_timeout(
            move || {
                if this.generation.with_value(|g| g.get()) == generation {
                    leptos::task::spawn_local(async move {
                        let _ = this.renew(Some(generation)).await;
                    });
                }
            },
            Duration::from_secs(lead),
        );
        t.person
    }

    pub async fn login(&self, email: String, password: String) -> Result<Me, ApiError> {
        let t: AccessToken = send(
            self.lang,
            Method::POST,
            "/api/v1/auth/login",
            Some(&LoginRequest { email, password }),
            None,
        )
        .await?;
        Ok(self.adopt(t))
    }

    /// Creates the first administrator with the one-time token and signs them in.
    pub async fn setup(&self, body: SetupRequest) -> Result<Me, ApiError> {
        let t: AccessToken =
            send(self.lang, Method::POST, "/api/v1/setup", Some(&body), None).await?;
        Ok(self.adopt(t))
    }

    /// Finds the session of a reloaded tab again with the refresh cookie.
    pub async fn restore(&self) -> bool {
        self.signed_in() || self.renew(None).await.is_ok()
    }

    /// Renews the access token with the refresh cookie, one renewal at a time. `seen` is the
    /// token generation the caller saw fail: if another renewal replaced it meanwhile, that
    /// new token is used instead of spending the refresh token again.
    async fn renew(&self, seen: Option<u64>) -> Result<(), ApiError> {
        let lock = self.renewing.get_value();
        let _guard = lock.lock().await;
        let now = self.generation.with_value(|g| g.get());
        if seen.is_some_and(|s| s != now) && self.signed_in() {
            return Ok(());
        }
        match send::<(), AccessToken>(self.lang, Method::POST, "/api/v1/auth/refresh", None, None)
            .await
        {
            Ok(t) => {
                self.adopt(t);
                Ok(())
            }
            Err(e) => {
                if e.status() == Some(401) {
                    self.end(self.me.with_untracked(Option::is_some));
                }
                Err(e)
            }
        }
    }

    /// Forgets the token; `expired` says the person should be asked to sign in again.
    fn end(&self, expired: bool) {
        self.generation.with_value(|g| g.set(g.get() + 1));
        self.token.set(None);
        if expired {
            self.expired.set(true);
        } else {
            self.me.set(None);
        }
    }

    pub async fn logout(&self) {
        let _ = send::<(), serde_json::Value>(
            self.lang,
            Method::POST,
            "/api/v1/auth/logout",
            None,
            None,
        )
        .await;
        self.end(false);
        self.expired.set(false);
        // Once the signed-in screen is gone (it goes on the next tick): a language change now
        // would redraw a screen that is being taken down.
        let lang = self.lang;
        set_timeout(move || lang.reset(), Duration::ZERO);
    }

    /// A call that needs no sign-in (joining, password reset).
    pub async fn public<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        send(self.lang, Method::POST, path, Some(body), None).await
    }

    /// A call with the access token; on 401 the token is renewed once and the call repeated.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        self.call_with(method, path, body, &[]).await
    }

    /// `call` with extra headers.
    pub async fn call_with<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
        extra: Extra<'_>,
    ) -> Result<T, ApiError> {
        decode(self.raw(method, path, encode(body)?, extra).await?)
    }

    /// The bytes of a GET (a file the API serves only with the token).
    pub async fn bytes(&self, path: &str) -> Result<Vec<u8>, ApiError> {
        Ok(self.raw(Method::GET, path, None, &[]).await?.1)
    }

    /// A call with the token; on 401 the token is renewed once and the call repeated.
    async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        extra: Extra<'_>,
    ) -> Result<(u16, Vec<u8>), ApiError> {
        let seen = self.generation.with_value(|g| g.get());
        let token = self.token.get_untracked();
        let first = exchange(self.lang, method.clone(), path, body.clone(), token, extra).await;
        match first {
            Err(e) if e.status() == Some(401) => {
                self.renew(Some(seen)).await?;
                let token = self.token.get_untracked();
                exchange(self.lang, method, path, body, token, extra).await
            }
            other => other,
        }
    }

    /// The access token for a call made outside `call` (an upload with progress), renewed
    /// first when `stale` (the previous attempt got 401).
    pub async fn token_for(&self, stale: bool) -> Result<String, ApiError> {
        if stale {
            let seen = self.generation.with_value(|g| g.get());
            self.renew(Some(seen)).await?;
        }
        self.token.get_untracked().ok_or(ApiError::Unreadable(401))
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.call::<(), T>(Method::GET, path, None).await
    }

    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.call(Method::PUT, path, Some(body)).await
    }

    /// A POST without a body (the API's actions: activate, rotate, deactivate…).
    pub async fn act<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.call::<(), T>(Method::POST, path, None).await
    }
}

/// The session of the running app.
pub fn session() -> Session {
    expect_context::<Session>()
}
