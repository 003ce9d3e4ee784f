//! Faro's integration tests: one binary (linking once), the real app on port 0, both databases.

mod support;

mod accounts;
mod adoption;
mod browser;
mod caches;
mod downloads;
mod isolation;
mod mail;
mod memberships;
mod pages;
mod robustness;
mod setup;
