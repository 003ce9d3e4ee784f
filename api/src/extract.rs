//! Request bodies and query strings that refuse junk with a problem naming the field: a JSON
//! body must be `application/json`, at most 64 KiB, well-formed, of the right shape, with no
//! unknown fields and no NUL characters.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use faro_types::ErrorCode;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::problem::{ApiError, Text};

/// The largest JSON body any endpoint reads.
pub const MAX_JSON: usize = 64 * 1024;

/// A JSON body parsed into `T`.
pub struct Json<T>(pub T);

/// Where serde's message says what went wrong: (field, code, message).
fn describe(path: &str, err: &serde_json::Error) -> (String, String, Text) {
    let msg = err.to_string();
    let field = if path.is_empty() || path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        // The path already ends at the unknown field.
        let name = rest.split('`').next().unwrap_or("");
        let field = if field == "body" {
            name.to_owned()
        } else {
            field
        };
        return (
            field,
            "unknown_field".into(),
            Text::Catalog(|t| t.api_unknown_field),
        );
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or("");
        let field = if field == "body" {
            name.to_owned()
        } else {
            format!("{field}.{name}")
        };
        return (
            field,
            "required".into(),
            Text::Catalog(|t| t.api_missing_field),
        );
    }
    if msg.starts_with("invalid type") || msg.starts_with("invalid value") {
        let expected = msg
            .split("expected ")
            .nth(1)
            .and_then(|s| s.split(" at line").next())
            .unwrap_or("")
            .to_owned();
        return (
            field,
            "wrong_type".into(),
            Text::Filled(|t| t.api_wrong_type, expected),
        );
    }
    if msg.starts_with("unknown variant") {
        let expected = msg
            .split("expected ")
            .nth(1)
            .and_then(|s| s.split(" at line").next())
            .unwrap_or("")
            .to_owned();
        return (
            field,
            "wrong_type".into(),
            Text::Filled(|t| t.api_wrong_type, expected),
        );
    }
    let short = msg.split(" at line").next().unwrap_or(&msg).to_owned();
    (
        field,
        "invalid".into(),
        Text::Filled(|t| t.api_bad_body, short),
    )
}

/// Parses `bytes` as `T`, or the problem that explains why not.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedJson,
            Text::Filled(|t| t.api_malformed_json, "UTF-8".into()),
        )
    })?;
    // A NUL can never be stored (PostgreSQL refuses it) and is never meant.
    if text.contains("\\u0000") || text.contains('\0') {
        return Err(ApiError::field(
            "body",
            "nul_character",
            Text::Catalog(|t| t.api_nul_character),
        ));
    }
    // Every body is an object: serde would otherwise read `[…]` into a struct by position.
    if !text.trim_start().starts_with('{') && !text.trim().is_empty() {
        return Err(ApiError::field(
            "body",
            "wrong_type",
            Text::Filled(|t| t.api_wrong_type, "a JSON object".into()),
        ));
    }
    let de = &mut serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                let short = inner.to_string();
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::MalformedJson,
                    Text::Filled(|t| t.api_malformed_json, short),
                ));
            }
            let (field, code, text) = describe(&path, &inner);
            Err(ApiError::field(&field, &code, text))
        }
    }
}

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|m| {
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
}

/// Reads a JSON body of at most `limit` bytes into `T`.
fn read_json<T: DeserializeOwned + 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> Pin<Box<dyn Future<Output = Result<T, ApiError>>>> {
    let json = is_json(req);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let mut payload = payload.take();
    Box::pin(async move {
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                Text::Catalog(|t| t.api_bad_content_type),
            ));
        }
        let too_large = || {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                Text::Catalog(|t| t.api_body_too_large),
            )
        };
        if declared.is_some_and(|n| n > limit) {
            return Err(too_large());
        }
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::MalformedJson,
                    Text::Filled(|t| t.api_malformed_json, "incomplete body".into()),
                )
            })?;
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        parse_json(&body)
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json::<T>(req, payload, MAX_JSON);
        Box::pin(async move { body.await.map(Json) })
    }
}

/// The largest article body (200,000 characters of Markdown, escaped as JSON).
pub const MAX_ARTICLE_JSON: usize = 2 * 1024 * 1024;

/// A JSON body that carries an article's Markdown: `Json` with room for `MAX_ARTICLE_JSON`.
pub struct ArticleJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ArticleJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json::<T>(req, payload, MAX_ARTICLE_JSON);
        Box::pin(async move { body.await.map(ArticleJson) })
    }
}

/// An optional JSON body: none at all (no `Content-Type`, no length) is `None`; anything sent
/// must be the JSON `Json` would accept, or it is refused as `Json` refuses it.
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let h = req.headers();
        let empty = !h.contains_key(header::CONTENT_TYPE)
            && h.get(header::CONTENT_LENGTH)
                .is_none_or(|v| v.as_bytes() == b"0")
            && !h.contains_key(header::TRANSFER_ENCODING);
        if empty {
            return Box::pin(std::future::ready(Ok(OptionalJson(None))));
        }
        let body = read_json::<T>(req, payload, MAX_JSON);
        Box::pin(async move { body.await.map(|b| OptionalJson(Some(b))) })
    }
}

/// A query string parsed into `T` (unknown parameters refused).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = serde_urlencoded_parse::<T>(req.query_string());
        std::future::ready(parsed.map(Query))
    }
}

/// Names the refused parameter: the path serde reached (`kind` for a bad enum value), else
/// the one an "unknown field" message quotes, else `query`.
fn serde_urlencoded_parse<T: DeserializeOwned>(q: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = e.path().to_string();
            let short = e.into_inner().to_string();
            let quoted = short
                .split('`')
                .nth(1)
                .filter(|_| short.contains("field `"));
            let field = match quoted {
                Some(name) => name.to_owned(),
                None if !path.is_empty() && path != "." => path,
                None => "query".to_owned(),
            };
            Err(ApiError::field(
                &field,
                "invalid",
                Text::Filled(|t| t.api_bad_query, short),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        n: Option<u32>,
    }

    fn field_of(json: &str) -> (u16, String, String) {
        let e = parse_json::<Body>(json.as_bytes()).unwrap_err();
        let f = e.fields.first().cloned();
        (
            e.status.as_u16(),
            f.as_ref().map(|f| f.0.clone()).unwrap_or_default(),
            f.map(|f| f.1).unwrap_or_default(),
        )
    }

    #[test]
    fn junk_is_named() {
        assert_eq!(
            field_of(r#"{"name": 5}"#),
            (422, "name".into(), "wrong_type".into())
        );
        assert_eq!(field_of(r#"{}"#), (422, "name".into(), "required".into()));
        assert_eq!(
            field_of(r#"{"name": "a", "x": 1}"#),
            (422, "x".into(), "unknown_field".into())
        );
        assert_eq!(
            field_of(r#"{"name": "a\u0000"}"#),
            (422, "body".into(), "nul_character".into())
        );
        assert_eq!(field_of(r#"{"name": "#).0, 400);
        assert_eq!(field_of("[1,2]"), (422, "body".into(), "wrong_type".into()));
        assert_eq!(
            field_of(r#"{"name": "a", "n": -1}"#),
            (422, "n".into(), "wrong_type".into())
        );
        assert!(parse_json::<Body>(br#"{"name": "ok"}"#).is_ok());
    }
}
