//! The screens, one module each.

mod audit;
mod home;
mod join;
mod kb;
mod login;
mod membership;
mod password;
mod profile;
mod setup;
mod staff;

pub use audit::Audit;
pub use home::Home;
pub use join::{Join, JoinConfirm};
pub use kb::{ArticlePage, KnowledgeBase};
pub use login::Login;
pub use membership::{MembershipDetail, Memberships, MyMembership};
pub use password::{ForgotPassword, ResetPassword};
pub use profile::Profile;
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
