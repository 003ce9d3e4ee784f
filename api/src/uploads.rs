//! Receiving `multipart/form-data` with files: text fields are read into memory (small,
//! bounded), each file streams straight into the file store with the size limit checked on
//! the way. Each stored-file row is written `pending` first, so a node that dies mid-upload
//! leaves something housekeeping can find; any failure here removes the bytes and rows at once.

use std::collections::HashMap;

use actix_multipart::{Field, Multipart};
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, web};
use faro_core::downloads::clean_file_name;
use faro_files::{FileStore, FilesError};
use faro_types::ErrorCode;
use futures_util::{StreamExt, TryStreamExt};
use uuid::Uuid;

use crate::extract::Json;
use crate::problem::{ApiError, ApiResult, Text};
use crate::server::Api;

/// Largest text field, all text fields together, and how many parts a form may have.
const FIELD_LIMIT: usize = 64 * 1024;
const TEXT_LIMIT: usize = 1024 * 1024;
const MAX_PARTS: usize = 64;
/// After a refusal for size, this much more of the body is read and dropped so the sender
/// gets the answer instead of a reset connection; past it the connection is simply closed.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;
/// How many first bytes of each file are kept to recognise its type.
const HEAD: usize = 64;

/// A file that streamed in and is registered as pending under `id`.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: Uuid,
    pub key: String,
    pub name: String,
    pub size: u64,
    pub sha256: String,
    /// The first bytes, to recognise images and videos by content.
    pub head: Vec<u8>,
}

/// The text fields of a form, and its files in the order sent.
#[derive(Default)]
pub struct Form {
    pub fields: HashMap<String, String>,
    pub files: Vec<Received>,
}

impl Form {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    /// Removes every file (the request was refused after they streamed in).
    pub async fn forget(&self, api: &Api) {
        forget_all(api, &self.files).await;
    }
}

/// What a form may carry.
pub struct Limits {
    /// The name of the file parts.
    pub file_field: &'static str,
    pub max_files: usize,
    /// The largest file, in bytes.
    pub max_bytes: u64,
}

fn malformed() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::BadRequest,
        Text::Catalog(|t| t.api_multipart),
    )
}

/// `200 MB`, `1.5 GB`: a limit as people read it (either language).
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_048_576.0;
    if mb >= 1024.0 {
        format!("{:.1} GB", mb / 1024.0)
    } else {
        format!("{mb:.0} MB")
    }
}

/// 413, naming the limit in the caller's words.
pub fn too_large(max_bytes: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::PayloadTooLarge,
        Text::Filled(|t| t.file_too_large, megabytes(max_bytes)),
    )
}

fn too_many(max_files: usize) -> ApiError {
    ApiError::field(
        "files",
        "too_many",
        Text::Filled(|t| t.inc_too_many_files, max_files.to_string()),
    )
}

/// 415: an endpoint that takes only `multipart/form-data` got something else.
pub fn not_multipart() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::UnsupportedMediaType,
        Text::Catalog(|t| t.api_multipart),
    )
}

/// Whether the request says it is `multipart/form-data`.
pub fn is_multipart(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Reads the form: parts named `limits.file_field` stream into the store (an empty part, what a
/// browser sends when no file was chosen, counts as none). A body declared larger than the
/// limit allows is refused before a byte is stored. On any refusal nothing is kept.
pub async fn receive(
    api: &Api,
    req: &HttpRequest,
    payload: web::Payload,
    limits: &Limits,
) -> Result<Form, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let most = limits
        .max_bytes
        .saturating_mul(limits.max_files as u64)
        .saturating_add(TEXT_LIMIT as u64 + 64 * 1024);
    let mut multipart = Multipart::new(req.headers(), payload);
    if declared.is_some_and(|n| n > most) {
        if declared.is_some_and(|n| n <= most.saturating_add(DRAIN_LIMIT)) {
            drain(multipart).await;
        }
        return Err(too_large(limits.max_bytes));
    }
    let mut form = Form::default();
    match read_parts(api, &mut multipart, limits, &mut form).await {
        Ok(()) => Ok(form),
        Err(e) => {
            form.forget(api).await;
            if e.status == StatusCode::PAYLOAD_TOO_LARGE
                && declared.is_some_and(|n| n <= most.saturating_add(DRAIN_LIMIT))
            {
                drain(multipart).await;
            }
            Err(e)
        }
    }
}

async fn read_parts(
    api: &Api,
    multipart: &mut Multipart,
    limits: &Limits,
    form: &mut Form,
) -> Result<(), ApiError> {
    let mut parts = 0;
    let mut text_bytes = 0;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| malformed())?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(malformed());
        }
        let name = field.name().unwrap_or("").to_owned();
        if name == limits.file_field {
            if form.files.len() >= limits.max_files {
                return Err(too_many(limits.max_files));
            }
            if let Some(received) = store_part(api, field, limits.max_bytes).await? {
                form.files.push(received);
            }
            continue;
        }
        let mut value: Vec<u8> = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| malformed())?;
            // Text is small: a body that keeps sending it is refused, not read on.
            text_bytes += chunk.len();
            if text_bytes > TEXT_LIMIT || value.len() + chunk.len() > FIELD_LIMIT {
                return Err(malformed());
            }
            value.extend_from_slice(&chunk);
        }
        let value = String::from_utf8(value).map_err(|_| malformed())?;
        // A text field holds one value: two parts of the same name are a mistake to point out,
        // not a choice between them.
        if form.fields.contains_key(&name) {
            return Err(ApiError::field(
                &name,
                "repeated_field",
                Text::Catalog(|t| t.api_repeated_field),
            ));
        }
        form.fields.insert(name, value);
    }
    Ok(())
}

/// Streams one file part into the store. An empty part (no file chosen) is `None`.
async fn store_part(api: &Api, field: Field, limit: u64) -> Result<Option<Received>, ApiError> {
    let original = field
        .content_disposition()
        .and_then(|d| d.get_filename())
        .unwrap_or("")
        .to_owned();
    let name = clean_file_name(&original, "archivo");
    let key = FileStore::new_key();
    let id = api.store.begin_file(&key, &name).await?;
    let mut head: Vec<u8> = Vec::with_capacity(HEAD);
    let stream = field.map_err(|e| e.to_string()).inspect_ok(|chunk| {
        if head.len() < HEAD {
            let take = (HEAD - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
    });
    let stored = api.files.put_stream(&key, Box::pin(stream), limit).await;
    let discard = async {
        let _ = api.files.delete(&key).await;
        let _ = api.store.discard_file(id).await;
    };
    match stored {
        Ok(stored) if stored.size == 0 => {
            discard.await;
            Ok(None)
        }
        Ok(stored) => Ok(Some(Received {
            id,
            key: key.clone(),
            name,
            size: stored.size,
            sha256: stored.sha256,
            head,
        })),
        Err(e) => {
            discard.await;
            Err(match e {
                FilesError::TooLarge { .. } => too_large(limit),
                FilesError::Interrupted(_) => malformed(),
                other => ApiError::internal(other),
            })
        }
    }
}

/// A body that is JSON, or a form with files: the form's text fields as `T`, checked as the
/// JSON would be (unknown fields refused), and its files already streamed into the store.
pub async fn submission<T: serde::de::DeserializeOwned + 'static>(
    api: &Api,
    req: &HttpRequest,
    payload: web::Payload,
    limits: &Limits,
    known: &[&str],
    booleans: &[&str],
) -> ApiResult<(T, Vec<Received>)> {
    if !is_multipart(req) {
        let mut payload = payload.into_inner();
        let Json(body) = Json::<T>::from_request(req, &mut payload).await?;
        return Ok((body, Vec::new()));
    }
    let form = receive(api, req, payload, limits).await?;
    let mut object = serde_json::Map::new();
    for (name, value) in &form.fields {
        let value = if booleans.contains(&name.as_str()) {
            match value.trim() {
                "true" | "on" | "1" => serde_json::Value::Bool(true),
                "false" | "off" | "0" | "" => serde_json::Value::Bool(false),
                other => serde_json::Value::String(other.to_owned()),
            }
        } else {
            serde_json::Value::String(value.clone())
        };
        if !known.contains(&name.as_str()) {
            form.forget(api).await;
            return Err(ApiError::field(
                name,
                "unknown_field",
                Text::Filled(|t| t.api_unknown_field, name.clone()),
            ));
        }
        object.insert(name.clone(), value);
    }
    let text = serde_json::Value::Object(object).to_string();
    match crate::extract::parse_json::<T>(text.as_bytes()) {
        Ok(body) => Ok((body, form.files)),
        Err(e) => {
            form.forget(api).await;
            Err(e)
        }
    }
}

/// Removes received files that will not be used.
pub async fn forget_all(api: &Api, files: &[Received]) {
    for f in files {
        forget(api, f).await;
    }
}

/// Removes a received file that will not be used.
pub async fn forget(api: &Api, file: &Received) {
    if let Err(e) = api.files.delete(&file.key).await {
        tracing::warn!(key = file.key, error = %e, "could not remove an unused upload");
    }
    if let Err(e) = api.store.discard_file(file.id).await {
        tracing::warn!(error = %e, "could not forget an unused upload");
    }
}

/// Reads and drops a bounded amount of a body refused before it was read (not found, not
/// allowed), so the sender sees the answer instead of a reset connection.
pub async fn refuse(mut payload: web::Payload, e: ApiError) -> ApiError {
    let mut read: u64 = 0;
    while let Some(Ok(chunk)) = payload.next().await {
        read += chunk.len() as u64;
        if read > DRAIN_LIMIT {
            break;
        }
    }
    e
}

async fn drain(mut multipart: Multipart) {
    let mut read: u64 = 0;
    while let Some(Ok(mut field)) = multipart.next().await {
        while let Some(Ok(chunk)) = field.next().await {
            read += chunk.len() as u64;
            if read > DRAIN_LIMIT {
                return;
            }
        }
    }
}
