//! The API's integration tests: one binary (linking once), the real server on port 0 with a
//! fresh database, on SQLite and PostgreSQL, driven over HTTP like an integration would.

mod support;

mod accounts;
mod adoption;
mod caches;
mod cli;
mod demo;
mod downloads;
mod incidents;
mod kb;
mod kb_write;
mod keys;
mod mail;
mod memberships;
mod openapi;
/// The PDF reader of faro-pdf's tests (text through each font's ToUnicode map).
#[allow(dead_code)]
#[path = "../../../crates/faro-pdf/tests/support/mod.rs"]
mod pdf_reader;
mod robustness;
mod search;
mod spa;
mod tokens;
