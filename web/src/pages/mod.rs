//! The screens, one module each.

mod home;
mod login;

pub use home::Home;
pub use login::Login;

use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>{move || t().not_found}</h1>
        <a href="/">{move || t().go_home}</a>
    }
}
