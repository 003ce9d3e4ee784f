//! The signed-in screens, split into one lazily loaded piece of wasm per area, so the first
//! screen (signing in, joining, a new password) downloads only what it needs.
//!
//! Each area is one function marked as a split point (`wasm_split`, which Leptos brings):
//! `web/build.sh` cuts the compiled app at those points with `wasm-split-cli`, and the first call
//! fetches the area's wasm before running it. Code that several areas use goes into a shared
//! piece, and code the first screen uses stays in the main module. The routes name each screen
//! through a [`LazyRoute`]; once someone is signed in, every area is fetched in the background,
//! so moving between areas does not wait for the network.

use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use leptos_router::LazyRoute;

use crate::pages;
use crate::shell::SignedIn;

/// A screen of the home and profile area.
#[derive(Clone, Copy)]
pub enum Account {
    Home,
    Profile,
}

/// A screen of the knowledge base and search.
#[derive(Clone, Copy)]
pub enum Kb {
    List,
    Search,
    New,
    Feedback,
    Article,
    Edit,
    History,
}

/// A screen of the incidents.
#[derive(Clone, Copy)]
pub enum Incidents {
    List,
    New,
    Page,
}

/// A screen of downloads and the resources catalogue.
#[derive(Clone, Copy)]
pub enum Downloads {
    List,
    Item,
    New,
    Edit,
    Resources,
    Resource,
    NewResource,
    EditResource,
}

/// A screen of memberships, staff and the audit log.
#[derive(Clone, Copy)]
pub enum Admin {
    Mine,
    List,
    Detail,
    Staff,
    Audit,
}

#[wasm_split(account, wasm_split_path = ::leptos::wasm_split, preload(preload_account))]
fn account(screen: Account) -> AnyView {
    let screen = move || match screen {
        Account::Home => view! { <pages::Home/> }.into_any(),
        Account::Profile => view! { <pages::Profile/> }.into_any(),
    };
    view! { <SignedIn>{screen}</SignedIn> }.into_any()
}

#[wasm_split(kb, wasm_split_path = ::leptos::wasm_split, preload(preload_kb))]
fn kb(screen: Kb) -> AnyView {
    let screen = move || match screen {
        Kb::List => view! { <pages::KnowledgeBase/> }.into_any(),
        Kb::Search => view! { <pages::Search/> }.into_any(),
        Kb::New => view! { <pages::NewArticle/> }.into_any(),
        Kb::Feedback => view! { <pages::FeedbackReport/> }.into_any(),
        Kb::Article => view! { <pages::ArticlePage/> }.into_any(),
        Kb::Edit => view! { <pages::EditArticle/> }.into_any(),
        Kb::History => view! { <pages::History/> }.into_any(),
    };
    view! { <SignedIn>{screen}</SignedIn> }.into_any()
}

#[wasm_split(incidents, wasm_split_path = ::leptos::wasm_split, preload(preload_incidents))]
fn incidents(screen: Incidents) -> AnyView {
    let screen = move || match screen {
        Incidents::List => view! { <pages::Incidents/> }.into_any(),
        Incidents::New => view! { <pages::NewIncident/> }.into_any(),
        Incidents::Page => view! { <pages::IncidentPage/> }.into_any(),
    };
    view! { <SignedIn>{screen}</SignedIn> }.into_any()
}

#[wasm_split(downloads, wasm_split_path = ::leptos::wasm_split, preload(preload_downloads))]
fn downloads(screen: Downloads) -> AnyView {
    let screen = move || match screen {
        Downloads::List => view! { <pages::Downloads/> }.into_any(),
        Downloads::Item => view! { <pages::DownloadPage/> }.into_any(),
        Downloads::New => view! { <pages::NewDownload/> }.into_any(),
        Downloads::Edit => view! { <pages::EditDownload/> }.into_any(),
        Downloads::Resources => view! { <pages::Resources/> }.into_any(),
        Downloads::Resource => view! { <pages::ResourcePage/> }.into_any(),
        Downloads::NewResource => view! { <pages::NewResource/> }.into_any(),
        Downloads::EditResource => view! { <pages::EditResource/> }.into_any(),
    };
    view! { <SignedIn>{screen}</SignedIn> }.into_any()
}

#[wasm_split(admin, wasm_split_path = ::leptos::wasm_split, preload(preload_admin))]
fn admin(screen: Admin) -> AnyView {
    let screen = move || match screen {
        Admin::Mine => view! { <pages::MyMembership/> }.into_any(),
        Admin::List => view! { <pages::Memberships/> }.into_any(),
        Admin::Detail => view! { <pages::MembershipDetail/> }.into_any(),
        Admin::Staff => view! { <pages::Staff/> }.into_any(),
        Admin::Audit => view! { <pages::Audit/> }.into_any(),
    };
    view! { <SignedIn>{screen}</SignedIn> }.into_any()
}

/// Fetches every area's wasm without showing anything: called once someone is signed in, so
/// the next screen they open is already here.
pub async fn preload_all() {
    futures::join!(
        preload_account(),
        preload_kb(),
        preload_incidents(),
        preload_downloads(),
        preload_admin()
    );
}

macro_rules! screens {
    ($($(#[$doc:meta])* $name:ident => $area:ident($which:expr),)*) => {
        $(
            $(#[$doc])*
            pub struct $name;

            impl LazyRoute for $name {
                fn data() -> Self {
                    $name
                }
                async fn view(_: Self) -> AnyView {
                    $area($which).await
                }
            }
        )*
    };
}

// The routes' screens (`<Route view=Lazy::<areas::IncidentPage>::new()/>`).
screens! {
    Home => account(Account::Home),
    Profile => account(Account::Profile),
    KnowledgeBase => kb(Kb::List),
    Search => kb(Kb::Search),
    NewArticle => kb(Kb::New),
    FeedbackReport => kb(Kb::Feedback),
    ArticlePage => kb(Kb::Article),
    EditArticle => kb(Kb::Edit),
    History => kb(Kb::History),
    IncidentList => incidents(Incidents::List),
    NewIncident => incidents(Incidents::New),
    IncidentPage => incidents(Incidents::Page),
    DownloadList => downloads(Downloads::List),
    DownloadItem => downloads(Downloads::Item),
    NewDownload => downloads(Downloads::New),
    EditDownload => downloads(Downloads::Edit),
    ResourceList => downloads(Downloads::Resources),
    ResourceItem => downloads(Downloads::Resource),
    NewResource => downloads(Downloads::NewResource),
    EditResource => downloads(Downloads::EditResource),
    MyMembership => admin(Admin::Mine),
    Memberships => admin(Admin::List),
    MembershipDetail => admin(Admin::Detail),
    Staff => admin(Admin::Staff),
    Audit => admin(Admin::Audit),
}
