//! Reading and writing the few cookies Faro uses.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

pub const SESSION: &str = "faro_session";
pub const CSRF: &str = "faro_csrf";
pub const FLASH: &str = "faro_flash";
pub const LANG: &str = "faro_lang";

pub fn get(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure over https.
pub fn set(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", Some(0), secure)
}

/// Percent-encodes text for a cookie value.
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub fn decode(value: &str) -> String {
    form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn roundtrip() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; faro_flash=Hola%2C+mundo; b=2"),
        );
        assert_eq!(decode(&get(&h, FLASH).unwrap()), "Hola, mundo");
        assert_eq!(get(&h, "b").as_deref(), Some("2"));
        assert!(get(&h, "c").is_none());
        assert_eq!(decode(&encode("Código «nuevo»; ok")), "Código «nuevo»; ok");
        assert!(set("x", "y", Some(5), true).ends_with("Max-Age=5; Secure"));
    }
}
