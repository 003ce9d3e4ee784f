//! Portal-wide settings kept in the database (the operator's name, the demo marker, …).

use diesel::prelude::*;
use diesel::upsert::excluded;
use faro_core::StoreResult;

use crate::Store;
use crate::db::schema::settings;
use crate::db::{db_err, per_backend};

impl Store {
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        let key = key.to_owned();
        self.run(move |c| {
            settings::table
                .find(key)
                .select(settings::value)
                .first(c)
                .optional()
                .map_err(db_err)
        })
        .await
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.run(move |c| {
            per_backend!(c, |c| diesel::insert_into(settings::table)
                .values((settings::key.eq(&key), settings::value.eq(&value)))
                .on_conflict(settings::key)
                .do_update()
                .set(settings::value.eq(excluded(settings::value)))
                .execute(c))
            .map_err(db_err)?;
            Ok(())
        })
        .await
    }
}
