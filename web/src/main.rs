//! Faro's single-page app: Leptos, rendered in the browser, talking only to the documented REST
//! API (`/api/v1`) with the bodies of `faro-types`.

mod api;
mod components;
mod files;
mod i18n;
mod keys;
mod pages;
mod shell;
mod upload;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

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
    view! {
        <Router>
            <a class="skip" href="#contenido">{move || i18n::t().skip_to_content}</a>
            <shell::Header/>
            <main id="contenido" tabindex="-1">
                <Suspense fallback=|| view! { <components::Loading/> }>
                    {move || restored.get().map(|_| view! {
                        <Routes fallback=|| view! { <pages::NotFound/> }>
                            <Route path=path!("/") view=|| view! { <shell::SignedIn><pages::Home/></shell::SignedIn> }/>
                            <Route path=path!("/login") view=pages::Login/>
                            <Route path=path!("/setup") view=pages::Setup/>
                            <Route path=path!("/join") view=pages::Join/>
                            <Route path=path!("/join/confirm") view=pages::JoinConfirm/>
                            <Route path=path!("/password/forgot") view=pages::ForgotPassword/>
                            <Route path=path!("/password/reset") view=pages::ResetPassword/>
                            <Route path=path!("/profile") view=|| view! { <shell::SignedIn><pages::Profile/></shell::SignedIn> }/>
                            <Route path=path!("/kb") view=|| view! { <shell::SignedIn><pages::KnowledgeBase/></shell::SignedIn> }/>
                            <Route path=path!("/search") view=|| view! { <shell::SignedIn><pages::Search/></shell::SignedIn> }/>
                            <Route path=path!("/kb/new") view=|| view! { <shell::SignedIn><pages::NewArticle/></shell::SignedIn> }/>
                            <Route path=path!("/kb/feedback") view=|| view! { <shell::SignedIn><pages::FeedbackReport/></shell::SignedIn> }/>
                            <Route path=path!("/kb/:slug") view=|| view! { <shell::SignedIn><pages::ArticlePage/></shell::SignedIn> }/>
                            <Route path=path!("/kb/:slug/edit") view=|| view! { <shell::SignedIn><pages::EditArticle/></shell::SignedIn> }/>
                            <Route path=path!("/kb/:slug/history") view=|| view! { <shell::SignedIn><pages::History/></shell::SignedIn> }/>
                            <Route path=path!("/incidents") view=|| view! { <shell::SignedIn><pages::Incidents/></shell::SignedIn> }/>
                            <Route path=path!("/incidents/new") view=|| view! { <shell::SignedIn><pages::NewIncident/></shell::SignedIn> }/>
                            <Route path=path!("/incidents/:number") view=|| view! { <shell::SignedIn><pages::IncidentPage/></shell::SignedIn> }/>
                            <Route path=path!("/membership") view=|| view! { <shell::SignedIn><pages::MyMembership/></shell::SignedIn> }/>
                            <Route path=path!("/memberships") view=|| view! { <shell::SignedIn><pages::Memberships/></shell::SignedIn> }/>
                            <Route path=path!("/memberships/:id") view=|| view! { <shell::SignedIn><pages::MembershipDetail/></shell::SignedIn> }/>
                            <Route path=path!("/staff") view=|| view! { <shell::SignedIn><pages::Staff/></shell::SignedIn> }/>
                            <Route path=path!("/audit") view=|| view! { <shell::SignedIn><pages::Audit/></shell::SignedIn> }/>
                        </Routes>
                    })}
                </Suspense>
            </main>
            <shell::Expired/>
        </Router>
    }
}
