//! Views of incidents: the list (membership or staff queue), the form to open one, the page.

use askama::Template;
use chrono::{DateTime, Utc};
use faro_core::incidents::Incident;
use faro_store::{Attachment, TimelineEvent};
use uuid::Uuid;

use super::Page;
use crate::forms::FormErrors;

impl Page<'_> {
    pub fn priority(&self, i: &Incident) -> &'static str {
        self.t.priority(i.priority)
    }
    pub fn incident_state(&self, i: &Incident) -> &'static str {
        self.t.incident_state(i.state)
    }
}

pub use faro_core::incidents::SlaMark;

/// How an incident stands against its service level, for staff.
pub fn sla_mark(i: &Incident, now: DateTime<Utc>) -> SlaMark {
    i.sla_mark(now)
}

pub struct IncidentRow {
    pub i: Incident,
    pub mark: SlaMark,
}

impl IncidentRow {
    pub fn mark_class(&self) -> &'static str {
        match self.mark {
            SlaMark::Ok => "sla-ok",
            SlaMark::DueSoon => "sla-soon",
            SlaMark::Breached => "sla-breached",
            SlaMark::Stopped => "sla-stopped",
        }
    }
}

#[derive(Template)]
#[template(path = "incidents/list.html")]
pub struct IncidentsView<'a> {
    pub p: Page<'a>,
    pub is_staff: bool,
    pub rows: Vec<IncidentRow>,
    pub q: String,
    pub state: String,
    pub priority: String,
    pub mine: bool,
    pub states: Vec<(&'static str, &'static str)>,
    pub priorities: Vec<(&'static str, &'static str)>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl IncidentsView<'_> {
    pub fn mark_label(&self, r: &IncidentRow) -> &'static str {
        let t = self.p.t;
        match r.mark {
            SlaMark::Ok => t.inc_sla_ok,
            SlaMark::DueSoon => t.inc_sla_soon,
            SlaMark::Breached => t.inc_sla_breached,
            SlaMark::Stopped => t.inc_sla_stopped,
        }
    }
}

pub struct IncidentFields {
    pub title: String,
    pub description: String,
    pub system: String,
    pub priority: String,
}

#[derive(Template)]
#[template(path = "incidents/new.html")]
pub struct IncidentFormView<'a> {
    pub p: Page<'a>,
    pub action: String,
    pub f: IncidentFields,
    pub errors: FormErrors,
    pub priorities: Vec<(&'static str, &'static str, &'static str)>,
    pub max_size: String,
}

/// A timeline entry with its Markdown rendered and its files.
pub struct EventView {
    pub e: TimelineEvent,
    pub html: String,
    pub label: String,
    pub files: Vec<Attachment>,
}

pub fn is_image(a: &Attachment) -> bool {
    a.content_type.starts_with("image/")
}

pub fn is_video(a: &Attachment) -> bool {
    a.content_type.starts_with("video/")
}

#[derive(Template)]
#[template(path = "incidents/show.html")]
pub struct IncidentView<'a> {
    pub p: Page<'a>,
    pub is_staff: bool,
    pub i: Incident,
    pub description_html: String,
    pub opening_files: Vec<Attachment>,
    pub events: Vec<EventView>,
    pub following: bool,
    pub comment_action: String,
    pub comment: String,
    pub errors: FormErrors,
    pub staff_targets: Vec<(&'static str, &'static str)>,
    pub priorities: Vec<(&'static str, &'static str)>,
    pub staff: Vec<(Uuid, String)>,
    pub can_close: bool,
    pub can_reopen: bool,
    pub sla_label: Option<&'static str>,
    pub max_size: String,
    pub articles: Vec<(String, String)>,
    /// Resolved incidents like this one: number and title.
    pub similar: Vec<(String, String)>,
    pub remote: Vec<faro_store::RemoteRequest>,
    /// Each visit with its report as HTML.
    pub visits: Vec<(faro_store::Visit, Option<String>)>,
    pub solution: Option<(String, String)>,
    pub escalation: &'static str,
}

impl IncidentView<'_> {
    pub fn answered(&self, who: &str, at: &DateTime<Utc>, ip: &Option<String>) -> String {
        faro_core::Catalog::fill(
            self.p.t.inc_remote_answered_by,
            &[who, &self.p.date_time(at), ip.as_deref().unwrap_or("?")],
        )
    }
    pub fn pending(&self, r: &faro_store::RemoteRequest) -> bool {
        r.state == faro_store::RemoteState::Pending
    }
    pub fn authorised(&self, r: &faro_store::RemoteState) -> bool {
        *r == faro_store::RemoteState::Authorised
    }
    pub fn remote_state(&self, r: &faro_store::RemoteRequest) -> &'static str {
        let t = self.p.t;
        match r.state {
            faro_store::RemoteState::Pending => t.inc_remote_pending,
            faro_store::RemoteState::Authorised => t.inc_remote_state_authorised,
            faro_store::RemoteState::Refused => t.inc_remote_state_refused,
            faro_store::RemoteState::Started => t.inc_remote_state_started,
        }
    }
    pub fn image(&self, a: &Attachment) -> bool {
        is_image(a)
    }
    pub fn video(&self, a: &Attachment) -> bool {
        is_video(a)
    }
    pub fn is_assignee(&self, id: &Uuid) -> bool {
        self.i.assignee_id == Some(*id)
    }
}
