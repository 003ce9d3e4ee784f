//! Domain records into API bodies (and API enums into domain ones).

use faro_core::records::{AuditEvent, Membership, MembershipSummary, Person};
use faro_core::{ContractState, Lang, Role};
use faro_store::Principal;
use faro_types::{accounts as a, incidents as inc, kb, memberships as m};

use crate::signed::FileRef;

pub fn role(r: Role) -> a::Role {
    match r {
        Role::Admin => a::Role::Admin,
        Role::Agent => a::Role::Agent,
        Role::Coordinator => a::Role::Coordinator,
        Role::Member => a::Role::Member,
    }
}

pub fn role_in(r: a::Role) -> Role {
    match r {
        a::Role::Admin => Role::Admin,
        a::Role::Agent => Role::Agent,
        a::Role::Coordinator => Role::Coordinator,
        a::Role::Member => Role::Member,
    }
}

pub fn lang(l: Lang) -> a::Language {
    match l {
        Lang::Es => a::Language::Es,
        Lang::En => a::Language::En,
    }
}

pub fn lang_in(l: a::Language) -> Lang {
    match l {
        a::Language::Es => Lang::Es,
        a::Language::En => Lang::En,
    }
}

pub fn contract(c: ContractState) -> m::ContractState {
    match c {
        ContractState::Contract => m::ContractState::Contract,
        ContractState::Subscription => m::ContractState::Subscription,
        ContractState::Lapsed => m::ContractState::Lapsed,
    }
}

pub fn contract_in(c: m::ContractState) -> ContractState {
    match c {
        m::ContractState::Contract => ContractState::Contract,
        m::ContractState::Subscription => ContractState::Subscription,
        m::ContractState::Lapsed => ContractState::Lapsed,
    }
}

pub fn me(p: &Principal, via_api_key: Option<uuid::Uuid>) -> a::Me {
    let person = &p.person;
    a::Me {
        id: person.id,
        email: person.email.to_string(),
        name: person.name.clone(),
        role: role(person.role),
        language: lang(person.language),
        membership: person
            .membership_id
            .zip(p.membership_name.clone())
            .map(|(id, name)| a::MembershipRef { id, name }),
        created_at: person.created_at,
        last_sign_in_at: person.last_sign_in_at,
        via_api_key,
    }
}

pub fn person(p: Person) -> a::Person {
    a::Person {
        id: p.id,
        email: p.email.to_string(),
        name: p.name,
        role: role(p.role),
        language: lang(p.language),
        membership_id: p.membership_id,
        active: p.active,
        created_at: p.created_at,
        last_sign_in_at: p.last_sign_in_at,
    }
}

pub fn membership(x: Membership, people: Option<u64>) -> m::Membership {
    let usable = x.code_usable(chrono::Utc::now());
    m::Membership {
        id: x.id,
        name: x.name,
        tax_id: x.tax_id,
        coordinator_email: x.coordinator_email,
        contract_state: contract(x.contract_state),
        active: x.active,
        invitation_code: x.invitation_code.display(),
        code_expires_at: x.code_expires_at,
        code_usable: usable,
        people,
        created_at: x.created_at,
    }
}

pub fn summary(s: MembershipSummary) -> m::Membership {
    membership(s.membership, Some(s.people))
}

pub fn api_key(k: faro_core::access::ApiKey) -> faro_types::access::ApiKey {
    use faro_core::access::KeyScope;
    faro_types::access::ApiKey {
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        scope: match k.scope {
            KeyScope::Read => faro_types::access::KeyScope::Read,
            KeyScope::ReadWrite => faro_types::access::KeyScope::ReadWrite,
        },
        service: k.service,
        owner_id: k.owner_id,
        owner_email: k.owner_email,
        created_at: k.created_at,
        expires_at: k.expires_at,
        last_used_at: k.last_used_at,
        last_used_ip: k.last_used_ip,
        revoked_at: k.revoked_at,
    }
}

pub fn audit_event(e: AuditEvent, l: Lang) -> faro_types::audit::AuditEvent {
    let label = faro_core::AuditAction::from_code(&e.action)
        .map(|a| a.label(l).to_owned())
        .unwrap_or_else(|| e.action.clone());
    faro_types::audit::AuditEvent {
        id: e.id,
        at: e.at,
        actor_email: e.actor_email,
        action: e.action,
        action_label: label,
        subject: e.subject,
        ip: e.ip,
        api_key_id: e.api_key_id,
    }
}

pub fn article_kind(k: faro_core::kb::ArticleKind) -> kb::ArticleKind {
    use faro_core::kb::ArticleKind as K;
    match k {
        K::Tutorial => kb::ArticleKind::Tutorial,
        K::Procedure => kb::ArticleKind::Procedure,
        K::Faq => kb::ArticleKind::Faq,
        K::Maintenance => kb::ArticleKind::Maintenance,
    }
}

pub fn article_kind_in(k: kb::ArticleKind) -> faro_core::kb::ArticleKind {
    use faro_core::kb::ArticleKind as K;
    match k {
        kb::ArticleKind::Tutorial => K::Tutorial,
        kb::ArticleKind::Procedure => K::Procedure,
        kb::ArticleKind::Faq => K::Faq,
        kb::ArticleKind::Maintenance => K::Maintenance,
    }
}

pub fn article_state(s: faro_core::kb::ArticleState) -> kb::ArticleState {
    use faro_core::kb::ArticleState as S;
    match s {
        S::Draft => kb::ArticleState::Draft,
        S::Published => kb::ArticleState::Published,
        S::Archived => kb::ArticleState::Archived,
    }
}

pub fn article_state_in(s: kb::ArticleState) -> faro_core::kb::ArticleState {
    use faro_core::kb::ArticleState as S;
    match s {
        kb::ArticleState::Draft => S::Draft,
        kb::ArticleState::Published => S::Published,
        kb::ArticleState::Archived => S::Archived,
    }
}

pub fn article_order_in(o: kb::ArticleOrder) -> faro_store::ArticleOrder {
    match o {
        kb::ArticleOrder::Newest => faro_store::ArticleOrder::Newest,
        kb::ArticleOrder::MostRead => faro_store::ArticleOrder::MostRead,
        kb::ArticleOrder::Title => faro_store::ArticleOrder::Title,
    }
}

pub fn category(c: faro_core::kb::Category) -> kb::Category {
    kb::Category {
        id: c.id,
        parent_id: c.parent_id,
        slug: c.slug,
        name: c.name,
    }
}

pub fn article_summary(a: &faro_core::kb::Article) -> kb::ArticleSummary {
    kb::ArticleSummary {
        id: a.id,
        slug: a.slug.clone(),
        title: a.title.clone(),
        summary: a.summary.clone(),
        kind: article_kind(a.kind),
        state: article_state(a.state),
        category: a.category.clone().map(category),
        membership: a.membership_id.map(|id| a::MembershipRef {
            id,
            name: a.membership_name.clone().unwrap_or_default(),
        }),
        tags: a.tags.clone(),
        views: a.views,
        revision: a.revision,
        updated_at: a.updated_at,
        published_at: a.published_at,
    }
}

/// An article with `html`, its body rendered (`Api::rendered`), and the address `sign` gives
/// each of its files (its images and its PDF: signed for the reader, or holes in a mold).
pub fn article(
    a: &faro_core::kb::Article,
    html: &str,
    mut sign: impl FnMut(crate::signed::FileRef) -> crate::problem::ApiResult<String>,
) -> crate::problem::ApiResult<kb::Article> {
    use crate::signed::FileRef;
    Ok(kb::Article {
        summary: article_summary(a),
        body: a.body.clone(),
        body_html: crate::signed::sign_images(html, |id| sign(FileRef::Image(id)))?,
        last_change_note: a.last_change_note.clone(),
        created_at: a.created_at,
        pdf_url: sign(FileRef::ArticlePdf(a.id))?,
    })
}

pub fn revision_summary(r: &faro_core::kb::Revision) -> faro_types::kb_edit::RevisionSummary {
    faro_types::kb_edit::RevisionSummary {
        number: r.number,
        title: r.title.clone(),
        state: article_state(r.state),
        author_name: r.author_name.clone(),
        note: r.note.clone(),
        created_at: r.created_at,
    }
}

pub fn revision(r: faro_core::kb::Revision) -> faro_types::kb_edit::Revision {
    faro_types::kb_edit::Revision {
        revision: revision_summary(&r),
        summary: r.summary,
        body: r.body,
        kind: article_kind(r.kind),
        tags: r.tags,
    }
}

pub fn comment(c: faro_core::kb::Comment, me: uuid::Uuid) -> faro_types::kb_reading::Comment {
    faro_types::kb_reading::Comment {
        id: c.id,
        body_html: faro_markdown::to_html(&c.body),
        author_name: c.author_name,
        body: c.body,
        hidden: c.hidden,
        mine: c.author_id == Some(me),
        created_at: c.created_at,
    }
}

pub fn priority(p: faro_core::incidents::Priority) -> inc::Priority {
    use faro_core::incidents::Priority as P;
    match p {
        P::High => inc::Priority::High,
        P::Medium => inc::Priority::Medium,
        P::Low => inc::Priority::Low,
    }
}

pub fn priority_in(p: inc::Priority) -> faro_core::incidents::Priority {
    use faro_core::incidents::Priority as P;
    match p {
        inc::Priority::High => P::High,
        inc::Priority::Medium => P::Medium,
        inc::Priority::Low => P::Low,
    }
}

pub fn incident_state(s: faro_core::incidents::IncidentState) -> inc::IncidentState {
    use faro_core::incidents::IncidentState as S;
    match s {
        S::New => inc::IncidentState::New,
        S::InProgress => inc::IncidentState::InProgress,
        S::WaitingClient => inc::IncidentState::WaitingClient,
        S::Resolved => inc::IncidentState::Resolved,
        S::Closed => inc::IncidentState::Closed,
    }
}

pub fn incident_state_in(s: inc::IncidentState) -> faro_core::incidents::IncidentState {
    use faro_core::incidents::IncidentState as S;
    match s {
        inc::IncidentState::New => S::New,
        inc::IncidentState::InProgress => S::InProgress,
        inc::IncidentState::WaitingClient => S::WaitingClient,
        inc::IncidentState::Resolved => S::Resolved,
        inc::IncidentState::Closed => S::Closed,
    }
}

fn escalation(e: faro_core::incidents::Escalation) -> inc::Escalation {
    use faro_core::incidents::Escalation as E;
    match e {
        E::FirstLine => inc::Escalation::FirstLine,
        E::Remote => inc::Escalation::Remote,
        E::OnSite => inc::Escalation::OnSite,
    }
}

fn sla_mark(m: faro_core::incidents::SlaMark) -> inc::SlaMark {
    use faro_core::incidents::SlaMark as M;
    match m {
        M::Ok => inc::SlaMark::Ok,
        M::DueSoon => inc::SlaMark::DueSoon,
        M::Breached => inc::SlaMark::Breached,
        M::Stopped => inc::SlaMark::Stopped,
    }
}

pub fn incident_summary(
    i: &faro_core::incidents::Incident,
    now: chrono::DateTime<chrono::Utc>,
) -> inc::IncidentSummary {
    inc::IncidentSummary {
        id: i.id,
        number: i.number.clone(),
        title: i.title.clone(),
        system: i.system.clone(),
        priority: priority(i.priority),
        state: incident_state(i.state),
        escalation: escalation(i.escalation),
        membership: faro_types::accounts::MembershipRef {
            id: i.membership_id,
            name: i.membership_name.clone(),
        },
        opened_by: inc::PersonName {
            id: i.opened_by,
            name: i.opened_by_name.clone(),
        },
        assignee: i.assignee_id.map(|id| inc::PersonName {
            id: Some(id),
            name: i.assignee_name.clone().unwrap_or_default(),
        }),
        created_at: i.created_at,
        updated_at: i.updated_at,
        resolved_at: i.resolved_at,
        closed_at: i.closed_at,
        sla: inc::Sla {
            first_response_due: i.first_response_due,
            first_response_at: i.first_response_at,
            resolution_due: i.resolution_due,
            mark: sla_mark(i.sla_mark(now)),
        },
    }
}

fn entry_kind(kind: &str) -> inc::EntryKind {
    use faro_store::kind as k;
    match kind {
        k::OPENED => inc::EntryKind::Opened,
        k::COMMENT => inc::EntryKind::Comment,
        k::NOTE => inc::EntryKind::Note,
        k::STATE => inc::EntryKind::State,
        k::PRIORITY => inc::EntryKind::Priority,
        k::ASSIGNED => inc::EntryKind::Assigned,
        k::CLOSED => inc::EntryKind::Closed,
        k::REOPENED => inc::EntryKind::Reopened,
        k::AUTO_CLOSED => inc::EntryKind::AutoClosed,
        k::REMOTE_REQUESTED => inc::EntryKind::RemoteRequested,
        k::REMOTE_AUTHORISED => inc::EntryKind::RemoteAuthorised,
        k::REMOTE_REFUSED => inc::EntryKind::RemoteRefused,
        k::REMOTE_STARTED => inc::EntryKind::RemoteStarted,
        k::VISIT_SCHEDULED => inc::EntryKind::VisitScheduled,
        k::VISIT_REPORT => inc::EntryKind::VisitReport,
        k::SOLUTION => inc::EntryKind::Solution,
        _ => inc::EntryKind::Other,
    }
}

fn attachment(
    a: faro_store::Attachment,
    sign: &impl Fn(FileRef) -> crate::problem::ApiResult<String>,
) -> crate::problem::ApiResult<inc::IncidentAttachment> {
    let thumbnail_url = if crate::thumbnails::applies(&a.content_type) {
        Some(sign(FileRef::Thumbnail(a.id))?)
    } else {
        None
    };
    Ok(inc::IncidentAttachment {
        url: sign(FileRef::Attachment(a.id))?,
        thumbnail_url,
        id: a.id,
        name: a.file.file_name,
        size: a.file.size,
        content_type: a.content_type,
        sha256: a.file.sha256,
        internal: a.internal,
        created_at: a.created_at,
    })
}

/// What an incident's answer holds beside its timeline.
pub struct IncidentExtras {
    pub remote: Vec<faro_store::RemoteRequest>,
    pub visits: Vec<faro_store::Visit>,
    /// The solution article's slug and title.
    pub solution: Option<(String, String)>,
    /// The signed address of its PDF.
    pub pdf_url: String,
}

fn remote_request(r: faro_store::RemoteRequest, staff: bool) -> inc::RemoteRequest {
    use faro_store::RemoteState as S;
    inc::RemoteRequest {
        id: r.id,
        purpose: r.purpose,
        tool: r.tool,
        window: r.window,
        requested_by: r.requested_by,
        requested_at: r.requested_at,
        state: match r.state {
            S::Pending => inc::RemoteState::Pending,
            S::Authorised => inc::RemoteState::Authorised,
            S::Refused => inc::RemoteState::Refused,
            S::Started => inc::RemoteState::Started,
        },
        answered_by: r.answered_by,
        answered_at: r.answered_at,
        answered_ip: r.answered_ip.filter(|_| staff),
    }
}

fn visit(v: faro_store::Visit) -> inc::Visit {
    inc::Visit {
        id: v.id,
        starts_at: v.starts_at,
        technician: v.technician,
        address: v.address,
        report_html: v.report.as_deref().map(faro_markdown::to_html),
        report: v.report,
        reported_at: v.reported_at,
    }
}

/// The whole incident: its timeline with each entry's files (`sign` makes their addresses and
/// their thumbnails').
/// Files not tied to an entry go with the opening one.
#[allow(clippy::too_many_arguments)]
pub fn incident(
    i: faro_core::incidents::Incident,
    events: Vec<faro_store::TimelineEvent>,
    attachments: Vec<faro_store::Attachment>,
    extras: IncidentExtras,
    following: bool,
    staff: bool,
    now: chrono::DateTime<chrono::Utc>,
    sign: impl Fn(FileRef) -> crate::problem::ApiResult<String>,
) -> crate::problem::ApiResult<inc::Incident> {
    let first = events.first().map(|e| e.id);
    let mut files: Vec<(Option<uuid::Uuid>, inc::IncidentAttachment)> = Vec::new();
    for a in attachments {
        let event = a.event_id.or(first);
        files.push((event, attachment(a, &sign)?));
    }
    let timeline = events
        .into_iter()
        .map(|e| {
            let kind = entry_kind(&e.kind);
            let change = match kind {
                inc::EntryKind::State | inc::EntryKind::Priority => e
                    .data
                    .as_deref()
                    .and_then(|d| d.split_once('>'))
                    .map(|(from, to)| inc::Change {
                        from: from.to_owned(),
                        to: to.to_owned(),
                    }),
                _ => None,
            };
            let detail = if change.is_some() {
                None
            } else {
                e.data.clone()
            };
            let mine = files
                .iter()
                .filter(|(at, _)| *at == Some(e.id))
                .map(|(_, a)| a.clone())
                .collect();
            inc::TimelineEntry {
                id: e.id,
                kind,
                internal: e.internal,
                author_name: e.author_name,
                body_html: faro_markdown::to_html(&e.body),
                body: e.body,
                change,
                detail,
                ip: e.ip.filter(|_| staff),
                attachments: mine,
                created_at: e.created_at,
            }
        })
        .collect();
    Ok(inc::Incident {
        summary: incident_summary(&i, now),
        description_html: faro_markdown::to_html(&i.description),
        description: i.description,
        following,
        timeline,
        remote_requests: extras
            .remote
            .into_iter()
            .map(|r| remote_request(r, staff))
            .collect(),
        visits: extras.visits.into_iter().map(visit).collect(),
        solution: extras
            .solution
            .map(|(slug, title)| inc::SolutionLink { slug, title }),
        pdf_url: extras.pdf_url,
    })
}
