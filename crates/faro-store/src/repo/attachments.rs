//! Mail attachments as they wait in the outbox: a JSON list with the bytes in base64.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use faro_core::records::MailAttachment;
use faro_core::{StoreError, StoreResult};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Stored {
    filename: String,
    content_type: String,
    data: String,
}

pub(crate) fn encode(list: &[MailAttachment]) -> StoreResult<Option<String>> {
    if list.is_empty() {
        return Ok(None);
    }
    let stored: Vec<Stored> = list
        .iter()
        .map(|a| Stored {
            filename: a.filename.clone(),
            content_type: a.content_type.clone(),
            data: STANDARD.encode(&a.bytes),
        })
        .collect();
    serde_json::to_string(&stored)
        .map(Some)
        .map_err(|e| StoreError::Other(e.to_string()))
}

pub(crate) fn decode(raw: Option<&str>) -> StoreResult<Vec<MailAttachment>> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(Vec::new());
    };
    let stored: Vec<Stored> = serde_json::from_str(raw)
        .map_err(|e| StoreError::Other(format!("outbox attachments: {e}")))?;
    stored
        .into_iter()
        .map(|s| {
            Ok(MailAttachment {
                bytes: STANDARD
                    .decode(s.data)
                    .map_err(|e| StoreError::Other(format!("outbox attachment: {e}")))?,
                filename: s.filename,
                content_type: s.content_type,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        let list = vec![MailAttachment {
            filename: "guía.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: vec![0, 1, 2, 255],
        }];
        let encoded = encode(&list).unwrap();
        assert_eq!(decode(encoded.as_deref()).unwrap(), list);
        assert_eq!(encode(&[]).unwrap(), None);
        assert!(decode(None).unwrap().is_empty());
    }
}
