//! Faro's integration tests: one binary (linking once), the real app on port 0, both databases.

mod support;

mod accounts;
mod browser;
mod cli;
mod downloads;
mod incidents;
mod isolation;
mod kb;
mod kb_reading;
mod mail;
mod memberships;
mod pages;
mod robustness;
mod setup;
