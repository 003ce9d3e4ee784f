pub mod home;
pub mod profile;
