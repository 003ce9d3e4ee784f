//! The Faro binary's library half: configuration, start-up wiring and the demo data, so the
//! integration tests start exactly what `faro serve` starts.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod app;
pub mod config;
pub mod demo;
pub mod demo_downloads;
pub mod demo_incidents;
pub mod demo_kb;
