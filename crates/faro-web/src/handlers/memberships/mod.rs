pub mod code;
pub mod create;
pub mod edit;
pub mod list;
pub mod show;
pub mod state;

use faro_core::{Catalog, ContractState};

pub(crate) fn contract_choices(t: &Catalog) -> Vec<(&'static str, &'static str)> {
    ContractState::ALL
        .iter()
        .map(|c| (c.as_str(), t.contract(*c)))
        .collect()
}
