//! Portal-wide settings kept in the database (the operator's name, the demo marker, …).

use faro_core::StoreResult;
use sea_orm::{EntityTrait, Set, sea_query::OnConflict};

use crate::entity::setting;
use crate::{Store, db_err};

impl Store {
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(setting::Entity::find_by_id(key.to_owned())
            .one(self.conn())
            .await
            .map_err(db_err)?
            .map(|s| s.value))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        setting::Entity::insert(setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value.to_owned()),
        })
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec(self.conn())
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
