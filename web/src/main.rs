//! Faro's single-page app: Leptos, rendered in the browser, talking only to the documented REST
//! API (`/api/v1`) with the bodies of `faro-types`.

mod api;
mod i18n;
mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The app: one session (the access token, in memory only) shared by every screen.
#[component]
fn App() -> impl IntoView {
    let session = api::Session::new();
    provide_context(session);
    provide_context(i18n::Language::detect());
    view! {
        <Router>
            <main id="contenido">
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("/") view=pages::Home/>
                    <Route path=path!("/login") view=pages::Login/>
                    <Route path=path!("/setup") view=pages::Setup/>
                    <Route path=path!("/profile") view=pages::Profile/>
                    <Route path=path!("/join") view=pages::Join/>
                    <Route path=path!("/join/confirm") view=pages::JoinConfirm/>
                    <Route path=path!("/password/forgot") view=pages::ForgotPassword/>
                    <Route path=path!("/password/reset") view=pages::ResetPassword/>
                </Routes>
            </main>
        </Router>
    }
}
