//! diesel's errors as the store reports them. Uniqueness and foreign-key violations name the
//! column they clash on, so repositories turn them into the right `Conflict`.

use diesel::result::{DatabaseErrorKind, Error};
use faro_core::StoreError;

pub(crate) fn db_err(e: Error) -> StoreError {
    StoreError::Other(e.to_string())
}

/// A constraint violation and the column it names, if that is what `e` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Violation {
    Unique(String),
    ForeignKey(String),
}

/// Reads the clashing column from either backend's report: PostgreSQL's detail
/// (`Key (email)=(…) already exists.`, falling back to the constraint name), SQLite's message
/// (`UNIQUE constraint failed: users.email`).
pub(crate) fn violation(e: &Error) -> Option<Violation> {
    let Error::DatabaseError(kind, info) = e else {
        return None;
    };
    let field = info
        .details()
        .and_then(|d| d.strip_prefix("Key ("))
        .and_then(|d| d.split_once(')'))
        .map(|(cols, _)| cols.to_owned())
        .or_else(|| {
            info.message()
                .split_once("constraint failed: ")
                .map(|(_, cols)| {
                    cols.split(',')
                        .map(|c| c.trim().rsplit('.').next().unwrap_or(c).to_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
        })
        .or_else(|| info.constraint_name().map(str::to_owned))
        .unwrap_or_default();
    match kind {
        DatabaseErrorKind::UniqueViolation => Some(Violation::Unique(field)),
        DatabaseErrorKind::ForeignKeyViolation => Some(Violation::ForeignKey(field)),
        _ => None,
    }
}

/// Whether `e` is a uniqueness violation on `column`.
pub(crate) fn is_unique_on(e: &Error, column: &str) -> bool {
    matches!(violation(e), Some(Violation::Unique(f)) if f.split(", ").any(|c| c == column)
        || f.contains(column))
}
