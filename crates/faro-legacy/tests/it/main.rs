//! Faro's integration tests: one binary (linking once), the real app on port 0, both databases.

mod support;

mod accounts;
mod adoption;
mod browser;
mod caches;
mod downloads;
mod incidents;
mod isolation;
mod mail;
mod memberships;
mod pages;
/// The PDF reader of faro-pdf's tests (text through each font's ToUnicode map).
#[allow(dead_code)]
#[path = "../../../faro-pdf/tests/support/mod.rs"]
mod pdf_reader;
mod robustness;
mod setup;
