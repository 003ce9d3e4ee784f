//! The screens, one module each.

mod audit;
mod download_edit;
mod downloads;
mod home;
mod incident;
mod incident_new;
mod incident_staff;
mod incidents;
mod join;
mod kb;
mod kb_article;
mod kb_edit;
mod kb_history;
mod login;
mod membership;
mod password;
mod profile;
mod resources;
mod search;
mod setup;
mod staff;

pub use audit::Audit;
pub use download_edit::{EditDownload, NewDownload};
pub use downloads::{DownloadPage, Downloads};
pub use home::Home;
pub use incident::IncidentPage;
pub use incident_new::NewIncident;
pub use incidents::Incidents;
pub use join::{Join, JoinConfirm};
pub use kb::KnowledgeBase;
pub use kb_article::ArticlePage;
pub use kb_edit::{EditArticle, NewArticle};
pub use kb_history::{FeedbackReport, History};
pub use login::Login;
pub use membership::{MembershipDetail, Memberships, MyMembership};
pub use password::{ForgotPassword, ResetPassword};
pub use profile::Profile;
pub use resources::{EditResource, NewResource, ResourcePage, Resources};
pub use search::{HeaderSearch, Search};
pub use setup::Setup;
pub use staff::Staff;

use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>{move || t().not_found}</h1>
        <a href="/">{move || t().go_home}</a>
    }
}
