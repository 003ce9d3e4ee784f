//! Downloads and resources: documents, templates and software versions staff publish for every
//! client or for chosen memberships, and the catalogue of free tools. Items are addressed by
//! slug (`/api/v1/downloads/{slug}`), versions by id; files come through signed addresses
//! with `Content-Length`, `ETag`, byte ranges and `If-Range`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::accounts::MembershipRef;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DownloadKind {
    /// A manual, a guide, a procedure.
    Document,
    /// A form or spreadsheet to fill in.
    Template,
    /// An installer or a program, usually with many versions.
    Software,
}

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    /// Vigente: the highest label not withdrawn, what `latest` serves.
    Current,
    /// Anterior: an older version, still downloadable.
    Superseded,
    /// Retirada: no longer downloadable; its file answers 410 with the reason.
    Withdrawn,
}

/// The current version of an item, in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CurrentVersion {
    pub label: String,
    pub published_at: DateTime<Utc>,
}

/// An item in the list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000d1",
    "slug": "faroerp-programa-de-gestion",
    "kind": "software",
    "title": "FaroERP, programa de gestión",
    "category": "Aplicaciones",
    "all_clients": true,
    "memberships": [],
    "current": {"label": "3.10", "published_at": "2026-11-20T09:00:00Z"},
    "new": true,
    "updated_at": "2026-11-20T09:00:00Z"
}))]
pub struct DownloadSummary {
    pub id: Uuid,
    /// Stable address of the item: `GET /api/v1/downloads/{slug}`.
    pub slug: String,
    pub kind: DownloadKind,
    pub title: String,
    /// Free text; empty for none.
    pub category: String,
    /// Published to every client; otherwise only to `memberships`.
    pub all_clients: bool,
    /// Staff only (empty for clients): the memberships it is published to.
    pub memberships: Vec<MembershipRef>,
    /// Null while no version is current (staff only see such items).
    pub current: Option<CurrentVersion>,
    /// Its current version came out after the caller's last visit
    /// (`POST /me/downloads-visit`).
    pub new: bool,
    pub updated_at: DateTime<Utc>,
}

/// What is published to the caller, by category then title.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DownloadList {
    pub items: Vec<DownloadSummary>,
    /// When the caller last marked the list as seen (null: never); `new` is measured from it.
    pub last_visit: Option<DateTime<Utc>>,
    /// How many items are `new`.
    pub new_count: u32,
}

/// Query parameters of the list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DownloadQuery {
    /// Only items of this kind.
    pub kind: Option<DownloadKind>,
    /// Only items in this category (exact name).
    pub category: Option<String>,
}

/// Why a version was withdrawn, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Withdrawal {
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// One version of an item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000e1",
    "label": "3.10",
    "notes": "- Compatible con la factura electrónica.",
    "notes_html": "<ul>\n<li>Compatible con la factura electrónica.</li>\n</ul>\n",
    "state": "current",
    "file_name": "faroerp-3.10-instalador.exe",
    "size": 48213504,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "published_by": "Soporte Faro",
    "published_at": "2026-11-20T09:00:00Z",
    "withdrawal": null,
    "url": "/api/v1/files/eyJ0eXAiOiJKV1Qi…",
    "fetched_at": "2026-11-21T08:12:00Z"
}))]
pub struct DownloadVersion {
    pub id: Uuid,
    /// As staff typed it (`3.10`, `2024.3`, `2.0-rc1`); versions are ordered as people read
    /// them (1.10 after 1.9, 2.0-beta before 2.0).
    pub label: String,
    /// Release notes in Markdown.
    pub notes: String,
    /// The notes as sanitised HTML.
    pub notes_html: String,
    pub state: VersionState,
    pub file_name: String,
    pub size: u64,
    /// Of the stored bytes, lower-case hex: compare it with what you downloaded.
    pub sha256: String,
    /// Who published it.
    pub published_by: String,
    pub published_at: DateTime<Utc>,
    /// Set when withdrawn.
    pub withdrawal: Option<Withdrawal>,
    /// The file through a signed address that needs no `Authorization` header, valid for at
    /// least ten minutes (ranges and `If-Range` work, so downloads resume). Null when
    /// withdrawn. Every download that starts at the first byte is counted.
    pub url: Option<String>,
    /// When the caller last downloaded this version (null: never).
    pub fetched_at: Option<DateTime<Utc>>,
}

/// An item, whole, with its versions newest first.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DownloadItem {
    #[serde(flatten)]
    pub summary: DownloadSummary,
    /// Markdown.
    pub description: String,
    /// The description as sanitised HTML.
    pub description_html: String,
    pub created_at: DateTime<Utc>,
    /// Newest first (highest label first).
    pub versions: Vec<DownloadVersion>,
    /// The current version's file through a signed address (null when none is current).
    pub latest_url: Option<String>,
}

/// An item as staff create or change it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "software",
    "title": "FaroERP, programa de gestión",
    "description": "Instalador para puestos Windows 10 y 11.",
    "category": "Aplicaciones",
    "all_clients": false,
    "memberships": ["019a0000-0000-7000-8000-0000000000a1"]
}))]
pub struct DownloadDraft {
    pub kind: DownloadKind,
    /// 3 to 200 characters.
    pub title: String,
    /// Markdown, at most 50,000 characters.
    #[serde(default)]
    pub description: String,
    /// At most 80 characters; empty for none.
    #[serde(default)]
    pub category: String,
    /// Published to every client (the default), or only to `memberships`.
    #[serde(default = "yes")]
    pub all_clients: bool,
    /// With `all_clients: false`: the memberships that see it (at least one).
    #[serde(default)]
    pub memberships: Vec<Uuid>,
}

fn yes() -> bool {
    true
}

/// A new version (`multipart/form-data`): what a build pipeline sends with `curl -F`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NewVersionForm {
    /// 1 to 64 characters: letters, digits, `.`, `-`, `_`, `+`, spaces. Unique in the item.
    pub label: String,
    /// Release notes in Markdown.
    #[serde(default)]
    pub notes: String,
    /// The file, streamed to the file store: at most the server's `FARO_DOWNLOAD_MAX_MB`
    /// (10 GB unless configured).
    #[schema(value_type = String, format = Binary)]
    pub file: String,
}

/// Withdrawing a version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWithdrawal {
    /// 3 to 500 characters, shown to everyone who follows the version's link.
    pub reason: String,
}

/// Downloads of one version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VersionCount {
    pub id: Uuid,
    pub label: String,
    /// Downloads that started at the first byte (resumed ones are not counted again).
    pub downloads: u64,
    /// Different people who downloaded it.
    pub people: u64,
}

/// The people of one membership who have not downloaded the current version.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MissingPeople {
    pub membership: MembershipRef,
    /// Their names, alphabetically.
    pub people: Vec<String>,
}

/// Who fetched what, for staff.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct DownloadStats {
    pub total: u64,
    /// Newest first.
    pub versions: Vec<VersionCount>,
    /// Per membership in the item's audience (active people of active memberships): who has
    /// not downloaded the current version yet. Memberships where everyone has are left out.
    pub missing_current: Vec<MissingPeople>,
}

/// The copy of a resource the portal hosts.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HostedCopy {
    pub file_name: String,
    /// The tool's version this copy is (may be empty).
    pub version: String,
    pub size: u64,
    pub sha256: String,
    /// Through a signed address, as for download versions.
    pub url: String,
}

/// A free tool in the catalogue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "019a0000-0000-7000-8000-0000000000f1",
    "slug": "7-zip",
    "name": "7-Zip",
    "description": "Compresor de archivos libre.",
    "description_html": "<p>Compresor de archivos libre.</p>\n",
    "category": "Utilidades",
    "url": "https://www.7-zip.org/",
    "hosted": null,
    "checked_on": "2026-11-28",
    "checked_today": false,
    "updated_at": "2026-11-28T10:00:00Z"
}))]
pub struct Resource {
    pub id: Uuid,
    /// `GET /api/v1/resources/{slug}`.
    pub slug: String,
    pub name: String,
    /// Markdown.
    pub description: String,
    pub description_html: String,
    /// Empty for none.
    pub category: String,
    /// The official address (http or https).
    pub url: String,
    /// A copy hosted by the portal, if any.
    pub hosted: Option<HostedCopy>,
    /// The day staff last checked it is still useful and safe (portal's time zone).
    pub checked_on: Option<NaiveDate>,
    /// Whether that day is today.
    pub checked_today: bool,
    pub updated_at: DateTime<Utc>,
}

/// The catalogue, by category then name.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResourceList {
    pub items: Vec<Resource>,
}

/// A resource as staff create or change it (JSON, or the same fields as a form).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "7-Zip",
    "description": "Compresor de archivos libre.",
    "category": "Utilidades",
    "url": "https://www.7-zip.org/",
    "version": "24.08",
    "checked_on": "2026-11-28"
}))]
pub struct ResourceDraft {
    /// 3 to 200 characters.
    pub name: String,
    /// Markdown, at most 50,000 characters.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    /// http or https.
    pub url: String,
    /// The version of the hosted copy (empty for none).
    #[serde(default)]
    pub version: String,
    /// The day it was last checked: `YYYY-MM-DD` (or `dd/mm/aaaa`, as people type it here);
    /// empty, null or absent for never (`POST /resources/{slug}/check` sets today).
    #[serde(default)]
    pub checked_on: Option<String>,
}

/// The same as a form (`multipart/form-data`), with an optional hosted copy.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResourceForm {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    pub url: String,
    #[serde(default)]
    pub version: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub checked_on: String,
    /// The hosted copy (optional; on a change, a new file replaces the old one and no file
    /// keeps it).
    #[schema(value_type = Option<String>, format = Binary)]
    #[serde(default)]
    pub file: Option<String>,
}
