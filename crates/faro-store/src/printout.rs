//! An incident as a document, for its PDF: the title, its facts and the whole timeline as
//! Markdown, in the reader's language, with the images it embeds. Built only from what the
//! reader was given (`Store::timeline` leaves internal entries out for clients), so a client's
//! printout never holds an internal note or file.

use faro_core::incidents::{Incident, IncidentState, Priority};
use faro_core::{Catalog, format};

use crate::repo::incidents::{Attachment, TimelineEvent, kind};

/// Images larger than this are listed, not embedded.
pub const MAX_IMAGE: u64 = 8 * 1024 * 1024;

/// What the PDF is typeset from.
pub struct Printout {
    pub title: String,
    /// Label and value of each fact under the title.
    pub meta: Vec<(&'static str, String)>,
    pub markdown: String,
    /// The images the Markdown embeds: the address it names each one by, and the attachment.
    pub images: Vec<(String, Attachment)>,
}

/// The address the Markdown names an attachment's image by (the PDF finds the bytes by it).
fn image_name(a: &Attachment) -> String {
    format!("/incidents/files/{}", a.id)
}

impl Printout {
    pub fn new(
        t: &Catalog,
        i: &Incident,
        events: &[TimelineEvent],
        attachments: &[Attachment],
    ) -> Self {
        let mut images = Vec::new();
        let mut files_md = |event: Option<uuid::Uuid>| {
            let mut md = String::new();
            for a in attachments.iter().filter(|a| a.event_id == event) {
                if a.content_type.starts_with("image/") && a.file.size <= MAX_IMAGE {
                    let name = image_name(a);
                    md.push_str(&format!(
                        "\n![{}]({name})\n",
                        a.file.file_name.replace(['[', ']'], "")
                    ));
                    images.push((name, a.clone()));
                } else {
                    md.push_str(&format!(
                        "\n- {} ({})\n",
                        a.file.file_name,
                        format::file_size(t.lang, a.file.size)
                    ));
                }
            }
            md
        };
        let opening = events.iter().find(|e| e.kind == kind::OPENED).map(|e| e.id);
        let mut markdown = i.description.clone();
        markdown.push('\n');
        markdown.push_str(&files_md(opening));
        markdown.push_str(&format!("\n## {}\n", t.inc_timeline));
        for e in events.iter().filter(|e| e.kind != kind::OPENED) {
            let internal = if e.internal {
                format!(" · {}", t.inc_internal)
            } else {
                String::new()
            };
            markdown.push_str(&format!(
                "\n### {} · {} · {}{internal}\n\n",
                format::date_time(t.lang, e.created_at),
                e.author_name,
                e.label(t)
            ));
            if !e.body.trim().is_empty() {
                markdown.push_str(&e.body);
                markdown.push('\n');
            }
            markdown.push_str(&files_md(Some(e.id)));
        }
        let mut meta = vec![
            (t.inc_field_state, t.incident_state(i.state).to_string()),
            (t.inc_field_priority, t.priority(i.priority).to_string()),
            (t.inc_membership, i.membership_name.clone()),
            (
                t.inc_opened_by,
                format!(
                    "{} · {}",
                    i.opened_by_name,
                    format::date_time(t.lang, i.created_at)
                ),
            ),
            (t.inc_level, t.escalation(i.escalation).to_string()),
        ];
        if !i.system.is_empty() {
            meta.push((t.inc_field_system, i.system.clone()));
        }
        Self {
            title: format!("{} · {}", i.number, i.title),
            meta,
            markdown,
            images,
        }
    }
}

impl TimelineEvent {
    /// What happened, in one line of the reader's language ("Estado: Resuelta").
    pub fn label(&self, t: &Catalog) -> String {
        let arrow_target = || {
            self.data
                .as_deref()
                .and_then(|d| d.split_once('>'))
                .map(|(_, to)| to)
        };
        match self.kind.as_str() {
            kind::OPENED => t.inc_ev_opened.into(),
            kind::COMMENT => t.inc_ev_comment.into(),
            kind::NOTE => t.inc_ev_note.into(),
            kind::STATE => Catalog::fill(
                t.inc_ev_state,
                &[arrow_target()
                    .and_then(|s| IncidentState::parse(s).ok())
                    .map(|s| t.incident_state(s))
                    .unwrap_or("")],
            ),
            kind::PRIORITY => Catalog::fill(
                t.inc_ev_priority,
                &[arrow_target()
                    .and_then(|p| Priority::parse(p).ok())
                    .map(|p| t.priority(p))
                    .unwrap_or("")],
            ),
            kind::ASSIGNED if self.body.is_empty() => t.inc_ev_unassigned.into(),
            kind::ASSIGNED => Catalog::fill(t.inc_ev_assigned, &[&self.body]),
            kind::CLOSED => t.inc_ev_closed.into(),
            kind::REOPENED => t.inc_ev_reopened.into(),
            kind::AUTO_CLOSED => t.inc_ev_auto_closed.into(),
            kind::REMOTE_REQUESTED => Catalog::fill(
                t.inc_ev_remote_requested,
                &[self.data.as_deref().unwrap_or("")],
            ),
            kind::REMOTE_AUTHORISED => Catalog::fill(
                t.inc_ev_remote_authorised,
                &[self.ip.as_deref().unwrap_or("?")],
            ),
            kind::REMOTE_REFUSED => Catalog::fill(
                t.inc_ev_remote_refused,
                &[self.ip.as_deref().unwrap_or("?")],
            ),
            kind::REMOTE_STARTED => Catalog::fill(
                t.inc_ev_remote_started,
                &[self.data.as_deref().unwrap_or("")],
            ),
            kind::VISIT_SCHEDULED => {
                let (when, who) = self
                    .data
                    .as_deref()
                    .and_then(|d| d.split_once('|'))
                    .unwrap_or(("", ""));
                let when = chrono::DateTime::parse_from_rfc3339(when)
                    .map(|w| format::date_time(t.lang, w.with_timezone(&chrono::Utc)))
                    .unwrap_or_default();
                Catalog::fill(t.inc_ev_visit, &[&when, who])
            }
            kind::VISIT_REPORT => t.inc_ev_visit_report.into(),
            kind::SOLUTION => Catalog::fill(t.inc_ev_solution, &[&self.body]),
            other => other.to_string(),
        }
    }
}
