//! The two column families whose storage differs between the backends, as diesel SQL types, so
//! every query is written once:
//!
//! - [`Id`]: a UUID. PostgreSQL `uuid`; SQLite 16 bytes in a BLOB (what databases made by
//!   earlier releases hold; a UUID written as text by hand is read too).
//! - [`Instant`]: an instant in UTC. PostgreSQL `timestamptz` (binary: microseconds since
//!   2000-01-01 UTC, whatever the session's time zone); SQLite RFC 3339 text with `+00:00`, to
//!   the microsecond, as earlier releases wrote it, so stored values compare as text in time
//!   order. Other common SQLite spellings (a space for the `T`, no offset) are read as UTC.
//!
//! Values go in and out as [`Key`] (a `Uuid`) and [`Moment`] (a `DateTime<Utc>`): diesel's
//! blanket `AsExpression` impl leaves no room for ours on foreign types, so these small
//! wrappers carry them. Domain code never sees them: rows convert at the repository boundary.

use std::io::Write as _;

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use diesel::backend::Backend;
use diesel::deserialize::FromSqlRow;
use diesel::deserialize::{self, FromSql};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::query_builder::QueryId;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::SqlType;
use diesel::sql_types::{Binary, HasSqlType};
use diesel::sqlite::{Sqlite, SqliteType};
use uuid::Uuid;

use super::MultiBackend;

#[derive(Debug, Clone, Copy, Default, SqlType, QueryId)]
#[diesel(postgres_type(oid = 2950, array_oid = 2951))]
#[diesel(sqlite_type(name = "Binary"))]
pub struct Id;

#[derive(Debug, Clone, Copy, Default, SqlType, QueryId)]
#[diesel(postgres_type(oid = 1184, array_oid = 1185))]
#[diesel(sqlite_type(name = "Text"))]
pub struct Instant;

/// Instants order (and `max`/`min` aggregate) by time on both backends (as text on SQLite, see
/// above).
impl diesel::sql_types::SqlOrd for Instant {}

/// A UUID as stored in an [`Id`] column.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = Id)]
pub struct Key(pub Uuid);

/// An instant as stored in an [`Instant`] column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = Instant)]
pub struct Moment(pub DateTime<Utc>);

impl From<Key> for Uuid {
    fn from(k: Key) -> Self {
        k.0
    }
}

impl From<Moment> for DateTime<Utc> {
    fn from(m: Moment) -> Self {
        m.0
    }
}

// ---- Id ----

impl ToSql<Id, Pg> for Key {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.0.as_bytes())?;
        Ok(IsNull::No)
    }
}

impl FromSql<Id, Pg> for Key {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        Ok(Key(Uuid::from_slice(value.as_bytes())?))
    }
}

impl ToSql<Id, Sqlite> for Key {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        <[u8] as ToSql<Binary, Sqlite>>::to_sql(self.0.as_bytes(), out)
    }
}

impl FromSql<Id, Sqlite> for Key {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        match value.value_type() {
            Some(SqliteType::Text) => Ok(Key(Uuid::parse_str(value.read_text())?)),
            _ => Ok(Key(Uuid::from_slice(value.read_blob())?)),
        }
    }
}

impl HasSqlType<Id> for MultiBackend {
    fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
        MultiBackend::lookup_sql_type::<Id>(lookup)
    }
}

impl ToSql<Id, MultiBackend> for Key {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Id, self));
        Ok(IsNull::No)
    }
}

impl FromSql<Id, MultiBackend> for Key {
    fn from_sql(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Key, Id>()
    }
}

// ---- Instant ----

/// Microseconds between the Unix epoch and PostgreSQL's (2000-01-01 UTC).
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

impl ToSql<Instant, Pg> for Moment {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        let micros = self.0.timestamp_micros() - PG_EPOCH_MICROS;
        out.write_all(&micros.to_be_bytes())?;
        Ok(IsNull::No)
    }
}

impl FromSql<Instant, Pg> for Moment {
    fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
        let bytes: [u8; 8] = value
            .as_bytes()
            .try_into()
            .map_err(|_| "a timestamptz is 8 bytes")?;
        let micros = i64::from_be_bytes(bytes);
        DateTime::from_timestamp_micros(micros.saturating_add(PG_EPOCH_MICROS))
            .map(Moment)
            .ok_or_else(|| "timestamptz out of range".into())
    }
}

/// How instants are written on SQLite (as earlier releases did: `2026-12-01T09:28:20.138362+00:00`,
/// fractions only as long as needed).
pub fn sqlite_text(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// Reads what SQLite holds: RFC 3339, or a date and time without an offset (taken as UTC).
pub fn parse_sqlite_text(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%F %T%.f%:z", "%F %T%.f%#z", "%FT%T%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for f in ["%F %T%.f", "%FT%T%.f", "%F %R", "%FT%R"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    None
}

impl ToSql<Instant, Sqlite> for Moment {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(sqlite_text(&self.0));
        Ok(IsNull::No)
    }
}

impl FromSql<Instant, Sqlite> for Moment {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let s = value.read_text();
        parse_sqlite_text(s)
            .map(Moment)
            .ok_or_else(|| format!("stored time does not parse: {s:?}").into())
    }
}

impl HasSqlType<Instant> for MultiBackend {
    fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
        MultiBackend::lookup_sql_type::<Instant>(lookup)
    }
}

impl ToSql<Instant, MultiBackend> for Moment {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((Instant, self));
        Ok(IsNull::No)
    }
}

impl FromSql<Instant, MultiBackend> for Moment {
    fn from_sql(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Moment, Instant>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_text_matches_what_earlier_releases_wrote() {
        let t = parse_sqlite_text("2026-12-01T09:28:20.138362+00:00").unwrap();
        assert_eq!(sqlite_text(&t), "2026-12-01T09:28:20.138362+00:00");
        let whole = Utc.with_ymd_and_hms(2026, 12, 1, 9, 28, 20).unwrap();
        assert_eq!(sqlite_text(&whole), "2026-12-01T09:28:20+00:00");
    }

    #[test]
    fn sqlite_text_reads_other_spellings_as_utc() {
        let want = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
        for s in [
            "2020-01-01 00:00:00+00:00",
            "2020-01-01T00:00:00Z",
            "2020-01-01 00:00:00",
            "2020-01-01T01:00:00+01:00",
            "2020-01-01 00:00",
        ] {
            assert_eq!(parse_sqlite_text(s), Some(want), "{s}");
        }
        assert_eq!(parse_sqlite_text("ayer"), None);
    }

    #[test]
    fn text_order_is_time_order() {
        let a = parse_sqlite_text("2026-12-01T09:28:20+00:00").unwrap();
        let b = a + chrono::TimeDelta::microseconds(1);
        let c = a + chrono::TimeDelta::milliseconds(100);
        let d = a + chrono::TimeDelta::seconds(1);
        let texts: Vec<String> = [a, b, c, d].iter().map(sqlite_text).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
    }
}
