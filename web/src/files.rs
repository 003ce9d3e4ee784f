//! Files chosen for a form: a drop zone that is also a file button (on a phone it offers the
//! camera), the list of chosen files with a progress bar each while the form is sent, and a
//! way to fetch a file the API serves only with the token (a visit's `.ics`).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{ApiError, Session};
use crate::i18n::{Label, file_size, t};
use crate::upload::Part;

/// One chosen file and the share of it sent so far (0.0 to 1.0).
#[derive(Clone)]
pub struct Picked {
    key: u32,
    pub file: web_sys::File,
    pub sent: RwSignal<f64>,
}

/// The files chosen for one form.
#[derive(Clone, Copy)]
pub struct Chosen {
    files: RwSignal<Vec<Picked>, LocalStorage>,
    next: StoredValue<u32>,
    /// While the form is being sent: no adding or removing.
    pub sending: RwSignal<bool>,
}

impl Chosen {
    pub fn new() -> Self {
        Self {
            files: RwSignal::new_local(Vec::new()),
            next: StoredValue::new(0),
            sending: RwSignal::new(false),
        }
    }

    fn add(self, list: Option<web_sys::FileList>) {
        let Some(list) = list else { return };
        let mut more = Vec::new();
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                let key = self.next.get_value();
                self.next.set_value(key + 1);
                more.push(Picked {
                    key,
                    file,
                    sent: RwSignal::new(0.0),
                });
            }
        }
        self.files.update(|v| v.extend(more));
    }

    pub fn clear(self) {
        self.files.set(Vec::new());
    }

    /// The files as parts of a form, each under `field`.
    pub fn parts(self, field: &'static str) -> Vec<Part> {
        self.files.with_untracked(|v| {
            v.iter()
                .map(|p| Part::File(field, p.file.clone()))
                .collect()
        })
    }

    /// Tells each file how much of it has gone, from the bytes of the whole body sent so far.
    /// The files go in the order chosen, after the text fields (a few hundred bytes): each
    /// bar fills while its own bytes are on their way.
    pub fn progress(self) -> impl Fn(f64, f64) + Clone + 'static {
        move |loaded: f64, total: f64| {
            // The screen may be gone (the person navigated away mid-upload): then nothing shows.
            self.files.try_with_untracked(|v| {
                let sizes: Vec<f64> = v.iter().map(|p| p.file.size()).collect();
                let all: f64 = sizes.iter().sum();
                let overhead = (total - all).max(0.0);
                let mut sent = (loaded - overhead).max(0.0);
                if loaded >= total {
                    sent = all;
                }
                for (p, size) in v.iter().zip(sizes) {
                    let share = if size > 0.0 {
                        (sent / size).clamp(0.0, 1.0)
                    } else {
                        1.0
                    };
                    p.sent.try_set(share);
                    sent = (sent - size).max(0.0);
                }
            });
        }
    }
}

/// The drop zone, its file button and the list of chosen files with their bars.
#[component]
pub fn FilePicker(
    id: &'static str,
    chosen: Chosen,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let over = RwSignal::new(false);
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if !chosen.sending.get_untracked() {
            chosen.add(ev.data_transfer().and_then(|d| d.files()));
        }
    };
    let pick = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            chosen.add(input.files());
            // The same file may be chosen again after removing it.
            input.set_value("");
        }
    };
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <span class="label">{move || t().files}</span>
            <div class="drop-zone" class:over=over
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=drop>
                <span>{move || t().files_drop}" "</span>
                <label class="button secondary small" for=id>{move || t().files_choose}</label>
                <input id=id class="visually-hidden" type="file" multiple
                    aria-describedby=error_id.clone()
                    disabled=move || chosen.sending.get() on:change=pick/>
            </div>
            <ul class="chosen-files">
                <For each=move || chosen.files.get() key=|p| p.key let:p>
                    <ChosenFile p=p chosen=chosen/>
                </For>
            </ul>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

#[component]
fn ChosenFile(p: Picked, chosen: Chosen) -> impl IntoView {
    let (key, sent) = (p.key, p.sent);
    let name = p.file.name();
    let size = p.file.size() as u64;
    let label = format!("{name}: {}", t().files);
    view! {
        <li>
            <span class="file-name">{name.clone()}</span>
            <span class="muted">" "{move || file_size(size)}</span>
            <progress max="1" prop:value=move || sent.get() aria-label=label></progress>
            <button type="button" class="secondary small" disabled=move || chosen.sending.get()
                on:click=move |_| chosen.files.update(|v| v.retain(|f| f.key != key))>
                {move || t().files_remove}
            </button>
        </li>
    }
}

/// One file for a form (a download version, a hosted copy), and the share of the form sent.
#[derive(Clone, Copy)]
pub struct OneFile {
    pub file: RwSignal<Option<web_sys::File>, LocalStorage>,
    sent: RwSignal<f64>,
}

impl OneFile {
    pub fn new() -> Self {
        Self {
            file: RwSignal::new_local(None),
            sent: RwSignal::new(0.0),
        }
    }

    /// The file as a part of the form under `field`, if one was chosen; the bar starts over.
    pub fn part(self, field: &'static str) -> Option<Part> {
        self.sent.set(0.0);
        self.file.get_untracked().map(|f| Part::File(field, f))
    }

    /// Tells the bar how much of the form has gone (the file is nearly all of it).
    pub fn progress(self) -> impl Fn(f64, f64) + Clone + 'static {
        move |loaded: f64, total: f64| {
            if total > 0.0 {
                self.sent.try_set(loaded / total);
            }
        }
    }
}

/// A file input with the chosen file's name and size, and a progress bar while `sending`.
#[component]
pub fn OneFilePicker(
    id: &'static str,
    label: Label,
    one: OneFile,
    #[prop(into)] sending: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] required: bool,
    /// A line under the input (what happens without a new file).
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
) -> impl IntoView {
    let pick = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        one.file
            .set(input.and_then(|i| i.files()).and_then(|l| l.get(0)));
    };
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described = format!("{hint_id} {error_id}");
    view! {
        <div class="field">
            <label for=id>{move || label()}</label>
            <input id=id type="file" required=required aria-describedby=described
                aria-invalid=move || error.get().is_some().to_string()
                disabled=move || sending.get() on:change=pick/>
            {move || one.file.get().map(|f| {
                let size = f.size() as u64;
                view! { <p class="muted">{f.name()}" · "{move || file_size(size)}</p> }
            })}
            <p class="hint" id=hint_id>{move || hint.map(|h| h.get())}</p>
            <progress max="1" prop:value=move || one.sent.get() aria-label=label
                class:visually-hidden=move || !sending.get()></progress>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// Fetches `path` with the session's token and hands it to the browser as a download named
/// `name` (for what the API serves only to a signed-in caller, like a visit's `.ics`).
pub async fn save_as(session: Session, path: &str, name: &str) -> Result<(), ApiError> {
    let bytes = session.bytes(path).await?;
    let net = |_| ApiError::Network;
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(net)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(net)?;
    let a = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or(ApiError::Network)?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
