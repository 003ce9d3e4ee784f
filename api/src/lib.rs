//! Faro's server: the JSON REST API on actix-web (documented with OpenAPI by utoipa, signed in
//! with JWT access tokens, rotating refresh tokens and API keys), its configuration, start-up
//! wiring and the demo data. `main.rs` is the `faro` command line over it.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod allocator;
pub mod auth;
pub mod config;
pub mod demo;
pub mod demo_downloads;
pub mod demo_incidents;
pub mod demo_kb;
pub mod extract;
pub mod openapi;
pub mod problem;
pub mod resources;
pub mod routes;
pub mod runtime;
pub mod sending;
pub mod server;
pub mod signed;
pub mod spa;
pub mod thumbnails;
pub mod uploads;
