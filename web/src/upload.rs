//! Uploads with a progress bar. `fetch` cannot report how much of a request body has gone, so
//! forms with files go with `XMLHttpRequest`, whose `upload.onprogress` does; the answer is read
//! like any other call's (the shared body, or the problem document).

use std::cell::RefCell;
use std::rc::Rc;

use faro_types::Problem;
use futures::channel::oneshot;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use crate::api::{ApiError, Session};

/// One part of a multipart form: a text field or a file.
#[derive(Clone)]
pub enum Part {
    Text(&'static str, String),
    File(&'static str, web_sys::File),
}

/// Sends `file` as the `field` part of a multipart form to `path`, telling `progress` the
/// share sent so far (0.0 to 1.0).
pub async fn upload<T: DeserializeOwned>(
    session: Session,
    path: &str,
    field: &'static str,
    file: &web_sys::File,
    progress: impl Fn(f64) + Clone + 'static,
) -> Result<T, ApiError> {
    let parts = vec![Part::File(field, file.clone())];
    send_form(session, path, parts, move |sent, total| {
        if total > 0.0 {
            progress(sent / total);
        }
    })
    .await
}

/// POSTs `parts` as one multipart form to `path`, telling `progress` the bytes sent so far and
/// the body's whole size. A 401 renews the token once and sends again.
pub async fn send_form<T: DeserializeOwned>(
    session: Session,
    path: &str,
    parts: Vec<Part>,
    progress: impl Fn(f64, f64) + Clone + 'static,
) -> Result<T, ApiError> {
    send_form_as(session, "POST", path, parts, progress).await
}

/// The same with another method (`PUT` to replace something with its file).
pub async fn send_form_as<T: DeserializeOwned>(
    session: Session,
    method: &'static str,
    path: &str,
    parts: Vec<Part>,
    progress: impl Fn(f64, f64) + Clone + 'static,
) -> Result<T, ApiError> {
    let mut stale = false;
    loop {
        let token = session.token_for(stale).await?;
        let (status, text) = send(session, method, path, &parts, &token, progress.clone()).await?;
        if status == 401 && !stale {
            stale = true;
            continue;
        }
        return if (200..300).contains(&status) {
            serde_json::from_str(&text).map_err(|_| ApiError::Unreadable(status))
        } else {
            serde_json::from_str::<Problem>(&text)
                .map(ApiError::Problem)
                .or(Err(ApiError::Unreadable(status)))
                .and_then(Err)
        };
    }
}

async fn send(
    session: Session,
    method: &str,
    path: &str,
    parts: &[Part],
    token: &str,
    progress: impl Fn(f64, f64) + 'static,
) -> Result<(u16, String), ApiError> {
    let net = |_| ApiError::Network;
    let xhr = web_sys::XmlHttpRequest::new().map_err(net)?;
    xhr.open_with_async(method, path, true).map_err(net)?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}"))
        .map_err(net)?;
    xhr.set_request_header("Accept-Language", session.lang_code())
        .map_err(net)?;
    let form = web_sys::FormData::new().map_err(net)?;
    for part in parts {
        match part {
            Part::Text(name, value) => form.append_with_str(name, value),
            Part::File(name, file) => form.append_with_blob_and_filename(name, file, &file.name()),
        }
        .map_err(net)?;
    }
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() {
                progress(e.loaded(), e.total());
            }
        });
    xhr.upload()
        .map_err(net)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    let (tx, rx) = oneshot::channel::<bool>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = |ok: bool| {
        let tx = tx.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(ok);
            }
        })
    };
    let (on_load, on_error) = (done(true), done(false));
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(on_error.as_ref().unchecked_ref()));
    xhr.send_with_opt_form_data(Some(&form)).map_err(net)?;
    let arrived = rx.await.unwrap_or(false);
    // The handlers live until the request ends; dropped here, after it has.
    drop((on_progress, on_load, on_error));
    if !arrived {
        return Err(ApiError::Network);
    }
    let status = xhr.status().map_err(net)?;
    let text = xhr.response_text().map_err(net)?.unwrap_or_default();
    Ok((status, text))
}
