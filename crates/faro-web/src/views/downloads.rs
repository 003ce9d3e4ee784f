//! Views of downloads and the resources catalogue.

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use faro_core::downloads::{DownloadItem, Resource, Version, VersionState};
use faro_core::format;
use faro_store::DownloadStats;
use uuid::Uuid;

use super::Page;
use crate::forms::FormErrors;

impl Page<'_> {
    pub fn size(&self, bytes: &u64) -> String {
        format::file_size(self.t.lang, *bytes)
    }
    pub fn day(&self, d: &NaiveDate) -> String {
        format::day(*d)
    }
    pub fn download_kind(&self, i: &DownloadItem) -> &'static str {
        self.t.download_kind(i.kind)
    }
    pub fn version_state(&self, v: &Version) -> &'static str {
        self.t.version_state(v.state)
    }
    pub fn is_current(&self, v: &Version) -> bool {
        v.state == VersionState::Current
    }
}

/// An item in the list, and whether it changed since the person's last visit.
pub struct DownloadRow {
    pub item: DownloadItem,
    pub new: bool,
}

#[derive(Template)]
#[template(path = "downloads/list.html")]
pub struct DownloadsView<'a> {
    pub p: Page<'a>,
    pub is_staff: bool,
    pub kind: String,
    pub kinds: Vec<(&'static str, &'static str)>,
    /// Category name and its items.
    pub groups: Vec<(String, Vec<DownloadRow>)>,
    pub new_count: usize,
    pub last_visit: Option<DateTime<Utc>>,
}

/// What the version form held when it was refused.
#[derive(Default)]
pub struct VersionFields {
    pub label: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "downloads/item.html")]
pub struct DownloadItemView<'a> {
    pub p: Page<'a>,
    pub is_staff: bool,
    pub item: DownloadItem,
    pub description_html: String,
    /// Each version with its notes as HTML.
    pub versions: Vec<(Version, String)>,
    pub stats: Option<DownloadStats>,
    /// When the viewer last fetched each version.
    pub mine: Vec<(Uuid, DateTime<Utc>)>,
    pub upload_action: String,
    pub max_size: String,
    pub f: VersionFields,
    pub errors: FormErrors,
}

impl DownloadItemView<'_> {
    pub fn fetched_at(&self, id: &Uuid) -> Option<DateTime<Utc>> {
        self.mine.iter().find(|m| m.0 == *id).map(|m| m.1)
    }

    pub fn count_for(&self, id: &Uuid) -> (u64, u64) {
        self.stats
            .as_ref()
            .and_then(|s| s.versions.iter().find(|v| v.0 == *id))
            .map(|v| (v.2, v.3))
            .unwrap_or((0, 0))
    }
}

pub struct DownloadFields {
    pub title: String,
    pub kind: String,
    pub category: String,
    pub description: String,
    pub all_clients: bool,
    pub memberships: Vec<Uuid>,
}

#[derive(Template)]
#[template(path = "downloads/form.html")]
pub struct DownloadFormView<'a> {
    pub p: Page<'a>,
    pub action: String,
    pub cancel: String,
    pub f: DownloadFields,
    pub errors: FormErrors,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub memberships: Vec<(Uuid, String)>,
    pub categories: Vec<String>,
}

impl DownloadFormView<'_> {
    pub fn chosen(&self, id: &Uuid) -> bool {
        self.f.memberships.contains(id)
    }
}

/// A version withdrawn: why, and where to find the current one.
#[derive(Template)]
#[template(path = "downloads/withdrawn.html")]
pub struct WithdrawnView<'a> {
    pub p: Page<'a>,
    pub item: DownloadItem,
    pub version: Version,
}

#[derive(Template)]
#[template(path = "resources/list.html")]
pub struct ResourcesView<'a> {
    pub p: Page<'a>,
    pub is_staff: bool,
    pub groups: Vec<(String, Vec<(Resource, String)>)>,
}

#[derive(Template)]
#[template(path = "resources/show.html")]
pub struct ResourceView<'a> {
    pub p: Page<'a>,
    pub is_staff: bool,
    pub r: Resource,
    pub description_html: String,
}

pub struct ResourceFields {
    pub name: String,
    pub category: String,
    pub url: String,
    pub description: String,
    pub file_version: String,
    pub verified_on: String,
    pub has_file: Option<String>,
}

#[derive(Template)]
#[template(path = "resources/form.html")]
pub struct ResourceFormView<'a> {
    pub p: Page<'a>,
    pub action: String,
    pub cancel: String,
    pub f: ResourceFields,
    pub errors: FormErrors,
    pub categories: Vec<String>,
    pub max_size: String,
}
