//! Headers every response carries: a strict Content-Security-Policy (no inline script), no
//! framing, no MIME sniffing, a conservative referrer policy. Pages get them from the context
//! middleware, probes and assets from one response map (a layer per header cost a nested
//! future each on every request).

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const FIXED: [(HeaderName, &str); 5] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    ),
];

/// Adds each header the handler did not set itself.
pub fn add(h: &mut HeaderMap) {
    for (name, value) in &FIXED {
        if !h.contains_key(name) {
            h.insert(name.clone(), HeaderValue::from_static(value));
        }
    }
}

/// `add` as a response map, for the routes outside the page middleware (which adds them itself).
pub async fn headers(mut res: Response) -> Response {
    add(res.headers_mut());
    res
}
