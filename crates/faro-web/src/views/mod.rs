//! Typed views: every page is an askama template with a `Page` that carries the layout's data.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use faro_core::records::{AuditEvent, Membership, MembershipSummary, Person};
use faro_core::{AuditAction, Catalog, Lang, Role, format};

use crate::context::CtxData as Ctx;
use crate::forms::{Flash, FormErrors};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// What the layout needs on every page.
pub struct Page<'a> {
    pub t: &'static Catalog,
    pub title: String,
    pub csrf: &'a str,
    pub css_url: &'a str,
    pub js_url: &'a str,
    pub here: &'a str,
    pub user_name: Option<&'a str>,
    pub user_role: Option<&'static str>,
    pub membership_name: Option<&'a str>,
    pub nav: Vec<NavItem>,
    pub flash: Option<&'a Flash>,
    pub operator: Option<&'a str>,
}

impl<'a> Page<'a> {
    pub fn new(ctx: &'a Ctx, title: &str) -> Self {
        let t = ctx.t;
        let path = ctx.here.split('?').next().unwrap_or("/");
        let mut items: Vec<(&'static str, &'static str)> = Vec::new();
        match ctx.owner.as_ref().map(|o| o.viewer.role) {
            None => {
                items.push(("/login", t.nav_sign_in));
                items.push(("/join", t.nav_join));
            }
            Some(role) => {
                items.push(("/", t.nav_home));
                items.push(("/incidents", t.nav_incidents));
                items.push(("/kb", t.nav_kb));
                items.push(("/downloads", t.nav_downloads));
                items.push(("/resources", t.nav_resources));
                if role == Role::Coordinator {
                    items.push(("/membership", t.nav_my_membership));
                }
                if role.is_staff() {
                    items.push(("/memberships", t.nav_memberships));
                    items.push(("/admin/audit", t.nav_audit));
                }
                if role == Role::Admin {
                    items.push(("/admin/staff", t.nav_staff));
                }
                items.push(("/profile", t.nav_profile));
            }
        }
        let nav = items
            .into_iter()
            .map(|(href, label)| NavItem {
                href,
                label,
                current: if href == "/" {
                    path == "/"
                } else {
                    path.starts_with(href)
                },
            })
            .collect();
        Self {
            t,
            title: title.to_string(),
            csrf: &ctx.csrf,
            css_url: &ctx.css_url,
            js_url: &ctx.js_url,
            here: &ctx.here,
            user_name: ctx.owner.as_ref().map(|o| o.person.name.as_str()),
            user_role: ctx.owner.as_ref().map(|o| t.role(o.viewer.role)),
            membership_name: ctx
                .owner
                .as_ref()
                .and_then(|o| o.membership_name.as_deref()),
            nav,
            flash: ctx.flash.as_ref(),
            operator: ctx.operator.as_deref(),
        }
    }

    pub fn lang(&self) -> &'static str {
        self.t.lang.code()
    }
    pub fn langs(&self) -> [Lang; 2] {
        Lang::ALL
    }
    pub fn date_time(&self, at: &DateTime<Utc>) -> String {
        format::date_time(self.t.lang, *at)
    }
    pub fn long_date(&self, at: &DateTime<Utc>) -> String {
        format::long_date(self.t.lang, *at)
    }
    /// The last day a code with this expiry instant works (see `format::end_of_day`).
    pub fn expiry_date(&self, at: &DateTime<Utc>) -> String {
        format::long_date(self.t.lang, *at - chrono::TimeDelta::seconds(1))
    }
    pub fn short_date(&self, at: &DateTime<Utc>) -> String {
        format::short_date(*at)
    }
    pub fn number(&self, n: &u64) -> String {
        format::integer(self.t.lang, i64::try_from(*n).unwrap_or(i64::MAX))
    }
    pub fn role(&self, r: &Role) -> &'static str {
        self.t.role(*r)
    }
    pub fn contract(&self, m: &Membership) -> &'static str {
        self.t.contract(m.contract_state)
    }
    pub fn audit_action(&self, code: &str) -> String {
        AuditAction::from_code(code)
            .map(|a| a.label(self.t.lang).to_string())
            .unwrap_or_else(|| code.to_string())
    }
}

pub fn render<T: Template>(view: &T) -> Response {
    match view.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A form shown again after a refusal: 422 so scripts and tests see it was refused.
pub fn render_refused<T: Template>(view: &T) -> Response {
    let mut res = render(view);
    if res.status().is_success() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorView<'a> {
    pub p: Page<'a>,
    pub body: &'static str,
}

/// A page with one message and an optional way on.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessageView<'a> {
    pub p: Page<'a>,
    pub body: String,
    pub link: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
pub struct SetupView<'a> {
    pub p: Page<'a>,
    pub token: String,
    pub name: String,
    pub email: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginView<'a> {
    pub p: Page<'a>,
    pub email: String,
    pub next: String,
    pub problem: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
pub struct ForgotView<'a> {
    pub p: Page<'a>,
    pub email: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
pub struct ResetView<'a> {
    pub p: Page<'a>,
    pub token: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/join.html")]
pub struct JoinView<'a> {
    pub p: Page<'a>,
    pub code: String,
    pub name: String,
    pub email: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/confirm.html")]
pub struct ConfirmView<'a> {
    pub p: Page<'a>,
    pub token: String,
}

#[derive(Template)]
#[template(path = "account/home_member.html")]
pub struct MemberHomeView<'a> {
    pub p: Page<'a>,
    pub first_name: String,
    pub membership: Membership,
    pub is_coordinator: bool,
    /// The membership's open incidents, latest activity first (a few).
    pub open_incidents: Vec<faro_core::incidents::Incident>,
    /// The latest current versions published: slug, title, label, when.
    pub downloads: Vec<(String, String, String, DateTime<Utc>)>,
}

#[derive(Template)]
#[template(path = "memberships/list.html")]
pub struct MembershipsView<'a> {
    pub p: Page<'a>,
    pub rows: Vec<MembershipSummary>,
    pub can_create: bool,
    pub is_home: bool,
}

/// Values of the membership form, as typed.
#[derive(Default)]
pub struct MembershipFields {
    pub name: String,
    pub tax_id: String,
    pub coordinator_email: String,
    pub contract_state: String,
    pub code_expiry: String,
    pub activate: bool,
}

#[derive(Template)]
#[template(path = "memberships/form.html")]
pub struct MembershipFormView<'a> {
    pub p: Page<'a>,
    pub action: String,
    pub is_new: bool,
    pub f: MembershipFields,
    pub errors: FormErrors,
    pub states: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "memberships/show.html")]
pub struct MembershipView<'a> {
    pub p: Page<'a>,
    pub m: Membership,
    pub code: String,
    pub join_link: String,
    pub people: Vec<Person>,
    /// Administrators manage the membership itself (code, state, data).
    pub is_admin: bool,
    pub me: uuid::Uuid,
    pub expiry_value: String,
    pub expiry_error: Option<String>,
    pub code_expired: bool,
}

#[derive(Template)]
#[template(path = "account/profile.html")]
pub struct ProfileView<'a> {
    pub p: Page<'a>,
    pub person: Person,
    pub membership_name: Option<String>,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "admin/staff.html")]
pub struct StaffView<'a> {
    pub p: Page<'a>,
    pub staff: Vec<Person>,
    pub name: String,
    pub email: String,
    pub role: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditView<'a> {
    pub p: Page<'a>,
    pub events: Vec<AuditEvent>,
    pub older: Option<String>,
}

impl Page<'_> {
    pub fn count(&self, template: &str, n: &u64) -> String {
        Catalog::fill(template, &[&self.number(n)])
    }
}

// ---- Search ----

use crate::handlers::kb::CategoryRow;

pub struct SearchRow {
    /// Where the result lives: an article, a download or a catalogue entry.
    pub href: String,
    /// HTML-escaped by the index, with <b> marks.
    pub title_html: String,
    /// HTML-escaped by the index, with <b> marks.
    pub snippet_html: String,
    pub kind: &'static str,
    pub category: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "kb/search.html")]
pub struct SearchView<'a> {
    pub p: Page<'a>,
    pub q: String,
    pub rows: Vec<SearchRow>,
    pub total: usize,
    pub fell_back: bool,
    pub kind: String,
    pub category: String,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub categories: Vec<CategoryRow>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl SearchView<'_> {
    pub fn heading(&self) -> String {
        let t = self.p.t;
        match self.total {
            0 => Catalog::fill(t.search_none, &[&self.q]),
            1 => Catalog::fill(t.search_one_result, &[&self.q]),
            n => Catalog::fill(t.search_results, &[&self.p.number(&(n as u64)), &self.q]),
        }
    }
}

mod downloads;
mod incidents;
pub use downloads::*;
