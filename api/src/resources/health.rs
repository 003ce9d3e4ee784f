//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: it can reach its
//! database), for load balancers and orchestrators.

use actix_web::{HttpResponse, get, web};
use faro_types::health::{Health, SearchHealth};

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
        search: None,
    })
}

/// The node can serve: its database answers. Also says which search engine it uses and
/// whether that answers (a search engine that does not answer is reported, not fatal).
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
    let timeout = crate::server::READY_TIMEOUT;
    let (ok, search_ok) = tokio::join!(
        async {
            tokio::time::timeout(timeout, api.store.ping())
                .await
                .unwrap_or(false)
        },
        async {
            tokio::time::timeout(timeout, api.search.count())
                .await
                .is_ok_and(|r| r.is_ok())
        }
    );
    let word = |ok: bool| if ok { "ok" } else { "unavailable" };
    let body = Health {
        status: word(ok).into(),
        database: Some(word(ok).into()),
        search: Some(SearchHealth {
            engine: api.search.name().into(),
            status: word(search_ok).into(),
        }),
    };
    if ok {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}
