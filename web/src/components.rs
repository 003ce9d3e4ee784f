//! The building blocks every screen shares: labelled fields with the API's message beside them,
//! radio groups and checkboxes with their labels beside the control, status lines announced to
//! screen readers, copy buttons, confirmations and cursor-paged lists.

use faro_types::Page;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::api::{ApiError, Session, session};
use crate::i18n::{Label, t};

/// What a finished action left: the API's per-field message for `field`, if any.
pub fn field_error<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, ApiError>>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        result
            .try_get()
            .flatten()
            .and_then(Result::err)
            .and_then(|e| e.field(field))
    })
}

/// A labelled input with the API's message for it underneath.
#[component]
pub fn Field(
    id: &'static str,
    label: Label,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] optional: bool,
) -> impl IntoView {
    let described = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{move || label()}</label>
            <input id=id type=kind autocomplete=autocomplete required=!optional
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described.clone()
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            <p class="field-error" id=described>{move || error.get()}</p>
        </div>
    }
}

/// A labelled text area, with an optional hint under its label and the API's message for it
/// underneath.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    label: Label,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<Label>,
    #[prop(default = 6)] rows: u32,
    #[prop(default = 50_000)] maxlength: u32,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label()}</label>
            <textarea id=id rows=rows maxlength=maxlength required=required
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described
                prop:value=value on:input=move |ev| value.set(event_target_value(&ev))></textarea>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{move || h()}</p> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// One choice among a few, as radio buttons with their labels beside them.
#[component]
pub fn Choice<V>(
    name: &'static str,
    legend: Label,
    options: Vec<(V, Label)>,
    value: RwSignal<V>,
) -> impl IntoView
where
    V: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="choice">
            <legend>{move || legend()}</legend>
            {options.into_iter().enumerate().map(|(i, (v, label))| {
                let id = format!("{name}-{i}");
                let for_id = id.clone();
                view! {
                    <label class="check" for=for_id>
                        <input type="radio" id=id name=name
                            prop:checked=move || value.get() == v
                            on:change=move |_| value.set(v)/>
                        <span>{move || label()}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A checkbox with its label beside it.
#[component]
pub fn Check(id: &'static str, label: Label, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check" for=id>
            <input type="checkbox" id=id prop:checked=value
                on:change=move |ev| value.set(event_target_checked(&ev))/>
            <span>{move || label()}</span>
        </label>
    }
}

/// The outcome of a form: its general refusal (role `alert`) or a success line (role
/// `status`), both announced by screen readers when they change. (`try_get`: a screen being
/// taken down may still be asked to redraw once, after its own signals are gone.)
#[component]
pub fn Outcome<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, ApiError>>>,
    ok: Label,
) -> impl IntoView {
    view! {
        <p class="alert" role="alert">
            {move || result.try_get().flatten().and_then(Result::err).and_then(|e| e.general())}
        </p>
        <p class="ok" role="status">
            {move || matches!(result.try_get().flatten(), Some(Ok(_))).then(ok)}
        </p>
    }
}

/// A button that copies `text` to the clipboard, saying so when done.
#[component]
pub fn CopyButton(#[prop(into)] text: Signal<String>, label: String) -> impl IntoView {
    let done = RwSignal::new(false);
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text.get_untracked());
            done.set(true);
        }
    };
    view! {
        <button type="button" class="secondary" aria-label=label on:click=copy>{move || t().copy}</button>
        <span role="status">{move || done.get().then(|| t().copied)}</span>
    }
}

/// Asks before something that cannot be undone in one click.
pub fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// "Loading…" while a screen's data comes, and the API's message (with a retry) if it fails.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted" role="status">{move || t().loading}</p> }
}

#[component]
pub fn LoadFailed(error: ApiError, retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="alert-box" role="alert">
            <p>{error.message()}</p>
            <button type="button" on:click=move |_| retry.run(())>{move || t().retry}</button>
        </div>
    }
}

/// A cursor-paged list read from the API: the first page at once, more on demand, all again
/// after a change (`reload`).
pub struct Pages<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    pub error: RwSignal<Option<ApiError>>,
    pub loading: RwSignal<bool>,
    path: Signal<String>,
    /// Taken when the list is made: the fetches run outside any reactive owner.
    session: Session,
}

impl<T: Send + Sync + 'static> Clone for Pages<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Pages<T> {}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> Pages<T> {
    /// `path` may carry its own query (filters); pages of 50 items. A change of `path` (its
    /// signals) reads the first page again.
    pub fn new(path: impl Fn() -> String + Send + Sync + 'static) -> Self {
        let pages = Self {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            error: RwSignal::new(None),
            loading: RwSignal::new(true),
            path: Signal::derive(path),
            session: session(),
        };
        Effect::new(move |_| {
            pages.path.track();
            pages.reload();
        });
        pages
    }

    fn fetch(self, cursor: Option<String>) {
        let path = self.path.get_untracked();
        self.loading.set(true);
        leptos::task::spawn_local(async move {
            let join = if path.contains('?') { '&' } else { '?' };
            let url = match &cursor {
                Some(c) => format!("{path}{join}limit=50&cursor={c}"),
                None => format!("{path}{join}limit=50"),
            };
            let page = self.session.get::<Page<T>>(&url).await;
            self.loading.set(false);
            match page {
                Ok(page) => {
                    self.error.set(None);
                    if cursor.is_none() {
                        self.items.set(page.items);
                    } else {
                        self.items.update(|v| v.extend(page.items));
                    }
                    self.next.set(page.next_cursor);
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Reads the first page again (after a change).
    pub fn reload(self) {
        self.fetch(None);
    }

    pub fn more(self) {
        if let Some(c) = self.next.get_untracked() {
            self.fetch(Some(c));
        }
    }

    /// Puts a changed item in place without reading the list again.
    pub fn replace(self, same: impl Fn(&T) -> bool, with: T) {
        self.items.update(|v| {
            if let Some(slot) = v.iter_mut().find(|i| same(i)) {
                *slot = with;
            }
        });
    }
}

/// The footer of a paged list: its loading line, its error, and "load more".
#[component]
pub fn PagesFooter<T: DeserializeOwned + Clone + Send + Sync + 'static>(
    pages: Pages<T>,
    empty: Label,
) -> impl IntoView {
    view! {
        {move || pages.loading.get().then(|| view! { <Loading/> })}
        {move || pages.error.get().map(|e| view! {
            <LoadFailed error=e retry=Callback::new(move |_| pages.reload())/>
        })}
        {move || (!pages.loading.get() && pages.error.with(Option::is_none) && pages.items.with(Vec::is_empty))
            .then(|| view! { <p class="muted">{move || empty()}</p> })}
        {move || pages.next.with(Option::is_some).then(|| view! {
            <button type="button" class="secondary" on:click=move |_| pages.more()
                disabled=move || pages.loading.get()>{move || t().load_more}</button>
        })}
    }
}

/// Work to do a moment after the last of a run of calls (a box being typed in): each call
/// cancels the one before, and the work can tell whether a newer call came while it waited
/// for the API, so a late answer never overwrites a newer one.
#[derive(Clone, Copy)]
pub struct Debounce(StoredValue<u64>);

/// Whether the call that started some work is still the latest one.
#[derive(Clone, Copy)]
pub struct Latest(StoredValue<u64>, u64);

impl Latest {
    pub fn still(self) -> bool {
        self.0.try_get_value() == Some(self.1)
    }
}

impl Debounce {
    pub fn new() -> Self {
        Self(StoredValue::new(0))
    }

    /// Drops what is waiting.
    pub fn cancel(self) {
        self.0.update_value(|n| *n += 1);
    }

    /// Runs `work` after `delay` unless another call comes first.
    pub fn run<F, Fut>(self, delay: std::time::Duration, work: F)
    where
        F: FnOnce(Latest) -> Fut + 'static,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        self.cancel();
        let latest = Latest(self.0, self.0.get_value());
        set_timeout(
            move || {
                if latest.still() {
                    leptos::task::spawn_local(work(latest));
                }
            },
            delay,
        );
    }
}
