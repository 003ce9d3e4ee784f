pub mod confirm;
pub mod forgot;
pub mod join;
pub mod language;
pub mod login;
pub mod logout;
pub mod reset;
pub mod setup;
