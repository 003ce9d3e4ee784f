//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: it can reach its
//! database), for load balancers and orchestrators.

use actix_web::{HttpResponse, get, web};
use faro_types::health::Health;

use crate::server::Api;

/// The process is up.
#[utoipa::path(
    operation_id = "healthz",
    tag = "health",
    responses((status = 200, description = "Alive", body = Health))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: None,
    })
}

/// The node can serve: its database answers.
#[utoipa::path(
    operation_id = "readyz",
    tag = "health",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database does not answer", body = Health,
            example = json!({"status": "unavailable", "database": "unavailable"}))
    )
)]
#[get("/readyz")]
pub async fn readyz(api: web::Data<Api>) -> HttpResponse {
    let ok = tokio::time::timeout(crate::server::READY_TIMEOUT, api.store.ping())
        .await
        .unwrap_or(false);
    let word = if ok { "ok" } else { "unavailable" };
    let body = Health {
        status: word.into(),
        database: Some(word.into()),
    };
    if ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
