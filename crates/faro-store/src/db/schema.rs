//! The tables as diesel sees them. Column order here is the order `Queryable` rows list their
//! fields in; it need not match the order in the database.
//!
//! Ids are [`Id`] and instants [`Instant`] (see `types`): what each backend stores for them differs.

use super::types::{Id, Instant};

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    audit_events (id) {
        id -> Id,
        at -> Instant,
        actor_id -> Nullable<Id>,
        actor_email -> Nullable<Text>,
        action -> Text,
        subject -> Text,
        membership_id -> Nullable<Id>,
        ip -> Nullable<Text>,
        api_key_id -> Nullable<Id>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    download_audience (item_id, membership_id) {
        item_id -> Id,
        membership_id -> Id,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    download_events (id) {
        id -> Id,
        item_id -> Id,
        version_id -> Id,
        user_id -> Id,
        membership_id -> Nullable<Id>,
        at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    download_items (id) {
        id -> Id,
        slug -> Text,
        kind -> Text,
        title -> Text,
        description -> Text,
        category -> Text,
        all_clients -> Bool,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    download_versions (id) {
        id -> Id,
        item_id -> Id,
        label -> Text,
        notes -> Text,
        file_id -> Id,
        published_by -> Nullable<Id>,
        published_by_name -> Text,
        published_at -> Instant,
        withdrawn_at -> Nullable<Instant>,
        withdrawn_reason -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    download_visits (user_id) {
        user_id -> Id,
        seen_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    incidents (id) {
        id -> Id,
        number -> Text,
        membership_id -> Id,
        title -> Text,
        description -> Text,
        system -> Text,
        priority -> Text,
        state -> Text,
        escalation -> Text,
        opened_by -> Nullable<Id>,
        opened_by_name -> Text,
        assignee_id -> Nullable<Id>,
        created_at -> Instant,
        updated_at -> Instant,
        first_response_at -> Nullable<Instant>,
        first_response_due -> Instant,
        resolution_due -> Instant,
        paused_minutes -> BigInt,
        waiting_since -> Nullable<Instant>,
        resolved_at -> Nullable<Instant>,
        closed_at -> Nullable<Instant>,
        solution_article_id -> Nullable<Id>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    incident_attachments (id) {
        id -> Id,
        incident_id -> Id,
        event_id -> Nullable<Id>,
        file_id -> Id,
        content_type -> Text,
        internal -> Bool,
        uploaded_by -> Nullable<Id>,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    incident_counters (year) {
        year -> Integer,
        last -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    incident_events (id) {
        id -> Id,
        incident_id -> Id,
        kind -> Text,
        internal -> Bool,
        author_id -> Nullable<Id>,
        author_name -> Text,
        body -> Text,
        data -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    incident_followers (incident_id, user_id) {
        incident_id -> Id,
        user_id -> Id,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    incident_visits (id) {
        id -> Id,
        incident_id -> Id,
        starts_at -> Instant,
        technician -> Text,
        address -> Text,
        report -> Nullable<Text>,
        reported_at -> Nullable<Instant>,
        created_by_name -> Text,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    kb_articles (id) {
        id -> Id,
        slug -> Text,
        title -> Text,
        summary -> Text,
        body -> Text,
        kind -> Text,
        state -> Text,
        category_id -> Nullable<Id>,
        membership_id -> Nullable<Id>,
        tags -> Text,
        views -> BigInt,
        revision -> Integer,
        created_at -> Instant,
        updated_at -> Instant,
        published_at -> Nullable<Instant>,
        last_change_note -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    kb_categories (id) {
        id -> Id,
        parent_id -> Nullable<Id>,
        slug -> Text,
        name -> Text,
        position -> Integer,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    kb_comments (id) {
        id -> Id,
        article_id -> Id,
        author_id -> Nullable<Id>,
        author_name -> Text,
        body -> Text,
        hidden -> Bool,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    kb_feedback (id) {
        id -> Id,
        article_id -> Id,
        user_id -> Id,
        helpful -> Bool,
        remark -> Text,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    kb_images (id) {
        id -> Id,
        article_id -> Id,
        content_type -> Text,
        file_name -> Text,
        bytes -> Binary,
        sha256 -> Text,
        file_id -> Nullable<Id>,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    kb_revisions (id) {
        id -> Id,
        article_id -> Id,
        number -> Integer,
        title -> Text,
        summary -> Text,
        body -> Text,
        kind -> Text,
        state -> Text,
        category_id -> Nullable<Id>,
        membership_id -> Nullable<Id>,
        tags -> Text,
        author_id -> Nullable<Id>,
        author_name -> Text,
        note -> Text,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    kb_shares (id) {
        id -> Id,
        article_id -> Id,
        user_id -> Id,
        to_address -> Text,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    login_failures (id) {
        id -> Id,
        email -> Text,
        ip -> Text,
        at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    memberships (id) {
        id -> Id,
        name -> Text,
        tax_id -> Nullable<Text>,
        coordinator_email -> Nullable<Text>,
        contract_state -> Text,
        active -> Bool,
        invitation_code -> Text,
        code_expires_at -> Nullable<Instant>,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    outbox (id) {
        id -> Id,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        attachments -> Nullable<Text>,
        created_at -> Instant,
        attempts -> Integer,
        next_attempt_at -> Instant,
        claimed_until -> Nullable<Instant>,
        sent_at -> Nullable<Instant>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    rate_events (id) {
        id -> Id,
        kind -> Text,
        key -> Text,
        at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    remote_requests (id) {
        id -> Id,
        incident_id -> Id,
        purpose -> Text,
        tool -> Text,
        window -> Text,
        requested_by -> Nullable<Id>,
        requested_by_name -> Text,
        requested_at -> Instant,
        state -> Text,
        answered_by -> Nullable<Id>,
        answered_by_name -> Nullable<Text>,
        answered_at -> Nullable<Instant>,
        answered_ip -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    resources (id) {
        id -> Id,
        slug -> Text,
        name -> Text,
        description -> Text,
        category -> Text,
        url -> Text,
        file_id -> Nullable<Id>,
        file_version -> Text,
        verified_on -> Nullable<Date>,
        created_at -> Instant,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    search_changes (seq) {
        seq -> BigInt,
        article_id -> Id,
        at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::Instant;

    search_pushes (engine) {
        engine -> Text,
        position -> BigInt,
        holder -> Nullable<Text>,
        lease_until -> Nullable<Instant>,
        updated_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    sessions (id) {
        id -> Text,
        user_id -> Id,
        created_at -> Instant,
        last_seen_at -> Instant,
        expires_at -> Instant,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    stored_files (id) {
        id -> Id,
        object_key -> Text,
        file_name -> Text,
        size -> BigInt,
        sha256 -> Text,
        state -> Text,
        created_at -> Instant,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    tokens (id) {
        id -> Text,
        purpose -> Text,
        user_id -> Nullable<Id>,
        membership_id -> Nullable<Id>,
        payload -> Nullable<Text>,
        created_at -> Instant,
        expires_at -> Instant,
        used_at -> Nullable<Instant>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    users (id) {
        id -> Id,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        membership_id -> Nullable<Id>,
        language -> Text,
        active -> Bool,
        created_at -> Instant,
        last_sign_in_at -> Nullable<Instant>,
        token_version -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    refresh_tokens (id) {
        id -> Id,
        family_id -> Id,
        user_id -> Id,
        digest -> Text,
        created_at -> Instant,
        expires_at -> Instant,
        used_at -> Nullable<Instant>,
        revoked_at -> Nullable<Instant>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::{Id, Instant};

    api_keys (id) {
        id -> Id,
        user_id -> Id,
        name -> Text,
        prefix -> Text,
        digest -> Text,
        scope -> Text,
        service -> Bool,
        created_by -> Nullable<Id>,
        created_at -> Instant,
        expires_at -> Nullable<Instant>,
        last_used_at -> Nullable<Instant>,
        last_used_ip -> Nullable<Text>,
        revoked_at -> Nullable<Instant>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    refresh_tokens,
    audit_events,
    download_audience,
    download_events,
    download_items,
    download_versions,
    download_visits,
    incidents,
    incident_attachments,
    incident_counters,
    incident_events,
    incident_followers,
    incident_visits,
    kb_articles,
    kb_categories,
    kb_comments,
    kb_feedback,
    kb_images,
    kb_revisions,
    kb_shares,
    login_failures,
    memberships,
    outbox,
    rate_events,
    remote_requests,
    resources,
    search_changes,
    search_pushes,
    sessions,
    settings,
    stored_files,
    tokens,
    users,
);
