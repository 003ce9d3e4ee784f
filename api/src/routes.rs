//! The route table: the map of the API. Each resource module owns its handlers; this mounts
//! them under `/api/v1`. The one table serves two ways: plain actix-web for serving, and through
//! utoipa's wrapper, once, to collect each handler into the OpenAPI document (`collect`). A
//! server's workers do not use the wrapper: each would build, and keep, its own copy of the
//! document (about 1.8 MB each, measured with heaptrack).

use actix_web::{App, web};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};

use crate::resources::{
    audit, auth, catalogue, download_versions, downloads, health, incident_escalation,
    incident_pdf, incident_work, incidents, join, kb, kb_edit, kb_files, kb_history, kb_reading,
    keys, me, memberships, password, people, search, setup, staff,
};

/// The handlers under `/api/v1`, in order, for `cfg` of either kind.
macro_rules! v1_table {
    ($cfg:ident) => {
        $cfg
            // auth
            .service(auth::login)
            .service(auth::refresh)
            .service(auth::logout)
            // accounts
            .service(setup::status)
            .service(setup::complete)
            .service(join::request)
            .service(join::confirm)
            .service(password::forgot)
            .service(password::reset)
            // me
            .service(me::show)
            .service(me::update)
            .service(me::change_password)
            .service(keys::list_mine)
            .service(keys::create_mine)
            .service(keys::revoke_mine)
            // memberships and their people
            .service(memberships::list)
            .service(memberships::create)
            .service(memberships::show)
            .service(memberships::update)
            .service(memberships::activate)
            .service(memberships::deactivate)
            .service(memberships::rotate_code)
            .service(memberships::set_code_expiry)
            .service(people::list)
            .service(people::deactivate)
            .service(people::reactivate)
            .service(people::make_coordinator)
            // staff
            .service(staff::list)
            .service(staff::create)
            .service(staff::update)
            .service(keys::list_service)
            .service(keys::create_service)
            .service(keys::revoke_service)
            // audit
            .service(audit::list)
            // knowledge base
            .service(kb::categories)
            .service(kb_edit::create_category)
            .service(kb::list)
            .service(kb_edit::create)
            .service(kb::show)
            .service(kb_edit::update)
            .service(kb_edit::publish)
            .service(kb_edit::archive)
            .service(kb_edit::preview)
            .service(kb_history::list)
            .service(kb_history::show)
            .service(kb_history::diff)
            .service(kb_history::restore)
            .service(kb_files::upload)
            .service(kb_files::image)
            .service(kb_files::pdf)
            .service(kb_reading::comments)
            .service(kb_reading::add_comment)
            .service(kb_reading::set_visibility)
            .service(kb_reading::my_feedback)
            .service(kb_reading::put_feedback)
            .service(kb_reading::feedback)
            .service(kb_reading::least_helpful)
            .service(kb_reading::email)
            .service(search::related)
            // incidents
            .service(incidents::list)
            .service(incident_work::priorities)
            .service(incidents::open)
            .service(incidents::show)
            .service(incident_pdf::pdf)
            .service(incidents::comment)
            .service(incidents::follow)
            .service(incidents::unfollow)
            .service(incident_work::state)
            .service(incident_work::priority)
            .service(incident_work::assign)
            .service(incident_escalation::request_remote)
            .service(incident_escalation::answer_remote)
            .service(incident_escalation::start_remote)
            .service(incident_escalation::schedule_visit)
            .service(incident_escalation::visit_ics)
            .service(incident_escalation::report_visit)
            .service(incident_escalation::link_solution)
            .service(incident_escalation::draft_article)
            // downloads
            .service(downloads::list)
            .service(downloads::visit)
            .service(downloads::create)
            .service(downloads::show)
            .service(downloads::update)
            .service(downloads::stats)
            .service(download_versions::publish)
            .service(download_versions::latest)
            .service(download_versions::show)
            .service(download_versions::version_file)
            .service(download_versions::withdraw)
            .service(download_versions::reinstate)
            // resources
            .service(catalogue::list)
            .service(catalogue::create)
            .service(catalogue::show)
            .service(catalogue::update)
            .service(catalogue::remove)
            .service(catalogue::check)
            .service(catalogue::hosted_file)
            .service(catalogue::remove_file)
            // search
            .service(search::search)
            .service(search::suggestions)
            // signed addresses
            .service(kb_files::open)
    };
}

/// Outside `/api/v1`: liveness and readiness for load balancers.
macro_rules! root_table {
    ($cfg:ident) => {
        $cfg.service(health::healthz).service(health::readyz)
    };
}

/// `/api/v1/...`, as served.
pub fn v1(cfg: &mut web::ServiceConfig) {
    v1_table!(cfg);
}

/// Outside `/api/v1`, as served.
pub fn root(cfg: &mut web::ServiceConfig) {
    root_table!(cfg);
}

fn v1_documented(cfg: &mut ServiceConfig) {
    v1_table!(cfg);
}

fn root_documented(cfg: &mut ServiceConfig) {
    root_table!(cfg);
}

/// `doc` with every path of the route table added.
pub fn collect(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(doc)
        .service(scope::scope("/api/v1").configure(v1_documented))
        .configure(root_documented)
        .split_for_parts();
    doc
}
