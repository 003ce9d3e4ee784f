//! The connection type: PostgreSQL or SQLite behind one diesel `Connection` (the derive also
//! generates `MultiBackend`, which the custom SQL types in `types` implement).

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}
