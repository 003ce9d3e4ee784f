//! The screens, one module each.

mod home;
mod login;
mod setup;

pub use home::Home;
pub use login::Login;
pub use setup::Setup;

use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>{move || t().not_found}</h1>
        <a href="/">{move || t().go_home}</a>
    }
}
