//! Downloads: documents, templates and software staff publish for clients, with versions.
//! Members list, read and fetch what is published to them; staff register items, publish and
//! withdraw versions and see who fetched what.

pub mod edit;
pub mod files;
pub mod item;
pub mod list;
pub mod versions;

use faro_core::Catalog;
use faro_core::downloads::DownloadKind;

pub fn kind_choices(t: &Catalog) -> Vec<(&'static str, &'static str)> {
    DownloadKind::ALL
        .iter()
        .map(|k| (k.as_str(), t.download_kind(*k)))
        .collect()
}
