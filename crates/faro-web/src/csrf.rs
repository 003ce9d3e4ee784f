//! CSRF protection for every state-changing request: a random token in an HttpOnly cookie must
//! come back in the form (`_csrf`), in the query of a multipart upload, or in the
//! `X-CSRF-Token` header.

use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, header};

/// Largest URL-encoded form body accepted (uploads use multipart and the header instead).
pub const FORM_LIMIT: usize = 2 * 1024 * 1024;
pub const FIELD: &str = "_csrf";

pub fn needs_check(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub enum Verdict {
    Pass(Box<Request<Body>>),
    Refuse,
    TooLarge,
}

/// Checks the token against `expected`, giving back the request with its body intact.
pub async fn verify(req: Request<Body>, expected: Option<&str>) -> Verdict {
    let Some(expected) = expected else {
        return Verdict::Refuse;
    };
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if same(h, expected) {
            Verdict::Pass(Box::new(req))
        } else {
            Verdict::Refuse
        };
    }
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if is_multipart {
        // Uploads are streamed, so the token travels in the form's action URL instead of the body.
        let token = req.uri().query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == FIELD)
                .map(|(_, v)| v.into_owned())
        });
        return match token {
            Some(t) if same(&t, expected) => Verdict::Pass(Box::new(req)),
            _ => Verdict::Refuse,
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Verdict::Refuse;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
        return Verdict::TooLarge;
    };
    let ok = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == FIELD)
        .is_some_and(|(_, v)| same(&v, expected));
    if ok {
        Verdict::Pass(Box::new(Request::from_parts(parts, Body::from(bytes))))
    } else {
        Verdict::Refuse
    }
}
