//! The message catalogue: every string people read, in Spanish (the default) and English.
//! One struct per language, so a string missing in one language is a compile error.

mod en;
mod es;

use crate::error::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        match s.trim().to_ascii_lowercase().as_str() {
            "es" => Ok(Lang::Es),
            "en" => Ok(Lang::En),
            _ => Err(Invalid::Lang),
        }
    }

    /// Picks the preferred supported language of an `Accept-Language` header; Spanish when
    /// the header names none we speak.
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Ok(lang) = Lang::parse(primary)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    pub fn catalog(self) -> &'static Catalog {
        match self {
            Lang::Es => &es::CATALOG,
            Lang::En => &en::CATALOG,
        }
    }

    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Es => "Español",
            Lang::En => "English",
        }
    }
}

/// Every user-facing string. Strings with `{}` take arguments through the helper methods below.
#[derive(Debug)]
pub struct Catalog {
    pub lang: Lang,
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_home: &'static str,
    pub nav_memberships: &'static str,
    pub nav_my_membership: &'static str,
    pub nav_staff: &'static str,
    pub nav_audit: &'static str,
    pub nav_profile: &'static str,
    pub nav_sign_out: &'static str,
    pub nav_sign_in: &'static str,
    pub nav_join: &'static str,
    pub language: &'static str,
    pub change: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub none: &'static str,
    pub actions: &'static str,
    pub back: &'static str,
    pub signed_in_as: &'static str,
    pub footer_note: &'static str,

    // Errors and generic pages
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub forbidden_title: &'static str,
    pub forbidden_body: &'static str,
    pub error_title: &'static str,
    pub error_body: &'static str,
    pub csrf_title: &'static str,
    pub csrf_body: &'static str,
    pub bad_request_title: &'static str,
    pub bad_request_body: &'static str,
    pub form_has_errors: &'static str,

    // Field labels
    pub field_name: &'static str,
    pub field_email: &'static str,
    pub field_password: &'static str,
    pub field_password_confirm: &'static str,
    pub field_current_password: &'static str,
    pub field_new_password: &'static str,
    pub field_invitation_code: &'static str,
    pub field_role: &'static str,
    pub field_client_name: &'static str,
    pub field_tax_id: &'static str,
    pub field_coordinator_email: &'static str,
    pub field_contract_state: &'static str,
    pub field_code_expiry: &'static str,
    pub field_active: &'static str,
    pub password_hint: &'static str,
    pub code_hint: &'static str,
    pub expiry_hint: &'static str,

    // Setup
    pub setup_title: &'static str,
    pub setup_intro: &'static str,
    pub setup_submit: &'static str,
    pub setup_invalid_link: &'static str,
    pub setup_done: &'static str,

    // Sign in / out, passwords
    pub login_title: &'static str,
    pub login_submit: &'static str,
    pub login_forgot: &'static str,
    pub login_no_account: &'static str,
    pub login_failed: &'static str,
    pub login_throttled: &'static str,
    pub login_inactive: &'static str,
    pub login_membership_inactive: &'static str,
    pub signed_out: &'static str,
    pub forgot_title: &'static str,
    pub forgot_intro: &'static str,
    pub forgot_submit: &'static str,
    pub forgot_sent: &'static str,
    pub reset_title: &'static str,
    pub reset_submit: &'static str,
    pub reset_invalid_link: &'static str,
    pub reset_done: &'static str,
    pub session_expired: &'static str,

    // Join
    pub join_title: &'static str,
    pub join_intro: &'static str,
    pub join_submit: &'static str,
    pub join_check_mail: &'static str,
    pub join_confirmed: &'static str,
    pub join_invalid_link: &'static str,
    pub join_code_invalid: &'static str,
    pub join_code_expired: &'static str,
    pub join_email_taken: &'static str,
    pub join_already_confirmed: &'static str,

    // Profile
    pub profile_title: &'static str,
    pub profile_language_saved: &'static str,
    pub profile_password_title: &'static str,
    pub profile_password_saved: &'static str,
    pub profile_wrong_password: &'static str,
    pub profile_account: &'static str,

    // Home
    pub home_title: &'static str,
    pub home_welcome: &'static str,
    pub home_member_intro: &'static str,
    pub home_staff_intro: &'static str,
    pub home_no_membership: &'static str,

    // Roles and states
    pub role_admin: &'static str,
    pub role_agent: &'static str,
    pub role_coordinator: &'static str,
    pub role_member: &'static str,
    pub contract_contract: &'static str,
    pub contract_subscription: &'static str,
    pub contract_lapsed: &'static str,
    pub state_active: &'static str,
    pub state_inactive: &'static str,
    pub state_pending: &'static str,

    // Memberships (staff)
    pub memberships_title: &'static str,
    pub memberships_empty: &'static str,
    pub memberships_new: &'static str,
    pub memberships_created: &'static str,
    pub memberships_saved: &'static str,
    pub memberships_people: &'static str,
    pub memberships_no_people: &'static str,
    pub memberships_members_count: &'static str,
    pub memberships_code: &'static str,
    pub memberships_code_rotate: &'static str,
    pub memberships_code_rotate_confirm: &'static str,
    pub memberships_code_rotated: &'static str,
    pub memberships_code_expires: &'static str,
    pub memberships_code_never_expires: &'static str,
    pub memberships_code_expired: &'static str,
    pub memberships_code_expiry_saved: &'static str,
    pub memberships_activate: &'static str,
    pub memberships_activate_now: &'static str,
    pub memberships_deactivate: &'static str,
    pub memberships_activated: &'static str,
    pub memberships_deactivated: &'static str,
    pub memberships_edit: &'static str,
    pub memberships_join_link: &'static str,
    pub memberships_created_at: &'static str,
    pub memberships_status: &'static str,
    pub memberships_name_taken: &'static str,
    pub memberships_activation_needs_email: &'static str,

    // People (coordinator / staff)
    pub people_title: &'static str,
    pub people_deactivate: &'static str,
    pub people_activate: &'static str,
    pub people_make_coordinator: &'static str,
    pub people_make_coordinator_confirm: &'static str,
    pub people_deactivated: &'static str,
    pub people_activated: &'static str,
    pub people_coordinator_passed: &'static str,
    pub people_cannot_self: &'static str,
    pub people_joined: &'static str,

    // Staff accounts (admin)
    pub staff_title: &'static str,
    pub staff_new: &'static str,
    pub staff_created: &'static str,
    pub staff_role_saved: &'static str,
    pub staff_email_taken: &'static str,
    pub staff_last_admin: &'static str,

    // Audit
    pub audit_title: &'static str,
    pub audit_when: &'static str,
    pub audit_who: &'static str,
    pub audit_what: &'static str,
    pub audit_subject: &'static str,
    pub audit_address: &'static str,
    pub audit_empty: &'static str,
    pub audit_older: &'static str,

    // Validation messages
    pub invalid_email: &'static str,
    pub invalid_name: &'static str,
    pub invalid_password_short: &'static str,
    pub invalid_password_long: &'static str,
    pub invalid_password_weak: &'static str,
    pub invalid_password_mismatch: &'static str,
    pub invalid_code: &'static str,
    pub invalid_tax_id: &'static str,
    pub invalid_contract_state: &'static str,
    pub invalid_role: &'static str,
    pub invalid_date: &'static str,
    pub invalid_lang: &'static str,

    // E-mail
    pub mail_greeting: &'static str,
    pub mail_signature: &'static str,
    pub mail_ignore: &'static str,
    pub mail_confirm_subject: &'static str,
    pub mail_confirm_body: &'static str,
    pub mail_confirm_action: &'static str,
    pub mail_reset_subject: &'static str,
    pub mail_reset_body: &'static str,
    pub mail_reset_action: &'static str,
    pub mail_activated_subject: &'static str,
    pub mail_activated_body: &'static str,
    pub mail_activated_code: &'static str,
    pub mail_activated_action: &'static str,
    pub mail_staff_subject: &'static str,
    pub mail_staff_body: &'static str,
    pub mail_staff_action: &'static str,
    pub mail_link_fallback: &'static str,

    // Knowledge base and search
    pub invalid_article_kind: &'static str,
    pub invalid_article_state: &'static str,
    pub invalid_slug: &'static str,
    pub invalid_tags: &'static str,
    pub invalid_title: &'static str,
    pub invalid_summary: &'static str,
    pub invalid_body: &'static str,
    pub invalid_comment: &'static str,
    pub invalid_category: &'static str,
    pub invalid_image: &'static str,
    pub nav_kb: &'static str,
    pub kb_title: &'static str,
    pub kb_intro: &'static str,
    pub kb_kind_tutorial: &'static str,
    pub kb_kind_procedure: &'static str,
    pub kb_kind_faq: &'static str,
    pub kb_kind_maintenance: &'static str,
    pub kb_kinds_tutorial: &'static str,
    pub kb_kinds_procedure: &'static str,
    pub kb_kinds_faq: &'static str,
    pub kb_kinds_maintenance: &'static str,
    pub kb_state_draft: &'static str,
    pub kb_state_published: &'static str,
    pub kb_state_archived: &'static str,
    pub kb_newest: &'static str,
    pub kb_most_read: &'static str,
    pub kb_categories: &'static str,
    pub kb_all_kinds: &'static str,
    pub kb_all_categories: &'static str,
    pub kb_empty: &'static str,
    pub kb_new: &'static str,
    pub kb_edit: &'static str,
    pub kb_history: &'static str,
    pub kb_updated_on: &'static str,
    pub kb_print: &'static str,
    pub kb_pdf: &'static str,
    pub kb_related: &'static str,
    pub kb_scope_global: &'static str,
    pub kb_field_title: &'static str,
    pub kb_field_summary: &'static str,
    pub kb_field_body: &'static str,
    pub kb_body_hint: &'static str,
    pub kb_field_kind: &'static str,
    pub kb_field_category: &'static str,
    pub kb_no_category: &'static str,
    pub kb_field_tags: &'static str,
    pub kb_tags_hint: &'static str,
    pub kb_field_scope: &'static str,
    pub kb_field_state: &'static str,
    pub kb_field_note: &'static str,
    pub kb_note_hint: &'static str,
    pub kb_created: &'static str,
    pub kb_saved: &'static str,
    pub kb_revision: &'static str,
    pub kb_author: &'static str,
    pub kb_compare: &'static str,
    pub kb_compare_selected: &'static str,
    pub kb_restore: &'static str,
    pub kb_restored: &'static str,
    pub kb_restored_note: &'static str,
    pub kb_published_note: &'static str,
    pub kb_archived_note: &'static str,
    pub kb_diff_title: &'static str,
    pub kb_diff_same: &'static str,
    pub kb_views: &'static str,
    pub kb_recent: &'static str,
    pub kb_current: &'static str,
    pub kb_categories_manage: &'static str,
    pub kb_category_name: &'static str,
    pub kb_category_parent: &'static str,
    pub kb_category_none: &'static str,
    pub kb_category_created: &'static str,
    pub kb_preview: &'static str,
    pub kb_tags_label: &'static str,
    pub kb_unpublished: &'static str,
    pub kb_count: &'static str,
    pub kb_on_this_page: &'static str,
    pub search_title: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    pub search_submit: &'static str,
    pub search_results: &'static str,
    pub search_one_result: &'static str,
    pub search_none: &'static str,
    pub search_fell_back: &'static str,
    pub search_empty: &'static str,
    pub search_syntax_help: &'static str,
    pub search_unavailable: &'static str,
    pub pager_previous: &'static str,
    pub pager_next: &'static str,
    pub kb_last_change: &'static str,
    pub too_many_requests: &'static str,
    pub kb_comments: &'static str,
    pub kb_comment_label: &'static str,
    pub kb_comment_hint: &'static str,
    pub kb_comment_submit: &'static str,
    pub kb_comment_added: &'static str,
    pub kb_comment_hidden_tag: &'static str,
    pub kb_comment_hide: &'static str,
    pub kb_comment_show: &'static str,
    pub kb_comment_hidden: &'static str,
    pub kb_comment_shown: &'static str,
    pub kb_no_comments: &'static str,
    pub kb_helpful_q: &'static str,
    pub kb_helpful_yes: &'static str,
    pub kb_helpful_no: &'static str,
    pub kb_helpful_remark: &'static str,
    pub kb_helpful_thanks: &'static str,
    pub kb_helpful_yours_yes: &'static str,
    pub kb_helpful_yours_no: &'static str,
    pub kb_feedback_title: &'static str,
    pub kb_feedback_counts: &'static str,
    pub kb_least_helpful: &'static str,
    pub kb_feedback_none: &'static str,
    pub kb_email: &'static str,
    pub kb_email_to: &'static str,
    pub kb_email_message: &'static str,
    pub kb_email_send: &'static str,
    pub kb_email_sent: &'static str,
    pub kb_email_limit: &'static str,
    pub kb_images: &'static str,
    pub kb_image_label: &'static str,
    pub kb_image_upload: &'static str,
    pub kb_image_added: &'static str,
    pub kb_image_first_save: &'static str,
    pub kb_pdf_page: &'static str,
    pub kb_pdf_kind: &'static str,
    pub kb_pdf_category: &'static str,
    pub kb_pdf_for: &'static str,
    pub kb_pdf_failed: &'static str,
    pub mail_article_subject: &'static str,
    pub mail_article_body: &'static str,
    pub mail_article_message: &'static str,
    pub mail_article_action: &'static str,
    /// Stands in an e-mailed article for each image (they are in the attached PDF).
    pub mail_image_in_pdf: &'static str,
    pub mail_comment_subject: &'static str,
    pub mail_comment_body: &'static str,
    pub mail_comment_action: &'static str,
    pub invalid_download_kind: &'static str,
    pub invalid_version_label: &'static str,
    pub invalid_category_name: &'static str,
    pub invalid_notes: &'static str,
    pub invalid_reason: &'static str,
    pub invalid_web_address: &'static str,
    pub invalid_file: &'static str,
    pub invalid_audience: &'static str,
    pub dl_kind_document: &'static str,
    pub dl_kind_template: &'static str,
    pub dl_kind_software: &'static str,
    pub dl_state_current: &'static str,
    pub dl_state_superseded: &'static str,
    pub dl_state_withdrawn: &'static str,
    pub dl_title: &'static str,
    pub dl_no_category: &'static str,
    pub dl_new: &'static str,
    pub dl_edit: &'static str,
    pub dl_saved: &'static str,
    pub dl_created: &'static str,
    pub file_too_large: &'static str,
    pub dl_version_published: &'static str,
    pub dl_version_exists: &'static str,
    pub dl_version_withdrawn: &'static str,
    pub dl_version_reinstated: &'static str,
    pub dl_withdrawn_title: &'static str,
    pub res_title: &'static str,
    pub res_new: &'static str,
    pub res_verified: &'static str,
    pub res_deleted: &'static str,
    pub dl_intro: &'static str,
    pub dl_new_since: &'static str,
    pub dl_field_kind: &'static str,
    pub dl_all_kinds: &'static str,
    pub dl_empty: &'static str,
    pub dl_badge_new: &'static str,
    pub dl_all_clients: &'static str,
    pub dl_some_clients: &'static str,
    pub dl_current_version: &'static str,
    pub dl_download_latest: &'static str,
    pub dl_no_versions: &'static str,
    pub dl_published_to: &'static str,
    pub dl_versions: &'static str,
    pub dl_version: &'static str,
    pub dl_published_on: &'static str,
    pub dl_file: &'static str,
    pub dl_downloads: &'static str,
    pub dl_downloads_count: &'static str,
    pub dl_people_count: &'static str,
    pub dl_withdrawn_on: &'static str,
    pub dl_download: &'static str,
    pub dl_reinstate: &'static str,
    pub dl_withdraw: &'static str,
    pub dl_withdraw_reason: &'static str,
    pub dl_publish: &'static str,
    pub dl_field_label: &'static str,
    pub dl_field_notes: &'static str,
    pub dl_field_file: &'static str,
    pub dl_max_size: &'static str,
    pub dl_publish_button: &'static str,
    pub dl_missing_title: &'static str,
    pub dl_total_downloads: &'static str,
    pub dl_missing_none: &'static str,
    pub dl_withdrawn_lead: &'static str,
    pub dl_see_versions: &'static str,
    pub dl_field_title: &'static str,
    pub dl_field_category: &'static str,
    pub dl_field_description: &'static str,
    pub dl_markdown_hint: &'static str,
    pub res_intro: &'static str,
    pub res_empty: &'static str,
    pub res_official_site: &'static str,
    pub res_verified_on: &'static str,
    pub res_never_verified: &'static str,
    pub res_verify: &'static str,
    pub res_delete: &'static str,
    pub res_field_name: &'static str,
    pub res_field_url: &'static str,
    pub res_field_file: &'static str,
    pub res_file_kept: &'static str,
    pub res_field_version: &'static str,
    pub nav_downloads: &'static str,
    pub nav_resources: &'static str,
    pub search_everything: &'static str,
    pub search_articles: &'static str,
    pub search_kind_resource: &'static str,
    pub dl_you: &'static str,
    pub dl_fetched_by_you: &'static str,
    pub mail_inc_alert_subject: &'static str,
    pub mail_inc_alert_body: &'static str,
    pub mail_inc_update_subject: &'static str,
    pub mail_inc_action: &'static str,
    pub invalid_priority: &'static str,
    pub invalid_incident_state: &'static str,
    pub invalid_escalation: &'static str,
    pub invalid_system: &'static str,
    pub invalid_message: &'static str,
    pub invalid_assignee: &'static str,
    pub inc_priority_high: &'static str,
    pub inc_priority_medium: &'static str,
    pub inc_priority_low: &'static str,
    pub inc_priority_high_def: &'static str,
    pub inc_priority_medium_def: &'static str,
    pub inc_priority_low_def: &'static str,
    pub inc_state_new: &'static str,
    pub inc_state_in_progress: &'static str,
    pub inc_state_waiting: &'static str,
    pub inc_state_resolved: &'static str,
    pub inc_state_closed: &'static str,
    pub inc_title: &'static str,
    pub inc_queue: &'static str,
    pub inc_new: &'static str,
    pub inc_filter_text: &'static str,
    pub inc_field_state: &'static str,
    pub inc_field_priority: &'static str,
    pub inc_field_title: &'static str,
    pub inc_field_system: &'static str,
    pub inc_field_description: &'static str,
    pub inc_field_files: &'static str,
    pub inc_open_ones: &'static str,
    pub inc_all_states: &'static str,
    pub inc_all_priorities: &'static str,
    pub inc_assigned_to_me: &'static str,
    pub inc_opened_by_me: &'static str,
    pub inc_empty: &'static str,
    pub inc_number: &'static str,
    pub inc_membership: &'static str,
    pub inc_due: &'static str,
    pub inc_assignee: &'static str,
    pub inc_updated: &'static str,
    pub inc_sla_ok: &'static str,
    pub inc_sla_soon: &'static str,
    pub inc_sla_breached: &'static str,
    pub inc_sla_stopped: &'static str,
    pub inc_is_this_it: &'static str,
    pub inc_system_hint: &'static str,
    pub inc_description_hint: &'static str,
    pub inc_files_hint: &'static str,
    pub inc_open_button: &'static str,
    pub inc_too_many_files: &'static str,
    pub inc_files_again: &'static str,
    pub inc_opened: &'static str,
    pub inc_opened_by: &'static str,
    pub inc_unassigned: &'static str,
    pub inc_first_response: &'static str,
    pub inc_resolution: &'static str,
    pub inc_follow: &'static str,
    pub inc_unfollow: &'static str,
    pub inc_followed: &'static str,
    pub inc_unfollowed: &'static str,
    pub inc_confirm_title: &'static str,
    pub inc_reopen_title: &'static str,
    pub inc_close_remark: &'static str,
    pub inc_close_button: &'static str,
    pub inc_reopen_remark: &'static str,
    pub inc_reopen_button: &'static str,
    pub inc_work: &'static str,
    pub inc_change_state: &'static str,
    pub inc_close_confirmed: &'static str,
    pub inc_state_remark: &'static str,
    pub inc_matching_articles: &'static str,
    pub inc_timeline: &'static str,
    pub inc_timeline_empty: &'static str,
    pub inc_internal: &'static str,
    pub inc_add_comment: &'static str,
    pub inc_comment: &'static str,
    pub inc_internal_note: &'static str,
    pub inc_send: &'static str,
    pub inc_ev_opened: &'static str,
    pub inc_ev_comment: &'static str,
    pub inc_ev_note: &'static str,
    pub inc_ev_state: &'static str,
    pub inc_ev_priority: &'static str,
    pub inc_ev_assigned: &'static str,
    pub inc_ev_unassigned: &'static str,
    pub inc_ev_closed: &'static str,
    pub inc_ev_reopened: &'static str,
    pub inc_mail_commented: &'static str,
    pub inc_mail_state: &'static str,
    pub inc_comment_added: &'static str,
    pub inc_note_added: &'static str,
    pub inc_state_changed: &'static str,
    pub inc_not_allowed: &'static str,
    pub inc_priority_changed: &'static str,
    pub inc_assigned: &'static str,
    pub nav_incidents: &'static str,
    pub invalid_purpose: &'static str,
    pub invalid_tool: &'static str,
    pub invalid_window: &'static str,
    pub invalid_technician: &'static str,
    pub invalid_address: &'static str,
    pub invalid_time: &'static str,
    pub invalid_solution_article: &'static str,
    pub search_kind_incident: &'static str,
    pub mail_visit_summary: &'static str,
    pub mail_visit_technician: &'static str,
    pub mail_visit_subject: &'static str,
    pub mail_visit_body: &'static str,
    pub inc_mail_remote_asked: &'static str,
    pub inc_mail_remote_yes: &'static str,
    pub inc_mail_remote_no: &'static str,
    pub inc_remote_requested: &'static str,
    pub inc_remote_authorised: &'static str,
    pub inc_remote_refused: &'static str,
    pub inc_remote_answered: &'static str,
    pub inc_remote_started: &'static str,
    pub inc_remote_not_authorised: &'static str,
    pub inc_visit_scheduled: &'static str,
    pub inc_visit_reported: &'static str,
    pub inc_solution_linked: &'static str,
    pub inc_kb_drafted: &'static str,
    pub inc_level_first: &'static str,
    pub inc_level_remote: &'static str,
    pub inc_level_onsite: &'static str,
    pub inc_level: &'static str,
    pub inc_ev_auto_closed: &'static str,
    pub inc_ev_remote_requested: &'static str,
    pub inc_ev_remote_authorised: &'static str,
    pub inc_ev_remote_refused: &'static str,
    pub inc_ev_remote_started: &'static str,
    pub inc_ev_visit: &'static str,
    pub inc_ev_visit_report: &'static str,
    pub inc_ev_solution: &'static str,
    pub inc_remote_pending: &'static str,
    pub inc_remote_state_authorised: &'static str,
    pub inc_remote_state_refused: &'static str,
    pub inc_remote_state_started: &'static str,
    pub inc_escalation: &'static str,
    pub inc_remote_title: &'static str,
    pub inc_remote_purpose: &'static str,
    pub inc_remote_tool: &'static str,
    pub inc_remote_window: &'static str,
    pub inc_remote_ask: &'static str,
    pub inc_remote_authorise: &'static str,
    pub inc_remote_refuse: &'static str,
    pub inc_remote_answered_by: &'static str,
    pub inc_remote_start: &'static str,
    pub inc_visits_title: &'static str,
    pub inc_visit_date: &'static str,
    pub inc_visit_time: &'static str,
    pub inc_visit_technician: &'static str,
    pub inc_visit_address: &'static str,
    pub inc_visit_schedule: &'static str,
    pub inc_visit_report: &'static str,
    pub inc_visit_save_report: &'static str,
    pub inc_solution: &'static str,
    pub inc_solution_article: &'static str,
    pub inc_solution_link: &'static str,
    pub inc_kb_draft: &'static str,
    pub inc_pdf: &'static str,
    pub mail_inc_auto_closed: &'static str,
    pub inc_similar: &'static str,
    pub inc_mail_priority: &'static str,
    pub home_open_incidents: &'static str,
    pub home_no_open_incidents: &'static str,
    pub home_all_incidents: &'static str,
    pub home_latest_downloads: &'static str,
    pub invalid_key_name: &'static str,
    pub invalid_key_scope: &'static str,
    pub api_unauthorized: &'static str,
    pub api_token_expired: &'static str,
    pub api_session_ended: &'static str,
    pub api_key_refused: &'static str,
    pub api_read_only_key: &'static str,
    pub api_forbidden: &'static str,
    pub api_not_found: &'static str,
    pub api_validation: &'static str,
    pub api_malformed_json: &'static str,
    pub api_bad_body: &'static str,
    pub api_bad_content_type: &'static str,
    pub api_body_too_large: &'static str,
    pub api_bad_query: &'static str,
    pub api_bad_cursor: &'static str,
    pub api_bad_limit: &'static str,
    pub api_too_many: &'static str,
    pub api_conflict: &'static str,
    pub api_search_too_long: &'static str,
    /// 503 when the search engine (Meilisearch) does not answer.
    pub api_search_unavailable: &'static str,
    pub api_stale_revision: &'static str,
    pub api_file_link_invalid: &'static str,
    pub api_image_missing: &'static str,
    pub api_multipart: &'static str,
    pub api_version_withdrawn: &'static str,
    pub api_no_current_version: &'static str,
    pub api_internal: &'static str,
    pub api_unavailable: &'static str,
    pub api_method_not_allowed: &'static str,
    pub api_refresh_missing: &'static str,
    pub api_refresh_reused: &'static str,
    pub api_login_failed: &'static str,
    pub api_setup_invalid: &'static str,
    pub api_link_invalid: &'static str,
    pub api_wrong_type: &'static str,
    pub api_unknown_field: &'static str,
    pub api_repeated_field: &'static str,
    pub api_missing_field: &'static str,
    pub api_nul_character: &'static str,
    pub api_self_action: &'static str,
    pub api_last_admin: &'static str,
    pub api_incident_clients_only: &'static str,
    pub api_staff_only: &'static str,
    pub api_not_staff: &'static str,
    pub api_precondition: &'static str,
}

impl Catalog {
    pub fn invalid(&self, e: Invalid) -> &'static str {
        match e {
            Invalid::Email => self.invalid_email,
            Invalid::Name => self.invalid_name,
            Invalid::PasswordTooShort => self.invalid_password_short,
            Invalid::PasswordTooLong => self.invalid_password_long,
            Invalid::PasswordWeak => self.invalid_password_weak,
            Invalid::PasswordMismatch => self.invalid_password_mismatch,
            Invalid::InvitationCode => self.invalid_code,
            Invalid::TaxId => self.invalid_tax_id,
            Invalid::ContractState => self.invalid_contract_state,
            Invalid::Role => self.invalid_role,
            Invalid::Date => self.invalid_date,
            Invalid::Lang => self.invalid_lang,
            Invalid::ArticleKind => self.invalid_article_kind,
            Invalid::ArticleState => self.invalid_article_state,
            Invalid::Slug => self.invalid_slug,
            Invalid::Tags => self.invalid_tags,
            Invalid::Title => self.invalid_title,
            Invalid::Summary => self.invalid_summary,
            Invalid::Body => self.invalid_body,
            Invalid::Comment => self.invalid_comment,
            Invalid::Category => self.invalid_category,
            Invalid::Image => self.invalid_image,
            Invalid::DownloadKind => self.invalid_download_kind,
            Invalid::VersionLabel => self.invalid_version_label,
            Invalid::CategoryName => self.invalid_category_name,
            Invalid::Notes => self.invalid_notes,
            Invalid::Reason => self.invalid_reason,
            Invalid::WebAddress => self.invalid_web_address,
            Invalid::File => self.invalid_file,
            Invalid::Audience => self.invalid_audience,
            Invalid::Priority => self.invalid_priority,
            Invalid::IncidentState => self.invalid_incident_state,
            Invalid::Escalation => self.invalid_escalation,
            Invalid::System => self.invalid_system,
            Invalid::Message => self.invalid_message,
            Invalid::Assignee => self.invalid_assignee,
            Invalid::Purpose => self.invalid_purpose,
            Invalid::Tool => self.invalid_tool,
            Invalid::Window => self.invalid_window,
            Invalid::Technician => self.invalid_technician,
            Invalid::Address => self.invalid_address,
            Invalid::Time => self.invalid_time,
            Invalid::SolutionArticle => self.invalid_solution_article,
            Invalid::KeyName => self.invalid_key_name,
            Invalid::KeyScope => self.invalid_key_scope,
        }
    }

    pub fn role(&self, r: crate::role::Role) -> &'static str {
        use crate::role::Role;
        match r {
            Role::Admin => self.role_admin,
            Role::Agent => self.role_agent,
            Role::Coordinator => self.role_coordinator,
            Role::Member => self.role_member,
        }
    }

    pub fn contract(&self, c: crate::membership::ContractState) -> &'static str {
        use crate::membership::ContractState;
        match c {
            ContractState::Contract => self.contract_contract,
            ContractState::Subscription => self.contract_subscription,
            ContractState::Lapsed => self.contract_lapsed,
        }
    }

    /// Fills `{}` placeholders in order.
    pub fn fill(template: &str, args: &[&str]) -> String {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        let mut args = args.iter();
        while let Some(pos) = rest.find("{}") {
            out.push_str(&rest[..pos]);
            out.push_str(args.next().copied().unwrap_or(""));
            rest = &rest[pos + 2..];
        }
        out.push_str(rest);
        out
    }

    pub fn login_throttled_for(&self, minutes: i64) -> String {
        Self::fill(self.login_throttled, &[&minutes.to_string()])
    }
}

impl Catalog {
    pub fn kind(&self, k: crate::kb::ArticleKind) -> &'static str {
        use crate::kb::ArticleKind;
        match k {
            ArticleKind::Tutorial => self.kb_kind_tutorial,
            ArticleKind::Procedure => self.kb_kind_procedure,
            ArticleKind::Faq => self.kb_kind_faq,
            ArticleKind::Maintenance => self.kb_kind_maintenance,
        }
    }

    pub fn download_kind(&self, k: crate::downloads::DownloadKind) -> &'static str {
        use crate::downloads::DownloadKind;
        match k {
            DownloadKind::Document => self.dl_kind_document,
            DownloadKind::Template => self.dl_kind_template,
            DownloadKind::Software => self.dl_kind_software,
        }
    }

    pub fn priority(&self, p: crate::incidents::Priority) -> &'static str {
        use crate::incidents::Priority;
        match p {
            Priority::High => self.inc_priority_high,
            Priority::Medium => self.inc_priority_medium,
            Priority::Low => self.inc_priority_low,
        }
    }

    pub fn priority_definition(&self, p: crate::incidents::Priority) -> &'static str {
        use crate::incidents::Priority;
        match p {
            Priority::High => self.inc_priority_high_def,
            Priority::Medium => self.inc_priority_medium_def,
            Priority::Low => self.inc_priority_low_def,
        }
    }

    pub fn incident_state(&self, s: crate::incidents::IncidentState) -> &'static str {
        use crate::incidents::IncidentState;
        match s {
            IncidentState::New => self.inc_state_new,
            IncidentState::InProgress => self.inc_state_in_progress,
            IncidentState::WaitingClient => self.inc_state_waiting,
            IncidentState::Resolved => self.inc_state_resolved,
            IncidentState::Closed => self.inc_state_closed,
        }
    }

    pub fn escalation(&self, e: crate::incidents::Escalation) -> &'static str {
        use crate::incidents::Escalation;
        match e {
            Escalation::FirstLine => self.inc_level_first,
            Escalation::Remote => self.inc_level_remote,
            Escalation::OnSite => self.inc_level_onsite,
        }
    }

    pub fn version_state(&self, s: crate::downloads::VersionState) -> &'static str {
        use crate::downloads::VersionState;
        match s {
            VersionState::Current => self.dl_state_current,
            VersionState::Superseded => self.dl_state_superseded,
            VersionState::Withdrawn => self.dl_state_withdrawn,
        }
    }

    pub fn kinds(&self, k: crate::kb::ArticleKind) -> &'static str {
        use crate::kb::ArticleKind;
        match k {
            ArticleKind::Tutorial => self.kb_kinds_tutorial,
            ArticleKind::Procedure => self.kb_kinds_procedure,
            ArticleKind::Faq => self.kb_kinds_faq,
            ArticleKind::Maintenance => self.kb_kinds_maintenance,
        }
    }

    pub fn article_state(&self, s: crate::kb::ArticleState) -> &'static str {
        use crate::kb::ArticleState;
        match s {
            ArticleState::Draft => self.kb_state_draft,
            ArticleState::Published => self.kb_state_published,
            ArticleState::Archived => self.kb_state_archived,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language(""), Lang::Es);
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("fr-FR,en;q=0.5,es;q=0.8"),
            Lang::Es
        );
        assert_eq!(Lang::from_accept_language("de"), Lang::Es);
    }

    #[test]
    fn fill() {
        assert_eq!(Catalog::fill("a {} b {}", &["1", "2"]), "a 1 b 2");
        assert!(
            Lang::Es
                .catalog()
                .login_throttled_for(15)
                .contains("15 minutos")
        );
    }
}
