//! Faro's server-rendered portal (axum + askama pages), kept runnable beside the REST API
//! until the SPA covers every screen. It shares the API server's configuration, start-up
//! wiring and demo (`faro_api`), so both run on the same database and data folder.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod app;
pub use faro_api::{config, demo, demo_downloads, demo_incidents, demo_kb};
