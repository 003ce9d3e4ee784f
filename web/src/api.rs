//! The one typed client of the REST API. The access token lives in memory only (a signal); the
//! refresh token is the HttpOnly cookie the server sets, sent only to `/api/v1/auth`. A 401 on
//! any call renews the token once and repeats the call.

use faro_types::Problem;
use faro_types::accounts::{AccessToken, LoginRequest, Me, SetupRequest};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What a call can end in, ready to show.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The API refused, with its problem document (message in the person's language).
    Problem(Problem),
    /// No answer at all (network down, server stopped).
    Network(String),
}

impl ApiError {
    pub fn message(&self) -> String {
        match self {
            ApiError::Problem(p) => p.detail.clone(),
            ApiError::Network(e) => e.clone(),
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
            ApiError::Network(_) => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Network(_) => None,
        }
    }
}

/// The signed-in person's session, shared by every screen through the context.
#[derive(Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<String>>,
    pub me: RwSignal<Option<Me>>,
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

fn accept_language() -> &'static str {
    crate::i18n::Language::current().code()
}

async fn send<B: Serialize, T: DeserializeOwned>(
    method: reqwest::Method,
    path: &str,
    body: Option<&B>,
    token: Option<String>,
) -> Result<T, ApiError> {
    let client = reqwest::Client::new();
    let mut req = client
        .request(method, format!("{}{path}", origin()))
        .header("Accept-Language", accept_language());
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let res = req
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = res.status();
    let bytes = res
        .bytes()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if status.is_success() {
        let text = if bytes.is_empty() {
            &b"null"[..]
        } else {
            &bytes[..]
        };
        serde_json::from_slice(text).map_err(|e| ApiError::Network(e.to_string()))
    } else {
        match serde_json::from_slice::<Problem>(&bytes) {
            Ok(p) => Err(ApiError::Problem(p)),
            Err(_) => Err(ApiError::Network(format!("HTTP {}", status.as_u16()))),
        }
    }
}

impl Session {
    pub fn new() -> Self {
        Self {
            token: RwSignal::new(None),
            me: RwSignal::new(None),
        }
    }

    pub fn signed_in(&self) -> bool {
        self.token.with(Option::is_some)
    }

    /// Takes a new token pair the API handed out (after a password change).
    pub fn adopt(&self, t: AccessToken) -> Me {
        self.accept(t)
    }

    fn accept(&self, t: AccessToken) -> Me {
        self.token.set(Some(t.access_token));
        self.me.set(Some(t.person.clone()));
        t.person
    }

    pub async fn login(&self, email: String, password: String) -> Result<Me, ApiError> {
        let t: AccessToken = send(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            Some(&LoginRequest { email, password }),
            None,
        )
        .await?;
        Ok(self.accept(t))
    }

    /// Creates the first administrator with the one-time token and signs them in.
    pub async fn setup(&self, body: SetupRequest) -> Result<Me, ApiError> {
        let t: AccessToken =
            send(reqwest::Method::POST, "/api/v1/setup", Some(&body), None).await?;
        Ok(self.accept(t))
    }

    /// Renews the access token with the refresh cookie (also how a reloaded tab finds its
    /// session again).
    pub async fn refresh(&self) -> Result<Me, ApiError> {
        let t: AccessToken =
            send::<(), _>(reqwest::Method::POST, "/api/v1/auth/refresh", None, None).await?;
        Ok(self.accept(t))
    }

    pub async fn logout(&self) {
        let _ =
            send::<(), serde_json::Value>(reqwest::Method::POST, "/api/v1/auth/logout", None, None)
                .await;
        self.token.set(None);
        self.me.set(None);
    }

    /// A call that needs no sign-in (joining, password reset).
    pub async fn public<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        send(reqwest::Method::POST, path, Some(body), None).await
    }

    /// A call with the access token; on 401 the token is renewed once and the call repeated.
    pub async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T, ApiError> {
        let first = send(method.clone(), path, body, self.token.get_untracked()).await;
        match first {
            Err(e) if e.status() == Some(401) => {
                self.refresh().await?;
                send(method, path, body, self.token.get_untracked()).await
            }
            other => other,
        }
    }
}

/// The session of the running app.
pub fn session() -> Session {
    expect_context::<Session>()
}
