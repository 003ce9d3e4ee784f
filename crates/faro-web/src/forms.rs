//! Form plumbing: per-field error messages, redirects with a flash message, safe `next` paths.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::cookies;

/// Messages for a form shown again, keyed by field name.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(Vec<(&'static str, String)>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, msg: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field, msg.into()));
        }
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Collects the error of a parse into `field`, giving back the value when it parsed.
    pub fn check<T>(
        &mut self,
        field: &'static str,
        t: &faro_core::Catalog,
        r: Result<T, faro_core::Invalid>,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, t.invalid(e));
                None
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlashKind {
    Success,
    Error,
}

#[derive(Debug, Clone)]
pub struct Flash {
    pub kind: FlashKind,
    pub text: String,
}

impl Flash {
    pub fn encode(&self) -> String {
        let k = match self.kind {
            FlashKind::Success => "s",
            FlashKind::Error => "e",
        };
        cookies::encode(&format!("{k}:{}", self.text))
    }
    pub fn decode(raw: &str) -> Option<Self> {
        let text = cookies::decode(raw);
        let (k, msg) = text.split_once(':')?;
        let kind = match k {
            "s" => FlashKind::Success,
            "e" => FlashKind::Error,
            _ => return None,
        };
        Some(Self {
            kind,
            text: msg.chars().take(400).collect(),
        })
    }
    pub fn is_error(&self) -> bool {
        self.kind == FlashKind::Error
    }
}

/// POST/redirect/GET: a 303 to `to`, optionally with a flash message for the next page.
pub fn see_other(to: &str, flash: Option<Flash>, secure: bool) -> Response {
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    if let Some(f) = flash
        && let Ok(v) =
            HeaderValue::from_str(&cookies::set(cookies::FLASH, &f.encode(), Some(60), secure))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

pub fn success(text: impl Into<String>) -> Option<Flash> {
    Some(Flash {
        kind: FlashKind::Success,
        text: text.into(),
    })
}

pub fn failure(text: impl Into<String>) -> Option<Flash> {
    Some(Flash {
        kind: FlashKind::Error,
        text: text.into(),
    })
}

/// Accepts only a local path as a redirect target (no scheme, no `//host`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 512 =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_paths() {
        assert_eq!(safe_next(Some("/memberships")), "/memberships");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn flash_roundtrip() {
        let f = Flash {
            kind: FlashKind::Error,
            text: "Código: no válido".into(),
        };
        let back = Flash::decode(&f.encode()).unwrap();
        assert!(back.is_error());
        assert_eq!(back.text, "Código: no válido");
        assert!(Flash::decode("zzz").is_none());
    }
}
