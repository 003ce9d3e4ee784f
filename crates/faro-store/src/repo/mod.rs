//! Repositories: one file per concern. Writes that other things depend on (audit, outbox) happen
//! in the same transaction as the change that caused them.

pub mod accounts;
pub mod api_access;
mod attachments;
pub mod audit;
pub(crate) mod cached;
pub mod downloads;
pub mod files;
pub mod incident_escalation;
pub mod incidents;
pub mod kb_articles;
pub mod kb_categories;
pub mod kb_reading;
pub mod login;
pub mod memberships;
pub mod outbox;
pub mod people;
pub mod rate;
pub mod resources;
pub(crate) mod search_log;
pub mod settings;
pub mod tokens;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use diesel::prelude::*;
use faro_core::StoreResult;
use uuid::Uuid;

use crate::db::schema::{memberships as membership_rows, users};
use crate::db::types::Key;
use crate::db::{DbConn, db_err};

/// A page of a list sorted by name: at most `limit` rows after the row `after` (its name and
/// id, the position the previous page ended at). `NamePage::ALL` is the whole list.
#[derive(Debug, Clone, Default)]
pub struct NamePage {
    pub after: Option<(String, Uuid)>,
    pub limit: Option<i64>,
}

impl NamePage {
    pub const ALL: NamePage = NamePage {
        after: None,
        limit: None,
    };
}

/// Now, truncated to microseconds: PostgreSQL keeps no more, and values must compare equal after
/// a round trip on both backends.
pub(crate) fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(t)
}

/// Text that came from outside (typed e-mails, user agents): without control characters, which
/// PostgreSQL refuses in text columns (NUL), and at most `max` characters.
pub(crate) fn clean(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

/// `base`, or `base-2`, `base-3`, … : the first slug `taken` says is free (slugs never change
/// once given, so articles, categories, downloads and resources all name themselves this way).
pub(crate) fn free_slug(
    conn: &mut DbConn,
    base: &faro_core::kb::Slug,
    taken: impl Fn(&mut DbConn, &str) -> diesel::QueryResult<i64>,
) -> StoreResult<faro_core::kb::Slug> {
    let mut slug = base.clone();
    let mut n = 2;
    while taken(conn, slug.as_str()).map_err(db_err)? > 0 {
        slug = base.numbered(n);
        n += 1;
    }
    Ok(slug)
}

/// The ids among `ids`, sorted and without duplicates, as stored.
fn keys(ids: impl IntoIterator<Item = Uuid>) -> Vec<Key> {
    let mut ids: Vec<Uuid> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter().map(Key).collect()
}

/// Names of the memberships among `ids` (duplicates and an empty list are fine): one query.
pub(crate) fn membership_names(
    conn: &mut DbConn,
    ids: impl IntoIterator<Item = Uuid>,
) -> StoreResult<Vec<(Uuid, String)>> {
    let ids = keys(ids);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Key, String)> = membership_rows::table
        .filter(membership_rows::id.eq_any(ids))
        .select((membership_rows::id, membership_rows::name))
        .load(conn)
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|(k, n)| (k.0, n)).collect())
}

/// Names of the people among `ids`: one query.
pub(crate) fn person_names(
    conn: &mut DbConn,
    ids: impl IntoIterator<Item = Uuid>,
) -> StoreResult<Vec<(Uuid, String)>> {
    let ids = keys(ids);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Key, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load(conn)
        .map_err(db_err)?;
    Ok(rows.into_iter().map(|(k, n)| (k.0, n)).collect())
}
