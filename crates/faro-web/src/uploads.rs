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

/// Largest text field of an upload form, and how many there may be.
const FIELD_LIMIT: usize = 64 * 1024;
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
    Internal(String),
}

/// The text fields of a form, and its file if one was chosen.
pub struct UploadForm {
    pub fields: HashMap<String, String>,
    pub file: Option<Received>,
}

impl UploadForm {
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

/// Reads the form; the part named `file_field` streams into the store (an empty part, which is
/// what a browser sends when no file was chosen, counts as no file). A body declared larger than
/// `limit` (plus room for the form around the file) is refused before a byte is read.
pub async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    mut form: Multipart,
    file_field: &str,
    limit: u64,
) -> Result<UploadForm, UploadError> {
    let declared = declared_length(headers);
    if declared.is_some_and(|n| n > limit.saturating_add(1024 * 1024)) {
        return Err(UploadError::TooLarge);
    }
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<Received> = None;
    let mut count = 0;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                if let Some(f) = file.take() {
                    forget(state, &f).await;
                }
                return Err(UploadError::Malformed);
            }
        };
        count += 1;
        let name = field.name().unwrap_or("").to_string();
        if count > MAX_FIELDS {
            if let Some(f) = file.take() {
                forget(state, &f).await;
            }
            return Err(UploadError::Malformed);
        }
        if name == file_field && file.is_none() {
            let original = clean_file_name(field.file_name().unwrap_or(""), "archivo");
            let key = FileStore::new_key();
            let id = state
                .store
                .begin_file(&key, &original)
                .await
                .map_err(|e| UploadError::Internal(e.to_string()))?;
            let stream = field.map_err(|e| e.to_string());
            match state.files.put_stream(&key, Box::pin(stream), limit).await {
                Ok(stored) if stored.size == 0 => {
                    let _ = state.files.delete(&key).await;
                    let _ = state.store.discard_file(id).await;
                }
                Ok(stored) => {
                    file = Some(Received {
                        id,
                        key,
                        size: stored.size,
                        sha256: stored.sha256,
                    });
                }
                Err(e) => {
                    let _ = state.files.delete(&key).await;
                    let _ = state.store.discard_file(id).await;
                    return Err(match e {
                        FilesError::TooLarge { .. } => {
                            // Read the little that is left so the browser sees the answer; a
                            // body of unknown length is not read on (the connection closes).
                            if declared.is_some_and(|n| n <= limit.saturating_add(DRAIN_LIMIT)) {
                                drain(form).await;
                            }
                            UploadError::TooLarge
                        }
                        FilesError::Interrupted(_) => UploadError::Malformed,
                        other => UploadError::Internal(other.to_string()),
                    });
                }
            }
        } else {
            let mut value = String::new();
            let mut field = field;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        if value.len() + chunk.len() > FIELD_LIMIT {
                            break;
                        }
                        value.push_str(&String::from_utf8_lossy(&chunk));
                    }
                    Ok(None) => break,
                    Err(_) => {
                        if let Some(f) = file.take() {
                            forget(state, &f).await;
                        }
                        return Err(UploadError::Malformed);
                    }
                }
            }
            // A repeated name keeps its first value.
            fields.entry(name).or_insert(value);
        }
    }
    Ok(UploadForm { fields, file })
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
