//! Faro's single-page app: Leptos, rendered in the browser, talking only to the documented REST
//! API (`/api/v1`) with the bodies of `faro-types`.

mod api;
mod areas;
mod components;
mod files;
mod i18n;
mod keys;
mod pages;
mod shell;
mod upload;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, path};

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The app: one session (the access token, in memory only) shared by every screen. A reloaded
/// tab first looks for its session with the refresh cookie, then shows the screen.
#[component]
fn App() -> impl IntoView {
    let language = i18n::Language::detect();
    let session = api::Session::new(language);
    provide_context(session);
    provide_context(language);
    let restored = LocalResource::new(move || async move { session.restore().await });
    // Once someone is signed in, the other areas' wasm comes in the background.
    let preloaded = StoredValue::new(false);
    Effect::new(move |_| {
        if session.me.with(Option::is_some) && !preloaded.get_value() {
            preloaded.set_value(true);
            leptos::task::spawn_local(areas::preload_all());
        }
    });
    view! {
        <Router>
            <a class="skip" href="#contenido">{move || i18n::t().skip_to_content}</a>
            <shell::Header/>
            <main id="contenido" tabindex="-1">
                <Suspense fallback=|| view! { <components::Loading/> }>
                    {move || restored.get().map(|_| view! {
                        <Routes fallback=|| view! { <pages::NotFound/> }>
                            <Route path=path!("/") view={Lazy::<areas::Home>::new()}/>
                            <Route path=path!("/login") view=pages::Login/>
                            <Route path=path!("/setup") view=pages::Setup/>
                            <Route path=path!("/join") view=pages::Join/>
                            <Route path=path!("/join/confirm") view=pages::JoinConfirm/>
                            <Route path=path!("/password/forgot") view=pages::ForgotPassword/>
                            <Route path=path!("/password/reset") view=pages::ResetPassword/>
                            <Route path=path!("/profile") view={Lazy::<areas::Profile>::new()}/>
                            <Route path=path!("/kb") view={Lazy::<areas::KnowledgeBase>::new()}/>
                            <Route path=path!("/search") view={Lazy::<areas::Search>::new()}/>
                            <Route path=path!("/kb/new") view={Lazy::<areas::NewArticle>::new()}/>
                            <Route path=path!("/kb/feedback") view={Lazy::<areas::FeedbackReport>::new()}/>
                            <Route path=path!("/kb/:slug") view={Lazy::<areas::ArticlePage>::new()}/>
                            <Route path=path!("/kb/:slug/edit") view={Lazy::<areas::EditArticle>::new()}/>
                            <Route path=path!("/kb/:slug/history") view={Lazy::<areas::History>::new()}/>
                            <Route path=path!("/incidents") view={Lazy::<areas::IncidentList>::new()}/>
                            <Route path=path!("/incidents/new") view={Lazy::<areas::NewIncident>::new()}/>
                            <Route path=path!("/incidents/:number") view={Lazy::<areas::IncidentPage>::new()}/>
                            <Route path=path!("/downloads") view={Lazy::<areas::DownloadList>::new()}/>
                            <Route path=path!("/downloads/new") view={Lazy::<areas::NewDownload>::new()}/>
                            <Route path=path!("/downloads/:slug") view={Lazy::<areas::DownloadItem>::new()}/>
                            <Route path=path!("/downloads/:slug/edit") view={Lazy::<areas::EditDownload>::new()}/>
                            <Route path=path!("/resources") view={Lazy::<areas::ResourceList>::new()}/>
                            <Route path=path!("/resources/new") view={Lazy::<areas::NewResource>::new()}/>
                            <Route path=path!("/resources/:slug") view={Lazy::<areas::ResourceItem>::new()}/>
                            <Route path=path!("/resources/:slug/edit") view={Lazy::<areas::EditResource>::new()}/>
                            <Route path=path!("/membership") view={Lazy::<areas::MyMembership>::new()}/>
                            <Route path=path!("/memberships") view={Lazy::<areas::Memberships>::new()}/>
                            <Route path=path!("/memberships/:id") view={Lazy::<areas::MembershipDetail>::new()}/>
                            <Route path=path!("/staff") view={Lazy::<areas::Staff>::new()}/>
                            <Route path=path!("/audit") view={Lazy::<areas::Audit>::new()}/>
                        </Routes>
                    })}
                </Suspense>
            </main>
            <shell::Expired/>
        </Router>
    }
}
