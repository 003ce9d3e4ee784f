//! What surrounds every screen: the header with the sections of the person's role (a menu
//! button on phones), the language switch for visitors, the guard of screens that need a
//! session, and the "your session has ended" dialog.

use faro_types::accounts::Role;
use leptos::html;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::session;
use crate::i18n::{Label, Lang, Language, t};

/// A section: its path and its name.
pub type Section = (&'static str, Label);

/// The sections of a role, in menu order.
pub fn sections(role: Role) -> Vec<Section> {
    let mut links: Vec<Section> = vec![
        ("/", || t().home),
        ("/kb", || t().kb),
        ("/incidents", || t().incidents),
        ("/downloads", || t().downloads),
        ("/resources", || t().resources),
    ];
    match role {
        Role::Coordinator => links.push(("/membership", || t().my_membership)),
        Role::Admin => {
            links.push(("/memberships", || t().memberships));
            links.push(("/staff", || t().staff));
            links.push(("/audit", || t().audit));
        }
        Role::Agent => links.push(("/memberships", || t().memberships)),
        Role::Member => {}
    }
    links.push(("/profile", || t().profile));
    links
}

#[component]
pub fn Header() -> impl IntoView {
    let s = session();
    let open = RwSignal::new(false);
    let location = use_location();
    // A chosen section closes the menu, and the keyboard and screen readers start from the new
    // screen's content (not from the link that led there).
    Effect::new(move |first: Option<()>| {
        location.pathname.track();
        open.set(false);
        if first.is_some()
            && let Some(main) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("contenido"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = main.focus();
        }
    });
    let role = Memo::new(move |_| s.role());
    let navigate = use_navigate();
    let sign_out = Action::new_local(move |_: &()| async move { session().logout().await });
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            navigate("/login", Default::default());
        }
    });
    view! {
        <header class="top">
            <A href="/" attr:class="brand" attr:aria-label=move || t().brand_home>"Faro"</A>
            {move || match role.get() {
                Some(role) => view! {
                    <crate::pages::HeaderSearch/>
                    <button type="button" class="menu-toggle" aria-controls="nav"
                        aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)>
                        <span aria-hidden="true">"☰ "</span>{move || t().menu}
                    </button>
                    <nav id="nav" aria-label=move || t().nav_label class:open=open>
                        <ul>
                            {sections(role).into_iter().map(|(href, label)| view! {
                                <li on:click=move |_| open.set(false)><A href=href exact=true>{move || label()}</A></li>
                            }).collect_view()}
                        </ul>
                        <button type="button" class="secondary" on:click=move |_| { sign_out.dispatch(()); }>
                            {move || t().sign_out}
                        </button>
                    </nav>
                }.into_any(),
                None => view! { <LanguageSwitch/> }.into_any(),
            }}
        </header>
    }
}

/// For visitors (the signed-in choose in their profile): Spanish or English, remembered.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let language = expect_context::<Language>();
    let pressed = move |l: Lang| (language.0.get() == l).to_string();
    view! {
        <div class="lang-switch" role="group" aria-label=move || t().language>
            <button type="button" lang="es" aria-pressed=move || pressed(Lang::Es)
                on:click=move |_| language.choose(Lang::Es)>"Español"</button>
            <button type="button" lang="en" aria-pressed=move || pressed(Lang::En)
                on:click=move |_| language.choose(Lang::En)>"English"</button>
        </div>
    }
}

/// Shows its screen to a signed-in person; anyone else goes to sign in, and back here after.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let s = session();
    let present = Memo::new(move |_| s.me.with(Option::is_some));
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        if !present.get() {
            let here = location.pathname.get_untracked();
            let next = String::from(js_sys::encode_uri_component(&here));
            navigate(
                &format!("/login?next={next}"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    move || present.get().then(|| children())
}

/// Over the screen when the session ended under the person's feet: their password again and
/// they carry on where they were, with what they had typed.
#[component]
pub fn Expired() -> impl IntoView {
    let s = session();
    let password = RwSignal::new(String::new());
    let email = move || {
        s.me.with(|m| m.as_ref().map(|m| m.email.clone()).unwrap_or_default())
    };
    let sign_in = Action::new_local(move |p: &String| {
        let (e, p) = (email(), p.clone());
        async move { session().login(e, p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = sign_in.value().get() {
            password.set(String::new());
        }
    });
    let input = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let navigate = use_navigate();
    let other = Action::new_local(move |_: &()| async move { session().logout().await });
    Effect::new(move |_| {
        if other.value().get().is_some() {
            navigate("/login", Default::default());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_in.dispatch(password.get_untracked());
    };
    view! {
        <Show when=move || s.expired.get()>
            <div class="overlay">
                <div class="dialog" role="dialog" aria-modal="true"
                    aria-labelledby="expired-title" aria-describedby="expired-intro">
                    <h2 id="expired-title">{move || t().expired_title}</h2>
                    <p id="expired-intro">{move || t().expired_intro}</p>
                    <form on:submit=on_submit novalidate>
                        <p class="muted">{email}</p>
                        <div class="field">
                            <label for="expired-password">{move || t().password}</label>
                            <input id="expired-password" type="password" autocomplete="current-password"
                                node_ref=input prop:value=password
                                on:input=move |ev| password.set(event_target_value(&ev))/>
                        </div>
                        <p class="alert" role="alert">
                            {move || sign_in.value().get().and_then(Result::err).map(|e| e.message())}
                        </p>
                        <div class="actions">
                            <button type="submit" disabled=move || sign_in.pending().get()>{move || t().sign_in}</button>
                            <button type="button" class="secondary" on:click=move |_| { other.dispatch(()); }>
                                {move || t().expired_other}
                            </button>
                        </div>
                    </form>
                </div>
            </div>
        </Show>
    }
}
