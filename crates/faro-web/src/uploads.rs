//! Receiving a multipart form with one file: text fields are read into memory (small, bounded),
//! the file streams straight into the file store with its size limit checked on the way. The
//! stored-file row is written `pending` first, so a node that dies mid-upload leaves something
//! housekeeping can find; any failure here removes the bytes and the row at once.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::http::{HeaderMap, header};
use faro_core::downloads::clean_file_name;
use faro_files::{FileStore, FilesError};
use futures_util::TryStreamExt;
use uuid::Uuid;

use crate::AppState;

/// Largest text field of an upload form, all its text fields together, and how many there may be.
const FIELD_LIMIT: usize = 64 * 1024;
const TEXT_LIMIT: usize = 1024 * 1024;
const MAX_FIELDS: usize = 64;
/// After a refusal for size, this much more of the body is read and dropped so the browser
/// gets the answer instead of a reset connection; past it the connection is simply closed.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;

/// A file that streamed in and is registered as pending under `id`.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: Uuid,
    pub key: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug)]
pub enum UploadError {
    /// Over the limit: answer 413.
    TooLarge,
    /// The body was not a usable multipart form, or the sender went away.
    Malformed,
    /// More files than the form takes.
    TooMany,
    Internal(String),
}

/// The text fields of a form, and its files (in the order sent).
pub struct UploadForm {
    pub fields: HashMap<String, String>,
    pub files: Vec<Received>,
}

impl UploadForm {
    /// The first file, for forms with one file input.
    pub fn file(&self) -> Option<&Received> {
        self.files.first()
    }

    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
}

/// Reads the form; the parts named `file_field` (at most `max_files`) stream into the store (an
/// empty part, which is what a browser sends when no file was chosen, counts as no file). A body declared larger than
/// `limit` (plus room for the form around the file) is refused before a byte is read.
pub async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    mut form: Multipart,
    file_field: &str,
    max_files: usize,
    limit: u64,
) -> Result<UploadForm, UploadError> {
    let declared = declared_length(headers);
    if let Some(n) = declared.filter(|n| *n > limit.saturating_add(1024 * 1024)) {
        // Nothing is stored. A body not much larger is read and dropped so the sender gets the
        // answer rather than a reset connection; a huge one is not read at all.
        if n <= limit.saturating_add(DRAIN_LIMIT) {
            drain(form).await;
        }
        return Err(UploadError::TooLarge);
    }
    let mut out = UploadForm {
        fields: HashMap::new(),
        files: Vec::new(),
    };
    let result = read_parts(state, &mut form, (file_field, max_files), limit, &mut out).await;
    match result {
        Ok(()) => Ok(out),
        Err(e) => {
            for f in &out.files {
                forget(state, f).await;
            }
            if matches!(e, UploadError::TooLarge)
                && declared.is_some_and(|n| n <= limit.saturating_add(DRAIN_LIMIT))
            {
                // Read the little that is left so the browser sees the answer; a body of
                // unknown length is not read on (the connection closes).
                drain(form).await;
            }
            Err(e)
        }
    }
}

async fn read_parts(
    state: &AppState,
    form: &mut Multipart,
    (file_field, max_files): (&str, usize),
    limit: u64,
    out: &mut UploadForm,
) -> Result<(), UploadError> {
    let mut count = 0;
    let mut text_bytes = 0;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| UploadError::Malformed)?
    {
        count += 1;
        if count > MAX_FIELDS {
            return Err(UploadError::Malformed);
        }
        let name = field.name().unwrap_or("").to_string();
        if name == file_field {
            if out.files.len() >= max_files {
                return Err(UploadError::TooMany);
            }
            if let Some(received) = store_part(state, field, limit).await? {
                out.files.push(received);
            }
        } else {
            let mut value = String::new();
            let mut field = field;
            while let Some(chunk) = field.chunk().await.map_err(|_| UploadError::Malformed)? {
                // Text is small: a body that keeps sending it is refused, not read on.
                text_bytes += chunk.len();
                if text_bytes > TEXT_LIMIT {
                    return Err(UploadError::Malformed);
                }
                if value.len() + chunk.len() <= FIELD_LIMIT {
                    value.push_str(&String::from_utf8_lossy(&chunk));
                }
            }
            // A repeated name keeps its first value.
            out.fields.entry(name).or_insert(value);
        }
    }
    Ok(())
}

/// Streams one file part into the store. An empty part (no file chosen) is `None`.
async fn store_part(
    state: &AppState,
    field: axum::extract::multipart::Field<'_>,
    limit: u64,
) -> Result<Option<Received>, UploadError> {
    let original = clean_file_name(field.file_name().unwrap_or(""), "archivo");
    let key = FileStore::new_key();
    let id = state
        .store
        .begin_file(&key, &original)
        .await
        .map_err(|e| UploadError::Internal(e.to_string()))?;
    let stream = field.map_err(|e| e.to_string());
    let stored = state.files.put_stream(&key, Box::pin(stream), limit).await;
    match stored {
        Ok(stored) if stored.size == 0 => {
            let _ = state.files.delete(&key).await;
            let _ = state.store.discard_file(id).await;
            Ok(None)
        }
        Ok(stored) => Ok(Some(Received {
            id,
            key,
            size: stored.size,
            sha256: stored.sha256,
        })),
        Err(e) => {
            let _ = state.files.delete(&key).await;
            let _ = state.store.discard_file(id).await;
            Err(match e {
                FilesError::TooLarge { .. } => UploadError::TooLarge,
                FilesError::Interrupted(_) => UploadError::Malformed,
                other => UploadError::Internal(other.to_string()),
            })
        }
    }
}

/// Removes a received file that will not be used (validation failed after the upload).
pub async fn forget(state: &AppState, file: &Received) {
    if let Err(e) = state.files.delete(&file.key).await {
        tracing::warn!(key = file.key, error = %e, "could not remove an unused upload");
    }
    if let Err(e) = state.store.discard_file(file.id).await {
        tracing::warn!(error = %e, "could not forget an unused upload");
    }
}

/// Answers `err` to an upload refused before its body was read (not found, not allowed),
/// after reading and dropping a bounded amount of it, so the sender sees the answer instead of
/// a reset connection.
pub async fn refuse(
    form: Multipart,
    err: impl Into<crate::error::WebError>,
) -> crate::error::WebError {
    drain(form).await;
    err.into()
}

async fn drain(mut form: Multipart) {
    let mut read: u64 = 0;
    while let Ok(Some(mut field)) = form.next_field().await {
        while let Ok(Some(chunk)) = field.chunk().await {
            read += chunk.len() as u64;
            if read > DRAIN_LIMIT {
                return;
            }
        }
    }
}
